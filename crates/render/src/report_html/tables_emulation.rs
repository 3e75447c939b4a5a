//! The report's parts for `emulation` (target-trial emulation by clone–censor–weight,
//! docs/results.md#emulation): the methods sentences (the strategies, the artificial
//! censoring, the censoring models, the weighted Kaplan–Meier estimator, the bootstrap;
//! Hernán & Robins 2016, Maringe et al. 2020, the TARGET guideline 2025), the results
//! sentences (the difference at the last time within follow-up and the RMST difference),
//! and the tables — survival under each strategy with the difference and its bootstrap
//! CI, the RMST difference, the flow of clones (artificially censored, deaths) and the
//! weights. Words: `survlens_text::emulation_words`; the figures: [`figures`] below.

use super::cite::{Citations, Work};
use super::figures::{Figure, FigureInput, WIDTH};
use super::html::{ci, num, Table};
use super::i18n::{fill, join_list, Texts};
use super::methods::{fmt_num, unit_name};
use crate::plot::emulation::{
    bands_note, curves_km, curves_options, flow_figure_height, render_flow_svg, ArmCurve, Arms,
    Bootstrap, EmulationPlot,
};
use crate::plot::{self, FigureOptions, KmPlotOptions, PlotError};
use survlens_contract::emulation::{Arm, CensoringSurvival, Emulation};
use survlens_contract::report::{Report, Skip};
use survlens_contract::Spec;
use survlens_text::emulation_words::{arm_label, emulation_words, EmulationWords};

/// The emulation of the report (none when not asked or `null`).
fn emulation(r: &Report) -> Option<&Emulation> {
    match &r.emulation {
        Skip::Value(e) => Some(e),
        _ => None,
    }
}

/// The two strategies' names in the report's language ("Treatment within 6 months").
fn arm_names(e: &Emulation, w: &EmulationWords, unit: &str) -> [String; 2] {
    let g = fmt_num(e.grace);
    [
        arm_label(w.arm_treat, &g, unit)
            .replace("  ", " ")
            .trim()
            .to_string(),
        arm_label(w.arm_control, &g, unit)
            .replace("  ", " ")
            .trim()
            .to_string(),
    ]
}

impl From<&Emulation> for EmulationPlot {
    fn from(e: &Emulation) -> Self {
        EmulationPlot {
            grace: e.grace,
            n_clones: e.n_clones,
            artificially_censored: Arms {
                treat: e.artificially_censored.treat,
                control: e.artificially_censored.control,
            },
            n_patients: Some(e.n_patients),
            n_events: Some(Arms {
                treat: e.n_events.treat,
                control: e.n_events.control,
            }),
            curves: e
                .curves
                .iter()
                .map(|c| ArmCurve {
                    arm: c.arm.name().to_string(),
                    time: c.time.clone(),
                    surv: c.surv.clone(),
                    lower: c.lower.clone(),
                    upper: c.upper.clone(),
                })
                .collect(),
            bootstrap: e.bootstrap.as_ref().map(|b| Bootstrap {
                conf_level: b.conf_level,
            }),
        }
    }
}

/// Every table of the emulation, in page order.
pub(crate) fn emulation_tables(r: &Report, spec: &Spec, t: &Texts) -> Vec<Table> {
    let Some(e) = emulation(r) else {
        return vec![];
    };
    let w = emulation_words(t.lang);
    let unit = unit_name(spec, t);
    let [treat, control] = arm_names(e, w, unit);
    let time_header = if unit.is_empty() {
        w.c_time.to_string()
    } else {
        format!("{} ({unit})", w.c_time)
    };
    let mut diff = Table::new(
        "emulation",
        w.t_difference,
        &[&time_header, &treat, &control, w.c_difference, w.c_ci],
    );
    for a in &e.at_times {
        let time = if a.beyond_follow_up {
            format!("{} ({})", fmt_num(a.time), w.beyond)
        } else {
            fmt_num(a.time)
        };
        diff.row(vec![
            time,
            num(a.treat, 3),
            num(a.control, 3),
            num(a.difference, 3),
            ci(a.lower, a.upper, 3, t),
        ]);
    }
    let mut out = vec![diff];
    if let Some(d) = &e.rmst_difference {
        let mut rmst = Table::new(
            "emulation_rmst",
            w.c_rmst,
            &[w.c_tau, &treat, &control, w.c_difference, w.c_ci],
        );
        rmst.row(vec![
            fmt_num(d.tau),
            num(Some(d.treat), 2),
            num(Some(d.control), 2),
            num(Some(d.estimate), 2),
            ci(d.lower, d.upper, 2, t),
        ]);
        out.push(rmst);
    }
    let mut flow = Table::new(
        "emulation_flow",
        w.t_flow,
        &[w.c_arm, w.c_clones, w.c_censored, w.c_events],
    );
    let mut weights = Table::new(
        "emulation_weights",
        w.t_weights,
        &[w.c_arm, w.c_min, w.c_median, w.c_p99, w.c_max, w.c_mean],
    );
    for (arm, name) in Arm::BOTH.iter().zip([&treat, &control]) {
        let (censored, events, ws) = match arm {
            Arm::Treat => (
                e.artificially_censored.treat,
                e.n_events.treat,
                &e.weights.treat,
            ),
            Arm::Control => (
                e.artificially_censored.control,
                e.n_events.control,
                &e.weights.control,
            ),
        };
        flow.row(vec![
            name.clone(),
            e.n_patients.to_string(),
            censored.to_string(),
            events.to_string(),
        ]);
        let cell = |x: Option<f64>| num(x, 2);
        weights.row(vec![
            name.clone(),
            cell(ws.as_ref().map(|s| s.min)),
            cell(ws.as_ref().map(|s| s.median)),
            cell(ws.as_ref().map(|s| s.p99)),
            cell(ws.as_ref().map(|s| s.max)),
            cell(ws.as_ref().map(|s| s.mean)),
        ]);
    }
    out.push(flow);
    out.push(weights);
    out
}

/// The methods sentences of `emulation`, with its references.
pub(crate) fn methods_sentences(
    spec: &Spec,
    report: &Report,
    t: &Texts,
    c: &mut Citations,
    out: &mut Vec<String>,
) {
    let Some(e) = emulation(report) else {
        return;
    };
    let w = emulation_words(t.lang);
    let covariates = if e.covariates.is_empty() {
        w.m_no_covariates.to_string()
    } else {
        format!(" ({})", join_list(&e.covariates, t))
    };
    let bootstrap = match &e.bootstrap {
        Some(b) => fill(
            w.m_bootstrap,
            &[
                ("replicates", &b.replicates.to_string()),
                ("seed", &b.seed.to_string()),
            ],
        ),
        None => w.m_no_bootstrap.to_string(),
    };
    let hernan = c.cite(Work::HernanRobins2016);
    let maringe = c.cite(Work::Maringe2020);
    let target = c.cite(Work::Target2025);
    out.push(fill(
        w.m_emulation,
        &[
            ("grace", &fmt_num(e.grace)),
            ("unit", unit_name(spec, t)),
            ("covariates", &covariates),
            ("c_hernan", &hernan),
            ("c_maringe", &maringe),
            ("c_target", &target),
            ("bootstrap", &bootstrap),
        ],
    ));
    out.push(match e.censoring_survival {
        CensoringSurvival::Exponential => w.m_exponential.to_string(),
        CensoringSurvival::ProductLimit => w.m_product_limit.to_string(),
    });
    let left_out = e.left_out_zero_probability.treat + e.left_out_zero_probability.control;
    if left_out > 0 {
        out.push(fill(w.m_left_out, &[("n", &left_out.to_string())]));
    }
    out.push(w.m_caution.to_string());
}

/// The results sentences: the difference at the last time within follow-up, the RMST difference.
pub(crate) fn result_sentences(report: &Report, spec: &Spec, t: &Texts, out: &mut Vec<String>) {
    let Some(e) = emulation(report) else {
        return;
    };
    let w = emulation_words(t.lang);
    let unit = unit_name(spec, t);
    if let Some(a) = e
        .at_times
        .iter()
        .rev()
        .find(|a| !a.beyond_follow_up && a.difference.is_some())
    {
        out.push(fill(
            w.r_difference,
            &[
                ("time", &fmt_num(a.time)),
                ("unit", unit),
                ("treat", &num(a.treat, 3)),
                ("control", &num(a.control, 3)),
                ("difference", &num(a.difference, 3)),
                ("ci", &ci(a.lower, a.upper, 3, t)),
            ],
        ));
    }
    if let Some(d) = &e.rmst_difference {
        out.push(fill(
            w.r_rmst,
            &[
                ("tau", &fmt_num(d.tau)),
                ("unit", unit),
                ("estimate", &num(Some(d.estimate), 2)),
                ("ci", &ci(d.lower, d.upper, 2, t)),
            ],
        ));
    }
}

/// The emulation's figures: the two strategies' curves with their bootstrap bands and
/// the flow of clones (the page's `emulation_curves` and `emulation_flow`).
pub(crate) fn figures(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(e) = emulation(input.report) else {
        return vec![];
    };
    let w = emulation_words(input.lang);
    let p = EmulationPlot::from(e);
    let km_opts = curves_options(
        &p,
        &KmPlotOptions {
            y_label: input.texts.km_y_label.to_string(),
            time_unit: input.unit_code.map(str::to_string),
            lang: input.lang,
            ..KmPlotOptions::default()
        },
    );
    let km = curves_km(&p, input.unit_code, input.lang);
    let corner = bands_note(&p, input.lang);
    let height = plot::km_figure_height(WIDTH, &km, &km_opts).round() as u32;
    let curves =
        plot::render_km_labelled_svg(&km, corner.as_deref(), &km_opts, WIDTH as u32, height).map(
            |svg| Figure {
                id: "figure-emulation-curves".into(),
                caption: w.fig_emulation_curves.to_string(),
                svg,
            },
        );
    let o = FigureOptions {
        title: Some(w.title_flow.to_string()),
        time_unit: input.unit_code.map(str::to_string),
        lang: input.lang,
        ..FigureOptions::default()
    };
    let _ = flow_figure_height(&p, &o, WIDTH);
    let flow = render_flow_svg(&p, &o, WIDTH as u32).map(|svg| Figure {
        id: "figure-emulation-flow".into(),
        caption: w.fig_emulation_flow.to_string(),
        svg,
    });
    vec![curves, flow]
}
