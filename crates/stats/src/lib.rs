//! The statistics core: numbers in, fits out.
//!
//! Pure arithmetic on validated data. No I/O, no JSON, no wasm, no plotting.
//! Inputs are sorted by time ascending (the caller sorts once per analysis);
//! ties are exact after [`surv::timefix`] (R's `aeqSurv`).

pub mod balance;
pub mod beta;
pub mod competing;
pub mod counting;
pub mod cox;
pub mod describe;
pub mod dist;
pub mod emulation;
pub mod evalue;
pub mod group_tests;
pub mod imputation;
pub mod km;
pub mod lanes;
pub mod linalg;
pub mod logistic;
pub mod logrank;
pub mod logrank_entry;
pub mod matching;
pub mod math;
pub mod meta;
pub mod order;
pub mod padjust;
pub mod pooling;
pub mod rmst;
pub mod rng;
pub mod smd;
pub mod spline;
pub mod student_t;
pub mod surv;
pub mod vexp;
pub mod weights;

/// Type of pointwise confidence interval for S(t) (survfit's `conf.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConfType {
    /// CI on log S: S·exp(±z·se) (R's default).
    #[default]
    Log,
    /// CI on log(−log S).
    LogLog,
    /// CI on S itself, clipped to [0, 1].
    Plain,
}
