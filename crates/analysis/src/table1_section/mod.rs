//! The `table1` section (docs/results.md#table1): baseline characteristics by group.
//!
//! Who is described: every row with a usable time, event and group (not negative, not
//! missing, group among the levels). A missing covariate does not leave a row out; it
//! counts in that covariate's `missing`. `strata`, `weights` and `cluster` play no part
//! in who is described (they are not baseline characteristics and do not make a row's
//! follow-up unusable).
//!
//! Group order: the analysis' groups (the report's `groups`), then any group that only
//! the described rows have (possible without `levels` when every row of a group lacks a
//! covariate), in order of first appearance.
//!
//! Covariates: `"table1": {}` describes the spec's `covariates`; `{"covariates": [...]}`
//! names columns, read as the spec's covariate of that column when it has one (type,
//! reference), else detected. Types, references and level order follow ingest's rules
//! on the non-missing values of the described rows.
//!
//! Tests (R's `NA` → `null`): numeric rows get one-way ANOVA and Kruskal–Wallis over the
//! groups with values; categorical rows Pearson's chi-square without continuity
//! correction over the non-empty levels and groups, or Fisher's exact test when that
//! table is 2×2 with an expected count < 5. SMDs: [`survlens_stats::smd`].

use crate::error::Error;
use crate::Spec;
pub use survlens_contract::spec::Table1Spec;
pub use survlens_contract::table1::*;
use survlens_ingest::{self as ingest, Cohort, CovariateValues, DescribedCovariate, RawTable};
use survlens_stats::{describe::NumericSummary, group_tests, smd};

/// Build the `table1` section from the table over the rows of `data` (the survival
/// data: its groups, in its order, are the table's).
///
/// Errors: those of ingest on the described rows (unknown column, a non-number in a
/// numeric covariate, an unknown reference level, an event token not understood).
///
/// # R equivalent
/// Per covariate, x its non-missing values and g their groups: `mean`, `sd`,
/// `quantile(type = 7)`, `min`, `max` by group and overall; `anova(lm(x ~ g))`,
/// `kruskal.test(x, g)`; `chisq.test(table(x, g), correct = FALSE)` or `fisher.test`;
/// SMDs as [`survlens_stats::smd`] (tests/r/make_reference_table1.R).
pub fn build(
    table: &RawTable,
    spec: &Spec,
    t1: &Table1Spec,
    data: &Cohort,
) -> Result<Table1Section, Error> {
    // The described rows are the data's rows (usable time, event, group, strata,
    // weights, cluster): a missing covariate counts in its own row's `missing` only.
    let labels: Vec<String> = data.group_labels.clone();
    let group: Vec<usize> = data.group.iter().map(|&g| g as usize).collect();
    let covariates = ingest::read_described_covariates(
        table,
        &data.line,
        &t1.covariate_maps(spec),
        &spec.missing,
    )?;
    let layout = Layout { labels, group };
    let rows = covariates.iter().map(|c| layout.row(c)).collect();
    Ok(Table1Section {
        groups: layout
            .labels
            .iter()
            .enumerate()
            .map(|(g, label)| Table1Group {
                label: label.clone(),
                n: layout.group.iter().filter(|&&x| x == g).count(),
            })
            .collect(),
        rows,
    })
}

/// The described rows' groups.
struct Layout {
    labels: Vec<String>,
    /// Group index (into `labels`) of every described row.
    group: Vec<usize>,
}

impl Layout {
    fn k(&self) -> usize {
        self.labels.len()
    }

    fn label(&self, g: usize) -> String {
        self.labels.get(g).cloned().unwrap_or_default()
    }

    /// Group of each present row, in the order of the covariate's values.
    fn present_groups(&self, c: &DescribedCovariate) -> Vec<usize> {
        self.group
            .iter()
            .zip(&c.present)
            .filter(|(_, &p)| p)
            .map(|(&g, _)| g)
            .collect()
    }

    /// Rows per group that lack the covariate.
    fn missing(&self, c: &DescribedCovariate) -> Vec<usize> {
        let mut m = vec![0; self.k()];
        for (&g, &p) in self.group.iter().zip(&c.present) {
            if let (false, Some(slot)) = (p, m.get_mut(g)) {
                *slot += 1;
            }
        }
        m
    }

    fn row(&self, c: &DescribedCovariate) -> Table1Row {
        let groups = self.present_groups(c);
        let missing = self.missing(c);
        match &c.values {
            CovariateValues::Numeric(x) => {
                Table1Row::Numeric(self.numeric(c, x, &groups, &missing))
            }
            CovariateValues::Categorical { codes, levels } => {
                Table1Row::Categorical(self.categorical(c, codes, levels, &groups, &missing))
            }
        }
    }

    fn numeric(
        &self,
        c: &DescribedCovariate,
        x: &[f64],
        groups: &[usize],
        missing: &[usize],
    ) -> NumericRow {
        let mut by: Vec<Vec<f64>> = vec![Vec::new(); self.k()];
        for (&v, &g) in x.iter().zip(groups) {
            if let Some(slot) = by.get_mut(g) {
                slot.push(v);
            }
        }
        let slices: Vec<&[f64]> = by.iter().map(Vec::as_slice).collect();
        let summaries: Vec<NumericSummary> = by.iter().map(|v| NumericSummary::of(v)).collect();
        let s = smd::pooled_sd(&slices);
        let smd: Vec<PairSmd> = smd::pairs(self.k())
            .into_iter()
            .map(|(a, b)| PairSmd {
                a: self.label(a),
                b: self.label(b),
                smd: smd::smd(
                    summaries.get(a).and_then(|s| s.mean),
                    summaries.get(b).and_then(|s| s.mean),
                    s,
                ),
            })
            .collect();
        NumericRow {
            covariate: c.column.clone(),
            kind: "numeric",
            by_group: summaries
                .iter()
                .enumerate()
                .map(|(g, s)| {
                    NumericGroup::new(self.label(g), s, missing.get(g).copied().unwrap_or(0))
                })
                .collect(),
            overall: NumericOverall::overall(&NumericSummary::of(x), missing.iter().sum()),
            test: group_tests::one_way_anova(&slices).map(AnovaTest::from),
            test_nonparametric: group_tests::kruskal_wallis(&slices).map(KruskalTest::from),
            max_abs_smd: smd::max_abs(smd.iter().map(|e| e.smd)),
            smd,
        }
    }

    fn categorical(
        &self,
        c: &DescribedCovariate,
        codes: &[u32],
        levels: &[String],
        groups: &[usize],
        missing: &[usize],
    ) -> CategoricalRow {
        // counts[level][group]
        let mut counts = vec![vec![0usize; self.k()]; levels.len()];
        for (&l, &g) in codes.iter().zip(groups) {
            if let Some(slot) = counts.get_mut(l as usize).and_then(|r| r.get_mut(g)) {
                *slot += 1;
            }
        }
        let n: Vec<usize> = (0..self.k())
            .map(|g| counts.iter().map(|r| r.get(g).copied().unwrap_or(0)).sum())
            .collect();
        let total: usize = n.iter().sum();
        let level_rows = levels
            .iter()
            .zip(&counts)
            .map(|(level, row)| LevelRow {
                level: level.clone(),
                by_group: row
                    .iter()
                    .enumerate()
                    .map(|(g, &count)| LevelCount {
                        group: self.label(g),
                        n: count,
                        percent: percent(count, n.get(g).copied().unwrap_or(0)),
                    })
                    .collect(),
                overall: LevelOverall {
                    n: row.iter().sum(),
                    percent: percent(row.iter().sum(), total),
                },
            })
            .collect();
        let smd_entries = self.level_smds(levels, &counts, &n);
        CategoricalRow {
            covariate: c.column.clone(),
            kind: "categorical",
            levels: level_rows,
            missing: missing
                .iter()
                .enumerate()
                .map(|(g, &m)| GroupMissing {
                    group: self.label(g),
                    n: m,
                })
                .collect(),
            missing_overall: missing.iter().sum(),
            test: categorical_test(&counts),
            max_abs_smd: smd::max_abs(smd_entries.iter().map(|e| e.smd)),
            smd: smd_entries,
        }
    }

    /// SMD of every level's 0/1 indicator for every pair (pair-major, levels in order).
    fn level_smds(&self, levels: &[String], counts: &[Vec<usize>], n: &[usize]) -> Vec<LevelSmd> {
        let pooled: Vec<Option<f64>> = counts
            .iter()
            .map(|row| smd::pooled_sd_indicator(row, n))
            .collect();
        let mut out = Vec::with_capacity(levels.len() * self.k() * self.k() / 2);
        for (a, b) in smd::pairs(self.k()) {
            for ((level, row), s) in levels.iter().zip(counts).zip(&pooled) {
                let share = |g: usize| {
                    let m = n.get(g).copied().unwrap_or(0);
                    (m > 0).then(|| row.get(g).copied().unwrap_or(0) as f64 / m as f64)
                };
                out.push(LevelSmd {
                    a: self.label(a),
                    b: self.label(b),
                    level: level.clone(),
                    smd: smd::smd(share(a), share(b), *s),
                });
            }
        }
        out
    }
}

/// 100·count/n; `None` when n = 0.
fn percent(count: usize, n: usize) -> Option<f64> {
    (n > 0).then(|| 100.0 * count as f64 / n as f64)
}

/// Chi-square on the table without empty levels and groups; Fisher when that table is
/// 2×2 with an expected count below 5 (docs/methods.md#table1).
fn categorical_test(counts: &[Vec<usize>]) -> Option<CategoricalTest> {
    let table: Vec<Vec<f64>> = counts
        .iter()
        .map(|r| r.iter().map(|&v| v as f64).collect())
        .collect();
    let table = group_tests::drop_empty(&table);
    let is_2x2 = table.len() == 2 && table.iter().all(|r| r.len() == 2);
    if is_2x2 {
        let small = group_tests::expected_counts(&table)
            .iter()
            .flatten()
            .any(|&e| e < 5.0);
        if small {
            let cell = |i: usize, j: usize| {
                table.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0) as u64
            };
            return Some(CategoricalTest::Fisher {
                p: group_tests::fisher_exact_2x2(cell(0, 0), cell(0, 1), cell(1, 0), cell(1, 1)),
            });
        }
    }
    group_tests::pearson_chisq(&table).map(|t| CategoricalTest::Chisq {
        statistic: t.statistic,
        df: t.df,
        p: t.p,
    })
}
