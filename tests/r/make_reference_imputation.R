# Reference fixtures for the imputation section with imported sets (docs/results.md
# "imputation"): the pooled numbers must equal mice::pool on the sets of the file.
# Run from the repository root:
#
#   Rscript tests/r/make_reference_imputation.R      # ~10 s; needs survival 3.5-3, mice 3.15
#
# Writes tests/reference/imp_<name>/{data.csv, spec.json, expected.json}; the cases are in
# cases_imputation.R; tests/analysis/imputation.rs (and reference.rs) compare every case.
#
# R calls (r_call in each expected.json repeats them):
#   imp   <- mice(d, m = 5, seed = seed, printFlag = FALSE)    # group and categorical
#            covariates as factors; mice's default methods (pmm, logreg, polyreg)
#   long  <- complete(imp, "long", include = TRUE)             # written as data.csv
#   Every number below is computed from data.csv as read back (all columns text):
#   set k <- rows with .imp == k; g = factor(group, spec levels); a categorical covariate
#            = factor(x, levels = c(ref, the other levels in order of appearance in set 1)),
#            ref = its most frequent level (ties: first seen) in the rows of set 0 complete
#            for the Cox covariates (the reference of the complete-case cox section)
#   cox   : fits <- lapply(sets, function(s) coxph(Surv(time, status) ~ g + covariates,
#            data = s, ties, robust)); p <- pool(as.mira(fits));
#            summary(p, conf.int = TRUE): estimate, std.error, df, p.value, 2.5 %, 97.5 %;
#            p$pooled: ubar, b, t, dfcom (= nevent - length(coef), mice's coxph rule),
#            riv, fmi; hr, lower, upper = exp(estimate, 2.5 %, 97.5 %)
#   rmst_difference: per set, survfit(Surv(time, status) ~ g, data = s) and
#            summary(fit, rmean = tau)$table[, c("rmean", "se(rmean)")]; Q = rmean_a -
#            rmean_b, U = se_a^2 + se_b^2; r <- pool.scalar(Q, U) (n = Inf: dfcom = Inf);
#            lower, upper = qbar -/+ qt(0.975, df) sqrt(t); p = 2 pt(-|qbar| / sqrt(t), df)
#   adjusted (propensity ATE refitted in every set): e <- fitted(glm(g != ref ~ ps covariates,
#            binomial, epsilon 1e-14)); w = 1 / e_g; cox: pool(as.mira(lapply(sets,
#            coxph(Surv(time, status) ~ g, weights = w, robust = TRUE)))) (robust.se pooled,
#            dfcom = nevent - 1); rmst_difference: per group survfit(Surv ~ 1, weights = w,
#            robust = TRUE, id = row), rmean at tau, se = sqrt(sum(residuals(fit, times = tau,
#            type = "rmst", weighted = TRUE)^2)); pooled as rmst_difference

source(file.path("tests", "r", "common.R"))   # survival check, to_json, f17
suppressPackageStartupMessages(library(mice))
stopifnot(as.character(packageVersion("mice")) == "3.15.0")
source(file.path("tests", "r", "cases_imputation.R"))

M <- 5L

# The most frequent value of x (ties: the first seen).
most_frequent <- function(x) {
  u <- unique(x)
  u[which.max(tabulate(match(x, u)))]
}

write_long <- function(long, path, columns) {
  cell <- function(v) {
    if (is.numeric(v)) return(ifelse(is.na(v), "NA", f17(v)))
    v <- as.character(v)
    ifelse(is.na(v), "NA", v)
  }
  cols <- lapply(columns, function(c) cell(long[[c]]))
  rows <- do.call(paste, c(cols, sep = ","))
  writeLines(c(paste(columns, collapse = ","), rows), path, useBytes = TRUE)
}

# The SurvLens term names of a coxph fit's coefficients.
term_names <- function(fit, s, gcol) {
  unlist(lapply(names(fit$assign), function(t) {
    if (t == "g") paste0(gcol, "=", levels(s$g)[-1])
    else if (is.factor(s[[t]])) paste0(t, "=", levels(s[[t]])[-1])
    else t
  }))
}

pooled_terms <- function(fits, names) {
  p <- pool(as.mira(fits))
  s <- summary(p, conf.int = TRUE)
  x <- p$pooled
  lapply(seq_len(nrow(x)), function(j) list(
    name = names[j], coef = x$estimate[j], se = sqrt(x$t[j]),
    hr = exp(x$estimate[j]), lower = exp(s[["2.5 %"]][j]), upper = exp(s[["97.5 %"]][j]),
    p = s$p.value[j], df = x$df[j], dfcom = x$dfcom[j], fmi = x$fmi[j], riv = x$riv[j],
    ubar = x$ubar[j], b = x$b[j], t = x$t[j]))
}

pooled_difference <- function(Q, U, a, b, tau) {
  r <- pool.scalar(Q, U)             # n = Inf, k = 1: dfcom = Inf (large sample)
  se <- sqrt(r$t); crit <- qt(0.975, r$df)
  list(a = a, b = b, tau = tau, estimate = r$qbar, se = se,
       lower = r$qbar - crit * se, upper = r$qbar + crit * se,
       p = 2 * pt(-abs(r$qbar) / se, r$df), df = r$df, dfcom = NA, fmi = r$fmi, riv = r$r)
}

# RMST at tau and its SE of every group: unweighted (print.survfit) or weighted (IJ).
rmst_by_group <- function(s, tau, w = NULL) {
  lv <- levels(s$g)
  t(vapply(lv, function(l) {
    sg <- s[s$g == l, ]
    if (is.null(w)) {
      fit <- survfit(Surv(time, status) ~ 1, data = sg)
      tab <- summary(fit, rmean = tau)$table
      c(tab[["rmean"]], tab[["se(rmean)"]])
    } else {
      sg$w <- w[s$g == l]; sg$row <- seq_len(nrow(sg))
      # residuals.survfit re-evaluates the call's data: keep it in the global environment
      assign("imp_dg", sg, envir = globalenv())
      fit <- survfit(Surv(time, status) ~ 1, data = imp_dg, weights = w, robust = TRUE, id = row)
      r <- residuals(fit, times = tau, type = "rmst", weighted = TRUE)
      c(summary(fit, rmean = tau)$table[["rmean"]], sqrt(sum(r^2)))
    }
  }, c(0, 0)))
}

pool_rmst <- function(per_set, lv, tau) {
  lapply(seq_along(lv)[-1], function(k) {
    Q <- vapply(per_set, function(r) r[k, 1] - r[1, 1], 0)
    U <- vapply(per_set, function(r) r[k, 2]^2 + r[1, 2]^2, 0)
    pooled_difference(Q, U, lv[k], lv[1], tau)
  })
}

run_imp_case <- function(cs) {
  dir <- file.path("tests", "reference", cs$name)
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  gcol <- cs$group$column
  covs <- vapply(cs$covariates, function(c) c$column, "")
  is_cat <- vapply(cs$covariates, function(c) identical(c$type, "categorical"), TRUE)
  d <- cs$data
  md <- d
  md[[gcol]] <- factor(md[[gcol]], levels = cs$group$levels)
  for (c in covs[is_cat]) md[[c]] <- factor(md[[c]])
  imp <- mice(md, m = M, seed = cs$seed, printFlag = FALSE)
  long <- complete(imp, action = "long", include = TRUE)
  path <- file.path(dir, "data.csv")
  write_long(long, path, c(".imp", ".id", "time", "status", gcol, covs))

  # ---- everything from the file as read back -------------------------------------
  raw <- read.csv(path, colClasses = "character", check.names = FALSE, na.strings = "NA")
  set_of <- function(k) {
    s <- raw[raw$.imp == as.character(k), ]
    data.frame(time = as.numeric(s$time), status = as.numeric(s$status),
               g = factor(s[[gcol]], levels = cs$group$levels),
               s[, covs, drop = FALSE], check.names = FALSE, stringsAsFactors = FALSE)
  }
  s0 <- set_of(0)
  complete0 <- s0[stats::complete.cases(s0[, covs, drop = FALSE]), ]
  sets <- lapply(seq_len(M), set_of)
  refs <- list()
  for (c in covs[is_cat]) {
    ref <- most_frequent(complete0[[c]])
    lv <- c(ref, setdiff(unique(sets[[1]][[c]]), ref))
    refs[[c]] <- ref
  }
  sets <- lapply(sets, function(s) {
    for (c in covs[!is_cat]) s[[c]] <- as.numeric(s[[c]])
    for (c in covs[is_cat]) s[[c]] <- factor(s[[c]], levels = c(refs[[c]], setdiff(unique(sets[[1]][[c]]), refs[[c]])))
    s
  })

  spec <- list(
    time = list(column = "time"),
    event = list(column = "status", values = I("1"), censored_values = I("0")),
    group = list(column = gcol, reference = cs$group$levels[1], levels = cs$group$levels),
    covariates = lapply(cs$covariates, function(c) c),
    imputation = list(imputed = ".imp"))
  spec <- c(spec, cs$extra)
  if (!is.null(spec$propensity)) spec$propensity$covariates <- I(covs)
  writeLines(to_json(spec), file.path(dir, "spec.json"), useBytes = TRUE)

  out <- list(m = M, n = nrow(sets[[1]]))
  calls <- list()
  fml <- as.formula(paste("Surv(time, status) ~ g +", paste0("`", covs, "`", collapse = " + ")))
  robust <- isTRUE(cs$extra$cox$robust)
  ties <- cs$extra$cox$ties %||% "efron"
  fits <- lapply(sets, function(s) coxph(fml, data = s, ties = ties, robust = robust))
  out$cox <- list(terms = pooled_terms(fits, term_names(fits[[1]], sets[[1]], gcol)))
  calls$cox <- sprintf("summary(pool(as.mira(lapply(sets, function(s) coxph(%s, data = s, ties = \"%s\", robust = %s)))), conf.int = TRUE)",
                       deparse(fml), ties, robust)
  tau <- cs$extra$rmst$tau
  lv <- cs$group$levels
  if (!is.null(tau)) {
    per_set <- lapply(sets, function(s) rmst_by_group(s, tau))
    out$rmst_difference <- pool_rmst(per_set, lv, tau)
    calls$rmst_difference <- "pool.scalar(rmean_a - rmean_b, se_a^2 + se_b^2) per pair, rmean and se from summary(survfit(Surv(time, status) ~ g, s), rmean = tau)$table"
  }
  if (!is.null(cs$extra$adjusted)) {
    stopifnot(length(lv) == 2)
    weights <- lapply(sets, function(s) {
      y <- as.integer(s$g != lv[1])
      X <- s[, covs, drop = FALSE]
      ps <- glm(y ~ ., data = cbind(y = y, X), family = binomial(),
                control = glm.control(epsilon = 1e-14, maxit = 100))
      e <- fitted(ps)
      ifelse(y == 1, 1 / e, 1 / (1 - e))
    })
    assign("imp_w", weights, envir = globalenv())
    acox <- lapply(seq_len(M), function(k) {
      s <- sets[[k]]; s$w <- weights[[k]]
      coxph(Surv(time, status) ~ g, data = s, weights = w, robust = TRUE, ties = "efron")
    })
    out$adjusted <- list(cox = list(terms = pooled_terms(acox, paste0(gcol, "=", lv[-1]))))
    if (!is.null(tau)) {
      per_set <- lapply(seq_len(M), function(k) rmst_by_group(sets[[k]], tau, weights[[k]]))
      out$adjusted$rmst_difference <- pool_rmst(per_set, lv, tau)
    }
    calls$adjusted <- "w = 1/e_g from glm(binomial) refitted on each set; pool(as.mira(coxph(Surv ~ g, weights = w, robust = TRUE))) (robust.se); weighted RMST (IJ se) pooled by pool.scalar"
  }
  expected <- list(
    r_case = cs$name, r_description = cs$description, r_source = cs$source,
    r_version = R.version.string,
    r_survival_version = as.character(packageVersion("survival")),
    r_mice_version = as.character(packageVersion("mice")),
    r_seed = cs$seed, r_references = refs, r_call = calls,
    imputation = out)
  writeLines(to_json(expected), file.path(dir, "expected.json"), useBytes = TRUE)
  cat(cs$name, ": ", nrow(raw), " lines, ", M, " sets\n", sep = "")
}

`%||%` <- function(a, b) if (is.null(a)) b else a
for (cs in IMP_CASES) run_imp_case(cs)
