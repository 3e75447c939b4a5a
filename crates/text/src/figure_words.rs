//! The words drawn inside figures (axis titles, risk-table rows, legends), per
//! language. Figures get the language from their options (`lang: "en" | "zh"`);
//! data (group labels, term names) is drawn as it is. Chinese glyphs come from the
//! CJK fallbacks of the figures' font family (render's `plot::style::FONT_FAMILY`) (SVG: the viewer's fonts; canvas:
//! the browser's).

use crate::Lang;

/// Every text of the figures in one language. `{unit}` is the time unit's name.
#[derive(Debug)]
pub struct PlotWords {
    pub survival_percent: &'static str,
    pub time: &'static str,
    pub time_unit: &'static str,
    pub time_log: &'static str,
    pub time_unit_log: &'static str,
    pub log_rank: &'static str,
    pub fleming_harrington: &'static str,
    pub number_at_risk: &'static str,
    pub at_risk: &'static str,
    pub censored: &'static str,
    pub events: &'static str,
    pub term: &'static str,
    pub multivariable_hr: &'static str,
    pub univariable_hr: &'static str,
    pub hazard_ratio_log: &'static str,
    pub multivariable: &'static str,
    pub univariable: &'static str,
    pub smd_axis: &'static str,
    pub smd_axis_pairs: &'static str,
    pub before_weighting: &'static str,
    pub after_weighting: &'static str,
    /// The overlap figure's axis: `{group}` is the group label.
    pub ps_given: &'static str,
    pub pct_of_group: &'static str,
    /// The overlap figure's table (its text alternative): the bin column's head, and
    /// each group's column (`{group}` is the group label).
    pub ps_bin: &'static str,
    pub pct_of_named_group: &'static str,
    pub ph_test: &'static str,
    /// The Schoenfeld figure's y axis: `{term}` is the term name.
    pub beta_for: &'static str,
    /// The cumulative incidence figure's y axis (proportion, percent).
    pub cumulative_incidence: &'static str,
    pub cumulative_incidence_percent: &'static str,
    /// Its legend: the line styles of the two causes and of the 1 − KM overlay.
    pub event_of_interest: &'static str,
    pub competing_event: &'static str,
    pub one_minus_km: &'static str,
    /// Its corner label: "Gray's test p = 0.012" (the p from the formatter).
    pub gray_test: &'static str,
    /// The title of the weighted (IPTW) cumulative incidence figure.
    pub weighted_cif: &'static str,
    /// The conditional survival figure: each panel's title (`{s}` the given time,
    /// `{unit}` its unit's name) and its time axis (the clock restarts at s).
    pub alive_at: &'static str,
    pub time_since_s: &'static str,
    /// The subgroup forest plot: its column heads, the overall row, the interaction p
    /// ("p for interaction: {p}", the p of the formatter's cell rule), a level without an estimate, and a comparison
    /// line when there are more than two groups (`{group}` vs `{reference}`).
    pub subgroup: &'static str,
    pub overall: &'static str,
    pub events_of_n: &'static str,
    pub hr_ci: &'static str,
    pub p_interaction: &'static str,
    pub no_estimate: &'static str,
    pub versus: &'static str,
    pub days: &'static str,
    pub weeks: &'static str,
    pub months: &'static str,
    pub years: &'static str,
}

pub static EN: PlotWords = PlotWords {
    survival_percent: "Survival probability (%)",
    time: "Time",
    time_unit: "Time ({unit})",
    time_log: "Time (log scale)",
    time_unit_log: "Time ({unit}, log scale)",
    log_rank: "Log-rank",
    fleming_harrington: "Fleming–Harrington (ρ = {rho})",
    number_at_risk: "Number at risk",
    at_risk: "At risk",
    censored: "Censored",
    events: "Events",
    term: "Term",
    multivariable_hr: "Multivariable HR (95% CI)",
    univariable_hr: "Univariable HR (95% CI)",
    hazard_ratio_log: "Hazard ratio (log scale)",
    multivariable: "multivariable",
    univariable: "univariable",
    smd_axis: "Absolute standardized mean difference",
    smd_axis_pairs: "Largest absolute standardized mean difference over pairs of groups",
    before_weighting: "Before weighting",
    after_weighting: "After weighting",
    ps_given: "P({group} | covariates)",
    pct_of_group: "% of group",
    ps_bin: "Propensity score (bin)",
    pct_of_named_group: "{group}: % of the group",
    ph_test: "PH test",
    beta_for: "β(t) for {term}",
    cumulative_incidence: "Cumulative incidence",
    cumulative_incidence_percent: "Cumulative incidence (%)",
    event_of_interest: "Event of interest",
    competing_event: "Competing event",
    one_minus_km: "1 − Kaplan–Meier (event of interest)",
    gray_test: "Gray's test",
    weighted_cif: "Weighted cumulative incidence (IPTW)",
    alive_at: "Alive at s = {s} {unit}",
    time_since_s: "Time since s ({unit})",
    subgroup: "Subgroup",
    overall: "Overall",
    events_of_n: "events/n",
    hr_ci: "HR (95% CI)",
    p_interaction: "p for interaction: {p}",
    no_estimate: "not estimable (an arm without events)",
    versus: "{group} vs {reference}",
    days: "days",
    weeks: "weeks",
    months: "months",
    years: "years",
};

pub static ZH: PlotWords = PlotWords {
    survival_percent: "生存概率（%）",
    time: "时间",
    time_unit: "时间（{unit}）",
    time_log: "时间（对数刻度）",
    time_unit_log: "时间（{unit}，对数刻度）",
    log_rank: "对数秩检验",
    fleming_harrington: "Fleming–Harrington 检验（ρ = {rho}）",
    number_at_risk: "风险人数",
    at_risk: "风险人数",
    censored: "删失数",
    events: "事件数",
    term: "变量",
    multivariable_hr: "多因素 HR（95% CI）",
    univariable_hr: "单因素 HR（95% CI）",
    hazard_ratio_log: "风险比（对数刻度）",
    multivariable: "多因素",
    univariable: "单因素",
    smd_axis: "标准化均数差绝对值",
    smd_axis_pairs: "各组两两之间标准化均数差绝对值的最大值",
    before_weighting: "加权前",
    after_weighting: "加权后",
    ps_given: "P({group} | 协变量)",
    pct_of_group: "组内百分比（%）",
    ps_bin: "倾向评分（区间）",
    pct_of_named_group: "{group}：组内百分比（%）",
    ph_test: "PH 检验",
    beta_for: "{term} 的 β(t)",
    cumulative_incidence: "累积发生率",
    cumulative_incidence_percent: "累积发生率（%）",
    event_of_interest: "关注事件",
    competing_event: "竞争事件",
    one_minus_km: "1 − Kaplan–Meier（关注事件）",
    gray_test: "Gray 检验",
    weighted_cif: "加权累积发生率（IPTW）",
    alive_at: "s = {s}（{unit}）时仍存活的患者",
    time_since_s: "自 s 起的时间（{unit}）",
    subgroup: "亚组",
    overall: "全部患者",
    events_of_n: "事件数/例数",
    hr_ci: "HR（95% CI）",
    p_interaction: "交互作用 p：{p}",
    no_estimate: "无法估计（某组无事件）",
    versus: "{group} 对比 {reference}",
    days: "天",
    weeks: "周",
    months: "月",
    years: "年",
};

thread_local! {
    static PAGE_LANG: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::En) };
}

/// Sets the language of figures whose options do not name one (the page's language
/// switch calls it through the wasm export `set_figure_language`; natively it stays
/// English).
pub fn set_page_lang(lang: Lang) {
    PAGE_LANG.with(|l| l.set(lang));
}

/// The language of figures whose options do not name one (serde default of `lang`).
pub fn page_lang() -> Lang {
    PAGE_LANG.with(|l| l.get())
}

/// The figure words of `lang`.
pub fn words(lang: Lang) -> &'static PlotWords {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

impl PlotWords {
    /// The name of a time unit code (`days` ... `years`); another text as it is.
    pub fn unit<'a>(&self, code: &'a str) -> &'a str
    where
        'static: 'a,
    {
        match code {
            "days" => self.days,
            "weeks" => self.weeks,
            "months" => self.months,
            "years" => self.years,
            other => other,
        }
    }

    /// "Time (months)" in this language.
    pub fn time_axis(&self, unit_code: Option<&str>) -> String {
        unit_code.map_or(self.time.to_string(), |u| {
            self.time_unit.replace("{unit}", self.unit(u))
        })
    }

    /// "Time (months, log scale)" in this language.
    pub fn time_axis_log(&self, unit_code: Option<&str>) -> String {
        unit_code.map_or(self.time_log.to_string(), |u| {
            self.time_unit_log.replace("{unit}", self.unit(u))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_axis_titles_name_the_unit_in_chinese() {
        assert_eq!(ZH.time_axis(Some("months")), "时间（月）");
        assert_eq!(EN.time_axis(Some("months")), "Time (months)");
        assert_eq!(ZH.time_axis_log(None), "时间（对数刻度）");
        assert_eq!(EN.time_axis(Some("visits")), "Time (visits)");
    }
}
