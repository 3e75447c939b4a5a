//! The script's `emulation` section: target-trial emulation by clone–censor–weight
//! ([`emulation.R`](emulation.R), base R + survival: the clones of every patient, the
//! artificial censoring of each arm modelled by `coxph(Surv(tstop, art) ~ covariates,
//! ties = "breslow")`, the weights 1 / Ŝc(tstop⁻ | x) from `basehaz(centered = FALSE)`,
//! or their product-limit form Π(1 − dΛ₀·exp(xβ)) with `censoring_survival:
//! "product_limit"` (a clone whose probability reaches 0 left out), `survSplit` at every
//! distinct death time, the weighted
//! `survfit(Surv(tstart, tstop, event) ~ arm, weights = w)`, the survival of both arms at
//! the times and the RMST difference). It runs inside the immortal-time sections, on
//! the rows whose treatment time fits; the bootstrap limits are not reproduced.

use super::{lit, lits, rnum};
use survlens_contract::Spec;

/// The R functions of the emulation.
pub const FUNCTIONS: &str = include_str!("emulation.R");

/// Whether the spec asks for the emulation (with the treatment time and group it needs).
pub fn asked(spec: &Spec) -> bool {
    spec.emulation.is_some() && spec.treatment_time.is_some() && spec.group.is_some()
}

/// The censoring models' covariate columns: the section's, else the spec's covariates.
fn columns(spec: &Spec) -> Vec<String> {
    spec.emulation
        .as_ref()
        .and_then(|e| e.covariates.clone())
        .unwrap_or_else(|| spec.covariates.iter().map(|c| c.column.clone()).collect())
}

/// The calls filling `res$emulation` (on `d`, the rows whose treatment time fits; `d_all`
/// every row, `misfit` the rows left out).
pub fn section(spec: &Spec) -> String {
    let (Some(e), true) = (&spec.emulation, asked(spec)) else {
        return String::new();
    };
    let cols = columns(spec);
    let mut s = String::from(FUNCTIONS);
    for c in cols
        .iter()
        .filter(|c| !spec.covariates.iter().any(|x| &x.column == *c))
    {
        s.push_str(&format!(
            "d_all[[{n}]] <- covariate(col({n})[used]); d[[{n}]] <- d_all[[{n}]][is.na(misfit)]\n",
            n = lit(c)
        ));
    }
    let times: Vec<String> = e.times.iter().map(|t| rnum(*t)).collect();
    s.push_str(&format!(
        "res$emulation <- emulation(d, gcol, levels_g[1], grace = {grace}, covs = {covs},\n\
         \x20 times = c({times}), tau = {tau}, censoring_survival = {form})\n",
        grace = rnum(e.grace),
        covs = if cols.is_empty() {
            "character(0)".to_string()
        } else {
            lits(&cols)
        },
        times = times.join(", "),
        tau = e.tau.map_or("NULL".to_string(), rnum),
        form = lit(e.censoring_survival.name()),
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_emulation_clones_censors_weights_and_splits() {
        let spec = Spec::from_json(
            r#"{"time": {"column": "t"}, "event": {"column": "e"},
                "group": {"column": "arm", "reference": "IM"},
                "treatment_time": {"column": "u"},
                "covariates": [{"column": "age"}],
                "emulation": {"grace": 6, "covariates": ["age", "ecog"], "times": [12, 60],
                              "tau": 120, "bootstrap": {"replicates": 50, "seed": 3}}}"#,
        )
        .unwrap();
        assert!(asked(&spec));
        let s = section(&spec);
        for part in [
            "d_all[[\"ecog\"]] <- covariate(col(\"ecog\")[used]); d[[\"ecog\"]] <- d_all[[\"ecog\"]][is.na(misfit)]",
            "res$emulation <- emulation(d, gcol, levels_g[1], grace = 6.0, covs = c(\"age\", \"ecog\"),",
            "times = c(12.0, 60.0), tau = 120.0, censoring_survival = \"exponential\")",
            "ties = \"breslow\"",
            "basehaz(fit, centered = FALSE)",
            "survSplit(Surv(tstop, event) ~ .",
            "survfit(Surv(tstart, tstop, event) ~ arm, data = sp, weights = w)",
        ] {
            assert!(s.contains(part), "{part}\n{s}");
        }
        assert!(!s.contains("d_all[[\"age\"]]"));
        // Without covariates anywhere, no tau: the models are ~ 1, no RMST.
        let spec = Spec::from_json(
            r#"{"time": {"column": "t"}, "event": {"column": "e"}, "group": {"column": "arm"},
                "treatment_time": {"column": "u"}, "emulation": {"grace": 3}}"#,
        )
        .unwrap();
        let s = section(&spec);
        assert!(s.contains("covs = character(0)"), "{s}");
        assert!(
            s.contains("tau = NULL, censoring_survival = \"exponential\")"),
            "{s}"
        );
        // The product-limit form is passed on.
        let spec = Spec::from_json(
            r#"{"time": {"column": "t"}, "event": {"column": "e"}, "group": {"column": "arm"},
                "treatment_time": {"column": "u"},
                "emulation": {"grace": 3, "censoring_survival": "product_limit"}}"#,
        )
        .unwrap();
        let s = section(&spec);
        assert!(s.contains("censoring_survival = \"product_limit\")"), "{s}");
        assert!(
            s.contains("1 - dH[bh$time < t[k]] * exp(lp[rows[k]])"),
            "{s}"
        );
        // No treatment time: nothing.
        let spec = Spec::from_json(
            r#"{"time": {"column": "t"}, "event": {"column": "e"}, "group": {"column": "arm"}}"#,
        )
        .unwrap();
        assert!(!asked(&spec));
        assert_eq!(section(&spec), "");
    }
}
