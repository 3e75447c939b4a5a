//! The `imputation` section (docs/results.md#imputation): the Cox model, the RMST
//! differences and the confounding step (propensity model refitted, then the adjusted
//! Cox model and RMST differences) run on every imputed set, then pooled by Rubin's
//! rules with Barnard–Rubin degrees of freedom ([`survlens_stats::pooling`]).
//!
//! One job per module:
//! * [`imported`]: a file that stacks imputed sets (spec `imputed`) → the data of the
//!   other sections (set 0) and the rows of each imputed set;
//! * [`chained`]: SurvLens imputes (spec `m`, `iterations`, `seed`) → one cohort per set,
//!   and [`diagnostics`]: its observed vs imputed values;
//! * [`references`]: the spec each set is analysed with (categorical references fixed
//!   over the sets, only what is pooled);
//! * [`per_set`]: the estimates and variances of one set, from the existing sections;
//! * [`pool`]: Rubin's rules over the sets, into the contract's types.
//!
//! # R equivalent
//! ```r
//! fits <- with(imp, coxph(Surv(time, status) ~ group + covariates))   # or lapply over the sets
//! summary(pool(fits), conf.int = TRUE)          # dfcom = events − coefficients (mice's coxph rule)
//! pool.scalar(rmst_diff, rmst_se^2)             # RMST differences: dfcom = ∞
//! ```

mod chained;
mod diagnostics;
mod imported;
mod per_set;
mod pool;
mod references;

pub(crate) use imported::{split_imported, ImportedSets};

use crate::bootstrap::Progress;
use crate::error::Error;
use crate::spec::Spec;
use survlens_contract::imputation::ImputationSection;
use survlens_contract::warning::Warning;
use survlens_ingest::Cohort;
use survlens_timing as timing;

/// Where the sets come from.
enum Sets<'a> {
    Imported(Box<ImportedSets>),
    Chained(chained::Chain<'a>, diagnostics::Diagnostics),
}

/// The section, `None` when the spec does not ask for it. `data` is the cohort of the
/// other sections; `imported` the sets read from the file (spec `imputed`), else the
/// sets are imputed here, one at a time. Each set is made, analysed and dropped before
/// the next. `progress(done, total)` after each imputation cycle and each analysed set
/// (total = m × (iterations + 1) when SurvLens imputes, else m).
pub(crate) fn imputation_section(
    data: &Cohort,
    imported: Option<ImportedSets>,
    spec: &Spec,
    warnings: &mut Vec<Warning>,
    progress: Progress,
) -> Result<Option<ImputationSection>, Error> {
    let Some(imp) = &spec.imputation else {
        return Ok(None);
    };
    let _stage = timing::enter("imputation");
    let mut sets = match (imported, &imp.imputed) {
        (Some(sets), _) => Sets::Imported(Box::new(sets)),
        (None, Some(_)) => {
            return Err(Error::Spec(crate::SpecError::invalid_zh(
                "imputation.imputed",
                "names a column of imputed sets, which only a data file has (the analysis was given a cohort); run it on the file",
                "指定了插补数据集列，但只有数据文件才有该列（此次分析给的是队列）；请在文件上运行",
            )))
        }
        (None, None) => Sets::Chained(chained::Chain::new(data, imp), diagnostics::Diagnostics::new(data)),
    };
    let (m, numbers, cycles) = match &sets {
        Sets::Imported(s) => (s.len(), s.numbers.clone(), 0),
        Sets::Chained(c, _) => (c.opts.m, (1..=c.opts.m as u32).collect(), c.opts.iterations),
    };
    let set_spec = references::per_set_spec(data, spec);
    let total = m * (cycles + 1);
    let mut results = Vec::with_capacity(m);
    let mut n = 0;
    for k in 0..m {
        let before = k * (cycles + 1);
        let set = match &mut sets {
            Sets::Imported(s) => s.set(k),
            Sets::Chained(chain, diag) => {
                let set = timing::stage("impute", || {
                    chain.set(k, &mut |d| progress(before + d, total))
                })?;
                diag.add(&set);
                set
            }
        };
        n = set.time.len();
        results.push(timing::stage("set", || per_set::analyse(&set, &set_spec)));
        progress(before + cycles + 1, total);
    }
    let pooled = pool::pool_sets(&results, &numbers, &set_spec, warnings);
    let (iterations, seed, n_imputed, diagnostics) = match sets {
        Sets::Imported(_) => (None, None, None, None),
        Sets::Chained(chain, diag) => (
            Some(chain.opts.iterations),
            Some(chain.opts.seed),
            Some(chain.n_imputed()),
            Some(diag.finish()),
        ),
    };
    Ok(Some(ImputationSection {
        m,
        iterations,
        seed,
        n_imputed,
        n,
        cox: pooled.cox,
        rmst_difference: pooled.rmst_difference,
        adjusted: pooled.adjusted,
        diagnostics,
    }))
}
