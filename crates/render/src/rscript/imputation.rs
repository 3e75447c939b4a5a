//! The script's multiple imputation (spec `imputation`) with R's mice: the sets SurvLens
//! imputes are imputed again by `mice` with the same model (predictive mean matching,
//! logistic / multinomial regression; every other covariate, the group, the event
//! indicator and `nelsonaalen()` as predictors; m, iterations and seed of the spec), or
//! the file's stacked sets are read back into a `mids` object (`as.mids`); then the
//! Cox model and the RMST differences are fitted in every set (`with`) and pooled
//! (`pool`, `pool.scalar`).
//!
//! Imported sets reproduce SurvLens's pooled numbers exactly. Sets imputed by mice
//! cannot: R's random numbers are not SurvLens's, so the pooled numbers agree only
//! statistically (within their standard errors); the script says so. The pooled
//! weighted comparisons (`imputation.adjusted`) are not reproduced (the header says so).

use super::analyses::{model_terms, rhs, ties};
use super::{lit, lits, rnum};
use survlens_contract::Spec;

/// Whether the spec asks for multiple imputation.
pub fn asked(spec: &Spec) -> bool {
    spec.imputation.is_some()
}

/// The column numbering imported sets (`imputation.imputed`).
pub fn imported(spec: &Spec) -> Option<&str> {
    spec.imputation
        .as_ref()
        .and_then(|i| i.imputed.as_deref())
        .map(str::trim)
}

/// For imported sets, right after the file is read: every other section analyses the
/// original data (set 0), as SurvLens does; `raw_long` keeps every set.
pub fn keep_original_rows(spec: &Spec) -> String {
    let Some(column) = imported(spec) else {
        return String::new();
    };
    format!(
        "# imputation.imputed: the file stacks imputed sets (mice's long format, numbered by {c});\n\
         # the rows numbered 0 (the original data) are the data of every other section.\n\
         raw_long <- raw\n\
         imp_number <- suppressWarnings(as.numeric(trimws(raw_long[[{c}]])))\n\
         if (anyNA(imp_number)) stop(\"the column \", {c}, \" does not number every row's set\")\n\
         raw <- raw_long[imp_number == 0, , drop = FALSE]\n\
         n_rows <- nrow(raw)\n",
        c = lit(column)
    )
}

/// The section: build the `mids` object, fit, pool, into `res$imputation`.
pub fn section(spec: &Spec) -> String {
    let Some(imp) = &spec.imputation else {
        return String::new();
    };
    let (terms, covariates) = model_terms(spec);
    let mut s = String::from(include_str!("imputation.R"));
    // The data of the imputation: time, status, group, strata and the covariates.
    let mut keep = vec!["time".to_string(), "status".to_string()];
    keep.extend(spec.group.iter().map(|g| g.column.clone()));
    for c in spec.strata.iter().chain(&covariates) {
        if !keep.contains(c) {
            keep.push(c.clone());
        }
    }
    s.push_str(&format!(
        "covs <- {covs}\n\
         # The categorical covariates as factors with the reference of the complete-case Cox\n\
         # model (fixed over the sets, as SurvLens does), numeric ones as numbers.\n\
         cc_rows <- model_rows(d, covs)\n\
         as_model <- function(dd) {{\n\
         \x20 for (v in covs) if (is.factor(cc_rows[[v]])) dd[[v]] <- factor(dd[[v]], levels = levels(cc_rows[[v]]))\n\
         \x20 for (v in names(dd)) if (is.character(dd[[v]])) dd[[v]] <- factor(dd[[v]])  # strata\n\
         \x20 dd\n\
         }}\n\
         d_imp <- as_model(d[, {keep}, drop = FALSE])\n",
        covs = lits(&covariates),
        keep = lits(&keep),
    ));
    match imported(spec) {
        Some(_) => s.push_str(
            "# The file's sets: set k's rows are the original rows in the same order (mice's\n\
             # complete(imp, \"long\", include = TRUE)); only the covariates differ.\n\
             set_numbers <- setdiff(unique(imp_number), 0)\n\
             set_of <- function(k) {\n\
             \x20 r <- raw_long[imp_number == k, , drop = FALSE]\n\
             \x20 if (nrow(r) != n_rows) stop(\"imputed set \", k, \" has \", nrow(r), \" rows; the original data has \", n_rows)\n\
             \x20 dk <- d_imp\n\
             \x20 for (v in covs) {\n\
             \x20   x <- trimws(r[[v]])[used]; x[is_miss(x)] <- NA\n\
             \x20   dk[[v]] <- if (is.factor(d_imp[[v]])) factor(x, levels = levels(d_imp[[v]])) else if (is.numeric(d_imp[[v]])) num(x) else x\n\
             \x20 }\n\
             \x20 dk\n\
             }\n\
             long <- do.call(rbind, c(list(cbind(.imp = 0L, .id = seq_len(nrow(d_imp)), d_imp)),\n\
             \x20 lapply(seq_along(set_numbers), function(j) cbind(.imp = j, .id = seq_len(nrow(d_imp)), set_of(set_numbers[j])))))\n\
             imp <- as.mids(long)\n\
             imp_settings <- list(m = imp$m, iterations = NULL, seed = NULL)\n",
        ),
        None => {
            let m = imp.m_or_default();
            let it = imp.iterations_or_default();
            let seed = imp.seed_or_default();
            s.push_str(&format!(
                "# NOTE: R's random numbers are not SurvLens's: these sets are not SurvLens's sets, so the\n\
                 # pooled numbers below agree with SurvLens's report statistically (within their\n\
                 # standard errors), not digit for digit.\n\
                 # Predictors (White & Royston 2009): every other covariate, the group, the event\n\
                 # indicator and the Nelson-Aalen cumulative hazard H(t); time itself is not one.\n\
                 d_imp$H <- nelsonaalen(d_imp, time, status)\n\
                 pred <- make.predictorMatrix(d_imp)\n\
                 pred[, \"time\"] <- 0\n\
                 # pmm (numeric), logreg (two levels), polyreg (more levels): mice's defaults by type\n\
                 meth <- make.method(d_imp)\n\
                 imp <- mice(d_imp, m = {m}, maxit = {it}, seed = {seed}, method = meth, predictorMatrix = pred, printFlag = FALSE)\n\
                 imp_settings <- list(m = {m}, iterations = {it}, seed = {seed})\n"
            ));
        }
    }
    s.push_str("res$imputation <- list(m = imp$m, iterations = imp_settings$iterations, seed = imp_settings$seed)\n");
    if let Some(c) = &spec.cox {
        let robust = if c.robust { ", robust = TRUE" } else { "" };
        s.push_str(&format!(
            "# The Cox model in every set, pooled (mice: dfcom = events - coefficients)\n\
             fit_imp <- with(imp, coxph(Surv(time, status) ~ {rhs}, ties = {ties}{robust}))\n\
             res$imputation$cox <- list(terms = pooled_terms(fit_imp, model_term_names(complete(imp, 1), {terms})))\n",
            rhs = rhs(&terms),
            ties = lit(ties(c)),
            terms = lits(&terms),
        ));
    }
    if let (Some(r), Some(g)) = (&spec.rmst, &spec.group) {
        s.push_str(&format!(
            "# RMST differences in every set, pooled\n\
             res$imputation$rmst_difference <- pooled_rmst(lapply(seq_len(imp$m), function(k) complete(imp, k)), {g}, {tau})\n",
            g = lit(&g.column),
            tau = rnum(r.tau),
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::{r_script, RScriptOptions};
    use survlens_contract::Spec;

    #[test]
    fn imputes_with_mice_and_pools() {
        let spec = Spec::from_json(
            r#"{"time": {"column": "t"}, "event": {"column": "s"}, "group": {"column": "arm"},
                "covariates": [{"column": "age"}, {"column": "ecog"}], "cox": {}, "rmst": {"tau": 24},
                "imputation": {"m": 7, "iterations": 4, "seed": 11}}"#,
        )
        .unwrap();
        let s = r_script(&spec, &RScriptOptions::default());
        for part in [
            "library(mice)",
            "d_imp$H <- nelsonaalen(d_imp, time, status)",
            "pred[, \"time\"] <- 0",
            "imp <- mice(d_imp, m = 7, maxit = 4, seed = 11, method = meth, predictorMatrix = pred, printFlag = FALSE)",
            "fit_imp <- with(imp, coxph(Surv(time, status) ~ `arm` + `age` + `ecog`, ties = \"efron\"))",
            "p <- pool(fit); s <- summary(p, conf.int = TRUE)",
            "pool.scalar(q, u)",
            "agree with SurvLens's report statistically",
        ] {
            assert!(s.contains(part), "{part}");
        }
        assert!(!s.contains("as.mids"));
    }

    #[test]
    fn imported_sets_are_read_back_with_as_mids() {
        let spec = Spec::from_json(
            r#"{"time": {"column": "t"}, "event": {"column": "s"}, "group": {"column": "arm"},
                "covariates": [{"column": "age"}], "cox": {"robust": true},
                "imputation": {"imputed": ".imp"}}"#,
        )
        .unwrap();
        let s = r_script(&spec, &RScriptOptions::default());
        for part in [
            "raw <- raw_long[imp_number == 0, , drop = FALSE]",
            "imp <- as.mids(long)",
            "coxph(Surv(time, status) ~ `arm` + `age`, ties = \"efron\", robust = TRUE)",
        ] {
            assert!(s.contains(part), "{part}");
        }
        assert!(!s.contains("mice(d_imp"));
        // The original rows are chosen before the ingest reads any column.
        assert!(s.find("raw_long <- raw").unwrap() < s.find("tt <- col(").unwrap());
    }
}
