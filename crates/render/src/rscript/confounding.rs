//! The script's observational-comparison sections: the propensity model (base-R
//! Newton–Raphson, [`confounding.R`](confounding.R)), weights and balance, the weighted
//! Kaplan–Meier curves, RMST differences and Cox model, and the E-values. The
//! bootstrap is not reproduced (R's random numbers are not SurvLens's).

use super::{lit, lits, rnum};
use survlens_contract::spec::EstimandName;
use survlens_contract::Spec;

/// The R functions (once, when any of these sections is asked).
pub const FUNCTIONS: &str = include_str!("confounding.R");

/// Whether the spec asks for a section this module writes.
pub fn asked(spec: &Spec) -> bool {
    spec.group.is_some() && (spec.propensity.is_some() || sensitivity_reproduced(spec))
}

/// E-values are reproduced (their sources: the Cox, weighted Cox and time-dependent Cox
/// models).
pub fn sensitivity_reproduced(spec: &Spec) -> bool {
    spec.sensitivity.is_some()
}

/// The calls filling `res$propensity`, `res$adjusted` and `res$sensitivity`.
pub fn sections(spec: &Spec) -> String {
    let Some(group) = &spec.group else {
        return String::new();
    };
    let mut s = format!(
        "\n# ---- observational comparison: propensity weights, balance, weighted analyses ------\n\
         g <- d[[{}]]\n",
        lit(&group.column)
    );
    if let Some(ps) = &spec.propensity {
        let columns = ps
            .covariates
            .clone()
            .unwrap_or_else(|| spec.covariates.iter().map(|c| c.column.clone()).collect());
        for c in columns
            .iter()
            .filter(|c| !spec.covariates.iter().any(|x| &x.column == *c))
        {
            s.push_str(&format!(
                "d[[{n}]] <- covariate(col({n})[used])\n",
                n = lit(c)
            ));
        }
        let estimand = match ps.estimand {
            EstimandName::Ate => "ATE",
            EstimandName::Att => "ATT",
            EstimandName::Ato => "ATO",
        };
        s.push_str(&format!(
            "# the propensity model's rows: the data's rows complete for its covariates (the\n\
             # weighted analyses use them too)\n\
             d_ps <- model_rows(d, {cols}); g_ps <- d_ps[[{group}]]\n\
             ps <- propensity_section(d_ps, g_ps, {cols}, {est}, {stab}, {focal}, {trunc})\n\
             ps_rows <- list(n = nrow(d_ps), n_events = sum(d_ps$status), missing_covariates = missing_covariates(d, {cols}))\n\
             res$propensity <- c(ps_rows, ps$section)\n",
            group = lit(&group.column),
            cols = lits(&columns),
            est = lit(estimand),
            stab = if ps.stabilize { "TRUE" } else { "FALSE" },
            focal = ps.focal.as_deref().map_or("NULL".to_string(), lit),
            trunc = ps.truncate.map_or("NULL".to_string(), |[a, b]| format!(
                "c({}, {})",
                rnum(a),
                rnum(b)
            )),
        ));
        if spec.adjusted.is_some() {
            s.push_str(&adjusted(spec, &group.column));
        }
    }
    if sensitivity_reproduced(spec) {
        s.push_str(&sensitivity(spec, &group.column));
    }
    s
}

fn adjusted(spec: &Spec, column: &str) -> String {
    let (ct, cl, times) = match &spec.km {
        Some(k) => (k.conf_type.name(), k.conf_level, k.times.clone()),
        None => ("log", 0.95, vec![]),
    };
    let times: Vec<String> = times.iter().map(|t| rnum(*t)).collect();
    let case_weights = if spec.weights.is_some() {
        " * d_ps$.w"
    } else {
        ""
    };
    format!(
        "# weights: the propensity weights{note}\n\
         res$adjusted <- c(ps_rows, adjusted_section(d_ps, g_ps, ps$w{case_weights}, {col}, {ct}, {cl}, c({times}), {tau}{cluster}))\n",
        cluster = if spec.cluster.is_some() {
            ", cluster = d_ps$.cluster"
        } else {
            ""
        },
        note = if case_weights.is_empty() {
            ""
        } else {
            " times the case weights"
        },
        col = lit(column),
        ct = lit(ct),
        cl = rnum(cl),
        times = times.join(", "),
        tau = spec.rmst.as_ref().map_or("NULL".to_string(), |r| rnum(r.tau)),
    ) + &super::competing::adjusted_cif(spec, &format!("ps$w{case_weights}"))
}

fn sensitivity(spec: &Spec, column: &str) -> String {
    let rare = match spec.sensitivity.as_ref().and_then(|x| x.outcome_rare) {
        Some(true) => "TRUE".to_string(),
        Some(false) => "FALSE".to_string(),
        None => "sum(d$status) / nrow(d) < 0.15".to_string(),
    };
    let mut sources = Vec::new();
    if spec.cox.is_some() {
        sources.push("cox = res$cox$terms");
    }
    if spec.propensity.is_some() && spec.adjusted.is_some() {
        sources.push("\"adjusted.cox\" = res$adjusted$cox$terms");
    }
    if spec.treatment_time.is_some() && spec.time_dependent.is_some() {
        sources.push("\"time_dependent.cox\" = res$time_dependent$cox$terms");
    }
    format!(
        "# E-values of every group hazard ratio (the outcome is rare when events / n < 0.15)\n\
         res$sensitivity <- sensitivity_section({rare}, {col}, list({src}))\n\
         print(res$sensitivity$evalues)\n",
        col = lit(column),
        src = sources.join(", "),
    )
}
