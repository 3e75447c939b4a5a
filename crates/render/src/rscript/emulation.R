
# ---- target-trial emulation by clone-censor-weight (base R + survival) -------------
# Hernan & Robins, Am J Epidemiol 2016; Maringe et al., Int J Epidemiol 2020.
# Every patient is cloned into two strategies: "treat" (local treatment within `grace`)
# and "control" (no local treatment within `grace`). A clone is artificially censored
# when its patient deviates from its strategy:
#   treat:   untreated (never, or later than grace) and still followed after grace ->
#            censored at grace (a death exactly at grace still counts as a death);
#   control: treated at u <= grace -> censored at u (u = 0: censored at 0, no time at risk).
# In each arm the artificial censoring is modelled by
#   coxph(Surv(tstop, art) ~ covariates, ties = "breslow")
# on that arm's clones, and an interval (tstart, tstop] of a clone carries the weight
#   w = 1 / Sc(tstop- | x) = exp(H0(tstop-) * exp(x'b))                (exponential)
# (H0: the Breslow baseline cumulative hazard of censoring, basehaz(centered = FALSE)),
# or with censoring_survival = "product_limit"
#   w = 1 / prod_{s < tstop} (1 - dH0(s) * exp(x'b))   (dH0: the jumps of H0);
# where a factor 1 - dH0(s) * exp(x'b) <= 0 the clone's probability of remaining
# uncensored is 0, its weight undefined: its rows after s are left out.
# The clones are split at every distinct death time (survSplit) and each arm's survival is
# the weighted Kaplan-Meier survfit(Surv(tstart, tstop, event) ~ arm, weights = w).
# SurvLens's confidence limits come from a bootstrap of patients (both clones together);
# this script reproduces the point estimates only.

# The two clones of every row of `d`: time `tstop`, death `event`, artificially censored `art`.
emu_clones <- function(d, gcol, reference, grace) {
  treated <- as.character(d[[gcol]]) != reference & !is.na(d$.u)
  within <- treated & d$.u <= grace
  dev_t <- !within & d$time > grace               # the treat clone deviates at grace
  treat <- d; treat$arm <- "treat"
  treat$tstop <- ifelse(dev_t, grace, d$time)
  treat$event <- ifelse(dev_t, 0, d$status)
  treat$art <- as.integer(dev_t)
  control <- d; control$arm <- "control"          # the control clone deviates at u
  control$tstop <- ifelse(within, d$.u, d$time)
  control$event <- ifelse(within, 0, d$status)
  control$art <- as.integer(within)
  rbind(treat, control)
}

# The weight function of one arm: t -> 1 / Sc(t- | x) for each clone of `cl` (the arm's
# clones), from the Cox model of artificial censoring (weights 1 when no clone is censored).
emu_weight_fun <- function(cl, covs, censoring_survival = "exponential") {
  if (sum(cl$art) == 0) return(function(t, rows) rep(1, length(rows)))
  rhs <- if (length(covs)) paste(vapply(covs, term_of, ""), collapse = " + ") else "1"
  fit <- coxph(as.formula(paste("Surv(tstop, art) ~", rhs)), data = cl, ties = "breslow")
  bh <- basehaz(fit, centered = FALSE)
  H <- stepfun(bh$time, c(0, bh$hazard), right = TRUE)  # left-continuous: H0(t-)
  lp <- if (length(covs)) {
    b <- coef(fit); b[is.na(b)] <- 0
    drop(model.matrix(fit) %*% b)
  } else rep(0, nrow(cl))
  if (censoring_survival == "product_limit") {
    dH <- diff(c(0, bh$hazard))
    return(function(t, rows) vapply(seq_along(t), function(k) {
      f <- 1 - dH[bh$time < t[k]] * exp(lp[rows[k]])
      if (any(f <= 0)) 0 else 1 / prod(f)   # 0: left out (probability 0 of staying uncensored)
    }, 0))
  }
  function(t, rows) exp(H(t) * exp(lp[rows]))
}
term_of <- function(v) paste0("`", gsub("`", "\\`", v, fixed = TRUE), "`")

# Both arms' weighted curves, the survival at `times`, the RMST difference up to `tau`.
emulation <- function(d, gcol, reference, grace, covs, times, tau,
                      censoring_survival = "exponential") {
  d <- model_rows(d, covs)
  cl <- emu_clones(d, gcol, reference, grace)
  cl$.clone <- seq_len(nrow(cl))
  pieces <- lapply(c("treat", "control"), function(a) {
    ca <- cl[cl$arm == a, , drop = FALSE]
    list(arm = a, clones = ca, weight = emu_weight_fun(ca, covs, censoring_survival))
  })
  deaths <- sort(unique(cl$tstop[cl$event == 1]))
  at_risk <- cl[cl$tstop > 0, , drop = FALSE]      # a clone censored at 0 contributes nothing
  sp <- survSplit(Surv(tstop, event) ~ ., data = at_risk, cut = deaths, start = "tstart", end = "tstop", event = "event")
  sp$w <- NA_real_
  for (p in pieces) {
    r <- sp$arm == p$arm
    sp$w[r] <- p$weight(sp$tstop[r], match(sp$.clone[r], p$clones$.clone))
  }
  # clones followed beyond the time their product-limit Sc reached 0: rows dropped
  gone <- unique(sp$.clone[sp$w == 0])
  left_out <- lapply(setNames(nm = c("treat", "control")), function(a) sum(cl$arm[gone] == a))
  sp <- sp[sp$w > 0, , drop = FALSE]
  sp$arm <- factor(sp$arm, levels = c("treat", "control"))
  fit <- survfit(Surv(tstart, tstop, event) ~ arm, data = sp, weights = w)
  curve <- function(a) {  # an arm without time at risk (grace 0, nobody treated at 0) has no curve
    if (!(a %in% sp$arm)) return(list(arm = a, time = arr(numeric(0)), surv = arr(numeric(0))))
    f <- if (is.null(fit$strata)) fit else fit[paste0("arm=", a)]  # one arm only: no strata
    list(arm = a, time = arr(f$time), surv = arr(f$surv))
  }
  curves <- lapply(c("treat", "control"), curve)
  s_at <- function(cu, t) {
    if (!length(cu$time) || t > max(cu$time)) return(NA)
    k <- which(cu$time <= t)
    if (length(k)) cu$surv[max(k)] else 1
  }
  at <- lapply(times, function(t) {
    st <- s_at(curves[[1]], t); sc <- s_at(curves[[2]], t)
    out <- list(time = t, treat = st, control = sc, difference = st - sc)
    if (is.na(st) || is.na(sc)) out$beyond_follow_up <- TRUE
    out
  })
  rmst <- function(cu) {
    keep <- cu$time < tau
    sum(diff(c(0, cu$time[keep], tau)) * c(1, cu$surv[keep]))
  }
  # The weights of the clones at risk at each of the arm's death times (the split rows
  # ending at one).
  weights <- lapply(setNames(nm = c("treat", "control")), function(a) {
    own <- unique(sp$tstop[sp$arm == a & sp$event == 1])
    w <- sp$w[sp$arm == a & sp$tstop %in% own]
    if (!length(w)) return(NULL)
    list(min = min(w), median = median(w), p99 = unname(quantile(w, 0.99, type = 7)), max = max(w), mean = mean(w))
  })
  cat("\n## target-trial emulation: grace", grace, "\n")
  print(fit)
  out <- list(grace = grace, n_clones = nrow(cl), n_patients = nrow(d),
    artificially_censored = list(treat = sum(cl$art[cl$arm == "treat"]), control = sum(cl$art[cl$arm == "control"])),
    n_events = list(treat = sum(sp$event[sp$arm == "treat"]), control = sum(sp$event[sp$arm == "control"])),
    curves = curves, at_times = at, weights = weights,
    censoring_survival = censoring_survival, left_out_zero_probability = left_out)
  if (!is.null(tau)) {
    rt <- rmst(curves[[1]]); rc <- rmst(curves[[2]])
    out$rmst_difference <- list(tau = tau, estimate = rt - rc, treat = rt, control = rc)
  }
  out
}
