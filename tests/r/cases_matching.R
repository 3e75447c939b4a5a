# The matching reference cases. Sourced by make_reference_matching.R; defines MATCH_CASES.
# Deterministic (bundled datasets; the synthetic cases use fixed seeds).

MATCH_CASES <- list()
add_match <- function(...) MATCH_CASES[[length(MATCH_CASES) + 1]] <<- list(...)
source(file.path("tests", "r", "datasets.R"), local = TRUE)   # covs, lung_frame, pbc_trial_frame

# 1. lung: 1:1, caliper 0.2, largest first; NA covariates leave rows out of the model
local({
  df <- lung_frame()
  add_match(name = "match_lung_caliper", source = "survival::lung",
            description = "1:1 nearest neighbour, caliper 0.2 SD of the logit, largest first; female vs male on age, ph_ecog, wt_loss (15 rows missing a covariate: left out of the model); every weight 1 (Greenwood curves); km log-log with times; rmst 700",
            data = df,
            spec = list(time = list(column = "time_days"), event = list(column = "status"),
                        group = list(column = "sex", reference = "male", levels = arr(c("male", "female"))),
                        covariates = covs("age", "ph_ecog", "wt_loss"),
                        km = list(conf_type = "log-log", conf_level = 0.95, times = arr(c(180, 365, 730))),
                        rmst = list(tau = 700),
                        matching = list(ratio = 1, caliper = 0.2, replace = FALSE, order = "largest")))
})

# 2. rotterdam: 1:2 without caliper (enough controls: every treated gets two)
local({
  x <- survival::rotterdam
  df <- data.frame(id = chr(x$pid), dtime = chr(x$dtime), death = chr(x$death),
                   chemo = ifelse(x$chemo == 1, "chemo", "none"), age = chr(x$age),
                   meno = chr(x$meno), size = as.character(x$size), grade = chr(x$grade),
                   nodes = chr(x$nodes), pgr = chr(x$pgr), er = chr(x$er))
  add_match(name = "match_rotterdam_ratio2", source = "survival::rotterdam (2982 patients, 580 with chemotherapy)",
            description = "1:2 without caliper, largest first (two rounds; 2402 controls for 580 treated: every treated matched twice, every weight 1); size categorical (<=20, 20-50, >50); matching.covariates named in the section; km log 0.95 with times; rmst 3650",
            data = df,
            spec = list(time = list(column = "dtime"), event = list(column = "death"),
                        group = list(column = "chemo", reference = "none", levels = arr(c("none", "chemo"))),
                        km = list(conf_type = "log", conf_level = 0.95, times = arr(c(1825, 3650))),
                        rmst = list(tau = 3650),
                        matching = list(covariates = arr(c("age", "meno", "size", "grade", "nodes", "pgr", "er")),
                                        ratio = 2, order = "largest")))
})

# 3. veteran: with replacement, 1:2, caliper 0.5
local({
  x <- survival::veteran
  df <- data.frame(time = chr(x$time), status = chr(x$status),
                   trt = ifelse(x$trt == 1, "standard", "test"), celltype = as.character(x$celltype),
                   karno = chr(x$karno), age = chr(x$age), diagtime = chr(x$diagtime))
  add_match(name = "match_veteran_replace", source = "survival::veteran",
            description = "with replacement, 1:2, caliper 0.5 SD, largest first: controls reused (non-integer weights: IJ curves and RMST se), unstratified log-rank, Cox clustered by patient; celltype categorical (4 levels, reference squamous); km plain 0.90; rmst 365",
            data = df,
            spec = list(time = list(column = "time"), event = list(column = "status"),
                        group = list(column = "trt", reference = "standard", levels = arr(c("standard", "test"))),
                        covariates = covs("age", "karno", "diagtime", list(column = "celltype", reference = "squamous")),
                        km = list(conf_type = "plain", conf_level = 0.90, times = arr(c(90, 180))),
                        rmst = list(tau = 365),
                        matching = list(ratio = 2, caliper = 0.5, replace = TRUE, order = "largest")))
})

# 4. pbc: smallest first, caliper 0.1
local({
  df <- pbc_trial_frame()
  add_match(name = "match_pbc_smallest", source = "survival::pbc, the 312 randomized patients",
            description = "1:1, caliper 0.1 SD, smallest first; edema typed categorical (0, 0.5, 1), stage categorical with reference 3; status 2 = death (0/1 censored); km log 0.95",
            data = df,
            spec = list(time = list(column = "days"),
                        event = list(column = "status", values = arr("2"), censored_values = arr(c("0", "1"))),
                        group = list(column = "trt", reference = "placebo", levels = arr(c("placebo", "D-penicillamine"))),
                        covariates = covs("age", list(column = "edema", type = "categorical"), "bili", "albumin",
                                          list(column = "stage", type = "categorical", reference = "3")),
                        km = list(conf_type = "log", conf_level = 0.95, times = arr(c(1000, 3000))),
                        matching = list(ratio = 1, caliper = 0.1, order = "smallest")))
})

# 5. colon (death): three arms, two comparisons against Obs
local({
  x <- survival::colon[survival::colon$etype == 2, ]
  df <- data.frame(time = chr(x$time), status = chr(x$status), rx = as.character(x$rx),
                   age = chr(x$age), sex = ifelse(x$sex == 1, "male", "female"),
                   nodes = chr(x$nodes, ""), differ = chr(x$differ, ""), obstruct = chr(x$obstruct))
  add_match(name = "match_colon_three_arms", source = "survival::colon, etype 2 (death)",
            description = "three arms: Lev vs Obs and Lev+5FU vs Obs, each 1:1 with caliper 0.2 SD, largest first; differ categorical (3 levels) and nodes with empty cells (left out of each comparison's model, counted in missing_covariates); km log 0.95; rmst 1825",
            data = df,
            spec = list(time = list(column = "time"), event = list(column = "status"),
                        group = list(column = "rx", reference = "Obs", levels = arr(c("Obs", "Lev", "Lev+5FU"))),
                        covariates = covs("age", "sex", "nodes", list(column = "differ", type = "categorical"), "obstruct"),
                        km = list(conf_type = "log", conf_level = 0.95, times = arr(c(365, 1825))),
                        rmst = list(tau = 1825),
                        matching = list(ratio = 1, caliper = 0.2, order = "largest")))
})

# 6. Synthetic, categorical covariates only: many tied scores; file order
local({
  set.seed(2026)
  n <- 240
  stage <- sample(c("I", "II", "III"), n, replace = TRUE, prob = c(0.4, 0.35, 0.25))
  ecog <- sample(c("0", "1"), n, replace = TRUE)
  sex <- sample(c("F", "M"), n, replace = TRUE)
  p <- plogis(-0.8 + 0.6 * (stage == "III") + 0.4 * (ecog == "1") - 0.3 * (sex == "M"))
  arm <- ifelse(runif(n) < p, "surgery", "medical")
  t <- round(rexp(n, 0.04 * exp(0.5 * (stage == "III") - 0.3 * (arm == "surgery"))), 1)
  cens <- round(runif(n, 5, 60), 1)
  df <- data.frame(months = chr(pmin(t, cens)), dead = ifelse(t <= cens, "yes", "no"), arm = arm,
                   stage = stage, ecog = ecog, sex = sex)
  df$ecog[c(7, 50)] <- "NA"
  add_match(name = "match_synth_ties_data", source = "synthetic (seed 2026): 240 patients, three categorical covariates (12 patterns)",
            description = "1:1 without caliper, file order; only 12 distinct scores, so ties in the score and in the distance decide (first control in the file); ecog missing on lines 8 and 51 (left out); yes/no event; km log 0.95",
            data = df,
            spec = list(time = list(column = "months"), event = list(column = "dead"),
                        group = list(column = "arm", reference = "medical", levels = arr(c("medical", "surgery"))),
                        covariates = covs("stage", "ecog", "sex"),
                        km = list(conf_type = "log", conf_level = 0.95, times = arr(c(12, 24))),
                        matching = list(ratio = 1, order = "data")))
})

# 7. Synthetic, caliper 0 with 1:2: exact matching on the score pattern, uneven sets
local({
  set.seed(7)
  n <- 300
  grade <- sample(c("low", "mid", "high"), n, replace = TRUE, prob = c(0.5, 0.3, 0.2))
  node <- sample(c("neg", "pos"), n, replace = TRUE, prob = c(0.6, 0.4))
  p <- plogis(-1 + 1.2 * (grade == "high") + 0.7 * (node == "pos"))
  arm <- ifelse(runif(n) < p, "B", "A")
  t <- round(rweibull(n, 1.3, 40 * exp(-0.4 * (node == "pos") + 0.2 * (arm == "B"))), 2)
  cens <- round(runif(n, 10, 80), 2)
  df <- data.frame(time = chr(pmin(t, cens)), event = as.integer(t <= cens), arm = arm,
                   grade = grade, node = node)
  add_match(name = "match_synth_caliper0_ratio2", source = "synthetic (seed 7): 300 patients, grade (3 levels) and node (2)",
            description = "1:2, caliper 0 (identical scores only), largest first: patterns with fewer than two controls per treated leave second-round sets short (non-integer weights: IJ curves and RMST se); rmst 50; km log-log 0.95",
            data = df,
            spec = list(time = list(column = "time"), event = list(column = "event"),
                        group = list(column = "arm", reference = "A", levels = arr(c("A", "B"))),
                        covariates = covs("grade", "node"),
                        km = list(conf_type = "log-log", conf_level = 0.95, times = arr(c(20, 40))),
                        rmst = list(tau = 50),
                        matching = list(ratio = 2, caliper = 0, order = "largest")))
})
