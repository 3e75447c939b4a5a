//! The script's analyses: survfit, survdiff, RMST, coxph, each filling `res`.

use super::{lit, lits, rnum, term};
use survlens_contract::spec::{
    AdjustName, CoxSpec, KmSpec, LogRankSpec, Pairwise, PhTransformName, Spec, TiesName,
};

/// The analyses the spec asks for, building `res` (docs/results.md keys).
pub fn analyses(spec: &Spec) -> String {
    let gcol = spec
        .group
        .as_ref()
        .map_or("NULL".to_string(), |g| lit(&g.column));
    let mut s = format!(
        "\n# ---- counts ----------------------------------------------------------------------\n\
         gv <- if (is.null({gcol})) factor(rep(\"all\", nrow(d)), levels = \"all\") else d[[{gcol}]]\n\
         tab <- table(factor(reason[!used], levels = c(\"other_group\", \"missing\", \"negative_time\", \"entry_not_before_exit\")))\n\
         res <- list(version = 1,\n\
         \x20           data = list(n_rows = n_rows, n_used = nrow(d), n_events = sum(d$status),\n\
         \x20                       excluded_by_reason = as.list(setNames(as.numeric(tab[tab > 0]), names(tab)[tab > 0]))),\n\
         \x20           groups = lapply(levels_g, function(l) list(label = l, n = sum(gv == l), events = sum(d$status[gv == l]))))\n\
         if (length(res$data$excluded_by_reason) == 0) res$data$excluded_by_reason <- setNames(list(), character(0))\n\
         print(res$data[c(\"n_rows\", \"n_used\", \"n_events\")])\n"
    );
    let entry = spec.time.entry.is_some();
    if spec.km.is_some() || (spec.rmst.is_some() && !entry) {
        s.push_str(&km(spec, spec.km.as_ref(), entry));
        if let Some(k) = &spec.km {
            s.push_str(&keep_km(k));
        }
    }
    if let Some(lr) = &spec.logrank {
        s.push_str(&logrank(spec, lr, entry));
    }
    if spec.rmst.is_some() && spec.group.is_some() && !entry {
        s.push_str(
            "\n# ---- RMST differences: each group minus the reference, 95% Wald CI -------------\n\
             rm <- setNames(lapply(curves, function(c) c$rmst), levels_g)\n\
             res$rmst_difference <- lapply(levels_g[-1], function(a) {\n\
             \x20 b <- levels_g[1]; est <- rm[[a]]$estimate - rm[[b]]$estimate; se <- sqrt(rm[[a]]$se^2 + rm[[b]]$se^2)\n\
             \x20 list(a = a, b = b, tau = rm[[a]]$tau, estimate = est, se = se, lower = est - qnorm(0.975) * se,\n\
             \x20      upper = est + qnorm(0.975) * se, p = 2 * pnorm(-abs(est / se)))\n\
             })\n",
        );
    }
    if let Some(c) = &spec.cox {
        s.push_str(&cox(spec, c, entry, None));
        s.push_str(&super::periods::section(spec, c));
    }
    s
}

/// Whether the analysed data frame has delayed entry ((entry, time] rows).
pub(super) fn surv(entry: bool) -> &'static str {
    if entry {
        "Surv(entry, time, status)"
    } else {
        "Surv(time, status)"
    }
}

/// The log-rank test (survdiff, or with entry the exact-ties score test) into `res$logrank`.
pub(super) fn logrank(spec: &Spec, lr: &LogRankSpec, entry: bool) -> String {
    let group = spec.group.as_ref().map(|g| g.column.clone());
    let rhs_group = group.as_deref().map_or("1".to_string(), term);
    let gcol = group.as_deref().map_or("NULL".to_string(), lit);
    let mut s = String::new();
    let strata = strata_term(spec);
    let pairwise = match lr.pairwise {
        Pairwise::None => "none",
        Pairwise::Reference => "reference",
        Pairwise::All => "all",
    };
    let adjust = match lr.adjust {
        AdjustName::None => "none",
        AdjustName::Holm => "holm",
        AdjustName::Bonferroni => "bonferroni",
        AdjustName::Bh => "BH",
    };
    let stat = if entry {
        format!(
            "# with delayed entry: the score test of coxph(Surv(entry, time, status) ~ group, ties = \"exact\")\n\
             survdiff_stat <- function(dd) score_logrank(dd, {gcol}, {})\n",
            strata_names(spec)
        )
    } else {
        format!(
            "survdiff_stat <- function(dd) {{\n\
             \x20 sd <- survdiff(Surv(time, status) ~ {rhs_group}{strata}, data = dd, rho = {rho})\n\
             \x20 O <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs\n\
             \x20 E <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp\n\
             \x20 df <- sum(E > 0) - 1\n\
             \x20 list(sd = sd, O = O, E = E, chisq = sd$chisq, df = df, p = pchisq(sd$chisq, df, lower.tail = FALSE))\n\
             }}\n",
            rho = rnum(lr.rho)
        )
    };
    s.push_str(&format!(
        "\n# ---- log-rank test (survdiff; O and E summed over strata) -------------------------\n\
         {stat}\
         lr <- survdiff_stat(d)\n\
         print(lr$sd)\n\
         pairs <- list()\n\
         if ({pw} == \"reference\") for (o in levels_g[-1]) pairs[[length(pairs) + 1]] <- c(o, levels_g[1])\n\
         if ({pw} == \"all\") for (bi in seq_along(levels_g)) for (ai in seq_along(levels_g)) if (ai > bi)\n\
         \x20 pairs[[length(pairs) + 1]] <- c(levels_g[ai], levels_g[bi])\n\
         pw <- lapply(pairs, function(ab) {{\n\
         \x20 sub <- d[as.character(d[[{gcol}]]) %in% ab, ]\n\
         \x20 sub[[{gcol}]] <- factor(as.character(sub[[{gcol}]]), levels = levels_g[levels_g %in% ab])\n\
         \x20 st <- survdiff_stat(sub)\n\
         \x20 list(a = ab[1], b = ab[2], chisq = st$chisq, p = st$p)\n\
         }})\n\
         p_adj <- p.adjust(vapply(pw, function(x) x$p, 0), method = {adj})\n\
         pw <- lapply(seq_along(pw), function(i) c(pw[[i]], list(p_adjusted = p_adj[i])))\n\
         res$logrank <- list(rho = {rho}, chisq = lr$chisq, df = lr$df, p = lr$p,\n\
         \x20 groups = lapply(seq_along(levels_g), function(k) list(label = levels_g[k], observed = unname(lr$O[k]), expected = unname(lr$E[k]))),\n\
         \x20 pairwise = pw)\n",
        rho = rnum(lr.rho),
        pw = lit(pairwise),
        adj = lit(adjust),
    ));
    s
}

fn strata_names(spec: &Spec) -> String {
    if spec.strata.is_empty() {
        "character(0)".to_string()
    } else {
        lits(&spec.strata)
    }
}

pub(super) fn strata_term(spec: &Spec) -> String {
    if spec.strata.is_empty() {
        String::new()
    } else {
        let terms: Vec<String> = spec.strata.iter().map(|x| term(x)).collect();
        format!(" + strata({})", terms.join(", "))
    }
}

/// `res$km` from the `curves` of [`km`].
pub(super) fn keep_km(k: &KmSpec) -> String {
    format!(
        "res$km <- list(conf_type = {}, conf_level = {}, curves = curves)\n",
        lit(k.conf_type.name()),
        rnum(k.conf_level)
    )
}

/// Kaplan–Meier curves per group (`fit`, `curves`) on `d`; with entry, Surv(entry, time,
/// status), no RMST, and `at_times.n_risk` = #{entry < t <= time} (weighted).
pub(super) fn km(spec: &Spec, k: Option<&KmSpec>, entry: bool) -> String {
    let rhs = spec
        .group
        .as_ref()
        .map_or("1".to_string(), |g| term(&g.column));
    let gcol = spec
        .group
        .as_ref()
        .map_or("NULL".to_string(), |g| lit(&g.column));
    // Non-integer weights switch survfit to the robust (IJ) variance unless told not to;
    // SurvLens's km is Greenwood with weighted counts (CONTRACT: robust only when asked).
    let weights = if spec.weights.is_some() {
        ", weights = .w, robust = FALSE"
    } else {
        ""
    };
    let (conf_type, level, times) = match k {
        Some(k) => (k.conf_type.name(), k.conf_level, k.times.clone()),
        None => ("log", 0.95, vec![]),
    };
    let times_r = if times.is_empty() {
        "numeric(0)".to_string()
    } else {
        format!(
            "c({})",
            times
                .iter()
                .map(|x| rnum(*x))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let rmst = match &spec.rmst {
        Some(r) if !entry => rnum(r.tau),
        _ => "NULL".to_string(),
    };
    format!(
        "\n# ---- Kaplan-Meier (survfit), medians, quantiles, survival at times, RMST ------------\n\
         fit <- survfit({surv} ~ {rhs}, data = d, conf.type = {ct}, conf.int = {level}{weights})\n\
         tau <- {rmst}\n\
         print(fit, rmean = if (is.null(tau)) \"none\" else tau)\n\
         times <- {times_r}\n\
         curves <- lapply(seq_along(levels_g), function(k) {{\n\
         \x20 fk <- if (is.null(fit$strata)) fit else fit[k]\n\
         \x20 tb <- summary(fk)$table\n\
         \x20 q <- quantile(fk, probs = c(0.25, 0.75))\n\
         \x20 cur <- list(group = levels_g[k], time = arr(fk$time), n_risk = arr(fk$n.risk), n_event = arr(fk$n.event),\n\
         \x20   n_censor = arr(fk$n.censor), surv = arr(fk$surv), std_err = arr(nn(fk$std.err * fk$surv)),\n\
         \x20   lower = arr(nn(fk$lower)), upper = arr(nn(fk$upper)),\n\
         \x20   median = list(estimate = nn(tb[[\"median\"]]), lower = nn(tb[[grep(\"LCL$\", names(tb))]]),\n\
         \x20                 upper = nn(tb[[grep(\"UCL$\", names(tb))]])),\n\
         \x20   quantiles = lapply(1:2, function(j) list(p = c(0.25, 0.75)[j], estimate = nn(q$quantile[j]),\n\
         \x20                                             lower = nn(q$lower[j]), upper = nn(q$upper[j]))))\n\
         \x20 # summary(fk, times) without extend; later times: beyond_follow_up\n\
         \x20 cur$at_times <- at_times_rows(fk, times, risk = if ({entry_r}) function(t)\n\
         \x20   n_at_risk(d, if (is.null({gcol})) rep(TRUE, nrow(d)) else d[[{gcol}]] == levels_g[k], t))\n\
         \x20 if (!is.null(tau)) {{\n\
         \x20   st <- summary(fk, rmean = tau)$table\n\
         \x20   cur$rmst <- list(tau = tau, estimate = st[[\"rmean\"]], se = st[[\"se(rmean)\"]])\n\
         \x20 }}\n\
         \x20 cur\n\
         }})\n",
        surv = surv(entry),
        entry_r = if entry { "TRUE" } else { "FALSE" },
        ct = lit(conf_type),
        level = rnum(level),
    )
}

/// The Cox model with options `c` on `d` into `res$cox`. With entry: Surv(entry, time,
/// status) and no PH test (SurvLens computes none for (start, stop] data). `cluster`:
/// the data frame column of the clusters when not the spec's cluster column (the
/// patient of a split row).
pub(super) fn cox(spec: &Spec, c: &CoxSpec, entry: bool, cluster: Option<&str>) -> String {
    let (terms, covariates) = model_terms(spec);
    let rhs = rhs(&terms);
    let ties = ties(c);
    let CoxFlags {
        extra,
        robust,
        cluster,
    } = cox_flags(spec, c, entry, cluster);
    let zph = match &c.ph_test {
        Some(ph) => {
            let tr = match ph.transform {
                PhTransformName::Km => "km",
                PhTransformName::Rank => "rank",
                PhTransformName::Identity => "identity",
            };
            format!(
                "# cox.zph (on (entry, time] rows too) stops (\"computationally singular\") when its test matrix is numerically singular\n\
                 zp <- tryCatch(cox.zph(fit_cox, transform = {}), error = function(e) {{\n\
                 \x20 message(\"cox.zph failed: \", conditionMessage(e)); NULL }})\n\
                 if (!is.null(zp)) {{\n\
                 \x20 print(zp)\n\
                 \x20 zt <- zp$table; k <- nrow(zt)\n\
                 \x20 res$cox$ph_test <- list(transform = {},\n\
                 \x20   terms = lapply(seq_len(k - 1), function(i) list(name = rownames(zt)[i], chisq = zt[i, \"chisq\"], df = zt[i, \"df\"], p = zt[i, \"p\"])),\n\
                 \x20   global = list(chisq = zt[k, \"chisq\"], df = zt[k, \"df\"], p = zt[k, \"p\"]))\n\
                 }}\n",
                lit(tr),
                lit(tr)
            )
        }
        None => String::new(),
    };
    format!(
        "\n# ---- Cox proportional hazards model (coxph), concordance, PH test -----------------\n\
         {rows}# the model's rows: the data's rows complete for its covariates (na.omit per model)\n\
         m <- model_rows(d, {covs})\n\
         fit_cox <- coxph({surv} ~ {rhs}{strata}, data = m, ties = {ties}, na.action = na.omit{extra})\n\
         print(summary(fit_cox))\n\
         b <- coef(fit_cox)\n\
         df_cox <- sum(!is.na(b))\n\
         cc <- concordance(fit_cox)\n\
         res$cox <- list(n = fit_cox$n, n_events = fit_cox$nevent, ties = {ties},\n\
         \x20 missing_covariates = missing_covariates(d, {covs}),\n\
         \x20 terms = coxph_terms(fit_cox, model_term_names(m, {terms}), {robust}),\n\
         \x20 loglik = list(null = fit_cox$loglik[1], fit = fit_cox$loglik[2]),\n\
         \x20 tests = list(lr = list(chisq = 2 * diff(fit_cox$loglik), df = df_cox, p = pchisq(2 * diff(fit_cox$loglik), df_cox, lower.tail = FALSE)),\n\
         \x20              wald = list(chisq = unname(fit_cox$wald.test), df = df_cox, p = pchisq(unname(fit_cox$wald.test), df_cox, lower.tail = FALSE)),\n\
         \x20              score = list(chisq = unname(fit_cox$score), df = df_cox, p = pchisq(unname(fit_cox$score), df_cox, lower.tail = FALSE))),\n\
         \x20 concordance = list(estimate = unname(cc$concordance), se = sqrt(unname(cc$var))))\n\
         {zph}",
        surv = surv(entry),
        rows = if cluster == Some(".row") {
            "d$.row <- seq_len(nrow(d))\n"
        } else {
            ""
        },
        strata = strata_term(spec),
        ties = lit(ties),
        terms = lits(&terms),
        covs = lits(&covariates),
        robust = if robust { "TRUE" } else { "FALSE" },
    )
}

/// The Cox design's columns (group, then covariates) and the covariates alone.
pub(super) fn model_terms(spec: &Spec) -> (Vec<String>, Vec<String>) {
    let covariates: Vec<String> = spec.covariates.iter().map(|x| x.column.clone()).collect();
    let mut terms: Vec<String> = spec.group.iter().map(|g| g.column.clone()).collect();
    terms.extend(covariates.iter().cloned());
    (terms, covariates)
}

/// A formula's right-hand side of these columns (`1` without any).
pub(super) fn rhs(terms: &[String]) -> String {
    let rhs: Vec<String> = terms.iter().map(|x| term(x)).collect();
    if rhs.is_empty() {
        "1".to_string()
    } else {
        rhs.join(" + ")
    }
}

/// coxph's `ties` argument.
pub(super) fn ties(c: &CoxSpec) -> &'static str {
    match c.ties {
        TiesName::Efron => "efron",
        TiesName::Breslow => "breslow",
    }
}

/// coxph's weights, robust and cluster arguments of a Cox model.
pub(super) struct CoxFlags<'a> {
    /// `, weights = .w, robust = ..., cluster = ...` as the model needs them.
    pub extra: String,
    /// The variance is the sandwich one.
    pub robust: bool,
    /// The data frame column of the clusters.
    pub cluster: Option<&'a str>,
}

/// The flags of a Cox model with options `c`; `cluster` as [`cox`].
pub(super) fn cox_flags<'a>(
    spec: &Spec,
    c: &CoxSpec,
    entry: bool,
    cluster: Option<&'a str>,
) -> CoxFlags<'a> {
    let cluster = match cluster {
        Some(col) => Some(col),
        None if spec.cluster.is_some() => Some(".cluster"),
        // coxph wants a cluster for a robust variance on (start, stop] rows: each row its own
        None if entry && c.robust => Some(".row"),
        None => None,
    };
    let mut extra = String::new();
    if spec.weights.is_some() {
        extra.push_str(", weights = .w");
    }
    if c.robust {
        extra.push_str(", robust = TRUE");
    } else if spec.weights.is_some() && cluster.is_none() {
        // coxph too turns robust on by itself for non-integer weights.
        extra.push_str(", robust = FALSE");
    }
    if let Some(col) = cluster {
        extra.push_str(&format!(", cluster = {col}"));
    }
    CoxFlags {
        extra,
        robust: c.robust || cluster.is_some(),
        cluster,
    }
}
