
# ---- subgroups: group hazard ratios within subgroup levels, interaction tests -------
# (docs/methods.md#subgroups) The levels of a column: with cut points "≤c1", "c1–c2", ">cm"
# (x <= c1, c1 < x <= c2, ...); numeric without cut one level per value; text: the
# reference first (the spec's, else the most frequent), then order of appearance.
sg_levels <- function(x, cut = NULL, reference = NULL) {
  if (!is.null(cut)) {
    k <- length(cut); lab <- as.character(cut)
    labels <- c(paste0("\u2264", lab[1]), if (k > 1) paste0(lab[-k], "\u2013", lab[-1]), paste0(">", lab[k]))
    return(list(labels = labels, level = as.integer(cut(x, c(-Inf, cut, Inf), right = TRUE))))
  }
  if (is.numeric(x)) {
    u <- sort(unique(x[!is.na(x)]))
    return(list(labels = as.character(u), level = match(x, u)))
  }
  v <- x[!is.na(x)]
  lv <- level_order(v, reference %||% most_frequent(v))
  list(labels = lv, level = match(x, lv))
}
# coxph on the rows m with the spec's ties, strata, weights (.sw) and cluster (.cluster).
sg_fit <- function(m, rhs, s, robust) {
  args <- list(formula = as.formula(paste(s$surv, "~", paste(rhs, collapse = " + "), s$strata)),
               data = m, ties = s$ties, robust = robust)
  if (!is.null(m$.sw)) args$weights <- quote(.sw)
  if (!is.null(m$.cluster)) args$cluster <- quote(.cluster)
  withCallingHandlers(do.call(coxph, args), warning = function(w) {
    message("subgroups: ", conditionMessage(w)); invokeRestart("muffleWarning") })
}
# One row: n and events per group; the group terms unless a group has no event.
sg_row <- function(m, column, level, covs, s, robust) {
  g <- as.character(m[[s$gcol]])
  by <- lapply(s$levels_g, function(l) list(group = l, n = sum(g == l), events = sum(m$status[g == l])))
  out <- list(column = column, level = level, n = nrow(m), events = sum(m$status), by_group = by, terms = NULL)
  if (any(vapply(by, function(b) b$events == 0, TRUE))) return(out)
  fit <- sg_fit(m, c(s$gterm, sprintf("`%s`", covs)), s, robust)
  k <- length(s$levels_g) - 1; b <- unname(coef(fit))[seq_len(k)]
  se <- sqrt(diag(if (robust) fit$naive.var else fit$var))[seq_len(k)]
  rse <- if (robust) sqrt(diag(fit$var))[seq_len(k)] else rep(NA, k)
  used <- if (robust) rse else se; z <- b / used
  out$terms <- lapply(seq_len(k), function(j) list(name = paste0(s$gcol, "=", s$levels_g[j + 1]),
    coef = b[j], se = se[j], robust_se = rse[j], hr = exp(b[j]), lower = exp(b[j] - qnorm(0.975) * used[j]),
    upper = exp(b[j] + qnorm(0.975) * used[j]), z = z[j], p = 2 * pnorm(-abs(z[j]))))
  out
}
# The interaction test: anova of g * V against g + V ("lr"), or with weights or a cluster
# the robust Wald test of the g:V coefficients ("wald_robust").
sg_interaction <- function(m, column, covs, s, wald) {
  m$.V <- droplevels(m$.V); test <- if (wald) "wald_robust" else "lr"
  none <- list(column = column, test = test, chisq = NA, df = 0, p = NA)
  if (nlevels(m$.V) < 2) return(none)
  rc <- sprintf("`%s`", covs)
  full <- sg_fit(m, c(paste(s$gterm, "* .V"), rc), s, wald)
  if (wald) {
    b <- coef(full); ix <- grep(":", names(b)); ix <- ix[!is.na(b[ix])]
    if (length(ix) == 0) return(none)
    chisq <- drop(b[ix] %*% solve(vcov(full)[ix, ix], b[ix])); df <- length(ix)
  } else {
    a <- anova(sg_fit(m, c(s$gterm, ".V", rc), s, FALSE), full)
    chisq <- a$Chisq[2]; df <- a$Df[2]
    if (df == 0) return(none)
  }
  list(column = column, test = test, chisq = chisq, df = df, p = pchisq(chisq, df, lower.tail = FALSE))
}
# The section on the rows d (w: weights of the weighted population, else the case weights).
subgroups_section <- function(d, s, w = NULL) {
  d$.sw <- if (!is.null(w)) w else d$.w
  weighted <- !is.null(d$.sw) || !is.null(d$.cluster)
  robust <- s$robust || weighted
  rows <- list(sg_row(model_rows(d, s$covs), NA, "overall", s$covs, s, robust))
  inter <- list(); missing <- structure(list(), names = character(0))
  for (col in s$columns) {
    lv <- sg_levels(d[[col$name]], col$cut, col$reference)
    if (anyNA(lv$level)) missing[[col$column]] <- sum(is.na(lv$level))
    others <- setdiff(s$covs, col$column)
    dv <- d[!is.na(lv$level), , drop = FALSE]
    dv$.V <- factor(lv$labels[lv$level[!is.na(lv$level)]], levels = lv$labels)
    mv <- model_rows(dv, others)
    for (l in lv$labels)
      rows[[length(rows) + 1]] <- sg_row(mv[mv$.V == l, , drop = FALSE], col$column, l, others, s, robust)
    inter[[length(inter) + 1]] <- sg_interaction(mv, col$column, others, s, weighted)
  }
  list(rows = rows, interaction = inter, missing_subgroup = missing,
       missing_covariates = missing_covariates(d, s$covs))
}
