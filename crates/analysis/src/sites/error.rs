//! Why a site summary or a pooled document cannot be written, each with a stable code
//! and its sentence in English and Chinese.

use crate::Error;
use std::fmt;
use survlens_text::numbers::written_value;
use survlens_text::Lang;

/// A failure of `survlens site` or `survlens pool`. All but `Analysis(Internal)` are the
/// user's to fix (CLI exit 2).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SitesError {
    /// Reading the data or the spec failed (as `analyze`).
    Analysis(Error),
    /// The spec cannot run at several sites (field and reason, in English and Chinese).
    Protocol {
        field: String,
        message: String,
        message_zh: String,
    },
    /// A file is not a site summary (or pooled document) of this version.
    NotASummary { file: String, message: String },
    /// A site summary whose content does not match its checksum (edited by hand).
    Checksum { file: String, site: String },
    /// Site summaries of different protocols (site → protocol SHA-256).
    ProtocolMismatch { sites: Vec<(String, String)> },
    /// The pooled file given to `site --beta` belongs to another protocol.
    PooledProtocol { file: String },
    /// Site summaries computed at different rounds of the Cox model.
    RoundsMismatch { sites: Vec<String> },
    /// Two files name the same site.
    DuplicateSite { site: String },
    /// Too many files, rounds, bins.
    Limit { what: String, limit: usize },
    /// A number of a site summary that no cohort can give (a damaged or forged file that
    /// still matches its checksum): the file, its site, the field (a JSON path), the
    /// value as written and the range it must lie in.
    Implausible {
        file: String,
        site: String,
        field: String,
        value: f64,
        range: PlausibleRange,
    },
    /// A number of the pooled document came out infinite or undefined from summaries
    /// that each read (the field, as a JSON key; the sites pooled).
    PooledNotFinite { field: String, sites: Vec<String> },
    /// No site summary given.
    NoSites,
}

impl SitesError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            SitesError::Analysis(e) => e.kind(),
            SitesError::Protocol { .. } => "sites_protocol",
            SitesError::NotASummary { .. } => "sites_not_a_summary",
            SitesError::Checksum { .. } => "sites_checksum",
            SitesError::ProtocolMismatch { .. } => "sites_protocol_mismatch",
            SitesError::PooledProtocol { .. } => "sites_pooled_protocol",
            SitesError::RoundsMismatch { .. } => "sites_rounds_mismatch",
            SitesError::DuplicateSite { .. } => "sites_duplicate_site",
            SitesError::Limit { .. } => "sites_limit",
            SitesError::Implausible { .. } => "sites_implausible",
            SitesError::PooledNotFinite { .. } => "sites_pooled_not_finite",
            SitesError::NoSites => "sites_none",
        }
    }

    /// True when the user can fix it.
    pub fn is_user_error(&self) -> bool {
        match self {
            SitesError::Analysis(e) => e.is_user_error(),
            _ => true,
        }
    }

    /// The sentence in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => self.message_zh(),
        }
    }

    fn message_zh(&self) -> String {
        match self {
            SitesError::Analysis(e) => crate::error::error_text(e, Lang::Zh),
            SitesError::Protocol {
                field, message_zh, ..
            } => {
                format!("分析设定字段“{field}”不适用于多中心分析：{message_zh}")
            }
            SitesError::NotASummary { file, message } => {
                format!("“{file}”不是 SurvLens 中心汇总文件：{message}")
            }
            SitesError::Checksum { file, site } => format!(
                "“{file}”（中心 {site}）的内容与其校验和不符：该文件在导出后被修改过。请让该中心重新运行 survlens site 导出。"
            ),
            SitesError::ProtocolMismatch { sites } => format!(
                "各中心运行的方案不同（方案 SHA-256）：{}。请让所有中心使用同一份方案文件重新导出。",
                list(sites)
            ),
            SitesError::PooledProtocol { file } => format!(
                "“{file}”来自另一份方案：请使用本方案的合并文件（survlens pool 的输出）。"
            ),
            SitesError::RoundsMismatch { sites } => format!(
                "这些中心的汇总来自 Cox 模型的不同轮次：{}。请让每个中心用同一份最新的合并文件（--beta）重新运行。",
                sites.join("、")
            ),
            SitesError::DuplicateSite { site } => {
                format!("有两个文件都属于中心“{site}”：每个中心只给一个文件。")
            }
            SitesError::Limit { what, limit } => format!("{what}超过上限 {limit}。"),
            SitesError::Implausible {
                file,
                site,
                field,
                value,
                range,
            } => format!(
                "“{file}”（中心 {site}）中 {field} = {}，而任何队列得出的该值都应{}：文件已损坏，或不是由 survlens site 写出的。请让该中心用 survlens site 重新导出。",
                written_value(*value),
                range.zh()
            ),
            SitesError::PooledNotFinite { field, sites } => format!(
                "合并结果中的 {field} 不是有限的数值：中心 {} 的汇总中有过大或过小、无法合并的数值。请检查这些中心的汇总（survlens pool 会显示每个中心的预览），并让数值异常的中心重新导出。",
                sites.join("、")
            ),
            SitesError::NoSites => "没有给出中心汇总文件。".to_string(),
        }
    }
}

fn list(sites: &[(String, String)]) -> String {
    sites
        .iter()
        .map(|(s, h)| format!("{s} ({})", &h[..h.len().min(12)]))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for SitesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SitesError::Analysis(e) => e.fmt(f),
            SitesError::Protocol { field, message, .. } => {
                write!(f, "spec field \"{field}\" cannot run at several sites: {message}")
            }
            SitesError::NotASummary { file, message } => {
                write!(f, "\"{file}\" is not a SurvLens site summary: {message}")
            }
            SitesError::Checksum { file, site } => write!(
                f,
                "\"{file}\" (site {site}) does not match its checksum: it was changed after export. Ask the site to export it again with survlens site."
            ),
            SitesError::ProtocolMismatch { sites } => write!(
                f,
                "the sites ran different protocols (protocol SHA-256): {}. Ask every site to export again with the same protocol file.",
                list(sites)
            ),
            SitesError::PooledProtocol { file } => write!(
                f,
                "\"{file}\" comes from another protocol: give the pooled file (survlens pool's output) of this protocol."
            ),
            SitesError::RoundsMismatch { sites } => write!(
                f,
                "the summaries of {} come from different rounds of the Cox model: ask each site to run again with the same, latest pooled file (--beta).",
                sites.join(", ")
            ),
            SitesError::DuplicateSite { site } => {
                write!(f, "two files are of the site \"{site}\": give one file per site.")
            }
            SitesError::Limit { what, limit } => write!(f, "{what} exceed the limit of {limit}."),
            SitesError::Implausible {
                file,
                site,
                field,
                value,
                range,
            } => write!(
                f,
                "\"{file}\" (site {site}) has {field} = {}, where any cohort gives {}: the file is damaged or was not written by survlens site. Ask the site to export it again with survlens site.",
                written_value(*value),
                range.en()
            ),
            SitesError::PooledNotFinite { field, sites } => write!(
                f,
                "the pooled {field} is not a finite number: the summaries of the sites {} hold numbers too large or too small to combine. Check each site's summary (survlens pool shows a preview of each) and ask a site whose numbers look wrong to export again.",
                sites.join(", ")
            ),
            SitesError::NoSites => write!(f, "no site summary given."),
        }
    }
}

impl std::error::Error for SitesError {}

/// The range a number of a site summary must lie in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlausibleRange {
    /// 0 ≤ x ≤ bound (counts and sums of counts: at most the site's patients or events).
    ZeroTo(f64),
    /// |x| ≤ bound (the Cox model's numbers: see `checksum::MAX_ABS_STATISTIC`).
    AbsAtMost(f64),
    /// x > 0 (a standard error).
    Positive,
}

impl PlausibleRange {
    /// Whether `x` lies in the range (NaN never does).
    pub fn holds(self, x: f64) -> bool {
        match self {
            PlausibleRange::ZeroTo(b) => (0.0..=b).contains(&x),
            PlausibleRange::AbsAtMost(b) => x.abs() <= b,
            PlausibleRange::Positive => x > 0.0 && x.is_finite(),
        }
    }

    fn en(self) -> String {
        match self {
            PlausibleRange::ZeroTo(b) => format!("a number from 0 to {}", written_value(b)),
            PlausibleRange::AbsAtMost(b) => {
                format!("a number from -{0} to {0}", written_value(b))
            }
            PlausibleRange::Positive => "a positive number".into(),
        }
    }

    fn zh(self) -> String {
        match self {
            PlausibleRange::ZeroTo(b) => format!("在 0 至 {} 之间", written_value(b)),
            PlausibleRange::AbsAtMost(b) => format!("在 -{0} 至 {0} 之间", written_value(b)),
            PlausibleRange::Positive => "为正数".into(),
        }
    }
}

impl From<Error> for SitesError {
    fn from(e: Error) -> Self {
        SitesError::Analysis(e)
    }
}

impl From<crate::SpecError> for SitesError {
    fn from(e: crate::SpecError) -> Self {
        SitesError::Analysis(Error::Spec(e))
    }
}
