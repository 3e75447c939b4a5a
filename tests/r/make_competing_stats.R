# Regenerates tests/stats/fixtures/competing_stats.json, the expected values of
# tests/stats/competing.rs (cumulative incidence, its IJ standard error and limits,
# summary(fit, times), Gray's test):
#   Rscript tests/r/make_competing_stats.R      # from the repository root
# R 4.2.2, survival 3.5-3, cmprsk 2.2-11. No other package (the JSON writer is below).
# Every number comes from the R calls in `emit_case`; the data are written with them.
#
# Status coding in the fixture: 0 censored, 1 event of interest, 2 competing event;
# group and stratum are 0-based integer codes (cuminc's factor levels in that order).
suppressMessages({
  library(survival)
  library(cmprsk)
})

# 13 significant digits: far below the test tolerance (1e-6 relative), a third smaller
# than 17. The inputs are written with 17 (arr17).
digits <- "%.13g"
num <- function(v, fmt = digits) {
  if (is.na(v) || is.nan(v)) return("null")
  if (is.infinite(v)) stop("infinite value")
  sprintf(fmt, v)
}
arr <- function(x) paste0("[", paste(vapply(as.numeric(x), num, ""), collapse = ","), "]")
# The inputs exactly (17 digits: parse back to the same doubles).
arr17 <- function(x) paste0("[", paste(vapply(as.numeric(x), num, "", fmt = "%.17g"), collapse = ","), "]")
str <- function(s) paste0('"', gsub('"', '\\\\"', s), '"')
obj <- function(...) {
  kv <- list(...)
  paste0("{", paste(paste0(str(names(kv)), ":", unlist(kv)), collapse = ","), "}")
}
jlist <- function(items) paste0("[", paste(items, collapse = ",\n"), "]")

# Every conf.type at two levels; the large mgus2 case only R's default (log, 0.95).
all_cis <- unlist(lapply(c("log", "log-log", "plain"), function(ct)
  lapply(c(0.95, 0.9), function(l) list(ct = ct, level = l))), recursive = FALSE)
log95 <- list(list(ct = "log", level = 0.95))

# One curve: survfit on the rows of one group (the same rows, in the same order, as
# fit[g, ] of survfit(... ~ group): survfitCI runs docurve2 on which(X == g)).
emit_curve <- function(d, g, at, cis) {
  sub <- d[d$group == g, ]
  fit0 <- survfit(Surv(time, factor(status, 0:2)) ~ 1, data = sub, weights = w)
  stopifnot(ncol(fit0$pstate) == 3, !fit0$logse)
  pieces <- list()
  for (cause in 1:2) {
    s <- cause + 1
    lims <- character(0)
    for (ci in cis) {
      ct <- ci$ct; lev <- ci$level
      f <- survfit(Surv(time, factor(status, 0:2)) ~ 1, data = sub, weights = w,
                   conf.type = ct, conf.int = lev)
      inside <- at[at <= max(sub$time)]
      sm <- summary(f, times = inside)
      lims <- c(lims, obj(conf_type = str(ct), level = num(lev),
                          lower = arr(f$lower[, s]), upper = arr(f$upper[, s]),
                          at_time = arr(sm$time), at_estimate = arr(sm$pstate[, s]),
                          at_std_err = arr(sm$std.err[, s]), at_lower = arr(sm$lower[, s]),
                          at_upper = arr(sm$upper[, s])))
    }
    pieces[[cause]] <- obj(n_event = arr(fit0$n.event[, s]), estimate = arr(fit0$pstate[, s]),
                           std_err = arr(fit0$std.err[, s]), limits = jlist(lims))
  }
  obj(group = num(g), time = arr(fit0$time), n_risk = arr(fit0$n.risk[, 1]),
      n_censor = arr(fit0$n.censor), event = pieces[[1]], competing = pieces[[2]])
}

emit_case <- function(name, time, status, group, stratum = NULL, w = NULL, at, call,
                      cis = all_cis, curves = TRUE) {
  d <- data.frame(time = time, status = status, group = group,
                  w = if (is.null(w)) 1 else w)
  # The ~ group fit is the per-group fits stacked (checked, not assumed).
  full <- survfit(Surv(time, factor(status, 0:2)) ~ group, data = d, weights = w)
  sep <- do.call(rbind, lapply(sort(unique(group)), function(g)
    survfit(Surv(time, factor(status, 0:2)) ~ 1, data = d[d$group == g, ], weights = w)$pstate))
  stopifnot(isTRUE(all.equal(full$pstate, sep, tolerance = 0)))
  # Multi-state fits are always robust: robust = TRUE is the same fit (the brief's call).
  rob <- survfit(Surv(time, factor(status, 0:2)) ~ group, data = d, weights = w, robust = TRUE)
  stopifnot(identical(rob$std.err, full$std.err))
  curves <- if (curves) vapply(sort(unique(group)), function(g) emit_curve(d, g, at, cis), "")
            else character(0)
  gray <- character(0)
  if (length(unique(group)) > 1) {
    ci <- if (is.null(stratum)) cuminc(time, status, group, cencode = 0)
          else cuminc(time, status, group, strata = stratum, cencode = 0)
    tests <- ci$Tests
    for (cause in c("1", "2")) if (cause %in% rownames(tests)) {
      stopifnot(tests[cause, "stat"] >= 0)
      gray <- c(gray, obj(cause = str(c("1" = "event", "2" = "competing")[[cause]]),
                          chisq = num(tests[cause, "stat"]), df = num(tests[cause, "df"]),
                          p = num(tests[cause, "pv"])))
    }
  }
  obj(name = str(name), call = str(call), time = arr17(time), status = arr(status),
      group = arr(group), n_groups = num(max(group) + 1),
      stratum = if (is.null(stratum)) "null" else arr(stratum),
      weight = if (is.null(w)) "null" else arr17(w), at = arr(at),
      curves = jlist(curves), gray = jlist(gray))
}

cases <- character(0)

# mgus2: progression to a plasma-cell malignancy (event) vs death (competing), by sex
# (survival's vignette "Multi-state models and competing risks", section 2).
m <- survival::mgus2
etime <- ifelse(m$pstat == 0, m$futime, m$ptime)
ev <- ifelse(m$pstat == 0, 2 * m$death, 1)
cases <- c(cases, emit_case("mgus2_sex", etime, ev, as.integer(m$sex == "M"),
  at = c(0, 12, 60, 120, 240, 400, 500), cis = log95,
  call = "survfit(Surv(etime, factor(event, 0:2)) ~ sex, data = mgus2); cuminc(etime, event, sex)"))

# mgus2, Gray's test stratified by age > 70.
cases <- c(cases, emit_case("mgus2_sex_strata_age70", etime, ev, as.integer(m$sex == "M"),
  stratum = as.integer(m$age > 70), at = c(60, 120), curves = FALSE,
  call = "cuminc(etime, event, sex, strata = age > 70)"))

# pbc (n = 312 with trt): death (status 2) is the event, transplant (1) competing, by trt.
p <- survival::pbc[!is.na(survival::pbc$trt), ]
pst <- c(0, 2, 1)[p$status + 1]
cases <- c(cases, emit_case("pbc_trt", p$time, pst, p$trt - 1L,
  at = c(365, 1000, 2000, 3650, 5000),
  call = "survfit(Surv(time, factor(status, c(0, 2, 1))) ~ trt, data = pbc, subset = !is.na(trt)); cuminc(time, status, trt)"))

# pbc with non-integer case weights (robust IJ variance, as survfit(weights = w,
# robust = TRUE)), and Gray's test stratified by edema.
set.seed(18)
pw <- round(runif(nrow(p), 0.3, 2.5), 4)
cases <- c(cases, emit_case("pbc_trt_weighted", p$time, pst, p$trt - 1L, w = pw,
  at = c(1000, 3650),
  call = "survfit(Surv(time, factor(status, c(0, 2, 1))) ~ trt, weights = w, robust = TRUE)"))
cases <- c(cases, emit_case("pbc_trt_strata_edema", p$time, pst, p$trt - 1L,
  stratum = as.integer(factor(p$edema)) - 1L, at = c(1000), curves = FALSE,
  call = "cuminc(time, status, trt, strata = edema)"))

# Synthetic: heavy ties (times 1..8), three groups, the last time of group 2 has every
# row at risk failing (S drops to 0), non-integer weights in a second case.
set.seed(7)
n <- 150
st <- sample(0:2, n, replace = TRUE, prob = c(0.3, 0.4, 0.3))
gt <- rep(0:2, each = 50)
tt <- pmin(sample(1:8, n, replace = TRUE), ifelse(gt == 2, 6, 8))
st[gt == 2 & tt == 6] <- sample(1:2, sum(gt == 2 & tt == 6), replace = TRUE)
cases <- c(cases, emit_case("ties_three_groups", tt, st, gt, at = c(0.5, 1, 3, 5.5, 6, 8, 9),
  call = "survfit(Surv(tt, factor(st, 0:2)) ~ gt); cuminc(tt, st, gt)"))
tw <- round(runif(n, 0.2, 3), 3)
cases <- c(cases, emit_case("ties_three_groups_weighted", tt, st, gt, w = tw, at = c(2, 6),
  call = "survfit(Surv(tt, factor(st, 0:2)) ~ gt, weights = tw)"))

# A group without competing events, a group without events of interest, and a stratum.
set.seed(11)
n <- 90
g3 <- rep(0:2, each = 30)
t3 <- round(rexp(n, 0.15), 1) + 0.1
s3 <- sample(0:2, n, replace = TRUE)
s3[g3 == 1 & s3 == 2] <- 0   # group 1: no competing events
s3[g3 == 2 & s3 == 1] <- 2   # group 2: no events of interest
str3 <- rep(0:1, length.out = n)
cases <- c(cases, emit_case("group_without_competing", t3, s3, g3, at = c(1, 5, 10),
  call = "survfit(Surv(t3, factor(s3, 0:2)) ~ g3); cuminc(t3, s3, g3)"))
cases <- c(cases, emit_case("group_without_competing_strata", t3, s3, g3, stratum = str3,
  at = c(5), curves = FALSE, call = "cuminc(t3, s3, g3, strata = str3)"))

# No competing events at all: the event CIF is 1 - KM (checked in the test too).
km_t <- survival::aml$time
km_s <- survival::aml$status
cases <- c(cases, emit_case("aml_no_competing", km_t, km_s, as.integer(survival::aml$x == "Nonmaintained"),
  at = c(10, 30), call = "survfit(Surv(time, factor(status, 0:2)) ~ x, data = aml); cuminc(time, status, x)"))

header <- obj(generator = str("tests/r/make_competing_stats.R"),
              r = str(paste(R.version$major, R.version$minor, sep = ".")),
              survival = str(as.character(packageVersion("survival"))),
              cmprsk = str(as.character(packageVersion("cmprsk"))))
out <- paste0("{\"about\":", header, ",\n\"cases\":", jlist(cases), "}\n")
dir.create("tests/stats/fixtures", showWarnings = FALSE)
writeLines(out, "tests/stats/fixtures/competing_stats.json", sep = "")
