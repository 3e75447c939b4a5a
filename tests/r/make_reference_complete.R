# Reference fixtures for "complete cases per analysis" and "nothing reported past
# follow-up". Run from the repository root:
#
#   Rscript tests/r/make_reference_complete.R
#
# Writes tests/reference/complete_<name>/{data.csv, spec.json, expected.json};
# tests/analysis/reference.rs compares every case. Needs survival (3.5-3 used) and nnet (only for
# the propensity cross-check recorded in r_check).
#
# It reuses every definition of make_reference_propensity.R (which reuses those of
# make_reference.R): the writers, the contract ingest, the propensity / adjusted sections.
#
# Rules checked (R calls per section):
#   data, groups, km, logrank, rmst : the data's rows d (usable time, event, group; a
#       missing covariate leaves no row out), as make_reference.R; at_times from
#       summary(fit[k], times) without extend, a time past the curve's last time written
#       {n_risk 0, null values, beyond_follow_up true}; rmst as print(fit, rmean = tau),
#       tau later than a curve's last time included.
#   cox : m <- na.omit(d[, c("time", "status", "g", covariates)]) (the model's own rows);
#       each categorical covariate a factor built on m (reference: the given one, else the
#       most frequent level in m, ties first to appear; then order of appearance in m);
#       fit <- coxph(Surv(time, status) ~ g + covariates, data = m, ties = "efron",
#       na.action = na.omit); terms, loglik, LR / Wald / score tests, concordance(fit);
#       n = fit$n, n_events = fit$nevent; missing_covariates = rows of d missing any model
#       covariate (n) and rows missing each (by_column).
#   propensity, adjusted : as make_reference_propensity.R on the data's rows complete
#       for the propensity covariates (their own na.omit), references on those rows.

suppressPackageStartupMessages(library(survival))
if (!dir.exists("tests")) stop("run from the repository root")
local({
  exprs <- parse(file.path("tests", "r", "make_reference_propensity.R"))
  for (e in exprs) if (!any(grepl("PS_CASES", deparse(e)))) eval(e, globalenv())
})

# The cox section on the data's rows d: na.omit over the model's covariates, factors
# (and their references) built on the model's rows.
cox_complete <- function(raw, ing, spec) {
  d <- ing$d
  cr <- covariate_rows(raw, ing, spec)
  m <- cr$m; cols <- cr$cols; term_names <- cr$names
  fml <- as.formula(paste("Surv(time, status) ~ g +",
                          paste(sprintf("`%s`", cols), collapse = " + ")))
  fit <- coxph(fml, data = m, ties = "efron", na.action = na.omit)
  beta <- coef(fit); se <- sqrt(diag(fit$var)); z <- qnorm(0.975)
  terms <- lapply(seq_along(beta), function(j) obj(
    name = term_names[j], coef = unname(beta[j]), se = unname(se[j]), robust_se = NA,
    hr = exp(unname(beta[j])), lower = exp(unname(beta[j] - z * se[j])),
    upper = exp(unname(beta[j] + z * se[j])), z = unname(beta[j] / se[j]),
    p = pchisq(unname((beta[j] / se[j])^2), 1, lower.tail = FALSE)))
  df <- sum(!is.na(beta))
  tst <- function(x) obj(chisq = unname(x), df = df, p = pchisq(unname(x), df, lower.tail = FALSE))
  cc <- concordance(fit)
  obj(n = fit$n, n_events = fit$nevent,
      missing_covariates = missing_covariates(raw, d, cols, spec),
      terms = terms, loglik = obj(null = fit$loglik[1], fit = fit$loglik[2]),
      tests = obj(lr = tst(2 * diff(fit$loglik)), wald = tst(fit$wald.test), score = tst(fit$score)),
      concordance = obj(estimate = unname(cc$concordance), se = sqrt(unname(cc$var))))
}

run_complete_case <- function(cs) {
  dir <- file.path(OUT, cs$name); dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  write_raw_csv(cs$data, file.path(dir, "data.csv"))
  write_json(cs$spec, file.path(dir, "spec.json"), digits = 15)
  raw <- read_raw_csv(file.path(dir, "data.csv"), ",")
  res <- ps_result(cs, raw)
  res$r_call <- "see tests/r/make_reference_complete.R (header)"
  ing <- ingest(raw, cs$spec, ",")
  res$km <- km_section(ing, cs$spec)
  res$logrank <- logrank_section(ing, cs$spec)
  res$rmst_difference <- rmst_difference(ing, res$km)
  res$cox <- cox_complete(raw, ing, cs$spec)
  write_json(res, file.path(dir, "expected.json"))
  cat(sprintf("%-22s data %4d  cox %4d (missing %d)  propensity %4d (missing %d)\n", cs$name,
              nrow(ing$d), res$cox$n, res$cox$missing_covariates$n, res$propensity$n,
              res$propensity$missing_covariates$n))
}

COMPLETE_CASES <- list()
add_complete <- function(...) COMPLETE_CASES[[length(COMPLETE_CASES) + 1]] <<- list(...)

# 1. Synthetic: covariates missing in different rows for cox and propensity; a
#    categorical covariate (stage) whose most frequent level is "II" over the data but
#    "I" over the cox model's rows (marker is missing mostly on stage II rows); group B
#    followed for a shorter time (at_times and tau past B's follow-up only; 100 past
#    both); a negative time on a row also missing a covariate (negative_time wins); a
#    missing group (the data's own exclusion).
local({
  i <- 1:90
  g <- ifelse(i %% 2 == 1, "A", "B")
  t_a <- round(5 + 90 * ((i * 37) %% 101) / 101, 1)
  t_b <- round(3 + 55 * ((i * 53) %% 97) / 97, 1)
  time <- ifelse(g == "A", t_a, t_b)
  status <- as.integer((i * 7) %% 3 != 0)
  stage <- ifelse(i %% 5 %in% c(0, 1), "II",
                  ifelse(i %% 5 == 2 | (i %% 5 == 3 & i %% 2 == 0), "I", "III"))
  marker <- round(1 + ((i * 29) %% 53) / 10, 1)
  marker_chr <- chr(marker); marker_chr[stage == "II" & !(i %% 6 %in% c(2, 3))] <- "NA"
  stage[i %in% c(7, 19)] <- ""
  age <- chr(40 + (i * 11) %% 41); age[i %in% c(4, 15, 33, 10)] <- "."
  time_chr <- chr(time); time_chr[i == 10] <- "-3"
  g[i == 11] <- "NA"
  df <- data.frame(os_months = time_chr, dead = chr(status), arm = g, stage = stage,
                   marker = marker_chr, age = age)
  add_complete(name = "complete_synth", source = "synthetic (deterministic)",
    description = "cox on stage + marker + age (rows complete for all three; stage's reference I there, II over the data), propensity on age + stage (its own rows, reference II); at_times 12/50/70/100 (70 past B's follow-up only, 100 past both); rmst tau 80 past B; negative time with a missing age -> negative_time; missing group -> missing",
    data = df,
    spec = list(time = list(column = "os_months"), event = list(column = "dead"),
                group = list(column = "arm", reference = "A"),
                covariates = list(list(column = "stage", type = "categorical"),
                                  list(column = "marker"), list(column = "age")),
                km = list(conf_type = "log", conf_level = 0.95, times = arr(c(12, 50, 70, 100))),
                logrank = list(rho = 0, pairwise = "none"),
                rmst = list(tau = 80),
                cox = obj(),
                propensity = list(covariates = arr(c("age", "stage")), estimand = "ATE"),
                adjusted = obj()))
})

# 2. lung: cox on ph_ecog (categorical), wt_loss, meal_cal (47 + 14 missing, overlapping);
#    propensity on age + ph_karno (1 missing); at_times 1000 past the women's follow-up
#    (965 days) only; rmst tau 1000.
local({
  x <- survival::lung
  df <- data.frame(time_days = chr(x$time), status = chr(x$status),
                   sex = ifelse(x$sex == 1, "male", "female"), age = chr(x$age),
                   ph_ecog = chr(x$ph.ecog), ph_karno = chr(x$ph.karno),
                   wt_loss = chr(x$wt.loss), meal_cal = chr(x$meal.cal))
  add_complete(name = "complete_lung", source = "survival::lung",
    description = "cox on ph_ecog (categorical) + wt_loss + meal_cal, propensity on age + ph_karno: different rows left out per model, data and km on all 228; at_times 1000 past the women's last time; rmst tau 1000",
    data = df,
    spec = list(time = list(column = "time_days"), event = list(column = "status"),
                group = list(column = "sex", reference = "male", levels = arr(c("male", "female"))),
                covariates = list(list(column = "ph_ecog", type = "categorical"),
                                  list(column = "wt_loss"), list(column = "meal_cal")),
                km = list(conf_type = "log-log", conf_level = 0.95, times = arr(c(365, 1000))),
                logrank = list(rho = 0, pairwise = "none"),
                rmst = list(tau = 1000),
                cox = obj(),
                propensity = list(covariates = arr(c("age", "ph_karno")), estimand = "ATE"),
                adjusted = obj()))
})

for (cs in COMPLETE_CASES) run_complete_case(cs)
