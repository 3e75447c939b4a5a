//! Integration tests of the analysis sections (`survlens::analysis`), one binary: the R
//! reference cases end to end, random cohorts against R, complete cases, immortal time,
//! propensity weighting, Table 1, the Cox section, determinism and the memory paths. Run
//! one module with `cargo test --test analysis reference`.

#[path = "../common/mod.rs"]
mod common;
#[path = "../rscript_support/mod.rs"]
mod rscript_support;

mod competing;
mod complete_cases;
mod cox_many_levels;
mod cox_rows;
mod cox_section;
mod demo_cohort;
mod determinism;
mod emulation;
mod follow_up;
mod immortal;
mod imputation;
mod imputation_chained;
mod matching;
mod memory_paths;
mod periods;
mod ph_readings;
mod propensity;
mod random_vs_r;
mod reference;
mod subgroups;
mod table1;
mod units;
