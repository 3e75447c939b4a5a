
# ---- multiple imputation with mice, pooled by Rubin's rules ----------------------------
suppressPackageStartupMessages(library(mice))
# The pooled terms as SurvLens writes them: summary(pool(fit), conf.int = TRUE) (t
# distribution with Barnard-Rubin df; for coxph mice's dfcom = events - coefficients)
# and pool's Rubin quantities; `names` SurvLens's ("column=level").
pooled_terms <- function(fit, names) {
  p <- pool(fit); s <- summary(p, conf.int = TRUE); q <- p$pooled
  print(s)
  lapply(seq_len(nrow(s)), function(i) list(name = names[i], coef = s$estimate[i], se = s$std.error[i],
    hr = exp(s$estimate[i]), lower = exp(s[i, "2.5 %"]), upper = exp(s[i, "97.5 %"]), p = s$p.value[i],
    df = s$df[i], dfcom = q$dfcom[i], fmi = q$fmi[i], riv = q$riv[i], ubar = q$ubar[i], b = q$b[i], t = q$t[i]))
}
# Each group's RMST minus the reference's in every completed set (survfit, rmean = tau),
# pooled by pool.scalar with its default n = Inf (large-sample: dfcom infinite).
pooled_rmst <- function(sets, gcol, tau) {
  lev <- levels(sets[[1]][[gcol]])
  per <- lapply(sets, function(s) {
    tb <- summary(survfit(Surv(time, status) ~ s[[gcol]], data = s), rmean = tau)$table
    list(est = setNames(tb[, "rmean"], lev), se = setNames(tb[, "se(rmean)"], lev))
  })
  lapply(lev[-1], function(a) {
    b <- lev[1]
    q <- vapply(per, function(x) x$est[[a]] - x$est[[b]], 0)
    u <- vapply(per, function(x) x$se[[a]]^2 + x$se[[b]]^2, 0)
    r <- pool.scalar(q, u)
    se <- sqrt(r$t); h <- qt(0.975, r$df)
    list(a = a, b = b, tau = tau, estimate = r$qbar, se = se, lower = r$qbar - h * se, upper = r$qbar + h * se,
         p = 2 * pt(-abs(r$qbar / se), r$df), df = r$df, dfcom = NULL, fmi = r$fmi, riv = r$r)
  })
}
