
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
# status) ~ group + strata, ties = "exact") (survdiff refuses such data). At beta = 0
# every subset of a tie is equally likely, so the exact score is O - E and its
# information the hypergeometric variance (Mantel's log-rank with risk sets
# entry < t <= time): computed here in closed form, because coxph's exact method
# enumerates tied subsets and takes hours on heavily tied data. On small data,
# all.equal(fit$score, chisq) with fit <- coxph(..., ties = "exact") checks it.
score_logrank <- function(dd, gcol, strata) {
  g <- dd[[gcol]]; lv <- levels(g); k <- length(lv)
  st <- if (length(strata)) interaction(dd[strata], drop = TRUE) else factor(rep(1, nrow(dd)))
  O <- vapply(lv, function(l) sum(dd$status[g == l]), 0)
  E <- setNames(rep(0, k), lv); V <- matrix(0, k, k)
  for (s in levels(st)) {
    z <- dd[st == s, , drop = FALSE]; gz <- as.integer(g[st == s])
    for (t in sort(unique(z$time[z$status == 1]))) {
      r <- z$entry < t & t <= z$time
      ng <- tabulate(gz[r], k); n <- sum(ng); dk <- sum(z$status == 1 & z$time == t)
      E <- E + dk * ng / n
      if (n > 1) V <- V + dk * (n - dk) / (n * (n - 1)) * (diag(ng, k) - outer(ng, ng) / n)
    }
  }
  keep <- which(E > 0)[-1]  # the groups with E > 0 but the first
  U <- (O - E)[keep]
  chisq <- if (length(keep)) drop(t(U) %*% solve(V[keep, keep, drop = FALSE], U)) else 0
  df <- length(keep)
  tab <- cbind(N = as.vector(table(g)), Observed = O, Expected = E)
  list(sd = tab, O = O, E = E, chisq = chisq, df = df, p = pchisq(chisq, df, lower.tail = FALSE))
}
