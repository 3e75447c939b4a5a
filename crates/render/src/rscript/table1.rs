//! The script's `table1` (docs/results.md#table1): baseline characteristics of the
//! described rows (usable time, event and group) by group, with R's tests and SMDs
//! ([`table1.R`](table1.R)).

use super::lit;
use survlens_contract::mapping::CovariateKind;
use survlens_contract::Spec;

/// The R functions.
const FUNCTIONS: &str = include_str!("table1.R");

/// Whether the script reproduces the spec's `table1` (it needs a group column).
pub fn reproduced(spec: &Spec) -> bool {
    spec.table1.is_some() && spec.group.is_some()
}

/// `res$table1`.
pub fn section(spec: &Spec) -> String {
    let Some(t1) = spec.table1.as_ref().filter(|_| reproduced(spec)) else {
        return String::new();
    };
    let covs: Vec<String> = t1
        .covariate_maps(spec)
        .iter()
        .map(|c| {
            let kind = match c.kind {
                Some(CovariateKind::Numeric) => "\"numeric\"",
                Some(CovariateKind::Categorical) => "\"categorical\"",
                None => "NA",
            };
            format!(
                "list(column = {}, type = {kind}, reference = {})",
                lit(&c.column),
                c.reference.as_deref().map_or("NULL".to_string(), lit)
            )
        })
        .collect();
    format!(
        "{FUNCTIONS}\
         # the data's rows (usable time, event, group, strata, weights, cluster)\n\
         res$table1 <- table1_section(used, g, levels_g, list({}))\n",
        covs.join(",\n  ")
    )
}
