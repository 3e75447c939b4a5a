//! The analysis spec of docs/spec.md: parsing, defaults, validation.
//!
//! Unknown keys are errors (a misspelt option must not be silently ignored).

use crate::mapping::{
    default_missing_tokens, ColumnMap, CovariateMap, DateFormat, EventMap, GroupMap, TimeMap,
    TimeUnit,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use survlens_stats::padjust::PAdjust;
use survlens_stats::ConfType;

/// A problem with the spec itself (not the data).
#[derive(Debug, Clone, PartialEq)]
pub enum SpecError {
    /// The spec is not valid JSON or has a wrong type / unknown key.
    Json {
        message: String,
        line: usize,
        column: usize,
    },
    /// A value is out of its allowed range or inconsistent with another.
    Invalid { field: String, message: String },
    /// As `Invalid`, with the detail in Chinese too (written where the rule is checked;
    /// the Chinese message of `Invalid` quotes its English detail).
    Translated {
        field: String,
        message: String,
        message_zh: String,
    },
}

impl SpecError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            SpecError::Json { .. } => "spec_json",
            SpecError::Invalid { .. } | SpecError::Translated { .. } => "spec_invalid",
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        SpecError::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// An invalid value whose detail is given in English and Chinese.
    pub fn invalid_zh(
        field: &str,
        message: impl Into<String>,
        message_zh: impl Into<String>,
    ) -> Self {
        SpecError::Translated {
            field: field.to_string(),
            message: message.into(),
            message_zh: message_zh.into(),
        }
    }

    /// The spec field at fault, where there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            SpecError::Invalid { field, .. } | SpecError::Translated { field, .. } => Some(field),
            SpecError::Json { .. } => None,
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecError::Json {
                message,
                line,
                column,
            } => write!(
                f,
                "the analysis spec is not valid (spec line {line}, column {column}): {message}. \
                 Fix the spec file (docs/spec.md in the SurvLens repository lists every key), \
                 or set the analysis with the page's controls."
            ),
            SpecError::Invalid { field, message }
            | SpecError::Translated { field, message, .. } => {
                write!(f, "spec field \"{field}\": {message}")
            }
        }
    }
}

impl std::error::Error for SpecError {}

/// A column reference `{"column": "name"}` (weights, cluster).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ColumnRef {
    pub column: String,
}

/// The spec's `time`, as written (validated into [`TimeMap`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeSpec {
    /// Delayed entry: the entry column, on the clock of `column` (docs/methods.md#delayed-entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<TimeUnit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_format: Option<DateFormat>,
}

/// Confidence-interval type names of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum ConfTypeName {
    #[default]
    #[serde(rename = "log")]
    Log,
    #[serde(rename = "log-log")]
    LogLog,
    #[serde(rename = "plain")]
    Plain,
}

impl ConfTypeName {
    pub fn conf_type(self) -> ConfType {
        match self {
            ConfTypeName::Log => ConfType::Log,
            ConfTypeName::LogLog => ConfType::LogLog,
            ConfTypeName::Plain => ConfType::Plain,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            ConfTypeName::Log => "log",
            ConfTypeName::LogLog => "log-log",
            ConfTypeName::Plain => "plain",
        }
    }
}

fn default_conf_level() -> f64 {
    0.95
}

/// `km`: `{"conf_type": "log", "conf_level": 0.95, "times": []}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KmSpec {
    #[serde(default)]
    pub conf_type: ConfTypeName,
    #[serde(default = "default_conf_level")]
    pub conf_level: f64,
    #[serde(default)]
    pub times: Vec<f64>,
}

/// Which pairwise log-rank tests to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Pairwise {
    None,
    /// Each group against the reference.
    #[default]
    Reference,
    /// Every pair of groups.
    All,
}

/// Multiple-comparison adjustment names (R's `p.adjust` methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum AdjustName {
    #[serde(rename = "none")]
    None,
    #[default]
    #[serde(rename = "holm")]
    Holm,
    #[serde(rename = "bonferroni")]
    Bonferroni,
    #[serde(rename = "BH")]
    Bh,
}

impl AdjustName {
    pub fn method(self) -> PAdjust {
        match self {
            AdjustName::None => PAdjust::None,
            AdjustName::Holm => PAdjust::Holm,
            AdjustName::Bonferroni => PAdjust::Bonferroni,
            AdjustName::Bh => PAdjust::BenjaminiHochberg,
        }
    }
}

/// `logrank`: `{"rho": 0, "pairwise": "reference", "adjust": "holm"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogRankSpec {
    #[serde(default)]
    pub rho: f64,
    #[serde(default)]
    pub pairwise: Pairwise,
    #[serde(default)]
    pub adjust: AdjustName,
}

/// `rmst`: `{"tau": 60}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RmstSpec {
    pub tau: f64,
}

/// `competing_risks`: `{"times": [12, 60], "gray": true, "fine_gray": true,
/// "cause_specific": true}` (needs `event.competing_values`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetingRisksSpec {
    /// Times at which the cumulative incidence is read (`summary(fit, times)`).
    #[serde(default)]
    pub times: Vec<f64>,
    /// Gray's test per cause (default true).
    #[serde(default = "yes")]
    pub gray: bool,
    /// The Fine–Gray model of the event of interest (default true).
    #[serde(default = "yes")]
    pub fine_gray: bool,
    /// Cause-specific Cox models of both causes (default true).
    #[serde(default = "yes")]
    pub cause_specific: bool,
}

fn yes() -> bool {
    true
}

/// Tie handling of the Cox model (`coxph(ties = )`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TiesName {
    #[default]
    Efron,
    Breslow,
}

/// Time transform of the PH test (`cox.zph(transform = )`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PhTransformName {
    #[default]
    Km,
    Rank,
    Identity,
}

/// `cox.ph_test`: `{"transform": "km"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhTestSpec {
    #[serde(default)]
    pub transform: PhTransformName,
    /// Extension: `"residuals": true` adds the scaled Schoenfeld residuals and their
    /// smooth to `cox.ph_test.residuals` (off by default: the report stays small).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub residuals: bool,
}

/// `cox`: `{"ties": "efron", "robust": false, "ph_test": {"transform": "km"}}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoxSpec {
    #[serde(default)]
    pub ties: TiesName,
    #[serde(default)]
    pub robust: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ph_test: Option<PhTestSpec>,
    /// Extension: `"univariable": true` adds `cox.univariable`, one model per spec
    /// column (the group included) on the same rows and options.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub univariable: bool,
    /// `"periods": [12, 60]`: cut points (finite, > 0, increasing) of the period-specific
    /// group effects `cox.periods` (periods (from, to]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods: Option<Vec<f64>>,
}

/// The whole spec. Field docs name the contract key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub time: TimeSpec,
    pub event: EventMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupMap>,
    #[serde(default)]
    pub covariates: Vec<CovariateMap>,
    #[serde(default)]
    pub strata: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<ColumnRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ColumnRef>,
    #[serde(default = "default_missing_tokens")]
    pub missing: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub km: Option<KmSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logrank: Option<LogRankSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rmst: Option<RmstSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cox: Option<CoxSpec>,
    /// `competing_risks`: cumulative incidence, Gray's test, Fine–Gray.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competing_risks: Option<CompetingRisksSpec>,
    /// `follow_up`: median follow-up by reverse Kaplan–Meier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<crate::follow_up::FollowUpSpec>,
    /// `conditional`: survival given alive at chosen times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditional: Option<crate::follow_up::ConditionalSpec>,
    /// `table1`: baseline characteristics by group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table1: Option<Table1Spec>,
    /// `subgroups`: group HRs within the levels of chosen columns, interaction tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subgroups: Option<crate::subgroups::SubgroupsSpec>,
    // Contract sections computed by later versions: accepted and warned about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propensity: Option<PropensitySpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjusted: Option<AdjustedSpec>,
    /// `matching`: nearest-neighbour propensity-score matching against the reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matching: Option<crate::matching::MatchingSpec>,
    /// `imputation`: multiple imputation of missing covariates, pooled by Rubin's rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imputation: Option<crate::imputation::ImputationSpec>,
    /// `sites`: several hospitals, no patient data moved (`survlens site`, `survlens pool`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sites: Option<crate::sites::SitesSpec>,
    /// `emulation`: target-trial emulation by clone–censor–weight (needs
    /// `treatment_time`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emulation: Option<crate::emulation::EmulationSpec>,
    /// Immortal time (docs/methods.md#immortal-time): when local treatment began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treatment_time: Option<TreatmentTimeSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landmark: Option<LandmarkSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_dependent: Option<TimeDependentSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<SensitivitySpec>,
    /// `sheet`: the sheet of an `.xlsx` workbook to read (default: the first; ignored
    /// for CSV/TSV files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

impl Spec {
    /// Parse and validate a spec from JSON text.
    pub fn from_json(text: &str) -> Result<Spec, SpecError> {
        let spec: Spec = serde_json::from_str(text).map_err(|e| SpecError::Json {
            message: e.to_string(),
            line: e.line(),
            column: e.column(),
        })?;
        spec.validate()?;
        Ok(spec)
    }

    /// Check ranges and consistency that JSON types alone cannot express.
    pub fn validate(&self) -> Result<(), SpecError> {
        self.time_map()?;
        if let Some(km) = &self.km {
            if !(km.conf_level > 0.0 && km.conf_level < 1.0) {
                return Err(SpecError::invalid_zh(
                    "km.conf_level",
                    format!(
                        "{} is not a confidence level; use a number between 0 and 1 such as 0.95",
                        km.conf_level
                    ),
                    format!(
                        "{} 不是有效的置信水平；请使用 0 与 1 之间的数，例如 0.95",
                        km.conf_level
                    ),
                ));
            }
            if km.times.len() > crate::limits::MAX_KM_TIMES {
                return Err(SpecError::invalid_zh(
                    "km.times",
                    format!(
                        "{} times asked; at most {} are allowed (a few landmarks such as 12, 36, 60 are usual)",
                        km.times.len(),
                        crate::limits::MAX_KM_TIMES
                    ),
                    format!(
                        "要求了 {} 个时间点，最多允许 {} 个（通常取几个时间点，如 12、36、60）",
                        km.times.len(),
                        crate::limits::MAX_KM_TIMES
                    ),
                ));
            }
            if let Some(t) = km.times.iter().find(|t| !t.is_finite()) {
                return Err(SpecError::invalid_zh(
                    "km.times",
                    format!("{t} is not a time; use finite numbers"),
                    format!("{t} 不是有效的时间；请使用有限数值"),
                ));
            }
        }
        if let Some(lr) = &self.logrank {
            if !(lr.rho.is_finite() && lr.rho >= 0.0) {
                return Err(SpecError::invalid_zh(
                    "logrank.rho",
                    format!(
                        "{} is not allowed; use rho >= 0 (0 = log-rank, 1 = Peto–Peto)",
                        lr.rho
                    ),
                    format!(
                        "不允许 {}；请使用 rho ≥ 0（0 = 对数秩检验，1 = Peto–Peto 检验）",
                        lr.rho
                    ),
                ));
            }
        }
        if let Some(ps) = &self.propensity {
            ps.validate()?;
        }
        validate_spec(self)?;
        if let Some(b) = self.adjusted.as_ref().and_then(|a| a.bootstrap.as_ref()) {
            if !(1..=crate::limits::MAX_BOOTSTRAP_REPLICATES).contains(&b.replicates) {
                return Err(SpecError::invalid_zh(
                    "adjusted.bootstrap.replicates",
                    format!(
                        "{} replicates: use 1 to {} (1000 is usual)",
                        b.replicates,
                        crate::limits::MAX_BOOTSTRAP_REPLICATES
                    ),
                    format!(
                        "{} 次重抽样：请使用 1 至 {}（通常为 1000）",
                        b.replicates,
                        crate::limits::MAX_BOOTSTRAP_REPLICATES
                    ),
                ));
            }
        }
        if self.adjusted.is_some() && self.propensity.is_none() {
            return Err(SpecError::invalid_zh(
                "adjusted",
                "the adjusted comparisons weight by propensity scores; add a \"propensity\" section",
                "校正比较按倾向性评分加权；请添加“propensity”部分",
            ));
        }
        self.validate_competing_risks()?;
        self.validate_periods()?;
        if let Some(c) = &self.conditional {
            c.validate()?;
        }
        crate::subgroups::validate(self)?;
        crate::matching::validate(self)?;
        crate::imputation::validate(self)?;
        crate::sites::validate(self)?;
        crate::emulation::validate(self)?;
        if let Some(r) = &self.rmst {
            if !(r.tau.is_finite() && r.tau > 0.0) {
                return Err(SpecError::invalid_zh(
                    "rmst.tau",
                    format!(
                        "{} is not a horizon; use a positive time in the analysis unit",
                        r.tau
                    ),
                    format!("{} 不是有效的时间上限；请使用分析时间单位下的正数", r.tau),
                ));
            }
        }
        Ok(())
    }

    /// `competing_risks` needs competing values; its times are finite and few.
    fn validate_periods(&self) -> Result<(), SpecError> {
        let Some(cuts) = self.cox.as_ref().and_then(|c| c.periods.as_ref()) else {
            return Ok(());
        };
        crate::periods::validate_cuts(cuts)
    }

    fn validate_competing_risks(&self) -> Result<(), SpecError> {
        let Some(cr) = &self.competing_risks else {
            return Ok(());
        };
        if self
            .event
            .competing_values
            .as_ref()
            .is_none_or(|v| v.is_empty())
        {
            return Err(SpecError::invalid_zh(
                "competing_risks",
                "needs the tokens of the competing event: add \"competing_values\" to \"event\", e.g. \"event\": {\"column\": \"status\", \"values\": [\"died_gist\"], \"competing_values\": [\"died_other\"]}",
                "需要竞争事件的取值：请在 \"event\" 中加入 \"competing_values\"，例如 \"event\": {\"column\": \"status\", \"values\": [\"died_gist\"], \"competing_values\": [\"died_other\"]}",
            ));
        }
        if cr.times.len() > crate::limits::MAX_KM_TIMES {
            return Err(SpecError::invalid_zh(
                "competing_risks.times",
                format!(
                    "{} times asked; at most {} are allowed (a few landmarks such as 12, 36, 60 are usual)",
                    cr.times.len(),
                    crate::limits::MAX_KM_TIMES
                ),
                format!("请求了 {} 个时间；最多允许 {} 个（通常为 12、36、60 等少数几个时间点）", cr.times.len(), crate::limits::MAX_KM_TIMES),
            ));
        }
        if let Some(t) = cr.times.iter().find(|t| !t.is_finite()) {
            return Err(SpecError::invalid_zh(
                "competing_risks.times",
                format!("{t} is not a time; use finite numbers"),
                format!("{t} 不是有效的时间；请使用有限数值"),
            ));
        }
        Ok(())
    }

    /// The time columns as ingest reads them.
    pub fn time_map(&self) -> Result<TimeMap, SpecError> {
        let t = &self.time;
        if let Some(entry) = &t.entry {
            return match (&t.column, &t.start, &t.end, t.unit, t.date_format) {
                (Some(column), None, None, None, None) => Ok(TimeMap::Entry {
                    entry: entry.clone(),
                    column: column.clone(),
                }),
                _ => Err(SpecError::invalid_zh(
                    "time",
                    "with \"entry\" give the exit as a duration \"column\" on the same clock, e.g. {\"entry\": \"months_to_referral\", \"column\": \"os_months\"}",
                    "使用 \"entry\" 时，请把结束时间作为同一时钟上的时长 \"column\" 给出，例如 {\"entry\": \"months_to_referral\", \"column\": \"os_months\"}",
                )),
            };
        }
        match (&t.column, &t.start, &t.end) {
            (Some(column), None, None) => {
                if t.unit.is_some() || t.date_format.is_some() {
                    return Err(SpecError::invalid_zh(
                        "time",
                        "\"unit\" and \"date_format\" apply to two date columns (\"start\", \"end\"), not to a duration \"column\"",
                        "“unit”和“date_format”只用于两个日期列（“start”、“end”），不用于时长列“column”",
                    ));
                }
                Ok(TimeMap::Duration { column: column.clone() })
            }
            (None, Some(start), Some(end)) => Ok(TimeMap::Dates {
                start: start.clone(),
                end: end.clone(),
                unit: t.unit.unwrap_or_default(),
                date_format: t.date_format.unwrap_or_default(),
            }),
            _ => Err(SpecError::invalid_zh(
                "time",
                "give either {\"column\": <duration column>} or {\"start\": <date column>, \"end\": <date column>}",
                "请给出 {\"column\": <时长列>} 或 {\"start\": <日期列>, \"end\": <日期列>} 之一",
            )),
        }
    }

    /// The spec's covariates, then the propensity model's columns that are not among
    /// them (read the same way; the propensity model's complete cases include them). The model covariates
    /// (Cox, table1) are the first `self.covariates.len()` of the cohort's covariates.
    pub fn all_covariates(&self) -> Vec<CovariateMap> {
        let mut all = self.covariates.clone();
        if let Some(cols) = self.propensity.as_ref().and_then(|p| p.covariates.as_ref()) {
            for c in cols {
                if !all.iter().any(|m| &m.column == c) {
                    all.push(CovariateMap {
                        column: c.clone(),
                        kind: None,
                        reference: None,
                    });
                }
            }
        }
        crate::matching::add_columns(self, &mut all);
        crate::emulation::add_columns(self, &mut all);
        crate::subgroups::add_columns(self, &mut all);
        all
    }

    /// The column mapping for ingest.
    pub fn column_map(&self) -> Result<ColumnMap, SpecError> {
        Ok(ColumnMap {
            time: self.time_map()?,
            event: self.event.clone(),
            group: self.group.clone(),
            covariates: self.all_covariates(),
            strata: self.strata.clone(),
            weights: self.weights.as_ref().map(|c| c.column.clone()),
            cluster: self.cluster.as_ref().map(|c| c.column.clone()),
            missing: self.missing.clone(),
        })
    }

    /// The protocol file of the spec: the spec as it runs ([`Spec::echo`]), pretty JSON
    /// with a final newline.
    pub fn protocol_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.echo()).unwrap_or_default();
        text.push('\n');
        text
    }

    /// SHA-256 (lower-case hex) of [`Spec::protocol_text`]: what the report, the R script
    /// and a site summary name, so a site can show it ran the protocol it was sent.
    pub fn protocol_sha256(&self) -> String {
        crate::digest::sha256_hex(self.protocol_text().as_bytes())
    }

    /// The spec as it ran, defaults filled in (echoed in the Report).
    pub fn echo(&self) -> serde_json::Value {
        let mut echoed = self.clone();
        if let Ok(TimeMap::Dates {
            unit, date_format, ..
        }) = self.time_map()
        {
            echoed.time.unit = Some(unit);
            echoed.time.date_format = Some(date_format);
        }
        serde_json::to_value(&echoed).unwrap_or(serde_json::Value::Null)
    }
}

/// `treatment_time`: `{"column": "months_to_local_tx"}` or `{"date": "local_tx_date"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TreatmentTimeSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// `landmark`: `{"times": [3, 6, 12]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LandmarkSpec {
    pub times: Vec<f64>,
}

/// `time_dependent`: `{}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeDependentSpec {}

/// Check the immortal-time keys against each other and the time mapping.
pub fn validate_spec(spec: &Spec) -> Result<(), SpecError> {
    if let Some(tt) = &spec.treatment_time {
        match (&tt.column, &tt.date) {
            (Some(_), None) => {}
            (None, Some(_)) => {
                if !matches!(spec.time_map()?, TimeMap::Dates { .. }) {
                    return Err(SpecError::invalid_zh(
                        "treatment_time.date",
                        "a treatment date needs the follow-up time as two dates (\"time\": {\"start\": ..., \"end\": ...}); \
                         with a duration time give the treatment time as a duration \"column\"",
                        "治疗日期需要以两个日期给出随访时间（\"time\": {\"start\": ..., \"end\": ...}）；若随访时间为时长，请把治疗时间也作为时长 \"column\" 给出",
                    ));
                }
            }
            _ => {
                return Err(SpecError::invalid_zh(
                    "treatment_time",
                    "give either {\"column\": <time from time zero to local treatment>} or {\"date\": <date of local treatment>}",
                    "请给出 {\"column\": <从时间零点到局部治疗的时间>} 或 {\"date\": <局部治疗日期>} 之一",
                ))
            }
        }
        if spec.group.is_none() {
            return Err(SpecError::invalid_zh(
                "treatment_time",
                "the treatment time belongs to a comparison of groups; map the \"group\" column (the group each patient eventually belongs to)",
                "治疗时间用于组间比较；请映射 \"group\" 列（每位患者最终所属的组）",
            ));
        }
    }
    let needs = |key: &str| {
        SpecError::invalid_zh(
            key,
            "needs \"treatment_time\": when each patient's local treatment began",
            "需要 \"treatment_time\"：每位患者开始局部治疗的时间",
        )
    };
    if let Some(lm) = &spec.landmark {
        if spec.treatment_time.is_none() {
            return Err(needs("landmark"));
        }
        if lm.times.is_empty() || lm.times.iter().any(|t| !(t.is_finite() && *t >= 0.0)) {
            return Err(SpecError::invalid_zh(
                "landmark.times",
                "give one or more landmark times >= 0 in the analysis unit, e.g. [3, 6, 12]",
                "请给出一个或多个分析时间单位下 ≥ 0 的界标时间，例如 [3, 6, 12]",
            ));
        }
        if lm.times.len() > crate::limits::MAX_LANDMARK_TIMES {
            return Err(SpecError::invalid_zh(
                "landmark.times",
                format!(
                    "{} times asked; at most {} are allowed (each landmark reruns the analyses; \
                     a few such as 3, 6, 12 are usual)",
                    lm.times.len(),
                    crate::limits::MAX_LANDMARK_TIMES
                ),
                format!(
                    "要求了 {} 个时间点，最多允许 {} 个（每个界标时间都会重新运行分析；通常取几个，如 3、6、12）",
                    lm.times.len(),
                    crate::limits::MAX_LANDMARK_TIMES
                ),
            ));
        }
    }
    if spec.time_dependent.is_some() && spec.treatment_time.is_none() {
        return Err(needs("time_dependent"));
    }
    Ok(())
}

/// The spec's `table1`: `{}` or `{"covariates": ["age", "sex"]}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Table1Spec {
    /// Columns to describe; absent: the spec's `covariates`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covariates: Option<Vec<String>>,
}

impl Table1Spec {
    /// The covariates to describe, typed as the spec's covariates where listed there.
    pub fn covariate_maps(&self, spec: &Spec) -> Vec<CovariateMap> {
        match &self.covariates {
            None => spec.covariates.clone(),
            Some(names) => names
                .iter()
                .map(|name| {
                    spec.covariates
                        .iter()
                        .find(|c| c.column.trim() == name.trim())
                        .cloned()
                        .unwrap_or_else(|| CovariateMap {
                            column: name.clone(),
                            kind: None,
                            reference: None,
                        })
                })
                .collect(),
        }
    }
}

/// Estimand names of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum EstimandName {
    #[default]
    #[serde(rename = "ATE")]
    Ate,
    #[serde(rename = "ATT")]
    Att,
    #[serde(rename = "ATO")]
    Ato,
}

impl EstimandName {
    pub fn name(self) -> &'static str {
        match self {
            EstimandName::Ate => "ATE",
            EstimandName::Att => "ATT",
            EstimandName::Ato => "ATO",
        }
    }
}

/// Spec `propensity`: `{"covariates": [...], "estimand": "ATE", "focal": null,
/// "stabilize": false, "truncate": [0.01, 0.99]}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropensitySpec {
    /// Columns of the model (default: the spec's covariates). Columns not among the
    /// spec's covariates are read like covariates (type detected, most frequent level
    /// the reference among the model's rows) and the model uses the rows complete for its
    /// own columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covariates: Option<Vec<String>>,
    #[serde(default)]
    pub estimand: EstimandName,
    /// ATT only; default: the first non-reference group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focal: Option<String>,
    /// ATE only.
    #[serde(default)]
    pub stabilize: bool,
    /// Probabilities (low, high) of the type-7 quantiles at which weights are truncated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncate: Option<[f64; 2]>,
}

impl PropensitySpec {
    /// Ranges and combinations JSON types cannot express.
    pub fn validate(&self) -> Result<(), SpecError> {
        let bad = |field: &str, message: &str| SpecError::Invalid {
            field: format!("propensity.{field}"),
            message: message.to_string(),
        };
        if self.stabilize && self.estimand != EstimandName::Ate {
            return Err(bad("stabilize", "stabilized weights exist for the ATE only; remove \"stabilize\" or use \"estimand\": \"ATE\""));
        }
        if self.focal.is_some() && self.estimand != EstimandName::Att {
            return Err(bad("focal", "a focal group applies to the ATT only; remove \"focal\" or use \"estimand\": \"ATT\""));
        }
        if let Some([lo, hi]) = self.truncate {
            if !(0.0..=1.0).contains(&lo) || !(0.0..=1.0).contains(&hi) || lo >= hi {
                return Err(bad(
                    "truncate",
                    "give two probabilities low < high between 0 and 1, such as [0.01, 0.99]",
                ));
            }
        }
        Ok(())
    }
}

/// `adjusted.bootstrap`: `{"replicates": 1000, "seed": 1}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BootstrapSpec {
    pub replicates: usize,
    #[serde(default)]
    pub seed: u64,
}

/// Spec `adjusted`: `{}` or `{"bootstrap": {...}}`. Needs `propensity`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustedSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapSpec>,
}

/// Spec `sensitivity`: `{}` or `{"outcome_rare": true|false}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SensitivitySpec {
    /// Default: rare iff n_events / n_used < 0.15 on the main, unweighted data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_rare: Option<bool>,
}

/// The Cox options for the time-dependent fit and the comparison: the spec's, else
/// R's defaults (efron, model-based variance).
pub fn cox_options(spec: &Spec) -> CoxSpec {
    let mut c = spec.cox.clone().unwrap_or_default();
    c.ph_test = None;
    c.periods = None;
    c
}
