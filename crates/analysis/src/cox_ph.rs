//! `cox.ph_test`: the `cox.zph` test per spec column and globally, a plain-language
//! reading of each (an extension), and — when asked with `"residuals": true` — the
//! scaled Schoenfeld residuals with the smooth `plot.cox.zph` draws (an extension).
//!
//! # R equivalent
//! `zp <- cox.zph(fit, transform = "km")`: `zp$table`; residuals `zp$time`, `zp$x`,
//! `zp$y`; smooth as `plot(zp, df = 4, nsmo = 40)` (see [`survlens_stats::spline`]).
//! On (start, stop] rows (delayed entry, the time-dependent split) the same call on
//! `coxph(Surv(start, stop, event) ~ ...)` (the counting-process risk sets).

use super::cox_section::{Design, Test};
use super::spec::{PhTestSpec, PhTransformName};
pub use survlens_contract::cox::{
    PhResidualTerm, PhResiduals, PhSmooth, PhTerm, PhTest, PhVerdict,
};
use survlens_stats::cox::{self, CoxData, CoxFit, Ties, ZphOptions, ZphResult, ZphTransform};
use survlens_stats::spline;
use survlens_text::ph_reading;

/// Degrees of freedom and grid size of the smooth (`plot.cox.zph` defaults).
pub const SMOOTH_DF: usize = 4;
pub const SMOOTH_POINTS: usize = 40;

/// What the readings need to know about the spec.
pub struct ReadingContext<'a> {
    /// The group column and its reference label.
    pub group: Option<(&'a str, &'a str)>,
    /// Whether the report has an RMST comparison to point to.
    pub rmst: bool,
}

/// The `ph_test` section of a fitted model; `entry`: the starts of (start, stop] rows
/// (the fit is then `cox::fit_counting`'s).
pub fn ph_section(
    data: &CoxData,
    entry: Option<&[f64]>,
    fit: &CoxFit,
    ties: Ties,
    ph: PhTestSpec,
    design: &Design,
    ctx: &ReadingContext,
) -> PhTest {
    let _stage = survlens_timing::enter("ph_test");
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
    let opts = ZphOptions {
        ties,
        transform: zt,
        residuals: ph.residuals,
    };
    let res = match entry {
        Some(start) => cox::zph_counting(data, start, fit, opts, &term_cols),
        None => cox::zph_with(data, fit, ties, zt, &term_cols, ph.residuals),
    };
    let sound = fit.converged && !fit.maybe_infinite && !fit.infinite.iter().any(|&f| f);
    let terms = res
        .terms
        .iter()
        .enumerate()
        .filter_map(|(t, z)| {
            let z = z.as_ref()?;
            let p = Test::from(z.test).p;
            let column = &design.term_names[t];
            let group = ctx.group.is_some_and(|(g, _)| g == column);
            let why = ph_reading::unreadable(sound, z.test.chisq);
            let verdict = ph_reading::verdict(why, p, group);
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
    let why = ph_reading::unreadable(sound, global.chisq);
    let verdict = ph_reading::verdict(why, global.p, false);
    PhTest {
        transform: name.to_string(),
        terms,
        reading: ph_reading::global_reading(verdict),
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

/// The reading of term `t`: the levels of the group column are named by the design.
fn term_reading(design: &Design, t: usize, verdict: PhVerdict, ctx: &ReadingContext) -> String {
    let column = &design.term_names[t];
    let group = ctx
        .group
        .filter(|(g, _)| g == column)
        .map(|(g, reference)| {
            let prefix = format!("{g}=");
            let levels: Vec<&str> = (0..design.names.len())
                .filter(|&j| design.term_of[j] == t)
                .map(|j| {
                    design.names[j]
                        .strip_prefix(&prefix)
                        .unwrap_or(&design.names[j])
                })
                .collect();
            (reference, levels)
        });
    ph_reading::term_reading(
        column,
        verdict,
        group.as_ref().map(|(r, l)| (*r, l.as_slice())),
        ctx.rmst,
    )
}
