//! Event coding: which tokens mean the event happened.
//!
//! Rules (docs/spec.md#event): `values` are event tokens, `censored_values`
//! censored tokens. Only `values` given: every other non-missing token is censored
//! (symmetrically, only `censored_values`: every other token is an event). Both given:
//! a token in neither is an error. Neither: the coding is detected over the used rows'
//! tokens: 0/1, 1/2 (2 = event, as R's `Surv`, which subtracts 1 when the maximum is
//! 2), true/false, yes/no, dead|died|death|deceased / alive|censored. Tokens compare
//! trimmed and case-insensitively; numeric tokens compare by value (`1.0` = `1`).
//!
//! Extension of the detected list (what hospital systems write): `expired`,
//! `living`, German `verstorben`/`tot` / `lebend`/`zensiert`, Chinese
//! 死亡/死/已故/去世/已死亡/病故 / 存活/活/生存/健在/在世/删失, Y/N and 是/否 (yes/no).
//! A numeric column with three or more distinct values (pbc's 0/1/2: censored,
//! transplant, dead) is never read as 0/1 or 1/2: which values are events is the
//! user's choice, and the error says so with every value and its count.

use super::intern::Interner;
use super::mapping::EventMap;
use super::number::{parse_number, Num};
use super::IngestError;

/// A detectable coding: event words, censored words (lower case).
pub(crate) struct Scheme {
    pub event: &'static [&'static str],
    pub censored: &'static [&'static str],
}

const ZERO_ONE: Scheme = Scheme {
    event: &["1"],
    censored: &["0"],
};
const ONE_TWO: Scheme = Scheme {
    event: &["2"],
    censored: &["1"],
};
const WORDS: [Scheme; 4] = [
    Scheme {
        event: &["true"],
        censored: &["false"],
    },
    Scheme {
        event: &["yes", "y", "是"],
        censored: &["no", "n", "否"],
    },
    Scheme {
        event: &[
            "dead",
            "died",
            "death",
            "deceased",
            "expired",
            "verstorben",
            "tot",
            "死亡",
            "死",
            "已故",
            "去世",
            "已死亡",
            "病故",
        ],
        censored: &[
            "alive",
            "censored",
            "living",
            "lebend",
            "lebt",
            "zensiert",
            "存活",
            "活",
            "生存",
            "健在",
            "在世",
            "存活中",
            "删失",
            "未死亡",
        ],
    },
    Scheme {
        event: &["event", "ereignis", "事件", "发生"],
        censored: &["no event", "kein ereignis", "无事件", "未发生"],
    },
];

/// Why an event token does not fit (the messages are built from this, in both
/// languages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventProblem {
    /// The token is neither among the given event values nor the censored values.
    NotListed,
    /// Three or more distinct values and no lists given: which are events is a choice.
    ThreeOrMoreValues,
    /// No lists given and the token is no recognised code.
    NotRecognised,
}

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

/// The coded outcome of every used row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodedEvents {
    /// The event of interest happened.
    pub event: Vec<bool>,
    /// A competing event happened (`None` without `competing_values`).
    pub competing: Option<Vec<bool>>,
}

/// Codes the event of every used row.
///
/// `tokens` are the trimmed event cells of the used rows, `lines` their file lines.
/// Tokens in `competing_values` are competing events; the other tokens are coded by
/// the rules of the module doc (so `0/1/2` with `competing_values: ["1"]` and no other
/// list detects `0/2`… as a coding of the rest, and a rest that is no coding is the
/// usual error).
pub(crate) fn code_events<'a>(
    tokens: impl Iterator<Item = &'a str>,
    lines: &[u64],
    map: &EventMap,
) -> Result<CodedEvents, IngestError> {
    let (distinct, codes) = Interner::of(tokens);
    let competing_class: Vec<bool> = distinct
        .values
        .iter()
        .map(|t| map.competing_values.as_ref().is_some_and(|c| in_list(t, c)))
        .collect();
    // Distinct tokens that are not competing, with their index among all distinct ones.
    let (rest_index, rest): (Vec<usize>, Vec<&str>) = distinct
        .values
        .iter()
        .enumerate()
        .filter(|(i, _)| !competing_class[*i])
        .map(|(i, t)| (i, *t))
        .unzip();
    let rest_classes = classify(&rest, map).map_err(|(i, problem)| {
        unknown(
            map,
            &distinct,
            lines,
            rest_index.get(i).copied().unwrap_or(0),
            problem,
        )
    })?;
    let mut event_class = vec![false; distinct.values.len()];
    for (&i, &c) in rest_index.iter().zip(&rest_classes) {
        event_class[i] = c;
    }
    let class_of = |classes: &[bool]| -> Vec<bool> {
        codes
            .iter()
            .map(|&c| classes.get(c as usize).copied().unwrap_or(false))
            .collect()
    };
    Ok(CodedEvents {
        event: class_of(&event_class),
        competing: map
            .competing_values
            .as_ref()
            .map(|_| class_of(&competing_class)),
    })
}

fn unknown(
    map: &EventMap,
    d: &Interner,
    lines: &[u64],
    i: usize,
    problem: EventProblem,
) -> IngestError {
    let pos = d.first.get(i).copied().unwrap_or(0);
    IngestError::UnknownEventValue {
        column: map.column.clone(),
        line: lines.get(pos).copied().unwrap_or(0),
        value: d.values.get(i).map_or(String::new(), |v| v.to_string()),
        problem,
        found: d
            .values
            .iter()
            .zip(&d.counts)
            .map(|(v, &n)| (v.to_string(), n))
            .collect(),
    }
}

/// One class (event = true) per distinct token, or the index of the first token
/// that does not fit and why.
fn classify(values: &[&str], map: &EventMap) -> Result<Vec<bool>, (usize, EventProblem)> {
    match (&map.values, &map.censored_values) {
        (Some(ev), Some(ce)) => classify_with(
            values,
            |t| {
                if in_list(t, ev) {
                    Some(true)
                } else if in_list(t, ce) {
                    Some(false)
                } else {
                    None
                }
            },
            EventProblem::NotListed,
        ),
        (Some(ev), None) => Ok(values.iter().map(|t| in_list(t, ev)).collect()),
        (None, Some(ce)) => Ok(values.iter().map(|t| !in_list(t, ce)).collect()),
        (None, None) => {
            let scheme = detect(values)?;
            classify_with(
                values,
                |t| scheme_class(scheme, t),
                EventProblem::NotRecognised,
            )
        }
    }
}

/// Event (true), censored (false) or neither under a coding.
fn scheme_class(scheme: &Scheme, token: &str) -> Option<bool> {
    let t = token.trim().to_lowercase();
    if in_list(&t, scheme.event) {
        Some(true)
    } else if in_list(&t, scheme.censored) {
        Some(false)
    } else {
        None
    }
}

fn classify_with(
    values: &[&str],
    f: impl Fn(&str) -> Option<bool>,
    problem: EventProblem,
) -> Result<Vec<bool>, (usize, EventProblem)> {
    values
        .iter()
        .enumerate()
        .map(|(i, t)| f(t).ok_or((i, problem)))
        .collect()
}

/// Picks the coding of distinct tokens (first appearance first): numeric tokens →
/// 1/2 when the largest is 2, else 0/1 (as R's `Surv`), but three or more distinct
/// numbers are a choice, not a coding; otherwise the word scheme of the first
/// non-numeric token.
pub(crate) fn detect(values: &[&str]) -> Result<&'static Scheme, (usize, EventProblem)> {
    let numbers: Vec<Option<f64>> = values
        .iter()
        .map(|t| match parse_number(t, false) {
            Num::Value(v) => Some(v),
            _ => None,
        })
        .collect();
    let Some(first_word) = numbers.iter().position(Option::is_none) else {
        // Distinct by value (`1` and `1.0` are one value): the first third one is named.
        let mut seen: Vec<f64> = Vec::new();
        for (i, v) in numbers.iter().flatten().enumerate() {
            if !seen.contains(v) {
                if seen.len() == 2 {
                    return Err((i, EventProblem::ThreeOrMoreValues));
                }
                seen.push(*v);
            }
        }
        let has_two = numbers.iter().flatten().any(|&v| v == 2.0);
        return Ok(if has_two { &ONE_TWO } else { &ZERO_ONE });
    };
    let word = values
        .get(first_word)
        .map_or(String::new(), |w| w.trim().to_lowercase());
    WORDS
        .iter()
        .find(|s| in_list(&word, s.event) || in_list(&word, s.censored))
        .ok_or((first_word, EventProblem::NotRecognised))
}

/// The event and censored tokens of distinct values under the detected coding, as
/// they are written in the file (for a suggested mapping that lists both, so that
/// nothing is censored silently); `None` when the values do not form one coding.
pub(crate) fn detected_lists(values: &[&str]) -> Option<(Vec<String>, Vec<String>)> {
    let scheme = detect(values).ok()?;
    let (mut event, mut censored) = (Vec::new(), Vec::new());
    for v in values {
        match scheme_class(scheme, v)? {
            true => event.push(v.to_string()),
            false => censored.push(v.to_string()),
        }
    }
    Some((event, censored))
}

/// Checks that no token is listed twice among event, censored and competing values.
pub(crate) fn check_lists(map: &EventMap) -> Result<(), IngestError> {
    let lists = [
        ("values", &map.values),
        ("censored_values", &map.censored_values),
        ("competing_values", &map.competing_values),
    ];
    for (i, (first, a)) in lists.iter().enumerate() {
        for (second, b) in lists.iter().skip(i + 1) {
            if let (Some(a), Some(b)) = (a, b) {
                if let Some(v) = a.iter().find(|v| in_list(v, b)) {
                    return Err(IngestError::ConflictingEventValues {
                        column: map.column.clone(),
                        value: v.clone(),
                        first,
                        second,
                    });
                }
            }
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
        run3(tokens, values, cens, None).map(|c| c.event)
    }

    fn run3(
        tokens: &[&str],
        values: Option<&[&str]>,
        cens: Option<&[&str]>,
        competing: Option<&[&str]>,
    ) -> Result<CodedEvents, IngestError> {
        let own = |l: Option<&[&str]>| l.map(|l| l.iter().map(|s| s.to_string()).collect());
        let map = EventMap {
            column: "status".into(),
            values: own(values),
            censored_values: own(cens),
            competing_values: own(competing),
        };
        check_lists(&map)?;
        let lines: Vec<u64> = (2..2 + tokens.len() as u64).collect();
        code_events(tokens.iter().copied(), &lines, &map)
    }

    #[test]
    fn competing_values_are_a_third_outcome() {
        // pbc's 0/1/2: 1 = transplant (competing), 2 = death, 0 = censored.
        let c = run3(&["0", "1", "2", "2.0"], Some(&["2"]), None, Some(&["1"])).unwrap();
        assert_eq!(c.event, vec![false, false, true, true]);
        assert_eq!(c.competing, Some(vec![false, true, false, false]));
        // The rest is detected: words, then a competing word.
        let c = run3(&["Dead", "other", "alive"], None, None, Some(&["OTHER"])).unwrap();
        assert_eq!(c.event, vec![true, false, false]);
        assert_eq!(c.competing, Some(vec![false, true, false]));
        // All three lists: a token in none is an error naming it and its line.
        let e = run3(
            &["died_gist", "died_other", "alive", "lost"],
            Some(&["died_gist"]),
            Some(&["alive"]),
            Some(&["died_other"]),
        )
        .unwrap_err();
        assert!(
            matches!(e, IngestError::UnknownEventValue { ref value, line: 5, problem: EventProblem::NotListed, .. } if value == "lost"),
            "{e:?}"
        );
        // A token both competing and event is a conflict.
        let e = run3(&["a", "b"], Some(&["a"]), None, Some(&["a"])).unwrap_err();
        assert!(matches!(e, IngestError::ConflictingEventValues { ref value, .. } if value == "a"));
        // Without competing values nothing changes.
        assert_eq!(run3(&["0", "1"], None, None, None).unwrap().competing, None);
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
        let e = run(&["0", "1", "2", "0"], None, None).unwrap_err();
        assert!(
            matches!(e, IngestError::UnknownEventValue { ref value, line: 4, problem: EventProblem::ThreeOrMoreValues, ref found, .. }
                if value == "2" && found == &[("0".to_string(), 2), ("1".to_string(), 1), ("2".to_string(), 1)]),
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

    #[test]
    fn chinese_german_and_other_export_codings() {
        assert_eq!(
            run(&["死亡", "存活", "存活"], None, None).unwrap(),
            vec![true, false, false]
        );
        assert_eq!(run(&["死", "活"], None, None).unwrap(), vec![true, false]);
        assert_eq!(run(&["否", "是"], None, None).unwrap(), vec![false, true]);
        assert_eq!(
            run(&["已故", "健在"], None, None).unwrap(),
            vec![true, false]
        );
        assert_eq!(
            run(&["lebend", "verstorben"], None, None).unwrap(),
            vec![false, true]
        );
        assert_eq!(
            run(&["Living", "Expired"], None, None).unwrap(),
            vec![false, true]
        );
        let e = run(&["死亡", "存活", "失访"], None, None).unwrap_err();
        assert!(
            matches!(e, IngestError::UnknownEventValue { ref value, line: 4, problem: EventProblem::NotRecognised, .. } if value == "失访"),
            "{e:?}"
        );
    }

    #[test]
    fn detected_lists_name_both_sides_as_written() {
        assert_eq!(
            detected_lists(&["Alive", "Dead"]),
            Some((vec!["Dead".to_string()], vec!["Alive".to_string()]))
        );
        assert_eq!(
            detected_lists(&["1", "2"]),
            Some((vec!["2".to_string()], vec!["1".to_string()]))
        );
        assert_eq!(
            detected_lists(&["存活", "死亡"]),
            Some((vec!["死亡".to_string()], vec!["存活".to_string()]))
        );
        assert_eq!(detected_lists(&["0", "1", "2"]), None);
        assert_eq!(detected_lists(&["A", "B"]), None);
    }
}
