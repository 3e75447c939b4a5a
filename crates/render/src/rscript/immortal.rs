//! The script's immortal-time sections (docs/methods.md#immortal-time): the treatment
//! times, the landmark analyses, the time-dependent (start, stop] analysis with
//! Simon–Makuch curves, and the naive / landmark / time-dependent comparison block.
//! The counting-process helpers ([`COUNTING`]) also serve delayed entry (`time.entry`).

use super::analyses::{cox, keep_km, km, logrank};
use super::{lit, rnum};
use survlens_contract::mapping::TimeMap;
use survlens_contract::spec::cox_options;
use survlens_contract::spec::{CoxSpec, KmSpec, Spec};

/// The counting-process helpers (near-tie rule on (start, stop], at-risk counts, the
/// left-truncated log-rank test).
pub const COUNTING: &str = include_str!("immortal.R");
/// The landmark / split / comparison helpers.
const FUNCTIONS: &str = include_str!("landmark.R");

/// Rows whose treatment time does not fit leave the immortal-time sections only:
/// `res$treatment_time`, then `d` without them until the end of these sections
/// (`d_all` keeps every row for the sections after).
const MISFITS: &str = "\n# ---- treatment times that do not fit: left out of the immortal-time sections only ----\n\
treated <- d[[gcol]] != levels_g[1]\n\
misfit <- ifelse(treated & is.na(d$.u), \"missing_treatment_time\",\n\
\x20 ifelse(!treated & !is.na(d$.u), \"treatment_time_in_reference\",\n\
\x20 ifelse(!is.na(d$.u) & (d$.u < 0 | d$.u >= d$time), \"treatment_time_out_of_range\", NA)))\n\
tab <- table(misfit)\n\
res$treatment_time <- list(\n\
\x20 excluded = lapply(which(!is.na(misfit)), function(i) list(line = d$.line[i], reason = misfit[i])),\n\
\x20 excluded_by_reason = setNames(as.list(as.integer(tab)), as.character(names(tab))))\n\
if (any(!is.na(misfit))) message(sum(!is.na(misfit)), \" row(s) left out of the immortal-time sections (treatment time does not fit): lines \",\n\
\x20 paste(d$.line[!is.na(misfit)], collapse = \", \"))\n\
d_all <- d; d <- d[is.na(misfit), , drop = FALSE]\n";

/// Whether the script needs [`COUNTING`].
pub fn needs_counting(spec: &Spec) -> bool {
    spec.time.entry.is_some() || spec.treatment_time.is_some()
}

/// The treatment time `u` of every row (NA = never treated), before the used rows are
/// taken: a duration column, or (date - start date) in the time's unit.
pub fn treatment_code(spec: &Spec) -> String {
    let Some(tt) = &spec.treatment_time else {
        return String::new();
    };
    if let Some(column) = &tt.column {
        return format!(
            "# local treatment time (empty = never treated locally)\n\
             u_raw <- col({c}); u <- ifelse(is_miss(u_raw), NA, num(u_raw))\n",
            c = lit(column)
        );
    }
    match (spec.time_map(), &tt.date) {
        (Ok(TimeMap::Dates { start, unit, date_format, .. }), Some(date)) => format!(
            "# local treatment time from its date (empty = never treated locally)\n\
             u_raw <- col({c}); u <- rep(NA_real_, n_rows); has_u <- !is_miss(u_raw)\n\
             u[has_u] <- as.numeric(as.Date(u_raw[has_u], format = {fmt}) - as.Date(col({s})[has_u], format = {fmt})) / {days}\n",
            c = lit(date),
            s = lit(&start),
            fmt = lit(super::ingest::date_format(date_format)),
            days = rnum(unit.days()),
        ),
        _ => "stop(\"the spec's treatment_time is invalid\")\n".to_string(),
    }
}

/// The default KM options (R's survfit defaults) when the spec has no `km`.
fn km_spec(spec: &Spec) -> KmSpec {
    spec.km.clone().unwrap_or(KmSpec {
        conf_type: Default::default(),
        conf_level: 0.95,
        times: vec![],
    })
}

/// `km`, `logrank` and `cox` as the spec asks, on the data frame `d` (into `res`).
fn core(spec: &Spec, entry: bool) -> String {
    let mut s = String::new();
    if let Some(k) = &spec.km {
        s.push_str(&km(spec, Some(k), entry));
        s.push_str(&keep_km(k));
    }
    if let Some(lr) = &spec.logrank {
        s.push_str(&logrank(spec, lr, entry));
    }
    if let Some(c) = &spec.cox {
        s.push_str(&cox(spec, c, entry, None));
    }
    s
}

/// A function of `d` returning the Cox section with options `c`.
fn cox_function(
    name: &str,
    spec: &Spec,
    c: &CoxSpec,
    entry: bool,
    cluster: Option<&str>,
) -> String {
    format!(
        "{name} <- function(d) {{\nres <- list()\n{}res$cox\n}}\n",
        cox(spec, c, entry, cluster)
    )
}

/// The landmark, time-dependent and comparison sections.
pub fn sections(spec: &Spec) -> String {
    let (Some(_), Some(group)) = (&spec.treatment_time, &spec.group) else {
        return String::new();
    };
    let entry = spec.time.entry.is_some();
    let gcol = lit(&group.column);
    let mut s = String::from(FUNCTIONS);
    s.push_str(&format!("gcol <- {gcol}\n"));
    s.push_str(MISFITS);
    if let Some(lm) = &spec.landmark {
        let times: Vec<String> = lm.times.iter().map(|t| rnum(*t)).collect();
        s.push_str(&format!(
            "\n# ---- landmark analyses ----------------------------------------------------------------\n\
             res$landmark <- lapply(c({times}), function(L) {{\n\
             ld <- landmark_data(d, gcol, levels_g, L)\n\
             cat(\"\\n## landmark at\", L, \"\\n\")\n\
             out <- list(time = L, n = nrow(ld$d), left_out_before = ld$left_out_before, reassigned = ld$reassigned, groups = ld$groups)\n\
             if (nrow(ld$d) == 0) return(out)\n\
             d <- ld$d; levels_g <- ld$levels; res <- list()\n\
             {core}\
             c(out, res[intersect(c(\"km\", \"logrank\", \"cox\"), names(res))])\n\
             }})\n",
            times = times.join(", "),
            core = core(spec, entry),
        ));
    }
    let cmp = cox_options(spec);
    let by_patient = (cmp.robust && spec.cluster.is_none()).then_some(".id");
    s.push_str(&cox_function("cox_cmp", spec, &cmp, entry, None));
    s.push_str(&cox_function("cox_td", spec, &cmp, true, by_patient));
    // The time-dependent section's own model adds cox.zph on its (start, stop] fit when
    // `cox.ph_test` asks (the comparison above reads hazard ratios only).
    let td = CoxSpec {
        ph_test: spec.cox.as_ref().and_then(|c| c.ph_test),
        ..cmp.clone()
    };
    s.push_str(&cox_function("cox_td_section", spec, &td, true, by_patient));
    s.push_str("sp <- split_td(d, gcol, levels_g[1])\n");
    if spec.time_dependent.is_some() {
        let k = km_spec(spec);
        s.push_str(&format!(
            "\n# ---- time-dependent groups: Cox on the (start, stop] rows, Simon-Makuch curves -------\n\
             res$time_dependent <- local({{\n\
             d <- sp; res <- list()\n\
             {km}{keep}\
             list(n_intervals = nrow(d), cox = cox_td_section(d), km = res$km)\n\
             }})\n",
            km = km(spec, Some(&k), true),
            keep = keep_km(&k),
        ));
    }
    let landmarks: Vec<String> = spec
        .landmark
        .as_ref()
        .map(|l| l.times.iter().map(|t| rnum(*t)).collect())
        .unwrap_or_default();
    s.push_str(&format!(
        "\n# ---- immortal time: naive vs landmark vs time-dependent group hazard ratios -----------\n\
         res$immortal_time <- list(reference = levels_g[1], treated = delays(d, gcol, levels_g),\n\
         \x20 analyses = c(list(cmp_analysis(\"naive\", NA, cox_cmp(d), gcol, levels_g)),\n\
         \x20   lapply(c({}), function(L) {{ ld <- landmark_data(d, gcol, levels_g, L)\n\
         \x20     cmp_analysis(\"landmark\", L, if (nrow(ld$d) > 0) cox_cmp(ld$d), gcol, levels_g) }}),\n\
         \x20   list(cmp_analysis(\"time_dependent\", NA, cox_td(sp), gcol, levels_g))))\n",
        landmarks.join(", ")
    ));
    s.push_str(&super::emulation::section(spec));
    s.push_str("d <- d_all  # the other sections keep every row\n");
    s
}
