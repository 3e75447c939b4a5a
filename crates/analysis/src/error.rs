//! The top-level error: every way an analysis can fail, each with a stable code.

use crate::SpecError;
use std::fmt;
use survlens_ingest::IngestError;
use survlens_text::Lang;

/// Why an analysis produced no results document.
///
/// `Ingest` and `Spec` are the user's to fix (CLI exit 2); `Internal` is a bug (exit 1).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The data file cannot be read as the spec asks (names column and line).
    Ingest(IngestError),
    /// The spec is malformed or asks for something impossible.
    Spec(SpecError),
    /// A fault in SurvLens itself.
    Internal(String),
}

impl Error {
    /// Stable snake_case code for programs (the page branches on it, never on text).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Ingest(e) => e.kind(),
            Error::Spec(e) => e.kind(),
            Error::Internal(_) => "internal",
        }
    }

    /// The data column at fault, where there is one (the page marks its control).
    pub fn column(&self) -> Option<&str> {
        match self {
            Error::Ingest(e) => e.column(),
            _ => None,
        }
    }

    /// The file line at fault (header = 1), where one row is at fault.
    pub fn line(&self) -> Option<u64> {
        match self {
            Error::Ingest(e) => e.line(),
            _ => None,
        }
    }

    /// The spec field at fault (`"km.times"`, `"rmst.tau"`, ...), where there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Spec(e) => e.field(),
            _ => None,
        }
    }

    /// True when the user can fix it (bad input or bad spec).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, Error::Internal(_))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Ingest(e) => e.fmt(f),
            Error::Spec(e) => e.fmt(f),
            Error::Internal(m) => write!(f, "internal error (please report it): {m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<IngestError> for Error {
    fn from(e: IngestError) -> Self {
        Error::Ingest(e)
    }
}

impl From<SpecError> for Error {
    fn from(e: SpecError) -> Self {
        Error::Spec(e)
    }
}

/// The error's sentence in `lang` (English: the error's own `Display`; Chinese: the
/// catalogues of ingest and of the text crate).
pub fn error_text(e: &Error, lang: Lang) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Zh => match e {
            Error::Ingest(i) => i.message_zh(),
            Error::Spec(s) => survlens_text::spec_error_zh(s),
            Error::Internal(m) => format!("内部错误（请报告此问题）：{m}"),
        },
    }
}
