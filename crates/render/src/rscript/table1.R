
# ---- table1: baseline characteristics by group ----------------------------------------
# Described: the data's rows: usable time, event, group and strata (a missing covariate counts
# in that covariate's `missing`). Numeric: n, mean, sd, quantile(type = 7), min, max;
# anova(lm(x ~ droplevels(g))), kruskal.test. Categorical: counts and percents of the
# non-missing values; chisq.test(correct = FALSE), or fisher.test for a 2 x 2 table with
# an expected count < 5. SMD: (mean_a - mean_b) / sqrt(mean over groups of var_g).
t1_fin <- function(v) { v <- as.numeric(v); if (length(v) == 1 && !is.finite(v)) NA else v }
t1_numeric_stats <- function(x) {
  q <- if (length(x)) quantile(x, c(0.5, 0.25, 0.75), type = 7, names = FALSE) else rep(NA, 3)
  list(n = length(x), mean = if (length(x)) mean(x) else NA, sd = if (length(x) > 1) sd(x) else NA,
       median = q[1], q1 = q[2], q3 = q[3],
       min = if (length(x)) min(x) else NA, max = if (length(x)) max(x) else NA)
}
t1_pairs <- function(lv) {
  out <- list()
  for (bi in seq_along(lv)) for (ai in seq_along(lv)) if (ai > bi) out[[length(out) + 1]] <- c(lv[ai], lv[bi])
  out
}
t1_smd <- function(v, g, a, b) t1_fin((mean(v[g == a]) - mean(v[g == b])) / sqrt(mean(tapply(v, g, var))))
t1_max_abs <- function(s) {
  s <- abs(unlist(lapply(s, function(e) e$smd))); s <- s[!is.na(s)]
  if (length(s)) max(s) else NA
}
t1_numeric_row <- function(name, x, g, lv, missing_by) {
  by <- lapply(lv, function(l) { s <- t1_numeric_stats(x[g == l])
    c(list(group = l), s["n"], list(missing = missing_by[[l]]), s[-1]) })
  ov <- t1_numeric_stats(x); ov <- c(ov["n"], list(missing = sum(unlist(missing_by))), ov[-1])
  gd <- droplevels(g); test <- NULL; kw <- NULL
  if (nlevels(gd) >= 2) {
    a <- anova(lm(x ~ gd))
    if (a$Df[2] > 0 && a[["Sum Sq"]][2] > 0)
      test <- list(method = "anova", statistic = a[["F value"]][1], df = arr(c(a$Df[1], a$Df[2])), p = a[["Pr(>F)"]][1])
    k <- kruskal.test(x, gd)
    if (is.finite(k$statistic))
      kw <- list(method = "kruskal", statistic = unname(k$statistic), df = unname(k$parameter), p = k$p.value)
  }
  sm <- lapply(t1_pairs(lv), function(ab) list(a = ab[1], b = ab[2], smd = t1_smd(x, g, ab[1], ab[2])))
  r <- list(covariate = name, type = "numeric", by_group = by, overall = ov)
  r["test"] <- list(test); r["test_nonparametric"] <- list(kw)
  r$smd <- sm; r$max_abs_smd <- t1_max_abs(sm)
  r
}
t1_categorical_row <- function(name, x, levels_x, g, lv, missing_by) {
  x <- factor(x, levels = levels_x); n_g <- table(g)
  levels_out <- lapply(levels_x, function(l) list(level = l,
    by_group = lapply(lv, function(gl) list(group = gl, n = sum(x == l & g == gl),
                                            percent = t1_fin(100 * sum(x == l & g == gl) / n_g[[gl]]))),
    overall = list(n = sum(x == l), percent = 100 * sum(x == l) / length(x))))
  tab <- table(droplevels(x), droplevels(g)); test <- NULL
  if (nrow(tab) >= 2 && ncol(tab) >= 2) {
    ch <- suppressWarnings(chisq.test(tab, correct = FALSE))
    test <- if (all(dim(tab) == 2) && any(ch$expected < 5)) list(method = "fisher", p = fisher.test(tab)$p.value)
            else list(method = "chisq", statistic = unname(ch$statistic), df = unname(ch$parameter), p = ch$p.value)
  }
  sm <- list()
  for (ab in t1_pairs(lv)) for (l in levels_x)
    sm[[length(sm) + 1]] <- list(a = ab[1], b = ab[2], level = l, smd = t1_smd(as.numeric(x == l), g, ab[1], ab[2]))
  r <- list(covariate = name, type = "categorical", levels = levels_out,
            missing = lapply(lv, function(l) list(group = l, n = missing_by[[l]])))
  r["test"] <- list(test)
  r$smd <- sm; r$max_abs_smd <- t1_max_abs(sm)
  r
}
# covs: list of list(column, type (NA = detect), reference (NULL = most frequent)).
table1_section <- function(described, g_all, levels_g, covs) {
  gv1 <- g_all[described]
  lv <- unique(c(levels_g, gv1))
  g <- factor(gv1, levels = lv)
  rows <- lapply(covs, function(cv) {
    v <- col(cv$column)[described]; present <- !is_miss(v); x <- v[present]
    missing_by <- lapply(setNames(lv, lv), function(l) sum(!present & g == l))
    kind <- if (is.na(cv$type)) { if (!is.null(cv$reference) || anyNA(num(x))) "categorical" else "numeric" } else cv$type
    if (kind == "numeric") return(t1_numeric_row(cv$column, num(x), g[present], lv, missing_by))
    levels_x <- level_order(x, cv$reference %||% most_frequent(x))
    t1_categorical_row(cv$column, x, levels_x, g[present], lv, missing_by)
  })
  list(groups = lapply(lv, function(l) list(label = l, n = sum(g == l))), rows = rows)
}
