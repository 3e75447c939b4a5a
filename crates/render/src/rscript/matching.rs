//! The script's `matching` section: each non-reference group matched to the reference
//! group with MatchIt ([`matching.R`](matching.R): `matchit(treat ~ covariates, method =
//! "nearest", distance = "glm", link = "linear.logit", caliper, std.caliper = TRUE,
//! ratio, replace, m.order)`; the documented pairs from MatchIt's general routine
//! `nn_matchC` on its linear score, with match.data's weights and subclasses), then the
//! matched analyses: survfit with the matching weights, `survdiff(… + strata(subclass))`,
//! `coxph(…, weights, robust = TRUE, cluster = subclass)`, RMST differences. The script
//! says that MatchIt 4.5.1's fast routine does not honour a caliper below 1.

use super::{lit, lits, rnum};
use survlens_contract::Spec;

/// The R functions (once, when matching is asked).
pub const FUNCTIONS: &str = include_str!("matching.R");

/// Whether the spec asks for matching (with a group to match on).
pub fn asked(spec: &Spec) -> bool {
    spec.matching.is_some() && spec.group.is_some()
}

/// The calls filling `res$matching`: one comparison per non-reference group.
pub fn section(spec: &Spec) -> String {
    let (Some(m), Some(group)) = (&spec.matching, &spec.group) else {
        return String::new();
    };
    let columns = m
        .covariates
        .clone()
        .unwrap_or_else(|| spec.covariates.iter().map(|c| c.column.clone()).collect());
    let mut s = String::from(
        "\n# ---- matching: every group against the reference group ---------------------------\n",
    );
    for c in columns
        .iter()
        .filter(|c| !spec.covariates.iter().any(|x| &x.column == *c))
    {
        s.push_str(&format!(
            "d[[{n}]] <- covariate(col({n})[used])\n",
            n = lit(c)
        ));
    }
    if spec.treatment_time.is_none() {
        s.push_str("d$.line <- which(used) + 1  # file line (header = 1)\n");
    }
    let (ct, cl, times) = match &spec.km {
        Some(k) => (k.conf_type.name(), k.conf_level, k.times.clone()),
        None => ("log", 0.95, vec![]),
    };
    let times: Vec<String> = times.iter().map(|t| rnum(*t)).collect();
    if m.caliper.is_some_and(|c| c < 1.0) {
        s.push_str(
            "# A caliper below 1: MatchIt 4.5.1's fast routine does not honour it, so a few pairs\n\
             # may differ from SurvLens's (see the note above matching_comparison).\n",
        );
    }
    s.push_str(&format!(
        "res$matching <- lapply(levels_g[-1], function(a) matching_comparison(d, {col}, a, levels_g[1],\n\
         \x20 {cols}, ratio = {ratio}, caliper = {caliper}, replace = {replace}, order = {order},\n\
         \x20 ct = {ct}, cl = {cl}, times = c({times}), tau = {tau}))\n",
        col = lit(&group.column),
        cols = lits(&columns),
        ratio = m.ratio,
        caliper = m.caliper.map_or("NULL".to_string(), rnum),
        replace = if m.replace { "TRUE" } else { "FALSE" },
        order = lit(m.order.name()),
        ct = lit(ct),
        cl = rnum(cl),
        times = times.join(", "),
        tau = spec.rmst.as_ref().map_or("NULL".to_string(), |r| rnum(r.tau)),
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_group_is_matched_to_the_reference_with_matchit() {
        let spec = Spec::from_json(
            r#"{"time": {"column": "t"}, "event": {"column": "e"},
                "group": {"column": "arm", "reference": "IM"},
                "covariates": [{"column": "age"}], "rmst": {"tau": 60},
                "km": {"conf_type": "log-log", "times": [12]},
                "matching": {"covariates": ["age", "ecog"], "ratio": 2, "caliper": 0.2,
                             "order": "smallest"}}"#,
        )
        .unwrap();
        assert!(asked(&spec));
        let s = section(&spec);
        for part in [
            "d[[\"ecog\"]] <- covariate(col(\"ecog\")[used])",
            "d$.line <- which(used) + 1",
            "res$matching <- lapply(levels_g[-1], function(a) matching_comparison(d, \"arm\", a, levels_g[1],",
            "c(\"age\", \"ecog\"), ratio = 2, caliper = 0.2, replace = FALSE, order = \"smallest\"",
            "ct = \"log-log\", cl = 0.95, times = c(12.0), tau = 60.0))",
            "does not honour it",
        ] {
            assert!(s.contains(part), "{part}\n{s}");
        }
        assert!(!s.contains("d[[\"age\"]] <- covariate"));
        for part in [
            "link = \"linear.logit\"",
            "std.caliper = TRUE",
            "MatchIt:::nn_matchC(",
            "md$subclass <- factor(subclass[w > 0])",
            "strata(subclass)",
            "robust = TRUE",
            "cluster = .pair",
            "does not honour a caliper below 1",
        ] {
            assert!(FUNCTIONS.contains(part), "{part}");
        }
        // No caliper: NULL, and no caliper note in the section.
        let spec = Spec::from_json(
            r#"{"time": {"column": "t"}, "event": {"column": "e"}, "group": {"column": "arm"},
                "covariates": [{"column": "age"}], "matching": {"replace": true}}"#,
        )
        .unwrap();
        let s = section(&spec);
        assert!(s.contains("caliper = NULL, replace = TRUE, order = \"largest\""));
        assert!(s.contains("tau = NULL"));
        assert!(!s.contains("does not honour"));
    }
}
