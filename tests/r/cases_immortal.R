# Cases of make_reference_immortal.R (sourced from it; uses its helpers).

# ---- Stanford heart transplant: one row per patient, rebuilt from survival::heart ------
h <- heart
h$transplant <- as.integer(as.character(h$transplant))
pts <- do.call(rbind, lapply(split(h, h$id), function(r) {
  r <- r[order(r$start), ]
  tx <- r$start[r$transplant == 1]
  data.frame(id = r$id[1], futime = max(r$stop), status = r$event[nrow(r)],
             transplant = if (length(tx)) "yes" else "no", wait = if (length(tx)) tx[1] else NA,
             age = r$age[1], surgery = r$surgery[1])
}))
rownames(pts) <- NULL
h$tx <- factor(ifelse(h$transplant == 1, "yes", "no"), levels = c("no", "yes"))
pts$transplant <- factor(pts$transplant, levels = c("no", "yes"))
td_times <- c(30, 100, 365)

heart_case <- function(name, ties, robust, covs) {
  rhs <- paste(c("transplant", covs), collapse = " + ")
  naive <- coxph(as.formula(paste("Surv(futime, status) ~", rhs)), data = pts, ties = ties, robust = robust)
  rhs_td <- paste(c("tx", covs), collapse = " + ")
  td <- if (robust) coxph(as.formula(paste("Surv(start, stop, event) ~", rhs_td)), data = h, ties = ties, cluster = id)
        else coxph(as.formula(paste("Surv(start, stop, event) ~", rhs_td)), data = h, ties = ties)
  tn <- c("transplant=yes", covs)
  sm <- survfit(Surv(start, stop, event) ~ tx, data = h)
  spec <- list(time = list(column = "futime"), event = list(column = "status", values = I("1")),
               group = list(column = "transplant", reference = "no", levels = I(c("no", "yes"))),
               treatment_time = list(column = "wait"), time_dependent = setNames(list(), character(0)),
               km = list(times = I(td_times)), cox = list(ties = ties, robust = robust))
  if (length(covs)) spec$covariates <- lapply(covs, function(c) list(column = c))
  expected <- list(
    cox = cox_json(naive, tn),
    time_dependent = list(n_intervals = nrow(h), cox = cox_json(td, tn),
      km = list(curves = km_json(sm, c("no", "yes"), td_times, h$start, h$stop, rep(1, nrow(h)), as.character(h$tx)))))
  write_case(name, pts[, c("id", "futime", "status", "transplant", "wait", covs)], spec, expected)
}
heart_case("heart_td", "efron", FALSE, character(0))
heart_case("heart_td_breslow_robust", "breslow", TRUE, c("age", "surgery"))

# ---- landmark analyses by hand (heart, days) -------------------------------------------
lms <- c(30, 90)
lm_one <- function(L) {
  d <- pts[pts$futime > L, ]
  moved <- !is.na(d$wait) & d$wait > L
  d$grp <- d$transplant; d$grp[moved] <- "no"
  d$time <- d$futime - L
  fit <- survfit(Surv(time, status) ~ grp, data = d)
  sd <- survdiff(Surv(time, status) ~ grp, data = d)
  cx <- coxph(Surv(time, status) ~ grp + age, data = d)
  list(time = L, n = nrow(d), left_out_before = sum(pts$futime <= L),
       reassigned = list(list(from = "yes", to = "no", n = sum(moved))),
       km = list(curves = km_json(fit, c("no", "yes"), c(30, 180))),
       logrank = list(chisq = sd$chisq, df = 1, p = pchisq(sd$chisq, 1, lower.tail = FALSE),
                      groups = lapply(1:2, function(i) list(label = c("no", "yes")[i], observed = unname(sd$obs[i]), expected = unname(sd$exp[i])))),
       cox = cox_json(cx, c("transplant=yes", "age")))
}
write_case("heart_landmark", pts[, c("id", "futime", "status", "transplant", "wait", "age")],
  list(time = list(column = "futime"), event = list(column = "status", values = I("1")),
       group = list(column = "transplant", reference = "no", levels = I(c("no", "yes"))),
       covariates = list(list(column = "age")),
       treatment_time = list(column = "wait"), landmark = list(times = I(lms)),
       km = list(times = I(c(30, 180))), logrank = setNames(list(), character(0)), cox = list(ties = "efron")),
  list(landmark = lapply(lms, lm_one)))

# ---- delayed entry: mgus2 on the age scale (years) --------------------------------------
m <- mgus2[!is.na(mgus2$hgb), c("id", "age", "futime", "death", "sex", "hgb")]
m$exit <- m$age + m$futime / 12
m$sex <- as.character(m$sex)
ent_times <- c(70, 80, 90)
fit <- survfit(Surv(age, exit, death) ~ sex, data = m)
cx <- coxph(Surv(age, exit, death) ~ factor(sex, levels = c("F", "M")) + hgb, data = m)
# One extra CSV row with exit == entry: left out with reason entry_not_before_exit.
bad <- m[1, ]; bad$id <- 99999; bad$exit <- bad$age
write_case("mgus2_entry", rbind(m, bad)[, c("id", "age", "exit", "death", "sex", "hgb")],
  list(time = list(entry = "age", column = "exit"), event = list(column = "death", values = I("1")),
       group = list(column = "sex", reference = "F"), covariates = list(list(column = "hgb")),
       km = list(times = I(ent_times)), cox = list(ties = "efron")),
  list(data = list(n_used = nrow(m), excluded_by_reason = list(entry_not_before_exit = 1)),
       km = list(curves = km_json(fit, c("F", "M"), ent_times, m$age, m$exit, rep(1, nrow(m)), m$sex)),
       cox = cox_json(cx, c("sex=M", "hgb"))))

# Left-truncated log-rank (exact-ties score test; 300 rows: R's exact method enumerates
# tied subsets), stratified; weighted KM and Breslow Cox with strata.
s <- m[1:300, ]
s$site <- ifelse(s$id %% 2 == 0, "A", "B")
s$w <- 1 + s$id %% 3
lr_fit <- coxph(Surv(age, exit, death) ~ factor(sex, levels = c("F", "M")) + strata(site), data = s, ties = "exact")
lr <- entry_logrank(s$age, s$exit, s$death, s$sex, c("F", "M"))
lr$chisq <- unname(lr_fit$score); lr$p <- pchisq(lr$chisq, 1, lower.tail = FALSE)
lr$r_call <- "coxph(Surv(age, exit, death) ~ sex + strata(site), ties = 'exact')$score"
# stratified O/E by hand
oe <- function(l, what) sum(sapply(split(s, s$site), function(z) {
  dt <- sort(unique(z$exit[z$death == 1]))
  sum(sapply(dt, function(t) { r <- z$age < t & t <= z$exit; d <- sum(z$death == 1 & z$exit == t)
    if (what == "o") sum(z$death == 1 & z$exit == t & z$sex == l) else d * sum(r & z$sex == l) / sum(r) })) }))
lr$groups <- lapply(c("F", "M"), function(l) list(label = l, observed = oe(l, "o"), expected = oe(l, "e")))
kw <- survfit(Surv(age, exit, death) ~ sex, data = s, weights = w)
cw <- coxph(Surv(age, exit, death) ~ factor(sex, levels = c("F", "M")) + hgb + strata(site), data = s,
            weights = w, ties = "breslow")
write_case("mgus2_entry_strata_weights", s[, c("id", "age", "exit", "death", "sex", "hgb", "site", "w")],
  list(time = list(entry = "age", column = "exit"), event = list(column = "death", values = I("1")),
       group = list(column = "sex", reference = "F"), covariates = list(list(column = "hgb")),
       strata = I("site"), weights = list(column = "w"),
       km = list(times = I(ent_times)), logrank = setNames(list(), character(0)), cox = list(ties = "breslow")),
  list(km = list(curves = km_json(kw, c("F", "M"), ent_times, s$age, s$exit, s$w, s$sex)),
       logrank = lr, cox = cox_json(cw, c("sex=M", "hgb"))))

# ---- delayed entry: an exit within the near-tie tolerance of its entry -------------------
# R refuses the whole data set (aeqSurv: "an interval has effective length 0"); SurvLens
# leaves that row out (entry_not_before_exit, warning entry_tied_to_exit), so its numbers
# are R's on the data without it.
t2 <- m[1:200, ]
tied <- m[5, ]; tied$id <- 99998; tied$exit <- tied$age + 1e-9
with_tied <- rbind(t2[1:100, ], tied, t2[101:200, ])
stopifnot(inherits(try(coxph(Surv(age, exit, death) ~ hgb, data = with_tied), silent = TRUE), "try-error"))
stopifnot(inherits(try(survfit(Surv(age, exit, death) ~ 1, data = with_tied), silent = TRUE), "try-error"))
tf <- survfit(Surv(age, exit, death) ~ sex, data = t2)
tc <- coxph(Surv(age, exit, death) ~ factor(sex, levels = c("F", "M")) + hgb, data = t2)
write_case("mgus2_entry_tied", with_tied[, c("id", "age", "exit", "death", "sex", "hgb")],
  list(time = list(entry = "age", column = "exit"), event = list(column = "death", values = I("1")),
       group = list(column = "sex", reference = "F"), covariates = list(list(column = "hgb")),
       km = list(times = I(ent_times)), logrank = setNames(list(), character(0)), cox = list(ties = "efron")),
  list(data = list(n_used = nrow(t2), excluded_by_reason = list(entry_not_before_exit = 1)),
       km = list(curves = km_json(tf, c("F", "M"), ent_times, t2$age, t2$exit, rep(1, nrow(t2)), t2$sex)),
       logrank = entry_logrank(t2$age, t2$exit, t2$death, t2$sex, c("F", "M")),
       cox = cox_json(tc, c("sex=M", "hgb"))))

# ---- survSplit data given as (start, stop] rows, robust by patient -----------------------
v <- survSplit(Surv(time, status) ~ ., data = veteran, cut = c(30, 90, 180), episode = "ep", id = "pid")
v$trt <- as.character(v$trt)
vf <- survfit(Surv(tstart, time, status) ~ trt, data = v)
vc <- coxph(Surv(tstart, time, status) ~ factor(trt, levels = c("1", "2")) + karno + strata(celltype),
            data = v, cluster = pid)
write_case("veteran_survsplit", v[, c("pid", "tstart", "time", "status", "trt", "karno", "celltype")],
  list(time = list(entry = "tstart", column = "time"), event = list(column = "status", values = I("1")),
       group = list(column = "trt", reference = "1"), covariates = list(list(column = "karno")),
       strata = I("celltype"), cluster = list(column = "pid"),
       km = list(times = I(c(50, 100))), cox = list(ties = "efron", robust = TRUE)),
  list(km = list(curves = km_json(vf, c("1", "2"), c(50, 100), v$tstart, v$time, rep(1, nrow(v)), v$trt)),
       cox = cox_json(vc, c("trt=2", "karno"))))

# ---- treatment times that do not fit: left out of the immortal-time sections only -------
# The Stanford rows (lines 2-104) and four more copies whose treatment time does not fit
# (lines 105-108): a transplanted patient without a waiting time, a patient never
# transplanted with one, a wait equal to the follow-up, a negative wait. SurvLens lists
# them in `treatment_time` and leaves them out of the landmark and time-dependent data
# only, so those are R's numbers on the 103 Stanford rows, while the main Cox model
# (naive) is R's on all 107 rows.
tx_rows <- which(pts$transplant == "yes"); no_rows <- which(pts$transplant == "no")
misfit <- pts[c(tx_rows[1], no_rows[1], tx_rows[2], tx_rows[3]), ]
misfit$id <- 1001:1004
misfit$wait <- c(NA, 5, misfit$futime[3], -1)
all_rows <- rbind(pts, misfit)
naive_all <- coxph(Surv(futime, status) ~ transplant + age, data = all_rows)
td_age <- coxph(Surv(start, stop, event) ~ tx + age, data = h)
sm_clean <- survfit(Surv(start, stop, event) ~ tx, data = h)
mis_reasons <- c("missing_treatment_time", "treatment_time_in_reference",
                 "treatment_time_out_of_range", "treatment_time_out_of_range")
write_case("heart_misfit_treatment_times", all_rows[, c("id", "futime", "status", "transplant", "wait", "age")],
  list(time = list(column = "futime"), event = list(column = "status", values = I("1")),
       group = list(column = "transplant", reference = "no", levels = I(c("no", "yes"))),
       covariates = list(list(column = "age")),
       treatment_time = list(column = "wait"), landmark = list(times = I(lms)),
       time_dependent = setNames(list(), character(0)),
       km = list(times = I(c(30, 180))), logrank = setNames(list(), character(0)), cox = list(ties = "efron")),
  list(data = list(n_rows = nrow(all_rows), n_used = nrow(all_rows)),
       treatment_time = list(
         excluded = lapply(1:4, function(i) list(line = nrow(pts) + 1 + i, reason = mis_reasons[i])),
         excluded_by_reason = list(missing_treatment_time = 1, treatment_time_in_reference = 1,
                                   treatment_time_out_of_range = 2)),
       cox = cox_json(naive_all, c("transplant=yes", "age")),
       landmark = lapply(lms, lm_one),
       time_dependent = list(n_intervals = nrow(h), cox = cox_json(td_age, c("transplant=yes", "age")),
         km = list(curves = km_json(sm_clean, c("no", "yes"), c(30, 180), h$start, h$stop, rep(1, nrow(h)), as.character(h$tx))))))
