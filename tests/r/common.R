# Shared preamble of the fixture scripts make_reference_cox.R and
# make_reference_immortal.R (sourced by them, from the repository root): the survival
# version check, a tiny JSON writer with 17 significant digits, and the CSV number
# writer, so SurvLens reads R's doubles back exactly.
suppressPackageStartupMessages(library(survival))
stopifnot(as.character(packageVersion("survival")) == "3.5.3")

# ---- a tiny JSON writer with 17 significant digits -------------------------------
num17 <- function(x) {
  if (is.na(x) || !is.finite(x)) return("null")
  if (x == round(x) && abs(x) < 1e15) return(sprintf("%.0f", x))
  sprintf("%.17g", x)
}
to_json <- function(v, indent = "") {
  ind2 <- paste0(indent, "  ")
  if (is.null(v)) return("null")
  if (is.list(v) && !is.null(names(v))) {
    items <- mapply(function(k, x) paste0(ind2, '"', k, '": ', to_json(x, ind2)), names(v), v)
    return(paste0("{\n", paste(items, collapse = ",\n"), "\n", indent, "}"))
  }
  if (is.list(v)) {
    if (length(v) == 0) return("[]")
    items <- vapply(v, function(x) paste0(ind2, to_json(x, ind2)), "")
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", indent, "]"))
  }
  asis <- inherits(v, "AsIs")   # I(x): an array even of length 1
  if (asis) v <- unclass(v)
  out <- if (is.logical(v)) ifelse(is.na(v), "null", ifelse(v, "true", "false"))
         else if (is.character(v)) paste0('"', gsub('"', '\\\\"', v), '"')
         else vapply(v, num17, "")
  if (length(v) == 1 && !asis) out else paste0("[", paste(out, collapse = ", "), "]")
}

# ---- numbers for data.csv at 17 significant digits ("" for NA) --------------------
f17 <- function(x) ifelse(is.na(x), "", ifelse(x == round(x) & abs(x) < 1e15, sprintf("%.0f", x), sprintf("%.17g", x)))
