# Reference fixtures for the propensity / adjusted / sensitivity sections (docs/results.md
# "propensity"). Run from the repository root:
#
#   Rscript tests/r/make_reference_propensity.R
#
# Writes tests/reference/ps_<name>/{data.csv, spec.json, expected.json}; tests/analysis/reference.rs
# compares every case automatically. Needs R >= 4.2, survival (3.5-3 used) and nnet
# (only for a cross-check recorded in r_check; the fixture numbers do not come from it).
#
# It reuses the JSON/CSV writers and the contract ingest of make_reference.R (every
# top-level expression of that file except the ones running its cases).
#
# R calls (per case; r_call in each expected.json repeats them):
#   propensity model  : Newton-Raphson on the baseline-category logit (nr_logit below):
#                       start at intercepts log(n_c/n_0), step I^-1 U, halve while the
#                       loglik decreases, stop when max|step| < 1e-10 (<= 50 iterations);
#                       se = sqrt(diag(solve(I))) at the solution. Cross-checks recorded in
#                       r_check: two groups glm(g ~ ., binomial, epsilon = 1e-14, maxit = 100);
#                       more groups nnet::multinom(g ~ ., reltol = 1e-16, abstol = 1e-300,
#                       maxit = 10000) (BFGS: agrees to ~1e-6 only, hence not the reference).
#   weights           : ATE 1/e_g (stabilized P(g)/e_g), ATT e_f/e_g, ATO (1/e_g)/rowSums(1/e);
#                       truncation pmin(pmax(w, q[1]), q[2]) with q = quantile(w, c(a, b),
#                       type = 7) of all weights; ATT focal rows are left at 1.
#   balance           : s = sqrt(mean(tapply(x, g, var))); smd = (mean_a - mean_b)/s before,
#                       (weighted.mean_a - weighted.mean_b)/s after.
#   adjusted km       : fit <- survfit(Surv(time, status) ~ g, weights = w, robust = TRUE,
#                       id = row, conf.type, conf.int); fit[k]$std.err (IJ SE of S), lower,
#                       upper; median/quantiles/summary(times) of fit[k] (no extend; later times null, beyond_follow_up);
#                       rmst estimate summary(fit[k], rmean = tau)$table["rmean"], se
#                       sqrt(sum(residuals(fit_g, times = tau, type = "rmst", weighted = TRUE)^2))
#                       with fit_g the same survfit on group g alone.
#   rmst_difference   : a - b, se = sqrt(se_a^2 + se_b^2), 95% Wald, p = 2 pnorm(-|z|).
#   adjusted cox      : coxph(Surv(time, status) ~ g, weights = w, robust = TRUE, ties = "efron");
#                       se = sqrt(diag(naive.var)), robust_se = sqrt(diag(var)); hr, CI
#                       exp(b -/+ qnorm(.975) robust_se), z = b / robust_se, p = 2 pnorm(-|z|).
#   crude cox         : (cases with "cox") coxph(Surv(time, status) ~ g + covariates, ties =
#                       "efron"), for the E-values of its group terms only.
#   sensitivity       : E-values by the formula of VanderWeele & Ding (2017) (EValue is not in
#                       Debian): rr = hr (rare) or (1 - 0.5^sqrt(hr)) / (1 - 0.5^sqrt(1/hr));
#                       rr = max(rr, 1/rr); E = rr + sqrt(rr (rr - 1)); CI: the limit nearer 1,
#                       1 when the CI contains 1; rare default: events / n < 0.15.

suppressPackageStartupMessages(library(survival))
if (!dir.exists("tests")) stop("run from the repository root")
local({
  exprs <- parse(file.path("tests", "r", "make_reference.R"))
  for (e in exprs) if (!any(grepl("CASES", deparse(e)))) eval(e, globalenv())
})

# ---------------------------------------------------------------- model ----------------
# Baseline-category logit by Newton-Raphson; X includes the intercept; y in 0..k-1.
nr_logit <- function(X, y, k, tol = 1e-10, maxit = 50) {
  n <- nrow(X); p <- ncol(X); q <- (k - 1) * p
  beta <- matrix(0, p, k - 1)
  cnt <- tabulate(y + 1, k)
  if (all(cnt > 0)) beta[1, ] <- log(cnt[-1] / cnt[1])
  probs <- function(b) {
    eta <- cbind(0, X %*% b); top <- apply(eta, 1, max)
    ex <- exp(eta - top); tot <- rowSums(ex)
    list(p = ex / tot, ll = sum(eta[cbind(1:n, y + 1)] - top - log(tot)))
  }
  info_score <- function(P) {
    U <- numeric(q); I <- matrix(0, q, q)
    for (c in 2:k) {
      ic <- ((c - 2) * p + 1):((c - 1) * p)
      U[ic] <- colSums(X * ((y == c - 1) - P[, c]))
      for (d in 2:k) {
        id <- ((d - 2) * p + 1):((d - 1) * p)
        v <- if (c == d) P[, c] * (1 - P[, c]) else -P[, c] * P[, d]
        I[ic, id] <- crossprod(X * v, X)
      }
    }
    list(U = U, I = I)
  }
  cur <- probs(beta); it <- 0; conv <- FALSE
  while (it < maxit) {
    it <- it + 1
    s <- info_score(cur$p)
    step <- solve(s$I, s$U); scale <- 1
    repeat {
      nb <- beta + scale * matrix(step, p, k - 1)
      nw <- probs(nb)
      if (is.finite(nw$ll) && nw$ll >= cur$ll - 1e-12 * abs(cur$ll)) break
      scale <- scale / 2
    }
    beta <- nb; cur <- nw
    if (max(abs(scale * step)) < tol) { conv <- TRUE; break }
  }
  s <- info_score(cur$p)
  list(coef = beta, se = matrix(sqrt(diag(solve(s$I))), p, k - 1), fitted = cur$p,
       iterations = it, converged = conv, loglik = cur$ll)
}

# Covariate columns of the used rows, typed as the contract's ingest: numeric when every
# value parses, else categorical with levels reference (spec's, or most frequent, ties
# first seen) first, then order of first appearance.
covariate_terms <- function(raw, d, covs) {
  design <- list(); balance <- list()
  for (cv in covs) {
    v <- trimws(raw[[cv$column]])[d$line - 1]
    num <- suppressWarnings(as.numeric(v))
    type <- cv$type %||% (if (!is.null(cv$reference) || any(is.na(num))) "categorical" else "numeric")
    if (type == "numeric") {
      design[[cv$column]] <- num; balance[[cv$column]] <- num
    } else {
      seen <- unique(v); cnt <- table(factor(v, levels = seen))
      ref <- cv$reference %||% seen[which.max(cnt)]
      lv <- c(ref, setdiff(seen, ref))
      for (j in seq_along(lv)) {
        ind <- as.numeric(v == lv[j]); nm <- paste0(cv$column, "=", lv[j])
        if (j > 1) design[[nm]] <- ind
        balance[[nm]] <- ind
      }
    }
  }
  list(design = design, balance = balance)
}

propensity_section <- function(raw, d, ing, spec) {
  ps <- spec$propensity; lv <- ing$levels; k <- length(lv)
  cols <- unlist(ps$covariates) %||% vapply(spec$covariates, function(c) c$column, "")
  covs <- lapply(cols, function(cn) {
    hit <- Filter(function(c) c$column == cn, spec$covariates)
    if (length(hit)) hit[[1]] else list(column = cn)
  })
  tm <- covariate_terms(raw, d, covs)
  X <- cbind("(Intercept)" = 1, do.call(cbind, tm$design))
  y <- as.integer(d$g) - 1
  fit <- nr_logit(X, y, k)
  e <- fit$fitted; gi <- cbind(seq_len(nrow(d)), y + 1)
  est <- ps$estimand %||% "ATE"
  focal <- NULL
  w <- switch(est,
    ATE = if (isTRUE(ps$stabilize)) as.numeric(prop.table(table(d$g))[y + 1]) / e[gi] else 1 / e[gi],
    ATT = { focal <- ps$focal %||% lv[2]; f <- match(focal, lv); e[, f] / e[gi] },
    ATO = (1 / e[gi]) / rowSums(1 / e))
  if (est == "ATT") w[d$g == focal] <- 1
  truncated_at <- NULL
  if (!is.null(ps$truncate)) {
    q <- unname(quantile(w, unlist(ps$truncate), type = 7))
    keep <- if (est == "ATT") d$g == focal else rep(FALSE, length(w))
    w[!keep] <- pmin(pmax(w[!keep], q[1]), q[2])
    truncated_at <- arr(q)
  }
  # cross-check of the Newton-Raphson against R's own fitters (metadata only)
  dd <- data.frame(X[, -1, drop = FALSE], check.names = TRUE); dd$g <- d$g
  check <- if (k == 2) {
    gl <- glm(g ~ ., data = dd, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
    c(glm_coef_max_abs_diff = max(abs(coef(gl) - fit$coef[, 1])),
      glm_se_max_rel_diff = max(abs(sqrt(diag(vcov(gl))) / fit$se[, 1] - 1)))
  } else if (requireNamespace("nnet", quietly = TRUE)) {
    mn <- nnet::multinom(g ~ ., data = dd, reltol = 1e-16, abstol = 1e-300, maxit = 10000, trace = FALSE)
    c(multinom_coef_max_abs_diff = max(abs(t(coef(mn)) - fit$coef)),
      multinom_fitted_max_abs_diff = max(abs(fitted(mn) - e)))
  } else c(note = "nnet not installed")
  pairs <- list()
  for (b in seq_len(k)) for (a in seq_len(k)) if (a > b) pairs[[length(pairs) + 1]] <- c(a, b)
  balance <- lapply(names(tm$balance), function(term) {
    x <- tm$balance[[term]]
    s <- sqrt(mean(tapply(x, d$g, var)))
    m0 <- tapply(x, d$g, mean)
    m1 <- vapply(seq_len(k), function(j) weighted.mean(x[d$g == lv[j]], w[d$g == lv[j]]), 0)
    pr <- lapply(pairs, function(ab) obj(a = lv[ab[1]], b = lv[ab[2]],
                                         smd_before = (m0[[ab[1]]] - m0[[ab[2]]]) / s,
                                         smd_after = (m1[ab[1]] - m1[ab[2]]) / s))
    obj(term = term, pairs = pr,
        max_abs_smd_before = max(abs(vapply(pr, function(p) p$smd_before, 0))),
        max_abs_smd_after = max(abs(vapply(pr, function(p) p$smd_after, 0))))
  })
  coefs <- list()
  for (c in 2:k) for (j in seq_len(ncol(X)))
    coefs[[length(coefs) + 1]] <- obj(group = lv[c], term = colnames(X)[j],
                                      coef = fit$coef[j, c - 1], se = fit$se[j, c - 1])
  list(w = w, check = check, section = obj(
    model = if (k == 2) "binomial" else "multinomial", estimand = est, focal = focal,
    stabilized = isTRUE(ps$stabilize), truncated_at = truncated_at,
    converged = fit$converged, iterations = fit$iterations, coefficients = coefs,
    weights_summary = lapply(seq_len(k), function(j) {
      v <- w[d$g == lv[j]]
      obj(group = lv[j], n = length(v), min = min(v), max = max(v), mean = mean(v),
          sum = sum(v), ess = sum(v)^2 / sum(v^2))
    }),
    balance = balance,
    per_row = obj(line = arr(d$line), group = arr(as.character(d$g)), weight = arr(w),
                  ps = lapply(seq_len(nrow(e)), function(i) arr(e[i, ])))))
}

adjusted_section <- function(d, ing, spec, w) {
  ct <- spec$km$conf_type %||% "log"; cl <- spec$km$conf_level %||% 0.95
  d$w <- w; d$row <- seq_len(nrow(d)); lv <- ing$levels
  fit <- survfit(Surv(time, status) ~ g, data = d, weights = w, robust = TRUE, id = row,
                 conf.type = ct, conf.int = cl)
  tau <- spec$rmst$tau
  curves <- lapply(seq_along(lv), function(k) {
    fk <- fit[k]; tab <- summary(fk)$table
    q <- quantile(fk, probs = c(0.25, 0.75))
    se <- fk$std.err; se[fk$surv == 0] <- NA
    cur <- obj(group = lv[k], time = arr(fk$time), n_risk = arr(fk$n.risk),
               n_event = arr(fk$n.event), n_censor = arr(fk$n.censor), surv = arr(fk$surv),
               std_err = arr(nn(se)), lower = arr(nn(fk$lower)), upper = arr(nn(fk$upper)),
               median = obj(estimate = nn(tab[["median"]]),
                            lower = nn(tab[[grep("LCL$", names(tab))]]),
                            upper = nn(tab[[grep("UCL$", names(tab))]])),
               quantiles = lapply(1:2, function(j)
                 obj(p = c(0.25, 0.75)[j], estimate = nn(q$quantile[j]),
                     lower = nn(q$lower[j]), upper = nn(q$upper[j]))))
    times <- unlist(spec$km$times)
    cur$at_times <- lapply(at_times_rows(fk, times), function(a) {
      if (identical(a$surv, 0)) a$std_err <- NA
      a
    })
    if (!is.null(tau)) {
      # residuals.survfit re-evaluates the call's data: keep it in the global environment
      assign("ps_dg", d[d$g == lv[k], ], envir = globalenv())
      fg <- survfit(Surv(time, status) ~ 1, data = ps_dg, weights = w, robust = TRUE, id = row)
      r <- residuals(fg, times = tau, type = "rmst", weighted = TRUE)
      cur$rmst <- obj(tau = tau, estimate = summary(fk, rmean = tau)$table[["rmean"]],
                      se = sqrt(sum(r^2)))
    }
    cur
  })
  out <- obj(km = obj(conf_type = ct, conf_level = cl, curves = curves))
  cx <- coxph(Surv(time, status) ~ g, data = d, weights = w, robust = TRUE, ties = "efron")
  out$cox <- obj(terms = cox_group_terms(cx, spec$group$column, lv, robust = TRUE))
  if (!is.null(tau)) out$rmst_difference <- rmst_difference(ing, out$km)
  out
}

# Group terms "<column>=<level>" of a coxph fit whose first k - 1 coefficients are the
# group's dummies; CI, z and p from the robust SE when robust.
cox_group_terms <- function(cx, column, lv, robust) {
  z <- qnorm(0.975)
  lapply(seq_len(length(lv) - 1), function(j) {
    b <- unname(coef(cx)[j])
    se <- sqrt(if (robust) cx$naive.var[j, j] else cx$var[j, j])
    rse <- if (robust) sqrt(cx$var[j, j]) else NA
    s <- if (robust) rse else se
    obj(name = paste0(column, "=", lv[j + 1]), coef = b, se = se, robust_se = nn(rse),
        hr = exp(b), lower = exp(b - z * s), upper = exp(b + z * s), z = b / s,
        p = 2 * pnorm(-abs(b / s)))
  })
}

# E-value (VanderWeele & Ding 2017) of a hazard ratio and of its CI.
evalue_hr <- function(hr, lo, hi, rare) {
  tr <- function(h) if (rare) h else (1 - 0.5^sqrt(h)) / (1 - 0.5^sqrt(1 / h))
  e <- function(rr) { rr <- max(rr, 1 / rr); rr + sqrt(rr * (rr - 1)) }
  c(e(tr(hr)), if (lo <= 1 && hi >= 1) 1 else e(tr(if (lo > 1) lo else hi)))
}

# Crude coxph of the case's spec (group + numeric covariates), for the E-values.
crude_cox_terms <- function(raw, d, ing, spec) {
  tm <- covariate_terms(raw, d, spec$covariates)
  dd <- data.frame(time = d$time, status = d$status, g = d$g, do.call(cbind, tm$design))
  cx <- coxph(Surv(time, status) ~ ., data = dd, ties = "efron")
  cox_group_terms(cx, spec$group$column, ing$levels, robust = FALSE)
}

sensitivity_section <- function(d, spec, sources) {
  rare <- spec$sensitivity$outcome_rare %||% (sum(d$status) / nrow(d) < 0.15)
  ev <- list()
  for (src in names(sources)) for (t in sources[[src]]) {
    e <- evalue_hr(t$hr, t$lower, t$upper, rare)
    ev[[length(ev) + 1]] <- obj(source = src, name = t$name, hr = t$hr, evalue = e[1], evalue_ci = e[2])
  }
  obj(rare_outcome = rare, evalues = ev)
}

run_ps_case <- function(cs) {
  dir <- file.path(OUT, cs$name); dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  write_raw_csv(cs$data, file.path(dir, "data.csv"))
  write_json(cs$spec, file.path(dir, "spec.json"), digits = 15)
  raw <- read_raw_csv(file.path(dir, "data.csv"), ",")
  write_json(ps_result(cs, raw), file.path(dir, "expected.json"))
}

# The expected document of a propensity case (data, groups, propensity, adjusted,
# sensitivity) from its file as read back.
ps_result <- function(cs, raw) {
  # The data: rows with a usable time, event and group (km, logrank, the rare rule).
  ing_data <- ingest(raw, cs$spec, ",")
  # The propensity model's rows: the data's rows complete for its own columns (the
  # propensity list, else the spec's covariates), as na.omit; adjusted builds on them.
  sp <- cs$spec
  cols <- unlist(sp$propensity$covariates) %||% vapply(sp$covariates, function(c) c$column, "")
  sp$covariates <- lapply(cols, function(cn) list(column = cn))
  ing <- ingest(raw, sp, ",", covariates = TRUE)
  d <- ing$d
  mc <- missing_covariates(raw, ing_data$d, cols, cs$spec)
  stopifnot(mc$n == nrow(ing_data$d) - nrow(d))
  ps <- propensity_section(raw, d, ing, cs$spec)
  ps$section$n <- nrow(d); ps$section$n_events <- sum(d$status)
  ps$section$missing_covariates <- mc
  res <- obj(r_case = cs$name, r_description = cs$description, r_source = cs$source,
             r_version = R.version.string,
             r_survival_version = as.character(packageVersion("survival")),
             r_check = as.list(ps$check),
             version = 1,
             data = obj(n_rows = ing_data$n_rows, n_used = nrow(ing_data$d),
                        n_events = sum(ing_data$d$status), excluded = ing_data$excluded,
                        excluded_by_reason = ing_data$excluded_by_reason),
             groups = lapply(ing_data$levels, function(l)
               obj(label = l, n = sum(ing_data$d$g == l), events = sum(ing_data$d$status[ing_data$d$g == l]))),
             propensity = ps$section)
  if (!is.null(cs$spec$adjusted)) {
    res$adjusted <- c(obj(n = nrow(d), n_events = sum(d$status), missing_covariates = mc),
                      adjusted_section(d, ing, cs$spec, ps$w))
  }
  if (!is.null(cs$spec$sensitivity)) {
    sources <- list()
    if (!is.null(cs$spec$cox)) {
      # The crude model's rows: the data's rows complete for the spec's covariates.
      ing_cox <- ingest(raw, cs$spec, ",", covariates = TRUE)
      sources$cox <- crude_cox_terms(raw, ing_cox$d, ing_cox, cs$spec)
    }
    if (!is.null(res$adjusted)) sources[["adjusted.cox"]] <- res$adjusted$cox$terms
    # The rare-outcome rule reads the data's rows.
    res$sensitivity <- sensitivity_section(ing_data$d, cs$spec, sources)
  }
  cat(sprintf("%-16s used %4d groups %d converged %s iter %d  %s\n", cs$name, nrow(d),
              length(ing$levels), ps$section$converged, ps$section$iterations,
              paste(names(ps$check), signif(as.numeric(ps$check), 3), collapse = " ")))
  res
}

source(file.path("tests", "r", "cases_propensity.R"), local = TRUE)
for (cs in PS_CASES) run_ps_case(cs)
