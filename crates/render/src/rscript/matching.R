
# ---- propensity-score matching (MatchIt), each group against the reference ----------
# Greedy nearest-neighbour matching on the linear propensity score (the logit of a
# logistic model of treat = (group == a) on the covariates, fitted on the rows of a and
# b): MatchIt::matchit(method = "nearest", distance = "glm", link = "linear.logit").
# NOTE: the public matchit() of MatchIt 4.5.1 (Debian's r-cran-matchit) routes this to a
# fast routine (nn_matchC_vec) that does not honour a caliper below 1 and can pick a
# farther control than the nearest one still free, so its pairs can differ slightly
# from SurvLens's. The script therefore also runs MatchIt's general routine
# (MatchIt:::nn_matchC, the documented algorithm) on matchit()'s own linear score, says
# whether the two agree, and builds the matched analyses on the documented pairs.
suppressPackageStartupMessages(library(MatchIt))

# Balance terms: a numeric column, or every level of a factor ("column=level").
match_terms <- function(d, columns) {
  out <- list()
  for (v in columns) {
    x <- d[[v]]
    if (!is.factor(x)) { out[[v]] <- x; next }
    for (l in levels(x)) out[[paste0(v, "=", l)]] <- as.numeric(x == l)
  }
  out
}

# A weighted Kaplan-Meier curve of the matched rows as SurvLens writes it. With
# non-integer weights (ratio > 1, replacement) survfit's variance is the infinitesimal
# jackknife, whose std.err is already the SE of S; the RMST's SE is then the IJ one too
# (residuals(type = "rmst")). Where S = 0, std_err and both limits are null.
match_curve <- function(fk, md, label, times, tau) {
  tb <- summary(fk)$table
  q <- quantile(fk, probs = c(0.25, 0.75))
  se <- if (isTRUE(fk$logse)) fk$std.err * fk$surv else fk$std.err
  zero <- fk$surv == 0
  se[zero] <- NA; lo <- fk$lower; lo[zero] <- NA; up <- fk$upper; up[zero] <- NA
  cur <- list(group = label, time = arr(fk$time), n_risk = arr(fk$n.risk), n_event = arr(fk$n.event),
    n_censor = arr(fk$n.censor), surv = arr(fk$surv), std_err = arr(nn(se)),
    lower = arr(nn(lo)), upper = arr(nn(up)),
    median = list(estimate = nn(tb[["median"]]), lower = nn(tb[[grep("LCL$", names(tb))]]),
                  upper = nn(tb[[grep("UCL$", names(tb))]])),
    quantiles = lapply(1:2, function(j) list(p = c(0.25, 0.75)[j], estimate = nn(q$quantile[j]),
                                              lower = nn(q$lower[j]), upper = nn(q$upper[j]))))
  cur$at_times <- lapply(at_times_rows(fk, times), function(a) {
    if (identical(a$surv, 0)) { a$std_err <- NA; a$lower <- NA; a$upper <- NA }
    a
  })
  if (!is.null(tau)) {
    st <- summary(fk, rmean = tau)$table
    se_r <- if (any(md$weights != floor(md$weights))) {
      # residuals.survfit re-evaluates the call's data: keep it in the global environment
      assign("match_dg", md[md$g == label, ], envir = globalenv())
      fg <- survfit(Surv(time, status) ~ 1, data = match_dg, weights = weights, robust = TRUE, id = .line)
      sqrt(sum(residuals(fg, times = tau, type = "rmst", weighted = TRUE)^2))
    } else st[["se(rmean)"]]
    cur$rmst <- list(tau = tau, estimate = st[["rmean"]], se = se_r)
  }
  cur
}

# One comparison: group `a` (treat = 1) against the reference `b`.
matching_comparison <- function(d, column, a, b, columns, ratio, caliper, replace, order,
                                ct, cl, times, tau) {
  d_ab <- d[d[[column]] %in% c(a, b), , drop = FALSE]
  miss <- missing_covariates(d_ab, columns)
  d_ab <- model_rows(d_ab, columns)
  d_ab$treat <- as.integer(d_ab[[column]] == a)
  d_ab$g <- factor(as.character(d_ab[[column]]), levels = c(b, a))
  rownames(d_ab) <- as.character(d_ab$.line)
  f <- reformulate(sprintf("`%s`", columns), response = "treat")
  m <- matchit(f, data = d_ab, method = "nearest", distance = "glm", link = "linear.logit",
               caliper = caliper, std.caliper = TRUE, ratio = ratio, replace = replace,
               m.order = order)
  cat("\n## matching:", a, "vs", b, "\n"); print(summary(m, un = FALSE)$nn)
  # The documented greedy algorithm: MatchIt's general routine on the same linear score,
  # treated rows in m.order, `ratio` rounds, each taking the nearest free control within
  # caliper * sd(score) (with replacement: any control).
  score <- unname(m$distance); n <- nrow(d_ab); t1 <- which(d_ab$treat == 1)
  width <- if (is.null(caliper)) NULL else caliper * sd(score)
  ord <- switch(order, largest = order(score[t1], decreasing = TRUE), smallest = order(score[t1]),
                data = seq_along(t1))
  mm <- MatchIt:::nn_matchC(setNames(d_ab$treat, seq_len(n)), ord, rep(as.integer(ratio), length(t1)),
                            rep(FALSE, n), as.integer(if (replace) length(t1) else 1L), score,
                            NULL, NULL, width)
  sets <- lapply(seq_along(t1), function(k) as.integer(mm[k, !is.na(mm[k, ])]))
  # MatchIt's weights: matched treated 1; a control the sum over its sets of 1 / (controls
  # in the set), scaled to sum to the number of matched controls
  w <- numeric(n); w[t1[lengths(sets) > 0]] <- 1
  for (s in sets) if (length(s)) w[s] <- w[s] + 1 / length(s)
  ctrl <- d_ab$treat == 0 & w > 0
  w[ctrl] <- w[ctrl] * sum(ctrl) / sum(w[ctrl])
  cat("matchit()'s fast routine gives the same matched sets:",
      isTRUE(all.equal(unname(m$weights), w, tolerance = 1e-12)), "\n")
  subclass <- rep(NA_integer_, n); j <- 0
  for (k in seq_along(t1)) if (length(sets[[k]])) { j <- j + 1; subclass[c(t1[k], sets[[k]])] <- j }
  pairs <- lapply(which(lengths(sets) > 0), function(k) list(a_line = d_ab$.line[t1[k]],
    b_lines = arr(d_ab$.line[sets[[k]]])))
  # balance: the contract's SMD, s from the unweighted within-arm variances of all rows
  tm <- match_terms(d_ab, columns)
  balance <- lapply(names(tm), function(term) {
    x <- tm[[term]]; t1 <- d_ab$treat == 1
    s <- sqrt(mean(c(var(x[t1]), var(x[!t1]))))
    before <- (mean(x[t1]) - mean(x[!t1])) / s
    after <- (weighted.mean(x[t1], w[t1]) - weighted.mean(x[!t1], w[!t1])) / s
    list(term = term, smd_before = nn(before), smd_after = nn(after))
  })
  # the matched rows (match.data's weights and subclass, from the documented sets)
  md <- d_ab[w > 0, , drop = FALSE]; md$weights <- w[w > 0]; md$subclass <- factor(subclass[w > 0])
  # case weights (the spec's `weights`) multiply the matching weights in the curves and the Cox model
  if (!is.null(md$.w)) md$weights <- md$weights * md$.w
  # Kaplan-Meier of the matched rows, weighted by the matching weights
  fit <- survfit(Surv(time, status) ~ g, data = md, weights = weights, conf.type = ct, conf.int = cl)
  curves <- lapply(1:2, function(k) match_curve(fit[k], md, c(b, a)[k], times, tau))
  # log-rank stratified by matched set (with replacement: unstratified, no weights)
  sd_fit <- if (replace) survdiff(Surv(time, status) ~ g, data = md)
            else survdiff(Surv(time, status) ~ g + strata(subclass), data = md)
  # Cox with robust variance clustered by matched set (with replacement: by patient)
  md$.pair <- if (replace) md$.line else md$subclass
  cx <- coxph(Surv(time, status) ~ g, data = md, weights = weights, robust = TRUE,
              cluster = .pair, ties = "efron")
  print(cx)
  out <- list(a = a, b = b, n = nrow(d_ab), n_events = sum(d_ab$status), missing_covariates = miss,
    caliper_width = if (is.null(caliper)) NULL else caliper * sd(score),
    n_matched = list(a = sum(w[d_ab$treat == 1] > 0), b = sum(w[d_ab$treat == 0] > 0)),
    n_unmatched = list(a = sum(w[d_ab$treat == 1] == 0), b = sum(w[d_ab$treat == 0] == 0)),
    pairs = pairs, balance = balance,
    km = list(conf_type = ct, conf_level = cl, curves = curves),
    logrank = list(chisq = sd_fit$chisq, df = 1, p = pchisq(sd_fit$chisq, 1, lower.tail = FALSE),
                   stratified = !replace),
    cox = list(terms = coxph_terms(cx, paste0(column, "=", a), robust = TRUE)),
    per_row = list(line = arr(as.numeric(d_ab$.line)), treated = arr(d_ab$treat == 1),
                   linear_score = arr(score), weight = arr(w)))
  if (!is.null(tau)) {
    r_a <- curves[[2]]$rmst; r_b <- curves[[1]]$rmst
    est <- r_a$estimate - r_b$estimate; se <- sqrt(r_a$se^2 + r_b$se^2)
    out$rmst_difference <- list(list(a = a, b = b, tau = tau, estimate = est, se = se,
      lower = est - qnorm(0.975) * se, upper = est + qnorm(0.975) * se, p = 2 * pnorm(-abs(est / se))))
  }
  out
}
