# m: the Cox model's rows (above). Follow-up split at pd_cuts; the group factor with
# the reference as its LAST level, so group:strata(tgroup) estimates 1{group = k,
# period = j} for the other levels (the reference's columns are NA).
pd_m <- m
pd_m$.t0 <- if (is.null(pd_m$entry)) 0 else pd_m$entry
pd_m$.id <- seq_len(nrow(pd_m))   # the patient of each piece (robust variance by patient)
pd_lv <- levels(droplevels(factor(pd_m[[pd_gcol]], levels = levels_g)))
pd_m$.g <- factor(as.character(pd_m[[pd_gcol]]), levels = c(pd_lv[-1], pd_lv[1]))
pd_s <- survSplit(Surv(.t0, time, status) ~ ., data = pd_m, cut = pd_cuts, episode = "tgroup")
pd_fit <- function(rhs) do.call(coxph, c(list(formula = as.formula(paste("Surv(.t0, time, status) ~", rhs)),
                                             data = quote(pd_s), ties = pd_ties), pd_args))
fit_pd <- pd_fit(paste(c(".g:strata(tgroup)", pd_rhs), collapse = " + "))
fit_pd1 <- pd_fit(paste(c(".g", pd_rhs), collapse = " + "))
print(summary(fit_pd))
pd_b <- coef(fit_pd)
pd_se <- sqrt(diag(if (pd_robust) fit_pd$naive.var else fit_pd$var))
pd_rse <- if (pd_robust) sqrt(diag(fit_pd$var)) else rep(NA, length(pd_b))
pd_se[is.na(pd_b)] <- NA; pd_rse[is.na(pd_b)] <- NA
# a period without any row (a cut after the last follow-up) has no tgroup: left out
pd_present <- sort(unique(pd_s$tgroup))
pd_col <- function(k, j) match(sprintf(".g%s:strata(tgroup)tgroup=%d", k, j), names(pd_b))
res$cox$periods <- lapply(pd_present, function(j) {
  i <- vapply(pd_lv[-1], pd_col, 0L, j = j)
  list(from = if (j == 1) 0 else pd_cuts[j - 1], to = if (j <= length(pd_cuts)) pd_cuts[j] else NA,
       terms = wald_terms(paste0(pd_gcol, "=", pd_lv[-1]), pd_b[i], pd_se[i], pd_rse[i], pd_robust))
})
if (!pd_robust) {
  # anova(fit_pd1, fit_pd): the likelihood-ratio test against one constant effect
  pd_df <- sum(!is.na(pd_b)) - sum(!is.na(coef(fit_pd1)))
  pd_chisq <- 2 * (fit_pd$loglik[2] - fit_pd1$loglik[2])
  res$cox$periods_test <- list(chisq = pd_chisq, df = pd_df,
    p = if (pd_df > 0) pchisq(pd_chisq, pd_df, lower.tail = FALSE) else NA, test = "lr")
} else {
  # anova refuses robust fits: the robust Wald test of b(k, j) - b(k, last estimated j)
  est <- which(!is.na(pd_b))
  C <- do.call(rbind, unlist(lapply(pd_lv[-1], function(k) {
    cols <- vapply(pd_present, function(j) pd_col(k, j), 0L)
    cols <- cols[!is.na(pd_b[cols])]; last <- cols[length(cols)]
    lapply(cols[-length(cols)], function(c) { r <- rep(0, length(est)); r[match(c, est)] <- 1; r[match(last, est)] <- -1; r })
  }), recursive = FALSE))
  if (is.null(C)) {
    res$cox$periods_test <- list(chisq = 0, df = 0, p = NA, test = "wald_robust")
  } else {
    dd <- C %*% pd_b[est]
    pd_chisq <- drop(t(dd) %*% solve(C %*% fit_pd$var[est, est] %*% t(C), dd))
    res$cox$periods_test <- list(chisq = pd_chisq, df = nrow(C),
      p = pchisq(pd_chisq, nrow(C), lower.tail = FALSE), test = "wald_robust")
  }
}
print(res$cox$periods_test)
