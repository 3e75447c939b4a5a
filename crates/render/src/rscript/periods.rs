//! The script's `cox.periods` section: the settings of the spec, then `periods.R`
//! (`survSplit` + `coxph(~ group:strata(tgroup) + covariates)`, the test against one
//! constant effect), on the Cox model's rows `m`.

use super::analyses::{model_terms, rhs, strata_term, ties};
use super::{lit, rnum};
use survlens_contract::spec::CoxSpec;
use survlens_contract::Spec;

/// The section, when the spec asks for `cox.periods` and has a group (empty otherwise).
pub(super) fn section(spec: &Spec, c: &CoxSpec) -> String {
    let (Some(cuts), Some(group)) = (&c.periods, &spec.group) else {
        return String::new();
    };
    let (_, covariates) = model_terms(spec);
    let mut rhs_terms = Vec::new();
    if !covariates.is_empty() {
        rhs_terms.push(rhs(&covariates));
    }
    let strata = strata_term(spec);
    if let Some(s) = strata.strip_prefix(" + ") {
        rhs_terms.push(s.to_string());
    }
    // The pieces of a patient form one cluster (unless the spec names a cluster).
    let robust = c.robust || spec.cluster.is_some();
    let mut args = Vec::new();
    if spec.weights.is_some() {
        args.push("weights = quote(.w)");
    }
    // explicit: coxph turns robust on by itself for non-integer weights
    args.push(if robust {
        "robust = TRUE"
    } else {
        "robust = FALSE"
    });
    if robust {
        args.push(if spec.cluster.is_some() {
            "cluster = quote(.cluster)"
        } else {
            "cluster = quote(.id)"
        });
    }
    let args = args.join(", ");
    let cuts: Vec<String> = cuts.iter().map(|x| rnum(*x)).collect();
    let mut s = format!(
        "\n# ---- hazard ratios by period (cox.periods): survSplit + group:strata(tgroup) -------\n\
         pd_cuts <- c({cuts}); pd_gcol <- {gcol}; pd_ties <- {ties}\n\
         pd_rhs <- {rhs}\n\
         pd_args <- list({args}); pd_robust <- {robust}\n",
        cuts = cuts.join(", "),
        gcol = lit(&group.column),
        ties = lit(ties(c)),
        rhs = if rhs_terms.is_empty() {
            "character(0)".to_string()
        } else {
            super::lits(&rhs_terms)
        },
        robust = if robust { "TRUE" } else { "FALSE" },
    );
    s.push_str(include_str!("periods.R"));
    s
}
