# Reference fixtures for median follow-up and conditional survival (docs/results.md
# "follow_up", "conditional"). Run from the repository root:
#
#   Rscript tests/r/make_reference_follow_up.R
#
# Writes tests/reference/fu_<name>/{data.csv, spec.json, expected.json}; the cases are in
# cases_follow_up.R; tests/analysis/reference.rs compares every case. Needs survival only
# (3.5-3 used). It reuses every definition of make_reference.R (writers, the contract
# ingest with status 0 censored, 1 event, 2 competing, km_section, at_times_rows).
#
# R calls (r_call in each expected.json repeats them with the case's settings):
#   d         : the data's rows (ingest()), d$time <- aeqSurv(Surv(time, status != 0))[, "time"];
#               w = the weights column on those rows (case weights), else none
#   follow_up : reverse Kaplan-Meier, a row's "event" is censoring (status == 0: neither the
#               event nor a competing event):
#               fit <- survfit(Surv(time, status == 0) ~ 1 [~ g], data = d, weights = w,
#                              robust = FALSE, conf.type, conf.int)
#               entry "all" from ~ 1, then one per group from ~ g (only with a group);
#               median = summary(fk)$table[c("median", "<level>LCL", "<level>UCL")],
#               quantiles = quantile(fk, probs = c(0.25, 0.75))$quantile (no limits)
#   conditional: for each given s (ascending):
#               fit <- survfit(Surv(time - s, status == 1) ~ g, data = d, subset = time > s,
#                              weights = w, robust = FALSE, conf.type, conf.int)
#               (a competing event censors); per group: n = rows with time > s, events,
#               the step curve fit[k]$time, n.risk, n.event, n.censor, surv, std.err * surv,
#               lower, upper (as km.curves[]; empty arrays without rows), median as above, at_times = summary(fk, times) without extend (times past
#               the curve's end: n_risk 0, nulls, beyond_follow_up); a group (or every group)
#               without rows after s: n 0, median null, every time beyond_follow_up
#   robust = FALSE: the km section's variance (Greenwood) also with non-integer weights,
#               where survfit's default would switch to the infinitesimal jackknife.

suppressPackageStartupMessages(library(survival))
if (!dir.exists("tests")) stop("run from the repository root")
local({
  exprs <- parse(file.path("tests", "r", "make_reference.R"))
  for (e in exprs) if (!any(grepl("CASES", deparse(e)))) eval(e, globalenv())
})

# ---------------------------------------------------------------- fits ------------------
# survfit of `formula` on d (column w = case weights when given) with the km options.
fu_fit <- function(formula, d, spec, weighted) {
  args <- list(formula = formula, data = d, robust = FALSE,
               conf.type = spec$km$conf_type %||% "log", conf.int = spec$km$conf_level %||% 0.95)
  if (weighted) args$weights <- quote(w)
  do.call(survfit, args)
}

# Surv(time - s, event) ~ g (or ~ 1); with delayed entry (column entry of d)
# Surv(pmax(entry - s, 0), time - s, event).
fu_formula <- function(event, grouped, entered, s = 0) {
  lhs <- if (entered) sprintf("Surv(pmax(entry - %.17g, 0), time - %.17g, %s)", s, s, event)
         else sprintf("Surv(time - %.17g, %s)", s, event)
  as.formula(paste(lhs, "~", if (grouped) "g" else "1"))
}

# The curve of level l in fit (NULL when the level has no rows there). survfit drops
# the strata when a single level has rows: the fit is then that level's curve (the
# callers ask only for levels with rows).
fu_curve <- function(fit, l, grouped) {
  if (!grouped || is.null(fit$strata)) return(fit)
  k <- match(paste0("g=", l), names(fit$strata))
  if (is.na(k)) NULL else fit[k]
}

fu_median <- function(fk) {
  if (is.null(fk)) return(obj(estimate = NA, lower = NA, upper = NA))
  tab <- summary(fk)$table
  obj(estimate = nn(tab[["median"]]), lower = nn(tab[[grep("LCL$", names(tab))]]),
      upper = nn(tab[[grep("UCL$", names(tab))]]))
}

# ---------------------------------------------------------------- follow_up -------------
follow_up_section <- function(ing, spec, weighted) {
  d <- ing$d; d$cens <- as.integer(d$status == 0); entered <- !is.null(d$entry)
  entry <- function(fk, label, n) {
    q <- quantile(fk, probs = c(0.25, 0.75))$quantile
    obj(group = label, n = n, median = fu_median(fk),
        quantiles = lapply(1:2, function(j) obj(p = c(0.25, 0.75)[j], estimate = nn(q[j]))))
  }
  out <- list(entry(fu_fit(fu_formula("cens", FALSE, entered), d, spec, weighted), "all", nrow(d)))
  if (!is.null(spec$group)) {
    fit <- fu_fit(fu_formula("cens", TRUE, entered), d, spec, weighted)
    for (l in ing$levels) out[[length(out) + 1]] <- entry(fu_curve(fit, l, TRUE), l, sum(d$g == l))
  }
  out
}

# ---------------------------------------------------------------- conditional -----------
beyond_rows <- function(times) lapply(sort(times), function(t)
  obj(time = t, n_risk = 0, surv = NA, std_err = NA, lower = NA, upper = NA, beyond_follow_up = TRUE))

# The step curve of fk as km_section writes km.curves[] (empty arrays without rows).
fu_steps <- function(fk) {
  if (is.null(fk)) fk <- list(time = numeric(0), n.risk = numeric(0), n.event = numeric(0),
                              n.censor = numeric(0), surv = numeric(0), std.err = numeric(0),
                              lower = numeric(0), upper = numeric(0))
  list(time = arr(fk$time), n_risk = arr(fk$n.risk), n_event = arr(fk$n.event),
       n_censor = arr(fk$n.censor), surv = arr(fk$surv),
       std_err = arr(nn(fk$std.err * fk$surv)),
       lower = arr(nn(fk$lower)), upper = arr(nn(fk$upper)))
}

conditional_section <- function(ing, spec, weighted) {
  d <- ing$d; d$ev <- as.integer(d$status == 1)
  times <- unlist(spec$conditional$times)
  grouped <- !is.null(spec$group)
  lapply(sort(unlist(spec$conditional$given)), function(s) {
    after <- d[d$time > s, ]
    fit <- if (nrow(after) == 0) NULL
           else fu_fit(fu_formula("ev", grouped, !is.null(d$entry), s), after, spec, weighted)
    curves <- lapply(ing$levels, function(l) {
      rows <- after[after$g == l, ]
      fk <- if (is.null(fit) || nrow(rows) == 0) NULL else fu_curve(fit, l, grouped)
      c(list(group = l, n = nrow(rows), events = sum(rows$ev)), fu_steps(fk),
        list(median = fu_median(fk),
             at_times = if (is.null(fk)) beyond_rows(times) else at_times_rows(fk, times)))
    })
    obj(given = s, curves = curves)
  })
}

# ---------------------------------------------------------------- driver ----------------
r_calls_follow_up <- function(spec, weighted) {
  ct <- spec$km$conf_type %||% "log"; cl <- spec$km$conf_level %||% 0.95
  rhs <- if (is.null(spec$group)) "1" else "g"
  entered <- !is.null(spec$time$entry)
  opts <- sprintf("%srobust = FALSE, conf.type = \"%s\", conf.int = %s",
                  if (weighted) "weights = w, " else "", ct, format(cl))
  fmt <- function(v) paste(vapply(v, json_scalar, "", digits = 15), collapse = ", ")
  obj(data = "rows with a usable time, event, group and strata (ingest() of make_reference.R); status 0 censored, 1 event, 2 competing; d$time <- aeqSurv(Surv(time, status != 0))[, 'time']",
      follow_up = sprintf("all: survfit(Surv(%stime, status == 0) ~ 1, data = d, %s)%s; median = summary(fit)$table[c('median', LCL, UCL)]; quantiles = quantile(fit, probs = c(0.25, 0.75))$quantile",
                          if (entered) "entry, " else "", opts, if (is.null(spec$group)) "" else sprintf("; groups: the same with ~ g, fit[k]")),
      conditional = sprintf("for s in c(%s): fit <- survfit(Surv(%stime - s, status == 1) ~ %s, data = d, subset = time > s, %s); per group: n = sum(time > s), events; curve k = fit[k]: time, n.risk, n.event, n.censor, surv; std_err = std.err * surv (NaN -> null); lower, upper (NA -> null); median as follow_up; at_times = summary(fit[k], times = c(%s)) (later than the curve's end, or a group without rows: n_risk 0, nulls, beyond_follow_up)",
                            fmt(sort(unlist(spec$conditional$given))), if (entered) "pmax(entry - s, 0), " else "", rhs, opts, fmt(unlist(spec$conditional$times))))
}

run_fu_case <- function(cs) {
  dir <- file.path(OUT, cs$name); dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  write_raw_csv(cs$data, file.path(dir, "data.csv"))
  write_json(cs$spec, file.path(dir, "spec.json"), digits = 15)
  raw <- read_raw_csv(file.path(dir, "data.csv"), ",")
  spec <- cs$spec
  ing <- ingest(raw, spec, ",")
  weighted <- !is.null(spec$weights)
  if (weighted) ing$d$w <- as.numeric(trimws(raw[[spec$weights$column]])[ing$d$line - 1])
  if (!is.null(spec$time$entry)) {
    # delayed entry: the entry column on the data's rows (the cases have no missing entry,
    # every entry before its exit and no near-ties, so ingest()'s rows and times stand)
    ing$d$entry <- as.numeric(trimws(raw[[spec$time$entry]])[ing$d$line - 1])
    stopifnot(!anyNA(ing$d$entry), all(ing$d$entry < ing$d$time))
  }
  d <- ing$d
  res <- obj(r_case = cs$name, r_description = cs$description, r_source = cs$source,
             r_version = R.version.string,
             r_survival_version = as.character(packageVersion("survival")),
             r_call = r_calls_follow_up(spec, weighted),
             version = 1,
             data = obj(n_rows = ing$n_rows, n_used = nrow(d), n_events = sum(d$status == 1),
                        excluded = ing$excluded, excluded_by_reason = ing$excluded_by_reason))
  res$follow_up <- follow_up_section(ing, spec, weighted)
  res$conditional <- conditional_section(ing, spec, weighted)
  write_json(res, file.path(dir, "expected.json"))
  med <- vapply(res$follow_up, function(e) format(e$median$estimate %||% NA, digits = 4), "")
  cat(sprintf("%-22s rows %4d used %4d events %4d median follow-up %s\n", cs$name, ing$n_rows,
              nrow(d), sum(d$status == 1), paste(med, collapse = " / ")))
}

source(file.path("tests", "r", "cases_follow_up.R"), local = TRUE)
for (cs in FU_CASES) run_fu_case(cs)
