# Reference fixtures for SurvLens: R's survival package is the ground truth.
#
# Run from the repository root:   Rscript tests/r/make_reference.R
#
# For every case below this writes tests/reference/<case>/ with
#   data.csv       the data as a hospital export would hold it (written by this script)
#   spec.json      the SurvLens spec (docs/spec.md) asking for the analysis
#   expected.json  a partial results document (docs/results.md, same keys) with
#                  R's unrounded numbers (17 significant digits, null for NA/NaN),
#                  plus metadata keys starting with "r_" (r_call, r_version, ...).
#
# Every number is computed from data.csv AS READ BACK FROM DISK (all columns as text),
# by an R re-implementation of the contract's ingest rules (missing tokens, dates,
# event coding, recode/levels, the data's rows, exclusion reasons), followed by the
# survival calls docs/methods.md names. No package besides survival is needed.
#
# R calls (the same for every case; r_call in each expected.json repeats them with the
# case's settings):
#   d      <- the data's rows: usable time, event, group and strata (a missing covariate does
#             not leave a row out of d; each model does its own na.omit);
#             d$time <- aeqSurv(Surv(time, status))[, "time"]   (timefix once, all rows)
#   fit    <- survfit(Surv(time, status) ~ g, data = d, conf.type = , conf.int = )
#   curve k: fit[k]$time, n.risk, n.event, n.censor, surv;
#            std_err = fit[k]$std.err * fit[k]$surv (NaN -> null); lower/upper (NA -> null)
#   median : summary(fit[k])$table[c("median", "<level>LCL", "<level>UCL")]
#   quant. : quantile(fit[k], probs = c(0.25, 0.75))
#   at_t.  : summary(fit[k], times = times) (no extend); a time later than the curve's last
#            time (which summary leaves out) is written {time, n_risk 0, surv/std_err/lower/
#            upper null, beyond_follow_up true}
#   rmst   : summary(fit[k], rmean = tau)$table[c("rmean", "se(rmean)")]
#   logrank: survdiff(Surv(time, status) ~ g [+ strata(...)], data = d, rho = rho);
#            O, E summed over strata; df = sum(E > 0) - 1; p = pchisq(chisq, df, lower.tail = FALSE)
#   pairs  : the same survdiff on d[d$g %in% c(a, b), ], then p.adjust(p, method = adjust)
#   rmst_difference: a - b, se = sqrt(se_a^2 + se_b^2), est +- qnorm(0.975) se, 2 * pnorm(-|z|)

suppressPackageStartupMessages(library(survival))

OUT <- file.path("tests", "reference")
if (!dir.exists("tests")) stop("run from the repository root")
`%||%` <- function(a, b) if (is.null(a)) b else a
DEFAULT_MISSING <- c("", "NA", "N/A", "NaN", ".", "null")

# ---------------------------------------------------------------- JSON writer --------
# Named list -> object; unnamed list -> array; atomic of length != 1 or marked with arr()
# -> array; length-1 atomic -> scalar. NA / NaN / +-Inf -> null.
arr <- function(x) { attr(x, "json_array") <- TRUE; x }
obj <- function(...) { x <- list(...); if (length(x) == 0) names(x) <- character(0); x }
json_str <- function(s) {
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub("\"", "\\\"", s, fixed = TRUE)
  s <- gsub("\n", "\\n", s, fixed = TRUE)
  s <- gsub("\t", "\\t", s, fixed = TRUE)
  s <- gsub("\r", "\\r", s, fixed = TRUE)
  paste0("\"", s, "\"")
}
json_scalar <- function(v, digits) {
  if (is.na(v)) return("null")
  if (is.logical(v)) return(if (v) "true" else "false")
  if (is.character(v) || is.factor(v)) return(json_str(as.character(v)))
  if (!is.finite(v)) return("null")
  if (v == 0) return("0")
  if (v == round(v) && abs(v) < 1e15) return(sprintf("%.0f", v))
  s <- sprintf("%.15g", v)                      # shortest of 15/16/17 digits that round-trips
  if (digits > 15 && as.numeric(s) != v) s <- sprintf("%.16g", v)
  if (digits > 16 && as.numeric(s) != v) s <- sprintf("%.17g", v)
  s
}
to_json <- function(x, digits = 17, indent = 0) {
  pad <- strrep("  ", indent + 1); pad0 <- strrep("  ", indent)
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (!is.null(names(x))) {
      if (length(x) == 0) return("{}")
      items <- vapply(seq_along(x), function(i)
        paste0(pad, json_str(names(x)[i]), ": ", to_json(x[[i]], digits, indent + 1)), "")
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", pad0, "}"))
    }
    if (length(x) == 0) return("[]")
    items <- vapply(x, function(e) paste0(pad, to_json(e, digits, indent + 1)), "")
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", pad0, "]"))
  }
  if (length(x) != 1 || isTRUE(attr(x, "json_array"))) {
    if (length(x) == 0) return("[]")
    return(paste0("[", paste(vapply(seq_along(x), function(i) json_scalar(x[i], digits), ""),
                             collapse = ", "), "]"))
  }
  json_scalar(x, digits)
}
write_json <- function(x, path, digits = 17) writeLines(to_json(x, digits), path, useBytes = TRUE)

# ---------------------------------------------------------------- CSV writer ---------
# Fields are written as given (all character); a field is quoted only when it holds the
# delimiter, a quote or a line break (RFC 4180), as Excel / most exports do.
write_raw_csv <- function(df, path, sep = ",") {
  q <- function(v) {
    need <- grepl(sep, v, fixed = TRUE) | grepl("\"", v, fixed = TRUE) | grepl("\n", v, fixed = TRUE)
    v[need] <- paste0("\"", gsub("\"", "\"\"", v[need], fixed = TRUE), "\"")
    v
  }
  cols <- lapply(df, function(c) q(as.character(c)))
  lines <- c(paste(q(names(df)), collapse = sep), do.call(paste, c(cols, sep = sep)))
  con <- file(path, "wb"); writeLines(lines, con, sep = "\n"); close(con)
}
read_raw_csv <- function(path, sep) {
  read.table(path, sep = sep, header = TRUE, colClasses = "character", quote = "\"",
             na.strings = character(0), check.names = FALSE, comment.char = "",
             strip.white = FALSE, blank.lines.skip = FALSE, encoding = "UTF-8")
}
# A column as text with NA written as the token `na`.
chr <- function(x, na = "NA") { y <- as.character(x); y[is.na(x)] <- na; y }

# ---------------------------------------------------------------- ingest (contract) ---
unit_days <- c(days = 1, weeks = 7, months = 30.4375, years = 365.25)

detect_event <- function(v, ok) {
  u <- unique(tolower(v[ok]))
  if (all(u %in% c("0", "1"))) return(tolower(v) == "1")
  if (all(u %in% c("1", "2"))) return(tolower(v) == "2")
  if (all(u %in% c("true", "false"))) return(tolower(v) == "true")
  if (all(u %in% c("yes", "no"))) return(tolower(v) == "yes")
  dead <- c("dead", "died", "death", "deceased"); alive <- c("alive", "censored")
  if (all(u %in% c(dead, alive))) return(tolower(v) %in% dead)
  stop("event coding not detected: ", paste(u, collapse = ", "))
}

# covariates = TRUE: also leave out rows missing a spec covariate (a model's rows, as
# na.omit over the model's columns); FALSE: the data's rows.
ingest <- function(raw, spec, sep, covariates = FALSE) {
  miss_tok <- spec$missing %||% DEFAULT_MISSING
  tok <- function(col) { if (!col %in% names(raw)) stop("no column ", col); trimws(raw[[col]]) }
  n <- nrow(raw)
  miss <- rep(FALSE, n)
  mark <- function(col) { v <- tok(col); m <- v %in% miss_tok; miss <<- miss | m; list(v = v, m = m) }
  # time
  if (!is.null(spec$time$column)) {
    t <- mark(spec$time$column)
    v <- if (sep == ";") sub(",", ".", t$v, fixed = TRUE) else t$v
    time <- suppressWarnings(as.numeric(v))
    if (any(is.na(time) & !t$m)) stop("unparsed time")
  } else {
    s <- mark(spec$time$start); e <- mark(spec$time$end)
    fmt <- spec$time$date_format %||% "auto"; if (fmt == "auto") fmt <- "%Y-%m-%d"
    ds <- as.Date(s$v, format = fmt); de <- as.Date(e$v, format = fmt)
    if (any(is.na(ds) & !s$m) || any(is.na(de) & !e$m)) stop("unparsed date")
    time <- as.numeric(de - ds) / unit_days[[spec$time$unit %||% "months"]]
  }
  # event: tokens in competing_values are the competing event (status 2); the other
  # tokens follow the two-valued rules (values / censored_values / detection)
  e <- mark(spec$event$column)
  cv <- unlist(spec$event$competing_values)
  if (any(cv %in% c(unlist(spec$event$values), unlist(spec$event$censored_values))))
    stop("a competing token is also an event or censored token")
  comp <- !e$m & e$v %in% cv
  if (!is.null(spec$event$values)) {
    status <- e$v %in% spec$event$values
    if (!is.null(spec$event$censored_values) &&
        any(!e$m & !comp & !(e$v %in% c(spec$event$values, spec$event$censored_values))))
      stop("event token neither event, competing nor censored")
  } else status <- detect_event(e$v, !e$m & !comp)
  status <- ifelse(comp, 2L, as.integer(status))   # 0 censored, 1 event, 2 competing
  # group
  og <- rep(FALSE, n); g <- rep("all", n)
  if (!is.null(spec$group)) {
    gg <- mark(spec$group$column); g <- gg$v
    rc <- spec$group$recode
    hit <- !gg$m & gg$v %in% names(rc)
    g[hit] <- unlist(rc)[gg$v[hit]]
    if (!is.null(spec$group$levels)) og <- !gg$m & !(g %in% spec$group$levels)
  }
  if (covariates) for (cv in spec$covariates) mark(cv$column)
  for (s in spec$strata) mark(s)
  if (!is.null(spec$weights)) mark(spec$weights$column)
  neg <- !miss & time < 0
  reason <- ifelse(og, "other_group", ifelse(miss, "missing", ifelse(neg, "negative_time", NA)))
  used <- is.na(reason)
  if (!is.null(spec$group)) {
    levels <- spec$group$levels
    if (is.null(levels)) {
      ref <- spec$group$reference %||% g[used][1]
      levels <- unique(c(ref, g[used]))
    }
  } else levels <- "all"
  d <- data.frame(time = time[used], status = as.integer(status[used]),
                  g = factor(g[used], levels = levels), line = which(used) + 1)
  for (s in spec$strata) d[[s]] <- tok(s)[used]
  # R's near-tie rule once on all used rows (what survfit/survdiff would do themselves)
  d$time <- unname(aeqSurv(Surv(d$time, d$status != 0))[, "time"])
  excl <- which(!used)
  list(d = d, levels = levels, n_rows = n,
       reference = if (!is.null(spec$group)) (spec$group$reference %||% levels[1]) else "all",
       excluded = lapply(excl, function(i) obj(line = i + 1, reason = reason[i])),
       excluded_by_reason = {
         tab <- table(factor(reason[!used], levels = c("other_group", "missing", "negative_time")))
         tab <- tab[tab > 0]
         x <- as.list(as.numeric(tab)); names(x) <- names(tab); if (length(x) == 0) obj() else x
       })
}

# missing_covariates of a model on the data's rows d: rows missing any of `columns`
# (n) and, per column with a missing cell, the rows missing it (a row missing two
# columns counts once in n and once under each).
missing_covariates <- function(raw, d, columns, spec) {
  miss_tok <- spec$missing %||% DEFAULT_MISSING
  m <- lapply(columns, function(cn) trimws(raw[[cn]])[d$line - 1] %in% miss_tok)
  names(m) <- columns
  any_m <- Reduce(`|`, m, rep(FALSE, nrow(d)))
  by <- Filter(function(k) k > 0, lapply(m, sum))
  if (length(by)) by <- by[order(names(by))]
  obj(n = sum(any_m), by_column = if (length(by)) by else obj())
}

# A model's rows: the data's rows d complete for the spec's covariates (and its weights
# column, kept as .w), as na.omit; each categorical covariate a factor built on those rows
# (reference: the given one, else the most frequent level there, ties first to appear;
# then order of appearance), with the term names SurvLens gives (group terms first).
covariate_rows <- function(raw, ing, spec) {
  d <- ing$d
  miss_tok <- spec$missing %||% DEFAULT_MISSING
  cols <- vapply(spec$covariates, function(c) c$column, "")
  vals <- lapply(cols, function(cn) { v <- trimws(raw[[cn]])[d$line - 1]; v[v %in% miss_tok] <- NA; v })
  names(vals) <- cols
  all_rows <- data.frame(time = d$time, status = d$status, g = d$g, line = d$line,
                         vals, check.names = FALSE, stringsAsFactors = FALSE)
  if (!is.null(spec$weights)) all_rows$.w <- as.numeric(trimws(raw[[spec$weights$column]])[d$line - 1])
  m <- na.omit(all_rows)
  term_names <- if (is.null(spec$group)) character(0) else paste0(spec$group$column, "=", ing$levels[-1])
  for (cv in spec$covariates) {
    x <- m[[cv$column]]
    num <- suppressWarnings(as.numeric(x))
    type <- cv$type %||% (if (!is.null(cv$reference) || any(is.na(num))) "categorical" else "numeric")
    if (type == "numeric") { m[[cv$column]] <- num; term_names <- c(term_names, cv$column); next }
    u <- unique(x)
    ref <- cv$reference %||% u[which.max(tabulate(match(x, u)))]
    lv <- c(ref, setdiff(u, ref))
    m[[cv$column]] <- factor(x, levels = lv)
    term_names <- c(term_names, paste0(cv$column, "=", lv[-1]))
  }
  list(m = m, cols = cols, names = term_names)
}

# ---------------------------------------------------------------- analyses -----------
nn <- function(x) { x <- as.numeric(x); x[is.nan(x) | !is.finite(x)] <- NA; x }

km_section <- function(ing, spec) {
  d <- ing$d
  ct <- spec$km$conf_type %||% "log"; cl <- spec$km$conf_level %||% 0.95
  fit <- if (length(ing$levels) > 1 || !is.null(spec$group))
    survfit(Surv(time, status) ~ g, data = d, conf.type = ct, conf.int = cl)
  else survfit(Surv(time, status) ~ 1, data = d, conf.type = ct, conf.int = cl)
  if (!is.null(fit$strata) && length(fit$strata) != length(ing$levels)) stop("empty group")
  curves <- lapply(seq_along(ing$levels), function(k) {
    fk <- if (is.null(fit$strata)) fit else fit[k]
    tab <- summary(fk)$table
    q <- quantile(fk, probs = c(0.25, 0.75))
    cur <- obj(group = ing$levels[k],
               time = arr(fk$time), n_risk = arr(fk$n.risk), n_event = arr(fk$n.event),
               n_censor = arr(fk$n.censor), surv = arr(fk$surv),
               std_err = arr(nn(fk$std.err * fk$surv)),
               lower = arr(nn(fk$lower)), upper = arr(nn(fk$upper)),
               median = obj(estimate = nn(tab[["median"]]),
                            lower = nn(tab[[grep("LCL$", names(tab))]]),
                            upper = nn(tab[[grep("UCL$", names(tab))]])),
               quantiles = lapply(1:2, function(j)
                 obj(p = c(0.25, 0.75)[j], estimate = nn(q$quantile[j]),
                     lower = nn(q$lower[j]), upper = nn(q$upper[j]))))
    times <- unlist(spec$km$times)
    cur$at_times <- at_times_rows(fk, unlist(spec$km$times))
    if (!is.null(spec$rmst)) {
      st <- summary(fk, rmean = spec$rmst$tau)$table
      cur$rmst <- obj(tau = spec$rmst$tau, estimate = st[["rmean"]], se = st[["se(rmean)"]])
    }
    cur
  })
  obj(conf_type = ct, conf_level = cl, curves = curves)
}

# at_times of one curve: summary(fk, times) without extend, which leaves out the times
# later than the curve's last time; those are written with n_risk 0, nulls and
# beyond_follow_up = TRUE. Times sorted, as summary.survfit sorts them.
at_times_rows <- function(fk, times) {
  if (length(times) == 0) return(list())
  times <- sort(times)
  last <- max(fk$time)
  inside <- times[times <= last]
  s <- if (length(inside)) summary(fk, times = inside) else NULL
  if (length(inside) && !isTRUE(all.equal(s$time, inside))) stop("summary(times) dropped a time")
  lapply(seq_along(times), function(j) {
    if (times[j] > last)
      return(obj(time = times[j], n_risk = 0, surv = NA, std_err = NA, lower = NA, upper = NA,
                 beyond_follow_up = TRUE))
    obj(time = s$time[j], n_risk = s$n.risk[j], surv = s$surv[j],
        std_err = nn(s$std.err[j]), lower = nn(s$lower[j]), upper = nn(s$upper[j]),
        beyond_follow_up = FALSE)
  })
}

survdiff_stat <- function(d, strata, rho) {
  f <- if (length(strata)) as.formula(paste("Surv(time, status) ~ g + strata(",
                                            paste(strata, collapse = ", "), ")"))
       else Surv(time, status) ~ g
  sd <- survdiff(f, data = d, rho = rho)
  O <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
  E <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
  df <- sum(E > 0) - 1
  list(O = O, E = E, chisq = sd$chisq, df = df, p = pchisq(sd$chisq, df, lower.tail = FALSE))
}

logrank_section <- function(ing, spec) {
  d <- ing$d; rho <- spec$logrank$rho %||% 0; strata <- unlist(spec$strata)
  lv <- ing$levels
  all <- survdiff_stat(d, strata, rho)
  mode <- spec$logrank$pairwise %||% "none"; adjust <- spec$logrank$adjust %||% "holm"
  pairs <- list()
  if (mode == "reference") {
    ref <- ing$reference
    for (o in setdiff(lv, ref)) {
      ab <- if (match(o, lv) > match(ref, lv)) c(o, ref) else c(ref, o)
      pairs[[length(pairs) + 1]] <- ab
    }
  } else if (mode == "all") {
    for (bi in seq_along(lv)) for (ai in seq_along(lv)) if (ai > bi)
      pairs[[length(pairs) + 1]] <- c(lv[ai], lv[bi])
  }
  pw <- lapply(pairs, function(ab) {
    sub <- d[d$g %in% ab, ]; sub$g <- factor(as.character(sub$g), levels = lv[lv %in% ab])
    s <- survdiff_stat(sub, strata, rho)
    list(a = ab[1], b = ab[2], chisq = s$chisq, p = s$p)
  })
  padj <- p.adjust(vapply(pw, function(x) x$p, 0), method = adjust)
  pw <- lapply(seq_along(pw), function(i) c(pw[[i]], list(p_adjusted = padj[i])))
  obj(rho = rho, chisq = all$chisq, df = all$df, p = all$p,
      groups = lapply(seq_along(lv), function(k)
        obj(label = lv[k], observed = unname(all$O[k]), expected = unname(all$E[k]))),
      pairwise = pw)
}

rmst_difference <- function(ing, km) {
  lv <- ing$levels; ref <- ing$reference
  rm <- setNames(lapply(km$curves, function(c) c$rmst), lv)
  z <- qnorm(0.975)
  lapply(setdiff(lv, ref), function(a) {
    est <- rm[[a]]$estimate - rm[[ref]]$estimate
    se <- sqrt(rm[[a]]$se^2 + rm[[ref]]$se^2)
    obj(a = a, b = ref, tau = rm[[a]]$tau, estimate = est, se = se,
        lower = est - z * se, upper = est + z * se, p = 2 * pnorm(-abs(est / se)))
  })
}

r_calls <- function(spec) {
  ct <- spec$km$conf_type %||% "log"; cl <- spec$km$conf_level %||% 0.95
  rhs <- if (is.null(spec$group)) "1" else "g"
  st <- unlist(spec$strata)
  sdf <- paste0("Surv(time, status) ~ g", if (length(st)) paste0(" + strata(", paste(st, collapse = ", "), ")") else "")
  rho <- spec$logrank$rho %||% 0
  fitc <- sprintf("fit <- survfit(Surv(time, status) ~ %s, data = d, conf.type = \"%s\", conf.int = %s)", rhs, ct, format(cl))
  x <- obj(
    data = "rows with a usable time, event, group and strata (reasons other_group > missing > negative_time; covariates do not count); d = used rows, time from data.csv (dates: as.numeric(end - start) / days per unit); d$time <- aeqSurv(Surv(time, status))[, 'time']",
    groups = "table(d$g), tapply(d$status, d$g, sum)",
    km = paste0(fitc, "; curve k = fit[k]: time, n.risk, n.event, n.censor, surv; std_err = std.err * surv (NaN -> null); lower, upper (NA -> null)"),
    median = "summary(fit[k])$table[c('median', '<conf.int>LCL', '<conf.int>UCL')]",
    quantiles = "quantile(fit[k], probs = c(0.25, 0.75))",
    at_times = sprintf("summary(fit[k], times = c(%s))[c('time', 'n.risk', 'surv', 'std.err', 'lower', 'upper')]; times past max(fit[k]$time), which summary leaves out: n_risk 0, the rest null, beyond_follow_up true",
                       paste(vapply(unlist(spec$km$times), json_scalar, "", digits = 15), collapse = ", ")))
  if (!is.null(spec$rmst))
    x$rmst <- sprintf("summary(fit[k], rmean = %s)$table[c('rmean', 'se(rmean)')]", format(spec$rmst$tau))
  if (!is.null(spec$logrank)) {
    x$logrank <- sprintf("sd <- survdiff(%s, data = d, rho = %s); observed = rowSums(sd$obs), expected = rowSums(sd$exp) (vectors without strata); df = sum(expected > 0) - 1; p = pchisq(sd$chisq, df, lower.tail = FALSE)", sdf, format(rho))
    x$pairwise <- sprintf("for each pair: survdiff(%s, data = d[d$g %%in%% c(a, b), ], rho = %s) as above; p_adjusted = p.adjust(p, method = '%s')",
                          sdf, format(rho), spec$logrank$adjust %||% "holm")
  }
  if (!is.null(spec$rmst) && !is.null(spec$group))
    x$rmst_difference <- "estimate = rmean_a - rmean_b; se = sqrt(se_a^2 + se_b^2); lower/upper = estimate -/+ qnorm(0.975) * se; p = 2 * pnorm(-abs(estimate / se))"
  x
}

run_case <- function(cs) {
  dir <- file.path(OUT, cs$name); dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  sep <- cs$sep %||% ","
  write_raw_csv(cs$data, file.path(dir, "data.csv"), sep)
  write_json(cs$spec, file.path(dir, "spec.json"), digits = 15)
  raw <- read_raw_csv(file.path(dir, "data.csv"), sep)
  stopifnot(nrow(raw) == nrow(cs$data))
  ing <- ingest(raw, cs$spec, sep)
  d <- ing$d
  res <- obj(r_case = cs$name, r_description = cs$description, r_source = cs$source,
             r_version = R.version.string,
             r_survival_version = as.character(packageVersion("survival")),
             r_call = r_calls(cs$spec),
             version = 1,
             data = obj(n_rows = ing$n_rows, n_used = nrow(d), n_events = sum(d$status),
                        excluded = ing$excluded, excluded_by_reason = ing$excluded_by_reason),
             groups = lapply(ing$levels, function(l)
               obj(label = l, n = sum(d$g == l), events = sum(d$status[d$g == l]))))
  if (!is.null(cs$spec$km)) res$km <- km_section(ing, cs$spec)
  if (!is.null(cs$spec$logrank)) res$logrank <- logrank_section(ing, cs$spec)
  if (!is.null(cs$spec$rmst) && !is.null(cs$spec$group)) res$rmst_difference <- rmst_difference(ing, res$km)
  write_json(res, file.path(dir, "expected.json"))
  cat(sprintf("%-22s rows %5d used %5d events %5d groups %d\n", cs$name, ing$n_rows,
              nrow(d), sum(d$status), length(ing$levels)))
}

# ---------------------------------------------------------------- cases --------------
source(file.path("tests", "r", "cases.R"), local = TRUE)
for (cs in CASES) run_case(cs)
