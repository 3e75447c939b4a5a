//! `cox.ph_test`: the `cox.zph` test per spec column and globally, a plain-language
//! reading of each (an extension), and — when asked with `"residuals": true` — the
//! scaled Schoenfeld residuals with the smooth `plot.cox.zph` draws (an extension).
//!
//! # R equivalent
//! `zp <- cox.zph(fit, transform = "km")`: `zp$table`; residuals `zp$time`, `zp$x`,
//! `zp$y`; smooth as `plot(zp, df = 4, nsmo = 40)` (see [`crate::stats::spline`]).

use super::cox_section::{Design, Test};
use super::spec::{PhTestSpec, PhTransformName};
use crate::messages::numbers::p_sentence;
use crate::stats::cox::{self, CoxData, CoxFit, Ties, ZphResult, ZphTransform};
use crate::stats::spline;
use serde::{Deserialize, Serialize};

/// Degrees of freedom and grid size of the smooth (`plot.cox.zph` defaults).
pub const SMOOTH_DF: usize = 4;
pub const SMOOTH_POINTS: usize = 40;
/// Level below which a reading says "not proportional".
const ALPHA: f64 = 0.05;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhTest {
    pub transform: String,
    pub terms: Vec<PhTerm>,
    pub global: Test,
    /// Extension: the global test in plain words.
    pub reading: String,
    /// Extension, only when asked: scaled Schoenfeld residuals and their smooths.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residuals: Option<PhResiduals>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhTerm {
    pub name: String,
    #[serde(deserialize_with = "super::cox_section::null_as_nan")]
    pub chisq: f64,
    pub df: usize,
    pub p: Option<f64>,
    /// Extension: the test in plain words (what it means for reading the HR).
    pub reading: String,
}

/// `cox.zph`'s `$time`, `$x` and `$y` with the `plot.cox.zph` smooth of each column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhResiduals {
    /// Event times (by stratum, then time).
    pub time: Vec<f64>,
    /// g(time) in the test's transform (`$x`).
    pub transformed_time: Vec<f64>,
    pub smooth_df: usize,
    pub terms: Vec<PhResidualTerm>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhResidualTerm {
    /// The spec column.
    pub name: String,
    /// Scaled Schoenfeld residuals (β(t) estimates), one per event; null where the
    /// column does not vary in the event's stratum.
    pub scaled: Vec<Option<f64>>,
    /// `null` when the spline fit is singular (as R skips the plot).
    pub smooth: Option<PhSmooth>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhSmooth {
    /// Grid on the transformed-time scale (`pred.x`).
    pub x: Vec<f64>,
    pub fit: Vec<f64>,
    /// fit ± 2 SE, as plot.cox.zph.
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

/// What the readings need to know about the spec.
pub struct ReadingContext<'a> {
    /// The group column and its reference label.
    pub group: Option<(&'a str, &'a str)>,
    /// Whether the report has an RMST comparison to point to.
    pub rmst: bool,
}

/// The `ph_test` section of a fitted model.
pub fn ph_section(
    data: &CoxData,
    fit: &CoxFit,
    ties: Ties,
    ph: PhTestSpec,
    design: &Design,
    ctx: &ReadingContext,
) -> PhTest {
    let _stage = crate::timing::enter("ph_test");
    let (zt, name) = match ph.transform {
        PhTransformName::Km => (ZphTransform::Km, "km"),
        PhTransformName::Rank => (ZphTransform::Rank, "rank"),
        PhTransformName::Identity => (ZphTransform::Identity, "identity"),
    };
    let term_cols: Vec<Vec<usize>> = (0..design.term_names.len())
        .map(|t| {
            (0..design.names.len())
                .filter(|&j| design.term_of[j] == t)
                .collect()
        })
        .collect();
    let res = cox::zph_with(data, fit, ties, zt, &term_cols, ph.residuals);
    let unreliable = not_readable(
        fit.converged && !fit.maybe_infinite && !fit.infinite.iter().any(|&f| f),
        res.global.chisq,
    );
    let terms = res
        .terms
        .iter()
        .enumerate()
        .filter_map(|(t, z)| {
            let z = z.as_ref()?;
            let p = Test::from(z.test).p;
            Some(PhTerm {
                name: design.term_names[t].clone(),
                chisq: z.test.chisq,
                df: z.test.df,
                p,
                reading: if unreliable {
                    UNRELIABLE_TERM.replace("{column}", &design.term_names[t])
                } else {
                    term_reading(design, t, p, ctx)
                },
            })
        })
        .collect();
    let global: Test = res.global.into();
    PhTest {
        transform: name.to_string(),
        terms,
        reading: if unreliable {
            UNRELIABLE_GLOBAL.to_string()
        } else {
            global_reading(global.p)
        },
        global,
        residuals: ph.residuals.then(|| residuals(&res, design)),
    }
}

fn residuals(res: &ZphResult, design: &Design) -> PhResiduals {
    let terms = res
        .terms
        .iter()
        .enumerate()
        .filter(|(_, z)| z.is_some())
        .map(|(t, _)| {
            let scaled = res.scaled.get(t).cloned().unwrap_or_default();
            let var = res.var.get(t).copied().flatten();
            let smooth = spline::zph_smooth(&res.x, &scaled, var, SMOOTH_DF, SMOOTH_POINTS)
                .and_then(|s| {
                    Some(PhSmooth {
                        x: s.x,
                        fit: s.fit,
                        lower: s.lower?,
                        upper: s.upper?,
                    })
                });
            PhResidualTerm {
                name: design.term_names[t].clone(),
                scaled,
                smooth,
            }
        })
        .collect();
    PhResiduals {
        time: res.time.clone(),
        transformed_time: res.x.clone(),
        smooth_df: SMOOTH_DF,
        terms,
    }
}

/// Reading of a term when the test cannot be read (see [`not_readable`]).
const UNRELIABLE_TERM: &str = "The proportional-hazards test of {column} cannot be read: the Cox model did not converge \
     or a coefficient may be infinite (see the warnings), so its statistics carry no evidence either way.";
/// Reading of the global test when it cannot be read.
pub const UNRELIABLE_GLOBAL: &str = "The global proportional-hazards test cannot be read: the Cox model did not converge or \
     a coefficient may be infinite (R's cox.zph stops on such a fit), so it carries no evidence either way; simplify the \
     model (fewer covariates, merge sparse levels) and look at the warnings.";

/// True when the readings must not interpret the test: the model did not converge or
/// has a possibly infinite coefficient (`sound` false), or the global statistic is
/// negative or not finite (a numerically singular information; cox.zph prints such
/// values, or stops with "system is computationally singular").
pub fn not_readable(sound: bool, global_chisq: f64) -> bool {
    !(sound && global_chisq.is_finite() && global_chisq >= 0.0)
}

fn term_reading(design: &Design, t: usize, p: Option<f64>, ctx: &ReadingContext) -> String {
    let column = &design.term_names[t];
    let Some(p) = p else {
        return format!("The proportional-hazards test of {column} could not be computed.");
    };
    let pt = p_sentence(Some(p));
    if p >= ALPHA {
        return format!("No evidence against proportional hazards for {column} ({pt}).");
    }
    match ctx.group.filter(|(g, _)| g == column) {
        Some((g, reference)) => {
            let prefix = format!("{g}=");
            let levels: Vec<&str> = (0..design.names.len())
                .filter(|&j| design.term_of[j] == t)
                .map(|j| design.names[j].strip_prefix(&prefix).unwrap_or(&design.names[j]))
                .collect();
            let next = if ctx.rmst {
                "read the RMST comparison"
            } else {
                "compare the Kaplan–Meier curves or restricted mean survival times (RMST) instead"
            };
            format!(
                "Hazards of {} vs {reference} are not proportional ({pt}): the hazard ratio averages an effect \
                 that changes over follow-up; {next}.",
                levels.join(" and ")
            )
        }
        None => format!(
            "The effect of {column} on the hazard changes over follow-up ({pt}): its hazard ratio is an average; \
             look at its residual plot, or stratify on it."
        ),
    }
}

fn global_reading(p: Option<f64>) -> String {
    match p {
        None => "The global proportional-hazards test could not be computed.".to_string(),
        Some(p) if p >= ALPHA => format!("Globally, no evidence against proportional hazards ({}).", p_sentence(Some(p))),
        Some(p) => format!(
            "Globally, the hazards are not proportional ({}): see which terms above, and read their hazard ratios \
             as averages over follow-up.",
            p_sentence(Some(p))
        ),
    }
}
