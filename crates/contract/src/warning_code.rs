//! The stable codes of the results' `warnings` (docs/results.md#warnings): one enum, so a
//! code is written once and a misspelt code does not compile. Each serializes as its
//! snake_case name.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A warning's stable code.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    AdjustedCoxFailed,
    AdjustedHr,
    BalanceAdequate,
    CaseWeightsMultiplied,
    ConstantCovariate,
    CoxAliased,
    CoxFailed,
    CoxInfiniteCoef,
    CoxNotConverged,
    CoxUnivariableAliased,
    CoxUnivariableFailed,
    CoxUnivariableInfiniteCoef,
    CoxUnivariableNotConverged,
    CoxZeroWeights,
    DateOrderAmbiguous,
    DatesChosenByOrder,
    DatesOutOfOrder,
    EmptyGroup,
    EncodingFallback,
    EntryTiedToExit,
    Evalue,
    EventCodingNeedsChoice,
    EventNotFound,
    EventNotNamed,
    GroupNotNamed,
    ImbalancedBefore,
    ImmortalTimeNaiveOnly,
    LogrankNeedsGroups,
    LogrankSingular,
    LowEffectiveSampleSize,
    NoCompleteRows,
    NoEvents,
    NoHazardRatios,
    NonintWeightsWithoutRobust,
    PhTestNotAvailable,
    Positivity,
    PropensityNotConverged,
    RhoIgnoredWithEntry,
    RmstTauBeyondFollowUp,
    RmstWithEntry,
    StillImbalanced,
    TimeIsIdentifierOrAge,
    TimeNotNamed,
    TimeUnitFromMagnitude,
    TimesNotSuggested,
    TreatmentTimeRowsLeftOut,
    WeightsIgnored,
}

impl WarningCode {
    /// Every code, in alphabetical order.
    pub const ALL: &'static [WarningCode] = &[
        WarningCode::AdjustedCoxFailed,
        WarningCode::AdjustedHr,
        WarningCode::BalanceAdequate,
        WarningCode::CaseWeightsMultiplied,
        WarningCode::ConstantCovariate,
        WarningCode::CoxAliased,
        WarningCode::CoxFailed,
        WarningCode::CoxInfiniteCoef,
        WarningCode::CoxNotConverged,
        WarningCode::CoxUnivariableAliased,
        WarningCode::CoxUnivariableFailed,
        WarningCode::CoxUnivariableInfiniteCoef,
        WarningCode::CoxUnivariableNotConverged,
        WarningCode::CoxZeroWeights,
        WarningCode::DateOrderAmbiguous,
        WarningCode::DatesChosenByOrder,
        WarningCode::DatesOutOfOrder,
        WarningCode::EmptyGroup,
        WarningCode::EncodingFallback,
        WarningCode::EntryTiedToExit,
        WarningCode::Evalue,
        WarningCode::EventCodingNeedsChoice,
        WarningCode::EventNotFound,
        WarningCode::EventNotNamed,
        WarningCode::GroupNotNamed,
        WarningCode::ImbalancedBefore,
        WarningCode::ImmortalTimeNaiveOnly,
        WarningCode::LogrankNeedsGroups,
        WarningCode::LogrankSingular,
        WarningCode::LowEffectiveSampleSize,
        WarningCode::NoCompleteRows,
        WarningCode::NoEvents,
        WarningCode::NoHazardRatios,
        WarningCode::NonintWeightsWithoutRobust,
        WarningCode::PhTestNotAvailable,
        WarningCode::Positivity,
        WarningCode::PropensityNotConverged,
        WarningCode::RhoIgnoredWithEntry,
        WarningCode::RmstTauBeyondFollowUp,
        WarningCode::RmstWithEntry,
        WarningCode::StillImbalanced,
        WarningCode::TimeIsIdentifierOrAge,
        WarningCode::TimeNotNamed,
        WarningCode::TimeUnitFromMagnitude,
        WarningCode::TimesNotSuggested,
        WarningCode::TreatmentTimeRowsLeftOut,
        WarningCode::WeightsIgnored,
    ];

    /// The code as the results document writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::AdjustedCoxFailed => "adjusted_cox_failed",
            WarningCode::AdjustedHr => "adjusted_hr",
            WarningCode::BalanceAdequate => "balance_adequate",
            WarningCode::CaseWeightsMultiplied => "case_weights_multiplied",
            WarningCode::ConstantCovariate => "constant_covariate",
            WarningCode::CoxAliased => "cox_aliased",
            WarningCode::CoxFailed => "cox_failed",
            WarningCode::CoxInfiniteCoef => "cox_infinite_coef",
            WarningCode::CoxNotConverged => "cox_not_converged",
            WarningCode::CoxUnivariableAliased => "cox_univariable_aliased",
            WarningCode::CoxUnivariableFailed => "cox_univariable_failed",
            WarningCode::CoxUnivariableInfiniteCoef => "cox_univariable_infinite_coef",
            WarningCode::CoxUnivariableNotConverged => "cox_univariable_not_converged",
            WarningCode::CoxZeroWeights => "cox_zero_weights",
            WarningCode::DateOrderAmbiguous => "date_order_ambiguous",
            WarningCode::DatesChosenByOrder => "dates_chosen_by_order",
            WarningCode::DatesOutOfOrder => "dates_out_of_order",
            WarningCode::EmptyGroup => "empty_group",
            WarningCode::EncodingFallback => "encoding_fallback",
            WarningCode::EntryTiedToExit => "entry_tied_to_exit",
            WarningCode::Evalue => "evalue",
            WarningCode::EventCodingNeedsChoice => "event_coding_needs_choice",
            WarningCode::EventNotFound => "event_not_found",
            WarningCode::EventNotNamed => "event_not_named",
            WarningCode::GroupNotNamed => "group_not_named",
            WarningCode::ImbalancedBefore => "imbalanced_before",
            WarningCode::ImmortalTimeNaiveOnly => "immortal_time_naive_only",
            WarningCode::LogrankNeedsGroups => "logrank_needs_groups",
            WarningCode::LogrankSingular => "logrank_singular",
            WarningCode::LowEffectiveSampleSize => "low_effective_sample_size",
            WarningCode::NoCompleteRows => "no_complete_rows",
            WarningCode::NoEvents => "no_events",
            WarningCode::NoHazardRatios => "no_hazard_ratios",
            WarningCode::NonintWeightsWithoutRobust => "nonint_weights_without_robust",
            WarningCode::PhTestNotAvailable => "ph_test_not_available",
            WarningCode::Positivity => "positivity",
            WarningCode::PropensityNotConverged => "propensity_not_converged",
            WarningCode::RhoIgnoredWithEntry => "rho_ignored_with_entry",
            WarningCode::RmstTauBeyondFollowUp => "rmst_tau_beyond_follow_up",
            WarningCode::RmstWithEntry => "rmst_with_entry",
            WarningCode::StillImbalanced => "still_imbalanced",
            WarningCode::TimeIsIdentifierOrAge => "time_is_identifier_or_age",
            WarningCode::TimeNotNamed => "time_not_named",
            WarningCode::TimeUnitFromMagnitude => "time_unit_from_magnitude",
            WarningCode::TimesNotSuggested => "times_not_suggested",
            WarningCode::TreatmentTimeRowsLeftOut => "treatment_time_rows_left_out",
            WarningCode::WeightsIgnored => "weights_ignored",
        }
    }
}

impl std::fmt::Display for WarningCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for WarningCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
