//! Why the Cox model with period-specific hazard ratios (`cox.periods`) could not be
//! fitted: the `reason` of a `cox_periods_failed` warning. The results keep the English
//! phrase in the warning's context (its `message` reads it); the language switch
//! reads the phrase back as its reason and writes it in the page's language.

use crate::Lang;

/// The reasons `cox.periods` is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoxPeriodsReason {
    /// The analysis has one group only: no hazard ratio to split by period.
    NoGroup,
    /// The period model's fit gave no estimate (no convergence, too few events).
    NoEstimate,
}

impl CoxPeriodsReason {
    const ALL: [CoxPeriodsReason; 2] = [CoxPeriodsReason::NoGroup, CoxPeriodsReason::NoEstimate];

    /// The reason's phrase in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CoxPeriodsReason::NoGroup, Lang::En) => "there is no group to compare",
            (CoxPeriodsReason::NoGroup, Lang::Zh) => "没有可比较的组",
            (CoxPeriodsReason::NoEstimate, Lang::En) => "no estimate exists",
            (CoxPeriodsReason::NoEstimate, Lang::Zh) => "模型没有给出估计值",
        }
    }

    /// The reason whose English phrase is `en` (the warning's context).
    pub fn from_en(en: &str) -> Option<CoxPeriodsReason> {
        Self::ALL.into_iter().find(|r| r.text(Lang::En) == en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_back_from_its_english_phrase_and_has_a_chinese_one() {
        for r in CoxPeriodsReason::ALL {
            assert_eq!(CoxPeriodsReason::from_en(r.text(Lang::En)), Some(r));
            assert!(r
                .text(Lang::Zh)
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        }
        assert_eq!(CoxPeriodsReason::from_en("something else"), None);
    }
}
