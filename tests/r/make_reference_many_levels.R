# A categorical covariate of 500 levels in the Cox model (issue 25: R's coxph fits it, so
# SurvLens must too). Writes tests/reference_fits/cox_500_levels/r_coxph.json (R's numbers at
# 17 significant digits); no data file is committed: the data come from a seeded integer
# generator that tests/analysis/cox_many_levels.rs repeats exactly.
#   Rscript tests/r/make_reference_many_levels.R        (from the repository root)
# R 4.2.2, survival 3.5-3.
source(file.path("tests", "r", "common.R"))   # survival check, to_json

# ---- the data: MINSTD (Park-Miller, multiplier 48271, modulus 2^31 - 1), exact in
# doubles; every value an integer, so R and Rust build the same file. -------------------
N_ROWS <- 10000
N_LEVELS <- 500
SEED <- 20251207
state <- SEED
nxt <- function() { state <<- (state * 48271) %% 2147483647; state }
time <- status <- x <- numeric(N_ROWS); g <- c <- character(N_ROWS)
for (i in 0:(N_ROWS - 1)) {
  l <- i %% N_LEVELS
  g[i + 1] <- c("A", "B")[nxt() %% 2 + 1]
  x[i + 1] <- nxt() %% 100
  scale <- 100 + 3 * (l %% 37) + x[i + 1]
  time[i + 1] <- 1 + nxt() %% scale
  status[i + 1] <- as.integer(nxt() %% 10 < 7)
  c[i + 1] <- sprintf("L%03d", l)
}
d <- data.frame(time, status, g = relevel(factor(g), "A"), x, c = relevel(factor(c), "L000"))
fit <- coxph(Surv(time, status) ~ g + x + c, data = d, ties = "efron")
stopifnot(!any(is.na(coef(fit))))

beta <- coef(fit); se <- sqrt(diag(fit$var)); z <- beta / se
names_sl <- c("g=B", "x", paste0("c=", levels(d$c)[-1]))
out <- list(
  r_call = "coxph(Surv(time, status) ~ g + x + c, ties = 'efron'), c: 500 levels (reference L000)",
  r_version = R.version.string,
  r_survival = as.character(packageVersion("survival")),
  data = list(rows = N_ROWS, levels = N_LEVELS, seed = SEED),
  cox = list(
    n = fit$n, n_events = fit$nevent,
    terms = lapply(seq_along(beta), function(j) list(
      name = names_sl[j], coef = unname(beta[j]), se = unname(se[j]), z = unname(z[j]),
      p = unname(pchisq(z[j]^2, 1, lower.tail = FALSE)))),
    loglik = list(null = fit$loglik[1], fit = fit$loglik[2])
  )
)
writeLines(to_json(out), file.path("tests", "reference_fits", "cox_500_levels", "r_coxph.json"))
