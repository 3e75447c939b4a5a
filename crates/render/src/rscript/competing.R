
# ---- competing risks: cumulative incidence, Gray's test, Fine-Gray (survival, cmprsk) --
# d$cause: 0 censored, 1 event of interest, 2 competing event (event.competing_values).

# Aalen-Johansen curves per group and cause: survfit(Surv(time, factor(cause, 0:2)) ~ g)
# (with weights the infinitesimal-jackknife variance, robust = TRUE); n_risk = n.risk[, 1]
# (still in the initial state: neither event yet).
cif_curves <- function(d, g, ct, cl, times, w = NULL) {
  dd <- data.frame(time = d$time, cause = d$cause, g = g)
  f <- if (nlevels(g) == 1) Surv(time, factor(cause, 0:2)) ~ 1 else Surv(time, factor(cause, 0:2)) ~ g
  fit <- if (is.null(w)) survfit(f, data = dd, conf.type = ct, conf.int = cl)
         else { dd$w <- w; survfit(f, data = dd, weights = w, robust = TRUE, conf.type = ct, conf.int = cl) }
  stopifnot(identical(fit$states, c("(s0)", "1", "2")))
  cat("\n## cumulative incidence (Aalen-Johansen)\n"); print(fit)
  out <- list()
  for (k in seq_along(levels(g))) {
    fk <- if (is.null(fit$strata)) fit else fit[k, ]
    for (cause in c("event", "competing")) {
      s <- if (cause == "event") 2 else 3
      out[[length(out) + 1]] <- list(group = levels(g)[k], cause = cause, time = arr(fk$time),
        n_risk = arr(fk$n.risk[, 1]), n_event = arr(fk$n.event[, s]), estimate = arr(fk$pstate[, s]),
        std_err = arr(nn(fk$std.err[, s])), lower = arr(nn(fk$lower[, s])),
        upper = arr(nn(fk$upper[, s])), at_times = cif_at_times(fk, s, times))
    }
  }
  out
}

# The curve of state s at `times` (summary_rows: times past the curve's last one).
cif_at_times <- function(fk, s, times) summary_rows(fk, times, "estimate", function(sm, j)
  list(time = sm$time[j], n_risk = sm$n.risk[j, 1], estimate = sm$pstate[j, s],
       std_err = nn(sm$std.err[j, s]), lower = nn(sm$lower[j, s]), upper = nn(sm$upper[j, s]),
       beyond_follow_up = FALSE))

# Gray's test per cause: cmprsk::cuminc(time, cause, group, strata, cencode = 0)$Tests;
# p = pchisq(stat, df, lower.tail = FALSE) (cuminc's 1 - pchisq loses digits).
gray_tests <- function(d, g, strata) {
  tt <- if (length(strata)) cmprsk::cuminc(d$time, d$cause, g, strata = interaction(d[strata], drop = TRUE), cencode = 0)$Tests
        else cmprsk::cuminc(d$time, d$cause, g, cencode = 0)$Tests
  cat("\n## Gray's test (cmprsk::cuminc)\n"); print(tt)
  causes <- c(event = "1", competing = "2")
  causes <- causes[causes %in% rownames(tt)]
  unname(lapply(names(causes), function(cause) {
    k <- causes[[cause]]
    list(cause = cause, chisq = tt[k, "stat"], df = tt[k, "df"],
         p = pchisq(tt[k, "stat"], tt[k, "df"], lower.tail = FALSE))
  }))
}

# The Fine-Gray model of the event of interest: cmprsk::crr on the Cox design X. crr's
# step-halving stops at the log-likelihood's rounding floor (|score| ~ 1e-6 on a few
# hundred events); plain Newton steps from there, b <- b + invinf %*% score read at b by
# crr(init = b, maxiter = 0), reach the maximum-likelihood solution (|score| < 1e-10).
# se = sqrt(diag(var)), crr's sandwich variance.
fine_gray <- function(m, X, names, missing) {
  fit <- cmprsk::crr(m$time, m$cause, cov1 = X, failcode = 1, cencode = 0, gtol = 1e-12, maxiter = 1000)
  b <- fit$coef; steps <- 0
  repeat {
    fit <- suppressWarnings(cmprsk::crr(m$time, m$cause, cov1 = X, failcode = 1, cencode = 0, init = b, maxiter = 0))
    if (max(abs(fit$score)) < 1e-10 || steps == 20) break
    b <- b + drop(fit$invinf %*% fit$score); steps <- steps + 1
  }
  cat("\n## Fine-Gray model (cmprsk::crr, then", steps, "Newton steps)\n"); print(summary(fit))
  list(cause = "event", n = nrow(m), n_events = sum(m$cause == 1),
       converged = max(abs(fit$score)) < 1e-9, missing_covariates = missing,
       terms = wald_terms(names, unname(fit$coef), sqrt(diag(fit$var))))
}
