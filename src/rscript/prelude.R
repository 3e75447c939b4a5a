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
# A covariate as SurvLens reads it: numeric if every value parses (a given reference
# makes it categorical); categorical levels: reference (default: most frequent) first,
# then order of first appearance.
covariate <- function(x, type = NA, reference = NULL) {
  if (is.na(type)) type <- if (!is.null(reference) || anyNA(num(x))) "categorical" else "numeric"
  if (type == "numeric") return(num(x))
  factor(x, levels = level_order(x, reference %||% most_frequent(x)))
}
