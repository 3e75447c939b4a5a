# Data frames and spec helpers shared by several case files (cases_propensity.R,
# cases_matching.R, cases_competing.R, cases_subgroups.R). Sourced by those files, which
# are sourced by their make_reference_*.R (from the repository root); `chr` comes from
# make_reference.R. Every column is text, written as data.csv says it.

# spec helper: covariates by name, or as a full list(column = ..., type = ...)
covs <- function(...) lapply(list(...), function(c) if (is.character(c)) list(column = c) else c)

# survival::lung as a data.csv frame: sex as words, the covariates of the confounding cases
lung_frame <- function() {
  x <- survival::lung
  data.frame(time_days = chr(x$time), status = chr(x$status),
             sex = ifelse(x$sex == 1, "male", "female"), age = chr(x$age),
             ph_ecog = chr(x$ph.ecog), wt_loss = chr(x$wt.loss))
}

# survival::pbc, the 312 randomized patients: treatment as words; status 2 = death
pbc_trial_frame <- function() {
  x <- survival::pbc[!is.na(survival::pbc$trt), ]
  data.frame(days = chr(x$time), status = chr(x$status),
             trt = ifelse(x$trt == 1, "D-penicillamine", "placebo"),
             age = chr(x$age), edema = chr(x$edema), bili = chr(x$bili),
             albumin = chr(x$albumin), stage = chr(x$stage))
}
