# Writes tests/reference/zph_<name>/{data.csv, spec.json, expected.json}: the
# proportional-hazards test of cox.zph on counting-process (start, stop] Cox fits
# (docs/methods.md#proportional-hazards-test): the time-dependent transplant analysis of
# the Stanford heart data and delayed entry on the age scale (mgus2).
#   Rscript tests/r/make_reference_zph.R        (from the repository root)
# R 4.2.2, survival 3.5-3. expected.json is a PARTIAL contract results document with R's
# numbers at 17 significant digits; keys starting with r_ are metadata (ignored).
#
# It reuses the writers of common.R and make_reference_immortal.R, the heart data of cases_immortal.R (one row per
# patient `pts`, survival::heart `h` as the (start, stop] rows R fits) and the residual
# and smooth helpers of make_reference_cox.R (zph_residuals: zp$time, zp$x, zp$y and the
# plot.cox.zph smooth).
#
# R calls (r_zph in each expected.json repeats them with the case's settings):
#   fit <- coxph(Surv(start, stop, event) ~ group + covariates [+ strata(s)], ties = ,
#                [weights = w (double),] [cluster = id])
#   zp  <- cox.zph(fit, transform = )      # survival's C zph2: the (start, stop] risk sets
#   ph_test: zp$table rows (chisq, df, p) per term and GLOBAL; residuals: zp$time, zp$x,
#            zp$y and the smooth of plot(zp, df = 4, nsmo = 40)
# The fit's own numbers (terms, tests) are compared by the immortal_* fixtures; here only
# n, n_events and ph_test.
source(file.path("tests", "r", "common.R"))   # survival check, to_json, f17

# Definitions of another fixture script, without running its cases.
# An assignment is kept when the variable it assigns (`x`, `x$a`, `f(x)`) is in `names`.
load_defs <- function(file, names) {
  root <- function(x) if (is.name(x)) as.character(x) else if (is.call(x)) root(x[[2]]) else ""
  for (e in parse(file)) {
    if (is.call(e) && identical(e[[1]], as.name("<-")) && root(e[[2]]) %in% names)
      eval(e, globalenv())
  }
}
load_defs(file.path("tests", "r", "make_reference_cox.R"), c("zph_smooth", "zph_residuals"))
load_defs(file.path("tests", "r", "cases_immortal.R"), c("h", "pts"))
load_defs(file.path("tests", "r", "make_reference_immortal.R"), "write_case")

write_zph_case <- function(...) write_case(..., prefix = "zph_")

# cox.zph of `fit` in the contract's shape; `names`: the spec column of each R term.
ph_json <- function(fit, transform, names, resid) {
  zp <- cox.zph(fit, transform = transform)
  tb <- zp$table
  nt <- nrow(tb) - 1
  stopifnot(nt == length(names))
  out <- list(transform = transform,
    terms = lapply(seq_len(nt), function(i) list(name = names[i], chisq = tb[i, 1], df = tb[i, 2], p = tb[i, 3])),
    global = list(chisq = tb[nt + 1, 1], df = tb[nt + 1, 2], p = tb[nt + 1, 3]))
  if (resid) {
    out$residuals <- zph_residuals(zp)
    for (i in seq_len(nt)) out$residuals$terms[[i]]$name <- names[i]
  }
  out
}
cox_ph_json <- function(fit, transform, names, resid) {
  list(n = fit$n, n_events = fit$nevent, ph_test = ph_json(fit, transform, names, resid))
}
ph_spec <- function(transform, resid) {
  s <- list(transform = transform)
  if (resid) s$residuals <- TRUE
  s
}
r_zph <- function(fit, transform) {
  sprintf("cox.zph(%s, transform = '%s')", paste(deparse(fit$call), collapse = " "), transform)
}

source(file.path("tests", "r", "cases_zph.R"))
