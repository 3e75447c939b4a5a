//! The results types of the `table1` section (docs/results.md#table1). Field order is
//! the JSON order; `None` serializes as `null` (R's `NA`).

use schemars::JsonSchema;
use serde::Serialize;
use survlens_stats::describe::NumericSummary;
use survlens_stats::group_tests::{ChisqTest, FTest};

/// `table1`: the described groups and one row per covariate.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Table1Section {
    pub groups: Vec<Table1Group>,
    pub rows: Vec<Table1Row>,
}

/// A described group: its label and number of described rows.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Table1Group {
    pub label: String,
    pub n: usize,
}

/// One covariate: numeric or categorical (the `type` field tells which).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Table1Row {
    Numeric(NumericRow),
    Categorical(CategoricalRow),
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct NumericRow {
    pub covariate: String,
    /// `"numeric"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub by_group: Vec<NumericGroup>,
    pub overall: NumericOverall,
    /// One-way ANOVA; `null` when it does not exist (fewer than two groups with values,
    /// no residual degrees of freedom, no within-group variation).
    pub test: Option<AnovaTest>,
    /// Kruskal–Wallis; `null` with fewer than two groups with values or all values tied.
    pub test_nonparametric: Option<KruskalTest>,
    pub smd: Vec<PairSmd>,
    /// Largest |SMD| among the defined ones; `null` when none is.
    pub max_abs_smd: Option<f64>,
}

/// Summary of one group's non-missing values (or, without `group`, of all described
/// rows); `missing` counts the rest.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct NumericGroup {
    /// The group's label; absent for the overall column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub n: usize,
    pub missing: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// [`NumericGroup`] over all described rows (no `group` field).
pub type NumericOverall = NumericGroup;

impl NumericGroup {
    /// Group `group`'s summary.
    pub fn new(group: String, s: &NumericSummary, missing: usize) -> Self {
        Self::of(Some(group), s, missing)
    }

    /// The summary of all described rows.
    pub fn overall(s: &NumericSummary, missing: usize) -> Self {
        Self::of(None, s, missing)
    }

    fn of(group: Option<String>, s: &NumericSummary, missing: usize) -> Self {
        NumericGroup {
            group,
            n: s.n,
            missing,
            mean: s.mean,
            sd: s.sd,
            median: s.median,
            q1: s.q1,
            q3: s.q3,
            min: s.min,
            max: s.max,
        }
    }
}

/// `{"method": "anova", "statistic": F, "df": [k − 1, n − k], "p": p}`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct AnovaTest {
    pub method: &'static str,
    pub statistic: f64,
    pub df: [usize; 2],
    pub p: f64,
}

impl From<FTest> for AnovaTest {
    fn from(t: FTest) -> Self {
        AnovaTest {
            method: "anova",
            statistic: t.statistic,
            df: [t.df1, t.df2],
            p: t.p,
        }
    }
}

/// `{"method": "kruskal", "statistic": H, "df": k − 1, "p": p}`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct KruskalTest {
    pub method: &'static str,
    pub statistic: f64,
    pub df: usize,
    pub p: f64,
}

impl From<ChisqTest> for KruskalTest {
    fn from(t: ChisqTest) -> Self {
        KruskalTest {
            method: "kruskal",
            statistic: t.statistic,
            df: t.df,
            p: t.p,
        }
    }
}

/// SMD of a numeric covariate for one pair (a later than b in group order).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PairSmd {
    pub a: String,
    pub b: String,
    pub smd: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CategoricalRow {
    pub covariate: String,
    /// `"categorical"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Reference level first, then order of first appearance.
    pub levels: Vec<LevelRow>,
    pub missing: Vec<GroupMissing>,
    /// Described rows lacking the covariate, all groups together (the Overall column's
    /// missing count, as `overall.missing` of a numeric row).
    pub missing_overall: usize,
    /// Chi-square or Fisher; `null` when the table without empty levels and groups has
    /// fewer than two rows or columns.
    pub test: Option<CategoricalTest>,
    /// One entry per level (reference included) per pair: pairs ordered by b then a,
    /// levels in level order within a pair.
    pub smd: Vec<LevelSmd>,
    pub max_abs_smd: Option<f64>,
}

/// Counts of one level: per group, and overall; percents of the non-missing values.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LevelRow {
    pub level: String,
    pub by_group: Vec<LevelCount>,
    pub overall: LevelOverall,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LevelCount {
    pub group: String,
    pub n: usize,
    /// `null` when the group has no non-missing value.
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LevelOverall {
    pub n: usize,
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct GroupMissing {
    pub group: String,
    pub n: usize,
}

/// The test of a categorical row, tagged by `method`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum CategoricalTest {
    /// `chisq.test(correct = FALSE)`.
    Chisq { statistic: f64, df: usize, p: f64 },
    /// `fisher.test` (2×2 with an expected count < 5).
    Fisher { p: f64 },
}

/// SMD of one level's indicator for one pair.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LevelSmd {
    pub a: String,
    pub b: String,
    pub level: String,
    pub smd: Option<f64>,
}
