//! The words of the `sites` parts (several hospitals, no patient data moved): the
//! plain-words preview of a site summary, the forest plot by site and the pooled life
//! table, and the pooled-analysis report, per language. `{...}` are `fill`
//! placeholders; data (site names, group labels, terms) is never translated.

use crate::Lang;

/// Every text of the sites figures, preview and report in one language.
#[derive(Debug)]
pub struct SitesWords {
    // ---- preview of a site summary (what the file contains, before it is saved)
    /// `{site}`.
    pub p_site: &'static str,
    /// `{sha}`: the protocol's SHA-256.
    pub p_protocol: &'static str,
    /// `{n}` patients, `{events}` deaths.
    pub p_totals: &'static str,
    /// `{groups}`: the group labels; `{k}` the number of groups.
    pub p_logrank: &'static str,
    /// `{p}` terms, `{terms}` their names.
    pub p_cox: &'static str,
    pub p_no_cox: &'static str,
    /// `{n}` coefficient vectors (the rounds).
    pub p_rounds: &'static str,
    /// `{width}` the interval width, `{bins}` the intervals over all groups, `{min_cell}`.
    pub p_binned: &'static str,
    /// `{groups}`: the groups shown without bins (fewer than min_cell patients).
    pub p_binned_suppressed: &'static str,
    pub p_never: &'static str,
    /// `{n}` warnings.
    pub p_warnings: &'static str,
    pub p_checksum: &'static str,
    // ---- page guidance of the rounds
    /// `{round}`, `{about}`.
    pub g_next: &'static str,
    /// `{round}`.
    pub g_converged: &'static str,
    // ---- figures
    pub f_site: &'static str,
    pub f_hr_ci: &'static str,
    pub f_weight: &'static str,
    pub f_fixed: &'static str,
    pub f_random: &'static str,
    /// `{i2}`, `{tau2}`.
    pub f_heterogeneity: &'static str,
    pub f_not_included: &'static str,
    /// The life table's title; `{width}` the interval width.
    pub f_life_title: &'static str,
    /// The life table's y axis.
    pub f_life_axis: &'static str,
    /// The corner label of the life table.
    pub f_life_corner: &'static str,
    // ---- report
    /// `{n}` sites.
    pub title: &'static str,
    /// `{software}`, `{sites}`.
    pub generated_by: &'static str,
    pub h_methods: &'static str,
    pub h_results: &'static str,
    pub h_figures: &'static str,
    pub h_tables: &'static str,
    pub h_warnings: &'static str,
    pub h_provenance: &'static str,
    pub no_warnings: &'static str,
    pub t_sites: &'static str,
    pub t_logrank: &'static str,
    pub t_meta: &'static str,
    pub t_cox: &'static str,
    pub t_rounds: &'static str,
    /// `{width}`.
    pub t_life: &'static str,
    pub c_site: &'static str,
    pub c_patients: &'static str,
    pub c_deaths: &'static str,
    pub c_checksum: &'static str,
    pub c_group: &'static str,
    pub c_observed: &'static str,
    pub c_expected: &'static str,
    pub c_term: &'static str,
    pub c_fixed: &'static str,
    pub c_random: &'static str,
    pub c_tau2: &'static str,
    pub c_i2: &'static str,
    pub c_q: &'static str,
    pub c_hr: &'static str,
    pub c_p: &'static str,
    pub c_interval: &'static str,
    pub c_at_risk: &'static str,
    pub c_events: &'static str,
    pub c_censored: &'static str,
    pub c_surv: &'static str,
    pub all_sites: &'static str,
    pub not_converged: &'static str,
    /// `{chisq}`, `{df}`, `{p}`.
    pub logrank_line: &'static str,
    /// `{round}`, `{null}`, `{fit}`.
    pub converged_line: &'static str,
    /// `{round}`.
    pub pending_line: &'static str,
    // methods
    /// `{n}` sites, `{sites}` their names, `{sha}`.
    pub m_design: &'static str,
    pub m_logrank: &'static str,
    pub m_meta: &'static str,
    pub m_cox: &'static str,
    /// `{width}`.
    pub m_life: &'static str,
    pub m_r: &'static str,
    // results
    /// `{n}`, `{events}`, `{sites}`.
    pub r_counts: &'static str,
    /// `{term}`, `{fe}`, `{fe_ci}`, `{re}`, `{re_ci}`, `{i2}`, `{tau2}`.
    pub r_meta: &'static str,
    /// `{term}`, `{hr}`, `{ci}`, `{p}`.
    pub r_cox: &'static str,
    // provenance
    pub prov_protocol: &'static str,
    pub prov_software: &'static str,
    pub prov_files: &'static str,
    // figure captions
    pub fig_forest: &'static str,
    /// `{width}`.
    pub fig_life: &'static str,
    pub label_figure: &'static str,
    pub label_table: &'static str,
}

pub static EN: SitesWords = SitesWords {
    p_site: "Site name: {site}.",
    p_protocol: "The protocol's fingerprint (SHA-256): {sha}, so that the coordinator combines only sites that ran the same analysis.",
    p_totals: "The number of patients analysed ({n}) and of deaths ({events}) at this site.",
    p_logrank: "Per group ({groups}): the number of patients, the observed and expected deaths, and their {k} × {k} covariance matrix (the log-rank aggregates, exact).",
    p_cox: "The site's own Cox model: {p} coefficients ({terms}), their hazard ratios with 95% confidence intervals, and their covariance matrix.",
    p_no_cox: "No Cox model of the site (no model in the protocol, or no deaths).",
    p_rounds: "For the pooled Cox model: the log partial likelihood, its score and its information matrix at the coefficients of every round so far (β = 0, then those the coordinator sent; {n} in all).",
    p_binned: "Counts at risk, deaths and censored per {width}-unit interval for each group ({bins} intervals in all); where a count would be below {min_cell}, intervals are merged until it is not.",
    p_binned_suppressed: "No interval counts for {groups}: fewer than the minimum count of patients (shown as suppressed).",
    p_never: "No patient row, no line number, no date, no exact event time, no identifier.",
    p_warnings: "{n} notes of the analysis (their codes and sentences).",
    p_checksum: "The SurvLens version and a checksum of the file's content (an edited file is refused).",
    g_next: "Round {round} of about {about}: send this file to every site.",
    g_converged: "Converged after {round} rounds.",
    f_site: "Site",
    f_hr_ci: "HR (95% CI)",
    f_weight: "Weight (RE)",
    f_fixed: "Fixed effect",
    f_random: "Random effects (REML)",
    f_heterogeneity: "I² = {i2}%, τ² = {tau2}",
    f_not_included: "not estimable",
    f_life_title: "Pooled life table (counts per {width}-unit interval)",
    f_life_axis: "Survival, life table (%)",
    f_life_corner: "Life table, not Kaplan–Meier",
    title: "Pooled analysis of {n} sites",
    generated_by: "Generated by SurvLens {software} from the site summaries of {sites}; no patient-level data was combined.",
    h_methods: "Methods",
    h_results: "Results",
    h_figures: "Figures",
    h_tables: "Tables",
    h_warnings: "Warnings",
    h_provenance: "Provenance",
    no_warnings: "None.",
    t_sites: "Patients and deaths by site",
    t_logrank: "Log-rank test stratified by site",
    t_meta: "Meta-analysis of the sites' hazard ratios",
    t_cox: "Site-stratified Cox model (exact, by distributed Newton–Raphson)",
    t_rounds: "Rounds of the site-stratified Cox model",
    t_life: "Pooled life table (counts per {width}-unit interval)",
    c_site: "Site",
    c_patients: "Patients",
    c_deaths: "Deaths",
    c_checksum: "Summary checksum",
    c_group: "Group",
    c_observed: "Observed",
    c_expected: "Expected",
    c_term: "Term",
    c_fixed: "Fixed effect HR (95% CI)",
    c_random: "Random effects HR (95% CI)",
    c_tau2: "τ²",
    c_i2: "I²",
    c_q: "Q (p)",
    c_hr: "HR (95% CI)",
    c_p: "p",
    c_interval: "Interval",
    c_at_risk: "At risk",
    c_events: "Deaths",
    c_censored: "Censored",
    c_surv: "Survival at the end",
    all_sites: "All sites",
    not_converged: "The site-stratified Cox model has not converged yet: further rounds are needed.",
    logrank_line: "χ² = {chisq} on {df} df, {p}.",
    converged_line: "Converged after {round} rounds; log partial likelihood {null} at β = 0 and {fit} at the estimate.",
    pending_line: "Round {round}: not converged yet.",
    m_design: "Each of {n} sites ({sites}) ran the same protocol (SHA-256 {sha}) on its own patients and exported a site summary of aggregates only; no patient-level data left a site.",
    m_logrank: "The groups were compared by the log-rank test stratified by site: the sites' observed and expected deaths and the covariance matrices of O − E were summed, which gives exactly the stratified test on the pooled rows (survdiff(Surv(time, status) ~ group + strata(site)) in R).",
    m_meta: "Each site's own Cox model gave its log hazard ratios and standard errors; these were combined by inverse-variance fixed-effect and random-effects meta-analysis, the between-site variance τ² estimated by restricted maximum likelihood, with I² and Cochran's Q (metafor::rma(yi, sei, method = \"FE\") and method = \"REML\" in R).",
    m_cox: "The site-stratified Cox model was fitted exactly by distributed Newton–Raphson: in each round the coordinator sent the current coefficients, every site returned the log partial likelihood, score and information of its patients at those coefficients, and the coordinator summed them and took the Newton step (step halving when the log-likelihood fell), until the relative change of the log-likelihood was below 1e-9, as coxph does. The result equals coxph(Surv(time, status) ~ group + covariates + strata(site)) on the pooled rows.",
    m_life: "The pooled survival curve is a life table computed from the sites' counts at risk, deaths and censored per {width}-unit interval (S = Π (1 − d / (n − c/2))), not a Kaplan–Meier curve; each site merged intervals whose counts were below its minimum count (min_cell) before export.",
    m_r: "Every number can be checked in R against the pooled rows where these are available.",
    r_counts: "The {sites} sites contributed {n} patients and {events} deaths.",
    r_meta: "For {term}, the fixed-effect hazard ratio was {fe} (95% CI {fe_ci}) and the random-effects hazard ratio {re} (95% CI {re_ci}; I² = {i2}%, τ² = {tau2}).",
    r_cox: "In the site-stratified Cox model, the hazard ratio of {term} was {hr} (95% CI {ci}; {p}).",
    prov_protocol: "Protocol SHA-256",
    prov_software: "Software",
    prov_files: "Site summaries (in the order given)",
    fig_forest: "Hazard ratio of each site's own Cox model with its 95% confidence interval (squares), and the fixed-effect and random-effects (REML) pooled estimates (diamonds), on a log scale.",
    fig_life: "Pooled life table of the sites' counts per {width}-unit interval: survival at the end of each interval, with the number at risk under the axis (a life table, not a Kaplan–Meier curve).",
    label_figure: "Figure {n}",
    label_table: "Table {n}",
};

pub static ZH: SitesWords = SitesWords {
    p_site: "中心名称：{site}。",
    p_protocol: "分析方案的指纹（SHA-256）：{sha}，以便协调方只合并运行了同一分析的中心。",
    p_totals: "本中心分析的患者数（{n}）与死亡数（{events}）。",
    p_logrank: "每组（{groups}）：患者数、观察与期望死亡数，以及其 {k} × {k} 协方差矩阵（对数秩检验的汇总量，精确值）。",
    p_cox: "本中心自己的 Cox 模型：{p} 个系数（{terms}）、其风险比及 95% 置信区间，以及系数的协方差矩阵。",
    p_no_cox: "无本中心的 Cox 模型（方案中无模型，或无死亡）。",
    p_rounds: "用于合并 Cox 模型：迄今每一轮系数（β = 0 及协调方发来的系数，共 {n} 组）处的对数偏似然、得分向量与信息矩阵。",
    p_binned: "每组每 {width} 个时间单位区间的风险人数、死亡数与删失数（共 {bins} 个区间）；计数低于 {min_cell} 时合并相邻区间，直至不低于此数。",
    p_binned_suppressed: "{groups} 无区间计数：患者数少于最小计数（显示为已隐去）。",
    p_never: "不含任何患者行、行号、日期、确切事件时间或身份标识。",
    p_warnings: "分析的 {n} 条提示（代码与说明）。",
    p_checksum: "SurvLens 版本及文件内容的校验和（被修改的文件将被拒绝）。",
    g_next: "第 {round} 轮，约共 {about} 轮：请将此文件发送给每个中心。",
    g_converged: "经 {round} 轮后收敛。",
    f_site: "中心",
    f_hr_ci: "HR（95% CI）",
    f_weight: "权重（随机）",
    f_fixed: "固定效应",
    f_random: "随机效应（REML）",
    f_heterogeneity: "I² = {i2}%，τ² = {tau2}",
    f_not_included: "无法估计",
    f_life_title: "合并寿命表（每 {width} 个时间单位区间的计数）",
    f_life_axis: "生存率，寿命表（%）",
    f_life_corner: "寿命表，非 Kaplan–Meier",
    title: "{n} 个中心的合并分析",
    generated_by: "由 SurvLens {software} 根据 {sites} 的中心汇总生成；未合并任何患者层面的数据。",
    h_methods: "方法",
    h_results: "结果",
    h_figures: "图",
    h_tables: "表",
    h_warnings: "警告",
    h_provenance: "来源",
    no_warnings: "无。",
    t_sites: "各中心的患者数与死亡数",
    t_logrank: "按中心分层的对数秩检验",
    t_meta: "各中心风险比的 meta 分析",
    t_cox: "按中心分层的 Cox 模型（精确，分布式 Newton–Raphson）",
    t_rounds: "按中心分层 Cox 模型的轮次",
    t_life: "合并寿命表（每 {width} 个时间单位区间的计数）",
    c_site: "中心",
    c_patients: "患者数",
    c_deaths: "死亡数",
    c_checksum: "汇总文件校验和",
    c_group: "组别",
    c_observed: "观察数",
    c_expected: "期望数",
    c_term: "项",
    c_fixed: "固定效应 HR（95% CI）",
    c_random: "随机效应 HR（95% CI）",
    c_tau2: "τ²",
    c_i2: "I²",
    c_q: "Q（p）",
    c_hr: "HR（95% CI）",
    c_p: "p",
    c_interval: "区间",
    c_at_risk: "风险人数",
    c_events: "死亡数",
    c_censored: "删失数",
    c_surv: "区间末生存率",
    all_sites: "全部中心",
    not_converged: "按中心分层的 Cox 模型尚未收敛：还需要更多轮次。",
    logrank_line: "χ² = {chisq}，自由度 {df}，{p}。",
    converged_line: "经 {round} 轮后收敛；β = 0 时对数偏似然为 {null}，估计值处为 {fit}。",
    pending_line: "第 {round} 轮：尚未收敛。",
    m_design: "{n} 个中心（{sites}）各自在本中心患者中运行同一分析方案（SHA-256 {sha}），并导出仅含汇总量的中心汇总文件；没有任何患者层面的数据离开中心。",
    m_logrank: "以按中心分层的对数秩检验比较各组：将各中心的观察与期望死亡数及 O − E 的协方差矩阵相加，结果与在合并数据上进行的分层检验完全相同（R 中为 survdiff(Surv(time, status) ~ group + strata(site))）。",
    m_meta: "各中心自己的 Cox 模型给出对数风险比及其标准误；以逆方差固定效应与随机效应 meta 分析合并，中心间方差 τ² 以限制性最大似然法估计，并给出 I² 与 Cochran Q（R 中为 metafor::rma(yi, sei, method = \"FE\") 与 method = \"REML\"）。",
    m_cox: "按中心分层的 Cox 模型以分布式 Newton–Raphson 精确拟合：每一轮由协调方发送当前系数，各中心返回本中心患者在该系数处的对数偏似然、得分向量与信息矩阵，协调方求和后进行 Newton 迭代（对数似然下降时步长减半），直至对数似然的相对变化小于 1e-9（与 coxph 相同）。结果等于在合并数据上拟合的 coxph(Surv(time, status) ~ group + covariates + strata(site))。",
    m_life: "合并生存曲线是由各中心每 {width} 个时间单位区间的风险人数、死亡数与删失数计算的寿命表（S = Π (1 − d / (n − c/2))），而非 Kaplan–Meier 曲线；各中心在导出前已将计数低于最小计数（min_cell）的区间合并。",
    m_r: "在可获得合并数据时，所有数值均可在 R 中核对。",
    r_counts: "{sites} 个中心共纳入 {n} 例患者，{events} 例死亡。",
    r_meta: "{term} 的固定效应风险比为 {fe}（95% 置信区间 {fe_ci}），随机效应风险比为 {re}（95% 置信区间 {re_ci}；I² = {i2}%，τ² = {tau2}）。",
    r_cox: "在按中心分层的 Cox 模型中，{term} 的风险比为 {hr}（95% 置信区间 {ci}；{p}）。",
    prov_protocol: "分析方案 SHA-256",
    prov_software: "软件",
    prov_files: "中心汇总文件（按给出顺序）",
    fig_forest: "各中心自己的 Cox 模型的风险比及 95% 置信区间（方块），以及固定效应与随机效应（REML）合并估计（菱形），对数刻度。",
    fig_life: "由各中心每 {width} 个时间单位区间计数得到的合并寿命表：各区间末的生存率，横轴下方为风险人数（寿命表，非 Kaplan–Meier 曲线）。",
    label_figure: "图 {n}",
    label_table: "表 {n}",
};

/// The words of `lang`.
pub fn sites_words(lang: Lang) -> &'static SitesWords {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// The plain-words lines of exactly what the site summary `s` contains, in `lang`: what
/// the page shows before the file is saved. One line per part of the document (the site,
/// the protocol, the totals, the log-rank aggregates, the Cox model, the rounds, the
/// binned counts, the notes, the checksum), then what it never holds.
pub fn preview(s: &survlens_contract::sites::SiteSummary, lang: Lang) -> Vec<String> {
    use crate::i18n::fill;
    use crate::numbers::{count, label_value};
    let w = sites_words(lang);
    let list = |items: &[String]| items.join(if lang == Lang::Zh { "、" } else { ", " });
    let mut out = vec![
        fill(w.p_site, &[("site", &s.site)]),
        fill(w.p_protocol, &[("sha", &s.protocol_sha256)]),
        fill(
            w.p_totals,
            &[
                ("n", &count(s.n as f64)),
                ("events", &count(s.n_events as f64)),
            ],
        ),
    ];
    let groups: Vec<String> = s.logrank.groups.iter().map(|g| g.label.clone()).collect();
    out.push(fill(
        w.p_logrank,
        &[
            ("groups", &list(&groups)),
            ("k", &s.logrank.groups.len().to_string()),
        ],
    ));
    match &s.cox {
        Some(c) => {
            let terms: Vec<String> = c.terms.iter().map(|t| t.name.clone()).collect();
            out.push(fill(
                w.p_cox,
                &[("p", &c.terms.len().to_string()), ("terms", &list(&terms))],
            ));
        }
        None => out.push(w.p_no_cox.to_string()),
    }
    if !s.cox_rounds.is_empty() {
        out.push(fill(w.p_rounds, &[("n", &s.cox_rounds.len().to_string())]));
    }
    let bins: usize = s.km_binned.groups.iter().map(|g| g.n_risk.len()).sum();
    out.push(fill(
        w.p_binned,
        &[
            ("width", &label_value(s.km_binned.width)),
            ("bins", &bins.to_string()),
            ("min_cell", &s.min_cell.to_string()),
        ],
    ));
    let suppressed: Vec<String> = s
        .km_binned
        .groups
        .iter()
        .filter(|g| g.suppressed)
        .map(|g| g.label.clone())
        .collect();
    if !suppressed.is_empty() {
        out.push(fill(
            w.p_binned_suppressed,
            &[("groups", &list(&suppressed))],
        ));
    }
    if !s.warnings.is_empty() {
        out.push(fill(w.p_warnings, &[("n", &s.warnings.len().to_string())]));
    }
    out.push(w.p_checksum.to_string());
    out.push(w.p_never.to_string());
    out
}

/// Where the rounds of the site-stratified Cox model stand, for the page's guidance.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Guidance {
    /// The round the pooled file asks the sites for (its Newton iterations so far, plus
    /// one: the first pooled file, at β = 0, asks for round 1); once converged, the Newton
    /// iterations taken (coxph's `iter`).
    pub round: usize,
    /// About how many rounds in all ([`rounds_estimate`]); `round` once converged.
    pub about: usize,
    pub converged: bool,
    /// Whether the pooled analysis has a Cox model at all.
    pub has_cox: bool,
    /// The sentence of the page: "Round 3 of about 5: send this file to every site." or
    /// "Converged after 5 rounds."; empty without a Cox model.
    pub text: String,
}

/// About how many Newton rounds the site-stratified Cox model takes in all, from the
/// coefficients evaluated so far (`history`, β = 0 first, then `next`): Newton–Raphson
/// converges quadratically, so once the last step's largest change δ is below 1 the
/// change after r more steps is about δ^(2^r); the rounds until it is below 1e-9 (the
/// convergence rule's order), plus one to confirm, at least one more than `round`. With
/// fewer than two steps, or a step of 1 or more, coxph's usual 5 (at least round + 2).
pub fn rounds_estimate(history: &[Vec<f64>], next: Option<&[f64]>, round: usize) -> usize {
    let mut points: Vec<&[f64]> = history.iter().map(Vec::as_slice).collect();
    points.extend(next);
    let step = match points.as_slice() {
        [.., a, b] => a
            .iter()
            .zip(b.iter())
            .map(|(x, y)| (x - y).abs())
            .fold(0.0_f64, f64::max),
        _ => f64::INFINITY,
    };
    let more = if points.len() >= 3 && step > 0.0 && step < 0.5 {
        // δ^(2^r) < 1e-9  ⇔  2^r > ln(1e-9) / ln(δ)
        let ratio = survlens_stats::math::ln(1e-9) / survlens_stats::math::ln(step);
        (survlens_stats::math::ln(ratio.max(1.0)) / std::f64::consts::LN_2).ceil() as usize + 1
    } else if step == 0.0 {
        1
    } else {
        5_usize.saturating_sub(round).max(2)
    };
    round + more.clamp(1, 10)
}

/// The guidance of the pooled document `p` in `lang`.
pub fn guidance(p: &survlens_contract::sites::Pooled, lang: Lang) -> Guidance {
    use crate::i18n::fill;
    let w = sites_words(lang);
    let Some(c) = &p.sites.cox else {
        return Guidance {
            round: 0,
            about: 0,
            converged: false,
            has_cox: false,
            text: String::new(),
        };
    };
    if c.converged {
        let round = c.round;
        return Guidance {
            round,
            about: round,
            converged: true,
            has_cox: true,
            text: fill(w.g_converged, &[("round", &round.to_string())]),
        };
    }
    let round = c.round + 1;
    let about = rounds_estimate(&c.history, c.next_beta.as_deref(), round);
    Guidance {
        round,
        about,
        converged: false,
        has_cox: true,
        text: fill(
            w.g_next,
            &[("round", &round.to_string()), ("about", &about.to_string())],
        ),
    }
}
