# The competing-risks reference cases. Sourced by make_reference_competing.R; defines
# CR_CASES. Deterministic (bundled datasets; the synthetic case uses a fixed seed).

CR_CASES <- list()
add_cr <- function(...) CR_CASES[[length(CR_CASES) + 1]] <<- list(...)
source(file.path("tests", "r", "datasets.R"), local = TRUE)   # covs, lung_frame, pbc_trial_frame
cr_all <- function(times) list(times = arr(times), gray = TRUE, fine_gray = TRUE, cause_specific = TRUE)
# event with the three lists (censored NULL: every other token censored)
event3 <- function(column, values, competing, censored = NULL)
  Filter(Negate(is.null), list(column = column, values = arr(values), competing_values = arr(competing),
                               censored_values = if (!is.null(censored)) arr(censored)))
km_times <- function(conf_type, conf_level, times) list(conf_type = conf_type, conf_level = conf_level, times = arr(times))

# 1. mgus2: progression (event) vs death without progression (competing), by sex
local({
  x <- survival::mgus2
  etime <- ifelse(x$pstat == 0, x$futime, x$ptime)
  ev <- ifelse(x$pstat == 0, 2 * x$death, 1)
  df <- data.frame(id = chr(x$id), sex = as.character(x$sex), age = chr(x$age),
                   hgb = chr(x$hgb), months = chr(etime), status = chr(ev))
  add_cr(name = "cr_mgus2", source = "survival::mgus2: time = ptime if pstat else futime; status 1 = progression, 2 = death before progression, 0 = censored",
         description = "competing_values [2] only: the other tokens 0/1 detected; sex F/M; covariates age, hgb (13 NA -> left out of the models only); km log 0.95 with times 60/120/480 (480 after every curve's end: beyond_follow_up); cause-specific logrank; cox efron robust (the cause-specific models robust too)",
         data = df,
         spec = list(time = list(column = "months"),
                     event = list(column = "status", competing_values = arr("2")),
                     group = list(column = "sex", reference = "F", levels = arr(c("F", "M"))),
                     covariates = covs("age", "hgb"),
                     km = km_times("log", 0.95, c(60, 120, 480)),
                     logrank = list(rho = 0, pairwise = "none"),
                     cox = list(ties = "efron", robust = TRUE),
                     competing_risks = cr_all(c(60, 120, 480))))
})

# 2. pbc: 0/1/2 with 1 = transplant competing, 2 = death the event; trt, 106 rows without it
local({
  x <- survival::pbc
  df <- data.frame(id = chr(x$id), days = chr(x$time), status = chr(x$status),
                   trt = ifelse(is.na(x$trt), ".", ifelse(x$trt == 1, "D-penicillamine", "placebo")),
                   age = chr(x$age), bili = chr(x$bili), edema = chr(x$edema))
  add_cr(name = "cr_pbc", source = "survival::pbc (418 rows, 106 without trt)",
         description = "values [2], competing_values [1], censored_values [0]; trt '.' -> missing (106 rows); edema categorical (0/0.5/1, default reference = most frequent); km plain 0.90, times 1000/3000/5000 (5000 beyond both curves); cox efron; no transplant with edema 1: the competing cause-specific model has an infinite edema=1 coefficient (coxph warns)",
         data = df,
         spec = list(time = list(column = "days"),
                     event = event3("status", "2", "1", "0"),
                     group = list(column = "trt", reference = "placebo",
                                  levels = arr(c("placebo", "D-penicillamine"))),
                     covariates = covs("age", "bili", list(column = "edema", type = "categorical")),
                     km = km_times("plain", 0.90, c(1000, 3000, 5000)),
                     logrank = list(rho = 0, pairwise = "none"),
                     cox = list(ties = "efron"),
                     competing_risks = cr_all(c(1000, 3000, 5000))))
})

# 3. Synthetic heavy ties: 3 groups, times 1..11 (integers), word tokens
local({
  set.seed(18)
  n <- 150
  g <- rep(c("IM", "IM+HR", "IM+RFA"), each = n / 3)
  age <- sample(40:80, n, replace = TRUE)
  stage <- sample(c("I", "II", "III"), n, replace = TRUE, prob = c(0.3, 0.4, 0.3))
  time <- pmin(11, 1 + rpois(n, ifelse(g == "IM", 4, ifelse(g == "IM+HR", 6, 5))))
  status <- sample(c("died_gist", "died_other", "alive"), n, replace = TRUE, prob = c(0.45, 0.25, 0.3))
  status[g == "IM+HR" & status == "died_gist" & time > 5] <- "alive"
  df <- data.frame(patient = sprintf("P%03d", seq_len(n)), treatment = g, os_months = chr(time),
                   outcome = status, age = chr(age), stage = stage)
  add_cr(name = "cr_ties", source = "synthetic (deterministic)",
         description = "word tokens died_gist (event) / died_other (competing) / alive (censored); 150 rows on 11 distinct times (events, competing events and censorings tied); 3 groups; stage categorical with reference II; km log-log 0.95; times 0.5 (before every first time: survfit0's row), 3, 6, 12 (after the last time); pairwise all + holm; cox breslow",
         data = df,
         spec = list(time = list(column = "os_months"),
                     event = event3("outcome", "died_gist", "died_other", "alive"),
                     group = list(column = "treatment", reference = "IM", levels = arr(c("IM", "IM+HR", "IM+RFA"))),
                     covariates = covs("age", list(column = "stage", type = "categorical", reference = "II")),
                     km = km_times("log-log", 0.95, c(0.5, 3, 6, 12)),
                     logrank = list(rho = 0, pairwise = "all", adjust = "holm"),
                     cox = list(ties = "breslow"),
                     competing_risks = cr_all(c(0.5, 3, 6, 12))))
})

# 4. pbc by histologic stage: stage 1 has no transplant (no competing event)
local({
  x <- survival::pbc
  df <- data.frame(days = chr(x$time), status = chr(x$status), stage = chr(x$stage),
                   age = chr(x$age), bili = chr(x$bili))
  add_cr(name = "cr_no_competing_in_group", source = "survival::pbc by stage (6 rows without stage)",
         description = "values [2] + competing_values [1] (0 censored as the other token); group stage, reference 3 without levels (order 3, then first appearance); stage 1 has no competing event: its competing CIF is 0 throughout (log limits null), Gray's test still has df 3, the competing cause-specific model has an infinite coefficient (coxph warns: the value where coxph stops, as cox_rats_separation); no km key: CIF conf log 0.95 by default",
         data = df,
         spec = list(time = list(column = "days"),
                     event = event3("status", "2", "1"),
                     group = list(column = "stage", reference = "3"),
                     covariates = covs("age", "bili"),
                     competing_risks = cr_all(c(730, 1825, 3650))))
})

# 5. colon: recurrence (event) vs death without recurrence (competing), strata sex
local({
  x <- survival::colon
  r <- x[x$etype == 1, ]; dth <- x[x$etype == 2, ]
  stopifnot(identical(r$id, dth$id))
  time <- ifelse(r$status == 1, r$time, dth$time)
  status <- ifelse(r$status == 1, "recurrence", ifelse(dth$status == 1, "death", "censored"))
  df <- data.frame(id = chr(r$id), rx = as.character(r$rx), sex = ifelse(r$sex == 1, "male", "female"),
                   age = chr(r$age), nodes = chr(r$nodes, na = ""), time = chr(time), status = status)
  add_cr(name = "cr_strata", source = "survival::colon: recurrence (etype 1) or, without it, death (etype 2)",
         description = "strata sex: Gray's test stratified (cuminc strata), cause-specific logrank stratified; CIFs, Fine-Gray and the cause-specific models unstratified; 3 arms; nodes empty -> left out of the models only; km plain 0.95; pairwise reference + holm",
         data = df,
         spec = list(time = list(column = "time"),
                     event = event3("status", "recurrence", "death", "censored"),
                     group = list(column = "rx", reference = "Obs", levels = arr(c("Obs", "Lev", "Lev+5FU"))),
                     covariates = covs("age", "nodes"),
                     strata = arr("sex"),
                     km = km_times("plain", 0.95, c(365, 1825, 3000)),
                     logrank = list(rho = 0, pairwise = "reference", adjust = "holm"),
                     competing_risks = cr_all(c(365, 1825, 3000))))
})

# 6. flchain (every 10th row): circulatory death vs other death, fractional case weights
local({
  x <- survival::flchain[seq(1, nrow(survival::flchain), by = 10), ]
  i <- seq_len(nrow(x))
  status <- ifelse(x$death == 0, "alive", ifelse(!is.na(x$chapter) & x$chapter == "Circulatory", "circulatory", "other_death"))
  df <- data.frame(sex = as.character(x$sex), age = chr(x$age), creatinine = chr(x$creatinine),
                   futime = chr(x$futime), status = status,
                   weights = chr(0.5 + ((i * 7) %% 5) / 4))
  add_cr(name = "cr_weights", source = "survival::flchain[seq(1, 7874, by = 10), ]: death from a circulatory cause vs another death",
         description = "values [circulatory] + competing_values [other_death] (alive censored as the other token); fractional case weights: weighted CIFs (survfit weights, robust IJ variance; n_risk / n_event are R's unweighted counts), gray and fine_gray null, cause-specific coxph with weights (robust = FALSE as the cox section); creatinine NA -> left out of the models; no km key (log 0.95)",
         data = df,
         spec = list(time = list(column = "futime"),
                     event = event3("status", "circulatory", "other_death"),
                     group = list(column = "sex", reference = "F", levels = arr(c("F", "M"))),
                     covariates = covs("age", "creatinine"),
                     weights = list(column = "weights"),
                     competing_risks = cr_all(c(1000, 3000, 5000))))
})

# 7. rotterdam (every 3rd row): recurrence vs death without recurrence; propensity + adjusted
local({
  x <- survival::rotterdam[seq(1, nrow(survival::rotterdam), by = 3), ]
  time <- ifelse(x$recur == 1, x$rtime, x$dtime)
  status <- ifelse(x$recur == 1, "recurrence", ifelse(x$death == 1, "death", "censored"))
  df <- data.frame(pid = chr(x$pid), chemo = ifelse(x$chemo == 1, "yes", "no"), age = chr(x$age),
                   nodes = chr(x$nodes), size = as.character(x$size), days = chr(time), status = status)
  add_cr(name = "cr_adjusted", source = "survival::rotterdam[seq(1, 2982, by = 3), ]: recurrence, or death without recurrence",
         description = "propensity (binomial, ATE) on age, nodes, size + adjusted: adjusted.cif = weighted CIFs (weights = w, robust = TRUE) next to the cause-specific adjusted km / cox; km log-log 0.95, times 1825/3650/7300 (7300 beyond both curves)",
         data = df,
         spec = list(time = list(column = "days"),
                     event = event3("status", "recurrence", "death", "censored"),
                     group = list(column = "chemo", reference = "no", levels = arr(c("no", "yes"))),
                     covariates = covs("age", "nodes", list(column = "size", type = "categorical", reference = "<=20")),
                     km = km_times("log-log", 0.95, c(1825, 3650, 7300)),
                     propensity = list(estimand = "ATE"),
                     adjusted = obj(),
                     competing_risks = cr_all(c(1825, 3650, 7300))))
})

# 8. transplant: no group; death (event) vs transplant or withdrawal (two competing tokens)
local({
  x <- survival::transplant
  df <- data.frame(age = chr(x$age), sex = as.character(x$sex), abo = as.character(x$abo),
                   futime = chr(x$futime), event = as.character(x$event))
  add_cr(name = "cr_nogroup", source = "survival::transplant (liver transplant waiting list)",
         description = "no group: one CIF per cause (group 'all'), gray null, Fine-Gray and cause-specific models on covariates only (age, sex categorical, abo categorical reference O); competing_values [ltx, withdraw] (two tokens, one cause); censored_values [censored]; follow-up 0 rows; km plain 0.95, times 30/365/2100 (2100 after the end)",
         data = df,
         spec = list(time = list(column = "futime"),
                     event = event3("event", "death", c("ltx", "withdraw"), "censored"),
                     covariates = covs("age", list(column = "sex", type = "categorical"),
                                       list(column = "abo", type = "categorical", reference = "O")),
                     km = km_times("plain", 0.95, c(30, 365, 2100)),
                     competing_risks = cr_all(c(30, 365, 2100))))
})
