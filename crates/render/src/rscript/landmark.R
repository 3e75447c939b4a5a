
# ---- immortal time: landmark data, time-dependent split, the comparison -------------
# Landmark at L: rows with time > L; a patient treated after L (u > L) joins the
# reference group (u = L keeps its group); times (and entries) restart at L; the
# near-tie rule again; groups without a patient at L are left out.
landmark_data <- function(d, gcol, levels_g, L) {
  keep <- d$time > L
  dl <- d[keep, , drop = FALSE]
  g <- as.character(dl[[gcol]])
  moved <- !is.na(dl$.u) & dl$.u > L
  reassigned <- lapply(levels_g[-1], function(l) list(from = l, to = levels_g[1], n = sum(moved & g == l)))
  g[moved] <- levels_g[1]
  dl$time <- dl$time - L
  tied <- 0
  if (!is.null(dl$entry)) {
    tf <- timefix_dropping_empty(pmax(dl$entry - L, 0), dl$time)
    if (length(tf$gone)) { dl <- dl[-tf$gone, , drop = FALSE]; g <- g[-tf$gone] }
    tied <- length(tf$gone); dl$entry <- tf$start; dl$time <- tf$stop
  } else if (nrow(dl) > 0) {
    dl$time <- unname(aeqSurv(Surv(dl$time, dl$status))[, "time"])
  }
  lv <- levels_g[levels_g %in% g]
  for (l in setdiff(levels_g, lv))
    message("landmark ", L, ": no patient of ", l, " at the landmark; left out of its comparisons")
  dl[[gcol]] <- factor(g, levels = lv)
  list(d = dl, levels = lv, left_out_before = sum(!keep) + tied, reassigned = reassigned,
       groups = lapply(lv, function(l) list(label = l, n = sum(g == l), events = sum(dl$status[g == l]))))
}
# Time-dependent groups: a treated patient with u > entry contributes (entry, u] in the
# reference group and (u, time] in their own group (the event on the second row);
# .id = the patient. The near-tie rule on the (start, stop] rows; an empty last piece
# gives its event to the first, empty pieces leave.
split_td <- function(d, gcol, ref) {
  n <- nrow(d); a <- d; a$.id <- seq_len(n); a$.piece <- 1
  if (is.null(a$entry)) a$entry <- rep(0, n)
  sp <- !is.na(d$.u) & d$.u > a$entry & as.character(d[[gcol]]) != ref
  b <- a[sp, , drop = FALSE]; b$entry <- d$.u[sp]; b$.piece <- 2
  a$time[sp] <- d$.u[sp]; a$status[sp] <- 0L; a[[gcol]][sp] <- ref
  s <- rbind(a, b); s <- s[order(s$.id, s$.piece), , drop = FALSE]
  tf <- timefix_counting(s$entry, s$time); s$entry <- tf$start; s$time <- tf$stop
  last_empty <- which(s$.piece == 2 & s$time <= s$entry)
  s$status[last_empty - 1] <- s$status[last_empty]
  s <- s[s$time > s$entry, , drop = FALSE]
  rownames(s) <- NULL
  s
}
# The group terms of a Cox section (NULL = not fitted) for the comparison block.
group_hrs <- function(cx, gcol, levels_all) lapply(levels_all[-1], function(l) {
  t <- if (is.null(cx)) NULL else Find(function(t) identical(t$name, paste0(gcol, "=", l)), cx$terms)
  list(group = l, hr = t$hr %||% NA, lower = t$lower %||% NA, upper = t$upper %||% NA, p = t$p %||% NA)
})
cmp_analysis <- function(name, L, cx, gcol, levels_all)
  list(analysis = name, landmark = L, n = cx$n %||% NA, n_events = cx$n_events %||% NA,
       terms = group_hrs(cx, gcol, levels_all))
# Treatment delays per treated group.
delays <- function(d, gcol, levels_g) lapply(levels_g[-1], function(l) {
  v <- d$.u[d[[gcol]] == l & !is.na(d$.u)]
  list(group = l, n = length(v), median = if (length(v)) median(v) else NA, max = if (length(v)) max(v) else NA)
})
