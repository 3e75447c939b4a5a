//! Event coding: which tokens mean the event happened.
//!
//! Rules (CONTRACT.md "Spec → event"): `values` are event tokens, `censored_values`
//! censored tokens. Only `values` given: every other non-missing token is censored
//! (symmetrically, only `censored_values`: every other token is an event). Both given:
//! a token in neither is an error. Neither: the coding is detected over the used rows'
//! tokens: 0/1, 1/2 (2 = event, as R's `Surv`, which subtracts 1 when the maximum is
//! 2), true/false, yes/no, dead|died|death|deceased / alive|censored. Tokens compare
//! trimmed and case-insensitively; numeric tokens compare by value (`1.0` = `1`).

use super::intern::Interner;
use super::mapping::EventMap;
use super::number::{parse_number, Num};
use super::IngestError;

/// A detectable coding: name, event words, censored words (lower case).
struct Scheme {
    name: &'static str,
    event: &'static [&'static str],
    censored: &'static [&'static str],
}

const ZERO_ONE: Scheme = Scheme {
    name: "0/1 (1 = event)",
    event: &["1"],
    censored: &["0"],
};
const ONE_TWO: Scheme = Scheme {
    name: "1/2 (2 = event, as R's Surv)",
    event: &["2"],
    censored: &["1"],
};
const WORDS: [Scheme; 3] = [
    Scheme {
        name: "true/false",
        event: &["true"],
        censored: &["false"],
    },
    Scheme {
        name: "yes/no",
        event: &["yes"],
        censored: &["no"],
    },
    Scheme {
        name: "dead/alive (dead, died, death, deceased / alive, censored)",
        event: &["dead", "died", "death", "deceased"],
        censored: &["alive", "censored"],
    },
];

/// Trimmed, case-insensitive, numeric-by-value token equality.
fn same_token(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a == b || a.to_lowercase() == b.to_lowercase() {
        return true;
    }
    match (parse_number(a, false), parse_number(b, false)) {
        (Num::Value(x), Num::Value(y)) => x == y,
        _ => false,
    }
}

fn in_list<S: AsRef<str>>(token: &str, list: &[S]) -> bool {
    list.iter().any(|v| same_token(token, v.as_ref()))
}

/// Codes the event of every used row.
///
/// `tokens` are the trimmed event cells of the used rows, `lines` their file lines.
pub(crate) fn code_events<'a>(
    tokens: impl Iterator<Item = &'a str>,
    lines: &[u64],
    map: &EventMap,
) -> Result<Vec<bool>, IngestError> {
    let (distinct, codes) = Interner::of(tokens);
    let classes = classify(&distinct, map)
        .map_err(|(i, expected)| unknown(map, &distinct, lines, i, expected))?;
    Ok(codes
        .iter()
        .map(|&c| classes.get(c as usize).copied().unwrap_or(false))
        .collect())
}

fn unknown(map: &EventMap, d: &Interner, lines: &[u64], i: usize, expected: String) -> IngestError {
    let pos = d.first.get(i).copied().unwrap_or(0);
    IngestError::UnknownEventValue {
        column: map.column.clone(),
        line: lines.get(pos).copied().unwrap_or(0),
        value: d.values.get(i).map_or(String::new(), |v| v.to_string()),
        expected,
    }
}

/// One class (event = true) per distinct token, or the index of the first token
/// that does not fit and a description of the expected coding.
fn classify(d: &Interner, map: &EventMap) -> Result<Vec<bool>, (usize, String)> {
    match (&map.values, &map.censored_values) {
        (Some(ev), Some(ce)) => {
            let expected = format!(
                "the spec lists event values {} and censored values {}",
                ev.join(", "),
                ce.join(", ")
            );
            classify_with(
                d,
                |t| {
                    if in_list(t, ev) {
                        Some(true)
                    } else if in_list(t, ce) {
                        Some(false)
                    } else {
                        None
                    }
                },
                &expected,
            )
        }
        (Some(ev), None) => Ok(d.values.iter().map(|t| in_list(t, ev)).collect()),
        (None, Some(ce)) => Ok(d.values.iter().map(|t| !in_list(t, ce)).collect()),
        (None, None) => {
            let scheme = detect(d)?;
            let expected = format!("the values look coded as {}", scheme.name);
            classify_with(
                d,
                |t| {
                    let t = t.trim().to_lowercase();
                    if in_list(&t, scheme.event) {
                        Some(true)
                    } else if in_list(&t, scheme.censored) {
                        Some(false)
                    } else {
                        None
                    }
                },
                &expected,
            )
        }
    }
}

fn classify_with(
    d: &Interner,
    f: impl Fn(&str) -> Option<bool>,
    expected: &str,
) -> Result<Vec<bool>, (usize, String)> {
    d.values
        .iter()
        .enumerate()
        .map(|(i, t)| f(t).ok_or_else(|| (i, expected.to_string())))
        .collect()
}

/// Picks the coding: numeric tokens → 1/2 when the largest is 2, else 0/1 (as R's
/// `Surv`); otherwise the word scheme of the first non-numeric token.
fn detect(d: &Interner) -> Result<&'static Scheme, (usize, String)> {
    let numbers: Vec<Option<f64>> = d
        .values
        .iter()
        .map(|t| match parse_number(t, false) {
            Num::Value(v) => Some(v),
            _ => None,
        })
        .collect();
    let Some(first_word) = numbers.iter().position(Option::is_none) else {
        let has_two = numbers.iter().flatten().any(|&v| v == 2.0);
        return Ok(if has_two { &ONE_TWO } else { &ZERO_ONE });
    };
    let word = d
        .values
        .get(first_word)
        .map_or(String::new(), |w| w.trim().to_lowercase());
    WORDS
        .iter()
        .find(|s| in_list(&word, s.event) || in_list(&word, s.censored))
        .ok_or_else(|| {
            (
                first_word,
                "recognised codings: 0/1, 1/2, true/false, yes/no, dead/alive".to_string(),
            )
        })
}

/// Checks that no token is listed both as event and as censored.
pub(crate) fn check_lists(map: &EventMap) -> Result<(), IngestError> {
    if let (Some(ev), Some(ce)) = (&map.values, &map.censored_values) {
        if let Some(v) = ev.iter().find(|v| in_list(v, ce)) {
            return Err(IngestError::ConflictingEventValues {
                column: map.column.clone(),
                value: v.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        tokens: &[&str],
        values: Option<&[&str]>,
        cens: Option<&[&str]>,
    ) -> Result<Vec<bool>, IngestError> {
        let own = |l: Option<&[&str]>| l.map(|l| l.iter().map(|s| s.to_string()).collect());
        let map = EventMap {
            column: "status".into(),
            values: own(values),
            censored_values: own(cens),
        };
        let lines: Vec<u64> = (2..2 + tokens.len() as u64).collect();
        code_events(tokens.iter().copied(), &lines, &map)
    }

    #[test]
    fn detection() {
        assert_eq!(
            run(&["0", "1", "1.0"], None, None).unwrap(),
            vec![false, true, true]
        );
        assert_eq!(run(&["1", "2"], None, None).unwrap(), vec![false, true]);
        assert_eq!(run(&["1", "1"], None, None).unwrap(), vec![true, true]);
        assert_eq!(
            run(&["TRUE", "false"], None, None).unwrap(),
            vec![true, false]
        );
        assert_eq!(run(&["Yes", "no"], None, None).unwrap(), vec![true, false]);
        assert_eq!(
            run(&["Alive", "Died", "censored", "DEATH"], None, None).unwrap(),
            vec![false, true, false, true]
        );
        let e = run(&["0", "1", "2"], None, None).unwrap_err();
        assert!(
            matches!(e, IngestError::UnknownEventValue { ref value, line: 2, .. } if value == "0"),
            "{e:?}"
        );
        let e = run(&["dead", "alive", "lost"], None, None).unwrap_err();
        assert!(
            matches!(e, IngestError::UnknownEventValue { ref value, line: 4, .. } if value == "lost")
        );
        let e = run(&["1", "maybe"], None, None).unwrap_err();
        assert!(
            matches!(e, IngestError::UnknownEventValue { ref value, line: 3, .. } if value == "maybe")
        );
    }

    #[test]
    fn given_values() {
        assert_eq!(
            run(&["x", "y", "z"], Some(&["x"]), None).unwrap(),
            vec![true, false, false]
        );
        assert_eq!(
            run(&["x", "y", "z"], None, Some(&["x"])).unwrap(),
            vec![false, true, true]
        );
        assert_eq!(
            run(&["x", "y"], Some(&["x"]), Some(&["y"])).unwrap(),
            vec![true, false]
        );
        let e = run(&["x", "y", "z"], Some(&["x"]), Some(&["y"])).unwrap_err();
        assert!(matches!(e, IngestError::UnknownEventValue { line: 4, .. }));
    }
}
