//! The script's `subgroups` and `adjusted.subgroups` ([`subgroups.R`](subgroups.R)):
//! the subgroup columns read as SurvLens reads them, the level models and the
//! interaction tests, on the data's rows and, with `propensity` and `adjusted`, on the
//! propensity model's rows with its weights.

use super::analyses::{strata_term, surv};
use super::{lit, lits, rnum, term};
use survlens_contract::mapping::CovariateKind;
use survlens_contract::spec::TiesName;
use survlens_contract::Spec;

/// The R functions (once, when the spec asks `subgroups`).
pub const FUNCTIONS: &str = include_str!("subgroups.R");

/// Whether the spec asks for the section (it needs a group).
pub fn asked(spec: &Spec) -> bool {
    spec.subgroups.is_some() && spec.group.is_some()
}

/// The subgroup columns' reading and `sg`, the section's settings, then `res$subgroups`.
pub fn section(spec: &Spec) -> String {
    let (Some(sg), Some(group)) = (&spec.subgroups, &spec.group) else {
        return String::new();
    };
    let mut s = String::from(
        "\n# ---- subgroups ---------------------------------------------------------------------\n",
    );
    let mut columns = Vec::new();
    for (i, c) in sg.columns.iter().enumerate() {
        let cov = spec.covariates.iter().find(|x| x.column == c.column);
        let kind = match (c.cut.is_some(), cov.and_then(|x| x.kind)) {
            (true, _) | (false, Some(CovariateKind::Numeric)) => "\"numeric\"",
            (false, Some(CovariateKind::Categorical)) => "\"categorical\"",
            (false, None) => "NA",
        };
        let reference = cov
            .and_then(|x| x.reference.as_deref())
            .map_or("NULL".to_string(), lit);
        let name = lit(&format!(".sg{i}"));
        s.push_str(&format!(
            "d[[{name}]] <- covariate(col({col})[used], {kind}, {reference})\n",
            col = lit(&c.column)
        ));
        let cut = c.cut.as_ref().map_or("NULL".to_string(), |v| {
            let xs: Vec<String> = v.iter().map(|x| rnum(*x)).collect();
            format!("c({})", xs.join(", "))
        });
        columns.push(format!(
            "list(name = {name}, column = {}, cut = {cut}, reference = {reference})",
            lit(&c.column)
        ));
    }
    let covs: Vec<String> = if sg.adjust {
        spec.covariates.iter().map(|x| x.column.clone()).collect()
    } else {
        Vec::new()
    };
    let cox = spec.cox.as_ref();
    let ties = match cox.map(|c| c.ties).unwrap_or_default() {
        TiesName::Efron => "efron",
        TiesName::Breslow => "breslow",
    };
    s.push_str(&format!(
        "sg <- list(gcol = {gcol}, gterm = {gterm}, levels_g = levels_g, surv = {surv}, strata = {strata},\n\
         \x20          ties = {ties}, robust = {robust}, covs = {covs},\n\
         \x20          columns = list({columns}))\n\
         res$subgroups <- subgroups_section(d, sg)\n",
        gcol = lit(&group.column),
        gterm = lit(&term(&group.column)),
        surv = lit(surv(spec.time.entry.is_some())),
        strata = lit(&strata_term(spec)),
        ties = lit(ties),
        robust = if cox.is_some_and(|c| c.robust) { "TRUE" } else { "FALSE" },
        covs = if covs.is_empty() { "character(0)".to_string() } else { lits(&covs) },
        columns = columns.join(",\n                       "),
    ));
    s
}

/// `res$adjusted$subgroups`: the section on the propensity rows with their weights
/// (after the confounding sections, which make `d_ps` and `ps$w`).
pub fn adjusted(spec: &Spec) -> String {
    if !(asked(spec) && spec.propensity.is_some() && spec.adjusted.is_some()) {
        return String::new();
    }
    let case = if spec.weights.is_some() {
        " * d_ps$.w"
    } else {
        ""
    };
    format!(
        "# the weighted population: the propensity rows, the full-cohort weights{note}\n\
         res$adjusted$subgroups <- subgroups_section(d_ps, sg, ps$w{case})\n",
        note = if case.is_empty() {
            ""
        } else {
            " times the case weights"
        },
    )
}
