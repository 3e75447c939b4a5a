# Reference of tests/browser/sites.test.mjs: the demo cohort split into three sites by its
# `center` column (A, B, C), analysed on the pooled rows as the site summaries must
# reproduce them: the log-rank test stratified by site, the site-stratified Cox model,
# each site's own Cox model and their meta-analysis (metafor, FE and REML). The protocol
# is the test's: time from lm_diagnosis_date to last_contact_date in months
# (days / 30.4375), death = vital_status "Dead", group treatment (reference IM), covariate
# age, Efron ties.
#   Rscript tests/r/make_sites_browser.R      # from the repository root
# writes tests/browser/fixtures/sites_demo_r.json (unrounded numbers, 17 digits).
suppressPackageStartupMessages({ library(survival); library(metafor) })
df <- read.csv(file.path("www", "demo", "gist_liver_mets_demo.csv"), colClasses = "character",
               na.strings = character(0), check.names = FALSE)
d <- data.frame(
  time = as.numeric(as.Date(df$last_contact_date) - as.Date(df$lm_diagnosis_date)) / 30.4375,
  status = as.integer(df$vital_status == "Dead"),
  treatment = factor(df$treatment, levels = c("IM", "IM+HR", "IM+RFA/TACE")),
  age = as.numeric(df$age),
  site = df$center)
stopifnot(all(d$time >= 0), !anyNA(d))

num <- function(x) if (length(x) == 1 && is.na(x)) "null" else trimws(formatC(x, digits = 17, format = "g"))
arr <- function(x) paste0("[", paste(vapply(x, num, ""), collapse = ", "), "]")
obj <- function(...) {
  kv <- list(...)
  paste0("{", paste(sprintf("\"%s\": %s", names(kv), unlist(kv)), collapse = ", "), "}")
}
str <- function(s) paste0("\"", s, "\"")
names_of <- c("treatment=IM+HR", "treatment=IM+RFA/TACE", "age")

lr <- survdiff(Surv(time, status) ~ treatment + strata(site), data = d)
lr_json <- obj(chisq = num(lr$chisq), df = num(length(lr$n) - 1),
               p = num(pchisq(lr$chisq, length(lr$n) - 1, lower.tail = FALSE)),
               observed = arr(rowSums(as.matrix(lr$obs))), expected = arr(rowSums(as.matrix(lr$exp))))

fit <- coxph(Surv(time, status) ~ treatment + age + strata(site), data = d, ties = "efron")
s <- summary(fit)$coefficients
ci <- summary(fit)$conf.int
cox_json <- obj(names = paste0("[", paste(str(names_of), collapse = ", "), "]"),
                coef = arr(s[, "coef"]), se = arr(s[, "se(coef)"]), hr = arr(s[, "exp(coef)"]),
                lower = arr(ci[, "lower .95"]), upper = arr(ci[, "upper .95"]), p = arr(s[, "Pr(>|z|)"]),
                loglik = arr(fit$loglik), n = num(fit$n), n_events = num(fit$nevent))

sites <- c("A", "B", "C")
# Each site's own model; a coefficient coxph calls possibly infinite ("Loglik converged
# before variable j") leaves that site out of the term's meta-analysis, as the contract says.
fit_site <- function(k) {
  infinite <- integer(0)
  f <- withCallingHandlers(
    coxph(Surv(time, status) ~ treatment + age, data = d[d$site == k, ], ties = "efron"),
    warning = function(w) {
      m <- regmatches(conditionMessage(w), regexpr("variable +[0-9 ,]+", conditionMessage(w)))
      if (length(m)) infinite <<- as.integer(strsplit(trimws(sub("variable", "", m)), "[ ,]+")[[1]])
      invokeRestart("muffleWarning")
    })
  list(fit = f, infinite = infinite)
}
per_site <- lapply(sites, fit_site)
meta <- vapply(seq_along(names_of), function(j) {
  use <- vapply(per_site, function(f) !(j %in% f$infinite), TRUE)
  yi <- vapply(per_site[use], function(f) unname(coef(f$fit)[j]), 0)
  sei <- vapply(per_site[use], function(f) unname(sqrt(diag(vcov(f$fit)))[j]), 0)
  fe <- rma(yi = yi, sei = sei, method = "FE")
  re <- rma(yi = yi, sei = sei, method = "REML", control = list(threshold = 1e-12, maxiter = 1000))
  obj(name = str(names_of[j]),
      sites = paste0("[", paste(str(sites[use]), collapse = ", "), "]"),
      site_hr = arr(exp(yi)),
      fixed = obj(hr = num(exp(fe$b[1])), lower = num(exp(fe$ci.lb)), upper = num(exp(fe$ci.ub)), p = num(fe$pval)),
      random = obj(hr = num(exp(re$b[1])), lower = num(exp(re$ci.lb)), upper = num(exp(re$ci.ub)), p = num(re$pval),
                   tau2 = num(re$tau2), i2 = num(re$I2)))
}, "")
counts <- vapply(sites, function(k) obj(site = str(k), n = num(sum(d$site == k)), n_events = num(sum(d$status[d$site == k]))), "")

out <- paste0("{\n",
  "\"r\": ", str(R.version.string), ",\n",
  "\"survival\": ", str(as.character(packageVersion("survival"))), ",\n",
  "\"metafor\": ", str(as.character(packageVersion("metafor"))), ",\n",
  "\"per_site\": [", paste(counts, collapse = ", "), "],\n",
  "\"logrank\": ", lr_json, ",\n",
  "\"cox\": ", cox_json, ",\n",
  "\"meta\": [\n  ", paste(meta, collapse = ",\n  "), "\n]\n}\n")
writeLines(out, file.path("tests", "browser", "fixtures", "sites_demo_r.json"), sep = "")
