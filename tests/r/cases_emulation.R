# Cases of make_reference_emulation.R (sourced from it; uses its helpers).
arr <- function(x) I(x)

# A simulated cohort: age, sex; local treatment at a random time for the treated groups.
sim <- function(n, seed, confounded, treat_rate = 0.5, u_max = 12) {
  set.seed(seed)
  age <- round(rnorm(n, 62, 9))
  sex <- sample(c("F", "M"), n, replace = TRUE, prob = c(0.45, 0.55))
  treated <- runif(n) < treat_rate
  rate <- 0.02 * exp(if (confounded) 0.03 * (age - 62) + 0.3 * (sex == "M") else 0)
  death <- rexp(n, rate)
  u <- ifelse(treated, round(runif(n, 0, u_max), 1), NA)
  # treated patients who die before their treatment were never treated (reference group)
  dead_first <- treated & death <= u
  treated[dead_first] <- FALSE; u[dead_first] <- NA
  # the treated live longer after treatment (hazard ratio 0.6 from u on)
  after <- treated & death > u
  death[after] <- u[after] + (death[after] - u[after]) / 0.6
  cens <- runif(n, 24, 120)
  time <- round(pmin(death, cens), 2)
  status <- as.integer(death <= cens)
  u[treated & u >= time] <- NA; treated[treated & is.na(u)] <- FALSE
  data.frame(id = 1:n, time = time, status = status,
             group = ifelse(treated, "local", "systemic"), u = u, age = age, sex = sex,
             stringsAsFactors = FALSE)
}

run_case <- function(name, d, grace, covs, times, tau, spec_extra = list(), group_ref = "systemic",
                     spec_covs = covs, treat_levels = NULL, description = "",
                     censoring_survival = "exponential") {
  treated <- d$group != group_ref
  ok <- fits(d$time, treated, d$u) & d$time >= 0
  for (c in covs) ok <- ok & !is.na(d[[c]]) & d[[c]] != ""
  r <- d[ok, ]
  X <- design(r, covs)
  em <- emulate(r$time, r$status, r$u, X, grace, times, tau, censoring_survival)
  spec <- c(list(time = list(column = "time"), event = list(column = "status", values = arr("1")),
                 group = list(column = "group", reference = group_ref),
                 covariates = lapply(spec_covs, function(c) list(column = c)),
                 treatment_time = list(column = "u"),
                 emulation = c(list(grace = grace, covariates = if (length(covs)) arr(covs) else list(), times = arr(times), tau = tau),
                               if (censoring_survival != "exponential") list(censoring_survival = censoring_survival))),
            spec_extra)
  if (!length(spec_covs)) spec$covariates <- NULL
  write_case(name, d, spec, list(r_description = description, emulation = em))
}

# 1. the app's demo cohort (www/demo; synthetic): dates in months, treatment date,
#    censoring covariates age, ecog (one missing) and extrahepatic (a factor); also with
#    product-limit censoring probabilities (emu_demo_gist_product_limit).
for (form in c("exponential", "product_limit")) local({
  df <- read.csv(file.path("www", "demo", "gist_liver_mets_demo.csv"), colClasses = "character",
                 na.strings = character(0), check.names = FALSE)
  day <- function(x) as.numeric(as.Date(x))
  time <- (day(df$last_contact_date) - day(df$lm_diagnosis_date)) / 30.4375
  u <- ifelse(df$local_treatment_date == "", NA, (day(df$local_treatment_date) - day(df$lm_diagnosis_date)) / 30.4375)
  status <- as.integer(df$vital_status == "Dead")
  treated <- df$treatment != "IM"
  covs <- c("age", "ecog", "extrahepatic")
  num <- function(v) suppressWarnings(as.numeric(ifelse(v %in% c("", "NA"), NA, v)))
  d <- data.frame(time = time, status = status, u = u, age = num(df$age), ecog = num(df$ecog),
                  extrahepatic = ifelse(df$extrahepatic %in% c("", "NA"), NA, df$extrahepatic),
                  stringsAsFactors = FALSE)
  ok <- fits(d$time, treated, d$u) & d$time >= 0 & complete.cases(d[, covs])
  r <- d[ok, ]
  X <- design(r, covs)
  times <- c(12, 36, 60, 120)
  em <- emulate(r$time, r$status, r$u, X, 6, times, 120, form)
  spec <- list(time = list(start = "lm_diagnosis_date", end = "last_contact_date", unit = "months", date_format = "auto"),
               event = list(column = "vital_status", values = arr("Dead")),
               group = list(column = "treatment", reference = "IM", levels = arr(c("IM", "IM+HR", "IM+RFA/TACE"))),
               covariates = lapply(c("age", "sex", "ecog", "extrahepatic"), function(c) list(column = c)),
               treatment_time = list(date = "local_treatment_date"),
               emulation = c(list(grace = 6, covariates = arr(covs), times = arr(times), tau = 120),
                             if (form != "exponential") list(censoring_survival = form)))
  dir_df <- df
  write_case(if (form == "exponential") "demo_gist" else "demo_gist_product_limit", dir_df, spec,
             list(r_description = paste0("demo cohort, grace 6 months, covariates age + ecog + extrahepatic",
                                          if (form != "exponential") ", product-limit censoring probabilities"),
                  emulation = em))
})

# 2. no confounding: treatment timing independent of age and sex; a few rows whose
#    treatment time does not fit and rows missing a covariate (left out); also with
#    product-limit censoring probabilities (emu_sim_unconfounded_product_limit).
for (form in c("exponential", "product_limit")) local({
  d <- sim(400, 11, confounded = FALSE)
  d$u[3] <- 1.5                                       # reference row with a treatment time
  k <- which(d$group == "local")[1:2]; d$u[k[1]] <- NA; d$u[k[2]] <- d$time[k[2]] + 1  # misfits
  d$age[c(5, 9)] <- NA; d$sex[12] <- ""
  run_case(if (form == "exponential") "sim_unconfounded" else "sim_unconfounded_product_limit",
           d, grace = 3, covs = c("age", "sex"), times = c(6, 12, 24, 60, 200), tau = 60,
           spec_extra = list(missing = arr(c("", "NA"))), censoring_survival = form,
           description = paste0("no confounding, grace 3, misfit rows and missing covariates, a time past follow-up",
                                if (form != "exponential") ", product-limit censoring probabilities"))
})

# 3. grace 0: only treatment at time 0 counts; some patients treated at 0.
local({
  d <- sim(300, 23, confounded = TRUE)
  k <- which(d$group == "local")
  d$u[k[seq(1, length(k), by = 3)]] <- 0
  run_case("grace0", d, grace = 0, covs = c("age"), times = c(12, 36), tau = 48,
           description = "grace 0, a third of the treated treated at time 0")
})

# 4. nobody treated after the grace period (every u <= grace): the treat arm has no
#    clone treated late; confounded timing.
local({
  d <- sim(300, 37, confounded = TRUE, u_max = 6)
  run_case("nobody_late", d, grace = 6, covs = c("age", "sex"), times = c(12, 24, 48), tau = 60,
           description = "every treatment time within the grace period")
})

# 5. no censoring covariates: the weights are the Nelson-Aalen of censoring.
local({
  d <- sim(250, 41, confounded = TRUE)
  run_case("no_covariates", d, grace = 4, covs = character(0), times = c(12, 36), tau = 60,
           spec_covs = character(0), description = "covariates []: Nelson-Aalen weights")
})

# 6. no censoring covariates, product-limit: the weights are the Kaplan-Meier of
#    censoring (cross-checked against survfit(fit, stype = 1)); the curves equal case 5's.
local({
  d <- sim(250, 41, confounded = TRUE)
  run_case("no_covariates_product_limit", d, grace = 4, covs = character(0), times = c(12, 36), tau = 60,
           spec_covs = character(0), censoring_survival = "product_limit",
           description = "covariates [], product-limit: Kaplan-Meier weights, the curves of emu_no_covariates")
})
