//! Rows whose treatment time does not fit them (see `ingest::treatment`): the results'
//! `treatment_time` block, the warning `treatment_time_rows_left_out`, and the cohort
//! the immortal-time sections run on (every other section keeps these rows).

use super::data;
use std::borrow::Cow;
use std::collections::BTreeMap;
pub use survlens_contract::immortal::{MisfitEntry, TreatmentTimeSection};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::treatment::{Misfit, TreatmentTimes};
use survlens_ingest::Cohort;

/// Lines listed in the warning's context and message (all are in the results block).
const LINES_SHOWN: usize = 10;

/// The results block of `times`.
pub fn section(times: &TreatmentTimes) -> TreatmentTimeSection {
    let mut by_reason = BTreeMap::new();
    for m in &times.misfits {
        *by_reason.entry(m.reason.code().to_string()).or_insert(0) += 1;
    }
    TreatmentTimeSection {
        excluded: times
            .misfits
            .iter()
            .map(|m| MisfitEntry {
                line: m.line,
                reason: m.reason.code(),
            })
            .collect(),
        excluded_by_reason: by_reason,
    }
}

/// One warning when rows were left out: context `n`, `column`, the count of every
/// reason (zeros too, so both languages' templates can always be filled) and up to
/// ten `lines`.
pub fn warning(times: &TreatmentTimes, column: &str) -> Option<Warning> {
    if times.misfits.is_empty() {
        return None;
    }
    let count = |r: Misfit| times.misfits.iter().filter(|m| m.reason == r).count();
    let [missing, in_reference, out_of_range] = Misfit::ALL.map(count);
    let lines: Vec<u64> = times
        .misfits
        .iter()
        .take(LINES_SHOWN)
        .map(|m| m.line)
        .collect();
    let line_list = lines
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let more = if times.misfits.len() > LINES_SHOWN {
        ", …"
    } else {
        ""
    };
    let n = times.misfits.len();
    let mut w = Warning::new(WarningCode::TreatmentTimeRowsLeftOut,
        format!(
            "{n} row(s) were left out of the immortal-time analyses (landmark, time-dependent, emulation) because their \
             treatment time in \"{column}\" does not fit: {missing} of a treated group without a treatment time, \
             {in_reference} of the reference group with one, {out_of_range} with a time before time zero or not \
             before the end of follow-up (lines {line_list}{more}). Every other analysis keeps these rows. Correct \
             the treatment time or the group on those lines to bring them back."
        ),
    )
    .with("n", n)
    .with("column", column)
    .with("lines", lines);
    for (r, k) in Misfit::ALL
        .iter()
        .zip([missing, in_reference, out_of_range])
    {
        w = w.with(r.code(), k);
    }
    Some(w)
}

/// The cohort and treatment times of the immortal-time sections: `cohort` without the
/// misfit rows (itself, borrowed, when every row fits).
pub fn fitting<'c>(
    cohort: &'c Cohort,
    times: &TreatmentTimes,
) -> (Cow<'c, Cohort>, Vec<Option<f64>>) {
    if times.misfits.is_empty() {
        return (Cow::Borrowed(cohort), times.u.clone());
    }
    let mut out = times.misfits.iter().map(|m| m.row).peekable();
    let rows: Vec<usize> = (0..cohort.time.len())
        .filter(|&i| {
            if out.peek() == Some(&i) {
                out.next();
                false
            } else {
                true
            }
        })
        .collect();
    let u = rows
        .iter()
        .map(|&i| times.u.get(i).copied().flatten())
        .collect();
    (Cow::Owned(data::subset(cohort, &rows)), u)
}

#[cfg(test)]
mod tests {
    use super::*;
    use survlens_ingest::treatment::{misfit, MisfitRow};

    /// The three rules of the module doc, row by row (u, treated, follow-up).
    #[test]
    fn each_rule_gives_its_reason() {
        let cases = [
            (None, true, 5.0, Some(Misfit::MissingTreatmentTime)),
            (None, false, 5.0, None),
            (
                Some(1.0),
                false,
                5.0,
                Some(Misfit::TreatmentTimeInReference),
            ),
            (
                Some(0.0),
                false,
                5.0,
                Some(Misfit::TreatmentTimeInReference),
            ),
            (Some(-0.5), true, 5.0, Some(Misfit::TreatmentTimeOutOfRange)),
            (Some(5.0), true, 5.0, Some(Misfit::TreatmentTimeOutOfRange)),
            (Some(7.0), true, 5.0, Some(Misfit::TreatmentTimeOutOfRange)),
            (Some(0.0), true, 5.0, None),
            (Some(4.999), true, 5.0, None),
        ];
        for (u, treated, t, want) in cases {
            assert_eq!(
                misfit(u, treated, t),
                want,
                "u {u:?} treated {treated} t {t}"
            );
        }
    }

    #[test]
    fn block_and_warning_count_by_reason() {
        let row = |row, line, reason| MisfitRow { row, line, reason };
        let times = TreatmentTimes {
            u: vec![None, None, Some(1.0), None],
            misfits: vec![
                row(0, 2, Misfit::MissingTreatmentTime),
                row(1, 3, Misfit::TreatmentTimeOutOfRange),
                row(3, 5, Misfit::MissingTreatmentTime),
            ],
        };
        let s = section(&times);
        assert_eq!(s.excluded.len(), 3);
        assert_eq!(s.excluded[1].line, 3);
        assert_eq!(s.excluded[1].reason, "treatment_time_out_of_range");
        assert_eq!(s.excluded_by_reason.get("missing_treatment_time"), Some(&2));
        assert_eq!(
            s.excluded_by_reason.get("treatment_time_in_reference"),
            None
        );
        let w = warning(&times, "u").expect("a warning");
        assert_eq!(w.code, "treatment_time_rows_left_out");
        assert_eq!(w.context["n"], 3);
        assert_eq!(w.context["missing_treatment_time"], 2);
        assert_eq!(w.context["treatment_time_in_reference"], 0);
        assert_eq!(w.context["treatment_time_out_of_range"], 1);
        assert_eq!(w.context["lines"], serde_json::json!([2, 3, 5]));
        assert!(w.message.contains("lines 2, 3, 5"), "{}", w.message);
        assert!(warning(&TreatmentTimes::fitting(vec![None]), "u").is_none());
    }
}
