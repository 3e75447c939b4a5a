# The follow-up / conditional-survival reference cases. Sourced by
# make_reference_follow_up.R; defines FU_CASES. Deterministic (bundled datasets, the
# app's demo cohort; synthetic columns use fixed seeds).

FU_CASES <- list()
add_fu <- function(...) FU_CASES[[length(FU_CASES) + 1]] <<- list(...)
cond <- function(given, times) list(given = arr(given), times = arr(times))

# 1. lung: 3 groups (ph.ecog 0/1/2; the one ecog 3 row is another group, one NA missing)
local({
  x <- survival::lung
  df <- data.frame(inst = chr(x$inst), days = chr(x$time), status = chr(x$status),
                   ecog = chr(x$ph.ecog), age = chr(x$age))
  add_fu(name = "fu_lung", source = "survival::lung",
         description = "3 groups (ph.ecog 0/1/2; ecog 3 -> other_group, NA -> missing); status 1/2 detected; km log-log 0.95 (the follow-up limits and conditional curves use it); conditional given 365 and 180 (listed out of order: reported ascending), times 90/180/365/730 (730 past some curves' end)",
         data = df,
         spec = list(time = list(column = "days"), event = list(column = "status"),
                     group = list(column = "ecog", levels = arr(c("0", "1", "2"))),
                     km = list(conf_type = "log-log", conf_level = 0.95, times = arr(c(180, 365))),
                     follow_up = obj(),
                     conditional = cond(c(365, 180), c(90, 180, 365, 730))))
})

# 2. the app's demo cohort with non-integer case weights
local({
  df <- read.csv(file.path("www", "demo", "gist_liver_mets_demo.csv"), colClasses = "character",
                 na.strings = character(0), check.names = FALSE)
  set.seed(19)
  df$w <- sprintf("%.3f", runif(nrow(df), 0.4, 2.5))
  add_fu(name = "fu_demo_weights", source = "www/demo/gist_liver_mets_demo.csv (synthetic) plus a weight column w (runif(0.4, 2.5), seed 19, 3 decimals)",
         description = "dates in months, values ['Dead'], 3 groups; case weights w (non-integer: Greenwood variance as km, survfit robust = FALSE); km log 0.90; conditional given 12, 24, times 12/24/60",
         data = df,
         spec = list(time = list(start = "lm_diagnosis_date", end = "last_contact_date", unit = "months", date_format = "auto"),
                     event = list(column = "vital_status", values = arr("Dead")),
                     group = list(column = "treatment", reference = "IM", levels = arr(c("IM", "IM+HR", "IM+RFA/TACE"))),
                     weights = list(column = "w"),
                     km = list(conf_type = "log", conf_level = 0.90, times = arr(numeric(0))),
                     follow_up = obj(),
                     conditional = cond(c(12, 24), c(12, 24, 60))))
})

# 3. heavy ties, competing events, given 0
local({
  set.seed(1919)
  n <- 160
  arm <- rep(c("A", "B"), each = n / 2)
  time <- sample(1:12, n, replace = TRUE)
  status <- sample(c("alive", "dead_cancer", "dead_other"), n, replace = TRUE, prob = c(0.45, 0.35, 0.2))
  df <- data.frame(id = seq_len(n), months = as.character(time), status = status, arm = arm)
  add_fu(name = "fu_ties_competing", source = "synthetic (seed 1919): integer times 1..12, 160 rows",
         description = "heavy ties at every integer time; event dead_cancer, competing dead_other, censored alive: the reverse KM counts only 'alive' as censoring (a death of either cause ends follow-up), the conditional curves censor the competing death; km plain 0.95; conditional given 0 (every row: the km curves), 2, 6; times 0/1/3/6",
         data = df,
         spec = list(time = list(column = "months"),
                     event = list(column = "status", values = arr("dead_cancer"),
                                  competing_values = arr("dead_other"), censored_values = arr("alive")),
                     group = list(column = "arm", reference = "A"),
                     km = list(conf_type = "plain", conf_level = 0.95, times = arr(c(1, 3, 6))),
                     follow_up = obj(),
                     conditional = cond(c(0, 2, 6), c(0, 1, 3, 6))))
})

# 4. aml: a given beyond one group's follow-up and one beyond everybody's; no km key
local({
  x <- survival::aml
  df <- data.frame(weeks = chr(x$time), status = chr(x$status), x = as.character(x$x))
  add_fu(name = "fu_aml_beyond", source = "survival::aml (23 rows)",
         description = "no km key (log 0.95 defaults); conditional given 30, 50 (Nonmaintained has no row after 45: empty curve), 200 (after everybody: empty curves); times 10/100 (100 past the Nonmaintained curve at given 30)",
         data = df,
         spec = list(time = list(column = "weeks"), event = list(column = "status"),
                     group = list(column = "x", reference = "Maintained"),
                     follow_up = obj(),
                     conditional = cond(c(30, 50, 200), c(10, 100))))
})

# 5. ovarian: no group
local({
  x <- survival::ovarian
  df <- data.frame(futime = chr(x$futime), fustat = chr(x$fustat), age = chr(x$age))
  add_fu(name = "fu_ovarian_nogroup", source = "survival::ovarian (26 rows)",
         description = "no group: one follow-up entry 'all' and one conditional curve 'all'; km log 0.95; conditional given 0, 365, 1000 (medians not reached -> null), times 100/365",
         data = df,
         spec = list(time = list(column = "futime"), event = list(column = "fustat"),
                     km = list(conf_type = "log", conf_level = 0.95, times = arr(numeric(0))),
                     follow_up = obj(),
                     conditional = cond(c(0, 365, 1000), c(100, 365))))
})

# 6. delayed entry (left truncation) on the study clock, with a competing event
local({
  set.seed(6019)
  n <- 200
  arm <- sample(c("A", "B"), n, replace = TRUE)
  entry <- round(runif(n, 0, 10), 1)
  exit <- entry + round(rexp(n, ifelse(arm == "A", 1 / 20, 1 / 30)), 1) + 0.1
  status <- sample(c("0", "1", "2"), n, replace = TRUE, prob = c(0.5, 0.35, 0.15))
  df <- data.frame(entry_months = sprintf("%.1f", entry), months = sprintf("%.1f", exit),
                   status = status, arm = arm)
  add_fu(name = "fu_entry", source = "synthetic (seed 6019): entry U(0, 10), exit = entry + Exp + 0.1, one decimal",
         description = "time.entry (delayed entry): the reverse KM on (entry, exit] (Surv(entry, time, status == 0)); conditional rows enter at max(entry - s, 0); competing_values 2; given 6 (rows entering after 6 join later on the shifted clock), 24; times 6/12; km log-log 0.95",
         data = df,
         spec = list(time = list(entry = "entry_months", column = "months"),
                     event = list(column = "status", values = arr("1"), competing_values = arr("2"),
                                  censored_values = arr("0")),
                     group = list(column = "arm", reference = "A"),
                     km = list(conf_type = "log-log", conf_level = 0.95, times = arr(c(6, 12))),
                     follow_up = obj(),
                     conditional = cond(c(6, 24), c(6, 12))))
})
