//! The one entry point of an analysis: a spec, an input, optionally a progress callback,
//! then `run`. The CLI, the wasm module, the tests, benches and examples all call it, so
//! every path gives the same bytes of results for the same input.
//!
//! ```
//! use survlens_analysis::Analysis;
//! let csv = b"time,status\n1,1\n2,0\n3,1\n";
//! let spec = r#"{"time": {"column": "time"},
//!               "event": {"column": "status", "values": ["1"]}, "km": {}}"#;
//! let report = Analysis::from_json(spec).run(&csv[..]).expect("runs");
//! assert_eq!(report.data.n_used, 3);
//! ```

use super::bootstrap::Progress;
use super::{Report, Spec};
use crate::error::Error;
use crate::timing;
use std::borrow::Cow;
use survlens_ingest::Cohort;

/// What an analysis reads.
#[derive(Debug)]
pub enum Input<'a> {
    /// The bytes of a CSV, TSV or `.xlsx` file (the page's path: the bytes stay with
    /// the caller).
    Bytes(&'a [u8]),
    /// The bytes of a file, taken: freed as soon as the table is read, so they never sit
    /// beside the cohort and the models (the CLI's path; at a million rows the file is
    /// ~50 MB of the peak otherwise).
    Owned(Vec<u8>),
    /// A cohort already built with the spec's mapping; its warnings open the Report's.
    /// There is no table behind it, so `table1` and the treatment times (which read the
    /// table) are left out, and the spec is taken as it is (not validated again).
    Cohort(&'a Cohort),
}

impl<'a> From<&'a [u8]> for Input<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Input::Bytes(bytes)
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for Input<'a> {
    fn from(bytes: &'a [u8; N]) -> Self {
        Input::Bytes(bytes)
    }
}

impl<'a> From<&'a Vec<u8>> for Input<'a> {
    fn from(bytes: &'a Vec<u8>) -> Self {
        Input::Bytes(bytes)
    }
}

impl From<Vec<u8>> for Input<'_> {
    fn from(bytes: Vec<u8>) -> Self {
        Input::Owned(bytes)
    }
}

impl<'a> From<&'a Cohort> for Input<'a> {
    fn from(cohort: &'a Cohort) -> Self {
        Input::Cohort(cohort)
    }
}

/// An analysis to run: the spec (parsed, or JSON text parsed here) and the progress
/// callback of long steps; [`Analysis::run`] takes the input and gives the Report.
pub struct Analysis<'a> {
    /// The spec, or why its JSON text is not one (reported by `run`).
    spec: Result<Cow<'a, Spec>, Error>,
    progress: Option<Progress<'a>>,
    plan: Option<&'a crate::units::Plan>,
}

impl<'a> Analysis<'a> {
    /// The analysis of a parsed spec.
    pub fn new(spec: &'a Spec) -> Self {
        Analysis {
            spec: Ok(Cow::Borrowed(spec)),
            progress: None,
            plan: None,
        }
    }

    /// The analysis of a spec given as JSON text ([`Spec::from_json`]: parsed and
    /// validated); a spec error is returned by [`Analysis::run`].
    pub fn from_json(spec_json: &str) -> Self {
        let spec = timing::stage("spec", || Spec::from_json(spec_json));
        Analysis {
            spec: spec.map(Cow::Owned).map_err(Error::from),
            progress: None,
            plan: None,
        }
    }

    /// Report the progress of long steps (the bootstrap's replicates) to
    /// `progress(done, total)`.
    pub fn progress(mut self, progress: Progress<'a>) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Run or read the units of the splittable sections as `plan` says
    /// ([`crate::units`]: the page's worker pool); default [`crate::units::Plan::All`].
    pub fn plan(mut self, plan: &'a crate::units::Plan) -> Self {
        self.plan = Some(plan);
        self
    }

    /// Run every analysis the spec asks for on `input` (file bytes, borrowed or taken,
    /// or a cohort: see [`Input`]).
    pub fn run<'i>(self, input: impl Into<Input<'i>>) -> Result<Report, Error> {
        let spec = self.spec?;
        let mut no_progress = |_: usize, _: usize| {};
        let progress = self.progress.unwrap_or(&mut no_progress);
        let all = crate::units::Plan::All;
        let plan = self.plan.unwrap_or(&all);
        match input.into() {
            Input::Bytes(data) => {
                let (table, map) = super::read_table(data, &spec)?;
                super::analyze_table(table, &map, &spec, progress, plan)
            }
            Input::Owned(data) => {
                let (table, map) = super::read_table(&data, &spec)?;
                drop(data);
                super::analyze_table(table, &map, &spec, progress, plan)
            }
            Input::Cohort(cohort) => {
                let warnings = cohort.warnings.clone();
                super::run_sections(cohort, &spec, warnings, None, None, progress, plan)
            }
        }
    }
}
