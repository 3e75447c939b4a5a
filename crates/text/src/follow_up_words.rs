//! The words of the follow-up and conditional-survival parts of the report (tables,
//! results sentence, methods sentences), per language. Kept apart from [`crate::i18n`]'s
//! `Texts` so that section's words live in one place. `{...}` are `fill` placeholders.

use crate::Lang;

/// Every text of the `follow_up` / `conditional` report parts in one language.
#[derive(Debug)]
pub struct FollowUpWords {
    /// Caption of the median follow-up table.
    pub t_follow_up: &'static str,
    /// Caption of the conditional survival table (medians since the given time).
    pub t_conditional: &'static str,
    /// Caption of the conditional survival at the asked times since the given time.
    pub t_conditional_at_times: &'static str,
    /// Column: the median follow-up.
    pub c_median_follow_up: &'static str,
    /// Column: the interquartile range of follow-up.
    pub c_iqr: &'static str,
    /// Column: alive at (the given time).
    pub c_given: &'static str,
    /// Column: time since the given time.
    pub c_time_since: &'static str,
    /// Column: the median survival since the given time.
    pub c_median_since: &'static str,
    /// Results sentence: `{median}`, `{unit}`, `{level}` (percent), `{ci}` and `{iqr}`
    /// (intervals).
    pub r_follow_up: &'static str,
    /// Results sentence when the median follow-up is not reached.
    pub r_follow_up_nr: &'static str,
    /// STROBE item 14c (summarise follow-up time): where the report does.
    pub s_follow_up: &'static str,
    /// Methods: the reverse Kaplan–Meier method; `{c_schemper}` its citation.
    pub m_follow_up: &'static str,
    /// Methods: conditional survival; `{given}` the list of times, `{unit}`, `{c_km}`.
    pub m_conditional: &'static str,
    /// Methods: the times since `given` at which it is reported; `{times}`, `{unit}`.
    pub m_conditional_times: &'static str,
}

pub static EN: FollowUpWords = FollowUpWords {
    t_follow_up: "Median follow-up (reverse Kaplan–Meier)",
    t_conditional: "Conditional survival: median survival of the patients alive at a given time",
    t_conditional_at_times: "Conditional survival: survival of the patients alive at a given time, at times since then",
    c_median_follow_up: "Median follow-up",
    c_iqr: "IQR",
    c_given: "Alive at",
    c_time_since: "Time since then",
    c_median_since: "Median survival since then",
    r_follow_up: "The median follow-up (reverse Kaplan–Meier) was {median} {unit} ({level}% CI {ci}; IQR {iqr}).",
    r_follow_up_nr: "The median follow-up (reverse Kaplan–Meier) was not reached: too few patients were censored (most follow-up ended in death) for the reverse Kaplan–Meier curve to fall to one half.",
    s_follow_up: "Median follow-up table (reverse Kaplan–Meier) and results paragraph",
    m_follow_up: "Follow-up was summarised by the median follow-up time estimated with the reverse Kaplan–Meier method {c_schemper}, in which censoring is the event and a death of any cause ends follow-up.",
    m_conditional: "Conditional survival for patients alive at {given} {unit} was estimated by the Kaplan–Meier method {c_km} on the patients followed beyond that time, with time restarted there.",
    m_conditional_times: "Conditional survival is reported {times} {unit} after that time.",
};

pub static ZH: FollowUpWords = FollowUpWords {
    t_follow_up: "中位随访时间（反向 Kaplan–Meier 法）",
    t_conditional: "条件生存：在给定时间点仍存活的患者此后的中位生存期",
    t_conditional_at_times: "条件生存：在给定时间点仍存活的患者此后各时间点的生存率",
    c_median_follow_up: "中位随访时间",
    c_iqr: "四分位距",
    c_given: "存活至",
    c_time_since: "此后时间",
    c_median_since: "此后中位生存期",
    r_follow_up: "中位随访时间（反向 Kaplan–Meier 法）为 {median} {unit}（{level}% CI {ci}；四分位距 {iqr}）。",
    r_follow_up_nr: "中位随访时间（反向 Kaplan–Meier 法）未达到：删失的患者太少（多数随访以死亡结束），反向 Kaplan–Meier 曲线未降至一半。",
    s_follow_up: "中位随访时间表（反向 Kaplan–Meier 法）及结果段落",
    m_follow_up: "随访时间以反向 Kaplan–Meier 法 {c_schemper} 估计的中位随访时间概括：以删失为事件，任何原因的死亡均结束随访。",
    m_conditional: "对于存活至 {given} {unit}的患者，以 Kaplan–Meier 法 {c_km} 在随访超过该时间的患者中估计条件生存，时间自该时点重新计算。",
    m_conditional_times: "条件生存报告于该时点之后 {times} {unit}。",
};

/// The words of `lang`.
pub fn follow_up_words(lang: Lang) -> &'static FollowUpWords {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}
