# Reference values of the multi-site analyses (survlens site / survlens pool,
# docs/methods.md#sites): each case splits one R data set into sites, writes one CSV per
# site and the protocol (spec.json), and R's numbers on the pooled rows:
#   survdiff(Surv(time, status) ~ group + strata(site))             -> sites.logrank
#   coxph(Surv(time, status) ~ group + covariates + strata(site))   -> sites.cox (converged)
#   per site coxph(...) then metafor::rma(yi, sei = se, method = "FE") and
#   rma(..., method = "REML", control = list(threshold = 1e-12))    -> sites.meta
# Run from the repository root: Rscript tests/r/make_reference_sites.R
source("tests/r/common.R")
suppressPackageStartupMessages(library(metafor))

write_site_csvs <- function(dir, df, cols) {
  for (s in unique(df$site)) {
    d <- df[df$site == s, cols, drop = FALSE]
    for (c in cols) if (is.numeric(d[[c]])) d[[c]] <- f17(d[[c]])
    write.csv(d, file.path(dir, paste0("site_", s, ".csv")), row.names = FALSE, quote = FALSE, na = "")
  }
}

# SurvLens term names: "col=level" for factor dummies, the column for a number.
term_names <- function(fit, factors) {
  nm <- names(coef(fit))
  for (f in names(factors)) for (lv in factors[[f]]) nm[nm == paste0(f, lv)] <- paste0(f, "=", lv)
  nm
}

reference <- function(name, df, formula_rhs, factors, spec, cols, source, write = write_site_csvs) {
  dir <- file.path("tests/reference", name)
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  write(dir, df, cols)
  writeLines(to_json(spec), file.path(dir, "spec.json"))
  group <- spec$group$column
  sites <- unique(df$site)
  sd <- survdiff(as.formula(paste0("Surv(time, status) ~ ", group, " + strata(site)")), data = df)
  ex <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
  ob <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
  lr <- list(labels = I(sub(".*=", "", names(sd$n))), observed = I(ob), expected = I(ex),
             chisq = sd$chisq, df = sum(ex > 0) - 1,
             p = pchisq(sd$chisq, sum(ex > 0) - 1, lower.tail = FALSE))
  fit <- coxph(as.formula(paste0("Surv(time, status) ~ ", formula_rhs, " + strata(site)")),
               data = df, ties = "efron")
  cox <- list(names = I(term_names(fit, factors)), coef = I(unname(coef(fit))),
              se = I(unname(sqrt(diag(vcov(fit))))), loglik = I(fit$loglik), iter = fit$iter,
              n = fit$n, n_events = fit$nevent)
  # A site's term that coxph flags as possibly infinite ("Loglik converged before
  # variable j"; "coefficients may be infinite": all) is left out of that term's
  # meta-analysis, as SurvLens does.
  per_site <- lapply(sites, function(s) {
    flagged <- integer(0)
    f <- withCallingHandlers(
      coxph(as.formula(paste0("Surv(time, status) ~ ", formula_rhs)), data = df[df$site == s, ], ties = "efron"),
      warning = function(w) {
        m <- conditionMessage(w)
        if (grepl("converged before variable", m)) {
          v <- sub(".*variable *([0-9, ]+).*", "\\1", m)
          flagged <<- c(flagged, as.integer(strsplit(gsub(" ", "", v), ",")[[1]]))
        } else if (grepl("infinite", m)) flagged <<- c(flagged, seq_along(coef(fit)))
        invokeRestart("muffleWarning")
      })
    co <- coef(f); se <- sqrt(diag(vcov(f)))
    co[flagged] <- NA; se[flagged] <- NA
    list(coef = co, se = se)
  })
  meta <- lapply(seq_along(coef(fit)), function(j) {
    yi <- sapply(per_site, function(p) p$coef[j]); sei <- sapply(per_site, function(p) p$se[j])
    keep <- !is.na(yi) & !is.na(sei); yi <- yi[keep]; sei <- sei[keep]
    fe <- rma(yi, sei = sei, method = "FE")
    re <- rma(yi, sei = sei, method = "REML", control = list(threshold = 1e-12, maxiter = 1000))
    list(name = term_names(fit, factors)[j], yi = I(unname(yi)), sei = I(unname(sei)),
         fixed = list(coef = fe$b[1], se = fe$se, lower = fe$ci.lb, upper = fe$ci.ub, p = fe$pval),
         random = list(coef = re$b[1], se = re$se, lower = re$ci.lb, upper = re$ci.ub, p = re$pval,
                       tau2 = re$tau2, i2 = re$I2),
         q = fe$QE, q_p = fe$QEp,
         weight_fixed = I(unname(weights(fe))), weight_random = I(unname(weights(re))))
  })
  out <- list(source = source, sites = I(sites), n = nrow(df), logrank = lr, cox = cox, meta = meta)
  writeLines(to_json(out), file.path(dir, "expected.json"))
  cat(name, ": cox iter", fit$iter, "\n")
}

# 1. lung by institution: 3 sites (inst mod 3), group sex, covariates age, ph.ecog.
lung <- survival::lung
lung <- lung[!is.na(lung$inst), ]
lung$site <- c("A", "B", "C")[lung$inst %% 3 + 1]
lung$status <- as.integer(lung$status == 2)
lung$sex <- factor(lung$sex, levels = c(1, 2))
lung <- lung[order(match(lung$site, c("A", "B", "C"))), ]
reference("sites_lung", lung, "sex + age + ph.ecog", list(sex = c("2")),
  list(time = list(column = "time"), event = list(column = "status", values = I("1")),
       group = list(column = "sex", reference = "1", levels = I(c("1", "2"))),
       covariates = list(list(column = "age"), list(column = "ph.ecog")),
       sites = list(km_width = 90, min_cell = 5)),
  c("time", "status", "sex", "age", "ph.ecog"),
  "survival::lung without inst NA, sites A/B/C = inst mod 3; status 2 = event")

# 2. colon (death): 4 sites by id mod 4, group rx (Obs reference), covariates age, nodes.
colon <- survival::colon[survival::colon$etype == 2, ]
colon$site <- c("S1", "S2", "S3", "S4")[colon$id %% 4 + 1]
colon$rx <- factor(as.character(colon$rx), levels = c("Obs", "Lev", "Lev+5FU"))
colon <- colon[order(colon$site), ]
reference("sites_colon", colon, "rx + age + nodes", list(rx = c("Lev", "Lev+5FU")),
  list(time = list(column = "time"), event = list(column = "status", values = I("1")),
       group = list(column = "rx", reference = "Obs", levels = I(c("Obs", "Lev", "Lev+5FU"))),
       covariates = list(list(column = "age"), list(column = "nodes")),
       sites = list(km_width = 180, min_cell = 5)),
  c("time", "status", "rx", "age", "nodes"),
  "survival::colon etype 2 (death), sites S1..S4 = id mod 4")

# 3. The demo cohort (www/demo) by its center column: times from two dates in months
# (days / 30.4375), group treatment (IM reference), covariates age, sex (M), ecog,
# extrahepatic (No). The site files are the demo's own lines of each center.
demo_path <- "www/demo/gist_liver_mets_demo.csv"
demo <- read.csv(demo_path, stringsAsFactors = FALSE, na.strings = c("", "NA"))
demo$time <- as.numeric(as.Date(demo$last_contact_date) - as.Date(demo$lm_diagnosis_date)) / 30.4375
demo$status <- as.integer(demo$vital_status == "Dead")
demo$treatment <- factor(demo$treatment, levels = c("IM", "IM+HR", "IM+RFA/TACE"))
demo$sex <- relevel(factor(demo$sex), ref = "M")
demo$extrahepatic <- relevel(factor(demo$extrahepatic), ref = "No")
demo$site <- demo$center
stopifnot(all(!is.na(demo$time)), all(demo$time >= 0))
demo <- demo[order(demo$site), ]
write_demo_lines <- function(dir, df, cols) {
  lines <- readLines(demo_path)
  center <- read.csv(demo_path, stringsAsFactors = FALSE)$center
  for (s in unique(df$site)) writeLines(c(lines[1], lines[-1][center == s]), file.path(dir, paste0("site_", s, ".csv")))
}
reference("sites_demo", demo, "treatment + age + sex + ecog + extrahepatic",
  list(treatment = c("IM+HR", "IM+RFA/TACE"), sex = c("F"), extrahepatic = c("Yes")),
  list(time = list(start = "lm_diagnosis_date", end = "last_contact_date", unit = "months", date_format = "auto"),
       event = list(column = "vital_status", values = I("Dead")),
       group = list(column = "treatment", reference = "IM", levels = I(c("IM", "IM+HR", "IM+RFA/TACE"))),
       covariates = list(list(column = "age"), list(column = "sex", reference = "M"), list(column = "ecog"),
                         list(column = "extrahepatic", reference = "No")),
       sites = list(km_width = 3, min_cell = 5)),
  NULL, "www/demo/gist_liver_mets_demo.csv by center; months = days / 30.4375", write = write_demo_lines)
