//! `cox.ph_test`: the `cox.zph` test per spec column and globally, a plain-language
//! reading of each (an extension), and — when asked with `"residuals": true` — the
//! scaled Schoenfeld residuals with the smooth `plot.cox.zph` draws (an extension).
//!
//! # R equivalent
//! `zp <- cox.zph(fit, transform = "km")`: `zp$table`; residuals `zp$time`, `zp$x`,
//! `zp$y`; smooth as `plot(zp, df = 4, nsmo = 40)` (see [`crate::stats::spline`]).

use super::cox_section::{Design, Test};
use super::spec::{PhTestSpec, PhTransformName};
use crate::stats::cox::{self, CoxData, CoxFit, Ties, ZphResult, ZphTransform};
use crate::stats::spline;
use serde::{Deserialize, Serialize};

/// Degrees of freedom and grid size of the smooth (`plot.cox.zph` defaults).
pub const SMOOTH_DF: usize = 4;
pub const SMOOTH_POINTS: usize = 40;
/// Level below which a reading says "not proportional".
pub const ALPHA: f64 = 0.05;

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
    /// What the global test says, decided once (every language's reading follows it;
    /// not in the JSON: [`PhTest::reread`] restores it from a results document).
    #[serde(skip)]
    pub verdict: PhVerdict,
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
    /// What the test says, decided once (see [`PhTest::verdict`]).
    #[serde(skip)]
    pub verdict: PhVerdict,
}

/// What a proportional-hazards test says, decided by [`verdict`] (level [`ALPHA`]).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum PhVerdict {
    /// The model did not converge, a coefficient may be infinite, or the global
    /// statistic is not usable ([`not_readable`]): no evidence either way.
    #[default]
    NotReadable,
    /// No p-value (df 0).
    NotComputed,
    /// p ≥ [`ALPHA`]: no evidence against proportional hazards.
    NoEvidence { p: f64 },
    /// p < [`ALPHA`]: the hazards are not proportional; `group`: the term is the
    /// spec's group column (the reading then points to the curves or RMST).
    NotProportional { p: f64, group: bool },
}

/// The verdict of one test: `unreliable` from [`not_readable`], `p` its p-value,
/// `group` whether the term is the spec's group column.
pub fn verdict(unreliable: bool, p: Option<f64>, group: bool) -> PhVerdict {
    match p {
        _ if unreliable => PhVerdict::NotReadable,
        None => PhVerdict::NotComputed,
        Some(p) if p >= ALPHA => PhVerdict::NoEvidence { p },
        Some(p) => PhVerdict::NotProportional { p, group },
    }
}

impl PhTest {
    /// Restores the verdicts of a test read back from a results document (the page's
    /// copy of the Report), where they are not stored: the English global reading says
    /// whether the analysis found the test unreadable; `converged` is `cox.converged`;
    /// `group` the spec's group column.
    pub fn reread(&mut self, converged: bool, group: Option<&str>) {
        let unreliable =
            self.reading == UNRELIABLE_GLOBAL || not_readable(converged, self.global.chisq);
        for t in &mut self.terms {
            t.verdict = verdict(unreliable, t.p, group == Some(t.name.as_str()));
        }
        self.verdict = verdict(unreliable, self.global.p, false);
    }
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
            let column = &design.term_names[t];
            let group = ctx.group.is_some_and(|(g, _)| g == column);
            let verdict = verdict(unreliable, p, group);
            Some(PhTerm {
                name: column.clone(),
                chisq: z.test.chisq,
                df: z.test.df,
                p,
                reading: term_reading(design, t, verdict, ctx),
                verdict,
            })
        })
        .collect();
    let global: Test = res.global.into();
    let verdict = verdict(unreliable, global.p, false);
    PhTest {
        transform: name.to_string(),
        terms,
        reading: global_reading(verdict),
        global,
        residuals: ph.residuals.then(|| residuals(&res, design)),
        verdict,
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

/// A p-value for a sentence: "p < 0.001", "p = 0.0037", "p = 0.43". Two significant
/// digits below 0.1, unless rounding would cross 0.05 (then three).
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        return "p < 0.001".to_string();
    }
    if p >= 0.1 {
        return format!("p = {p:.2}");
    }
    let exponent = if p < 0.01 { 3 } else { 2 }; // −floor(log10 p) on [0.001, 0.1)
    let decimals = |sig: usize| sig - 1 + exponent;
    let two = format!("{p:.*}", decimals(2));
    let crosses = two.parse::<f64>().is_ok_and(|r| (r < ALPHA) != (p < ALPHA));
    if crosses {
        format!("p = {p:.*}", decimals(3))
    } else {
        format!("p = {two}")
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

fn term_reading(design: &Design, t: usize, verdict: PhVerdict, ctx: &ReadingContext) -> String {
    let column = &design.term_names[t];
    let (p, group) = match verdict {
        PhVerdict::NotReadable => return UNRELIABLE_TERM.replace("{column}", column),
        PhVerdict::NotComputed => {
            return format!("The proportional-hazards test of {column} could not be computed.")
        }
        PhVerdict::NoEvidence { p } => {
            return format!(
                "No evidence against proportional hazards for {column} ({}).",
                p_text(p)
            )
        }
        PhVerdict::NotProportional { p, group } => (p, group),
    };
    let pt = p_text(p);
    match ctx.group.filter(|_| group) {
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

fn global_reading(verdict: PhVerdict) -> String {
    match verdict {
        PhVerdict::NotReadable => UNRELIABLE_GLOBAL.to_string(),
        PhVerdict::NotComputed => "The global proportional-hazards test could not be computed.".to_string(),
        PhVerdict::NoEvidence { p } => format!("Globally, no evidence against proportional hazards ({}).", p_text(p)),
        PhVerdict::NotProportional { p, .. } => format!(
            "Globally, the hazards are not proportional ({}): see which terms above, and read their hazard ratios \
             as averages over follow-up.",
            p_text(p)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{p_text, verdict, PhTerm, PhTest, PhVerdict, Test, UNRELIABLE_GLOBAL};

    #[test]
    fn verdicts_at_the_level() {
        assert_eq!(verdict(true, Some(0.001), true), PhVerdict::NotReadable);
        assert_eq!(verdict(false, None, false), PhVerdict::NotComputed);
        assert_eq!(
            verdict(false, Some(0.05), true),
            PhVerdict::NoEvidence { p: 0.05 }
        );
        assert_eq!(
            verdict(false, Some(0.0499), true),
            PhVerdict::NotProportional {
                p: 0.0499,
                group: true
            }
        );
    }

    /// A test read back from JSON gets the analysis's verdicts: unreadable when the
    /// English reading said so or the fit did not converge, else by its p-values.
    #[test]
    fn reread_restores_the_verdicts() {
        let term = |name: &str, p| PhTerm {
            name: name.into(),
            chisq: 1.0,
            df: 1,
            p: Some(p),
            reading: String::new(),
            verdict: PhVerdict::default(),
        };
        let mut ph = PhTest {
            transform: "km".into(),
            terms: vec![term("arm", 0.01), term("age", 0.3)],
            global: Test {
                chisq: 5.0,
                df: 2,
                p: Some(0.04),
            },
            reading: String::new(),
            residuals: None,
            verdict: PhVerdict::default(),
        };
        ph.reread(true, Some("arm"));
        assert_eq!(
            ph.terms[0].verdict,
            PhVerdict::NotProportional {
                p: 0.01,
                group: true
            }
        );
        assert_eq!(ph.terms[1].verdict, PhVerdict::NoEvidence { p: 0.3 });
        assert_eq!(
            ph.verdict,
            PhVerdict::NotProportional {
                p: 0.04,
                group: false
            }
        );
        ph.reread(false, Some("arm"));
        assert_eq!(ph.terms[1].verdict, PhVerdict::NotReadable);
        ph.reading = UNRELIABLE_GLOBAL.to_string();
        ph.reread(true, Some("arm"));
        assert_eq!(ph.verdict, PhVerdict::NotReadable);
    }

    #[test]
    fn p_values_in_words() {
        assert_eq!(p_text(0.4321), "p = 0.43");
        assert_eq!(p_text(0.0123), "p = 0.012");
        assert_eq!(p_text(0.00371), "p = 0.0037");
        assert_eq!(p_text(0.0004), "p < 0.001");
        assert_eq!(
            p_text(0.0496),
            "p = 0.0496",
            "0.050 would read as not significant"
        );
        assert_eq!(p_text(0.0504), "p = 0.050");
        assert_eq!(p_text(0.1), "p = 0.10");
    }
}
