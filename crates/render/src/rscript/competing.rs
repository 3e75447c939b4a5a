//! The script's competing-risks section (docs/results.md#competing_risks): the counts of
//! competing events, the Aalen–Johansen curves per group and cause
//! (`survfit(Surv(time, factor(cause, 0:2)) ~ g)`, `summary(fit, times)`), Gray's test
//! (`cmprsk::cuminc(...)$Tests`, with strata), the Fine–Gray model (`cmprsk::crr` on the
//! Cox design, continued by Newton steps to the maximum of the likelihood) and the
//! cause-specific Cox models (`coxph(Surv(time, cause == k) ~ ...)`). The R functions are
//! in [`competing.R`](competing.R); the ingest codes `d$cause` 0/1/2 from
//! `event.competing_values` ([`super::ingest`]).

use super::analyses::{cox_flags, model_terms, rhs, ties, CoxFlags};
use super::{lit, lits, rnum};
use survlens_contract::spec::{CompetingRisksSpec, KmSpec};
use survlens_contract::Spec;

/// The R functions (once, when the data have competing values).
pub const FUNCTIONS: &str = include_str!("competing.R");

/// The competing-risks spec, when the data have competing values to analyse (the section
/// of a spec with delayed entry is not reproduced: the header says so).
pub fn asked(spec: &Spec) -> Option<&CompetingRisksSpec> {
    super::ingest::competing_values(spec)?;
    spec.competing_risks
        .as_ref()
        .filter(|_| spec.time.entry.is_none())
}

/// Whether the script calls cmprsk (Gray's test or the Fine–Gray model, which case
/// weights leave out).
pub fn needs_cmprsk(spec: &Spec) -> bool {
    asked(spec).is_some_and(|cr| spec.weights.is_none() && (cr.gray || cr.fine_gray))
}

/// The counts of competing events (`data.n_competing`, `groups[].competing`): written
/// whenever the data have competing values.
pub fn counts(spec: &Spec) -> String {
    if super::ingest::competing_values(spec).is_none() {
        return String::new();
    }
    "res$data$n_competing <- sum(d$cause == 2)\n\
     for (k in seq_along(levels_g)) res$groups[[k]]$competing <- sum(d$cause[gv == levels_g[k]] == 2)\n"
        .to_string()
}

/// The curves' CI type and level (the spec's `km` ones; log 0.95 without `km`) and the
/// R vector of the times.
fn curve_options(spec: &Spec, cr: &CompetingRisksSpec) -> (String, String, String) {
    let (ct, cl) = spec.km.as_ref().map_or(("log", 0.95), |k: &KmSpec| {
        (k.conf_type.name(), k.conf_level)
    });
    let times: Vec<String> = cr.times.iter().map(|t| rnum(*t)).collect();
    (lit(ct), rnum(cl), format!("c({})", times.join(", ")))
}

/// The call filling `res$adjusted$cif`: the curves on the propensity model's rows with
/// the weights `w` (an R expression), robust variance.
pub fn adjusted_cif(spec: &Spec, w: &str) -> String {
    let Some(cr) = asked(spec) else {
        return String::new();
    };
    let (ct, cl, times) = curve_options(spec, cr);
    format!("res$adjusted$cif <- cif_curves(d_ps, g_ps, {ct}, {cl}, {times}, w = {w})\n")
}

/// The calls filling `res$competing_risks`.
pub fn section(spec: &Spec) -> String {
    let Some(cr) = asked(spec) else {
        return String::new();
    };
    let (ct, cl, times) = curve_options(spec, cr);
    let weights = if spec.weights.is_some() {
        ", w = d$.w"
    } else {
        ""
    };
    let mut s = String::from(FUNCTIONS);
    if needs_cmprsk(spec) {
        s.push_str(
            "if (!requireNamespace(\"cmprsk\", quietly = TRUE)) stop(\"Gray's test and the Fine-Gray model need the cmprsk package: install.packages(\\\"cmprsk\\\")\")\n",
        );
    }
    s.push_str(&format!(
        "\n# the curves: every row of the data (as Kaplan-Meier); no strata\n\
         res$competing_risks <- list(conf_type = {ct}, conf_level = {cl},\n\
         \x20 cif = cif_curves(d, gv, {ct}, {cl}, {times}{weights}))\n"
    ));
    if cr.gray {
        s.push_str(&gray(spec));
    }
    let (terms, covariates) = model_terms(spec);
    if cr.fine_gray || cr.cause_specific {
        s.push_str(&format!(
            "# the models' rows: the data's rows complete for the covariates (as the Cox model)\n\
             m_cr <- model_rows(d, {covs})\n\
             cr_names <- model_term_names(m_cr, {terms})\n\
             cr_missing <- missing_covariates(d, {covs})\n",
            covs = lits(&covariates),
            terms = lits(&terms),
        ));
    }
    if cr.fine_gray {
        s.push_str(&fine_gray(spec, &terms));
    }
    if cr.cause_specific && !terms.is_empty() {
        s.push_str(&cause_specific(spec, &terms));
    }
    s
}

/// Gray's test per cause, stratified by the spec's strata; `null` with one group or case
/// weights (cuminc has none).
fn gray(spec: &Spec) -> String {
    if spec.group.is_none() || spec.weights.is_some() {
        return "res$competing_risks[\"gray\"] <- list(NULL)  # no group, or case weights\n"
            .to_string();
    }
    let strata = if spec.strata.is_empty() {
        "character(0)".to_string()
    } else {
        lits(&spec.strata)
    };
    format!(
        "res$competing_risks[\"gray\"] <- list(if (length(levels_g) < 2) NULL else gray_tests(d, gv, {strata}))\n"
    )
}

/// The Fine–Gray model on the Cox design (group dummies, covariates); `null` with case
/// weights (crr has none) or without any term.
fn fine_gray(spec: &Spec, terms: &[String]) -> String {
    if spec.weights.is_some() || terms.is_empty() {
        return "res$competing_risks[\"fine_gray\"] <- list(NULL)  # case weights, or no term\n"
            .to_string();
    }
    format!(
        "X <- model.matrix(~ {rhs}, data = m_cr)[, -1, drop = FALSE]\n\
         res$competing_risks$fine_gray <- fine_gray(m_cr, X, cr_names, cr_missing)\n",
        rhs = rhs(terms)
    )
}

/// One Cox model per cause, the other cause censoring: ties, robust variance, weights and
/// cluster as the Cox model; no strata.
fn cause_specific(spec: &Spec, terms: &[String]) -> String {
    let c = spec.cox.clone().unwrap_or_default();
    let CoxFlags { extra, robust, .. } = cox_flags(spec, &c, false, None);
    format!(
        "res$competing_risks$cause_specific <- lapply(1:2, function(k) {{\n\
         \x20 fit <- coxph(Surv(time, cause == k) ~ {rhs}, data = m_cr, ties = {ties}, na.action = na.omit{extra})\n\
         \x20 cat(\"\\n## cause-specific Cox model,\", c(\"event of interest\", \"competing event\")[k], \"\\n\"); print(fit)\n\
         \x20 list(cause = c(\"event\", \"competing\")[k], n = fit$n, n_events = fit$nevent,\n\
         \x20      missing_covariates = cr_missing, terms = coxph_terms(fit, cr_names, {robust}))\n\
         }})\n",
        rhs = rhs(terms),
        ties = lit(ties(&c)),
        robust = if robust { "TRUE" } else { "FALSE" },
    )
}

#[cfg(test)]
mod tests {
    use super::super::{r_script, RScriptOptions};
    use survlens_contract::Spec;

    fn script(spec: &str) -> String {
        r_script(&Spec::from_json(spec).unwrap(), &RScriptOptions::default())
    }

    /// cr_mgus2's spec (tests/reference/cr_mgus2): status 0/1 detected, "2" competing.
    const MGUS2: &str = include_str!("../../../../tests/reference/cr_mgus2/spec.json");

    #[test]
    fn the_script_codes_the_status_0_1_2_and_holds_the_calls() {
        let s = script(MGUS2);
        for call in [
            "comp <- !is_miss(ev) & same_in(ev, c(\"2\"))",
            "status <- detect_event(ev, !is_miss(ev) & !comp)",
            "status <- ifelse(comp, 2L, as.integer(status))  # 0 censored, 1 event, 2 competing",
            "d <- data.frame(time = time[used], status = as.integer(status[used] == 1), cause = status[used])",
            "res$data$n_competing <- sum(d$cause == 2)",
            "survfit(Surv(time, factor(cause, 0:2)) ~ g",
            "summary(fk, times = inside)",
            "cif = cif_curves(d, gv, \"log\", 0.95, c(60.0, 120.0, 480.0)))",
            "cmprsk::cuminc(d$time, d$cause, g, cencode = 0)$Tests",
            "gray_tests(d, gv, character(0))",
            "m_cr <- model_rows(d, c(\"age\", \"hgb\"))",
            "X <- model.matrix(~ `sex` + `age` + `hgb`, data = m_cr)[, -1, drop = FALSE]",
            "cmprsk::crr(m$time, m$cause, cov1 = X, failcode = 1, cencode = 0, gtol = 1e-12, maxiter = 1000)",
            "b <- b + drop(fit$invinf %*% fit$score)",
            // ties and robust variance as the spec's cox
            "coxph(Surv(time, cause == k) ~ `sex` + `age` + `hgb`, data = m_cr, ties = \"efron\", na.action = na.omit, robust = TRUE)",
        ] {
            assert!(s.contains(call), "{call}");
        }
        assert!(s.contains("R's survival\n# and cmprsk packages"));
        assert!(s.contains("requireNamespace(\"cmprsk\""));
        // The cause-specific analyses keep d$status (0/1): Surv(time, status).
        assert!(s.contains("fit_cox <- coxph(Surv(time, status) ~ `sex` + `age` + `hgb`"));
    }

    #[test]
    fn strata_weights_and_propensity_weights_reach_their_calls() {
        let mut v: serde_json::Value = serde_json::from_str(MGUS2).unwrap();
        v["strata"] = serde_json::json!(["ptype"]);
        let s = script(&v.to_string());
        assert!(s.contains("gray_tests(d, gv, c(\"ptype\"))"));
        assert!(s.contains("strata = interaction(d[strata], drop = TRUE)"));
        // Case weights: weighted curves; no Gray, no Fine–Gray, no cmprsk.
        v["weights"] = serde_json::json!({"column": "w"});
        let s = script(&v.to_string());
        assert!(s.contains("cif_curves(d, gv, \"log\", 0.95, c(60.0, 120.0, 480.0), w = d$.w)"));
        assert!(s.contains("res$competing_risks[\"gray\"] <- list(NULL)"));
        assert!(s.contains("res$competing_risks[\"fine_gray\"] <- list(NULL)"));
        assert!(s.contains("weights = .w, robust = FALSE"));
        assert!(!s.contains("requireNamespace(\"cmprsk\""));
        assert!(s.contains("R's survival\n# package and base R only"));
        // Propensity weights: the weighted curves of adjusted.cif.
        let adjusted = include_str!("../../../../tests/reference/cr_adjusted/spec.json");
        let s = script(adjusted);
        assert!(s.contains(
            "res$adjusted$cif <- cif_curves(d_ps, g_ps, \"log-log\", 0.95, c(1825.0, 3650.0, 7300.0), w = ps$w)"
        ));
        assert!(s.contains("weights = w, robust = TRUE, conf.type = ct, conf.int = cl"));
    }

    #[test]
    fn without_competing_values_the_script_is_the_two_state_one() {
        let mut v: serde_json::Value = serde_json::from_str(MGUS2).unwrap();
        v.as_object_mut().unwrap().remove("competing_risks");
        v["event"] =
            serde_json::json!({"column": "status", "values": ["1"], "censored_values": ["0", "2"]});
        let s = script(&v.to_string());
        assert!(s.contains("d <- data.frame(time = time[used], status = as.integer(status[used]))"));
        for absent in ["comp <-", "cause", "cmprsk", "cif_curves"] {
            assert!(!s.contains(absent), "{absent}");
        }
        // Competing values without the section: the counts only.
        v["event"] = serde_json::json!({"column": "status", "competing_values": ["2"]});
        let s = script(&v.to_string());
        assert!(s.contains("res$data$n_competing <- sum(d$cause == 2)"));
        assert!(!s.contains("cif_curves"));
        // Delayed entry: the section is not reproduced, and the header says so.
        let mut v: serde_json::Value = serde_json::from_str(MGUS2).unwrap();
        v["time"] = serde_json::json!({"entry": "age", "column": "months"});
        let s = script(&v.to_string());
        assert!(s.contains("# Not reproduced by this script: competing_risks (delayed entry)"));
        assert!(!s.contains("cif_curves("));
    }
}
