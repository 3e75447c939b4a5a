//! The methods paragraph, generated from the spec that ran (and the results, for the
//! focal group and model names), with citations of the methods actually used.

use super::cite::{Citations, Work};
use super::i18n::{fill, join_list, Texts};
use survlens_contract::mapping::{TimeMap, TimeUnit};
use survlens_contract::spec::{
    AdjustName, ConfTypeName, EstimandName, Pairwise, PhTransformName, Spec, TiesName,
};
use survlens_contract::Report;

/// Paragraphs of plain text (escaped when rendered).
pub fn methods(spec: &Spec, report: &Report, t: &Texts, c: &mut Citations) -> Vec<String> {
    let mut data = Vec::new();
    data_sentences(spec, report, t, &mut data);
    let mut stats = Vec::new();
    km_sentences(spec, t, c, &mut stats);
    super::tables_follow_up::methods_sentences(spec, t, c, &mut stats);
    logrank_sentences(spec, t, c, &mut stats);
    if let Some(r) = &spec.rmst {
        let royston = c.cite(Work::RoystonParmar2013);
        stats.push(fill(
            t.m_rmst,
            &[
                ("tau", &fmt_num(r.tau)),
                ("unit", unit_name(spec, t)),
                ("c_royston", &royston),
            ],
        ));
    }
    cox_sentences(spec, t, c, &mut stats);
    super::tables_periods::methods_sentence(spec, t, &mut stats);
    super::methods_competing::sentences(spec, report, t, c, &mut stats);
    super::tables_subgroups::sentences(spec, report, t, c, &mut stats);
    immortal_sentences(spec, t, c, &mut stats);
    if spec.table1.is_some() {
        stats.push(t.m_table1.to_string());
    }
    let mut missing = Vec::new();
    super::tables_imputation::methods_sentences(spec, report, t, c, &mut missing);
    let mut confounding = Vec::new();
    propensity_sentences(spec, report, t, c, &mut confounding);
    super::tables_matching::methods_sentences(spec, report, t, c, &mut confounding);
    super::tables_emulation::methods_sentences(spec, report, t, c, &mut confounding);
    if spec.sensitivity.is_some() {
        let v = c.cite(Work::VanderWeeleDing2017);
        confounding.push(fill(t.m_evalue, &[("c_vanderweele", &v)]));
    }
    let closing = format!(
        "{}{}{}",
        t.m_alpha,
        t.sentence_sep,
        fill(t.m_software, &[("software", &report.software)])
    );
    [data, stats, missing, confounding, vec![closing]]
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.join(t.sentence_sep))
        .collect()
}

/// A number as written in a spec (`60`, `0.5`).
pub fn fmt_num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// The analysis time unit's name ("months"), or "" for a duration column.
pub fn unit_name<'a>(spec: &Spec, t: &'a Texts) -> &'a str {
    match spec.time_map() {
        Ok(TimeMap::Dates { unit, .. }) => match unit {
            TimeUnit::Days => t.unit_days,
            TimeUnit::Weeks => t.unit_weeks,
            TimeUnit::Months => t.unit_months,
            TimeUnit::Years => t.unit_years,
        },
        _ => "",
    }
}

/// The unit as a label ("时间（月）", "以月为单位"): its name without the Chinese measure
/// word 个 that the name carries after a number ("12 个月").
pub fn unit_label(unit: &str) -> &str {
    unit.strip_prefix('个').unwrap_or(unit)
}

fn quoted(v: &[String]) -> Vec<String> {
    v.iter().map(|x| format!("“{x}”")).collect()
}

fn data_sentences(spec: &Spec, report: &Report, t: &Texts, out: &mut Vec<String>) {
    match spec.time_map() {
        Ok(TimeMap::Dates { start, end, .. }) => out.push(fill(
            t.m_time_dates,
            &[
                ("start", &start),
                ("end", &end),
                ("unit", unit_label(unit_name(spec, t))),
            ],
        )),
        Ok(TimeMap::Entry { entry, column }) => out.push(fill(
            t.m_time_entry,
            &[("column", &column), ("entry", &entry)],
        )),
        Ok(TimeMap::Duration { column }) => out.push(fill(t.m_time_column, &[("column", &column)])),
        Err(_) => {}
    }
    let e = &spec.event;
    out.push(match (&e.values, &e.censored_values) {
        (Some(v), Some(cv)) => fill(
            t.m_event_censored,
            &[
                ("column", &e.column),
                ("values", &join_list(&quoted(v), t)),
                ("censored", &join_list(&quoted(cv), t)),
            ],
        ),
        (Some(v), None) => fill(
            t.m_event_values,
            &[("column", &e.column), ("values", &join_list(&quoted(v), t))],
        ),
        _ => fill(t.m_event_detected, &[("column", &e.column)]),
    });
    if let Some(g) = &spec.group {
        let labels: Vec<String> = report.groups.iter().map(|x| x.label.clone()).collect();
        if !g.recode.is_empty() {
            let pairs: Vec<String> = g.recode.iter().map(|(a, b)| format!("{a} → {b}")).collect();
            out.push(fill(
                t.m_recode,
                &[("column", &g.column), ("pairs", &pairs.join("; "))],
            ));
        }
        let reference = labels.first().cloned().unwrap_or_default();
        out.push(fill(
            t.m_groups,
            &[
                ("column", &g.column),
                ("levels", &join_list(&labels, t)),
                ("reference", &reference),
            ],
        ));
    }
    out.push(t.m_complete_cases.to_string());
}

fn km_sentences(spec: &Spec, t: &Texts, c: &mut Citations, out: &mut Vec<String>) {
    let Some(km) = &spec.km else { return };
    let (c_km, c_gw) = (c.cite(Work::KaplanMeier1958), c.cite(Work::Greenwood1926));
    let conf = match km.conf_type {
        ConfTypeName::Log => t.conf_type_log,
        ConfTypeName::LogLog => t.conf_type_loglog,
        ConfTypeName::Plain => t.conf_type_plain,
    };
    out.push(fill(
        t.m_km,
        &[
            ("c_km", &c_km),
            ("c_greenwood", &c_gw),
            ("level", &fmt_num(km.conf_level * 100.0)),
            ("conf_type", conf),
        ],
    ));
    if !km.times.is_empty() {
        let times: Vec<String> = km.times.iter().map(|x| fmt_num(*x)).collect();
        out.push(fill(
            t.m_km_times,
            &[
                ("times", &join_list(&times, t)),
                ("unit", unit_name(spec, t)),
            ],
        ));
    }
}

fn logrank_sentences(spec: &Spec, t: &Texts, c: &mut Citations, out: &mut Vec<String>) {
    let Some(lr) = &spec.logrank else { return };
    let mantel = c.cite(Work::Mantel1966);
    out.push(if lr.rho == 0.0 {
        fill(t.m_logrank, &[("c_mantel", &mantel)])
    } else {
        fill(
            t.m_peto,
            &[("rho", &fmt_num(lr.rho)), ("c_mantel", &mantel)],
        )
    });
    if !spec.strata.is_empty() {
        out.push(fill(
            t.m_stratified,
            &[("strata", &join_list(&spec.strata, t))],
        ));
    }
    if lr.pairwise != Pairwise::None && spec.group.is_some() {
        let adjust = match lr.adjust {
            AdjustName::None => t.adjust_none.to_string(),
            AdjustName::Holm => fill(t.adjust_holm, &[("c_holm", &c.cite(Work::Holm1979))]),
            AdjustName::Bonferroni => t.adjust_bonferroni.to_string(),
            AdjustName::Bh => fill(
                t.adjust_bh,
                &[("c_bh", &c.cite(Work::BenjaminiHochberg1995))],
            ),
        };
        let which = match lr.pairwise {
            Pairwise::All => t.pairwise_all,
            _ => t.pairwise_reference,
        };
        out.push(fill(t.m_pairwise, &[("which", which), ("adjust", &adjust)]));
    }
}

fn cox_sentences(spec: &Spec, t: &Texts, c: &mut Citations, out: &mut Vec<String>) {
    let Some(cox) = &spec.cox else { return };
    let c_cox = c.cite(Work::Cox1972);
    let ties = match cox.ties {
        TiesName::Efron => fill(t.ties_efron, &[("c_efron", &c.cite(Work::Efron1977))]),
        TiesName::Breslow => t.ties_breslow.to_string(),
    };
    out.push(fill(t.m_cox, &[("c_cox", &c_cox), ("ties", &ties)]));
    let mut terms: Vec<String> = spec.group.iter().map(|g| g.column.clone()).collect();
    terms.extend(spec.covariates.iter().map(|x| x.column.clone()));
    if !terms.is_empty() {
        out.push(fill(
            t.m_cox_adjusted,
            &[("covariates", &join_list(&terms, t))],
        ));
    }
    if !spec.strata.is_empty() {
        out.push(fill(
            t.m_cox_strata,
            &[("strata", &join_list(&spec.strata, t))],
        ));
    }
    if let Some(w) = &spec.weights {
        out.push(fill(t.m_cox_weights, &[("weights", &w.column)]));
    }
    if let Some(cl) = &spec.cluster {
        out.push(fill(t.m_cox_cluster, &[("cluster", &cl.column)]));
    } else if cox.robust {
        out.push(t.m_cox_robust.to_string());
    }
    match &cox.ph_test {
        Some(ph) => {
            let tr = match ph.transform {
                PhTransformName::Km => t.transform_km,
                PhTransformName::Rank => t.transform_rank,
                PhTransformName::Identity => t.transform_identity,
            };
            let g = c.cite(Work::GrambschTherneau1994);
            out.push(fill(t.m_ph, &[("c_grambsch", &g), ("transform", tr)]));
        }
        None => out.push(t.m_concordance.to_string()),
    }
}

fn propensity_sentences(
    spec: &Spec,
    report: &Report,
    t: &Texts,
    c: &mut Citations,
    out: &mut Vec<String>,
) {
    let Some(ps) = &spec.propensity else { return };
    let covs = ps
        .covariates
        .clone()
        .unwrap_or_else(|| spec.covariates.iter().map(|x| x.column.clone()).collect());
    let section = report.propensity.as_ref();
    let model = if section.is_some_and(|p| p.model == "binomial") {
        t.model_binary
    } else {
        t.model_multinomial
    };
    out.push(fill(
        t.m_propensity,
        &[("model", model), ("covariates", &join_list(&covs, t))],
    ));
    out.push(match ps.estimand {
        EstimandName::Ate => {
            let st = if ps.stabilize { t.stabilized } else { "" };
            let a = c.cite(Work::AustinStuart2015);
            fill(
                t.m_weights_ate,
                &[("stabilized", st), ("c_austin_stuart", &a)],
            )
        }
        EstimandName::Att => {
            let focal = section.and_then(|p| p.focal.clone()).unwrap_or_default();
            let a = c.cite(Work::AustinStuart2015);
            fill(
                t.m_weights_att,
                &[("focal", &focal), ("c_austin_stuart", &a)],
            )
        }
        EstimandName::Ato => {
            // Two groups: Li, Morgan & Zaslavsky's overlap weights; more: Li & Li's
            // generalized overlap weights.
            let work = if report.groups.len() > 2 {
                Work::LiLi2019
            } else {
                Work::LiMorganZaslavsky2018
            };
            fill(t.m_weights_ato, &[("c_li", &c.cite(work))])
        }
    });
    if let Some([lo, hi]) = ps.truncate {
        out.push(fill(
            t.m_truncate,
            &[("low", &fmt_num(lo)), ("high", &fmt_num(hi))],
        ));
    }
    let a = c.cite(Work::AustinStuart2015);
    out.push(fill(t.m_balance, &[("c_austin_stuart", &a)]));
    if let Some(adj) = &spec.adjusted {
        let austin = c.cite(Work::Austin2016);
        out.push(fill(t.m_adjusted, &[("c_austin", &austin)]));
        if let Some(b) = &adj.bootstrap {
            out.push(fill(
                t.m_bootstrap,
                &[
                    ("replicates", &b.replicates.to_string()),
                    ("seed", &b.seed.to_string()),
                ],
            ));
        }
    }
}

fn immortal_sentences(spec: &Spec, t: &Texts, c: &mut Citations, out: &mut Vec<String>) {
    if spec.treatment_time.is_none() {
        return;
    }
    out.push(t.m_immortal.to_string());
    if let Some(l) = &spec.landmark {
        let times: Vec<String> = l.times.iter().copied().map(fmt_num).collect();
        let anderson = c.cite(Work::Anderson1983);
        out.push(fill(
            t.m_landmark,
            &[
                ("times", &join_list(&times, t)),
                ("unit", unit_name(spec, t)),
                ("c_anderson", &anderson),
            ],
        ));
    }
    if spec.time_dependent.is_some() {
        // The time-dependent fit uses the spec's Cox options, else R's defaults (efron).
        let c_cox = c.cite(Work::Cox1972);
        let ties = match spec.cox.as_ref().map_or(TiesName::Efron, |x| x.ties) {
            TiesName::Efron => fill(t.ties_efron, &[("c_efron", &c.cite(Work::Efron1977))]),
            TiesName::Breslow => t.ties_breslow.to_string(),
        };
        let simon = c.cite(Work::SimonMakuch1984);
        out.push(fill(
            t.m_time_dependent,
            &[
                ("c_cox", &c_cox),
                ("ties", &ties),
                ("c_simon_makuch", &simon),
            ],
        ));
    }
}
