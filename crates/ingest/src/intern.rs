//! Distinct values in order of first appearance, borrowed from the table (no copies).
//!
//! Lookups cost a few byte comparisons per cell: up to [`LINEAR`] distinct values are
//! found by a scan (most columns of a cohort have a handful of levels), beyond that by
//! a hash map with rustc's FxHash (crate `rustc-hash`) instead of the
//! default SipHash, whose per-call cost dominated ingest at a million rows. Hash
//! flooding is no concern here: the keys come from the user's own file.

pub(crate) use rustc_hash::FxHashMap;

/// Up to this many distinct values, lookups scan the values instead of hashing.
const LINEAR: usize = 8;

/// Distinct strings in order of first appearance, with their counts.
#[derive(Debug, Default)]
pub(crate) struct Interner<'a> {
    index: FxHashMap<&'a str, u32>,
    /// Distinct values, first appearance first.
    pub values: Vec<&'a str>,
    /// Position (in the caller's row list) where each value first appears.
    pub first: Vec<usize>,
    /// How often each value appears.
    pub counts: Vec<usize>,
    /// [`tag`] of each value.
    tags: Vec<u32>,
    /// Code + 1 of the value last found under each [`slot`] of tags (0: none): most
    /// lookups are one tag comparison here, without a scan or a hash of the text.
    recent: [u32; 32],
}

/// The [`Interner::recent`] slot of a tag (Fibonacci hashing).
#[inline]
fn slot(tag: u32) -> usize {
    (tag.wrapping_mul(0x9E37_79B1) >> 27) as usize
}

/// Length, first, middle and last byte of a value in one integer; for values of up to
/// [`TAG_EXACT`] bytes the tag is the value (equal tags, equal values), longer ones
/// are also compared byte by byte.
#[inline]
fn tag(s: &str) -> u32 {
    let b = s.as_bytes();
    let byte = |i: usize| u32::from(b.get(i).copied().unwrap_or(0));
    let last = b.len().saturating_sub(1);
    (b.len().min(0xFF) as u32) | byte(0) << 8 | byte(b.len() / 2) << 16 | byte(last) << 24
}

/// Values of up to this many bytes are told apart by their [`tag`] alone.
const TAG_EXACT: usize = 3;

/// `a == b` for texts of equal length by a byte loop (short cells: no `memcmp` call).
#[inline]
fn same_bytes(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

impl<'a> Interner<'a> {
    /// The code of `s`, adding it (seen first at `pos`) when new.
    pub fn intern(&mut self, s: &'a str, pos: usize) -> u32 {
        if let Some(code) = self.lookup(s) {
            if let Some(c) = self.counts.get_mut(code as usize) {
                *c += 1;
            }
            return code;
        }
        let code = self.values.len() as u32;
        self.index.insert(s, code);
        self.tags.push(tag(s));
        self.values.push(s);
        self.first.push(pos);
        self.counts.push(1);
        code
    }

    /// Interns every item; returns the interner and one code per item.
    pub fn of(items: impl Iterator<Item = &'a str>) -> (Self, Vec<u32>) {
        let mut interner = Interner::default();
        let codes = items
            .enumerate()
            .map(|(pos, s)| interner.intern(s, pos))
            .collect();
        (interner, codes)
    }

    /// The code of `s`, if seen, remembering where it was found (the lookup of
    /// [`Interner::intern`]).
    fn lookup(&mut self, s: &str) -> Option<u32> {
        let t = tag(s);
        let same = |code: usize| {
            self.tags.get(code) == Some(&t)
                && (s.len() <= TAG_EXACT || self.values.get(code).is_some_and(|v| same_bytes(v, s)))
        };
        let recent = self.recent.get(slot(t)).copied().unwrap_or(0);
        if recent > 0 && same(recent as usize - 1) {
            return Some(recent - 1);
        }
        let code = self.find(s, t)?;
        if let Some(r) = self.recent.get_mut(slot(t)) {
            *r = code + 1;
        }
        Some(code)
    }

    /// The code of `s` (whose tag is `t`) by a scan or the hash map.
    fn find(&self, s: &str, t: u32) -> Option<u32> {
        if self.values.len() <= LINEAR {
            return self
                .tags
                .iter()
                .zip(&self.values)
                .position(|(&vt, v)| vt == t && same_bytes(v, s))
                .map(|i| i as u32);
        }
        self.index.get(s).copied()
    }

    /// The code of `s`, if seen.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.find(s, tag(s))
    }
}

/// Reorders codes so that `first` becomes code 0 and the others keep their order.
/// Returns the new codes and the labels in the new order.
pub(crate) fn put_first(codes: &mut [u32], labels: &[&str], first: u32) -> Vec<String> {
    let n = labels.len() as u32;
    let new_of = |c: u32| -> u32 {
        if c == first {
            0
        } else if c < first {
            c + 1
        } else {
            c
        }
    };
    for c in codes.iter_mut() {
        *c = new_of(*c);
    }
    let mut out = vec![String::new(); labels.len()];
    for (old, label) in (0..n).zip(labels) {
        if let Some(slot) = out.get_mut(new_of(old) as usize) {
            *slot = (*label).to_string();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interner_and_reorder() {
        let (it, mut codes) = Interner::of(["b", "a", "b", "c"].into_iter());
        assert_eq!(codes, vec![0, 1, 0, 2]);
        assert_eq!(it.counts, vec![2, 1, 1]);
        let labels = put_first(&mut codes, &it.values, 2);
        assert_eq!(labels, vec!["c", "b", "a"]);
        assert_eq!(codes, vec![1, 2, 1, 0]);
    }

    #[test]
    fn tags_and_bytes_tell_values_apart() {
        let values = [
            "",
            "a",
            "a\0",
            "\0",
            "IM+HR",
            "IM+RFA/TACE",
            "123456789012345",
            "1234567890123456",
            "1234567890123457",
            "é",
            "e",
        ];
        let items: Vec<&str> = values.iter().chain(values.iter().rev()).copied().collect();
        let (it, codes) = Interner::of(items.iter().copied());
        assert_eq!(it.values, values.to_vec());
        for (item, code) in items.iter().zip(&codes) {
            assert_eq!(values[*code as usize], *item);
        }
    }

    #[test]
    fn many_levels_switch_to_the_hash_map() {
        let items: Vec<String> = (0..50).map(|i| format!("level{}", i % 20)).collect();
        let (it, codes) = Interner::of(items.iter().map(String::as_str));
        assert_eq!(it.values.len(), 20);
        for (i, c) in codes.iter().enumerate() {
            assert_eq!(*c as usize, i % 20);
        }
        assert_eq!(it.counts[0], 3);
        assert_eq!(it.counts[19], 2);
        assert_eq!(it.get("level7"), Some(7));
        assert_eq!(it.get("nope"), None);
        assert_eq!(it.first[5], 5);
    }
}
