
# ---- median follow-up (reverse Kaplan-Meier) and conditional survival ----------------
# survfit with the km options; case weights with the Greenwood variance (robust = FALSE),
# as SurvLens's km; (entry, time] rows with delayed entry. `event`: the curve's event.
fu_fit <- function(dd, event, grouped) {
  dd$.ev <- event
  if (grouped) dd$.g <- droplevels(dd[[fu_gcol]])
  lhs <- if (fu_entry) "Surv(entry, time, .ev)" else "Surv(time, .ev)"
  args <- list(formula = as.formula(paste(lhs, "~", if (grouped) ".g" else "1")), data = dd,
               conf.type = fu_conf_type, conf.int = fu_conf_int, robust = FALSE)
  if (!is.null(dd$.w)) args$weights <- quote(.w)
  do.call(survfit, args)
}
# The rows of level l; the curve of level l in fit (NULL when l has no rows in dd:
# survfit keeps the strata of the levels present, and drops them when one is left).
fu_rows <- function(dd, l) if (is.null(fu_gcol)) rep(TRUE, nrow(dd)) else as.character(dd[[fu_gcol]]) == l
fu_curve <- function(fit, dd, l) {
  if (is.null(fu_gcol)) return(fit)
  k <- match(l, levels(droplevels(dd[[fu_gcol]])))
  if (is.na(k)) NULL else if (is.null(fit$strata)) fit else fit[k]
}
fu_median <- function(fk) {
  if (is.null(fk)) return(list(estimate = NA, lower = NA, upper = NA))
  tb <- summary(fk)$table
  list(estimate = nn(tb[["median"]]), lower = nn(tb[[grep("LCL$", names(tb))]]),
       upper = nn(tb[[grep("UCL$", names(tb))]]))
}
if (fu_follow_up) {
  # censoring is the reverse curve's event; a death of either cause ends follow-up
  cens <- as.integer(d$status == 0 & !fu_competing)
  fu_one <- function(fk, label, n) {
    q <- if (is.null(fk)) c(NA, NA) else quantile(fk, probs = c(0.25, 0.75))$quantile
    list(group = label, n = n, median = fu_median(fk),
         quantiles = lapply(1:2, function(j) list(p = c(0.25, 0.75)[j], estimate = nn(q[j]))))
  }
  fit_fu <- fu_fit(d, cens, FALSE)
  cat("\n## median follow-up (reverse Kaplan-Meier)\n"); print(fit_fu)
  res$follow_up <- list(fu_one(fit_fu, "all", nrow(d)))
  if (!is.null(fu_gcol)) {
    fit_fu <- fu_fit(d, cens, TRUE); print(fit_fu)
    for (l in levels_g)
      res$follow_up[[length(res$follow_up) + 1]] <- fu_one(fu_curve(fit_fu, d, l), l, sum(fu_rows(d, l)))
  }
}
if (length(fu_given)) {
  # survfit(Surv(time - s, status) ~ group, subset = time > s): the clock restarts at s
  beyond_rows <- function(times) lapply(sort(times), function(t) list(time = t, n_risk = 0,
    surv = NA, std_err = NA, lower = NA, upper = NA, beyond_follow_up = TRUE))
  # the step curve as km's curves[] (time since s; empty arrays without rows)
  fu_steps <- function(fk) {
    if (is.null(fk)) fk <- list(time = numeric(0), n.risk = numeric(0), n.event = numeric(0),
      n.censor = numeric(0), surv = numeric(0), std.err = numeric(0), lower = numeric(0),
      upper = numeric(0))
    list(time = arr(fk$time), n_risk = arr(fk$n.risk), n_event = arr(fk$n.event),
         n_censor = arr(fk$n.censor), surv = arr(fk$surv), std_err = arr(nn(fk$std.err * fk$surv)),
         lower = arr(nn(fk$lower)), upper = arr(nn(fk$upper)))
  }
  res$conditional <- lapply(sort(fu_given), function(s) {
    after <- d[d$time > s, , drop = FALSE]
    after$time <- after$time - s
    if (fu_entry) after$entry <- pmax(after$entry - s, 0)
    fit_c <- if (nrow(after)) fu_fit(after, after$status, !is.null(fu_gcol)) else NULL
    if (!is.null(fit_c)) { cat("\n## survival given alive at", s, "\n"); print(fit_c) }
    list(given = s, curves = lapply(levels_g, function(l) {
      rows <- fu_rows(after, l)
      fk <- if (is.null(fit_c) || !any(rows)) NULL else fu_curve(fit_c, after, l)
      risk <- if (fu_entry) function(t) n_at_risk(after, rows, t) else NULL
      c(list(group = l, n = sum(rows), events = sum(after$status[rows])), fu_steps(fk),
        list(median = fu_median(fk),
             at_times = if (is.null(fk)) beyond_rows(fu_times) else at_times_rows(fk, fu_times, risk)))
    }))
  })
}
