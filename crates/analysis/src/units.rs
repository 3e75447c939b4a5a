//! Work units of the sections whose work splits (the page's worker pool, issue 24).
//!
//! A splittable section is a loop over independent *units*, each seeded by its own
//! index: the replicates of the adjusted (IPTW) bootstrap and of the emulation bootstrap
//! (replicate r draws from `SplitMix64(substream_seed(seed, r))`,
//! [`survlens_stats::rng::substream_seed`]). A unit's result is a short list of numbers
//! ([`Unit`]); the section's summary (SDs, percentile limits) reads the units in index
//! order. So the work can run as
//!
//! 1. *units [a, b) of one section* ([`Plan::Range`]) in any number of processes, each
//!    giving a [`Partial`], then
//! 2. *the section from the partials* ([`Plan::Given`]): the same analysis, the units
//!    read instead of computed, then the same summary code as
//! 3. *everything in one call* ([`Plan::All`], the CLI and a pool of one).
//!
//! The Report is byte-identical in the three ways, whatever the split (tests/units.rs).
//!
//! Not split (said here so that it is not redone): multiple imputation's sets (each set's
//! chained-equations diagnostics accumulate over the sets and its per-set results hold
//! whole fitted sections: a partial of those is a serialisation of most of the contract;
//! left for later, the sets run in the coordinating worker); subgroup models (a handful
//! of Cox fits, milliseconds at n = 10⁵); the site rounds (one Newton step of a few
//! parameters per round, on summaries, not on patients).
//!
//! # Partials on the wire
//! [`encode`] / [`decode`]: little-endian bytes, `b"SLU1"`, the fingerprint of the data
//! and spec ([`fingerprint`]), then per partial its section code, start and units (a unit:
//! its value count or `u32::MAX` for a unit without result; a value: a presence byte then
//! its 8 bytes). Exact: the numbers cross as their bits.

use crate::error::Error;
use std::cell::RefCell;

/// A section whose work splits into units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// `adjusted.bootstrap`: one unit per replicate.
    AdjustedBootstrap,
    /// `emulation.bootstrap`: one unit per replicate.
    EmulationBootstrap,
}

impl Section {
    pub const ALL: [Section; 2] = [Section::AdjustedBootstrap, Section::EmulationBootstrap];

    /// The name the wasm API and the page use.
    pub fn name(self) -> &'static str {
        match self {
            Section::AdjustedBootstrap => "adjusted_bootstrap",
            Section::EmulationBootstrap => "emulation_bootstrap",
        }
    }

    pub fn from_name(name: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.name() == name)
    }

    fn code(self) -> u8 {
        match self {
            Section::AdjustedBootstrap => 1,
            Section::EmulationBootstrap => 2,
        }
    }

    fn from_code(c: u8) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.code() == c)
    }
}

/// The result of one unit: `None` when the unit gives nothing (a bootstrap replicate
/// that fails), else its values (`None` for a value the unit does not have).
pub type Unit = Option<Vec<Option<f64>>>;

/// The results of units `start .. start + units.len()` of `section`.
#[derive(Debug, Clone, PartialEq)]
pub struct Partial {
    pub section: Section,
    pub start: usize,
    pub units: Vec<Unit>,
}

/// How an analysis runs the units of the splittable sections.
#[derive(Debug, Default)]
pub enum Plan {
    /// Every unit here, in index order (the CLI).
    #[default]
    All,
    /// Only units `start..end` of `section`, collected into `out`; the other splittable
    /// sections run no unit, the imputation section is skipped (the Report of such a run
    /// is not a result: only `out` is).
    Range {
        section: Section,
        start: usize,
        end: usize,
        out: RefCell<Vec<Partial>>,
    },
    /// The units are read from these partials, which must cover every unit of every
    /// splittable section that runs, exactly once.
    Given(Vec<Partial>),
}

impl Plan {
    /// Units `start..end` of `section`.
    pub fn range(section: Section, start: usize, end: usize) -> Plan {
        Plan::Range {
            section,
            start,
            end,
            out: RefCell::new(Vec::new()),
        }
    }

    /// The partials a [`Plan::Range`] run collected (empty for the other plans, or when
    /// the section did not run: the spec or the data did not ask for it).
    pub fn into_partials(self) -> Vec<Partial> {
        match self {
            Plan::Range { out, .. } => out.into_inner(),
            _ => Vec::new(),
        }
    }

    /// Whether the sections that do not split (imputation) are skipped.
    pub(crate) fn skips_whole_sections(&self) -> bool {
        matches!(self, Plan::Range { .. })
    }

    /// The units `0..total` of `section` as this plan has them: computed by `compute(r)`
    /// (all of them, or the plan's range, in index order) or read from the partials.
    /// `progress(done, total)` every 1% of the units computed here.
    pub(crate) fn units(
        &self,
        section: Section,
        total: usize,
        progress: &mut dyn FnMut(usize, usize),
        compute: &mut dyn FnMut(usize) -> Unit,
    ) -> Result<Vec<Unit>, Error> {
        let mut run = |range: std::ops::Range<usize>| -> Vec<Unit> {
            let len = range.len();
            let every = (len / 100).max(1);
            range
                .enumerate()
                .map(|(i, r)| {
                    let u = compute(r);
                    if (i + 1) % every == 0 || i + 1 == len {
                        progress(i + 1, len);
                    }
                    u
                })
                .collect()
        };
        match self {
            Plan::All => Ok(run(0..total)),
            Plan::Range {
                section: s,
                start,
                end,
                out,
            } => {
                if *s != section {
                    return Ok(Vec::new());
                }
                let (start, end) = ((*start).min(total), (*end).min(total));
                let units = run(start..end.max(start));
                out.borrow_mut().push(Partial {
                    section,
                    start,
                    units: units.clone(),
                });
                Ok(units)
            }
            Plan::Given(partials) => {
                let mut parts: Vec<&Partial> =
                    partials.iter().filter(|p| p.section == section).collect();
                parts.sort_by_key(|p| p.start);
                let mut units = Vec::with_capacity(total);
                for p in parts {
                    if p.start != units.len() {
                        return Err(incomplete(section, total));
                    }
                    units.extend_from_slice(&p.units);
                }
                if units.len() != total {
                    return Err(incomplete(section, total));
                }
                progress(total, total);
                Ok(units)
            }
        }
    }
}

fn incomplete(section: Section, total: usize) -> Error {
    Error::Internal(format!(
        "the worker pool's partial results do not cover the {total} units of {} exactly once",
        section.name()
    ))
}

/// The units of each splittable section `spec` asks for: (section, unit count). Whether
/// the section runs also depends on the data (a propensity model needs two groups); a
/// pool asked for units of a section that does not run gets empty partials.
pub fn work_units(spec: &crate::Spec) -> Vec<(Section, usize)> {
    let mut out = Vec::new();
    if let Some(b) = spec.adjusted.as_ref().and_then(|a| a.bootstrap.as_ref()) {
        out.push((Section::AdjustedBootstrap, b.replicates));
    }
    if let Some(b) = spec.emulation.as_ref().and_then(|e| e.bootstrap.as_ref()) {
        out.push((Section::EmulationBootstrap, b.replicates));
    }
    out
}

/// A 64-bit fingerprint of the data file's bytes and the spec's text: partials made from
/// other data or another spec are refused ([`decode`]). Not cryptographic: it guards
/// against a mix-up (a new file loaded while a run is on), not against an adversary.
pub fn fingerprint(data: &[u8], spec_json: &str) -> u64 {
    let mix = |h: u64, v: u64| -> u64 {
        let mut z = (h ^ v).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut h = mix(0, data.len() as u64);
    for bytes in [data, spec_json.as_bytes()] {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            h = mix(h, u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let mut last = [0u8; 8];
        last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        h = mix(
            h,
            u64::from_le_bytes(last) ^ (bytes.len() as u64).rotate_left(32),
        );
    }
    h
}

const MAGIC: &[u8; 4] = b"SLU1";
const NO_UNIT: u32 = u32::MAX;

/// The partials as bytes, stamped with `fingerprint`.
pub fn encode(fingerprint: u64, partials: &[Partial]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(MAGIC);
    b.extend_from_slice(&fingerprint.to_le_bytes());
    b.extend_from_slice(&(partials.len() as u32).to_le_bytes());
    for p in partials {
        b.push(p.section.code());
        b.extend_from_slice(&(p.start as u64).to_le_bytes());
        b.extend_from_slice(&(p.units.len() as u64).to_le_bytes());
        for u in &p.units {
            match u {
                None => b.extend_from_slice(&NO_UNIT.to_le_bytes()),
                Some(values) => {
                    b.extend_from_slice(&(values.len() as u32).to_le_bytes());
                    for v in values {
                        b.push(u8::from(v.is_some()));
                        b.extend_from_slice(&v.unwrap_or(0.0).to_bits().to_le_bytes());
                    }
                }
            }
        }
    }
    b
}

/// Why partials were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not bytes [`encode`] wrote.
    Malformed,
    /// Made from other data or another spec.
    OtherInput,
}

/// Reads the partials of one or more [`encode`]d blocks laid end to end, each of which
/// must carry `fingerprint`.
pub fn decode(mut bytes: &[u8], fingerprint: u64) -> Result<Vec<Partial>, DecodeError> {
    fn take<'b>(b: &mut &'b [u8], n: usize) -> Result<&'b [u8], DecodeError> {
        if b.len() < n {
            return Err(DecodeError::Malformed);
        }
        let (head, tail) = b.split_at(n);
        *b = tail;
        Ok(head)
    }
    fn u32_(b: &mut &[u8]) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(take(b, 4)?.try_into().expect("4")))
    }
    fn u64_(b: &mut &[u8]) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(take(b, 8)?.try_into().expect("8")))
    }
    let mut out = Vec::new();
    while !bytes.is_empty() {
        if take(&mut bytes, 4)? != MAGIC {
            return Err(DecodeError::Malformed);
        }
        if u64_(&mut bytes)? != fingerprint {
            return Err(DecodeError::OtherInput);
        }
        for _ in 0..u32_(&mut bytes)? {
            let section =
                Section::from_code(take(&mut bytes, 1)?[0]).ok_or(DecodeError::Malformed)?;
            let start = u64_(&mut bytes)? as usize;
            let n = u64_(&mut bytes)? as usize;
            let mut units = Vec::with_capacity(n.min(bytes.len() / 4));
            for _ in 0..n {
                let len = u32_(&mut bytes)?;
                if len == NO_UNIT {
                    units.push(None);
                    continue;
                }
                let mut values = Vec::with_capacity((len as usize).min(bytes.len() / 9));
                for _ in 0..len {
                    let present = take(&mut bytes, 1)?[0];
                    let v = f64::from_bits(u64_(&mut bytes)?);
                    values.push((present == 1).then_some(v));
                }
                units.push(Some(values));
            }
            out.push(Partial {
                section,
                start,
                units,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode_round_trip_and_refusals() {
        let parts = [
            Partial {
                section: Section::AdjustedBootstrap,
                start: 3,
                units: vec![
                    None,
                    Some(vec![Some(-0.0), None, Some(f64::NAN), Some(1e-300)]),
                ],
            },
            Partial {
                section: Section::EmulationBootstrap,
                start: 0,
                units: vec![Some(vec![])],
            },
        ];
        let mut bytes = encode(7, &parts[..1]);
        bytes.extend(encode(7, &parts[1..]));
        let back = decode(&bytes, 7).expect("decodes");
        assert_eq!(back.len(), 2);
        assert_eq!(back[1], parts[1]);
        let bits = |u: &Unit| {
            u.as_ref()
                .map(|v| v.iter().map(|x| x.map(f64::to_bits)).collect::<Vec<_>>())
        };
        assert_eq!(
            back[0].units.iter().map(bits).collect::<Vec<_>>(),
            parts[0].units.iter().map(bits).collect::<Vec<_>>()
        );
        assert_eq!(decode(&bytes, 8), Err(DecodeError::OtherInput));
        assert_eq!(
            decode(&bytes[..bytes.len() - 1], 7),
            Err(DecodeError::Malformed)
        );
        assert_ne!(
            fingerprint(b"a,b\n1,2\n", "{}"),
            fingerprint(b"a,b\n1,3\n", "{}")
        );
        assert_ne!(fingerprint(b"x", "{}"), fingerprint(b"x", "{ }"));
    }

    #[test]
    fn given_partials_must_cover_every_unit_once() {
        let p = |start, n| Partial {
            section: Section::AdjustedBootstrap,
            start,
            units: vec![None; n],
        };
        let mut progress = |_: usize, _: usize| {};
        let mut never = |_: usize| -> Unit { unreachable!("given units are not computed") };
        let ok = Plan::Given(vec![p(2, 3), p(0, 2)]);
        assert_eq!(
            ok.units(Section::AdjustedBootstrap, 5, &mut progress, &mut never)
                .expect("covers")
                .len(),
            5
        );
        for bad in [
            vec![p(0, 2)],
            vec![p(0, 3), p(2, 3)],
            vec![p(0, 5), p(5, 1)],
        ] {
            assert!(Plan::Given(bad)
                .units(Section::AdjustedBootstrap, 5, &mut progress, &mut never)
                .is_err());
        }
    }
}
