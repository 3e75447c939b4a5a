//! The words of the target-trial emulation's figures and report part (clone–censor–
//! weight), per language. `{...}` are placeholders filled by the caller; numbers come
//! from [`crate::numbers`], time units from [`crate::figure_words`].

use crate::Lang;

/// Every text of the emulation figures and report part in one language.
#[derive(Debug)]
pub struct EmulationWords {
    // ---- arms (`{grace}` the grace period, `{unit}` its time unit)
    pub arm_treat: &'static str,
    pub arm_control: &'static str,
    /// The arms' short names (warnings: "the {arm} arm").
    pub arm_short_treat: &'static str,
    pub arm_short_control: &'static str,
    // ---- figures
    pub title_curves: &'static str,
    /// The curves' title on a narrow figure.
    pub title_curves_short: &'static str,
    pub title_flow: &'static str,
    /// The curves' corner note on the shaded bands (`{level}` e.g. 95).
    pub bands: &'static str,
    /// Flow boxes: `{n}`.
    pub flow_patients: &'static str,
    pub flow_cloned: &'static str,
    pub flow_clones: &'static str,
    pub flow_censored: &'static str,
    pub flow_censored_treat: &'static str,
    pub flow_censored_control: &'static str,
    pub flow_events: &'static str,
    pub flow_followed: &'static str,
    // ---- report: tables
    pub t_difference: &'static str,
    pub t_flow: &'static str,
    pub t_weights: &'static str,
    pub c_time: &'static str,
    pub c_difference: &'static str,
    pub c_ci: &'static str,
    pub c_arm: &'static str,
    pub c_clones: &'static str,
    pub c_censored: &'static str,
    pub c_events: &'static str,
    pub c_rmst: &'static str,
    pub beyond: &'static str,
    pub c_tau: &'static str,
    pub c_min: &'static str,
    pub c_median: &'static str,
    pub c_p99: &'static str,
    pub c_max: &'static str,
    pub c_mean: &'static str,
    /// The STROBE checklist's note where the emulation documents an item (TARGET).
    pub s_target: &'static str,
    // ---- report: captions
    pub fig_emulation_curves: &'static str,
    pub fig_emulation_flow: &'static str,
    // ---- report: methods. `{grace}`, `{unit}`, `{covariates}`, `{c_hernan}`, `{c_maringe}`,
    // `{c_target}`, `{bootstrap}`.
    pub m_emulation: &'static str,
    pub m_no_covariates: &'static str,
    /// `{replicates}`, `{seed}`.
    pub m_bootstrap: &'static str,
    pub m_no_bootstrap: &'static str,
    pub m_caution: &'static str,
    /// The form of the probability of remaining uncensored (spec
    /// `emulation.censoring_survival`): exponential (the default) or product-limit.
    pub m_exponential: &'static str,
    pub m_product_limit: &'static str,
    /// `{n}`: clones left out when their product-limit probability reached 0.
    pub m_left_out: &'static str,
    // ---- report: results. `{treat}`, `{control}`, `{time}`, `{unit}`, `{difference}`, `{ci}`.
    pub r_difference: &'static str,
    /// `{tau}`, `{unit}`, `{estimate}`, `{ci}`.
    pub r_rmst: &'static str,
}

const EN: EmulationWords = EmulationWords {
    arm_treat: "Treatment within {grace} {unit}",
    arm_control: "No treatment within {grace} {unit}",
    arm_short_treat: "treat",
    arm_short_control: "control",
    title_curves: "Emulated trial: survival under each strategy",
    title_curves_short: "Survival under each strategy",
    title_flow: "Emulated trial: clones, artificial censoring and deaths",
    bands: "Shaded: bootstrap {level}% percentile bands",
    flow_patients: "{n} patients",
    flow_cloned: "each cloned into both strategies",
    flow_clones: "{n} clones",
    flow_censored: "{n} artificially censored",
    flow_censored_treat: "untreated at the end of the grace period",
    flow_censored_control: "treated within the grace period",
    flow_events: "{n} deaths",
    flow_followed: "{n} followed as assigned",
    t_difference: "Emulated trial: survival under each strategy and the difference",
    t_flow: "Emulated trial: clones, artificial censoring and deaths",
    t_weights: "Inverse-probability-of-censoring weights of the clones at risk at the death times",
    c_time: "Time",
    c_difference: "Difference",
    c_ci: "95% CI (bootstrap)",
    c_arm: "Strategy",
    c_clones: "Clones",
    c_censored: "Artificially censored",
    c_events: "Deaths",
    c_rmst: "RMST difference",
    beyond: "beyond follow-up",
    c_tau: "τ",
    c_min: "Minimum",
    c_median: "Median",
    c_p99: "99th percentile",
    c_max: "Maximum",
    c_mean: "Mean",
    s_target: "target-trial emulation (clone–censor–weight), reported as the TARGET guideline asks",
    fig_emulation_curves: "Emulated target trial: weighted Kaplan–Meier survival under each strategy (treatment within the grace period vs not), with bootstrap percentile bands.",
    fig_emulation_flow: "Emulated target trial: patients, clones per strategy, clones artificially censored when they deviate from their strategy, and deaths (TARGET flow).",
    m_emulation: "The question “does local treatment within {grace} {unit} help?” was addressed by emulating a target trial with the clone–censor–weight method {c_hernan} {c_maringe}. Every patient was cloned into two strategies, local treatment within {grace} {unit} and no local treatment within {grace} {unit}; a clone was artificially censored when its patient deviated from its strategy (the treatment clone of a patient untreated at {grace} {unit}, the no-treatment clone at the time of treatment). In each strategy the artificial censoring was modelled by a Cox model (Breslow ties){covariates}, and each clone was weighted at every death time by the inverse of its predicted probability of remaining uncensored. Survival under each strategy was estimated by the weighted Kaplan–Meier method (R: survSplit at every death time, then survfit(Surv(tstart, tstop, event) ~ arm, weights = w)); the difference in survival at fixed times and in restricted mean survival time (RMST) compares the strategies. {bootstrap} The emulation is reported following the TARGET guideline {c_target}.",
    m_no_covariates: " without covariates (the weights are those of the Nelson–Aalen estimate of censoring)",
    m_bootstrap: "Confidence intervals are bootstrap percentile intervals from {replicates} resamples of patients (both clones of a patient together; seed {seed}).",
    m_no_bootstrap: "No bootstrap was asked: the estimates carry no confidence interval.",
    m_caution: "The strategies were not randomised: the weights remove the confounding of the timing of treatment by the measured covariates only; unmeasured confounding remains possible.",
    m_exponential: "The predicted probability of remaining uncensored just before t was exp(−Λ₀(t)·exp(xβ)), with Λ₀ the Breslow baseline cumulative hazard of artificial censoring (R: the default of survfit.coxph).",
    m_product_limit: "The predicted probability of remaining uncensored just before t was the product-limit form Π_{s<t}(1 − dΛ₀(s)·exp(xβ)) over the jumps dΛ₀(s) of the Breslow baseline cumulative hazard of artificial censoring (R: cumprod of 1 − the basehaz increments × exp(xβ)); unlike exp(−Λ₀·exp(xβ)), it is not biased when many clones are censored at once at the end of the grace period.",
    m_left_out: "{n} clone(s) whose predicted probability of remaining uncensored reached 0 were left out from that time (their weight is undefined).",
    r_difference: "At {time} {unit}, survival was {treat} with treatment within the grace period and {control} without (difference {difference}, 95% CI {ci}).",
    r_rmst: "Restricted mean survival up to {tau} {unit} differed by {estimate} {unit} (95% CI {ci}).",
};

const ZH: EmulationWords = EmulationWords {
    arm_treat: "{grace} {unit}内局部治疗",
    arm_control: "{grace} {unit}内未局部治疗",
    arm_short_treat: "宽限期内治疗",
    arm_short_control: "宽限期内未治疗",
    title_curves: "模拟目标试验：各策略下的生存",
    title_curves_short: "各策略下的生存",
    title_flow: "模拟目标试验：克隆、人为删失与死亡",
    bands: "阴影：bootstrap {level}% 百分位区间",
    flow_patients: "{n} 例患者",
    flow_cloned: "每例克隆为两种策略",
    flow_clones: "{n} 个克隆",
    flow_censored: "{n} 个人为删失",
    flow_censored_treat: "宽限期结束时仍未治疗",
    flow_censored_control: "宽限期内已治疗",
    flow_events: "{n} 例死亡",
    flow_followed: "{n} 个按策略随访",
    t_difference: "模拟目标试验：各策略下的生存及其差值",
    t_flow: "模拟目标试验：克隆、人为删失与死亡",
    t_weights: "死亡时点处于风险中的克隆的逆概率删失权重",
    c_time: "时间",
    c_difference: "差值",
    c_ci: "95% CI（bootstrap）",
    c_arm: "策略",
    c_clones: "克隆数",
    c_censored: "人为删失",
    c_events: "死亡",
    c_rmst: "RMST 差值",
    beyond: "超出随访",
    c_tau: "τ",
    c_min: "最小值",
    c_median: "中位数",
    c_p99: "第 99 百分位数",
    c_max: "最大值",
    c_mean: "均值",
    s_target: "目标试验模拟（克隆–删失–加权），按 TARGET 指南报告",
    fig_emulation_curves: "模拟目标试验：各策略（宽限期内局部治疗 vs 未治疗）下的加权 Kaplan–Meier 生存曲线，阴影为 bootstrap 百分位区间。",
    fig_emulation_flow: "模拟目标试验：患者、每种策略的克隆、偏离策略而被人为删失的克隆及死亡（TARGET 流程图）。",
    m_emulation: "为回答“{grace} {unit}内接受局部治疗是否有益”，采用克隆–删失–加权法模拟目标试验 {c_hernan} {c_maringe}。每例患者被克隆为两种策略：{grace} {unit}内局部治疗与{grace} {unit}内不局部治疗；当患者偏离某一策略时，该策略的克隆被人为删失（{grace} {unit}时仍未治疗者的治疗克隆、接受治疗时的未治疗克隆）。在每种策略中以 Cox 模型（Breslow 结处理）{covariates}对人为删失建模，并在每个死亡时点以预测的未删失概率的倒数为每个克隆加权。各策略下的生存以加权 Kaplan–Meier 法估计（R：在每个死亡时点 survSplit，再 survfit(Surv(tstart, tstop, event) ~ arm, weights = w)）；以固定时点的生存率差值及限制平均生存时间（RMST）差值比较两种策略。{bootstrap}本模拟按 TARGET 指南 {c_target} 报告。",
    m_no_covariates: "（不含协变量，权重即删失的 Nelson–Aalen 估计）",
    m_bootstrap: "置信区间为对患者重抽样 {replicates} 次（同一患者的两个克隆一起抽取；随机种子 {seed}）的 bootstrap 百分位区间。",
    m_no_bootstrap: "未进行 bootstrap：估计值无置信区间。",
    m_caution: "两种策略并非随机分配：加权仅消除已测量协变量对治疗时机的混杂，仍可能存在未测量混杂。",
    m_exponential: "t 时刻之前仍未删失的预测概率取 exp(−Λ₀(t)·exp(xβ))，其中 Λ₀ 为人为删失的 Breslow 基线累积风险（R：survfit.coxph 的默认方法）。",
    m_product_limit: "t 时刻之前仍未删失的预测概率取乘积极限形式 Π_{s<t}(1 − dΛ₀(s)·exp(xβ))，dΛ₀(s) 为人为删失的 Breslow 基线累积风险的跳跃（R：basehaz 增量 × exp(xβ) 后以 1 减之再 cumprod）；与 exp(−Λ₀·exp(xβ)) 不同，当宽限期结束时大量克隆同时删失时它不产生偏倚。",
    m_left_out: "有 {n} 个克隆的预测未删失概率降为 0，自该时间起被排除（其权重无定义）。",
    r_difference: "{time} {unit}时，宽限期内治疗者的生存率为 {treat}，未治疗者为 {control}（差值 {difference}，95% CI {ci}）。",
    r_rmst: "至 {tau} {unit}的限制平均生存时间相差 {estimate} {unit}（95% CI {ci}）。",
};

/// The emulation's words in `lang`.
pub fn emulation_words(lang: Lang) -> &'static EmulationWords {
    match lang {
        Lang::Zh => &ZH,
        _ => &EN,
    }
}

/// The strategy's short name of an arm code (`treat`, `control`) in `lang`, as warnings
/// read it; `None` for another code.
pub fn arm_name(arm: &str, lang: Lang) -> Option<&'static str> {
    let w = emulation_words(lang);
    match arm {
        "treat" => Some(w.arm_short_treat),
        "control" => Some(w.arm_short_control),
        _ => None,
    }
}

/// An arm's label: `template` (`arm_treat`, `arm_control`) with the grace period and its unit.
pub fn arm_label(template: &str, grace: &str, unit: &str) -> String {
    template.replace("{grace}", grace).replace("{unit}", unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_placeholders() {
        let pairs = [
            (EN.arm_treat, ZH.arm_treat),
            (EN.arm_control, ZH.arm_control),
            (EN.bands, ZH.bands),
            (EN.flow_patients, ZH.flow_patients),
            (EN.flow_clones, ZH.flow_clones),
            (EN.flow_censored, ZH.flow_censored),
            (EN.flow_events, ZH.flow_events),
            (EN.flow_followed, ZH.flow_followed),
            (EN.m_emulation, ZH.m_emulation),
            (EN.m_bootstrap, ZH.m_bootstrap),
            (EN.m_exponential, ZH.m_exponential),
            (EN.m_product_limit, ZH.m_product_limit),
            (EN.m_left_out, ZH.m_left_out),
            (EN.r_difference, ZH.r_difference),
            (EN.r_rmst, ZH.r_rmst),
        ];
        let holes = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(a, _)| a.to_string()))
                .collect();
            v.sort();
            v.dedup();
            v
        };
        for (en, zh) in pairs {
            assert_eq!(holes(en), holes(zh), "{en}");
        }
        assert_eq!(
            arm_label(EN.arm_treat, "6", "months"),
            "Treatment within 6 months"
        );
        assert_eq!(arm_label(ZH.arm_control, "6", "月"), "6 月内未局部治疗");
        assert_eq!(arm_name("control", Lang::Zh), Some("宽限期内未治疗"));
        assert_eq!(arm_name("treat", Lang::En), Some("treat"));
        assert_eq!(arm_name("IM", Lang::Zh), None);
        // A warning's arm reads as the strategy in Chinese.
        let mut context = crate::Context::new();
        context.insert("arm".into(), "control".into());
        context.insert("max_weight".into(), 20.12.into());
        context.insert("threshold".into(), 10.0.into());
        let zh = crate::warning_text(
            survlens_contract::warning_code::WarningCode::EmulationExtremeWeights,
            &context,
            Lang::Zh,
        )
        .unwrap();
        assert!(
            zh.contains("宽限期内未治疗 组") && !zh.contains("control"),
            "{zh}"
        );
    }
}
