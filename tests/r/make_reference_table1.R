# Reference fixtures for the `table1` section (docs/results.md#table1): R is the truth.
#
# Run from the repository root:   Rscript tests/r/make_reference_table1.R
#
# Writes tests/reference/table1_<name>/{data.csv, spec.json, expected.json}; expected.json
# is a partial results document holding `table1` (and metadata keys r_*). It reuses the
# JSON/CSV writers and the R re-implementation of the contract's ingest of
# make_reference.R (every top-level definition of that script, not its case loop).
#
# Who is described: the data's rows, ingest() (every row with a usable time, event, group
# and strata; a missing covariate leaves no row out); each covariate is then read from the
# file for those rows, missing tokens counted per group.
#
# R calls (x = the covariate's non-missing values, g = their groups as a factor in the
# table's group order; `droplevels` drops groups without values):
#   numeric : length, mean, sd, quantile(x, c(.5, .25, .75), type = 7), min, max by group
#             anova(lm(x ~ droplevels(g)))[1, c("F value", "Df", "Pr(>F)")], residual Df
#             kruskal.test(x, g)
#   categ.  : tab <- table(droplevels(factor(x, levels)), droplevels(g))
#             chisq.test(tab, correct = FALSE); if tab is 2 x 2 and
#             any(chisq.test(tab)$expected < 5): fisher.test(tab)$p.value
#   smd     : s = sqrt(mean(tapply(v, g, var))) over every group (v = x, or x == level);
#             (mean(v[g == a]) - mean(v[g == b])) / s; not finite -> null
#   max_abs_smd = max(abs(smd), na.rm = TRUE) (null when every smd is null)

suppressPackageStartupMessages(library(survival))
if (!dir.exists("tests")) stop("run from the repository root")
local({
  exprs <- parse(file.path("tests", "r", "make_reference.R"))
  for (e in exprs) {
    txt <- paste(deparse(e), collapse = "\n")
    if (grepl("cases.R", txt, fixed = TRUE) || grepl("run_case(cs)", txt, fixed = TRUE)) next
    eval(e, globalenv())
  }
})

# ---------------------------------------------------------------- covariates ---------
parse_num <- function(v, sep) {
  ok <- grepl("^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$", v)
  if (sep == ";") {
    okc <- grepl("^[+-]?([0-9]+,?[0-9]*|,[0-9]+)([eE][+-]?[0-9]+)?$", v)
    v[okc] <- sub(",", ".", v[okc], fixed = TRUE)
    ok <- ok | okc
  }
  out <- rep(NA_real_, length(v)); out[ok] <- as.numeric(v[ok]); out
}

# One covariate over the described rows: list(kind, values (non-missing), present, levels)
read_covariate <- function(raw, rows, cv, miss_tok, sep) {
  v <- trimws(raw[[cv$column]])[rows]
  present <- !(v %in% miss_tok)
  x <- v[present]
  kind <- cv$type %||% (if (!is.null(cv$reference)) "categorical"
                        else if (all(!is.na(parse_num(x, sep)))) "numeric" else "categorical")
  if (kind == "numeric") return(list(kind = kind, x = parse_num(x, sep), present = present))
  first <- unique(x)
  ref <- cv$reference %||% first[which.max(tabulate(match(x, first)))]
  list(kind = kind, x = x, present = present, levels = c(ref, setdiff(first, ref)))
}

fin <- function(v) { v <- as.numeric(v); if (length(v) == 1 && !is.finite(v)) NA else v }

numeric_stats <- function(x) {
  q <- if (length(x)) quantile(x, c(0.5, 0.25, 0.75), type = 7, names = FALSE) else rep(NA, 3)
  list(n = length(x), mean = if (length(x)) mean(x) else NA, sd = if (length(x) > 1) sd(x) else NA,
       median = q[1], q1 = q[2], q3 = q[3],
       min = if (length(x)) min(x) else NA, max = if (length(x)) max(x) else NA)
}

pairs_of <- function(lv) {
  out <- list()
  for (bi in seq_along(lv)) for (ai in seq_along(lv)) if (ai > bi) out[[length(out) + 1]] <- c(lv[ai], lv[bi])
  out
}

smd_of <- function(v, g, a, b) {
  s <- sqrt(mean(tapply(v, g, var)))
  fin((mean(v[g == a]) - mean(v[g == b])) / s)
}

max_abs <- function(s) { s <- abs(unlist(lapply(s, function(e) e$smd))); s <- s[!is.na(s)]
  if (length(s)) max(s) else NA }

numeric_row <- function(name, cov, g, lv, missing_by) {
  x <- cov$x
  by <- lapply(lv, function(l) c(list(group = l), { s <- numeric_stats(x[g == l])
    c(s["n"], list(missing = missing_by[[l]]), s[-1]) }))
  ov <- numeric_stats(x); ov <- c(ov["n"], list(missing = sum(unlist(missing_by))), ov[-1])
  gd <- droplevels(g)
  test <- NULL; kw <- NULL
  if (nlevels(gd) >= 2) {
    a <- anova(lm(x ~ gd))
    if (a$Df[2] > 0 && a[["Sum Sq"]][2] > 0)
      test <- obj(method = "anova", statistic = a[["F value"]][1], df = arr(c(a$Df[1], a$Df[2])),
                  p = a[["Pr(>F)"]][1])
    k <- kruskal.test(x, gd)
    if (is.finite(k$statistic))
      kw <- obj(method = "kruskal", statistic = unname(k$statistic), df = unname(k$parameter),
                p = k$p.value)
  }
  sm <- lapply(pairs_of(lv), function(ab) obj(a = ab[1], b = ab[2], smd = smd_of(x, g, ab[1], ab[2])))
  r <- obj(covariate = name, type = "numeric", by_group = by, overall = ov)
  r["test"] <- list(test); r["test_nonparametric"] <- list(kw)
  r$smd <- sm; r$max_abs_smd <- max_abs(sm)
  r
}

categorical_row <- function(name, cov, g, lv, missing_by) {
  x <- factor(cov$x, levels = cov$levels)
  n_g <- table(g)
  levels_out <- lapply(cov$levels, function(l) {
    obj(level = l,
        by_group = lapply(lv, function(gl) obj(group = gl, n = sum(x == l & g == gl),
                                               percent = fin(100 * sum(x == l & g == gl) / n_g[[gl]]))),
        overall = obj(n = sum(x == l), percent = 100 * sum(x == l) / length(x)))
  })
  tab <- table(droplevels(x), droplevels(g))
  test <- NULL
  if (nrow(tab) >= 2 && ncol(tab) >= 2) {
    ch <- suppressWarnings(chisq.test(tab, correct = FALSE))
    test <- if (all(dim(tab) == 2) && any(ch$expected < 5))
      obj(method = "fisher", p = fisher.test(tab)$p.value)
    else obj(method = "chisq", statistic = unname(ch$statistic), df = unname(ch$parameter), p = ch$p.value)
  }
  sm <- list()
  for (ab in pairs_of(lv)) for (l in cov$levels)
    sm[[length(sm) + 1]] <- obj(a = ab[1], b = ab[2], level = l,
                                smd = smd_of(as.numeric(x == l), g, ab[1], ab[2]))
  r <- obj(covariate = name, type = "categorical", levels = levels_out,
           missing = lapply(lv, function(l) obj(group = l, n = missing_by[[l]])))
  r["test"] <- list(test)
  r$smd <- sm; r$max_abs_smd <- max_abs(sm)
  r
}

table1_section <- function(raw, spec, sep) {
  miss_tok <- spec$missing %||% DEFAULT_MISSING
  main <- ingest(raw, spec, sep)
  t1 <- main   # the data's rows: usable time, event, group and strata
  lv <- unique(c(main$levels, t1$levels))
  g <- factor(as.character(t1$d$g), levels = lv)
  rows <- t1$d$line - 1
  names_t1 <- spec$table1$covariates
  covs <- if (is.null(names_t1)) spec$covariates else lapply(names_t1, function(nm) {
    hit <- Filter(function(c) c$column == nm, spec$covariates)
    if (length(hit)) hit[[1]] else list(column = nm)
  })
  out_rows <- lapply(covs, function(cv) {
    cov <- read_covariate(raw, rows, cv, miss_tok, sep)
    missing_by <- lapply(setNames(lv, lv), function(l) sum(!cov$present & g == l))
    gp <- g[cov$present]
    if (cov$kind == "numeric") numeric_row(cv$column, cov, gp, lv, missing_by)
    else categorical_row(cv$column, cov, gp, lv, missing_by)
  })
  obj(groups = lapply(lv, function(l) obj(label = l, n = sum(g == l))), rows = out_rows)
}

run_table1_case <- function(cs) {
  dir <- file.path(OUT, cs$name); dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  sep <- cs$sep %||% ","
  write_raw_csv(cs$data, file.path(dir, "data.csv"), sep)
  write_json(cs$spec, file.path(dir, "spec.json"), digits = 15)
  raw <- read_raw_csv(file.path(dir, "data.csv"), sep)
  stopifnot(nrow(raw) == nrow(cs$data))
  t1 <- table1_section(raw, cs$spec, sep)
  res <- obj(r_case = cs$name, r_description = cs$description, r_source = cs$source,
             r_version = R.version.string,
             r_call = "see the header of tests/r/make_reference_table1.R (numeric: mean, sd, quantile type 7, anova(lm(x ~ droplevels(g))), kruskal.test(x, g); categorical: chisq.test(table(droplevels(x), droplevels(g)), correct = FALSE) or fisher.test for a 2x2 with an expected count < 5; smd: (mean_a - mean_b) / sqrt(mean(tapply(v, g, var))))",
             version = 1, table1 = t1)
  write_json(res, file.path(dir, "expected.json"))
  cat(sprintf("%-26s rows %5d described %5d groups %d covariates %d\n", cs$name, nrow(raw),
              sum(vapply(t1$groups, function(x) x$n, 0)), length(t1$groups), length(t1$rows)))
}

source(file.path("tests", "r", "cases_table1.R"), local = TRUE)
for (cs in CASES_TABLE1) run_table1_case(cs)
