# The subgroups reference cases. Sourced by make_reference_subgroups.R; defines SUB_CASES.
# Deterministic (bundled datasets; the synthetic cases use fixed seeds).

SUB_CASES <- list()
add_sub <- function(...) SUB_CASES[[length(SUB_CASES) + 1]] <<- list(...)
source(file.path("tests", "r", "datasets.R"), local = TRUE)   # covs, lung_frame, pbc_trial_frame

lung_df <- function() {
  x <- survival::lung
  data.frame(inst = chr(x$inst), time = chr(x$time), status = chr(x$status),
             age = chr(x$age), sex = ifelse(x$sex == 1, "male", "female"),
             ph.ecog = chr(x$ph.ecog),
             karnofsky = ifelse(is.na(x$ph.karno), "NA", ifelse(x$ph.karno >= 80, "80-100", "50-70")),
             wt.loss = chr(x$wt.loss))
}

# 1. lung, crude: sex (categorical), age cut at 60, ph.ecog one level per value
add_sub(name = "sub_lung", source = "survival::lung; group = physician-rated Karnofsky score 80-100 vs 50-70 (ph.karno, 1 row missing -> left out)",
        description = "adjust false; sex categorical (words), age cut [60] -> ≤60 / >60, ph.ecog without cut -> 0/1/2/3 (one row missing: left out of the ph.ecog rows only; ecog 3 is one patient: a group without event -> null terms); LR interaction tests",
        data = lung_df(),
        spec = list(time = list(column = "time"), event = list(column = "status"),
                    group = list(column = "karnofsky", reference = "80-100"),
                    cox = list(ties = "efron"),
                    subgroups = list(columns = list(list(column = "sex"), list(column = "age", cut = arr(60)),
                                                    list(column = "ph.ecog")),
                                     adjust = FALSE)))

# 2. lung, adjusted for the covariates (minus the subgroup column), Breslow ties
add_sub(name = "sub_lung_adjust", source = "survival::lung; group as sub_lung",
        description = "adjust true with covariates age, ph.ecog, wt.loss (14 missing: left out of every model, counted in missing_covariates); age cut [60, 70] -> ≤60 / 60–70 / >70 (age leaves the covariates in its own rows); ph.ecog both covariate and subgroup column; ties breslow",
        data = lung_df(),
        spec = list(time = list(column = "time"), event = list(column = "status"),
                    group = list(column = "karnofsky", reference = "80-100"),
                    covariates = covs("age", "ph.ecog", "wt.loss"),
                    cox = list(ties = "breslow"),
                    subgroups = list(columns = list(list(column = "sex"), list(column = "age", cut = arr(c(60, 70))),
                                                    list(column = "ph.ecog")),
                                     adjust = TRUE)))

# 3. veteran with case weights: robust variance, robust Wald interaction
local({
  x <- survival::veteran
  df <- data.frame(id = chr(seq_len(nrow(x))), time = chr(x$time), status = chr(x$status),
                   trt = ifelse(x$trt == 1, "standard", "test"), celltype = as.character(x$celltype),
                   karno = chr(x$karno), age = chr(x$age),
                   w = chr(1 + (seq_len(nrow(x)) %% 3) / 2))
  add_sub(name = "sub_veteran_weights", source = "survival::veteran; w = 1 + (row %% 3) / 2 (deterministic case weights)",
          description = "case weights 1/1.5/2: robust level models and wald_robust interaction; celltype 4 levels (reference squamous given as covariate), karno cut [50, 70]; adjust true with covariates age, celltype",
          data = df,
          spec = list(time = list(column = "time"), event = list(column = "status"),
                      group = list(column = "trt", reference = "standard"),
                      covariates = covs("age", list(column = "celltype", reference = "squamous")),
                      weights = list(column = "w"),
                      cox = list(ties = "efron"),
                      subgroups = list(columns = list(list(column = "celltype"), list(column = "karno", cut = arr(c(50, 70)))),
                                       adjust = TRUE)))
})

# 4. colon, two rows per patient (recurrence and death) clustered by patient, 3 groups
local({
  x <- survival::colon
  df <- data.frame(id = chr(x$id), time = chr(x$time), status = chr(x$status), rx = as.character(x$rx),
                   sex = ifelse(x$sex == 1, "male", "female"), age = chr(x$age),
                   nodes = chr(x$nodes))
  add_sub(name = "sub_colon_cluster", source = "survival::colon (both event types: 2 rows per patient)",
          description = "cluster id (robust variance, wald_robust interaction with df 2 per binary column); 3 groups Obs/Lev/Lev+5FU; sex, age cut [65]; nodes cut [4] (36 missing -> left out of the nodes rows only); adjust false",
          data = df,
          spec = list(time = list(column = "time"), event = list(column = "status"),
                      group = list(column = "rx", reference = "Obs", levels = arr(c("Obs", "Lev", "Lev+5FU"))),
                      cluster = list(column = "id"),
                      cox = list(ties = "efron"),
                      subgroups = list(columns = list(list(column = "sex"), list(column = "age", cut = arr(65)),
                                                      list(column = "nodes", cut = arr(4))),
                                       adjust = FALSE)))
})

# 5. Synthetic: a level where one arm has no event, an empty cut level, a missing level
local({
  set.seed(19)
  n <- 120
  g <- rep(c("A", "B"), each = n / 2)
  stage <- sample(c("I", "II", "III"), n, replace = TRUE, prob = c(0.35, 0.4, 0.25))
  size <- round(runif(n, 1, 9), 1)
  time <- round(rexp(n, ifelse(g == "A", 1 / 20, 1 / 30)), 1) + 0.1
  status <- rbinom(n, 1, 0.7)
  status[g == "B" & stage == "III"] <- 0
  stage[c(5, 77)] <- "unknown"
  age <- sample(35:85, n, replace = TRUE)
  df <- data.frame(id = sprintf("S%03d", seq_len(n)), arm = g, months = chr(time),
                   died = ifelse(status == 1, "yes", "no"), stage = stage, size = chr(size), age = chr(age))
  add_sub(name = "sub_no_events", source = "synthetic (set.seed(19))",
          description = "arm B has no death in stage III: null terms and subgroup_no_events; stage 'unknown' is a missing token here (2 rows left out of the stage rows only); size cut [5, 100]: the level >100 has no row (null terms); adjust true with age, ties breslow",
          data = df,
          spec = list(time = list(column = "months"), event = list(column = "died", values = arr("yes")),
                      group = list(column = "arm", reference = "A"),
                      covariates = covs("age"),
                      missing = arr(c("", "NA", "unknown")),
                      cox = list(ties = "breslow"),
                      subgroups = list(columns = list(list(column = "stage"), list(column = "size", cut = arr(c(5, 100)))),
                                       adjust = TRUE)))
})

# 6. The demo cohort: propensity + adjusted; adjusted.subgroups in the weighted population
local({
  df <- read.csv(file.path("www", "demo", "gist_liver_mets_demo.csv"), colClasses = "character",
                 na.strings = character(0), check.names = FALSE)
  add_sub(name = "sub_demo_adjusted", source = "www/demo/gist_liver_mets_demo.csv",
          description = "the issue's question: age ≤60 / >60 and extrahepatic, crude (adjust false) and in the ATE-weighted population (adjusted.subgroups: weights, robust, wald_robust); 3 groups",
          data = df,
          spec = list(time = list(start = "lm_diagnosis_date", end = "last_contact_date", unit = "months", date_format = "auto"),
                      event = list(column = "vital_status", values = arr("Dead")),
                      group = list(column = "treatment", reference = "IM", levels = arr(c("IM", "IM+HR", "IM+RFA/TACE"))),
                      covariates = covs("age", "sex", "ecog", "extrahepatic"),
                      cox = list(ties = "efron"),
                      propensity = list(estimand = "ATE"),
                      adjusted = obj(),
                      subgroups = list(columns = list(list(column = "age", cut = arr(60)), list(column = "extrahepatic")),
                                       adjust = FALSE)))
})

# 7. lung weighted by a propensity model of its own columns, subgroups adjusted
add_sub(name = "sub_lung_ps_adjust", source = "survival::lung; group as sub_lung",
        description = "propensity (age, sex; ATE) + adjusted: adjusted.subgroups with adjust true (covariates age and wt.loss: wt.loss missing on 14 rows leaves them out of the models, the propensity rows keep them); sex and age cut [60]; crude section with LR tests, weighted with robust Wald tests",
        data = lung_df(),
        spec = list(time = list(column = "time"), event = list(column = "status"),
                    group = list(column = "karnofsky", reference = "80-100"),
                    covariates = covs("age", "wt.loss"),
                    cox = list(ties = "efron"),
                    propensity = list(estimand = "ATE", covariates = arr(c("age", "sex"))),
                    adjusted = obj(),
                    subgroups = list(columns = list(list(column = "sex"), list(column = "age", cut = arr(60))),
                                     adjust = TRUE)))
