//! The words of the `cox.periods` parts of the report (table, results sentence, methods
//! sentence, figure), per language. `{...}` are `fill` placeholders.

use crate::Lang;

/// Every text of the `cox.periods` report parts in one language.
#[derive(Debug)]
pub struct PeriodWords {
    /// Caption of the period hazard-ratio table.
    pub t_periods: &'static str,
    /// Column: the period of follow-up.
    pub c_period: &'static str,
    /// The last, open period: `{from}`.
    pub open_period: &'static str,
    /// Results: the likelihood-ratio test; `{chisq}`, `{df}`, `{p}`.
    pub r_test_lr: &'static str,
    /// Results: the robust Wald test; `{chisq}`, `{df}`, `{p}`.
    pub r_test_wald: &'static str,
    /// Results when the test has 0 df (one period).
    pub r_test_none: &'static str,
    /// Methods: `{cuts}` the cut points, `{unit}`, `{test}` the test's name.
    pub m_periods: &'static str,
    /// The test's name in the methods: likelihood ratio.
    pub test_lr: &'static str,
    /// The test's name in the methods: robust Wald.
    pub test_wald: &'static str,
    /// Figure title.
    pub f_title: &'static str,
    /// Figure x axis: the hazard ratio (log scale).
    pub f_axis: &'static str,
}

pub static EN: PeriodWords = PeriodWords {
    t_periods: "Hazard ratios by period of follow-up",
    c_period: "Period",
    open_period: "after {from}",
    r_test_lr: "A group effect that changes between the periods fitted better than one constant effect by χ² = {chisq} on {df} df ({p}, likelihood-ratio test); a small p means the hazard ratio is not the same over follow-up.",
    r_test_wald: "A group effect that changes between the periods differed from one constant effect by χ² = {chisq} on {df} df ({p}, robust Wald test); a small p means the hazard ratio is not the same over follow-up.",
    r_test_none: "With one period there is nothing to compare with one constant effect.",
    m_periods: "To allow the hazard ratio to change over time, follow-up was split at {cuts} {unit} and a Cox model with one group coefficient per period was fitted on the split data; it was compared with one constant group effect by a {test} test.",
    test_lr: "likelihood-ratio",
    test_wald: "robust Wald",
    f_title: "Hazard ratio by period of follow-up",
    f_axis: "Hazard ratio (log scale)",
};

pub static ZH: PeriodWords = PeriodWords {
    t_periods: "按随访时间段的风险比",
    c_period: "时间段",
    open_period: "{from} 之后",
    r_test_lr: "随时间段变化的组别效应与单一恒定效应相比：χ² = {chisq}，自由度 {df}（{p}，似然比检验）；p 值小说明风险比在随访期间并不恒定。",
    r_test_wald: "随时间段变化的组别效应与单一恒定效应相比：χ² = {chisq}，自由度 {df}（{p}，稳健 Wald 检验）；p 值小说明风险比在随访期间并不恒定。",
    r_test_none: "只有一个时间段，无法与单一恒定效应比较。",
    m_periods: "为允许风险比随时间变化，在 {cuts} {unit}处切分随访时间，并在切分后的数据上拟合每个时间段各有一个组别系数的 Cox 模型；以{test}检验将其与单一恒定组别效应比较。",
    test_lr: "似然比",
    test_wald: "稳健 Wald ",
    f_title: "按随访时间段的风险比",
    f_axis: "风险比（对数刻度）",
};

/// The words of `lang`.
pub fn period_words(lang: Lang) -> &'static PeriodWords {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}
