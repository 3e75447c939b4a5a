# Reference fixtures for the `matching` section (docs/results.md "matching",
# docs/methods.md "Propensity-score matching"). Run from the repository root:
#
#   Rscript tests/r/make_reference_matching.R
#
# Writes tests/reference/match_<name>/{data.csv, spec.json, expected.json};
# tests/analysis/reference.rs compares every case automatically and
# tests/analysis/matching.rs checks the pairs exactly. Needs R >= 4.2, survival (3.5-3
# used) and MatchIt (4.5.1 used; only for the cross-checks recorded in r_check: no
# fixture number comes from it).
#
# It reuses the JSON/CSV writers, the contract ingest of make_reference.R and the
# covariate terms, Newton-Raphson logit and Cox term writer of make_reference_propensity.R.
#
# Per comparison a (each non-reference group, group order) against the reference b:
#   rows        : the data's rows of a and b complete for the matching covariates
#                 (na.omit); a categorical covariate's reference: the spec's, else the most
#                 frequent level on those rows (ties: first seen), then first appearance.
#   model       : fit <- glm(treat ~ x, binomial, control = glm.control(epsilon = 1e-14,
#                 maxit = 100)), treat = (g == a); the linear score lp = X %*% coef(fit)
#                 (an aliased coefficient counts 0). r_check records its distance to the
#                 Newton-Raphson of make_reference_propensity.R (SurvLens's algorithm).
#   caliper     : width = caliper * sd(lp) (MatchIt's std.caliper = TRUE).
#   pairs       : greedy_match() below, a plain greedy matcher written with loops:
#                 treated in m.order (order(lp, decreasing = TRUE) / order(lp) / file
#                 order; R's order keeps ties in file order); without replacement `ratio`
#                 rounds, each treated row that matched in the previous round taking the
#                 nearest unused control (which.min over the unused controls in file order:
#                 ties to the first in the file) within the caliper; with replacement the
#                 `ratio` nearest controls within the caliper (order(distance, file order)).
#                 Cross-check (r_check): MatchIt:::nn_matchC, MatchIt's general routine,
#                 which follows the documented algorithm, gives the same sets (with
#                 replacement compared as sets: its partial_sort does not order ties). The
#                 public matchit(distance = lp) of MatchIt 4.5.1 routes to nn_matchC_vec,
#                 which ignores a caliper below 1 SD and can pick a farther control: its
#                 agreement is recorded, never required.
#   weights     : matched treated 1; control sum over its sets of 1/(controls in the set),
#                 then scaled to sum to the number of matched controls (MatchIt's
#                 weights_matrixC; r_check: the largest difference to it).
#   balance     : s = sqrt(mean(c(var(x[a]), var(x[b])))) over the model rows;
#                 smd_before = (mean_a - mean_b)/s, smd_after = (weighted.mean_a -
#                 weighted.mean_b)/s with the matching weights (every level of a
#                 categorical covariate, design order).
#   matched     : md <- the rows with weight > 0; subclass = the matched set (no replacement).
#   km          : survfit(Surv(time, status) ~ g, data = md, weights = w, conf.type,
#                 conf.int) (g = factor(c(b, a))): survfit's default variance, the IJ
#                 (robust) one when a weight is not an integer; std_err = std.err * surv
#                 when logse, else std.err (already the SE of S); std_err, lower and upper
#                 null where S = 0 (the contract's rule, also for a robust plain CI).
#   rmst        : summary(fk, rmean = tau)$table["rmean"]; se: robust fits
#                 sqrt(sum(residuals(fit_g, times = tau, type = "rmst", weighted = TRUE)^2)),
#                 else summary's se(rmean).
#   logrank     : survdiff(Surv(time, status) ~ g + strata(subclass), md); with
#                 replacement survdiff(Surv(time, status) ~ g, md); df = sum(E > 0) - 1.
#   cox         : coxph(Surv(time, status) ~ g, md, weights = w, robust = TRUE, cluster =
#                 subclass (with replacement: line), ties = "efron"); terms as adjusted.cox.
#   rmst_diff   : a - b, se = sqrt(se_a^2 + se_b^2), 95% Wald.

suppressPackageStartupMessages(library(survival))
if (!dir.exists("tests")) stop("run from the repository root")
local({
  exprs <- parse(file.path("tests", "r", "make_reference_propensity.R"))
  for (e in exprs) if (!any(grepl("PS_CASES", deparse(e)))) eval(e, globalenv())
})

# ---------------------------------------------------------------- matcher --------------
# Greedy nearest-neighbour matching of the rows with treat TRUE to the others on lp.
# Returns one integer vector of control rows per row (empty for controls and unmatched).
greedy_match <- function(lp, treat, ratio, width, replace, m.order) {
  n <- length(lp)
  t1 <- which(treat); c0 <- which(!treat)
  ord <- switch(m.order,
                largest = t1[order(lp[t1], decreasing = TRUE)],
                smallest = t1[order(lp[t1])],
                data = t1)
  sets <- vector("list", n)
  for (i in seq_len(n)) sets[[i]] <- integer(0)
  if (replace) {
    for (t in ord) {
      d <- abs(lp[c0] - lp[t])
      ok <- d <= width
      cand <- c0[ok]; dd <- d[ok]
      sets[[t]] <- head(cand[order(dd, cand)], ratio)
    }
  } else {
    used <- rep(FALSE, n)
    active <- ord
    for (r in seq_len(ratio)) {
      still <- integer(0)
      for (t in active) {
        avail <- c0[!used[c0]]
        if (length(avail) == 0) next
        d <- abs(lp[avail] - lp[t])
        j <- which.min(d)
        if (d[j] <= width) {
          sets[[t]] <- c(sets[[t]], avail[j])
          used[avail[j]] <- TRUE
          still <- c(still, t)
        }
      }
      active <- still
    }
  }
  sets
}

# MatchIt's weights: treated 1, control sum of 1/(controls in the set), controls scaled
# to sum to the number of matched controls.
matching_weights <- function(sets, treat) {
  w <- rep(0, length(treat))
  for (t in which(treat)) {
    cs <- sets[[t]]
    if (length(cs) == 0) next
    for (c in cs) w[c] <- w[c] + 1 / length(cs)
    w[t] <- w[t] + 1
  }
  for (arm in c(TRUE, FALSE)) {
    k <- treat == arm; s <- sum(w[k]); m <- sum(w[k] > 0)
    if (s > 0 && s != m) w[k] <- w[k] * (m / s)
  }
  w
}

# The same sets from MatchIt's general routine (nn_matchC), as a list like greedy_match's.
matchit_sets <- function(lp, treat, ratio, width, replace, m.order) {
  n <- length(lp); t1 <- which(treat)
  tr <- setNames(as.integer(treat), seq_len(n))
  ord <- switch(m.order, largest = order(lp[t1], decreasing = TRUE),
                smallest = order(lp[t1]), data = seq_along(t1))
  reuse <- if (replace) length(t1) else 1L
  mm <- MatchIt:::nn_matchC(tr, ord, rep(as.integer(ratio), length(t1)), rep(FALSE, n),
                            as.integer(reuse), lp, NULL, NULL,
                            if (is.finite(width)) width else NULL)
  sets <- vector("list", n)
  for (i in seq_len(n)) sets[[i]] <- integer(0)
  for (k in seq_along(t1)) sets[[t1[k]]] <- as.integer(mm[k, !is.na(mm[k, ])])
  list(sets = sets, mm = mm)
}

# ---------------------------------------------------------------- one comparison -------
matched_km <- function(md, spec, lv) {
  ct <- spec$km$conf_type %||% "log"; cl <- spec$km$conf_level %||% 0.95
  fit <- survfit(Surv(time, status) ~ g, data = md, weights = w, conf.type = ct, conf.int = cl)
  robust <- any(md$w != floor(md$w))
  tau <- spec$rmst$tau
  curves <- lapply(seq_along(lv), function(k) {
    fk <- fit[k]; tab <- summary(fk)$table
    q <- quantile(fk, probs = c(0.25, 0.75))
    se <- if (isTRUE(fk$logse)) fk$std.err * fk$surv else fk$std.err
    # the contract: where S = 0, std_err and both limits are null for every conf_type
    # (a robust plain CI would read 0 to 0 there)
    se[fk$surv == 0] <- NA
    lo <- fk$lower; hi <- fk$upper; lo[fk$surv == 0] <- NA; hi[fk$surv == 0] <- NA
    cur <- obj(group = lv[k], time = arr(fk$time), n_risk = arr(fk$n.risk),
               n_event = arr(fk$n.event), n_censor = arr(fk$n.censor), surv = arr(fk$surv),
               std_err = arr(nn(se)), lower = arr(nn(lo)), upper = arr(nn(hi)),
               median = obj(estimate = nn(tab[["median"]]),
                            lower = nn(tab[[grep("LCL$", names(tab))]]),
                            upper = nn(tab[[grep("UCL$", names(tab))]])),
               quantiles = lapply(1:2, function(j)
                 obj(p = c(0.25, 0.75)[j], estimate = nn(q$quantile[j]),
                     lower = nn(q$lower[j]), upper = nn(q$upper[j]))))
    cur$at_times <- lapply(at_times_rows(fk, unlist(spec$km$times)), function(a) {
      if (identical(a$surv, 0)) { a$std_err <- NA; a$lower <- NA; a$upper <- NA }
      a
    })
    if (!is.null(tau)) {
      est <- summary(fk, rmean = tau)$table[["rmean"]]
      se_r <- if (robust) {
        # residuals.survfit re-evaluates the call's data: keep it in the global environment
        assign("mt_dg", md[md$g == lv[k], ], envir = globalenv())
        fg <- survfit(Surv(time, status) ~ 1, data = mt_dg, weights = w, robust = TRUE, id = line)
        sqrt(sum(residuals(fg, times = tau, type = "rmst", weighted = TRUE)^2))
      } else summary(fk, rmean = tau)$table[["se(rmean)"]]
      cur$rmst <- obj(tau = tau, estimate = est, se = se_r)
    }
    cur
  })
  list(km = obj(conf_type = ct, conf_level = cl, curves = curves), robust = robust)
}

comparison <- function(raw, d_data, spec, a, b, cols) {
  ms <- spec$matching
  ratio <- ms$ratio %||% 1; replace <- isTRUE(ms$replace); m.order <- ms$order %||% "largest"
  covs <- lapply(cols, function(cn) {
    hit <- Filter(function(c) c$column == cn, spec$covariates)
    if (length(hit)) hit[[1]] else list(column = cn)
  })
  # the rows of a and b in the data, then those complete for the matching covariates
  dab <- d_data[d_data$g %in% c(a, b), ]
  mc <- missing_covariates(raw, dab, cols, spec)
  miss_tok <- spec$missing %||% DEFAULT_MISSING
  complete <- Reduce(`&`, lapply(cols, function(cn) !(trimws(raw[[cn]])[dab$line - 1] %in% miss_tok)),
                     rep(TRUE, nrow(dab)))
  d <- dab[complete, ]
  d$g <- factor(as.character(d$g), levels = c(b, a))
  treat <- d$g == a
  tm <- covariate_terms(raw, d, covs)
  X <- cbind("(Intercept)" = 1, do.call(cbind, tm$design))
  gl <- glm(treat ~ X - 1, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
  beta <- coef(gl); beta[is.na(beta)] <- 0
  lp <- drop(X %*% beta)
  nr <- nr_logit(X, as.integer(treat), 2)
  width <- if (is.null(ms$caliper)) Inf else ms$caliper * sd(lp)
  sets <- greedy_match(lp, treat, ratio, width, replace, m.order)
  w <- matching_weights(sets, treat)
  # cross-checks against MatchIt (metadata)
  mi <- matchit_sets(lp, treat, ratio, width, replace, m.order)
  same <- all(vapply(seq_along(sets), function(i)
    if (replace) setequal(sets[[i]], mi$sets[[i]]) else identical(sets[[i]], mi$sets[[i]]), TRUE))
  mi_w <- MatchIt:::weights_matrixC(mi$mm, setNames(as.integer(treat), seq_along(treat)))
  pub <- tryCatch({
    dd <- data.frame(treat = as.integer(treat))
    m <- suppressWarnings(MatchIt::matchit(treat ~ 1, data = dd, method = "nearest", distance = lp,
                                           caliper = ms$caliper, std.caliper = TRUE, ratio = ratio,
                                           replace = replace, m.order = m.order))
    isTRUE(all.equal(unname(m$weights), w))
  }, error = function(e) paste("error:", conditionMessage(e)))
  check <- list(nn_matchC_same_sets = same,
                weights_matrixC_max_abs_diff = max(abs(unname(mi_w) - w)),
                public_matchit_same_weights = pub,
                glm_vs_newton_lp_max_abs_diff = max(abs(lp - drop(X %*% nr$coef[, 1]))))
  if (!same) stop("the greedy matcher and MatchIt's nn_matchC disagree")
  # balance
  balance <- lapply(names(tm$balance), function(term) {
    x <- tm$balance[[term]]
    s <- sqrt(mean(c(var(x[!treat]), var(x[treat]))))
    before <- (mean(x[treat]) - mean(x[!treat])) / s
    after <- (weighted.mean(x[treat], w[treat]) - weighted.mean(x[!treat], w[!treat])) / s
    obj(term = term, smd_before = nn(before), smd_after = nn(after))
  })
  out <- obj(a = a, b = b, n = nrow(d), n_events = sum(d$status), missing_covariates = mc,
             caliper_width = if (is.finite(width)) width else NA,
             n_matched = obj(a = sum(w[treat] > 0), b = sum(w[!treat] > 0)),
             n_unmatched = obj(a = sum(w[treat] == 0), b = sum(w[!treat] == 0)),
             pairs = lapply(which(treat & lengths(sets) > 0), function(t)
               obj(a_line = d$line[t], b_lines = arr(d$line[sets[[t]]]))),
             balance = balance)
  # the matched sample
  sub <- rep(NA_integer_, nrow(d)); k <- 0L
  for (t in which(treat & lengths(sets) > 0)) { k <- k + 1L; sub[t] <- k; sub[sets[[t]]] <- k }
  d$w <- w; d$sub <- sub
  md <- d[w > 0, ]
  kmr <- matched_km(md, spec, c(b, a))
  out$km <- kmr$km
  lr <- if (replace) survdiff(Surv(time, status) ~ g, data = md)
        else survdiff(Surv(time, status) ~ g + strata(sub), data = md)
  E <- if (is.matrix(lr$exp)) rowSums(lr$exp) else lr$exp
  df <- sum(E > 0) - 1
  out$logrank <- obj(chisq = lr$chisq, df = df, p = pchisq(lr$chisq, df, lower.tail = FALSE),
                     stratified = !replace)
  md$cl <- if (replace) md$line else md$sub
  cx <- coxph(Surv(time, status) ~ g, data = md, weights = w, robust = TRUE, cluster = cl,
              ties = "efron")
  out$cox <- obj(terms = cox_group_terms(cx, spec$group$column, c(b, a), robust = TRUE))
  if (!is.null(spec$rmst)) {
    ra <- out$km$curves[[2]]$rmst; rb <- out$km$curves[[1]]$rmst
    est <- ra$estimate - rb$estimate; se <- sqrt(ra$se^2 + rb$se^2); z <- qnorm(0.975)
    out$rmst_difference <- list(obj(a = a, b = b, tau = ra$tau, estimate = est, se = se,
                                    lower = est - z * se, upper = est + z * se,
                                    p = 2 * pnorm(-abs(est / se))))
  }
  out$per_row <- obj(line = arr(d$line), treated = arr(treat), linear_score = arr(lp),
                     weight = arr(w))
  cat(sprintf("  %-10s vs %-8s n %4d matched %4d/%4d  width %s  robust km %s  %s\n", a, b,
              nrow(d), sum(w[treat] > 0), sum(w[!treat] > 0),
              if (is.finite(width)) signif(width, 4) else "-", kmr$robust,
              paste(names(check), vapply(check, function(v) as.character(if (is.numeric(v)) signif(v, 3) else v), ""),
                    collapse = " ")))
  list(section = out, check = check)
}

r_calls_matching <- function() list(
  model = "glm(treat ~ covariates, binomial, epsilon = 1e-14) on the rows of a and b complete for the covariates; lp = linear predictor",
  pairs = "greedy nearest-neighbour matcher in make_reference_matching.R (= MatchIt:::nn_matchC): caliper * sd(lp), ratio rounds, ties to the first control in the file",
  weights = "MatchIt's weights_matrixC (controls scaled to the number of matched controls)",
  km = "survfit(Surv(time, status) ~ g, data = matched, weights = weights) (IJ variance when a weight is not an integer)",
  logrank = "survdiff(Surv(time, status) ~ g + strata(subclass), matched) (with replacement: unstratified)",
  cox = "coxph(Surv(time, status) ~ g, matched, weights = weights, robust = TRUE, cluster = subclass) (with replacement: cluster = line)")

run_match_case <- function(cs) {
  dir <- file.path(OUT, cs$name); dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  write_raw_csv(cs$data, file.path(dir, "data.csv"))
  write_json(cs$spec, file.path(dir, "spec.json"), digits = 15)
  raw <- read_raw_csv(file.path(dir, "data.csv"), ",")
  spec <- cs$spec
  ing <- ingest(raw, spec, ",")
  d <- ing$d
  cols <- unlist(spec$matching$covariates) %||% vapply(spec$covariates, function(c) c$column, "")
  cat(cs$name, "\n")
  comps <- lapply(setdiff(ing$levels, ing$reference), function(a)
    comparison(raw, d, spec, a, ing$reference, cols))
  res <- obj(r_case = cs$name, r_description = cs$description, r_source = cs$source,
             r_version = R.version.string,
             r_survival_version = as.character(packageVersion("survival")),
             r_matchit_version = as.character(packageVersion("MatchIt")),
             r_call = r_calls_matching(),
             r_check = lapply(comps, function(c) c$check),
             version = 1,
             data = obj(n_rows = ing$n_rows, n_used = nrow(d), n_events = sum(d$status),
                        excluded = ing$excluded, excluded_by_reason = ing$excluded_by_reason),
             groups = lapply(ing$levels, function(l)
               obj(label = l, n = sum(d$g == l), events = sum(d$status[d$g == l]))),
             matching = lapply(comps, function(c) c$section))
  write_json(res, file.path(dir, "expected.json"))
}

suppressPackageStartupMessages(library(MatchIt))
source(file.path("tests", "r", "cases_matching.R"), local = TRUE)
for (cs in MATCH_CASES) run_match_case(cs)
