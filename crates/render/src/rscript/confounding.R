
# ---- propensity score, weights, balance, weighted analyses, E-values (base R) -------
# The propensity model is a baseline-category logit fitted by Newton-Raphson (two groups:
# the same as glm(g ~ ., family = binomial); more: the model of nnet::multinom, solved
# exactly): start at intercepts log(n_c / n_0), step I^-1 U, halve while the
# log-likelihood decreases, stop when max |step| < 1e-10 (at most 50 iterations).
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
      for (e in 2:k) {
        ie <- ((e - 2) * p + 1):((e - 1) * p)
        v <- if (c == e) P[, c] * (1 - P[, c]) else -P[, c] * P[, e]
        I[ic, ie] <- crossprod(X * v, X)
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
       iterations = it, converged = conv)
}

# Model columns (numeric as is, a factor by its non-reference dummies "column=level")
# and balance terms (every level of a factor).
ps_terms <- function(d, columns) {
  design <- list(); balance <- list()
  for (v in columns) {
    x <- d[[v]]
    if (!is.factor(x)) { design[[v]] <- x; balance[[v]] <- x; next }
    for (j in seq_along(levels(x))) {
      ind <- as.numeric(x == levels(x)[j]); nm <- paste0(v, "=", levels(x)[j])
      if (j > 1) design[[nm]] <- ind
      balance[[nm]] <- ind
    }
  }
  list(design = design, balance = balance)
}

# The propensity section; `g` the group factor (reference first).
propensity_section <- function(d, g, columns, estimand, stabilize, focal, truncate) {
  lv <- levels(g); k <- length(lv)
  tm <- ps_terms(d, columns)
  X <- cbind("(Intercept)" = 1, do.call(cbind, tm$design))
  y <- as.integer(g) - 1
  fit <- nr_logit(X, y, k)
  e <- fit$fitted; gi <- cbind(seq_len(nrow(d)), y + 1)
  if (estimand == "ATT" && is.null(focal)) focal <- lv[2]
  w <- switch(estimand,
    ATE = if (stabilize) as.numeric(prop.table(table(g))[y + 1]) / e[gi] else 1 / e[gi],
    ATT = e[, match(focal, lv)] / e[gi],
    ATO = (1 / e[gi]) / rowSums(1 / e))
  if (estimand == "ATT") w[g == focal] <- 1
  truncated_at <- NULL
  if (!is.null(truncate)) {
    q <- unname(quantile(w, truncate, type = 7))
    keep <- if (estimand == "ATT") g == focal else rep(FALSE, length(w))
    w[!keep] <- pmin(pmax(w[!keep], q[1]), q[2])
    truncated_at <- arr(q)
  }
  pairs <- list()
  for (b in seq_len(k)) for (a in seq_len(k)) if (a > b) pairs[[length(pairs) + 1]] <- c(a, b)
  balance <- lapply(names(tm$balance), function(term) {
    x <- tm$balance[[term]]
    s <- sqrt(mean(tapply(x, g, var)))
    m0 <- tapply(x, g, mean)
    m1 <- vapply(seq_len(k), function(j) weighted.mean(x[g == lv[j]], w[g == lv[j]]), 0)
    pr <- lapply(pairs, function(ab) list(a = lv[ab[1]], b = lv[ab[2]],
      smd_before = nn((m0[[ab[1]]] - m0[[ab[2]]]) / s), smd_after = nn((m1[ab[1]] - m1[ab[2]]) / s)))
    list(term = term, pairs = pr,
         max_abs_smd_before = nn(max(abs(vapply(pr, function(p) p$smd_before, 0)))),
         max_abs_smd_after = nn(max(abs(vapply(pr, function(p) p$smd_after, 0)))))
  })
  coefs <- list()
  for (c in 2:k) for (j in seq_len(ncol(X)))
    coefs[[length(coefs) + 1]] <- list(group = lv[c], term = colnames(X)[j],
                                       coef = fit$coef[j, c - 1], se = nn(fit$se[j, c - 1]))
  cat("\n## propensity model (", if (k == 2) "binomial" else "multinomial", " logit): converged ",
      fit$converged, " in ", fit$iterations, " iterations\n", sep = "")
  print(round(setNames(fit$coef, lv[-1]), 4))
  list(w = w, section = list(
    model = if (k == 2) "binomial" else "multinomial", estimand = estimand, focal = focal,
    stabilized = stabilize, truncated_at = truncated_at,
    converged = fit$converged, iterations = fit$iterations, coefficients = coefs,
    weights_summary = lapply(seq_len(k), function(j) {
      v <- w[g == lv[j]]
      list(group = lv[j], n = length(v), min = min(v), max = max(v), mean = mean(v),
           sum = sum(v), ess = sum(v)^2 / sum(v^2))
    }),
    balance = balance))
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
    list(name = paste0(column, "=", lv[j + 1]), coef = b, se = se, robust_se = nn(rse),
         hr = exp(b), lower = exp(b - z * s), upper = exp(b + z * s), z = b / s,
         p = 2 * pnorm(-abs(b / s)))
  })
}

# Weighted Kaplan-Meier (IJ robust SE), RMST, differences, and the weighted Cox model.
adjusted_section <- function(d, g, w, column, ct, cl, times, tau, cluster = NULL) {
  dd <- data.frame(time = d$time, status = d$status, g = g, w = w, row = seq_len(nrow(d)))
  dd$cl <- if (is.null(cluster)) dd$row else cluster
  lv <- levels(g)
  fit <- survfit(Surv(time, status) ~ g, data = dd, weights = w, robust = TRUE, id = row,
                 conf.type = ct, conf.int = cl)
  cat("\n## weighted Kaplan-Meier\n"); print(fit)
  curves <- lapply(seq_along(lv), function(k) {
    fk <- fit[k]; tab <- summary(fk)$table
    q <- quantile(fk, probs = c(0.25, 0.75))
    # SurvLens leaves std_err and both limits empty where S = 0, for every conf_type
    # (docs/methods.md#kaplan-meier); R's plain limits are 0 there.
    zero <- fk$surv == 0
    se <- fk$std.err; se[zero] <- NA
    lo <- fk$lower; lo[zero] <- NA; up <- fk$upper; up[zero] <- NA
    cur <- list(group = lv[k], time = arr(fk$time), n_risk = arr(fk$n.risk),
      n_event = arr(fk$n.event), n_censor = arr(fk$n.censor), surv = arr(fk$surv),
      std_err = arr(nn(se)), lower = arr(nn(lo)), upper = arr(nn(up)),
      median = list(estimate = nn(tab[["median"]]), lower = nn(tab[[grep("LCL$", names(tab))]]),
                    upper = nn(tab[[grep("UCL$", names(tab))]])),
      quantiles = lapply(1:2, function(j) list(p = c(0.25, 0.75)[j], estimate = nn(q$quantile[j]),
                                                lower = nn(q$lower[j]), upper = nn(q$upper[j]))))
    # summary(fk, times) without extend (later times: beyond_follow_up); nothing where S = 0
    cur$at_times <- lapply(at_times_rows(fk, times), function(a) {
      if (identical(a$surv, 0)) { a$std_err <- NA; a$lower <- NA; a$upper <- NA }
      a
    })
    if (!is.null(tau)) {
      # residuals.survfit re-evaluates the call's data: keep it in the global environment
      assign("adj_dg", dd[dd$g == lv[k], ], envir = globalenv())
      fg <- survfit(Surv(time, status) ~ 1, data = adj_dg, weights = w, robust = TRUE, id = row)
      r <- residuals(fg, times = tau, type = "rmst", weighted = TRUE)
      cur$rmst <- list(tau = tau, estimate = summary(fk, rmean = tau)$table[["rmean"]], se = sqrt(sum(r^2)))
    }
    cur
  })
  out <- list(km = list(conf_type = ct, conf_level = cl, curves = curves))
  # robust variance grouped by the spec's cluster, else by row (R's default)
  cx <- coxph(Surv(time, status) ~ g, data = dd, weights = w, robust = TRUE, cluster = cl,
              ties = "efron")
  cat("\n## weighted Cox model (robust variance)\n"); print(cx)
  out$cox <- list(terms = cox_group_terms(cx, column, lv, robust = TRUE))
  if (!is.null(tau)) {
    rm <- lapply(curves, function(c) c$rmst)
    out$rmst_difference <- lapply(2:length(lv), function(a) {
      est <- rm[[a]]$estimate - rm[[1]]$estimate; se <- sqrt(rm[[a]]$se^2 + rm[[1]]$se^2)
      list(a = lv[a], b = lv[1], tau = tau, estimate = est, se = se, lower = est - qnorm(0.975) * se,
           upper = est + qnorm(0.975) * se, p = 2 * pnorm(-abs(est / se)))
    })
  }
  out
}

# E-value (VanderWeele & Ding 2017) of a hazard ratio and of its CI: RR = HR (rare
# outcome) or (1 - 0.5^sqrt(HR)) / (1 - 0.5^sqrt(1/HR)); E = RR + sqrt(RR (RR - 1)) with
# RR >= 1; for the CI the limit nearer 1, E = 1 when the CI contains 1.
evalue_hr <- function(hr, lo, hi, rare) {
  tr <- function(h) if (rare) h else (1 - 0.5^sqrt(h)) / (1 - 0.5^sqrt(1 / h))
  e <- function(rr) { rr <- max(rr, 1 / rr); rr + sqrt(rr * (rr - 1)) }
  c(e(tr(hr)), if (lo <= 1 && hi >= 1) 1 else e(tr(if (lo > 1) lo else hi)))
}

# `sources`: named lists of Cox terms; only the group terms "<column>=..." count.
sensitivity_section <- function(rare, column, sources) {
  ev <- list()
  for (src in names(sources)) for (t in sources[[src]]) {
    if (!startsWith(t$name, paste0(column, "=")) || is.na(t$hr)) next
    e <- evalue_hr(t$hr, t$lower, t$upper, rare)
    ev[[length(ev) + 1]] <- list(source = src, name = t$name, hr = t$hr, evalue = e[1], evalue_ci = e[2])
  }
  list(rare_outcome = rare, evalues = ev)
}
