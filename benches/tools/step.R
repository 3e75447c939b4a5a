# One benchmark step in R (survival 3.5-3, nnet): Rscript step.R DATA.csv STEP
# Prints "load <s>", "step <s>" (elapsed seconds inside the process) and "check <number>".
# STEP: load | km | logrank | cox | zph | iptw | cif | finegray. Not a test.
suppressMessages({ library(survival); library(nnet); library(cmprsk) })
args <- commandArgs(TRUE)
file <- args[1]; step <- args[2]
el <- function(expr) { t <- proc.time()[["elapsed"]]; force(expr); proc.time()[["elapsed"]] - t }
t_load <- el(d <- read.csv(file))
d$treatment <- factor(d$treatment, levels = c("IM", "IM+HR", "IM+RFA/TACE"))
d$sex <- relevel(factor(d$sex), "F")
d$ecog <- factor(d$ecog, levels = c(0, 1, 2))
d$extrahepatic <- relevel(factor(d$extrahepatic), "No")
d$kit_exon <- relevel(factor(d$kit_exon), "11")
f_cox <- Surv(os_months, status) ~ treatment + age + sex + ecog + n_liver_lesions + extrahepatic +
  tumour_size_cm + mitotic_index + kit_exon
check <- NA
t_step <- switch(step,
  load = 0,
  km = el({
    fit <- survfit(Surv(os_months, status) ~ treatment, data = d)
    check <- summary(fit)$table[1, "median"]
  }),
  logrank = el({ check <- survdiff(Surv(os_months, status) ~ treatment, data = d)$chisq }),
  cox = el({ check <- coef(coxph(f_cox, data = d, ties = "efron"))[["treatmentIM+HR"]] }),
  zph = {
    fit <- coxph(f_cox, data = d, ties = "efron")
    el({ check <- cox.zph(fit, transform = "km")$table["GLOBAL", "chisq"] })
  },
  iptw = el({
    ps <- multinom(treatment ~ age + sex + ecog + n_liver_lesions + extrahepatic + tumour_size_cm +
                     mitotic_index + kit_exon, data = d, trace = FALSE, maxit = 200)
    pr <- fitted(ps)
    w <- 1 / pr[cbind(seq_len(nrow(d)), as.integer(d$treatment))]
    fit <- coxph(Surv(os_months, status) ~ treatment, data = d, weights = w, robust = TRUE)
    check <- coef(fit)[["treatmentIM+HR"]]
  }),
  cif = el({
    st <- factor(d$cr_status, levels = c("alive", "died_gist", "died_other"))
    fit <- survfit(Surv(cr_months, st) ~ treatment, data = d)
    tests <- cuminc(d$cr_months, as.integer(st) - 1L, d$treatment, cencode = 0)$Tests
    check <- summary(fit[1, ], times = 60)$pstate[, match("died_gist", fit$states)]
  }),
  finegray = el({
    st <- match(d$cr_status, c("alive", "died_gist", "died_other")) - 1L
    x <- model.matrix(~ treatment + age + sex + ecog + n_liver_lesions + extrahepatic +
                        tumour_size_cm + mitotic_index + kit_exon, d)[, -1]
    check <- crr(d$cr_months, st, cov1 = x, failcode = 1, cencode = 0)$coef[["treatmentIM+HR"]]
  }),
  stop("unknown step ", step))
cat(sprintf("load %.3f\nstep %.3f\ncheck %.10g\n", t_load, t_step, check))
