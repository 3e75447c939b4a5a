# Reference fixtures for the `emulation` section (target-trial emulation by
# clone-censor-weight; docs/methods.md "Target-trial emulation", docs/results.md
# "emulation"). Run from the repository root:
#
#   Rscript tests/r/make_reference_emulation.R
#
# Writes tests/reference/emu_<name>/{data.csv, spec.json, expected.json} (cases in
# cases_emulation.R); tests/analysis/reference.rs compares every case automatically and
# tests/analysis/emulation.rs checks the whole curves. R 4.2.2, survival 3.5-3; base R
# otherwise. expected.json is a PARTIAL results document with R's numbers at 17
# significant digits (keys starting with r_ are metadata).
#
# The definition, written out independently of SurvLens's code:
#   patients    : the data's rows whose treatment time fits (a reference-group row has
#                 none; a non-reference row has 0 <= u < time), complete for the
#                 censoring covariates (na.omit). Every non-reference group is "treated".
#   clones      : treat   - treated with u <= G: (time, status); else if time > G:
#                           artificially censored at G; else (time, status).
#                 control - treated with u <= G: artificially censored at u; else
#                           (time, status).
#   censoring   : per arm, fit <- coxph(Surv(time_c, art) ~ x, ties = "breslow") on the
#                 arm's n clones (x: the covariates as model.matrix codes them, a factor's
#                 reference its most frequent level on the rows, ties first seen);
#                 H <- basehaz(fit, centered = FALSE); an NA coefficient counts 0;
#                 Sc(t- | x) in the spec's emulation.censoring_survival form:
#                   "exponential" (default): Sc(t- | x) = exp(-H(t-) exp(x b))
#                     (= survfit(fit, newdata)$surv, stype = 2, ctype = 1);
#                   "product_limit": Sc(t- | x) = prod_{s < t} (1 - dH(s) exp(x b)),
#                     dH = diff(c(0, H$hazard)); a clone whose factor is <= 0 has
#                     Sc = 0 from then on: its rows after s are dropped (left out).
#                     Cross-checked against survfit.coxph: the product of
#                     1 - diff(c(0, survfit(fit, newdata = x)$cumhaz)) per covariate
#                     pattern; without covariates against survfit(fit, stype = 1).
#                     survfit(fit, newdata, stype = 1) is NOT this product with
#                     covariates: it is the Kalbfleisch-Prentice estimator
#                     (cumprod(alpha_j)^exp(x b), survival:::agsurv / Cagsurv4),
#                     verified to differ by 1e-2 on a binary covariate; the two agree
#                     without covariates (both the Kaplan-Meier of censoring).
#                 no artificial censoring: Sc = 1;
#                 no covariates: coxph(Surv(time_c, art) ~ 1) (Nelson-Aalen).
#   weighted KM : s <- survSplit(Surv(time, status) ~ ., clones with time > 0,
#                 cut = every distinct death time of both arms); s$w <- 1 / Sc(tstop- | x);
#                 fit <- survfit(Surv(tstart, tstop, status) ~ arm, s, weights = w);
#                 curves = each stratum's fit$time, fit$surv.
#   at_times    : S of each arm at t (last step at or before t; NA past the arm's last
#                 time: beyond follow-up), difference treat - control.
#   rmst        : summary(fit, rmean = tau)$table[, "rmean"] per arm (the curve extended
#                 flat to tau), difference treat - control; cross-checked against the
#                 integral of the step curve.
source(file.path("tests", "r", "common.R"))   # survival check, to_json, f17

write_case <- function(name, d, spec, expected) {
  dir <- file.path("tests/reference", paste0("emu_", name))
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  csv <- d
  for (k in names(csv)) if (is.numeric(csv[[k]])) csv[[k]] <- f17(csv[[k]])
  write.csv(csv, file.path(dir, "data.csv"), row.names = FALSE, quote = TRUE, na = "")
  writeLines(to_json(spec), file.path(dir, "spec.json"))
  expected$r_version <- R.version.string
  expected$r_survival <- as.character(packageVersion("survival"))
  writeLines(to_json(expected), file.path(dir, "expected.json"))
  message("wrote ", dir)
}

# The rows whose treatment time fits (the immortal-time rules).
fits <- function(time, treated, u) {
  ifelse(treated, !is.na(u) & u >= 0 & u < time, is.na(u))
}

# Design of the censoring covariates on the rows `d` (numeric columns as they are; a
# character column as a factor against its most frequent level, ties first seen).
design <- function(d, covs) {
  if (!length(covs)) return(NULL)
  cols <- list(); nm <- character(0)
  for (c in covs) {
    v <- d[[c]]
    if (is.numeric(v)) { cols[[length(cols) + 1]] <- v; nm <- c(nm, c); next }
    lev <- unique(v)
    cnt <- table(factor(v, levels = lev))
    ref <- lev[which.max(cnt)]
    for (l in setdiff(lev, ref)) { cols[[length(cols) + 1]] <- as.numeric(v == l); nm <- c(nm, paste0(c, "=", l)) }
  }
  X <- do.call(cbind, cols); colnames(X) <- nm
  X
}

censoring_model <- function(tc, art, X) {
  n <- length(tc)
  if (!any(art)) return(list(status = "no_censoring", lp = rep(0, n), H = NULL, fit = NULL))
  fit <- if (is.null(X)) coxph(Surv(tc, art) ~ 1, ties = "breslow")
         else coxph(Surv(tc, art) ~ X, ties = "breslow")
  b <- if (is.null(X)) numeric(0) else coef(fit)
  b[is.na(b)] <- 0
  lp <- if (is.null(X)) rep(0, n) else drop(X %*% b)
  H <- basehaz(fit, centered = FALSE)
  list(status = "fitted", lp = lp, H = H, fit = fit, X = X)
}

# Product-limit Sc(t- | x) of the clones `id` at times `t`: prod over the jumps of H
# before t of (1 - dH exp(lp)); 0 once a factor is <= 0.
Sc_product <- function(m, id, t) {
  if (is.null(m$H)) return(rep(1, length(t)))
  dH <- diff(c(0, m$H$hazard))
  r <- exp(m$lp[id])
  vapply(seq_along(t), function(k) {
    j <- which(m$H$time < t[k])
    f <- 1 - dH[j] * r[k]
    if (any(f <= 0)) 0 else prod(f)
  }, 0)
}

# Cross-check of Sc_product against survfit.coxph at every covariate pattern: the
# product of 1 - (increments of survfit(fit, newdata)$cumhaz), and without covariates
# survfit(fit, stype = 1) (Kalbfleisch-Prentice = Kaplan-Meier there).
check_product <- function(m) {
  if (is.null(m$fit)) return(invisible())
  if (is.null(m$X)) {
    sf <- survfit(m$fit, stype = 1)
    mine <- Sc_product(m, rep(1, length(sf$time)), sf$time + 1e-9)
    stopifnot(max(abs(mine - sf$surv)) < 1e-9)
    return(invisible())
  }
  pats <- unique(seq_len(nrow(m$X))[!duplicated(m$lp)])
  for (i in pats) {
    nd <- list(X = m$X[i, , drop = FALSE])
    sf <- survfit(m$fit, newdata = nd, stype = 2, ctype = 1)
    f <- 1 - diff(c(0, sf$cumhaz))
    theirs <- if (any(f <= 0)) NULL else cumprod(f)
    mine <- Sc_product(m, rep(i, length(sf$time)), sf$time + 1e-9)
    if (!is.null(theirs)) stopifnot(max(abs(mine - theirs)) < 1e-12)
  }
}

# H(t-) of a basehaz table.
H_before <- function(H, t) {
  if (is.null(H)) return(rep(0, length(t)))
  vapply(t, function(s) { k <- which(H$time < s); if (length(k)) H$hazard[max(k)] else 0 }, 0)
}

emulate <- function(time, status, u, X, grace, times, tau, censoring_survival = "exponential") {
  n <- length(time)
  within <- !is.na(u) & u <= grace
  tt <- ifelse(within, time, ifelse(time > grace, grace, time))
  ts <- ifelse(within, status, ifelse(time > grace, 0, status))
  ta <- !within & time > grace
  ct <- ifelse(within, u, time)
  cs <- ifelse(within, 0, status)
  ca <- within
  mods <- list(treat = censoring_model(tt, ta, X), control = censoring_model(ct, ca, X))
  clones <- rbind(data.frame(id = 1:n, arm = "treat", time = tt, status = ts),
                  data.frame(id = 1:n, arm = "control", time = ct, status = cs))
  clones <- clones[clones$time > 0, ]
  deaths <- sort(unique(clones$time[clones$status == 1]))
  s <- survSplit(Surv(time, status) ~ ., data = clones, cut = deaths, start = "tstart", end = "tstop")
  s$w <- NA
  left_out <- list(treat = 0L, control = 0L)
  for (a in c("treat", "control")) {
    k <- s$arm == a
    m <- mods[[a]]
    if (censoring_survival == "exponential") {
      s$w[k] <- exp(H_before(m$H, s$tstop[k]) * exp(m$lp[s$id[k]]))
    } else {
      check_product(m)
      sc <- Sc_product(m, s$id[k], s$tstop[k])
      s$w[k] <- ifelse(sc > 0, 1 / sc, 0)
      # clones followed beyond the jump at which their Sc reached 0
      ends <- clones[clones$arm == a, ]
      sc_end <- Sc_product(m, ends$id, ends$time)
      left_out[[a]] <- sum(sc_end == 0)
    }
  }
  s <- s[s$w > 0, ]
  stopifnot(all(s$w >= 1))
  s$arm <- factor(s$arm, levels = c("treat", "control"))
  fit <- survfit(Surv(tstart, tstop, status) ~ arm, data = s, weights = w)
  strata <- rep(c("treat", "control"), fit$strata)
  curve <- function(a) list(arm = a, time = fit$time[strata == a], surv = fit$surv[strata == a])
  curves <- list(curve("treat"), curve("control"))
  at <- function(cv, t) { if (t > max(cv$time)) return(NA); k <- which(cv$time <= t); if (length(k)) cv$surv[max(k)] else 1 }
  at_times <- lapply(times, function(t) {
    a <- at(curves[[1]], t); b <- at(curves[[2]], t)
    list(time = t, treat = a, control = b, difference = a - b)
  })
  rm <- summary(fit, rmean = tau)$table[, "rmean"]
  step_area <- function(cv) { tt <- c(0, cv$time[cv$time < tau], tau); ss <- c(1, cv$surv[cv$time < tau]); sum(diff(tt) * ss) }
  stopifnot(abs(rm[1] - step_area(curves[[1]])) < 1e-9, abs(rm[2] - step_area(curves[[2]])) < 1e-9)
  term_list <- function(m) {
    if (is.null(m$fit) || is.null(X)) return(list())
    cf <- coef(m$fit); se <- sqrt(diag(m$fit$var))
    lapply(seq_along(cf), function(j) list(name = colnames(X)[j], coef = unname(cf[j]), se = se[j]))
  }
  list(grace = grace, n_patients = n, n_clones = 2 * n,
       artificially_censored = list(treat = sum(ta), control = sum(ca)),
       n_events = list(treat = sum(s$status[s$arm == "treat"]), control = sum(s$status[s$arm == "control"])),
       curves = curves, at_times = at_times,
       rmst_difference = list(tau = tau, estimate = unname(rm[1] - rm[2]), treat = unname(rm[1]), control = unname(rm[2])),
       censoring_models = lapply(c("treat", "control"), function(a)
         list(arm = a, status = mods[[a]]$status, terms = term_list(mods[[a]]))),
       censoring_survival = censoring_survival,
       left_out_zero_probability = left_out,
       r_split_rows = nrow(s))
}

source(file.path("tests", "r", "cases_emulation.R"))
