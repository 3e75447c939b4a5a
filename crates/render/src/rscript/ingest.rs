//! The script's reading and ingest part: the contract's rules in base R.

use super::{lit, lits, rnum, RScriptOptions};
use survlens_contract::mapping::{CovariateKind, DateFormat, TimeMap};
use survlens_contract::Spec;

/// R's `as.Date` format of a date format: the same string as the spec's name.
pub(super) fn date_format(f: DateFormat) -> &'static str {
    f.spec_name()
}

fn read(opts: &RScriptOptions) -> String {
    let sep = match opts.delimiter {
        Some(c) => format!("sep <- {}\n", lit(&c.to_string())),
        None => "# The delimiter: the most frequent of , TAB ; on the header line (ties: ,).\n\
                 header_line <- readLines(data_file, n = 1, warn = FALSE, encoding = \"UTF-8\")\n\
                 seps <- c(\",\", \"\\t\", \";\")\n\
                 sep <- seps[which.max(vapply(seps, function(s) lengths(regmatches(header_line, gregexpr(s, header_line, fixed = TRUE))), 0))]\n"
            .to_string(),
    };
    format!(
        "\n# ---- read the file: every column as text ----------------------------------------\n\
         {sep}raw <- read.csv(data_file, sep = sep, colClasses = \"character\", na.strings = character(0),\n\
         \x20                check.names = FALSE, strip.white = FALSE, fileEncoding = \"UTF-8-BOM\")\n\
         n_rows <- nrow(raw)\n"
    )
}

/// Reading and ingest: defines `d` (used rows), `levels_g`, `n_rows`, `used`, `reason`.
pub fn read_and_ingest(spec: &Spec, opts: &RScriptOptions) -> String {
    let mut s = read(opts);
    s.push_str(&super::imputation::keep_original_rows(spec));
    s.push_str(&format!(
        "\n# ---- ingest as SurvLens: missing tokens, time, event, group, the data's rows ---------\n\
         missing_tokens <- {}\n\
         col <- function(name) {{ if (!name %in% names(raw)) stop(\"the file has no column \", name); trimws(raw[[name]]) }}\n\
         is_miss <- function(v) v %in% missing_tokens\n\
         miss <- rep(FALSE, n_rows)\n",
        lits(&spec.missing)
    ));
    s.push_str(&time_code(spec));
    s.push_str(&event_code(spec));
    s.push_str(&group_code(spec));
    // The data's rows: a missing covariate leaves a row out of its models only.
    let mut others: Vec<String> = spec.strata.clone();
    others.extend(spec.weights.iter().map(|w| w.column.clone()));
    others.extend(spec.cluster.iter().map(|c| c.column.clone()));
    if !others.is_empty() {
        s.push_str(&format!(
            "for (v in {}) miss <- miss | is_miss(col(v))\n",
            lits(&others)
        ));
    }
    s.push_str(
        "negative <- !miss & !is.na(time) & time < 0\n\
         if (any(!miss & is.na(time))) stop(\"a time or date could not be read; check the format\")\n\
         reason <- ifelse(other_group, \"other_group\", ifelse(miss, \"missing\", ifelse(negative, \"negative_time\", NA)))\n\
         used <- is.na(reason)\n",
    );
    if spec.time.entry.is_some() {
        s.push_str(
            "# an exit not after its entry, or equal to it under R's near-tie rule (which coxph\n\
             # refuses), leaves the row: reason entry_not_before_exit\n\
             reason[used & time <= entry] <- \"entry_not_before_exit\"; used <- is.na(reason)\n\
             tf <- timefix_dropping_empty(entry[used], time[used])\n\
             reason[which(used)[tf$gone]] <- \"entry_not_before_exit\"; used <- is.na(reason)\n\
             entry[used] <- tf$start; time[used] <- tf$stop\n",
        );
    }
    s.push_str(&super::immortal::treatment_code(spec));
    s.push_str(&frame_code(spec));
    s
}

fn time_code(spec: &Spec) -> String {
    match spec.time_map() {
        Ok(TimeMap::Dates { start, end, unit, date_format: f }) => format!(
            "# follow-up: from {start} to {end}, in days / {days}\n\
             start <- col({}); end <- col({})\n\
             miss <- miss | is_miss(start) | is_miss(end)\n\
             time <- as.numeric(as.Date(end, format = {fmt}) - as.Date(start, format = {fmt})) / {days}\n",
            lit(&start),
            lit(&end),
            fmt = lit(date_format(f)),
            days = rnum(unit.days()),
        ),
        Ok(TimeMap::Entry { entry, column }) => format!(
            "# delayed entry: (entry, exit] on the same clock\n\
             tt <- col({}); en <- col({}); miss <- miss | is_miss(tt) | is_miss(en)\n\
             time <- num(tt); entry <- num(en)\n",
            lit(&column),
            lit(&entry)
        ),
        Ok(TimeMap::Duration { column }) => format!(
            "tt <- col({}); miss <- miss | is_miss(tt)\ntime <- num(tt)\n",
            lit(&column)
        ),
        Err(_) => "stop(\"the spec's time is invalid\")\n".to_string(),
    }
}

/// The competing event's tokens (`event.competing_values`), when given.
pub(super) fn competing_values(spec: &Spec) -> Option<&[String]> {
    spec.event
        .competing_values
        .as_deref()
        .filter(|v| !v.is_empty())
}

/// `status`: the event of interest (TRUE / FALSE); with competing values 0 censored,
/// 1 event of interest, 2 competing event.
fn event_code(spec: &Spec) -> String {
    let e = &spec.event;
    let mut s = format!(
        "ev <- col({}); miss <- miss | is_miss(ev)\n",
        lit(&e.column)
    );
    let competing = competing_values(spec);
    // The tokens the two-valued rules read: every one but the competing ones.
    let rest = match competing {
        Some(cv) => {
            s.push_str(&format!(
                "# event.competing_values: the competing event; the other tokens follow the event rules\n\
                 comp <- !is_miss(ev) & same_in(ev, {})\n",
                lits(cv)
            ));
            "!is_miss(ev) & !comp"
        }
        None => "!is_miss(ev)",
    };
    s.push_str(&match (&e.values, &e.censored_values) {
        (Some(v), Some(c)) => format!(
            "status <- same_in(ev, {v})\n\
             if (any({rest} & !same_in(ev, c({v}, {c})))) stop(\"an event value is neither an event nor censored\")\n",
            v = lits(v),
            c = lits(c)
        ),
        (Some(v), None) => format!("status <- same_in(ev, {})\n", lits(v)),
        (None, Some(c)) => format!("status <- !same_in(ev, {})\n", lits(c)),
        (None, None) => format!("status <- detect_event(ev, {rest})\n"),
    });
    if competing.is_some() {
        s.push_str(
            "status <- ifelse(comp, 2L, as.integer(status))  # 0 censored, 1 event, 2 competing\n",
        );
    }
    s
}

fn group_code(spec: &Spec) -> String {
    let Some(g) = &spec.group else {
        return "other_group <- rep(FALSE, n_rows)\n".to_string();
    };
    let mut s = format!(
        "g_raw <- col({}); miss <- miss | is_miss(g_raw)\ng <- g_raw\n",
        lit(&g.column)
    );
    if !g.recode.is_empty() {
        let pairs: Vec<String> = g
            .recode
            .iter()
            .map(|(a, b)| format!("{} = {}", lit(a), lit(b)))
            .collect();
        s.push_str(&format!(
            "recode <- c({})\nhit <- g %in% names(recode); g[hit] <- recode[g[hit]]\n",
            pairs.join(", ")
        ));
    }
    match &g.levels {
        Some(levels) => s.push_str(&format!(
            "other_group <- !is_miss(g_raw) & !(g %in% {})\n",
            lits(levels)
        )),
        None => s.push_str("other_group <- rep(FALSE, n_rows)\n"),
    }
    s
}

fn frame_code(spec: &Spec) -> String {
    let mut s = String::from("\n# the analysed rows\n");
    s.push_str(match competing_values(spec) {
        Some(_) => "# d$cause 0/1/2; d$status the event of interest, a competing event censoring it\n\
                    # (cause-specific: km, logrank, rmst, cox and the weighted analyses)\n\
                    d <- data.frame(time = time[used], status = as.integer(status[used] == 1), cause = status[used])\n",
        None => "d <- data.frame(time = time[used], status = as.integer(status[used]))\n",
    });
    match &spec.group {
        Some(g) => {
            let order = match &g.levels {
                Some(l) => lits(l),
                None => "g[used]".to_string(),
            };
            let reference = match &g.reference {
                Some(r) => lit(r),
                None => format!("{order}[1]"),
            };
            s.push_str(&format!(
                "levels_g <- level_order({order}, {reference})\n\
                 d[[{c}]] <- factor(g[used], levels = levels_g)\n",
                c = lit(&g.column)
            ));
        }
        None => s.push_str("levels_g <- \"all\"\n"),
    }
    s.push_str("d$.data_row <- which(used)  # a patient's split rows keep it\n");
    for c in &spec.covariates {
        if let Some(r) = &c.reference {
            s.push_str(&format!("references[[{}]] <- {}\n", lit(&c.column), lit(r)));
        }
        let kind = match c.kind {
            Some(CovariateKind::Numeric) => "\"numeric\"",
            Some(CovariateKind::Categorical) => "\"categorical\"",
            None => "NA",
        };
        let reference = c.reference.as_deref().map_or("NULL".to_string(), lit);
        s.push_str(&format!(
            "d[[{n}]] <- covariate(col({n})[used], {kind}, {reference})\n",
            n = lit(&c.column)
        ));
    }
    // A stratum that is also a covariate keeps the covariate's reading (numeric or text).
    for st in spec
        .strata
        .iter()
        .filter(|st| !spec.covariates.iter().any(|c| &c.column == *st))
    {
        s.push_str(&format!("d[[{n}]] <- col({n})[used]\n", n = lit(st)));
    }
    if let Some(w) = &spec.weights {
        s.push_str(&format!("d$.w <- num(col({})[used])\n", lit(&w.column)));
    }
    if let Some(cl) = &spec.cluster {
        s.push_str(&format!("d$.cluster <- col({})[used]\n", lit(&cl.column)));
    }
    if spec.time.entry.is_some() {
        s.push_str("d$entry <- entry[used]\n");
    } else {
        s.push_str(
            "# R's near-tie rule, once on all used rows (survfit and coxph would apply it too)\n\
             d$time <- unname(aeqSurv(Surv(d$time, d$status))[, \"time\"])\n",
        );
    }
    if spec.treatment_time.is_some() {
        s.push_str("d$.u <- u[used]\nd$.line <- which(used) + 1  # file line (header = 1)\n");
    }
    s
}
