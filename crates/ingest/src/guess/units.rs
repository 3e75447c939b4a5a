//! The unit of a follow-up column: from its name, failing that from its values.
//!
//! Names: `月`, `months`, `_m`, `Monate` → months; `天`, `日`, `days`, `_d`, `Tage` →
//! days; `周`, `weeks`, `_w`, `Wochen` → weeks; `年` (not `年龄`, age), `years`, `_y`,
//! `Jahre` → years. A unit word must stand alone or end the name (`os_m`,
//! `time_days`, `生存时间_天`, `随访月数`), so `month_of_diagnosis` is not read as a
//! unit of its values by accident of a prefix.
//!
//! Values, when the name says nothing: a largest follow-up above 400 is read as days
//! (400 months is 33 years, beyond a cohort's follow-up), above 30 as months, else as
//! years. This is a guess — the caller says so in a note and lowers its confidence.

use super::names::words;
use crate::TimeUnit;

const DAYS: &[&str] = &["d", "day", "days", "tage", "tag", "dd"];
const WEEKS: &[&str] = &["w", "wk", "wks", "week", "weeks", "wochen"];
const MONTHS: &[&str] = &[
    "m", "mo", "mon", "mos", "month", "months", "monate", "monat", "mm",
];
const YEARS: &[&str] = &["y", "yr", "yrs", "year", "years", "jahre", "jahr"];

/// The unit a column name states, if any.
pub(crate) fn unit_from_name(name: &str) -> Option<TimeUnit> {
    let zh = name.replace("年龄", "");
    let tail: String = zh.chars().rev().take(3).collect();
    for (mark, unit) in [
        ('天', TimeUnit::Days),
        ('日', TimeUnit::Days),
        ('周', TimeUnit::Weeks),
        ('月', TimeUnit::Months),
        ('年', TimeUnit::Years),
    ] {
        // 月数, 生存时间_天, 随访时间（月）: the unit is near the end of the name.
        if tail.contains(mark) && !zh.contains("日期") {
            return Some(unit);
        }
    }
    let w = words(name);
    let last = w.last().map(String::as_str).unwrap_or("");
    let any_long = |list: &[&str]| {
        w.iter()
            .any(|x| list.iter().any(|u| u.len() >= 4 && x == u))
    };
    let pick = |list: &[&str]| list.contains(&last) || any_long(list);
    if pick(DAYS) {
        Some(TimeUnit::Days)
    } else if pick(WEEKS) {
        Some(TimeUnit::Weeks)
    } else if pick(MONTHS) {
        Some(TimeUnit::Months)
    } else if pick(YEARS) {
        Some(TimeUnit::Years)
    } else {
        glued_unit(&w)
    }
}

/// `futime_d`-like names are covered above; `osmonths`, `survdays`: a unit word at the
/// end of a longer word.
fn glued_unit(w: &[String]) -> Option<TimeUnit> {
    let last = w.last()?;
    [
        ("days", TimeUnit::Days),
        ("weeks", TimeUnit::Weeks),
        ("months", TimeUnit::Months),
        ("years", TimeUnit::Years),
    ]
    .into_iter()
    .find(|(u, _)| last.len() > u.len() && last.ends_with(u))
    .map(|(_, unit)| unit)
}

/// The unit suggested by the largest follow-up value (see the module comment).
pub(crate) fn unit_from_magnitude(max: f64) -> TimeUnit {
    if max > 400.0 {
        TimeUnit::Days
    } else if max > 30.0 {
        TimeUnit::Months
    } else {
        TimeUnit::Years
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_from_names() {
        assert_eq!(unit_from_name("生存时间_天"), Some(TimeUnit::Days));
        assert_eq!(unit_from_name("随访时间（月）"), Some(TimeUnit::Months));
        assert_eq!(unit_from_name("随访月数"), Some(TimeUnit::Months));
        assert_eq!(unit_from_name("生存年"), Some(TimeUnit::Years));
        assert_eq!(unit_from_name("年龄"), None);
        assert_eq!(unit_from_name("os_months"), Some(TimeUnit::Months));
        assert_eq!(unit_from_name("OS_m"), Some(TimeUnit::Months));
        assert_eq!(unit_from_name("futime_d"), Some(TimeUnit::Days));
        assert_eq!(unit_from_name("time_weeks"), Some(TimeUnit::Weeks));
        assert_eq!(unit_from_name("Survival (years)"), Some(TimeUnit::Years));
        assert_eq!(
            unit_from_name("Überlebenszeit_Monate"),
            Some(TimeUnit::Months)
        );
        assert_eq!(unit_from_name("Tage_bis_Tod"), Some(TimeUnit::Days));
        assert_eq!(unit_from_name("survdays"), Some(TimeUnit::Days));
        assert_eq!(unit_from_name("futime"), None);
        assert_eq!(unit_from_name("time"), None);
        assert_eq!(unit_from_name("诊断日期"), None);
    }

    #[test]
    fn units_from_magnitudes() {
        assert_eq!(unit_from_magnitude(4795.0), TimeUnit::Days);
        assert_eq!(unit_from_magnitude(98.6), TimeUnit::Months);
        assert_eq!(unit_from_magnitude(8.2), TimeUnit::Years);
    }
}
