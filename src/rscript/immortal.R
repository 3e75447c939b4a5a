
# ---- counting-process helpers (delayed entry, landmarks, time-dependent groups) ------
# R's near-tie rule on (start, stop] rows: aeqSurv's cuts, without its stop on an
# interval that the rule makes empty.
timefix_counting <- function(start, stop) {
  y <- sort(unique(c(start, stop))); y <- y[is.finite(y)]
  if (length(y) < 2) return(list(start = start, stop = stop))
  dy <- diff(y); tol <- sqrt(.Machine$double.eps)
  tied <- (dy <= tol) | (dy / mean(abs(y)) <= tol)
  if (!any(tied)) return(list(start = start, stop = stop))
  cuts <- y[c(TRUE, !tied)]
  list(start = cuts[findInterval(start, cuts)], stop = cuts[findInterval(stop, cuts)])
}
# ... and rows it empties leave (again until none does): `gone` = their positions.
timefix_dropping_empty <- function(start, stop) {
  keep <- rep(TRUE, length(start))
  repeat {
    tf <- timefix_counting(start[keep], stop[keep])
    empty <- tf$stop <= tf$start
    if (!any(empty)) break
    keep[which(keep)[empty]] <- FALSE
  }
  list(start = tf$start, stop = tf$stop, gone = which(!keep))
}
# Number at risk at t on (entry, time] rows: sum of weights with entry < t <= time.
n_at_risk <- function(d, rows, t) {
  w <- if (is.null(d$.w)) rep(1, nrow(d)) else d$.w
  sum(w[rows & d$entry < t & t <= d$time])
}
# The log-rank test with delayed entry: the score test of coxph(Surv(entry, time,
# status) ~ group + strata, ties = "exact") (survdiff refuses such data); observed and
# expected (sum over event times of d * n_g / n) by hand, per stratum.
score_logrank <- function(dd, gcol, strata) {
  g <- dd[[gcol]]; lv <- levels(g)
  st <- if (length(strata)) interaction(dd[strata], drop = TRUE) else factor(rep(1, nrow(dd)))
  y <- Surv(dd$entry, dd$time, dd$status)
  fit <- if (length(strata)) coxph(y ~ g + strata(st), ties = "exact") else coxph(y ~ g, ties = "exact")
  O <- vapply(lv, function(l) sum(dd$status[g == l]), 0)
  E <- setNames(rep(0, length(lv)), lv)
  for (s in levels(st)) {
    z <- dd[st == s, , drop = FALSE]; gz <- g[st == s]
    for (t in sort(unique(z$time[z$status == 1]))) {
      r <- z$entry < t & t <= z$time; dk <- sum(z$status == 1 & z$time == t)
      E <- E + dk * vapply(lv, function(l) sum(r & gz == l), 0) / sum(r)
    }
  }
  chisq <- unname(fit$score); df <- length(lv) - 1
  list(sd = fit, O = O, E = E, chisq = chisq, df = df, p = pchisq(chisq, df, lower.tail = FALSE))
}
