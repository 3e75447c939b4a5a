
# ---- propensity-score matching (MatchIt), each group against the reference ----------
# Greedy nearest-neighbour matching on the linear propensity score (the logit of a
# logistic model of treat = (group == a) on the covariates, fitted on the rows of a and
# b): MatchIt::matchit(method = "nearest", distance = "glm", link = "linear.logit").
# NOTE: MatchIt 4.5.1 (Debian's r-cran-matchit) does not honour a caliper below 1 in its
# fast nearest-neighbour routine, so with such a caliper a few pairs (and the numbers
# built on them) can differ slightly from SurvLens's, which follow MatchIt's documented
# algorithm exactly.
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

# A weighted Kaplan-Meier curve of the matched rows as SurvLens writes it.
match_curve <- function(fk, label, times, tau) {
  tb <- summary(fk)$table
  q <- quantile(fk, probs = c(0.25, 0.75))
  cur <- list(group = label, time = arr(fk$time), n_risk = arr(fk$n.risk), n_event = arr(fk$n.event),
    n_censor = arr(fk$n.censor), surv = arr(fk$surv), std_err = arr(nn(fk$std.err * fk$surv)),
    lower = arr(nn(fk$lower)), upper = arr(nn(fk$upper)),
    median = list(estimate = nn(tb[["median"]]), lower = nn(tb[[grep("LCL$", names(tb))]]),
                  upper = nn(tb[[grep("UCL$", names(tb))]])),
    quantiles = lapply(1:2, function(j) list(p = c(0.25, 0.75)[j], estimate = nn(q$quantile[j]),
                                              lower = nn(q$lower[j]), upper = nn(q$upper[j]))))
  cur$at_times <- at_times_rows(fk, times)
  if (!is.null(tau)) {
    st <- summary(fk, rmean = tau)$table
    cur$rmst <- list(tau = tau, estimate = st[["rmean"]], se = st[["se(rmean)"]])
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
  w <- unname(m$weights); score <- unname(m$distance)
  # the pairs: MatchIt's match.matrix, treated rows in the order they were matched
  mm <- m$match.matrix
  mm <- mm[rowSums(!is.na(mm)) > 0, , drop = FALSE]
  pairs <- lapply(seq_len(nrow(mm)), function(i) list(a_line = as.numeric(rownames(mm)[i]),
    b_lines = arr(as.numeric(mm[i, !is.na(mm[i, ])]))))
  # balance: the contract's SMD, s from the unweighted within-arm variances of all rows
  tm <- match_terms(d_ab, columns)
  balance <- lapply(names(tm), function(term) {
    x <- tm[[term]]; t1 <- d_ab$treat == 1
    s <- sqrt(mean(c(var(x[t1]), var(x[!t1]))))
    before <- (mean(x[t1]) - mean(x[!t1])) / s
    after <- (weighted.mean(x[t1], w[t1]) - weighted.mean(x[!t1], w[!t1])) / s
    list(term = term, smd_before = nn(before), smd_after = nn(after))
  })
  md <- match.data(m, data = d_ab)
  # Kaplan-Meier of the matched rows, weighted by the matching weights
  fit <- survfit(Surv(time, status) ~ g, data = md, weights = weights, conf.type = ct, conf.int = cl)
  curves <- lapply(1:2, function(k) match_curve(fit[k], c(b, a)[k], times, tau))
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
