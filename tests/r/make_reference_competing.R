# Reference fixtures for competing risks (docs/results.md "competing_risks"). Run from
# the repository root:
#
#   Rscript tests/r/make_reference_competing.R
#
# Writes tests/reference/cr_<name>/{data.csv, spec.json, expected.json}; the cases are in
# cases_competing.R; tests/analysis/reference.rs compares every case. Needs survival
# (3.5-3 used), cmprsk (2.2-11 used) and nnet (only the propensity cross-check, r_check).
#
# It reuses every definition of make_reference_propensity.R (which reuses those of
# make_reference.R): the writers, the contract ingest (status 0 censored, 1 event of
# interest, 2 competing), km / logrank, the propensity section and the adjusted km / cox.
#
# R calls (r_call in each expected.json repeats them with the case's settings):
#   d            : the data's rows (ingest(), covariates do not count), status 0/1/2,
#                  d$time <- aeqSurv(Surv(time, status != 0))[, "time"]
#   data, groups : n_events = sum(status == 1), n_competing = sum(status == 2), per group too
#   km, logrank, cox : cause-specific, on d with status <- as.integer(status == 1)
#                  (a competing event is censoring), as make_reference.R / the cox section
#   cif          : fit <- survfit(Surv(time, factor(status, 0:2)) ~ g, data = d, conf.type,
#                  conf.int [, weights = w, robust = TRUE]) (~ 1 without a group); per group k
#                  and state s ("1" event, "2" competing): fit[k]$time, n.risk[, 1] (still in
#                  the initial state), n.event[, s], pstate[, s], std.err[, s], lower[, s],
#                  upper[, s] (NA -> null); at_times = summary(fit[k], times) rows, a time
#                  after max(fit[k]$time) -> {n_risk 0, nulls, beyond_follow_up true}
#   gray         : cuminc(d$time, d$status, d$g [, strata = d$s], cencode = 0)$Tests rows
#                  "1", "2": stat, df; p = pchisq(stat, df, lower.tail = FALSE) (cuminc's
#                  1 - pchisq loses digits); null without a group or with case weights
#   fine_gray    : m = d's rows complete for the covariates (na.omit); X = the Cox design
#                  (group dummies against the reference, then each covariate; categorical
#                  ones as dummies against their reference); fit <- crr(m$time, m$status,
#                  cov1 = X, failcode = 1, cencode = 0, gtol = 1e-12, maxiter = 1000);
#                  se = sqrt(diag(fit$var)) (crr's var is Fine & Gray's sandwich), z = coef/se,
#                  p = 2 pnorm(-|z|), CI exp(coef -/+ qnorm(0.975) se); max|fit$score| in
#                  r_check; null with case weights
#   cause_specific: coxph(Surv(time, status == k) ~ g + covariates, data = m, ties = cox.ties,
#                  robust = cox.robust [, weights = w]), no strata; se from naive.var when
#                  robust, CI / z / p from the SE used (robust when robust)
#   adjusted.cif : the cif call on the propensity rows with weights = w, robust = TRUE

suppressPackageStartupMessages({ library(survival); library(cmprsk) })
if (!dir.exists("tests")) stop("run from the repository root")
local({
  exprs <- parse(file.path("tests", "r", "make_reference_propensity.R"))
  for (e in exprs) if (!any(grepl("PS_CASES", deparse(e)))) eval(e, globalenv())
})
CAUSES <- c(event = "1", competing = "2")

# The cause-specific view of an ingest: a competing event is censoring.
cause_specific_ing <- function(ing) { ing$d$status <- as.integer(ing$d$status == 1); ing }

# ---------------------------------------------------------------- CIF --------------------
cif_fit <- function(d, spec, w = NULL) {
  ct <- spec$km$conf_type %||% "log"; cl <- spec$km$conf_level %||% 0.95
  d$state <- factor(d$status, levels = 0:2)
  args <- list(formula = if (is.null(spec$group)) Surv(time, state) ~ 1 else Surv(time, state) ~ g,
               data = d, conf.type = ct, conf.int = cl)
  if (!is.null(w)) { d$w <- w; args$data <- d; args$weights <- quote(w); args$robust <- TRUE }
  fit <- do.call(survfit, args)
  stopifnot(identical(fit$states, c("(s0)", "1", "2")))
  fit
}

cif_curves <- function(d, levels, spec, w = NULL) {
  fit <- cif_fit(d, spec, w)
  if (!is.null(fit$strata) && length(fit$strata) != length(levels)) stop("empty group")
  times <- unlist(spec$competing_risks$times)
  out <- list()
  for (k in seq_along(levels)) {
    fk <- if (is.null(fit$strata)) fit else fit[k, ]
    for (cause in names(CAUSES)) {
      s <- match(CAUSES[[cause]], fit$states)
      out[[length(out) + 1]] <- obj(
        group = levels[k], cause = cause, time = arr(fk$time), n_risk = arr(fk$n.risk[, 1]),
        n_event = arr(fk$n.event[, s]), estimate = arr(fk$pstate[, s]),
        std_err = arr(nn(fk$std.err[, s])), lower = arr(nn(fk$lower[, s])),
        upper = arr(nn(fk$upper[, s])), at_times = cif_at_times(fk, s, times))
    }
  }
  out
}

# summary(fk, times) without extend; a time after the curve's last time is written
# {n_risk 0, nulls, beyond_follow_up true}. Times sorted, as summary sorts them.
cif_at_times <- function(fk, s, times) {
  if (length(times) == 0) return(list())
  times <- sort(times); last <- max(fk$time)
  inside <- times[times <= last]
  sm <- if (length(inside)) summary(fk, times = inside) else NULL
  if (length(inside) && !isTRUE(all.equal(sm$time, inside))) stop("summary(times) dropped a time")
  lapply(seq_along(times), function(j) {
    if (times[j] > last)
      return(obj(time = times[j], n_risk = 0, estimate = NA, std_err = NA, lower = NA,
                 upper = NA, beyond_follow_up = TRUE))
    obj(time = sm$time[j], n_risk = sm$n.risk[j, 1], estimate = sm$pstate[j, s],
        std_err = nn(sm$std.err[j, s]), lower = nn(sm$lower[j, s]), upper = nn(sm$upper[j, s]),
        beyond_follow_up = FALSE)
  })
}

# Cross-check (r_check only): the estimates equal cmprsk's cuminc at every curve time.
cif_vs_cuminc <- function(d, spec, curves) {
  ci <- if (is.null(spec$group)) cuminc(d$time, d$status, cencode = 0)
        else cuminc(d$time, d$status, d$g, cencode = 0)
  max(vapply(curves, function(cv) {
    lab <- paste(if (is.null(spec$group)) "1" else cv$group, CAUSES[[cv$cause]])
    est <- timepoints(ci[lab], cv$time)$est[1, ]
    max(abs(est - cv$estimate))
  }, 0))
}

# ---------------------------------------------------------------- Gray's test ------------
gray_tests <- function(d, spec) {
  st <- unlist(spec$strata)
  args <- list(ftime = d$time, fstatus = d$status, group = d$g, cencode = 0)
  if (length(st)) args$strata <- interaction(d[st], drop = TRUE)
  tt <- do.call(cuminc, args)$Tests
  lapply(names(CAUSES), function(cause) {
    k <- CAUSES[[cause]]
    obj(cause = cause, chisq = tt[k, "stat"], df = tt[k, "df"],
        p = pchisq(tt[k, "stat"], tt[k, "df"], lower.tail = FALSE))
  })
}

# ---------------------------------------------------------------- model rows -------------
# The models' rows (covariate_rows() of make_reference.R) and their design matrix.
model_rows <- function(raw, ing, spec) {
  cr <- covariate_rows(raw, ing, spec)
  m <- cr$m; cols <- cr$cols; term_names <- cr$names
  rhs <- c(if (!is.null(spec$group)) "g", sprintf("`%s`", cols))
  X <- model.matrix(as.formula(paste("~", paste(rhs, collapse = " + "))), data = m)[, -1, drop = FALSE]
  stopifnot(ncol(X) == length(term_names))
  list(m = m, X = X, rhs = rhs, names = term_names,
       missing = missing_covariates(raw, ing$d, cols, spec))
}

# ---------------------------------------------------------------- models -----------------
# crr's step-halving stops at the log-likelihood's rounding floor (|score| ~ 1e-6 on a few
# hundred events) and then reports converged = FALSE; plain Newton steps from there,
# b <- b + invinf %*% score read at b by crr(init = b, maxiter = 0), reach the ML
# solution (|score| < 1e-10, quadratic convergence). var, score: crr's, at that b.
fine_gray <- function(mr) {
  m <- mr$m
  at_b <- function(b) crr(m$time, m$status, cov1 = mr$X, failcode = 1, cencode = 0, init = b, maxiter = 0)
  fit0 <- crr(m$time, m$status, cov1 = mr$X, failcode = 1, cencode = 0, gtol = 1e-12, maxiter = 1000)
  b <- fit0$coef; steps <- 0
  repeat {
    fit <- at_b(b)
    if (max(abs(fit$score)) < 1e-10 || steps == 20) break
    b <- b + drop(fit$invinf %*% fit$score); steps <- steps + 1
  }
  if (max(abs(fit$score)) >= 1e-9) stop("Fine-Gray: no ML solution (|score| ", max(abs(fit$score)), ")")
  b <- unname(fit$coef); se <- sqrt(diag(fit$var)); z <- qnorm(0.975)
  list(score = max(abs(fit$score)), newton_steps = steps,
       crr_converged = fit0$converged, crr_max_abs_coef_diff = max(abs(fit0$coef - b)), section = obj(
    cause = "event", n = nrow(m), n_events = sum(m$status == 1), converged = TRUE,
    missing_covariates = mr$missing,
    terms = lapply(seq_along(b), function(j) obj(
      name = mr$names[j], coef = b[j], se = se[j], robust_se = NA, hr = exp(b[j]),
      lower = exp(b[j] - z * se[j]), upper = exp(b[j] + z * se[j]), z = b[j] / se[j],
      p = 2 * pnorm(-abs(b[j] / se[j]))))))
}

coxph_terms <- function(fit, names, robust) {
  b <- unname(coef(fit)); z <- qnorm(0.975)
  se <- sqrt(diag(if (robust) fit$naive.var else fit$var))
  rse <- if (robust) sqrt(diag(fit$var)) else rep(NA, length(b))
  s <- if (robust) rse else se
  lapply(seq_along(b), function(j) obj(
    name = names[j], coef = b[j], se = se[j], robust_se = nn(rse[j]), hr = exp(b[j]),
    lower = exp(b[j] - z * s[j]), upper = exp(b[j] + z * s[j]), z = b[j] / s[j],
    p = 2 * pnorm(-abs(b[j] / s[j]))))
}

# coxph(Surv(time, status == k) ~ design) on the model rows; strata only when asked
# (the cox section), never for the cause-specific models.
cause_cox <- function(mr, spec, k, strata = character(0)) {
  m <- mr$m
  m$.ev <- as.integer(m$status == k)
  rhs <- c(mr$rhs, if (length(strata)) sprintf("strata(%s)", paste(strata, collapse = ", ")))
  robust <- isTRUE(spec$cox$robust)
  args <- list(formula = as.formula(paste("Surv(time, .ev) ~", paste(rhs, collapse = " + "))),
               data = m, ties = spec$cox$ties %||% "efron", robust = robust)
  if (!is.null(spec$weights)) args$weights <- quote(.w)
  fit <- withCallingHandlers(do.call(coxph, args), warning = function(w) {
    message("  R warning (cause ", k, "): ", conditionMessage(w)); invokeRestart("muffleWarning") })
  obj(n = fit$n, n_events = fit$nevent, terms = coxph_terms(fit, mr$names, robust))
}

# ---------------------------------------------------------------- sections ---------------
competing_section <- function(raw, ing, spec, r_check) {
  cr <- spec$competing_risks; d <- ing$d
  w <- if (!is.null(spec$weights)) as.numeric(trimws(raw[[spec$weights$column]])[d$line - 1])
  out <- obj(conf_type = spec$km$conf_type %||% "log", conf_level = spec$km$conf_level %||% 0.95,
             cif = cif_curves(d, ing$levels, spec, w))
  r_check$cif_states_sum_to_one_max_abs <- max(abs(rowSums(cif_fit(d, spec, w)$pstate) - 1))
  if (is.null(w)) r_check$cif_vs_cuminc_max_abs_diff <- cif_vs_cuminc(d, spec, out$cif)
  if (!isFALSE(cr$gray))
    out["gray"] <- list(if (is.null(spec$group) || !is.null(w)) NULL else gray_tests(d, spec))
  mr <- model_rows(raw, ing, spec)
  if (!isFALSE(cr$fine_gray)) {
    if (!is.null(w)) out["fine_gray"] <- list(NULL) else {
      fg <- fine_gray(mr); out$fine_gray <- fg$section
      r_check$fine_gray_max_abs_score <- fg$score
      r_check$fine_gray_newton_steps_after_crr <- fg$newton_steps
      r_check$fine_gray_crr_converged <- fg$crr_converged
      r_check$fine_gray_crr_max_abs_coef_diff <- fg$crr_max_abs_coef_diff
    }
  }
  if (!isFALSE(cr$cause_specific))
    out$cause_specific <- lapply(names(CAUSES), function(cause)
      c(obj(cause = cause), cause_cox(mr, spec, as.integer(CAUSES[[cause]]))))
  list(section = out, r_check = r_check)
}

# propensity (its rows: the data's rows complete for its covariates) and adjusted
# (cause-specific km and cox as make_reference_propensity.R, plus the weighted CIFs).
adjusted_sections <- function(raw, ing_data, spec) {
  sp <- spec
  cols <- unlist(sp$propensity$covariates) %||% vapply(sp$covariates, function(c) c$column, "")
  sp$covariates <- lapply(cols, function(cn) list(column = cn))
  ing <- ingest(raw, sp, ",", covariates = TRUE)
  mc <- missing_covariates(raw, ing_data$d, cols, spec)
  ing1 <- cause_specific_ing(ing)
  ps <- propensity_section(raw, ing1$d, ing1, spec)
  n <- nrow(ing$d); ne <- sum(ing$d$status == 1)
  ps$section$n <- n; ps$section$n_events <- ne; ps$section$missing_covariates <- mc
  adj <- c(obj(n = n, n_events = ne, missing_covariates = mc),
           adjusted_section(ing1$d, ing1, spec, ps$w),
           obj(cif = cif_curves(ing$d, ing$levels, spec, ps$w)))
  list(propensity = ps$section, adjusted = adj, check = ps$check)
}

r_calls_competing <- function(spec) {
  ct <- spec$km$conf_type %||% "log"; cl <- spec$km$conf_level %||% 0.95
  rhs <- if (is.null(spec$group)) "1" else "g"
  st <- unlist(spec$strata)
  wt <- if (!is.null(spec$weights)) ", weights = w, robust = TRUE" else ""
  x <- r_calls(spec)
  x$data <- paste0(sub("Surv(time, status)", "Surv(time, status != 0)", x$data, fixed = TRUE),
                   "; status 0 censored, 1 event, 2 competing (event.competing_values)")
  x$groups <- "table(d$g); tapply(d$status == 1, d$g, sum); tapply(d$status == 2, d$g, sum)"
  x$km <- paste("cause-specific: d$status <- as.integer(d$status == 1);", x$km)
  x$cif <- sprintf("fit <- survfit(Surv(time, factor(status, 0:2)) ~ %s, data = d, conf.type = \"%s\", conf.int = %s%s); per group k, state s in c('1', '2'): fit[k, ]$time, n.risk[, 1], n.event[, s], pstate[, s], std.err[, s], lower[, s], upper[, s]; at_times: summary(fit[k, ], times = c(%s)), later than max(fit[k, ]$time): n_risk 0, nulls, beyond_follow_up",
                   rhs, ct, format(cl), wt,
                   paste(vapply(unlist(spec$competing_risks$times), json_scalar, "", digits = 15), collapse = ", "))
  x$gray <- if (is.null(spec$group) || !is.null(spec$weights)) "null: no group, or case weights (cuminc has none)"
            else sprintf("cuminc(d$time, d$status, d$g%s, cencode = 0)$Tests[c('1', '2'), ]; p = pchisq(stat, df, lower.tail = FALSE)",
                         if (length(st)) sprintf(", strata = interaction(d[c(%s)])", paste0("'", st, "'", collapse = ", ")) else "")
  des <- if (is.null(spec$group)) "covariates" else "g + covariates"
  x$fine_gray <- if (!is.null(spec$weights)) "null: case weights (crr has none)"
                 else sprintf("m <- na.omit(d[, c('time', 'status', 'g', covariates)]); X <- model.matrix(~ %s, m)[, -1]; fit <- crr(m$time, m$status, cov1 = X, failcode = 1, cencode = 0, gtol = 1e-12, maxiter = 1000); then Newton steps b <- b + fit$invinf %%*%% fit$score with fit <- crr(..., init = b, maxiter = 0) until max|score| < 1e-10; se = sqrt(diag(fit$var)); z = coef / se; p = 2 * pnorm(-abs(z)); CI exp(coef -/+ qnorm(0.975) * se)", des)
  x$cause_specific <- sprintf("for k in 1:2: coxph(Surv(time, status == k) ~ %s, data = m, ties = '%s', robust = %s%s); no strata",
                              des, spec$cox$ties %||% "efron", isTRUE(spec$cox$robust),
                              if (!is.null(spec$weights)) ", weights = w" else "")
  if (!is.null(spec$cox))
    x$cox <- sprintf("coxph(Surv(time, status == 1) ~ %s%s, data = m, ties = '%s', robust = %s)", des,
                     if (length(st)) sprintf(" + strata(%s)", paste(st, collapse = ", ")) else "",
                     spec$cox$ties %||% "efron", isTRUE(spec$cox$robust))
  if (!is.null(spec$adjusted))
    x$adjusted <- sprintf("propensity and adjusted km / cox as make_reference_propensity.R with status == 1; adjusted.cif: survfit(Surv(time, factor(status, 0:2)) ~ g, data = propensity rows, weights = w, robust = TRUE, conf.type = \"%s\", conf.int = %s) read as cif", ct, format(cl))
  x
}

run_cr_case <- function(cs) {
  dir <- file.path(OUT, cs$name); dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  write_raw_csv(cs$data, file.path(dir, "data.csv"))
  write_json(cs$spec, file.path(dir, "spec.json"), digits = 15)
  raw <- read_raw_csv(file.path(dir, "data.csv"), ",")
  spec <- cs$spec
  ing <- ingest(raw, spec, ",")
  d <- ing$d
  cnt <- function(rows, k) sum(rows == k)
  r_check <- list()
  res <- obj(r_case = cs$name, r_description = cs$description, r_source = cs$source,
             r_version = R.version.string,
             r_survival_version = as.character(packageVersion("survival")),
             r_cmprsk_version = as.character(packageVersion("cmprsk")),
             r_call = r_calls_competing(spec),
             version = 1,
             data = obj(n_rows = ing$n_rows, n_used = nrow(d), n_events = cnt(d$status, 1),
                        n_competing = cnt(d$status, 2), excluded = ing$excluded,
                        excluded_by_reason = ing$excluded_by_reason),
             groups = lapply(ing$levels, function(l) {
               s <- d$status[d$g == l]
               obj(label = l, n = length(s), events = cnt(s, 1), competing = cnt(s, 2))
             }))
  ing1 <- cause_specific_ing(ing)
  if (!is.null(spec$km)) res$km <- km_section(ing1, spec)
  if (!is.null(spec$logrank)) res$logrank <- logrank_section(ing1, spec)
  if (!is.null(spec$cox)) {
    mr <- model_rows(raw, ing, spec)
    res$cox <- c(cause_cox(mr, spec, 1L, unlist(spec$strata)), obj(missing_covariates = mr$missing))
  }
  cr <- competing_section(raw, ing, spec, r_check)
  res$competing_risks <- cr$section; r_check <- cr$r_check
  if (!is.null(spec$adjusted)) {
    adj <- adjusted_sections(raw, ing, spec)
    res$propensity <- adj$propensity; res$adjusted <- adj$adjusted
    r_check <- c(r_check, as.list(adj$check))
  }
  res <- append(res, list(r_check = r_check), after = 7)
  write_json(res, file.path(dir, "expected.json"))
  cat(sprintf("%-26s rows %5d used %5d events %4d competing %4d groups %d %s\n", cs$name,
              ing$n_rows, nrow(d), cnt(d$status, 1), cnt(d$status, 2), length(ing$levels),
              paste(names(r_check), vapply(r_check, function(v) format(v, digits = 3), ""), collapse = " ")))
}

# The event rules of ingest() with competing_values, on a 5-row file.
local({
  raw <- data.frame(t = c("1", "2", "3", "4", "5"), s = c("0", "1", "2", "NA", "1"))
  sp <- function(...) list(time = list(column = "t"), event = c(list(column = "s"), list(...)))
  st <- function(...) ingest(raw, sp(...), ",")$d$status
  stopifnot(identical(st(competing_values = "2"), c(0L, 1L, 2L, 1L)),            # 0/1 detected
            identical(st(values = "1", competing_values = "2"), c(0L, 1L, 2L, 1L)),
            identical(st(values = "2", competing_values = "1"), c(0L, 2L, 1L, 2L)),
            identical(st(values = "2", competing_values = "1", censored_values = "0"), c(0L, 2L, 1L, 2L)))
  fails <- function(...) inherits(try(st(...), silent = TRUE), "try-error")
  stopifnot(fails(values = "1", competing_values = c("2", "1")),                  # both event and competing
            fails(values = "1", competing_values = "2", censored_values = "2"),   # both censored and competing
            fails(values = "1", competing_values = "2", censored_values = "9"))   # "0" in no list
})

source(file.path("tests", "r", "cases_competing.R"), local = TRUE)
for (cs in CR_CASES) run_cr_case(cs)
