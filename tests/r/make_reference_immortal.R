# Writes tests/reference/immortal_<name>/{data.csv, spec.json, expected.json}:
#   Rscript tests/r/make_reference_immortal.R        (from the repository root)
# R 4.2.2, survival 3.5-3. expected.json is a PARTIAL contract results document with R's
# numbers at 17 significant digits; keys starting with r_ are metadata (ignored).
#
# Cases: counting-process (start, stop] data (delayed entry; tmerge / survSplit splits),
# landmark analyses done by hand, the time-dependent transplant analysis of the Stanford
# heart-transplant data (survival::heart, made with tmerge by the package authors).
#
# at_times.n_risk: docs/methods.md#delayed-entry asks #{entry < t <= exit}; summary.survfit reports the risk
# set at the next stop time >= t instead (docs/methods.md), so the expected value is
# computed by hand: sum(w[start < t & t <= stop]). S, std_err and limits come from
# summary(fit, times = t, extend = TRUE) at the times up to the curve's last time; a later
# time is {n_risk 0, null values, beyond_follow_up true} (summary without extend omits it).
# Log-rank with entry: the score test of coxph(Surv(entry, exit, event) ~ group,
# ties = "exact") (survdiff refuses such data); observed/expected by hand (sum of d n_g/n).
source(file.path("tests", "r", "common.R"))   # survival check, to_json, f17
write_case <- function(name, d, spec, expected, prefix = "immortal_") {
  dir <- file.path("tests/reference", paste0(prefix, name))
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  csv <- d
  for (k in names(csv)) if (is.numeric(csv[[k]])) csv[[k]] <- f17(csv[[k]])
  write.csv(csv, file.path(dir, "data.csv"), row.names = FALSE, quote = TRUE, na = "")
  writeLines(to_json(spec), file.path(dir, "spec.json"))
  expected$r_version <- R.version.string
  expected$r_survival <- as.character(packageVersion("survival"))
  writeLines(to_json(expected), file.path(dir, "expected.json"))
  message("wrote ", dir)
}

# ---- KM curves of a survfit on (start, stop] (or right-censored) data ----------------
# fit: survfit(..., conf.type = ct); start/stop/w/grp: the rows, to count n_risk at times.
km_json <- function(fit, labels, times = numeric(0), start = NULL, stop = NULL, w = NULL, grp = NULL) {
  nst <- if (is.null(fit$strata)) 1 else length(fit$strata)
  curves <- lapply(seq_len(nst), function(s) {
    f <- if (nst == 1) fit else fit[s]
    S <- f$surv
    se_s <- f$std.err * S               # summary's std.err (logse = TRUE)
    se_s[S == 0] <- NA
    cur <- list(group = labels[s], time = I(f$time), n_risk = I(f$n.risk), n_event = I(f$n.event),
                n_censor = I(f$n.censor), surv = I(S), std_err = I(se_s),
                lower = I(ifelse(S == 0, NA, f$lower)), upper = I(ifelse(S == 0, NA, f$upper)))
    if (length(times)) {
      sm <- summary(f, times = times, extend = TRUE)
      cur$at_times <- lapply(seq_along(times), function(i) {
        t <- times[i]
        # Past the curve's last time summary(fit, times) (no extend) reports nothing.
        if (t > max(f$time))
          return(list(time = t, n_risk = 0, surv = NA, std_err = NA, lower = NA, upper = NA,
                      beyond_follow_up = TRUE))
        nr <- if (is.null(start)) sm$n.risk[i] else {
          keep <- grp == labels[s]; sum(w[keep][start[keep] < t & t <= stop[keep]]) }
        list(time = t, n_risk = nr, surv = sm$surv[i],
             std_err = if (sm$surv[i] == 0) NA else sm$std.err[i], lower = sm$lower[i], upper = sm$upper[i],
             beyond_follow_up = FALSE)
      })
    }
    cur
  })
  curves
}

cox_json <- function(fit, tnames, conc = TRUE) {
  beta <- coef(fit)
  naive <- if (is.null(fit$naive.var)) fit$var else fit$naive.var
  se <- sqrt(diag(naive))
  rse <- if (!is.null(fit$naive.var)) sqrt(diag(fit$var)) else rep(NA, length(beta))
  used <- if (!is.null(fit$naive.var)) rse else se
  q <- qnorm(0.975)
  terms <- lapply(seq_along(beta), function(j) list(
    name = tnames[j], coef = unname(beta[j]), se = unname(se[j]), robust_se = unname(rse[j]),
    hr = exp(unname(beta[j])), lower = exp(unname(beta[j] - q * used[j])), upper = exp(unname(beta[j] + q * used[j])),
    z = unname(beta[j] / used[j]), p = pchisq(unname((beta[j] / used[j])^2), 1, lower.tail = FALSE)))
  df <- sum(!is.na(beta))
  tst <- function(x) list(chisq = unname(x), df = df, p = pchisq(unname(x), df, lower.tail = FALSE))
  out <- list(n = fit$n, n_events = fit$nevent, terms = terms,
              loglik = list(null = fit$loglik[1], fit = fit$loglik[2]),
              tests = list(lr = tst(2 * diff(fit$loglik)), wald = tst(fit$wald.test), score = tst(fit$score)),
              r_call = paste(deparse(fit$call), collapse = " "))
  if (conc) {
    cc <- concordance(fit)
    out$concordance <- list(estimate = unname(cc$concordance), se = sqrt(unname(cc$var)))
  }
  out
}

# Left-truncated log-rank: exact-ties score test, O and E by hand.
entry_logrank <- function(start, stop, event, g, levels) {
  fit <- coxph(Surv(start, stop, event) ~ factor(g, levels = levels), ties = "exact")
  dt <- sort(unique(stop[event == 1]))
  obs <- sapply(levels, function(l) sum(event == 1 & g == l))
  expd <- sapply(levels, function(l) sum(sapply(dt, function(t) {
    r <- start < t & t <= stop; d <- sum(event == 1 & stop == t); d * sum(r & g == l) / sum(r) })))
  list(chisq = unname(fit$score), df = length(levels) - 1,
       p = pchisq(unname(fit$score), length(levels) - 1, lower.tail = FALSE),
       groups = lapply(seq_along(levels), function(i) list(label = levels[i], observed = unname(obs[i]), expected = unname(expd[i]))),
       r_call = "coxph(Surv(start, stop, event) ~ group, ties = 'exact')$score")
}

source_cases <- file.path("tests/r", "cases_immortal.R")
source(source_cases)
