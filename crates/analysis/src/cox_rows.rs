//! The rows of the Cox section's model: which rows are fitted (positive weight, at least
//! one event) and their columns put once in the order of the one sort
//! ([`survlens_stats::order::ModelRows`]), with the design in that order.

use super::cox_design::{design_checked, Design};
use super::spec::Spec;
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::Cohort;
use survlens_stats::cox::concordance::concordance_counting;
use survlens_stats::cox::{self, CoxData, CoxFit};
use survlens_stats::order::ModelRows;

/// The rows with a positive weight (`None`: every row), with a warning naming how many
/// were left out: coxph refuses zero weights, and those rows contribute nothing.
pub(crate) fn positive_weight_rows(
    cohort: &Cohort,
    warnings: &mut Vec<Warning>,
) -> Option<Vec<bool>> {
    let n = cohort.time.len();
    let keep: Option<Vec<bool>> = cohort
        .weight
        .as_ref()
        .filter(|w| w.len() < n || !w.iter().all(|v| *v > 0.0))
        .map(|w| (0..n).map(|i| w.get(i).is_some_and(|v| *v > 0.0)).collect());
    let left_out = keep
        .as_ref()
        .map_or(0, |k| k.iter().filter(|&&b| !b).count());
    if left_out > 0 {
        warnings.push(
            Warning::new(WarningCode::CoxZeroWeights,
                "Rows with weight 0 carry no information in the Cox model and were left out of it (as R's coxph requires).",
            )
            .with("rows", left_out),
        );
    }
    keep
}

/// Whether a kept row had the event; if none did, a `no_events` warning.
pub(crate) fn has_events(
    cohort: &Cohort,
    keep: Option<&[bool]>,
    warnings: &mut Vec<Warning>,
) -> bool {
    let kept = |i: usize| keep.is_none_or(|k| k[i]);
    let any = (0..cohort.time.len()).any(|i| kept(i) && cohort.event[i]);
    if !any {
        warnings.push(Warning::new(WarningCode::NoEvents,
            "No patient had the event, so the Cox model cannot be fitted; check the event column and its coding.",
        ));
    }
    any
}

/// The model's columns, each put once in the order of the section's one sort.
pub(crate) struct SortedRows {
    time: Vec<f64>,
    event: Vec<bool>,
    weight: Option<Vec<f64>>,
    /// Stratum codes (empty without strata: all 0 and unused).
    stratum: Vec<u32>,
    pub(crate) cluster: Option<Vec<u32>>,
    /// Delayed entry / split rows: the start of each (start, stop] row.
    pub(crate) entry: Option<Vec<f64>>,
}

impl SortedRows {
    /// The kept rows (`keep`; `None`: all) in (stratum, time) order, the deaths first
    /// within a tied time ([`survlens_stats::order::risk_order`], the order the Newton
    /// evaluations read fastest), so the fit, concordance and zph (whose own sort becomes
    /// the identity) read memory sequentially; the rows of a Cox model are exchangeable,
    /// the results do not depend on their order (up to rounding). With the design in
    /// that order and whether its values are all finite.
    pub(crate) fn new(
        cohort: &Cohort,
        spec: &Spec,
        keep: Option<Vec<bool>>,
    ) -> (Self, Design, bool) {
        let strata = !spec.strata.is_empty();
        let mut model = survlens_timing::stage("order", || {
            let stratum = strata.then_some(&cohort.stratum[..]);
            ModelRows::new(&cohort.time, &cohort.event, stratum, keep.as_deref())
        });
        drop(keep);
        let time = std::mem::take(&mut model.time);
        let rows = model.rows();
        let design_stage = survlens_timing::enter("design");
        let (design, x_finite) = design_checked(cohort, spec, rows);
        let event: Vec<bool> = rows.pick(&cohort.event);
        let weight: Option<Vec<f64>> = cohort.weight.as_ref().map(|w| rows.pick(w));
        let stratum: Vec<u32> = if strata {
            rows.pick(&cohort.stratum)
        } else {
            Vec::new()
        };
        let cluster: Option<Vec<u32>> = cohort.cluster.as_ref().map(|c| rows.pick(c));
        drop(design_stage);
        let entry: Option<Vec<f64>> = cohort.entry.as_ref().map(|e| rows.pick(e));
        let sorted = SortedRows {
            time,
            event,
            weight,
            stratum,
            cluster,
            entry,
        };
        (sorted, design, x_finite)
    }

    /// The strata codes, when the model has strata.
    fn strata(&self) -> Option<&[u32]> {
        (!self.stratum.is_empty()).then_some(&self.stratum[..])
    }

    /// The fitter's view of the rows and the design.
    pub(crate) fn data<'a>(&'a self, design: &'a Design) -> CoxData<'a> {
        CoxData {
            time: &self.time,
            event: &self.event,
            x: &design.x,
            p: design.names.len(),
            weight: self.weight.as_deref(),
            stratum: self.strata(),
            cluster: self.cluster.as_deref(),
        }
    }

    /// Harrell's C of the fit's linear predictors (counting-process form with entry).
    pub(crate) fn concordance(&self, fit: &CoxFit) -> cox::Concordance {
        let _stage = survlens_timing::enter("concordance");
        let (t, e, lp) = (&self.time[..], &self.event[..], &fit.linear_predictors[..]);
        let (w, s, c) = (
            self.weight.as_deref(),
            self.strata(),
            self.cluster.as_deref(),
        );
        match &self.entry {
            Some(start) => concordance_counting(start, t, e, lp, w, s, c),
            None => cox::concordance_in_order(&fit.order, t, e, lp, w, s, c),
        }
    }
}
