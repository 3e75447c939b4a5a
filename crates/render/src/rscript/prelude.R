suppressPackageStartupMessages(library(survival))

# ---- helpers (base R) ---------------------------------------------------------------
`%||%` <- function(a, b) if (is.null(a)) b else a
# A token compared as SurvLens does: trimmed, case-insensitive, or numerically equal.
same_in <- function(v, set) {
  nv <- suppressWarnings(as.numeric(v)); ns <- suppressWarnings(as.numeric(set))
  tolower(v) %in% tolower(set) | (!is.na(nv) & nv %in% ns[!is.na(ns)])
}
# Event coding detected from the values: 0/1, 1/2 (2 = event), true/false, yes/no,
# dead|died|death|deceased / alive|censored.
detect_event <- function(v, ok) {
  u <- unique(tolower(v[ok]))
  if (all(u %in% c("0", "1"))) return(same_in(v, "1"))
  if (all(u %in% c("1", "2"))) return(same_in(v, "2"))
  if (all(u %in% c("true", "false"))) return(tolower(v) == "true")
  if (all(u %in% c("yes", "no"))) return(tolower(v) == "yes")
  dead <- c("dead", "died", "death", "deceased"); alive <- c("alive", "censored")
  if (all(u %in% c(dead, alive))) return(tolower(v) %in% dead)
  stop("the event coding is not one SurvLens detects: ", paste(u, collapse = ", "))
}
# Numbers as SurvLens reads them: a decimal comma only with the ';' delimiter.
num <- function(v) suppressWarnings(as.numeric(if (sep == ";") sub(",", ".", v, fixed = TRUE) else v))
# Levels: reference first, then order of first appearance.
level_order <- function(v, reference) unique(c(reference, v))
# Most frequent value (ties: first to appear).
most_frequent <- function(v) { u <- unique(v); u[which.max(tabulate(match(v, u)))] }
nn <- function(x) { x <- as.numeric(x); x[is.nan(x) | !is.finite(x)] <- NA; x }

# A small JSON writer: named list -> object, unnamed list -> array, atomic vector of
# length != 1 (or marked with arr()) -> array, NA/NaN/Inf -> null; 17 significant digits.
arr <- function(x) { attr(x, "json_array") <- TRUE; x }
json_str <- function(s) {
  for (p in list(c("\\", "\\\\"), c("\"", "\\\""), c("\n", "\\n"), c("\t", "\\t"), c("\r", "\\r")))
    s <- gsub(p[1], p[2], s, fixed = TRUE)
  paste0("\"", s, "\"")
}
json_scalar <- function(v) {
  if (is.na(v)) return("null")
  if (is.logical(v)) return(if (v) "true" else "false")
  if (is.character(v) || is.factor(v)) return(json_str(as.character(v)))
  if (!is.finite(v)) return("null")
  if (v == round(v) && abs(v) < 1e15) return(sprintf("%.0f", v))
  s <- sprintf("%.15g", v)                      # the shortest of 15/16/17 digits that round-trips
  if (as.numeric(s) != v) s <- sprintf("%.16g", v)
  if (as.numeric(s) != v) s <- sprintf("%.17g", v)
  s
}
to_json <- function(x, indent = 0) {
  pad <- strrep("  ", indent + 1); pad0 <- strrep("  ", indent)
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (!is.null(names(x))) {
      if (length(x) == 0) return("{}")
      items <- vapply(seq_along(x), function(i)
        paste0(pad, json_str(names(x)[i]), ": ", to_json(x[[i]], indent + 1)), "")
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", pad0, "}"))
    }
    if (length(x) == 0) return("[]")
    items <- vapply(x, function(e) paste0(pad, to_json(e, indent + 1)), "")
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", pad0, "]"))
  }
  if (length(x) != 1 || isTRUE(attr(x, "json_array"))) {
    if (length(x) == 0) return("[]")
    return(paste0("[", paste(vapply(seq_along(x), function(i) json_scalar(x[i]), ""), collapse = ", "), "]"))
  }
  json_scalar(x)
}
# A covariate as SurvLens reads it: a missing token is NA; numeric if every other value
# parses (a given reference makes it categorical), else text. A text covariate becomes a
# factor per model, on the model's own rows (model_rows); its reference is
# references[[column]] when the spec gives one.
references <- list()
covariate <- function(x, type = NA, reference = NULL) {
  x[is_miss(x)] <- NA
  if (is.na(type)) type <- if (!is.null(reference) || anyNA(num(x[!is.na(x)]))) "categorical" else "numeric"
  if (type == "numeric") num(x) else x
}
# The rows of one model, as R's na.omit per model: the data's rows complete for the
# model's covariates `columns`; each text covariate a factor built on those rows
# (reference: the spec's, else the most frequent level there; then order of appearance).
model_rows <- function(d, columns) {
  if (length(columns) == 0) return(d)
  m <- d[stats::complete.cases(d[, columns, drop = FALSE]), , drop = FALSE]
  for (v in columns) if (is.character(m[[v]]))
    m[[v]] <- factor(m[[v]], levels = level_order(m[[v]], references[[v]] %||% most_frequent(m[[v]])))
  m
}
# missing_covariates of a model: the data's rows (d$.data_row: a patient's split rows
# count once) missing any of `columns`, and per column the rows missing it.
missing_covariates <- function(d, columns) {
  id <- if (is.null(d$.data_row)) seq_len(nrow(d)) else d$.data_row
  count <- function(miss) length(unique(id[miss]))
  if (length(columns) == 0) return(list(n = 0, by_column = structure(list(), names = character(0))))
  by <- lapply(columns, function(v) count(is.na(d[[v]]))); names(by) <- columns
  by <- by[vapply(by, function(k) k > 0, TRUE)]; by <- by[order(names(by))]
  list(n = count(!stats::complete.cases(d[, columns, drop = FALSE])),
       by_column = if (length(by)) by else structure(list(), names = character(0)))
}
# Term names as SurvLens writes them: "column=level" for a factor, the column otherwise.
model_term_names <- function(m, columns)
  unlist(lapply(columns, function(v) if (is.factor(m[[v]])) paste0(v, "=", levels(m[[v]])[-1]) else v))
# Model terms as SurvLens writes them: se the model-based SE, robust_se the sandwich one
# (NA unless robust); the CI, z and p from the SE used (the robust one when robust).
wald_terms <- function(names, b, se, rse = rep(NA, length(b)), robust = FALSE) {
  s <- if (robust) rse else se; z <- b / s
  lapply(seq_along(b), function(i) list(name = names[i], coef = b[i], se = se[i], robust_se = rse[i],
    hr = exp(b[i]), lower = exp(b[i] - qnorm(0.975) * s[i]), upper = exp(b[i] + qnorm(0.975) * s[i]),
    z = z[i], p = 2 * pnorm(-abs(z[i]))))
}
# The terms of a coxph fit; an aliased column has no estimate.
coxph_terms <- function(fit, names, robust) {
  b <- unname(coef(fit))
  se <- sqrt(diag(if (robust) fit$naive.var else fit$var))
  rse <- if (robust) sqrt(diag(fit$var)) else rep(NA, length(b))
  se[is.na(b)] <- NA; rse[is.na(b)] <- NA
  wald_terms(names, b, se, rse, robust)
}
# summary(fk, times) without extend: a time later than the curve's last time is left out
# by R and written here {n_risk 0, null values, beyond_follow_up true}; `row(st, j)`: the
# row of the j-th time read from summary's `st`; `value`: the estimate's name.
summary_rows <- function(fk, times, value, row) {
  if (length(times) == 0) return(list())
  times <- sort(times); last <- max(fk$time); inside <- times[times <= last]
  st <- if (length(inside)) summary(fk, times = inside) else NULL
  lapply(seq_along(times), function(j) {
    if (times[j] > last) return(setNames(list(times[j], 0, NA, NA, NA, NA, TRUE),
      c("time", "n_risk", value, "std_err", "lower", "upper", "beyond_follow_up")))
    row(st, j)
  })
}
# The Kaplan-Meier curve at `times`. `risk(t)`: the number at risk at t when summary's is
# not the contract's (delayed entry).
at_times_rows <- function(fk, times, risk = NULL) summary_rows(fk, times, "surv", function(st, j)
  list(time = st$time[j], n_risk = if (is.null(risk)) st$n.risk[j] else risk(st$time[j]),
       surv = st$surv[j], std_err = nn(st$std.err[j]), lower = nn(st$lower[j]),
       upper = nn(st$upper[j]), beyond_follow_up = FALSE))
