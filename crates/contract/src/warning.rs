//! Warnings are data: a stable code, a sentence a clinician can act on, and context.

pub use crate::warning_code::WarningCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One entry of the results' `warnings` array (`{code, message, context}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Warning {
    /// Stable snake_case code, e.g. `encoding_fallback`, `no_events`.
    pub code: WarningCode,
    /// A sentence saying what happened and what to do.
    pub message: String,
    /// Machine-readable details (column, term, line...).
    pub context: BTreeMap<String, serde_json::Value>,
}

impl Warning {
    /// A warning without context.
    pub fn new(code: WarningCode, message: impl Into<String>) -> Self {
        Warning {
            code,
            message: message.into(),
            context: BTreeMap::new(),
        }
    }

    /// Adds one context entry (builder style).
    pub fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.context.insert(key.to_string(), value.into());
        self
    }
}
