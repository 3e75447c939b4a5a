//! Helpers shared by the ingest modules.

use survlens::ingest::mapping::default_missing_tokens;
use survlens::ingest::{ColumnMap, EventMap, TimeMap};

/// The smallest mapping: the duration column `time` and the event column `status` (its
/// coding detected); no group, covariates, strata, weights or cluster; the default
/// missing tokens.
pub fn base() -> ColumnMap {
    ColumnMap {
        time: TimeMap::Duration {
            column: "time".into(),
        },
        event: EventMap {
            column: "status".into(),
            values: None,
            censored_values: None,
            competing_values: None,
        },
        group: None,
        covariates: vec![],
        strata: vec![],
        weights: None,
        cluster: None,
        missing: default_missing_tokens(),
    }
}
