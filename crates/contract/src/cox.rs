//! Results `cox`: the Cox model's terms, tests, concordance and its proportional-hazards test (docs/results.md).

use crate::report::MissingCovariates;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use survlens_stats::cox::{self, CoxFit};

/// `cox` of the results document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CoxSection {
    pub n: usize,
    pub n_events: usize,
    pub ties: String,
    pub terms: Vec<CoxTerm>,
    pub loglik: CoxLoglik,
    pub tests: CoxTests,
    pub concordance: Option<CoxConcordance>,
    pub iterations: usize,
    pub converged: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ph_test: Option<PhTest>,
    /// Rows of the data left out of the model for a missing covariate.
    #[serde(default)]
    pub missing_covariates: MissingCovariates,
    /// Extension (`cox.univariable: true`): one model per spec column, same rows and options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub univariable: Option<Vec<crate::cox::UnivariableFit>>,
    /// `cox.periods` (spec `cox.periods`): the group terms within each period of follow-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods: Option<Vec<crate::periods::CoxPeriod>>,
    /// `cox.periods_test`: one constant group effect against the period effects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods_test: Option<crate::periods::PeriodsTest>,
}

/// One coefficient. All numbers are `null` for an aliased column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CoxTerm {
    pub name: String,
    pub coef: Option<f64>,
    pub se: Option<f64>,
    pub robust_se: Option<f64>,
    pub hr: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub z: Option<f64>,
    pub p: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CoxLoglik {
    pub null: f64,
    pub fit: f64,
}

/// A chi-square test; `p` is `null` when df = 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Test {
    #[serde(deserialize_with = "null_as_nan")]
    pub chisq: f64,
    pub df: usize,
    pub p: Option<f64>,
}

/// Reads a number that serde_json wrote as `null` (NaN) back as NaN.
pub(crate) fn null_as_nan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

impl From<cox::ChisqTest> for Test {
    fn from(t: cox::ChisqTest) -> Self {
        Test {
            chisq: t.chisq,
            df: t.df,
            p: if t.df == 0 || !t.p.is_finite() {
                None
            } else {
                Some(t.p)
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CoxTests {
    pub lr: Test,
    pub wald: Test,
    pub score: Test,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub robust_score: Option<Test>,
}

impl CoxTests {
    /// The LR, Wald and score (and robust score) tests of a fit.
    pub fn of(fit: &CoxFit) -> Self {
        CoxTests {
            lr: fit.lr_test.into(),
            wald: fit.wald_test.into(),
            score: fit.score_test.into(),
            robust_score: fit.robust_score_test.map(Test::from),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CoxConcordance {
    pub estimate: f64,
    pub se: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    /// not in the JSON: `survlens_text::ph_reading::reread` restores it from a results
    /// document).
    #[serde(skip)]
    pub verdict: PhVerdict,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PhTerm {
    pub name: String,
    #[serde(deserialize_with = "crate::cox::null_as_nan")]
    pub chisq: f64,
    pub df: usize,
    pub p: Option<f64>,
    /// Extension: the test in plain words (what it means for reading the HR).
    pub reading: String,
    /// What the test says, decided once (see [`PhTest::verdict`]).
    #[serde(skip)]
    pub verdict: PhVerdict,
}

/// What a proportional-hazards test says, decided once by
/// `survlens_text::ph_reading::verdict` (at the level `ALPHA` there).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum PhVerdict {
    /// The model did not converge or a coefficient may be infinite: no evidence either
    /// way.
    #[default]
    NotReadable,
    /// The model is sound but the statistic is negative or not a number: the test's
    /// information matrix is numerically singular (R's `solve` stops on it). No
    /// evidence either way.
    Singular,
    /// No p-value (df 0).
    NotComputed,
    /// p ≥ the level: no evidence against proportional hazards.
    NoEvidence { p: f64 },
    /// p < the level: the hazards are not proportional; `group`: the term is the
    /// spec's group column (the reading then points to the curves or RMST).
    NotProportional { p: f64, group: bool },
}

/// `cox.zph`'s `$time`, `$x` and `$y` with the `plot.cox.zph` smooth of each column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PhResiduals {
    /// Event times (by stratum, then time).
    pub time: Vec<f64>,
    /// g(time) in the test's transform (`$x`).
    pub transformed_time: Vec<f64>,
    pub smooth_df: usize,
    pub terms: Vec<PhResidualTerm>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PhResidualTerm {
    /// The spec column.
    pub name: String,
    /// Scaled Schoenfeld residuals (β(t) estimates), one per event; null where the
    /// column does not vary in the event's stratum.
    pub scaled: Vec<Option<f64>>,
    /// `null` when the spline fit is singular (as R skips the plot).
    pub smooth: Option<PhSmooth>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PhSmooth {
    /// Grid on the transformed-time scale (`pred.x`).
    pub x: Vec<f64>,
    pub fit: Vec<f64>,
    /// fit ± 2 SE, as plot.cox.zph.
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

/// One univariable model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UnivariableFit {
    /// The spec column (group or covariate).
    pub column: String,
    /// Its terms, shaped as `cox.terms`.
    pub terms: Vec<CoxTerm>,
    pub n: usize,
    pub n_events: usize,
    pub tests: CoxTests,
    pub converged: bool,
}
