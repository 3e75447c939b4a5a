# The propensity / adjusted reference cases. Sourced by make_reference_propensity.R;
# defines PS_CASES. Deterministic (bundled datasets only, no random numbers).

PS_CASES <- list()
add_ps <- function(...) PS_CASES[[length(PS_CASES) + 1]] <<- list(...)
source(file.path("tests", "r", "datasets.R"), local = TRUE)   # covs, lung_frame, pbc_trial_frame

# 1. lung: two groups (binomial), ATE, NA covariates -> missing, log-log
local({
  df <- lung_frame()
  add_ps(name = "ps_lung", source = "survival::lung",
         description = "binomial propensity (sex on age, ph_ecog, wt_loss), ATE plain; adjusted km log-log 0.95 with times; rmst 700; crude cox (group + covariates); sensitivity default rare rule (common here): E-values of cox and adjusted.cox",
         data = df,
         spec = list(time = list(column = "time_days"), event = list(column = "status"),
                     group = list(column = "sex", reference = "male", levels = arr(c("male", "female"))),
                     covariates = covs("age", "ph_ecog", "wt_loss"),
                     km = list(conf_type = "log-log", conf_level = 0.95, times = arr(c(180, 365, 730))),
                     rmst = list(tau = 700),
                     cox = obj(),
                     propensity = list(estimand = "ATE"),
                     adjusted = obj(), sensitivity = obj()))
})

# 2. colon (death): three arms (multinomial), ATT focal Lev+5FU with truncation,
#    a categorical covariate with 3 levels, and a propensity-only column (extent)
local({
  x <- survival::colon[survival::colon$etype == 2, ]
  df <- data.frame(time = chr(x$time), status = chr(x$status), rx = as.character(x$rx),
                   age = chr(x$age), sex = ifelse(x$sex == 1, "male", "female"),
                   nodes = chr(x$nodes, ""), differ = chr(x$differ, ""), extent = chr(x$extent))
  add_ps(name = "ps_colon", source = "survival::colon, etype 2 (death)",
         description = "multinomial (3 arms), ATT focal Lev+5FU, truncate [0.02, 0.98] (focal rows exempt); differ categorical (3 levels, reference most frequent); extent only in the propensity model; empty cells -> missing; km log 0.95; rmst 1825",
         data = df,
         spec = list(time = list(column = "time"), event = list(column = "status"),
                     group = list(column = "rx", reference = "Obs", levels = arr(c("Obs", "Lev", "Lev+5FU"))),
                     covariates = covs("age", "sex", "nodes", list(column = "differ", type = "categorical")),
                     km = list(conf_type = "log", conf_level = 0.95, times = arr(c(365, 1825))),
                     rmst = list(tau = 1825),
                     propensity = list(covariates = arr(c("age", "sex", "nodes", "differ", "extent")),
                                       estimand = "ATT", focal = "Lev+5FU", truncate = arr(c(0.02, 0.98))),
                     adjusted = obj()))
})

# 3. pbc: two groups, ATO (overlap), categorical edema (3 levels) and stage, plain 0.90
local({
  df <- pbc_trial_frame()
  add_ps(name = "ps_pbc", source = "survival::pbc, the 312 randomized patients",
         description = "binomial, ATO (overlap weights); edema (0, 0.5, 1) typed categorical; stage categorical with reference 3; status values 2 (0/1 censored); km plain 0.90; rmst 3650",
         data = df,
         spec = list(time = list(column = "days"),
                     event = list(column = "status", values = arr("2"), censored_values = arr(c("0", "1"))),
                     group = list(column = "trt", reference = "placebo", levels = arr(c("placebo", "D-penicillamine"))),
                     covariates = covs("age", list(column = "edema", type = "categorical"), "bili", "albumin",
                                       list(column = "stage", type = "categorical", reference = "3")),
                     km = list(conf_type = "plain", conf_level = 0.90, times = arr(c(1000, 3000))),
                     rmst = list(tau = 3650),
                     propensity = list(estimand = "ATO"),
                     adjusted = obj()))
})

# 4. veteran: four groups, ATE stabilized and truncated at [0.05, 0.95]
local({
  x <- survival::veteran
  df <- data.frame(time = chr(x$time), status = chr(x$status), celltype = as.character(x$celltype),
                   karno = chr(x$karno), age = chr(x$age), diagtime = chr(x$diagtime),
                   prior = chr(x$prior), trt = ifelse(x$trt == 1, "standard", "test"))
  add_ps(name = "ps_veteran", source = "survival::veteran",
         description = "multinomial (4 cell types), ATE stabilized, truncate [0.05, 0.95]; prior typed categorical; trt categorical by detection; km log 0.95; rmst 180; sensitivity outcome_rare forced TRUE (E-values of adjusted.cox)",
         data = df,
         spec = list(time = list(column = "time"), event = list(column = "status"),
                     group = list(column = "celltype", reference = "squamous",
                                  levels = arr(c("squamous", "smallcell", "adeno", "large"))),
                     covariates = covs("karno", "age", "diagtime", list(column = "prior", type = "categorical"), "trt"),
                     km = list(conf_type = "log", conf_level = 0.95, times = arr(c(30, 90))),
                     rmst = list(tau = 180),
                     propensity = list(estimand = "ATE", stabilize = TRUE, truncate = arr(c(0.05, 0.95))),
                     adjusted = obj(), sensitivity = list(outcome_rare = TRUE)))
})

# 5. the demo cohort with the app's demo spec + propensity {} + adjusted {}
local({
  df <- read.csv(file.path("www", "demo", "gist_liver_mets_demo.csv"), colClasses = "character",
                 na.strings = character(0), check.names = FALSE)
  spec <- list(time = list(start = "lm_diagnosis_date", end = "last_contact_date", unit = "months", date_format = "auto"),
               event = list(column = "vital_status", values = arr("Dead")),
               group = list(column = "treatment", reference = "IM", levels = arr(c("IM", "IM+HR", "IM+RFA/TACE"))),
               covariates = lapply(c("age", "sex", "ecog", "n_liver_lesions", "extrahepatic", "tumour_size_cm",
                                     "mitotic_index", "kit_exon"), function(c) list(column = c)),
               km = list(conf_type = "log-log", conf_level = 0.95, times = arr(c(12, 36, 60, 120))),
               logrank = list(rho = 0, pairwise = "reference", adjust = "holm"),
               rmst = list(tau = 120),
               propensity = obj(), adjusted = obj(), sensitivity = obj())
  add_ps(name = "ps_demo_gist", source = "www/demo/gist_liver_mets_demo.csv (synthetic)",
         description = "the demo spec plus propensity {} (ATE, the spec's covariates: sex and extrahepatic categorical by detection), adjusted {}, sensitivity {}; multinomial (3 groups)",
         data = df, spec = spec)
})

# 6. flchain (every 8th row): five groups made by recoding the ten FLC deciles in pairs
#    (group recode), ATE stabilized, crude cox, sensitivity (default rule)
local({
  x <- survival::flchain[seq(1, nrow(survival::flchain), by = 8), ]
  df <- data.frame(futime = chr(x$futime), death = chr(x$death), flc_grp = chr(x$flc.grp),
                   age = chr(x$age), sex = as.character(x$sex), creatinine = chr(x$creatinine, ""))
  recode <- setNames(as.list(paste0("d", c("1-2", "1-2", "3-4", "3-4", "5-6", "5-6", "7-8", "7-8", "9-10", "9-10"))),
                     as.character(1:10))
  add_ps(name = "ps_flchain_5groups", source = "survival::flchain, rows 1, 9, 17, ...",
         description = "five groups (FLC deciles recoded in pairs), multinomial, ATE stabilized; creatinine missing -> left out (mgus left out: it separates the deciles); crude cox (group + covariates); sensitivity default rule; km log; rmst 3650",
         data = df,
         spec = list(time = list(column = "futime"), event = list(column = "death"),
                     group = list(column = "flc_grp", reference = "d1-2", recode = recode,
                                  levels = arr(c("d1-2", "d3-4", "d5-6", "d7-8", "d9-10"))),
                     covariates = covs("age", "sex", "creatinine"),
                     km = list(conf_type = "log", conf_level = 0.95, times = arr(c(1000, 3000))),
                     rmst = list(tau = 3650),
                     cox = obj(),
                     propensity = list(estimand = "ATE", stabilize = TRUE),
                     adjusted = obj(), sensitivity = obj()))
})
