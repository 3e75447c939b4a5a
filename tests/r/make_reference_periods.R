# Writes tests/reference/periods_<name>/{data.csv, spec.json, expected.json}: the
# period-specific group hazard ratios `cox.periods` and the test against one constant
# effect `cox.periods_test` (docs/results.md, docs/methods.md "Hazard ratios by period").
#   Rscript tests/r/make_reference_periods.R        (from the repository root)
# R 4.2.2, survival 3.5-3. expected.json is a PARTIAL contract results document with R's
# numbers at 17 significant digits; keys starting with r_ are metadata (ignored).
#
# A cut point after the last follow-up leaves a period without rows: survSplit gives no
# such tgroup, R no coefficient; SurvLens leaves the period out (warning cox_period_dropped).
# R calls (r_call in each expected.json repeats them with the case's settings):
#   d$t0 <- 0 (or the entry time); d$g <- factor(group, levels = c(non-reference levels in
#   the spec's order, reference))       # the reference LAST: group:strata(tgroup) then
#                                       # estimates 1{group = k, period = j} for k != ref
#   s  <- survSplit(Surv(t0, time, status) ~ ., data = d, cut = cuts, episode = "tgroup")
#   fp <- coxph(Surv(t0, time, status) ~ g:strata(tgroup) + covariates [+ strata(st)],
#               data = s, ties = , [weights = w,] [robust = TRUE, cluster = id])
#   f1 <- coxph(Surv(t0, time, status) ~ g + covariates [+ strata(st)], same rows and options)
#   periods[j].terms[k]: coefficient "g<k>:strata(tgroup)tgroup=<j>" of fp; se from
#     fp$naive.var when robust (robust_se from fp$var), z / p / CI from the SE used
#   periods_test: without robust anova(f1, fp) (LR: 2 (loglik fp - loglik f1), df the
#     difference in estimated coefficients, "lr"); with robust (anova refuses) the Wald
#     test of C b = 0 with the robust variance, C's rows b(k, j) - b(k, last estimated j)
#     ("wald_robust")
source(file.path("tests", "r", "common.R"))   # survival check, to_json, f17

# The writer of make_reference_immortal.R (its definition only, not its cases).
for (e in parse(file.path("tests", "r", "make_reference_immortal.R")))
  if (is.call(e) && identical(e[[1]], as.name("<-")) && identical(e[[2]], as.name("write_case")))
    eval(e, globalenv())

# One term as cox.terms from coefficient b, model-based se and robust se (NA: none).
term_json <- function(name, b, se, rse, robust) {
  used <- if (robust) rse else se
  z <- b / used; q <- qnorm(0.975)
  list(name = name, coef = b, se = se, robust_se = if (robust) rse else NA,
       hr = exp(b), lower = exp(b - q * used), upper = exp(b + q * used), z = z,
       p = pchisq(z^2, 1, lower.tail = FALSE))
}

# x: the case's rows (written as data.csv); cols: the spec's column names (time, event,
# group, entry, weights, strata); spec: the spec (its cox.periods are `cuts`).
periods_case <- function(name, x, spec, cuts, gcol, ref, levels, covs = character(0),
                         tcol, ecol, event_value, entry = NULL, strata = NULL, w = NULL,
                         ties = "efron", robust = FALSE) {
  d <- data.frame(id = seq_len(nrow(x)), time = x[[tcol]],
                  status = as.integer(as.character(x[[ecol]]) == event_value),
                  t0 = if (is.null(entry)) 0 else x[[entry]])
  d$g <- factor(as.character(x[[gcol]]), levels = c(setdiff(levels, ref), ref))
  for (c in covs) d[[c]] <- x[[c]]
  if (!is.null(strata)) d$st <- x[[strata]]
  if (!is.null(w)) d$w <- as.double(x[[w]])
  s <- survSplit(Surv(t0, time, status) ~ ., data = d, cut = cuts, episode = "tgroup")
  rhs <- c(covs, if (!is.null(strata)) "strata(st)")
  f_p <- as.formula(paste("Surv(t0, time, status) ~", paste(c("g:strata(tgroup)", rhs), collapse = " + ")))
  f_1 <- as.formula(paste("Surv(t0, time, status) ~", paste(c("g", rhs), collapse = " + ")))
  fit <- function(f) {
    args <- list(formula = f, data = s, ties = ties)
    if (!is.null(w)) args$weights <- quote(w)
    if (robust) { args$robust <- TRUE; args$cluster <- quote(id) }
    do.call(coxph, args)
  }
  fp <- fit(f_p); f1 <- fit(f_1)
  b <- coef(fp)
  V <- if (robust) fp$naive.var else fp$var; Vr <- fp$var
  nb <- names(b); est <- !is.na(b)
  sev <- sqrt(diag(V)); sev[!est] <- NA
  rsev <- sqrt(diag(Vr)); rsev[!est] <- NA
  nonref <- setdiff(levels, ref)
  # A period without any row (a cut after the last follow-up) has no tgroup level: R
  # has no coefficient for it, and SurvLens leaves it out.
  present <- sort(unique(s$tgroup))
  periods <- lapply(present, function(j) {
    list(from = if (j == 1) 0 else cuts[j - 1], to = if (j <= length(cuts)) cuts[j] else NA,
         terms = lapply(nonref, function(k) {
           i <- match(sprintf("g%s:strata(tgroup)tgroup=%d", k, j), nb)
           stopifnot(!is.na(i))
           term_json(sprintf("%s=%s", gcol, k), b[i], sev[i], rsev[i], robust)
         }))
  })
  if (!robust) {
    a <- anova(f1, fp)
    test <- list(chisq = 2 * (fp$loglik[2] - f1$loglik[2]), df = a$Df[2],
                 p = a[["Pr(>|Chi|)"]][2], test = "lr")
  } else {
    bi <- which(est)
    C <- do.call(rbind, unlist(lapply(nonref, function(k) {
      cols <- match(sprintf("g%s:strata(tgroup)tgroup=%d", k, present), nb)
      cols <- cols[est[cols]]
      last <- cols[length(cols)]
      lapply(cols[-length(cols)], function(c) { r <- rep(0, length(bi)); r[match(c, bi)] <- 1; r[match(last, bi)] <- -1; r })
    }), recursive = FALSE))
    dd <- C %*% b[bi]
    chisq <- drop(t(dd) %*% solve(C %*% Vr[bi, bi] %*% t(C), dd))
    test <- list(chisq = chisq, df = nrow(C), p = pchisq(chisq, nrow(C), lower.tail = FALSE),
                 test = "wald_robust")
  }
  write_case(name, x, spec, prefix = "periods_", list(
    r_call = sprintf("s <- survSplit(Surv(t0, time, status) ~ ., d, cut = c(%s), episode = 'tgroup'); coxph(%s, s, ties = '%s'%s%s)",
                     paste(cuts, collapse = ", "), paste(deparse(f_p), collapse = " "), ties,
                     if (is.null(w)) "" else ", weights = w", if (robust) ", robust = TRUE, cluster = id" else ""),
    cox = list(periods = periods, periods_test = test)))
}

event_spec <- function(col, v) list(column = col, values = I(v))

# ---- veteran: cell type (squamous the reference), Karnofsky score violates PH ----
v <- veteran
v$celltype <- as.character(v$celltype)
lv <- c("squamous", "smallcell", "adeno", "large")
periods_case("veteran_celltype", v[, c("time", "status", "celltype", "trt", "karno")],
  list(time = list(column = "time"), event = event_spec("status", "1"),
       group = list(column = "celltype", reference = "squamous", levels = I(lv)),
       covariates = list(list(column = "trt"), list(column = "karno")),
       cox = list(periods = I(c(30, 100)))),
  cuts = c(30, 100), gcol = "celltype", ref = "squamous", levels = lv, covs = c("trt", "karno"),
  tcol = "time", ecol = "status", event_value = "1")

# ---- lung: sex (1 = male the reference), missing ph.ecog left out of the models ----
l <- lung[, c("time", "status", "sex", "age", "ph.ecog")]
periods_case("lung_sex", l,
  list(time = list(column = "time"), event = event_spec("status", "2"),
       group = list(column = "sex", reference = "1", levels = I(c("1", "2"))),
       covariates = list(list(column = "age"), list(column = "ph.ecog")),
       cox = list(periods = I(c(180, 365)))),
  cuts = c(180, 365), gcol = "sex", ref = "1", levels = c("1", "2"), covs = c("age", "ph.ecog"),
  tcol = "time", ecol = "status", event_value = "2")

# ---- veteran: treatment within strata of prior therapy, one cut -------------------
periods_case("veteran_trt_strata", v[, c("time", "status", "trt", "prior", "karno")],
  list(time = list(column = "time"), event = event_spec("status", "1"),
       group = list(column = "trt", reference = "1", levels = I(c("1", "2"))),
       covariates = list(list(column = "karno")), strata = I("prior"),
       cox = list(periods = I(60))),
  cuts = 60, gcol = "trt", ref = "1", levels = c("1", "2"), covs = "karno", strata = "prior",
  tcol = "time", ecol = "status", event_value = "1")

# ---- aml: Breslow ties; a cut after the last follow-up gives an empty period (NA) ----
a <- aml
a$x <- as.character(a$x)
periods_case("aml_breslow_empty_period", a[, c("time", "status", "x")],
  list(time = list(column = "time"), event = event_spec("status", "1"),
       group = list(column = "x", reference = "Maintained", levels = I(c("Maintained", "Nonmaintained"))),
       cox = list(ties = "breslow", periods = I(c(12, 30, 200)))),
  cuts = c(12, 30, 200), gcol = "x", ref = "Maintained", levels = c("Maintained", "Nonmaintained"),
  tcol = "time", ecol = "status", event_value = "1", ties = "breslow")

# ---- lung: fractional weights and robust variance by patient: robust Wald test ----
lw <- lung[, c("time", "status", "sex", "age")]
lw$w <- 0.5 + (seq_len(nrow(lw)) %% 4) / 4
periods_case("lung_weights_robust", lw,
  list(time = list(column = "time"), event = event_spec("status", "2"),
       group = list(column = "sex", reference = "1", levels = I(c("1", "2"))),
       covariates = list(list(column = "age")), weights = list(column = "w"),
       cox = list(robust = TRUE, periods = I(c(150, 400)))),
  cuts = c(150, 400), gcol = "sex", ref = "1", levels = c("1", "2"), covs = "age", w = "w",
  tcol = "time", ecol = "status", event_value = "2", robust = TRUE)

# ---- mgus2 on the age scale: delayed entry, (entry, exit] rows split at ages 70, 80 ----
m <- mgus2[!is.na(mgus2$hgb), c("id", "age", "futime", "death", "sex", "hgb")]
m$exit <- m$age + m$futime / 12
m$sex <- as.character(m$sex)
periods_case("mgus2_entry_age", m[, c("age", "exit", "death", "sex", "hgb")],
  list(time = list(entry = "age", column = "exit"), event = event_spec("death", "1"),
       group = list(column = "sex", reference = "F", levels = I(c("F", "M"))),
       covariates = list(list(column = "hgb")),
       cox = list(periods = I(c(70, 80)))),
  cuts = c(70, 80), gcol = "sex", ref = "F", levels = c("F", "M"), covs = "hgb",
  tcol = "exit", ecol = "death", event_value = "1", entry = "age")
