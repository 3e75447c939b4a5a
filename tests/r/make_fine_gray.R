# Writes tests/fine_gray/<case>.json, the reference of survlens::stats::competing::fine_gray:
#   Rscript tests/r/make_fine_gray.R        (from the repository root; ~10 s)
# R 4.2.2, survival 3.5-3, cmprsk 2.2-11. Each file holds the data as SurvLens receives it
# (time-fixed times, outcome 0 = censored / 1 = event of interest / 2 = competing event,
# the n x p design column-major) and crr's results at 17 significant digits; keys
# starting with r_ are metadata.
#
# crr's default stop (gtol = 1e-6, maxiter = 10) is looser than SurvLens's maximum-
# likelihood solution (max |score| < 1e-9), and crr's own backtracking stalls a little
# short of it (its Armijo test compares log-likelihoods that differ by less than their
# rounding: mgus2 stops at max |score| 6e-6). So every fit is crr(gtol = 1e-12,
# maxiter = 100) followed by plain Newton steps b + solve(fit$inf, fit$score), each
# evaluated by crr itself (maxiter = 0: score, information and var at init), until
# max |score| < 1e-10; r_check records the steps and the final max |score|.
source(file.path("tests", "r", "common.R"))   # survival check, to_json
suppressPackageStartupMessages(library(cmprsk))
stopifnot(as.character(packageVersion("cmprsk")) == "2.2.11")

out_dir <- file.path("tests", "fine_gray")
dir.create(out_dir, showWarnings = FALSE)

# crr to the maximum-likelihood solution.
crr_ml <- function(time, status, x, failcode) {
  one <- function(init, maxiter)
    crr(time, status, cov1 = x, failcode = failcode, cencode = 0, gtol = 1e-12,
        maxiter = maxiter, init = init)
  fit <- one(rep(0, ncol(x)), 100)
  steps <- 0
  while (max(abs(fit$score)) >= 1e-10 && steps < 20) {
    fit <- one(fit$coef + solve(fit$inf, fit$score), 0)
    steps <- steps + 1
  }
  stopifnot(max(abs(fit$score)) < 1e-10)
  list(fit = fit, steps = steps)
}

# time: numeric; status: 0/1/2 (censored / event / competing); x: matrix with column names.
emit <- function(name, description, source, time, status, x, cause = c("event", "competing")) {
  cause <- match.arg(cause)
  time <- aeqSurv(Surv(time, status != 0))[, "time"]   # SurvLens's timefix, done once
  failcode <- if (cause == "event") 1 else 2
  r <- crr_ml(time, status, x, failcode)
  fit <- r$fit
  se <- sqrt(diag(fit$var))
  z <- fit$coef / se
  call <- sprintf("crr(time, status, cov1 = x, failcode = %d, cencode = 0, gtol = 1e-12, maxiter = 100)%s",
                  failcode, if (r$steps > 0) sprintf(", then %d Newton step(s) evaluated by crr(init = b, maxiter = 0)", r$steps) else "")
  doc <- list(
    r_case = name, r_description = description, r_source = source, r_call = call,
    r_version = R.version.string,
    r_cmprsk_version = as.character(packageVersion("cmprsk")),
    r_check = list(max_abs_score = max(abs(fit$score)), newton_steps = r$steps),
    cause = cause,
    names = I(colnames(x)),
    time = I(time), status = I(as.integer(status)),
    p = ncol(x), x = I(as.vector(x)),
    expected = list(
      n = fit$n, n_events = sum(status == failcode), converged = TRUE,
      coef = I(unname(fit$coef)), se = I(unname(se)),
      var = I(as.vector(t(fit$var))),          # row-major
      loglik = fit$loglik, loglik_null = fit$loglik.null,
      z = I(unname(z)), p = I(unname(2 * pnorm(-abs(z))))))
  writeLines(to_json(doc), file.path(out_dir, paste0(name, ".json")))
}

# ---- mgus2: progression (pstat) vs death, as the survival "compete" vignette ----------
m <- mgus2[complete.cases(mgus2[, c("sex", "age", "hgb")]), ]
m_time <- ifelse(m$pstat == 0, m$futime, m$ptime)
m_status <- ifelse(m$pstat == 0, 2 * m$death, 1)
m_x <- cbind(sex = as.numeric(m$sex == "M"), age = m$age, hgb = m$hgb)
emit("mgus2_progression", "mgus2, complete rows for sex, age, hgb; cause = progression (pstat), death competing; sex=M dummy",
     "survival::mgus2: etime = ifelse(pstat == 0, futime, ptime), event = ifelse(pstat == 0, 2 * death, 1)",
     m_time, m_status, m_x, "event")
emit("mgus2_death_competing", "mgus2 as mgus2_progression, cause = the competing event (death before progression)",
     "survival::mgus2 (as mgus2_progression)", m_time, m_status, m_x, "competing")

# ---- pbc: death, transplant competing -----------------------------------------------
p <- pbc[complete.cases(pbc[, c("trt", "age", "bili")]), ]
p_status <- c(0, 2, 1)[p$status + 1]    # pbc: 0 censored, 1 transplant, 2 death
emit("pbc_death", "pbc, randomized rows (trt not missing); cause = death, transplant competing; covariates trt, age, bili",
     "survival::pbc rows with trt, age, bili", p$time, p_status,
     cbind(trt = p$trt, age = p$age, bili = p$bili), "event")
emit("pbc_transplant_few", "pbc as pbc_death; cause = transplant (the competing code, 19 events): a cause with few events, covariates age, bili",
     "survival::pbc rows with trt, age, bili", p$time, p_status,
     cbind(age = p$age, bili = p$bili), "competing")

# ---- pbc with a categorical factor (dummies against the reference) ----------------------
pe <- pbc[complete.cases(pbc[, c("edema", "stage", "bili")]), ]
pe_status <- c(0, 2, 1)[pe$status + 1]
stage <- factor(pe$stage)                 # reference: stage 1
edema <- factor(pe$edema)                 # reference: 0
pe_x <- cbind(model.matrix(~ edema + stage)[, -1], log_bili = log(pe$bili))
colnames(pe_x) <- c("edema=0.5", "edema=1", "stage=2", "stage=3", "stage=4", "log_bili")
emit("pbc_factors", "pbc, rows with edema, stage, bili; cause = death; edema (3 levels) and stage (4 levels) as dummies, log(bili)",
     "survival::pbc, model.matrix(~ factor(edema) + factor(stage))[, -1]", pe$time, pe_status, pe_x, "event")

# ---- synthetic: heavy ties, with events, competing events and censorings at 0 -------------
set.seed(18)
n <- 400
z1 <- round(rnorm(n), 2)
z2 <- rbinom(n, 1, 0.4)
time <- sample(0:12, n, replace = TRUE)
status <- sample(0:2, n, replace = TRUE, prob = c(0.35, 0.4, 0.25))
emit("synth_heavy_ties", "synthetic, 400 rows on 13 distinct times 0..12 (every time holds events, competing events and censorings; 0 included)",
     "set.seed(18); times sample(0:12), status sample(0:2, prob = c(.35, .4, .25)), z1 = round(rnorm, 2), z2 = rbinom(.4)",
     time, status, cbind(z1 = z1, z2 = z2), "event")

# ---- synthetic: a cause with very few events ------------------------------------------------
set.seed(7)
n <- 250
w1 <- rnorm(n, 50, 10)
w2 <- rbinom(n, 1, 0.5)
t_ev <- rexp(n, 0.002 * exp(0.03 * (w1 - 50) + 0.5 * w2))
t_cr <- rexp(n, 0.05)
t_ce <- runif(n, 5, 60)
time <- round(pmin(t_ev, t_cr, t_ce), 3)
status <- ifelse(t_ce < pmin(t_ev, t_cr), 0, ifelse(t_ev < t_cr, 1, 2))
stopifnot(sum(status == 1) <= 12)
emit("synth_few_events", "synthetic, 250 rows, a rare event of interest (few events) against a frequent competing event",
     "set.seed(7); exponential event (rate .002 exp(.03 (w1 - 50) + .5 w2)), competing (rate .05), uniform censoring 5..60",
     time, status, cbind(w1 = w1, w2 = w2), "event")
