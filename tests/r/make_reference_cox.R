# Writes tests/reference/cox_<name>/{data.csv, spec.json, expected.json}:
#   Rscript tests/r/make_reference_cox.R        (from the repository root)
# R 4.2.2, survival 3.5-3. expected.json is a PARTIAL contract results document with R's
# numbers at 17 significant digits; keys starting with r_ are metadata (ignored).
source(file.path("tests", "r", "common.R"))   # survival check, to_json, f17

# ---- terms and tests of a fit, in the contract's shape ---------------------------------
fit_terms <- function(fit, m) {
  asg <- fit$assign   # term names in SurvLens style
  tnames <- unlist(lapply(names(asg), function(t) if (is.factor(m[[t]])) paste0(t, "=", levels(m[[t]])[-1]) else t))
  beta <- coef(fit)
  naive <- if (is.null(fit$naive.var)) fit$var else fit$naive.var
  se <- sqrt(diag(naive)); se[is.na(beta)] <- NA
  rse <- if (!is.null(fit$naive.var)) sqrt(diag(fit$var)) else rep(NA, length(beta))
  rse[is.na(beta)] <- NA
  used_se <- if (!is.null(fit$naive.var)) rse else se
  z <- beta / used_se
  q <- qnorm(0.975)
  lapply(seq_along(beta), function(j) list(
    name = tnames[j], coef = unname(beta[j]), se = unname(se[j]), robust_se = unname(rse[j]),
    hr = unname(exp(beta[j])), lower = unname(exp(beta[j] - q * used_se[j])),
    upper = unname(exp(beta[j] + q * used_se[j])), z = unname(z[j]),
    p = unname(pchisq(z[j]^2, 1, lower.tail = FALSE))))
}
fit_tests <- function(fit) {
  df <- sum(!is.na(coef(fit)))
  # df = 0 (every coefficient aliased): SurvLens reports chisq 0 and p null (R: numeric(0) and 1).
  tst <- function(x) {
    x <- if (length(x) == 0) 0 else unname(x)
    list(chisq = x, df = df, p = if (df == 0) NA else pchisq(x, df, lower.tail = FALSE))
  }
  tests <- list(lr = tst(2 * diff(fit$loglik)), wald = tst(fit$wald.test), score = tst(fit$score))
  if (!is.null(fit$rscore)) tests$robust_score <- tst(fit$rscore)
  tests
}

# ---- scaled Schoenfeld residuals and the smooth of plot.cox.zph (df = 4, nsmo = 40) -------
# The lines of survival:::plot.cox.zph (3.5-3) that compute pred.x, yhat and the band.
zph_smooth <- function(zp, i, df = 4, nsmo = 40) {
  xx <- zp$x
  pred.x <- seq(from = min(xx), to = max(xx), length = nsmo)
  lmat <- splines::ns(c(pred.x, xx), df = df, intercept = TRUE)
  pmat <- lmat[1:nsmo, ]
  xmat <- lmat[-(1:nsmo), ]
  y <- zp$y[, i]
  keep <- !is.na(y)
  y <- y[keep]
  qmat <- qr(xmat[keep, ])
  if (qmat$rank < df) return(NULL)
  yhat <- pmat %*% qr.coef(qmat, y)
  bk <- backsolve(qmat$qr[1:df, 1:df], diag(df))
  xtx <- bk %*% t(bk)
  seval <- ((pmat %*% xtx) * pmat) %*% rep(1, df)
  temp <- 2 * sqrt(zp$var[i, i] * seval)
  list(x = I(pred.x), fit = I(c(yhat)), lower = I(c(yhat - temp)), upper = I(c(yhat + temp)))
}
zph_residuals <- function(zp) {
  list(time = I(unname(zp$time)), transformed_time = I(unname(zp$x)), smooth_df = 4,
       terms = lapply(seq_len(ncol(zp$y)), function(i) list(
         name = colnames(zp$y)[i], scaled = I(unname(zp$y[, i])), smooth = zph_smooth(zp, i))))
}

# ---- one case ------------------------------------------------------------------------
# d: data frame with columns time, status (0/1) and the others named in the spec.
# group: list(column, reference); covs: list of list(column, type, reference).
cox_case <- function(name, d, group = NULL, covs = list(), strata = character(0),
                     weights = NULL, cluster = NULL, ties = "efron", robust = FALSE,
                     ph = NULL, note = "", uni = TRUE, resid = FALSE) {
  dir <- file.path("tests/reference", paste0("cox_", name))
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  used <- c("time", "status", group$column, vapply(covs, function(c) c$column, ""), strata, weights, cluster)
  d <- d[complete.cases(d[, used]), used, drop = FALSE]
  # CSV: numbers at 17 digits so SurvLens reads R's doubles exactly.
  csv <- d
  for (k in names(csv)) if (is.numeric(csv[[k]])) csv[[k]] <- f17(csv[[k]])
  write.csv(csv, file.path(dir, "data.csv"), row.names = FALSE, quote = TRUE)

  # Model frame with factors (reference first, then order of first appearance).
  m <- d
  lev <- function(x, ref) { u <- unique(as.character(x)); c(ref, setdiff(u, ref)) }
  if (!is.null(group)) m[[group$column]] <- factor(as.character(m[[group$column]]), lev(m[[group$column]], group$reference))
  for (c in covs) if (identical(c$type, "categorical")) m[[c$column]] <- factor(as.character(m[[c$column]]), lev(m[[c$column]], c$reference))
  rhs <- c(group$column, vapply(covs, function(c) c$column, ""))
  if (length(strata)) rhs <- c(rhs, sprintf("strata(%s)", paste(strata, collapse = ", ")))
  fml <- as.formula(paste("Surv(time, status) ~", paste(rhs, collapse = " + ")))
  args <- list(formula = fml, data = m, ties = ties, robust = robust || !is.null(cluster))
  if (!is.null(weights)) { m$.w <- as.double(m[[weights]]); args$data <- m; args$weights <- quote(.w) }
  if (!is.null(cluster)) { args$data <- m; args$cluster <- as.name(cluster) }
  fit <- withCallingHandlers(do.call(coxph, args), warning = function(w) {
    message(name, ": R warning: ", conditionMessage(w)); invokeRestart("muffleWarning") })
  rcall <- sprintf("coxph(%s, ties = '%s', robust = %s%s%s)", deparse1(fml), ties, args$robust,
                   if (!is.null(weights)) sprintf(", weights = %s", weights) else "",
                   if (!is.null(cluster)) sprintf(", cluster = %s", cluster) else "")

  terms <- fit_terms(fit, m)
  beta <- coef(fit)
  df <- sum(!is.na(beta))
  tst <- function(x) list(chisq = unname(x), df = df, p = pchisq(unname(x), df, lower.tail = FALSE))
  tests <- fit_tests(fit)
  conc <- concordance(fit)
  cox <- list(n = fit$n, n_events = fit$nevent, ties = ties, terms = terms,
              loglik = list(null = fit$loglik[1], fit = fit$loglik[2]), tests = tests,
              concordance = list(estimate = unname(conc$concordance), se = sqrt(unname(conc$var))),
              converged = fit$iter <= 20)
  spec <- list(time = list(column = "time"), event = list(column = "status"))
  if (!is.null(group)) spec$group <- list(column = group$column, reference = group$reference)
  if (length(covs)) spec$covariates <- lapply(covs, function(c) {
    if (identical(c$type, "categorical")) list(column = c$column, type = "categorical", reference = c$reference)
    else list(column = c$column, type = "numeric") })
  if (length(strata)) spec$strata <- I(strata)
  if (!is.null(weights)) spec$weights <- list(column = weights)
  if (!is.null(cluster)) spec$cluster <- list(column = cluster)
  spec$cox <- list(ties = ties, robust = robust)
  if (uni) {
    # One model per spec column (the group included), same rows, strata, weights, options.
    spec$cox$univariable <- TRUE
    cox$univariable <- lapply(rhs[!grepl("^strata\\(", rhs)], function(v) {
      a1 <- args
      a1$formula <- as.formula(paste("Surv(time, status) ~", paste(c(v, rhs[grepl("^strata\\(", rhs)]), collapse = " + ")))
      f1 <- withCallingHandlers(do.call(coxph, a1), warning = function(w) {
        message(name, " (univariable ", v, "): R warning: ", conditionMessage(w)); invokeRestart("muffleWarning") })
      list(column = v, terms = fit_terms(f1, m), n = f1$n, n_events = f1$nevent, tests = fit_tests(f1))
    })
  }
  r_zph <- ""
  if (!is.null(ph)) {
    spec$cox$ph_test <- list(transform = ph)
    zp <- cox.zph(fit, transform = ph)
    tb <- zp$table
    nt <- nrow(tb) - 1
    cox$ph_test <- list(transform = ph,
      terms = lapply(seq_len(nt), function(i) list(name = rownames(tb)[i], chisq = tb[i, 1], df = tb[i, 2], p = tb[i, 3])),
      global = list(chisq = tb[nt + 1, 1], df = tb[nt + 1, 2], p = tb[nt + 1, 3]))
    r_zph <- sprintf("cox.zph(fit, transform = '%s')", ph)
    if (resid) {
      spec$cox$ph_test$residuals <- TRUE
      cox$ph_test$residuals <- zph_residuals(zp)
      r_zph <- paste(r_zph, "; residuals: zp$time, zp$x, zp$y; smooth as plot.cox.zph(zp, df = 4, nsmo = 40)")
    }
  }
  expected <- list(r_call = rcall, r_zph = r_zph, r_concordance = "concordance(fit)", r_note = note,
                   r_version = R.version.string, r_survival = as.character(packageVersion("survival")),
                   data = list(n_used = nrow(d)), cox = cox)
  writeLines(to_json(spec), file.path(dir, "spec.json"))
  writeLines(to_json(expected), file.path(dir, "expected.json"))
  invisible(fit)
}

# ---- cases -------------------------------------------------------------------------------
lung2 <- transform(lung, status = status - 1, sex = ifelse(sex == 1, "Male", "Female"))
cox_case("lung_efron", lung2, group = list(column = "sex", reference = "Male"),
         covs = list(list(column = "age"), list(column = "ph.ecog")), ph = "km", resid = TRUE)

vet <- transform(veteran, trt = ifelse(trt == 1, "standard", "test"), celltype = as.character(celltype))
cox_case("veteran_breslow", vet, group = list(column = "trt", reference = "standard"),
         covs = list(list(column = "celltype", type = "categorical", reference = "squamous"),
                     list(column = "karno"), list(column = "age")),
         ties = "breslow", ph = "rank", resid = TRUE)

col2 <- transform(colon, rx = as.character(rx), sex = ifelse(sex == 1, "M", "F"),
                  etype = ifelse(etype == 1, "recurrence", "death"))
cox_case("colon_strata_cluster", col2, group = list(column = "rx", reference = "Obs"),
         covs = list(list(column = "age"), list(column = "nodes"),
                     list(column = "sex", type = "categorical", reference = "F")),
         strata = "etype", cluster = "id", ph = "identity")

pbc2 <- pbc[!is.na(pbc$trt), ]
pbc2 <- transform(pbc2, status = as.integer(status == 2), trt = ifelse(trt == 1, "D-penicillamine", "placebo"),
                  edema = as.character(edema), w = 1 + id %% 3)
cox_case("pbc_intweights", pbc2, group = list(column = "trt", reference = "D-penicillamine"),
         covs = list(list(column = "age"), list(column = "bili"), list(column = "albumin"),
                     list(column = "edema", type = "categorical", reference = "0")),
         weights = "w", ph = "km")

ov <- transform(ovarian, rx = ifelse(rx == 1, "A", "B"), w = 0.5 + (seq_along(futime) %% 4) / 3,
                time = futime, status = fustat)
cox_case("ovarian_fracweights", ov, group = list(column = "rx", reference = "A"),
         covs = list(list(column = "age"), list(column = "resid.ds")), weights = "w", ph = "rank",
         note = "fractional weights with robust = FALSE (R would default to robust = TRUE)")
cox_case("ovarian_fracweights_robust", ov, group = list(column = "rx", reference = "A"),
         covs = list(list(column = "age")), weights = "w", robust = TRUE, ties = "breslow", ph = "km")

mg <- transform(mgus2, time = futime, status = death)
cox_case("mgus2_robust", mg, group = list(column = "sex", reference = "F"),
         covs = list(list(column = "age"), list(column = "hgb"), list(column = "creat")),
         robust = TRUE, ph = "km")

cgd2 <- cgd[cgd$enum == 1, ]
cgd2 <- transform(cgd2, time = tstop, status = status, treat = as.character(treat),
                  sex = as.character(sex), hw = height + weight)
cox_case("cgd_aliased", cgd2, group = list(column = "treat", reference = "placebo"),
         covs = list(list(column = "age"), list(column = "height"), list(column = "weight"),
                     list(column = "hw"), list(column = "sex", type = "categorical", reference = "male")),
         ph = "km", note = "hw = height + weight is aliased (coef NA)")

rt <- transform(rats, rx = ifelse(rx == 1, "drug", "control"),
                flag = as.integer(status == 0 & litter %% 4 == 0))
cox_case("rats_separation", rt, group = list(column = "rx", reference = "control"),
         covs = list(list(column = "flag"), list(column = "sex", type = "categorical", reference = "f")),
         note = "flag = 1 only among censored rats: Loglik converged before variable 2")

hj <- transform(heart, time = stop - start, status = event, transplant = as.character(transplant))
hj <- hj[!duplicated(hj$id, fromLast = TRUE), ]
cox_case("heart_strata_breslow", hj, group = list(column = "transplant", reference = "0"),
         covs = list(list(column = "age"), list(column = "year"), list(column = "surgery")),
         strata = "surgery", ties = "breslow", ph = "identity", resid = TRUE,
         note = "surgery is both a covariate and the stratum: aliased within strata")
rec <- transform(col2[col2$etype == "recurrence", ], w = 1 + (id %% 2) * 0.5, obstruct = as.character(obstruct))
cox_case("colon_twostrata_weights_robust", rec, group = list(column = "rx", reference = "Obs"),
         covs = list(list(column = "age"), list(column = "nodes")), strata = c("sex", "obstruct"),
         weights = "w", robust = TRUE, ties = "breslow", ph = "rank")
cat("done\n")

# ---- scaled Schoenfeld residuals (cox.zph $x, $time, $y) for the stats-level test -----
vet_fit <- coxph(Surv(time, status) ~ trt + celltype + karno + age,
                 data = transform(vet, trt = factor(trt, c("standard", "test")),
                                  celltype = factor(celltype, c("squamous", "smallcell", "adeno", "large"))),
                 ties = "breslow")
zp <- cox.zph(vet_fit, transform = "rank")
writeLines(to_json(list(
  r_call = "cox.zph(coxph(Surv(time, status) ~ trt + celltype + karno + age, vet, ties = 'breslow'), transform = 'rank')",
  time = I(unname(zp$time)), x = I(unname(zp$x)),
  y = lapply(seq_len(ncol(zp$y)), function(j) I(unname(zp$y[, j]))))),
  "tests/reference/cox_veteran_breslow/r_zph_residuals.json")
