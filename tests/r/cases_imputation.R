# The cases of make_reference_imputation.R: datasets of survival with real missing
# covariates, the imputation settings and the SurvLens spec of each. Every case writes
# mice's long format (complete(imp, "long", include = TRUE)): set 0 is the original data
# with its missing values, sets 1..m the imputed ones.
#
# Each case: name, description, source, data (a data.frame with time, status 0/1, the
# group column and the covariates), group (column, levels: reference first), covariates
# (list of list(column, type)), seed, and the spec's extra sections.

IMP_CASES <- list(
  list(
    name = "imp_pbc_two_groups",
    description = "two groups (placebo, D-penicillamine); numeric covariates with real missing values (chol 28, copper 2, trig 30 of 312 rows); cox efron; rmst tau 3000",
    source = "survival::pbc, the 312 randomized rows; death (status 2) is the event, transplant censored",
    data = local({
      d <- survival::pbc[1:312, ]
      data.frame(time = d$time, status = as.integer(d$status == 2),
                 trt = ifelse(d$trt == 1, "D-penicillamine", "placebo"),
                 age = d$age, chol = d$chol, copper = d$copper, trig = d$trig)
    }),
    group = list(column = "trt", levels = c("placebo", "D-penicillamine")),
    covariates = list(list(column = "age"), list(column = "chol"),
                      list(column = "copper"), list(column = "trig")),
    seed = 2112L,
    extra = list(cox = list(ties = "efron"), rmst = list(tau = 3000))
  ),
  list(
    name = "imp_colon_three_groups",
    description = "three arms (Obs, Lev, Lev+5FU); nodes missing on 18 rows; breslow ties; rmst tau 2000 (two differences)",
    source = "survival::colon, etype 2 (death)",
    data = local({
      d <- survival::colon[survival::colon$etype == 2, ]
      data.frame(time = d$time, status = d$status, rx = as.character(d$rx),
                 age = d$age, nodes = d$nodes, obstruct = d$obstruct)
    }),
    group = list(column = "rx", levels = c("Obs", "Lev", "Lev+5FU")),
    covariates = list(list(column = "age"), list(column = "nodes"), list(column = "obstruct")),
    seed = 77L,
    extra = list(cox = list(ties = "breslow"), rmst = list(tau = 2000))
  ),
  list(
    name = "imp_colon_categorical",
    description = "a categorical covariate with missing values (differ: well / moderate / poor, 23 missing; mice polyreg) and nodes (18 missing); default reference = the most frequent level of the complete-case rows (moderate); three arms",
    source = "survival::colon, etype 1 (recurrence)",
    data = local({
      d <- survival::colon[survival::colon$etype == 1, ]
      data.frame(time = d$time, status = d$status, rx = as.character(d$rx),
                 differ = c("well", "moderate", "poor")[d$differ],
                 nodes = d$nodes, sex = ifelse(d$sex == 1, "male", "female"))
    }),
    group = list(column = "rx", levels = c("Obs", "Lev", "Lev+5FU")),
    covariates = list(list(column = "differ", type = "categorical"), list(column = "nodes"),
                      list(column = "sex", type = "categorical")),
    seed = 5L,
    extra = list(cox = list(ties = "efron"))
  ),
  list(
    name = "imp_lung_adjusted",
    description = "propensity (ATE, refitted in every set) + adjusted: robust weighted Cox and weighted RMST differences pooled; wt.loss (14) and ph.karno (1) missing; cox robust; rmst tau 500",
    source = "survival::lung; status 2 = death; group sex (male reference)",
    data = local({
      d <- survival::lung
      data.frame(time = d$time, status = as.integer(d$status == 2),
                 sex = ifelse(d$sex == 1, "male", "female"),
                 age = d$age, ph.karno = d$ph.karno, wt.loss = d$wt.loss)
    }),
    group = list(column = "sex", levels = c("male", "female")),
    covariates = list(list(column = "age"), list(column = "ph.karno"), list(column = "wt.loss")),
    seed = 31L,
    extra = list(cox = list(ties = "efron", robust = TRUE), rmst = list(tau = 500),
                 propensity = list(estimand = "ATE"), adjusted = structure(list(), names = character(0)))
  )
)
