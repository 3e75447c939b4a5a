# One benchmark step in R (survival 3.5-3, nnet): Rscript step.R DATA.csv STEP
# Prints "load <s>", "step <s>" (elapsed seconds inside the process) and "check <number>".
# STEP: load | km | logrank | cox | zph | iptw | cif | finegray | match | impute |
# subgroups | emulation. Not a test.
suppressMessages({ library(survival); library(nnet); library(cmprsk) })
covs <- c("age", "sex", "ecog", "n_liver_lesions", "extrahepatic", "tumour_size_cm",
          "mitotic_index", "kit_exon")
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
  # MatchIt nearest 1:1 without replacement, caliper 0.2 SD of the linear (logit)
  # score, largest first, per non-reference group against IM; then the matched KM and
  # Cox model clustered on the pairs (benches/specs/match.json).
  match = el({
    suppressMessages(library(MatchIt))
    f_ps <- reformulate(covs, "tr")
    for (lv in c("IM+HR", "IM+RFA/TACE")) {
      s <- d[d$treatment %in% c("IM", lv), ]
      s$tr <- as.integer(s$treatment == lv)
      m <- matchit(f_ps, data = s, method = "nearest", distance = "glm", link = "linear.logit",
                   caliper = 0.2, std.caliper = TRUE, m.order = "largest", replace = FALSE, ratio = 1)
      md <- match.data(m)
      km <- survfit(Surv(os_months, status) ~ tr, data = md)
      fit <- coxph(Surv(os_months, status) ~ tr, data = md, cluster = subclass)
      if (lv == "IM+HR") check <- coef(fit)[["tr"]]
    }
  }),
  # mice: m = 20 sets, 10 iterations, pmm/logreg/polyreg at mice's defaults, the event
  # indicator and the Nelson-Aalen H as predictors (time not), then the Cox model on
  # every set and pool() (benches/specs/impute.json).
  impute = el({
    suppressMessages(library(mice))
    dd <- d[, c("os_months", "status", "treatment", "age", "sex", "ecog", "n_liver_lesions",
                "extrahepatic", "size_mis", "mitotic_mis", "kit_exon")]
    dd$H <- nelsonaalen(dd, os_months, status)
    pred <- make.predictorMatrix(dd); pred[, "os_months"] <- 0
    imp <- mice(dd, m = 20, maxit = 10, seed = 1, predictorMatrix = pred, printFlag = FALSE)
    fits <- with(imp, coxph(Surv(os_months, status) ~ treatment + age + sex + ecog + n_liver_lesions +
                             extrahepatic + size_mis + mitotic_mis + kit_exon, ties = "efron"))
    pooled <- summary(pool(fits))
    check <- pooled$estimate[pooled$term == "treatmentIM+HR"]
  }),
  # 5 columns: the group's Cox model (Efron) within each level, and the group x column
  # interaction likelihood-ratio test (benches/specs/subgroups.json).
  subgroups = el({
    d$age_cut <- cut(d$age, c(-Inf, 50, 65, Inf))
    for (col in c("sex", "age_cut", "ecog", "extrahepatic", "kit_exon")) {
      for (lv in levels(factor(d[[col]]))) {
        sub <- d[d[[col]] == lv, ]
        coxph(Surv(os_months, status) ~ treatment, data = sub)
      }
      f0 <- as.formula(paste("Surv(os_months, status) ~ treatment +", col))
      f1 <- as.formula(paste("Surv(os_months, status) ~ treatment *", col))
      lr <- anova(coxph(f0, data = d), coxph(f1, data = d))
      if (col == "sex") check <- lr[2, "Chisq"]
    }
  }),
  # Clone-censor-weight (tests/r/make_reference_emulation.R's definition): clones, a
  # Breslow Cox model of artificial censoring per arm, survSplit at every death time,
  # weights exp(H(t-) exp(x b)), the weighted KM of both arms, RMST difference to 120.
  emulation = el({
    # the rows whose treatment time fits (a treated row needs 0 <= u < time, an IM row none)
    ok <- ifelse(d$treatment != "IM", !is.na(d$local_months) & d$local_months >= 0 &
                   d$local_months < d$os_months, is.na(d$local_months))
    d <- d[ok, ]
    u <- d$local_months; G <- 6
    X <- model.matrix(reformulate(covs), d)[, -1]
    within <- !is.na(u) & u <= G
    tt <- ifelse(within, d$os_months, pmin(d$os_months, G))
    ts <- ifelse(within | d$os_months <= G, d$status, 0)
    ta <- !within & d$os_months > G
    ct <- ifelse(within, u, d$os_months); cs <- ifelse(within, 0, d$status)
    model <- function(tc, art) {
      fit <- coxph(Surv(tc, art) ~ X, ties = "breslow")
      b <- coef(fit); b[is.na(b)] <- 0
      list(lp = drop(X %*% b), H = basehaz(fit, centered = FALSE))
    }
    mods <- list(treat = model(tt, ta), control = model(ct, ca <- within))
    n <- nrow(d)
    clones <- rbind(data.frame(id = 1:n, arm = "treat", time = tt, status = ts),
                    data.frame(id = 1:n, arm = "control", time = ct, status = cs))
    clones <- clones[clones$time > 0, ]
    deaths <- sort(unique(clones$time[clones$status == 1]))
    s <- survSplit(Surv(time, status) ~ ., data = clones, cut = deaths, start = "tstart", end = "tstop")
    s$w <- NA
    for (a in c("treat", "control")) {
      k <- s$arm == a; m <- mods[[a]]
      j <- findInterval(s$tstop[k], m$H$time, left.open = TRUE)
      Hb <- ifelse(j > 0, m$H$hazard[pmax(j, 1)], 0)
      s$w[k] <- exp(Hb * exp(m$lp[s$id[k]]))
    }
    s$arm <- factor(s$arm, levels = c("treat", "control"))
    fit <- survfit(Surv(tstart, tstop, status) ~ arm, data = s, weights = w)
    rm <- summary(fit, rmean = 120)$table[, "rmean"]
    check <- unname(rm[1] - rm[2])
  }),
  stop("unknown step ", step))
cat(sprintf("load %.3f\nstep %.3f\ncheck %.10g\n", t_load, t_step, check))
