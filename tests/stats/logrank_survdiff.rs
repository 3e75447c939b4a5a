//! survdiff against R (survival 3.5-3): values in logrank_data/r_reference.rs, each with
//! its R call; regenerate with `Rscript tests/logrank_data/make_reference.R`.

use crate::logrank_data;

use logrank_data::r_reference::*;
use logrank_data::{assert_all_close, assert_close, ABS_P, ABS_STAT, REL_P, REL_STAT};
use survlens::stats::logrank::{survdiff, LogRankTest};

fn run(c: &Case) -> LogRankTest {
    survdiff(
        c.time, c.event, c.group, c.n_groups, c.stratum, c.n_strata, c.rho,
    )
}

#[track_caller]
fn check(c: &Case) {
    let r = run(c);
    assert_all_close("observed", &r.observed, c.observed, REL_STAT, ABS_STAT);
    assert_all_close("expected", &r.expected, c.expected, REL_STAT, ABS_STAT);
    assert_all_close("variance", &r.variance, c.variance, REL_STAT, ABS_STAT);
    assert_close("chisq", r.chisq, c.chisq, REL_STAT, ABS_STAT);
    assert_eq!(r.df, c.df, "df");
    assert_close("p", r.p, c.p, REL_P, ABS_P);
    assert!(!r.singular);
}

#[test]
fn ovarian_rho_0() {
    check(&OVARIAN_RHO_0);
}

#[test]
fn ovarian_rho_0_5() {
    check(&OVARIAN_RHO_0_5);
}

#[test]
fn ovarian_rho_1() {
    check(&OVARIAN_RHO_1);
}

#[test]
fn ovarian_stratified_by_ecog() {
    check(&OVARIAN_STRATA_ECOG);
}

#[test]
fn veteran_four_celltypes() {
    check(&VETERAN_CELLTYPE);
}

#[test]
fn veteran_celltype_stratified_rho_1() {
    check(&VETERAN_CELLTYPE_STRATA_TRT_RHO_1);
}

#[test]
fn lung_sex_many_ties() {
    check(&LUNG_SEX);
}

#[test]
fn lung_three_ecog_groups_stratified_rho_half() {
    check(&LUNG_ECOG3_STRATA_SEX_RHO_0_5);
}

#[test]
fn ties_and_a_group_without_events() {
    check(&TIES_GROUP_NO_EVENTS);
    check(&TIES_GROUP_NO_EVENTS_RHO_1);
    let r = run(&TIES_GROUP_NO_EVENTS);
    assert_eq!(r.observed[1], 0.0);
    assert!(r.expected[1] > 0.0);
}

#[test]
fn group_with_zero_expected_is_dropped_from_the_test() {
    check(&GROUP_WITH_ZERO_EXPECTED);
    assert_eq!(run(&GROUP_WITH_ZERO_EXPECTED).df, 1);
}

/// Closed form: two rows at t = 1, one death in group 0, n = 2, d = 1: E = (0.5, 0.5), V = d(n−d)/(n(n−1))·n_g(δ − n_h/n)
/// = 1·1/2 · [[1/2, −1/2], [−1/2, 1/2]]; χ² = (0.5)²/0.25 = 1.
#[test]
fn hand_calculation_single_death() {
    let r = survdiff(&[1.0, 1.0], &[true, false], &[0, 1], 2, &[0, 0], 1, 0.0);
    assert_eq!(r.observed, vec![1.0, 0.0]);
    assert_eq!(r.expected, vec![0.5, 0.5]);
    assert_eq!(r.variance, vec![0.25, -0.25, -0.25, 0.25]);
    assert_eq!(r.chisq, 1.0);
    assert_eq!(r.df, 1);
}

/// R: `survdiff(Surv(c(1,2,3,4,5,6), c(0,0,1,1,0,1)) ~ c(1,1,2,2,2,2))` — group 1 is
/// censored before any death: E = (0, 3), V = 0, chisq 0 on 0 df, and R prints p = 1
/// (`pchisq(0, 0, lower.tail = FALSE)` is 1).
#[test]
fn fewer_than_two_groups_with_expected_gives_chisq_0_df_0_p_1() {
    let r = survdiff(
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        &[false, false, true, true, false, true],
        &[0, 0, 1, 1, 1, 1],
        2,
        &[0; 6],
        1,
        0.0,
    );
    assert_eq!(r.observed, vec![0.0, 3.0]);
    assert_eq!(r.expected, vec![0.0, 3.0]);
    assert_eq!(r.variance, vec![0.0; 4]);
    assert_eq!((r.chisq, r.df, r.p, r.singular), (0.0, 0, 1.0, false));
}

/// R: `survdiff(Surv(c(1,1), c(1,1)) ~ c(1,2))` stops with
/// "Lapack routine dgesv: system is exactly singular: U[1,1] = 0" (V = 0 because
/// everyone at risk dies). SurvLens returns the counts and a NaN statistic, flagged.
#[test]
fn singular_variance_is_flagged_not_panicking() {
    let r = survdiff(&[1.0, 1.0], &[true, true], &[0, 1], 2, &[0, 0], 1, 0.0);
    assert_eq!(r.expected, vec![1.0, 1.0]);
    assert!(r.singular);
    assert!(r.chisq.is_nan() && r.p.is_nan());
    assert_eq!(r.df, 1);
}

#[test]
fn empty_and_single_group_inputs_do_not_panic() {
    let r = survdiff(&[], &[], &[], 2, &[], 1, 0.0);
    assert_eq!((r.chisq, r.df, r.p), (0.0, 0, 1.0));
    let r = survdiff(&[], &[], &[], 0, &[], 0, 0.5);
    assert!(r.observed.is_empty() && r.variance.is_empty());
    let r = survdiff(
        &[1.0, 2.0, 3.0],
        &[true, false, true],
        &[0, 0, 0],
        1,
        &[0; 3],
        1,
        1.0,
    );
    // rho = 1: the death at t = 3 has weight S(3−) = 2/3.
    assert!((r.observed[0] - 5.0 / 3.0).abs() < 1e-15);
    assert_eq!((r.chisq, r.df, r.p), (0.0, 0, 1.0));
    // Out-of-range group / stratum codes and ragged slices are ignored, not a panic.
    let r = survdiff(
        &[1.0, 2.0, 3.0],
        &[true, true, true],
        &[0, 7, 1],
        2,
        &[0, 0],
        1,
        0.0,
    );
    assert_eq!(r.observed, vec![1.0, 0.0]);
}

/// Strata interleaved in time order give the same answer as strata given in blocks
/// (R sorts by stratum then time; SurvLens takes global time order).
#[test]
fn interleaved_strata_match_blocked_strata() {
    let c = &OVARIAN_STRATA_ECOG;
    let r = run(c);
    // ovarian's two ecog strata interleave in time order; renumber them in reverse so
    // the stratum order changes too.
    let t: Vec<f64> = c.time.to_vec();
    let s: Vec<u32> = c.stratum.iter().map(|&s| 1 - s).collect();
    let r2 = survdiff(&t, c.event, c.group, 2, &s, 2, 0.0);
    assert_all_close("obs", &r2.observed, &r.observed, 1e-14, 1e-14);
    assert_all_close("var", &r2.variance, &r.variance, 1e-14, 1e-14);
    assert_close("chisq", r2.chisq, r.chisq, 1e-13, 1e-14);
}
