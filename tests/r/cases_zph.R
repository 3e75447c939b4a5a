# Cases of make_reference_zph.R (sourced from it; uses its helpers).

# ---- Stanford heart transplant: time-dependent transplant (tmerge'd survival::heart) ----
# The spec gives one row per patient and the waiting time; SurvLens splits it into the
# (start, stop] rows of survival::heart. cox.ph_test asks for both the naive fit's test
# (right-censored, cox) and the (start, stop] fit's (time_dependent.cox).
heart_zph <- function(name, ties, transform, covs, robust = FALSE, resid = FALSE) {
  rhs <- paste(c("transplant", covs), collapse = " + ")
  naive <- coxph(as.formula(paste("Surv(futime, status) ~", rhs)), data = pts, ties = ties, robust = robust)
  f <- as.formula(paste("Surv(start, stop, event) ~", paste(c("tx", covs), collapse = " + ")))
  td <- if (robust) coxph(f, data = h, ties = ties, cluster = id) else coxph(f, data = h, ties = ties)
  names <- c("transplant", covs)
  spec <- list(time = list(column = "futime"), event = list(column = "status", values = I("1")),
               group = list(column = "transplant", reference = "no", levels = I(c("no", "yes"))),
               treatment_time = list(column = "wait"), time_dependent = setNames(list(), character(0)),
               cox = list(ties = ties, robust = robust, ph_test = ph_spec(transform, resid)))
  if (length(covs)) spec$covariates <- lapply(covs, function(c) list(column = c))
  write_zph_case(name, pts[, c("id", "futime", "status", "transplant", "wait", covs)], spec,
    list(r_zph = r_zph(td, transform), r_zph_naive = r_zph(naive, transform),
         cox = cox_ph_json(naive, transform, names, resid),
         time_dependent = list(n_intervals = nrow(h), cox = cox_ph_json(td, transform, names, resid))))
}
heart_zph("heart_td_km", "efron", "km", c("age", "surgery"), resid = TRUE)
heart_zph("heart_td_breslow_robust_identity", "breslow", "identity", c("age"), robust = TRUE)

# ---- delayed entry on the age scale: mgus2, entry = age at diagnosis, exit = age at ----
# death or last contact (years). Complete rows for hgb and creat.
m <- mgus2[!is.na(mgus2$hgb) & !is.na(mgus2$creat), c("id", "age", "futime", "death", "sex", "hgb", "creat")]
m$exit <- m$age + m$futime / 12
m$sex <- factor(as.character(m$sex), levels = c("F", "M"))
m$site <- ifelse(m$id %% 2 == 1, "A", "B")   # "A" first in the file: the residuals come by stratum in order of first appearance, R's by sorted level
m$w <- as.double(1 + m$id %% 3)   # double: cox.zph 3.5-3 fails on integer weights
entry_zph <- function(name, d, ties, transform, covs, strata = NULL, weights = FALSE, resid = FALSE, note = "") {
  rhs <- c("sex", covs)
  if (!is.null(strata)) rhs <- c(rhs, sprintf("strata(%s)", strata))
  f <- as.formula(paste("Surv(age, exit, death) ~", paste(rhs, collapse = " + ")))
  fit <- if (weights) coxph(f, data = d, ties = ties, weights = w) else coxph(f, data = d, ties = ties)
  spec <- list(time = list(entry = "age", column = "exit"), event = list(column = "death", values = I("1")),
               group = list(column = "sex", reference = "F"),
               covariates = lapply(covs, function(c) list(column = c)))
  if (!is.null(strata)) spec$strata <- I(strata)
  if (weights) spec$weights <- list(column = "w")
  spec$cox <- list(ties = ties, ph_test = ph_spec(transform, resid))
  cols <- c("id", "age", "exit", "death", "sex", covs, strata, if (weights) "w")
  d$sex <- as.character(d$sex)
  write_zph_case(name, d[, cols], spec,
    list(r_zph = r_zph(fit, transform), r_note = note, cox = cox_ph_json(fit, transform, c("sex", covs), resid)))
}
entry_zph("mgus2_entry_km", m, "efron", "km", c("hgb", "creat"), resid = TRUE)
entry_zph("mgus2_entry_strata_weights_breslow_identity", m[1:600, ], "breslow", "identity", c("hgb"),
          strata = "site", weights = TRUE, resid = TRUE)
# Heavy ties: entry and exit in whole years (exit = age + years of follow-up, rounded up).
mt <- m
mt$exit <- mt$age + ceiling(mt$futime / 12)
mt <- mt[mt$exit > mt$age, ]
entry_zph("mgus2_entry_ties_efron_rank", mt, "efron", "rank", c("hgb"), resid = TRUE,
          note = "whole-year ages: many tied exits and entries")
entry_zph("mgus2_entry_ties_breslow_km", mt, "breslow", "km", c("hgb", "creat"), resid = TRUE,
          note = "whole-year ages: many tied exits and entries")
