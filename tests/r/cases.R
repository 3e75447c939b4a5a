# The reference cases: data as exported (all text), spec, description.
# Sourced by make_reference.R; defines CASES. Deterministic (fixed seeds, fixed origins).

CASES <- list()
add <- function(...) CASES[[length(CASES) + 1]] <<- list(...)
day0 <- as.Date("2000-01-01")

# 1. lung: 1/2 event coding (detected), NA in ph.ecog -> missing, log-log 0.90, times past end
local({
  x <- survival::lung
  df <- data.frame(patient_id = sprintf("L%03d", seq_len(nrow(x))), inst = chr(x$inst),
                   time_days = chr(x$time), status = chr(x$status),
                   sex = ifelse(x$sex == 1, "M", "F"), age = chr(x$age),
                   ph_ecog = chr(x$ph.ecog), wt_loss = chr(x$wt.loss))
  add(name = "lung", source = "survival::lung",
      description = "status 1/2 (auto-detected, 2 = death); sex M/F with levels; ph_ecog NA -> missing (wt_loss NA not used, not excluded); km log-log 0.90 with a time past the last observation; rmst 730; logrank rho 0, no pairwise",
      data = df,
      spec = list(time = list(column = "time_days"), event = list(column = "status"),
                  group = list(column = "sex", reference = "M", levels = arr(c("M", "F"))),
                  covariates = list(list(column = "age"), list(column = "ph_ecog")),
                  km = list(conf_type = "log-log", conf_level = 0.90, times = arr(c(90, 180, 365, 730, 1100))),
                  logrank = list(rho = 0, pairwise = "none", adjust = "none"),
                  rmst = list(tau = 730)))
})

# 2. aml (= leukemia): tiny, tied times, default levels (reference first), log 0.95, km {}
local({
  x <- survival::aml
  df <- data.frame(weeks = chr(x$time), relapse = chr(x$status), maintenance = as.character(x$x))
  add(name = "aml", source = "survival::aml (also known as leukemia)",
      description = "0/1 coding; group without levels (default order: reference first, then first appearance); km {} = log 0.95, no times; rmst tau 40; pairwise reference + bonferroni (one pair)",
      data = df,
      spec = list(time = list(column = "weeks"), event = list(column = "relapse"),
                  group = list(column = "maintenance", reference = "Maintained"),
                  km = obj(), logrank = list(rho = 0, pairwise = "reference", adjust = "bonferroni"),
                  rmst = list(tau = 40)))
})

# 3. ovarian: true/false event, plain CI, rho 0.5, strata
local({
  x <- survival::ovarian
  df <- data.frame(futime = chr(x$futime), dead = ifelse(x$fustat == 1, "true", "false"),
                   rx = ifelse(x$rx == 1, "cyclophosphamide", "cyclophosphamide+adriamycin"),
                   residual_disease = ifelse(x$resid.ds == 1, "no", "yes"), age = chr(x$age))
  add(name = "ovarian", source = "survival::ovarian",
      description = "true/false event coding; plain CI 0.95; strata residual_disease; rho 0.5; pairwise reference + holm; rmst tau 1000",
      data = df,
      spec = list(time = list(column = "futime"), event = list(column = "dead"),
                  group = list(column = "rx", reference = "cyclophosphamide",
                               levels = arr(c("cyclophosphamide", "cyclophosphamide+adriamycin"))),
                  strata = arr("residual_disease"),
                  km = list(conf_type = "plain", conf_level = 0.95, times = arr(c(365, 730, 1095))),
                  logrank = list(rho = 0.5, pairwise = "reference", adjust = "holm"),
                  rmst = list(tau = 1000)))
})

# 4. veteran: 4 groups, reference without levels, rho 1, pairwise all + BH
local({
  x <- survival::veteran
  df <- data.frame(trt = ifelse(x$trt == 1, "standard", "test"), celltype = as.character(x$celltype),
                   time = chr(x$time), status = chr(x$status), karno = chr(x$karno))
  add(name = "veteran", source = "survival::veteran",
      description = "4 groups (celltype), reference 'large' without levels -> order large, squamous, smallcell, adeno; log 0.95; rho 1 (Peto-Peto weights); pairwise all + BH; rmst tau 365 -> 3 differences",
      data = df,
      spec = list(time = list(column = "time"), event = list(column = "status"),
                  group = list(column = "celltype", reference = "large"),
                  km = list(conf_type = "log", conf_level = 0.95, times = arr(c(30, 90, 180, 365))),
                  logrank = list(rho = 1, pairwise = "all", adjust = "BH"),
                  rmst = list(tau = 365)))
})

# 5. colon, death only (etype == 2): 3 arms, strata sex, nodes NA -> missing (empty token), log-log
local({
  x <- survival::colon; x <- x[x$etype == 2, ]
  df <- data.frame(id = chr(x$id), rx = as.character(x$rx), sex = ifelse(x$sex == 1, "male", "female"),
                   age = chr(x$age), nodes = chr(x$nodes, na = ""), differ = chr(x$differ, na = ""),
                   time = chr(x$time), status = chr(x$status))
  add(name = "colon_death", source = "survival::colon[etype == 2, ]",
      description = "death endpoint; 3 arms Obs/Lev/Lev+5FU; strata sex; covariate nodes with empty cells -> missing (differ empty but unused); log-log 0.95; pairwise reference + holm; rmst tau 2500",
      data = df,
      spec = list(time = list(column = "time"), event = list(column = "status", values = arr("1"), censored_values = arr("0")),
                  group = list(column = "rx", reference = "Obs", levels = arr(c("Obs", "Lev", "Lev+5FU"))),
                  covariates = list(list(column = "age"), list(column = "nodes")),
                  strata = arr("sex"),
                  km = list(conf_type = "log-log", conf_level = 0.95, times = arr(c(365, 1825, 3000))),
                  logrank = list(rho = 0, pairwise = "reference", adjust = "holm"),
                  rmst = list(tau = 2500)))
})

# 6. pbc: status 0/1/2, death = 2, transplant 1 censored via values/censored_values;
#    trt NA (not randomised) written as "." -> missing; plain 0.90
local({
  x <- survival::pbc
  df <- data.frame(id = chr(x$id), days = chr(x$time), status = chr(x$status),
                   trt = ifelse(is.na(x$trt), ".", ifelse(x$trt == 1, "D-penicillamine", "placebo")),
                   age = sprintf("%.2f", x$age), sex = as.character(x$sex), stage = chr(x$stage, na = "."))
  add(name = "pbc", source = "survival::pbc",
      description = "event values ['2'], censored_values ['0','1'] (transplant censored); trt '.' -> missing (106 rows); plain CI 0.90; pairwise reference + bonferroni; rmst tau 3650",
      data = df,
      spec = list(time = list(column = "days"),
                  event = list(column = "status", values = arr("2"), censored_values = arr(c("0", "1"))),
                  group = list(column = "trt", reference = "D-penicillamine", levels = arr(c("D-penicillamine", "placebo"))),
                  km = list(conf_type = "plain", conf_level = 0.90, times = arr(c(365, 1825, 3650, 5000))),
                  logrank = list(rho = 0, pairwise = "reference", adjust = "bonferroni"),
                  rmst = list(tau = 3650)))
})

# 7. mgus2 with dates %d/%m/%Y, unit months; end before start -> negative_time; values only
local({
  x <- survival::mgus2
  start <- day0 + (x$id * 37L) %% 7300L
  end <- start + round(x$futime * 30.4375)
  neg <- c(5, 250, 1000)                       # three rows with end date before start date
  end[neg] <- start[neg] - c(1, 30, 400)
  df <- data.frame(id = chr(x$id), sex = as.character(x$sex), age = chr(x$age),
                   diagnosis_date = format(start, "%d/%m/%Y"), last_contact = format(end, "%d/%m/%Y"),
                   death = ifelse(x$death == 1, "1", "0"), hgb = chr(x$hgb))
  add(name = "mgus2_dates", source = "survival::mgus2 with dates built from a fixed origin (2000-01-01 + (id*37 mod 7300) days; end = start + round(futime*30.4375) days)",
      description = "time from two %d/%m/%Y date columns in months (days / 30.4375); 3 end-before-start rows -> negative_time; event values ['1'] only (rest censored); log 0.95 with times incl. past end; pairwise none",
      data = df,
      spec = list(time = list(start = "diagnosis_date", end = "last_contact", unit = "months", date_format = "%d/%m/%Y"),
                  event = list(column = "death", values = arr("1")),
                  group = list(column = "sex", reference = "F", levels = arr(c("F", "M"))),
                  km = list(conf_type = "log", conf_level = 0.95, times = arr(c(12, 60, 120, 240, 500))),
                  logrank = list(rho = 0, pairwise = "none", adjust = "holm"),
                  rmst = list(tau = 240)))
})

# 8. kidney with ISO dates (auto), unit days; levels excluding a disease (other_group)
local({
  x <- survival::kidney
  start <- day0 + (x$id * 53L + x$time %% 17L) %% 4000L
  end <- start + x$time
  df <- data.frame(patient = chr(x$id), catheter_insertion = format(start, "%Y-%m-%d"),
                   removal_or_infection = format(end, "%Y-%m-%d"), infection = chr(x$status),
                   sex = ifelse(x$sex == 1, "M", "F"), disease = as.character(x$disease), age = chr(x$age))
  add(name = "kidney_dates", source = "survival::kidney with ISO dates from a fixed origin",
      description = "ISO dates with date_format auto, unit days; disease levels GN, AN, PKD (Other -> other_group); log-log 0.95; pairwise reference + holm; rmst tau 300",
      data = df,
      spec = list(time = list(start = "catheter_insertion", end = "removal_or_infection", unit = "days", date_format = "auto"),
                  event = list(column = "infection"),
                  group = list(column = "disease", reference = "GN", levels = arr(c("GN", "AN", "PKD"))),
                  km = list(conf_type = "log-log", conf_level = 0.95, times = arr(c(7, 30, 100, 365))),
                  logrank = list(rho = 0, pairwise = "reference", adjust = "holm"),
                  rmst = list(tau = 300)))
})

# 9. gbsg: 686 rows, grade 1/2/3, plain 0.95, pairwise all + holm
local({
  x <- survival::gbsg
  df <- data.frame(pid = chr(x$pid), age = chr(x$age), size_mm = chr(x$size), grade = paste0("G", x$grade),
                   nodes = chr(x$nodes), hormon = ifelse(x$hormon == 1, "yes", "no"),
                   rfs_days = chr(x$rfstime), recurrence = chr(x$status))
  add(name = "gbsg", source = "survival::gbsg",
      description = "686 rows; 3 groups G1/G2/G3; plain 0.95; pairwise all + holm; rmst tau 1825",
      data = df,
      spec = list(time = list(column = "rfs_days"), event = list(column = "recurrence"),
                  group = list(column = "grade", reference = "G1", levels = arr(c("G1", "G2", "G3"))),
                  km = list(conf_type = "plain", conf_level = 0.95, times = arr(c(365, 1825, 2500))),
                  logrank = list(rho = 0, pairwise = "all", adjust = "holm"),
                  rmst = list(tau = 1825)))
})

# 10. retinopathy: ';'-separated with decimal commas, strata type, BH
local({
  x <- survival::retinopathy
  df <- data.frame(id = chr(x$id), eye = as.character(x$eye), laser = as.character(x$laser),
                   age = chr(x$age), type = as.character(x$type),
                   treatment = ifelse(x$trt == 1, "laser", "control"),
                   futime_months = sub(".", ",", chr(x$futime), fixed = TRUE),
                   risk = chr(x$risk), status = chr(x$status))
  add(name = "retinopathy_semicolon", source = "survival::retinopathy", sep = ";",
      description = "';'-separated file with decimal commas in the time column; strata type (juvenile/adult); log 0.95; pairwise reference + BH; rmst tau 60",
      data = df,
      spec = list(time = list(column = "futime_months"), event = list(column = "status"),
                  group = list(column = "treatment", reference = "control", levels = arr(c("control", "laser"))),
                  strata = arr("type"),
                  km = list(conf_type = "log", conf_level = 0.95, times = arr(c(12, 24, 60))),
                  logrank = list(rho = 0, pairwise = "reference", adjust = "BH"),
                  rmst = list(tau = 60)))
})

# 11. flchain subsample: 10 groups (flc.grp), creatinine NA -> missing, times 0, log-log
local({
  x <- survival::flchain
  keep <- seq(1, nrow(x), by = 7)               # deterministic 1-in-7 subsample (1125 rows)
  x <- x[keep, ]
  df <- data.frame(age = chr(x$age), sex = as.character(x$sex), flc_group = paste0("decile", x$flc.grp),
                   creatinine = chr(x$creatinine, na = "N/A"), futime = chr(x$futime), death = chr(x$death))
  add(name = "flchain_10groups", source = "survival::flchain[seq(1, 7874, by = 7), ]",
      description = "10 groups (df 9), levels decile1..decile10; creatinine 'N/A' -> missing; follow-up 0 days present; log-log 0.95; pairwise reference, adjust none; rmst tau 4000",
      data = df,
      spec = list(time = list(column = "futime"), event = list(column = "death"),
                  group = list(column = "flc_group", reference = "decile1", levels = arr(paste0("decile", 1:10))),
                  covariates = list(list(column = "creatinine")),
                  km = list(conf_type = "log-log", conf_level = 0.95, times = arr(c(0, 1000, 3000, 5000))),
                  logrank = list(rho = 0, pairwise = "reference", adjust = "none"),
                  rmst = list(tau = 4000)))
})

# 12. synthetic: flat at exactly 0.5 (interior and at the end), flat at 0.75 at the end,
#     median not reached, KM ending at 0, heavy ties
local({
  mk <- function(g, t, e) data.frame(arm = g, months = t, event = e)
  df <- rbind(
    mk("flat_half_interior", c(1, 2, 3, 4, 5, 6, 8, 9), c(1, 1, 1, 1, 0, 0, 1, 0)),
    mk("flat_half_end", c(1, 2, 3, 4), c(1, 1, 0, 0)),
    mk("flat_75_end", c(2, 3, 4, 6), c(1, 0, 0, 0)),
    mk("six_to_half", c(1, 2, 3, 7, 7, 7), c(1, 1, 1, 0, 0, 0)),
    mk("not_reached", c(1, 2, 2, 3, 5, 5, 8, 9, 9, 12), c(1, 0, 1, 0, 0, 0, 1, 0, 0, 0)),
    mk("to_zero", c(1, 1, 2, 3, 3), c(1, 1, 1, 1, 1)),
    mk("heavy_ties", rep(c(2, 4, 6), each = 6), rep(c(1, 1, 1, 0, 0, 1), 3)))
  df$months <- chr(df$months); df$event <- chr(df$event)
  add(name = "synth_flat_median", source = "synthetic (tests/r/cases.R)",
      description = "median on an interior flat at 0.5 (midpoint), curve ending flat at 0.5 (print median = flat start), quantile 0.25 on a curve ending flat at 0.75 (midpoint to last time), S = 0.5 reached through floating products (1-1/6)(1-1/5)(1-1/4), median not reached, curve ending at 0 (std_err/limits null), heavy ties; log 0.95; times incl. past end; rmst tau 10 (past several ends); pairwise all, adjust none",
      data = df,
      spec = list(time = list(column = "months"), event = list(column = "event"),
                  group = list(column = "arm", reference = "flat_half_interior",
                               levels = arr(c("flat_half_interior", "flat_half_end", "flat_75_end", "six_to_half",
                                              "not_reached", "to_zero", "heavy_ties"))),
                  km = list(conf_type = "log", conf_level = 0.95, times = arr(c(0.5, 2, 4, 8, 20))),
                  logrank = list(rho = 0, pairwise = "all", adjust = "none"),
                  rmst = list(tau = 10)))
})

# 13. synthetic: text vital status, missing tokens, negative times, near-ties, recode,
#     other_group, quoted field with a comma, strata, plain CI, rho 0.5, all + bonferroni
local({
  set.seed(20240601)
  n <- 90
  arm_raw <- sample(c("IM", "IM, trial", "IM+HR", "IM+RFA", "IM+TACE", "Other"), n, replace = TRUE,
                    prob = c(.3, .1, .25, .12, .13, .1))
  t <- sample(1:15, n, replace = TRUE)           # heavy ties
  vital <- sample(c("Dead", "Alive"), n, replace = TRUE, prob = c(.55, .45))
  vital[c(7, 19)] <- c("DEAD", "alive")          # case-insensitive words
  center <- sample(c("A", "B"), n, replace = TRUE)
  tt <- as.character(t)
  tt[c(3, 11)] <- c("0.30000000000000004", "0.3")          # a near-tie pair (timefix -> 0.3)
  tt[c(14, 15)] <- c("2.0000000001", "2")                   # another (diff 1e-10)
  tt[c(21, 22, 23)] <- c("-1", "-0.5", "-3")                # negative -> negative_time
  tt[c(25, 26)] <- c(".", "NA")                             # missing tokens
  center[c(30)] <- "NA"                                    # missing stratum
  vital[c(33)] <- ""                                       # missing event
  tt[c(40)] <- "-2"; center[40] <- "."                     # missing wins over negative_time
  arm_raw[41] <- "Other"; tt[41] <- "NA"                   # other_group wins over missing
  df <- data.frame(patient = sprintf("P%03d", 1:n), arm = arm_raw, center = center,
                   followup_months = tt, vital_status = vital)
  add(name = "synth_ingest", source = "synthetic (tests/r/cases.R, set.seed(20240601))",
      description = "vital status Dead/Alive (detected, case-insensitive); missing '.', 'NA', ''; negative times; near-tied times (0.1+0.2 vs 0.3; 2+1e-10 vs 2) merged by timefix; recode IM+RFA and IM+TACE -> IM+RFA/TACE and quoted 'IM, trial' -> IM; 'Other' -> other_group; precedence other_group > missing > negative_time; strata center; plain 0.95; rho 0.5; pairwise all + bonferroni; rmst tau 12",
      data = df,
      spec = list(time = list(column = "followup_months"), event = list(column = "vital_status"),
                  group = list(column = "arm", reference = "IM",
                               recode = list("IM, trial" = "IM", "IM+RFA" = "IM+RFA/TACE", "IM+TACE" = "IM+RFA/TACE"),
                               levels = arr(c("IM", "IM+HR", "IM+RFA/TACE"))),
                  strata = arr("center"),
                  km = list(conf_type = "plain", conf_level = 0.95, times = arr(c(3, 6, 12, 24))),
                  logrank = list(rho = 0.5, pairwise = "all", adjust = "bonferroni"),
                  rmst = list(tau = 12)))
})

# 14. stanford2 without a group, dates %m/%d/%Y in weeks, died/alive words with values
local({
  x <- survival::stanford2
  start <- day0 + (x$id * 29L) %% 5000L
  end <- start + x$time
  df <- data.frame(id = chr(x$id), transplant_date = format(start, "%m/%d/%Y"),
                   last_seen = format(end, "%m/%d/%Y"), outcome = ifelse(x$status == 1, "died", "alive"),
                   age = chr(x$age), t5 = chr(x$t5))
  add(name = "stanford2_nogroup", source = "survival::stanford2 with %m/%d/%Y dates from a fixed origin",
      description = "no group (one curve 'all'); dates %m/%d/%Y in weeks; event values ['died'] censored_values ['alive']; t5 NA -> missing; log-log 0.90; rmst tau 260; no logrank",
      data = df,
      spec = list(time = list(start = "transplant_date", end = "last_seen", unit = "weeks", date_format = "%m/%d/%Y"),
                  event = list(column = "outcome", values = arr("died"), censored_values = arr("alive")),
                  covariates = list(list(column = "age"), list(column = "t5")),
                  km = list(conf_type = "log-log", conf_level = 0.90, times = arr(c(4, 52, 104, 520))),
                  rmst = list(tau = 260)))
})

# 15. synthetic: log-log with S = 1 rows (censoring before the first event) and
#     at_times at 0 (survfit0's inserted row has limits 1, 1 even for log-log);
#     dates %d.%m.%Y in years; yes/no event
local({
  t_days <- c(30, 60, 200, 365, 365, 400, 500, 730, 1000, 1200,
              10, 100, 365, 500, 600, 800, 900, 1500, 2000, 2100)
  ev <- c("no", "no", "yes", "yes", "no", "yes", "no", "yes", "yes", "no",
          "no", "yes", "yes", "no", "yes", "yes", "no", "yes", "no", "no")
  arm <- rep(c("A", "B"), each = 10)
  start <- day0 + seq(0, by = 97, length.out = 20)
  df <- data.frame(arm = arm, start = format(start, "%d.%m.%Y"), end = format(start + t_days, "%d.%m.%Y"),
                   event = ev)
  add(name = "synth_loglog_start", source = "synthetic (tests/r/cases.R)",
      description = "log-log 0.95 where S = 1 rows exist (limits null) and at_times at 0 (R's survfit0 row: lower = upper = 1) and before the first event; dates %d.%m.%Y in years; yes/no event; pairwise reference, adjust none; rmst tau 5 (past end of A)",
      data = df,
      spec = list(time = list(start = "start", end = "end", unit = "years", date_format = "%d.%m.%Y"),
                  event = list(column = "event"),
                  group = list(column = "arm", reference = "A", levels = arr(c("A", "B"))),
                  km = list(conf_type = "log-log", conf_level = 0.95, times = arr(c(0, 0.05, 1, 10))),
                  logrank = list(rho = 0, pairwise = "reference", adjust = "none"),
                  rmst = list(tau = 5)))
})

# 16. the app's demo cohort with the app's demo spec (www/demo; synthetic)
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
               rmst = list(tau = 120))
  add(name = "demo_gist", source = "www/demo/gist_liver_mets_demo.csv (synthetic, examples/demo_cohort.rs)",
      description = "the demo cohort with the demo spec (www/demo/demo_spec.json): ISO dates in months, values ['Dead'], covariate cells 'NA'/'' -> missing, log-log 0.95, reference + holm, rmst tau 120",
      data = df, spec = spec)
})
