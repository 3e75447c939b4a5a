# mice against SurvLens's own imputation on R datasets with real missing covariates
# (issue 21): both impute the same data.csv by chained equations (m = 20) with the same
# imputation model (every other covariate, the group, the event indicator and the
# Nelson–Aalen cumulative hazard as predictors; pmm / logreg / polyreg) and pool the same
# Cox model by Rubin's rules. Random imputations cannot agree to the digit; the test
# (tests/analysis/imputation_chained.rs) asserts |coef_SurvLens − coef_mice| < the
# pooled SE of mice for every term.
# Run from the repository root:
#
#   Rscript tests/r/make_reference_mice_compare.R    # ~1 min; survival 3.5-3, mice 3.15
#
# Writes tests/reference/mice_compare_<name>/{data.csv, spec.json, mice.json} (mice.json, not
# expected.json: the exact R comparison of tests/analysis/reference.rs does not apply; the
# wasm test still compares the native and wasm reports of these cases byte for byte).
# R calls (r_call in each mice.json):
#   d$H  <- nelsonaalen(d, time, status)
#   pred <- make.predictorMatrix(d); pred[, "time"] <- 0        # time enters through H
#   imp  <- mice(d, m = 20, maxit = 10, seed = seed, predictorMatrix = pred)
#           (default methods: pmm numeric, logreg 2-level factor, polyreg more levels)
#   summary(pool(with(imp, coxph(Surv(time, status) ~ g + covariates))))

source(file.path("tests", "r", "common.R"))   # survival check, to_json, f17
suppressPackageStartupMessages(library(mice))
stopifnot(as.character(packageVersion("mice")) == "3.15.0")

M <- 20L
ITER <- 10L

CASES <- list(
  list(
    name = "mice_compare_pbc",
    description = "pbc, 312 randomized rows; chol (28), copper (2), trig (30), platelet (4) missing: pmm",
    data = local({
      d <- survival::pbc[1:312, ]
      data.frame(time = d$time, status = as.integer(d$status == 2),
                 trt = ifelse(d$trt == 1, "D-penicillamine", "placebo"),
                 age = d$age, bili = d$bili, albumin = d$albumin,
                 edema = as.character(d$edema), chol = d$chol, copper = d$copper,
                 trig = d$trig, platelet = d$platelet)
    }),
    group = list(column = "trt", levels = c("placebo", "D-penicillamine")),
    covariates = list(list(column = "age"), list(column = "bili"), list(column = "albumin"),
                      list(column = "edema", type = "categorical", reference = "0"),
                      list(column = "chol"), list(column = "copper"), list(column = "trig"),
                      list(column = "platelet")),
    seed = 21L
  ),
  list(
    name = "mice_compare_pbc_all",
    description = "pbc, all 418 rows (group sex); hepato (106 missing: logreg), stage (6: polyreg), chol (134), platelet (11): pmm",
    data = local({
      d <- survival::pbc
      data.frame(time = d$time, status = as.integer(d$status == 2),
                 sex = as.character(d$sex),
                 age = d$age, bili = d$bili, albumin = d$albumin,
                 hepato = ifelse(is.na(d$hepato), NA, ifelse(d$hepato == 1, "yes", "no")),
                 stage = as.character(d$stage), chol = d$chol, platelet = d$platelet)
    }),
    group = list(column = "sex", levels = c("f", "m")),
    covariates = list(list(column = "age"), list(column = "bili"), list(column = "albumin"),
                      list(column = "hepato", type = "categorical", reference = "no"),
                      list(column = "stage", type = "categorical", reference = "3"),
                      list(column = "chol"), list(column = "platelet")),
    seed = 22L
  ),
  list(
    name = "mice_compare_colon",
    description = "colon, etype 2 (death), three arms; nodes (18 missing: pmm), differ (23: polyreg)",
    data = local({
      d <- survival::colon[survival::colon$etype == 2, ]
      data.frame(time = d$time, status = d$status, rx = as.character(d$rx),
                 age = d$age, sex = ifelse(d$sex == 1, "male", "female"),
                 nodes = d$nodes,
                 differ = c("well", "moderate", "poor")[d$differ],
                 extent = c("submucosa", "muscle", "serosa", "contiguous")[d$extent],
                 obstruct = d$obstruct)
    }),
    group = list(column = "rx", levels = c("Obs", "Lev", "Lev+5FU")),
    covariates = list(list(column = "age"),
                      list(column = "sex", type = "categorical", reference = "female"),
                      list(column = "nodes"),
                      list(column = "differ", type = "categorical", reference = "moderate"),
                      list(column = "extent", type = "categorical", reference = "serosa"),
                      list(column = "obstruct")),
    seed = 23L
  )
)

write_csv <- function(d, path) {
  cell <- function(v) if (is.numeric(v)) f17(v) else ifelse(is.na(v), "", as.character(v))
  rows <- do.call(paste, c(lapply(d, cell), sep = ","))
  writeLines(c(paste(names(d), collapse = ","), rows), path, useBytes = TRUE)
}

run_case <- function(cs) {
  dir <- file.path("tests", "reference", cs$name)
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  gcol <- cs$group$column
  covs <- vapply(cs$covariates, function(c) c$column, "")
  write_csv(cs$data, file.path(dir, "data.csv"))
  # Everything below from data.csv as read back.
  d <- read.csv(file.path(dir, "data.csv"), check.names = FALSE, na.strings = "",
                colClasses = "character")
  d$time <- as.numeric(d$time); d$status <- as.numeric(d$status)
  d$g <- factor(d[[gcol]], levels = cs$group$levels); d[[gcol]] <- NULL
  for (c in cs$covariates) {
    if (identical(c$type, "categorical")) {
      lv <- unique(d[[c$column]][!is.na(d[[c$column]])])
      d[[c$column]] <- factor(d[[c$column]], levels = c(c$reference, setdiff(lv, c$reference)))
    } else {
      d[[c$column]] <- as.numeric(d[[c$column]])
    }
  }
  d$H <- nelsonaalen(d, time, status)
  pred <- make.predictorMatrix(d)
  pred[, "time"] <- 0
  imp <- mice(d, m = M, maxit = ITER, seed = cs$seed, predictorMatrix = pred, printFlag = FALSE)
  fml <- as.formula(paste("Surv(time, status) ~ g +", paste0("`", covs, "`", collapse = " + ")))
  fits <- lapply(seq_len(M), function(k) coxph(fml, data = complete(imp, k), ties = "efron"))
  p <- pool(as.mira(fits))
  names <- unlist(lapply(names(fits[[1]]$assign), function(t) {
    if (t == "g") paste0(gcol, "=", levels(d$g)[-1])
    else if (is.factor(d[[t]])) paste0(t, "=", levels(d[[t]])[-1])
    else t
  }))
  terms <- lapply(seq_len(nrow(p$pooled)), function(j) list(
    name = names[j], coef = p$pooled$estimate[j], se = sqrt(p$pooled$t[j])))
  cc <- coxph(fml, data = d, ties = "efron")
  spec <- list(
    time = list(column = "time"),
    event = list(column = "status", values = I("1"), censored_values = I("0")),
    group = list(column = gcol, reference = cs$group$levels[1], levels = cs$group$levels),
    covariates = cs$covariates,
    cox = list(ties = "efron"),
    imputation = list(m = M, iterations = ITER, seed = cs$seed))
  writeLines(to_json(spec), file.path(dir, "spec.json"), useBytes = TRUE)
  expected <- list(
    r_case = cs$name, r_description = cs$description,
    r_version = R.version.string,
    r_survival_version = as.character(packageVersion("survival")),
    r_mice_version = as.character(packageVersion("mice")),
    r_seed = cs$seed, r_methods = as.list(imp$method[imp$method != ""]),
    r_call = sprintf("d$H <- nelsonaalen(d, time, status); pred[, 'time'] <- 0; imp <- mice(d, m = %d, maxit = %d, seed = %d, predictorMatrix = pred); summary(pool(with(imp, coxph(%s, ties = 'efron'))))",
                     M, ITER, cs$seed, paste(deparse(fml), collapse = "")),
    n = nrow(d), n_complete_cases = cc$n,
    mice = list(terms = terms),
    complete_cases = list(terms = lapply(seq_along(names), function(j) list(
      name = names[j], coef = unname(coef(cc)[j]), se = unname(sqrt(diag(vcov(cc)))[j])))))
  writeLines(to_json(expected), file.path(dir, "mice.json"), useBytes = TRUE)
  cat(cs$name, ": ", nrow(d), " rows, methods ", paste(names(imp$method[imp$method != ""]), imp$method[imp$method != ""], collapse = "; "), "\n", sep = "")
}

for (cs in CASES) run_case(cs)
