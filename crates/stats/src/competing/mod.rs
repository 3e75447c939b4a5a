//! Competing risks: the outcome of a row when another event can stop the event of
//! interest from ever being seen (docs/methods.md#competing-risks-cumulative-incidence-and-grays-test).
//!
//! A row ends in one of three states: censored, the event of interest, or a competing
//! event. The estimators here take that three-valued outcome; the Kaplan–Meier, log-rank
//! and Cox code elsewhere keep their two-valued `event` (a competing event is censoring
//! there: the cause-specific analysis).
pub mod fine_gray;

pub mod aalen_johansen;
mod double_double;
pub mod gray;
pub mod limits;

/// How a row's follow-up ended (R: the levels of `factor(status, c(censored, event,
/// competing))`, in that order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Outcome {
    /// Follow-up ended without an event (R's first level).
    #[default]
    Censored,
    /// The event of interest (cause 1).
    Event,
    /// The competing event (cause 2).
    Competing,
}

impl Outcome {
    /// The outcome of a row from its two indicators (`event` wins if both are set).
    pub fn from_flags(event: bool, competing: bool) -> Self {
        match (event, competing) {
            (true, _) => Outcome::Event,
            (false, true) => Outcome::Competing,
            (false, false) => Outcome::Censored,
        }
    }

    /// The other cause (`Censored` stays `Censored`).
    pub fn other_cause(self) -> Self {
        match self {
            Outcome::Event => Outcome::Competing,
            Outcome::Competing => Outcome::Event,
            Outcome::Censored => Outcome::Censored,
        }
    }
}
