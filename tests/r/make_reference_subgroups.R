# Reference fixtures for the subgroups section (docs/results.md "subgroups"). Run from
# the repository root:
#
#   Rscript tests/r/make_reference_subgroups.R
#
# Writes tests/reference/sub_<name>/{data.csv, spec.json, expected.json}; the cases are in
# cases_subgroups.R; tests/analysis/reference.rs compares every case. Needs survival
# (3.5-3 used).
#
# It reuses every definition of make_reference_propensity.R (which reuses those of
# make_reference.R): the writers, the contract ingest, the propensity weights and
# cox_group_terms().
#
# R calls (r_call in each expected.json repeats them with the case's settings):
#   d        : the data's rows (ingest(); covariates and subgroup columns do not count)
#   columns  : each column's cells on d as text (missing tokens -> NA); a spec covariate
#              or subgroup column is numeric when its type says so, or when it has cut
#              points, or (no type) when every non-missing cell parses as a number
#   levels   : cut: cut(x, c(-Inf, cut, Inf), right = TRUE), labels "≤c1", "c1–c2", ">cm"
#              (every level listed); numeric without cut: sort(unique(x)), labels
#              as.character(value); categorical: the reference (the spec's, else the most
#              frequent, ties first seen) then order of appearance, levels without a row
#              left out
#   covs     : adjust true: the spec's covariates, minus the subgroup column in its own
#              rows and interaction; adjust false: none
#   rows     : overall = d complete for covs (na.omit); column V = d with V present,
#              complete for covs minus V; level = those rows with V in the level
#   by_group : table(m$g), tapply(m$status, m$g, sum) over the level's rows m
#   terms    : null when a group has no event in the level; else the group terms of
#              coxph(Surv(time, status) ~ g + covs [+ strata(s)], data = m, ties,
#              robust = cox.robust | weights | cluster [, weights = w] [, cluster = id]),
#              as cox_group_terms() (CI, z, p from the robust SE when robust)
#   interaction, no weights and no cluster: on V's rows (V a factor of its levels present
#              there), a <- anova(coxph(Surv ~ g + V + covs), coxph(Surv ~ g * V + covs));
#              chisq = a$Chisq[2], df = a$Df[2], p = pchisq(chisq, df, lower.tail = FALSE)
#   interaction, weights or cluster ("wald_robust"): fit <- coxph(Surv ~ g * V + covs,
#              weights, robust = TRUE [, cluster]); ix = the non-NA "g…:V…" coefficients;
#              chisq = b %*% solve(vcov(fit)[ix, ix], b), df = length(ix)
#   adjusted.subgroups: the same on the propensity model's rows with weights = the
#              propensity weights (times case weights), robust, wald_robust

suppressPackageStartupMessages(library(survival))
if (!dir.exists("tests")) stop("run from the repository root")
local({
  exprs <- parse(file.path("tests", "r", "make_reference_propensity.R"))
  for (e in exprs) if (!any(grepl("PS_CASES", deparse(e)))) eval(e, globalenv())
})

# The cells of `column` on the rows d, as text (missing tokens -> NA).
cells_of <- function(raw, d, spec, column) {
  v <- trimws(raw[[column]])[d$line - 1]
  v[v %in% (spec$missing %||% DEFAULT_MISSING)] <- NA
  v
}

# Whether a column is read as numbers (its covariate type, cut points, or detection).
is_numeric_column <- function(x, spec, column, cut = NULL) {
  cv <- Filter(function(c) c$column == column, spec$covariates)
  type <- if (length(cv)) cv[[1]]$type else NULL
  if (!is.null(cut)) return(TRUE)
  if (!is.null(type)) return(type == "numeric")
  if (length(cv) && !is.null(cv[[1]]$reference)) return(FALSE)
  !any(is.na(suppressWarnings(as.numeric(x[!is.na(x)]))))
}

lab <- function(v) as.character(v)

# The levels of a subgroup column on d: list(labels, level of each row (NA: missing)).
subgroup_levels <- function(x, numeric, cut, reference = NULL) {
  if (!is.null(cut)) {
    num <- as.numeric(x)
    cut <- unlist(cut); m <- length(cut)
    labels <- c(paste0("\u2264", lab(cut[1])),
                if (m > 1) paste0(lab(cut[-m]), "\u2013", lab(cut[-1])),
                paste0(">", lab(cut[m])))
    return(list(labels = labels, level = as.integer(cut(num, c(-Inf, cut, Inf), right = TRUE))))
  }
  if (numeric) {
    num <- as.numeric(x); u <- sort(unique(num[!is.na(num)]))
    return(list(labels = lab(u), level = match(num, u)))
  }
  u <- unique(x[!is.na(x)])
  ref <- reference %||% u[which.max(tabulate(match(x, u)))]
  lv <- c(ref, setdiff(u, ref))
  list(labels = lv, level = match(x, lv))
}

# The rows m of a model: d's rows `sel` complete for `covs`, each covariate numeric or a
# factor built on m (reference: the spec's, else the most frequent there).
model_frame <- function(raw, d, spec, sel, covs, extra) {
  m <- d[sel, c("time", "status", "g", "line", unlist(spec$strata)), drop = FALSE]
  for (cn in covs) m[[cn]] <- cells_of(raw, d, spec, cn)[sel]
  for (nm in names(extra)) m[[nm]] <- extra[[nm]][sel]
  m <- m[complete.cases(m[, c(covs, names(extra)), drop = FALSE]), , drop = FALSE]
  for (cn in covs) {
    x <- m[[cn]]
    if (is_numeric_column(cells_of(raw, d, spec, cn), spec, cn)) { m[[cn]] <- as.numeric(x); next }
    cv <- Filter(function(c) c$column == cn, spec$covariates)
    u <- unique(x); ref <- (if (length(cv)) cv[[1]]$reference) %||% u[which.max(tabulate(match(x, u)))]
    m[[cn]] <- factor(x, levels = c(ref, setdiff(u, ref)))
  }
  m
}

# coxph on m with the spec's ties, strata, weights (.w) and cluster (.cl).
fit_cox <- function(m, rhs, spec, robust) {
  st <- unlist(spec$strata)
  rhs <- c(rhs, if (length(st)) sprintf("strata(%s)", paste(sprintf("`%s`", st), collapse = ", ")))
  args <- list(formula = as.formula(paste("Surv(time, status) ~", paste(rhs, collapse = " + "))),
               data = m, ties = spec$cox$ties %||% "efron", robust = robust)
  if (!is.null(m$.w)) args$weights <- quote(.w)
  if (!is.null(m$.cl)) args$cluster <- quote(.cl)
  withCallingHandlers(do.call(coxph, args), warning = function(w) {
    message("  R warning: ", conditionMessage(w)); invokeRestart("muffleWarning") })
}

level_row <- function(m, spec, lv, column, level, covs, robust) {
  by <- lapply(lv, function(l) obj(group = l, n = sum(m$g == l), events = sum(m$status[m$g == l])))
  none <- any(vapply(by, function(b) b$events == 0, TRUE))
  terms <- if (none) NULL else {
    fit <- fit_cox(m, c("g", sprintf("`%s`", covs)), spec, robust)
    cox_group_terms(fit, spec$group$column, lv, robust)
  }
  out <- obj(column = column, level = level, n = nrow(m), events = sum(m$status), by_group = by)
  out["terms"] <- list(terms)
  out
}

interaction_test <- function(m, spec, column, covs, wald) {
  m$.V <- droplevels(m$.V)
  test <- if (wald) "wald_robust" else "lr"
  if (nlevels(m$.V) < 2) return(obj(column = column, test = test, chisq = NA, df = 0, p = NA))
  rc <- sprintf("`%s`", covs)
  full <- fit_cox(m, c("g * .V", rc), spec, robust = wald)
  if (wald) {
    b <- coef(full); ix <- grep(":", names(b)); ix <- ix[!is.na(b[ix])]
    chisq <- drop(b[ix] %*% solve(vcov(full)[ix, ix], b[ix])); df <- length(ix)
  } else {
    a <- anova(fit_cox(m, c("g", ".V", rc), spec, robust = FALSE), full)
    chisq <- a$Chisq[2]; df <- a$Df[2]
  }
  obj(column = column, test = test, chisq = chisq, df = df, p = pchisq(chisq, df, lower.tail = FALSE))
}

# The section on the rows d (the data's, or the propensity rows with weights w).
subgroups_section <- function(raw, d, levels, spec, w = NULL) {
  sg <- spec$subgroups
  covs <- if (isTRUE(sg$adjust)) vapply(spec$covariates, function(c) c$column, "") else character(0)
  extra <- list()
  if (!is.null(w)) extra$.w <- w
  if (!is.null(spec$cluster)) extra$.cl <- cells_of(raw, d, spec, spec$cluster$column)
  weighted <- length(extra) > 0
  robust <- isTRUE(spec$cox$robust) || weighted
  all <- rep(TRUE, nrow(d))
  m0 <- model_frame(raw, d, spec, all, covs, extra)
  rows <- list(level_row(m0, spec, levels, NA, "overall", covs, robust))
  inter <- list(); missing <- obj()
  for (c in sg$columns) {
    x <- cells_of(raw, d, spec, c$column)
    cv <- Filter(function(v) v$column == c$column, spec$covariates)
    lv <- subgroup_levels(x, is_numeric_column(x, spec, c$column, c$cut), c$cut,
                          if (length(cv)) cv[[1]]$reference)
    if (any(is.na(lv$level))) missing[[c$column]] <- sum(is.na(lv$level))
    others <- setdiff(covs, c$column)
    ex <- c(extra, list(.V = factor(lv$labels[lv$level], levels = lv$labels)))
    mv <- model_frame(raw, d, spec, !is.na(lv$level), others, ex)
    for (l in lv$labels)
      rows[[length(rows) + 1]] <- level_row(mv[mv$.V == l, , drop = FALSE], spec, levels,
                                            c$column, l, others, robust)
    inter[[length(inter) + 1]] <- interaction_test(mv, spec, c$column, others, weighted)
  }
  mc <- missing_covariates(raw, d, covs, spec)
  obj(rows = rows, interaction = inter, missing_subgroup = missing, missing_covariates = mc)
}

r_calls_subgroups <- function(spec) {
  sg <- spec$subgroups
  wt <- !is.null(spec$weights) || !is.null(spec$cluster)
  list(
    rows = sprintf("per level: coxph(Surv(time, status) ~ g%s, data = level rows, ties = '%s', robust = %s%s%s); group terms; null when a group has no event",
                   if (isTRUE(sg$adjust)) " + covariates (minus the column)" else "",
                   spec$cox$ties %||% "efron", isTRUE(spec$cox$robust) || wt,
                   if (!is.null(spec$weights)) ", weights = w" else "",
                   if (!is.null(spec$cluster)) ", cluster = id" else ""),
    interaction = if (wt) "fit <- coxph(Surv ~ g * V + covs, weights, robust = TRUE, cluster); b = non-NA g:V coefficients; chisq = b %*% solve(vcov(fit)[ix, ix], b)"
                  else "anova(coxph(Surv ~ g + V + covs), coxph(Surv ~ g * V + covs)): Chisq[2], Df[2]",
    adjusted = if (!is.null(spec$adjusted)) "the same on the propensity rows, weights = propensity weights, robust = TRUE, wald_robust interaction")
}

run_sub_case <- function(cs) {
  dir <- file.path(OUT, cs$name); dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  write_raw_csv(cs$data, file.path(dir, "data.csv"))
  write_json(cs$spec, file.path(dir, "spec.json"), digits = 15)
  raw <- read_raw_csv(file.path(dir, "data.csv"), ",")
  spec <- cs$spec
  ing <- ingest(raw, spec, ",")
  d <- ing$d
  cw <- if (!is.null(spec$weights)) as.numeric(cells_of(raw, d, spec, spec$weights$column))
  res <- obj(r_case = cs$name, r_description = cs$description, r_source = cs$source,
             r_version = R.version.string,
             r_survival_version = as.character(packageVersion("survival")),
             r_call = r_calls_subgroups(spec), version = 1,
             data = obj(n_rows = ing$n_rows, n_used = nrow(d), n_events = sum(d$status),
                        excluded = ing$excluded, excluded_by_reason = ing$excluded_by_reason),
             groups = lapply(ing$levels, function(l)
               obj(label = l, n = sum(d$g == l), events = sum(d$status[d$g == l]))),
             subgroups = subgroups_section(raw, d, ing$levels, spec, cw))
  if (!is.null(spec$adjusted)) {
    sp <- spec
    cols <- unlist(sp$propensity$covariates) %||% vapply(sp$covariates, function(c) c$column, "")
    sp$covariates <- lapply(cols, function(cn) list(column = cn))
    ping <- ingest(raw, sp, ",", covariates = TRUE)
    ps <- propensity_section(raw, ping$d, ping, spec)
    w <- ps$w * (if (is.null(spec$weights)) 1 else as.numeric(cells_of(raw, ping$d, spec, spec$weights$column)))
    res$adjusted <- obj(subgroups = subgroups_section(raw, ping$d, ping$levels, spec, w))
  }
  write_json(res, file.path(dir, "expected.json"))
  nulls <- sum(vapply(res$subgroups$rows, function(r) is.null(r$terms), TRUE))
  cat(sprintf("%-22s used %5d events %4d rows %3d null terms %d\n", cs$name, nrow(d),
              sum(d$status), length(res$subgroups$rows), nulls))
}

source(file.path("tests", "r", "cases_subgroups.R"), local = TRUE)
for (cs in SUB_CASES) run_sub_case(cs)
