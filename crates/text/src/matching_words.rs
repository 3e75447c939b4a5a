//! The words of the `matching` parts of the figures and the report (propensity-score
//! matching: flow, balance, matched survival), per language. `{...}` are `fill`
//! placeholders; data (group labels, covariate terms) is never translated.

use crate::Lang;

/// Every text of the matching figures and report parts in one language.
#[derive(Debug)]
pub struct MatchingWords {
    // ---- figures
    /// Love plot legend: SMD of all the comparison's patients.
    pub before_matching: &'static str,
    /// Love plot legend: SMD of the matched patients (matching weights).
    pub after_matching: &'static str,
    /// Scores figure: the x axis (the logit of the propensity score).
    pub score_axis: &'static str,
    /// Scores figure: the y axis (patients per bin).
    pub patients_axis: &'static str,
    /// Scores figure legend.
    pub matched: &'static str,
    pub unmatched: &'static str,
    /// Scores figure: a panel's title; `{group}`, `{matched}`, `{unmatched}`.
    pub panel: &'static str,
    /// Figure titles: `{a}` the treated group, `{b}` the reference group.
    pub title_balance: &'static str,
    pub title_scores: &'static str,
    pub title_km: &'static str,
    /// KM corner label: the pair-stratified log-rank test (`{p}` from the formatter).
    pub logrank_stratified: &'static str,
    /// KM corner label with replacement: the unstratified test.
    pub logrank_plain: &'static str,
    // ---- report: tables
    pub t_flow: &'static str,
    pub t_balance: &'static str,
    pub t_logrank: &'static str,
    pub t_cox: &'static str,
    pub t_rmst: &'static str,
    pub c_in_model: &'static str,
    pub c_matched: &'static str,
    pub c_unmatched: &'static str,
    pub c_caliper_width: &'static str,
    pub c_test: &'static str,
    /// The log-rank table's test names.
    pub test_stratified: &'static str,
    pub test_plain: &'static str,
    /// A balance cell above 0.1 in absolute value is marked with this.
    pub imbalanced_mark: &'static str,
    // ---- report: figure captions (`{a}`, `{b}`)
    pub fig_matched_balance: &'static str,
    pub fig_matched_scores: &'static str,
    pub fig_matched_km: &'static str,
    // ---- report: methods (settings, then the matched analyses and the R equivalent)
    /// `{reference}`, `{covariates}`, `{ratio}`, `{caliper}`, `{replace}`, `{order}`,
    /// `{c_austin}` (Austin 2011), `{c_ho}` (MatchIt).
    pub m_matching: &'static str,
    /// `{caliper}`: a caliper of `{width}` standard deviations of the linear score.
    pub caliper_sd: &'static str,
    pub no_caliper: &'static str,
    pub with_replacement: &'static str,
    pub without_replacement: &'static str,
    pub order_largest: &'static str,
    pub order_smallest: &'static str,
    pub order_data: &'static str,
    /// The analyses of each matched sample; `{rmst}` the RMST clause or "".
    pub m_analyses: &'static str,
    /// With replacement (no matched sets to stratify by).
    pub m_analyses_replace: &'static str,
    /// `{tau}`, `{unit}`.
    pub m_rmst: &'static str,
    /// `{call}`: the MatchIt call.
    pub m_r: &'static str,
    /// The note on MatchIt 4.5.1's fast routine.
    pub m_r_caliper_note: &'static str,
    // ---- report: results
    /// `{a}`, `{b}`, `{n_a}`, `{matched_a}`, `{unmatched_a}`, `{n_b}`, `{matched_b}`.
    pub r_flow_caliper: &'static str,
    pub r_flow: &'static str,
    /// `{a}`, `{b}`, `{hr}`, `{ci}`, `{p}`.
    pub r_hr: &'static str,
}

pub static EN: MatchingWords = MatchingWords {
    before_matching: "Before matching",
    after_matching: "After matching",
    score_axis: "Linear propensity score (logit)",
    patients_axis: "Patients",
    matched: "Matched",
    unmatched: "Unmatched",
    panel: "{group}: {matched} matched, {unmatched} unmatched",
    title_balance: "Balance before and after matching: {a} vs {b}",
    title_scores: "Propensity scores of matched and unmatched patients: {a} vs {b}",
    title_km: "Matched sample: {a} vs {b}",
    logrank_stratified: "Log-rank stratified by matched set {p}",
    logrank_plain: "Log-rank {p}",
    t_flow: "Propensity-score matching: patients matched in each comparison",
    t_balance: "Covariate balance before and after matching (standardized mean differences; * |SMD| > 0.1)",
    t_logrank: "Log-rank tests in the matched samples",
    t_cox: "Hazard ratios in the matched samples (Cox model, robust variance clustered by matched set)",
    t_rmst: "Differences in restricted mean survival time in the matched samples",
    c_in_model: "Patients in the model",
    c_matched: "Matched",
    c_unmatched: "Unmatched",
    c_caliper_width: "Caliper (logit)",
    c_test: "Test",
    test_stratified: "stratified by matched set",
    test_plain: "unstratified (matching with replacement)",
    imbalanced_mark: "*",
    fig_matched_balance: "Love plot of the matched comparison {a} vs {b}: absolute standardized mean difference of each covariate before matching (all patients of the two groups) and after matching (matched patients, matching weights); the dashed line at 0.1 marks adequate balance.",
    fig_matched_scores: "Linear propensity scores (logit) of the patients of {a} and {b}, matched and unmatched: where unmatched patients of one group lie outside the other group's scores, matching left them without a partner.",
    fig_matched_km: "Kaplan–Meier curves of the matched sample {a} vs {b} (weighted by the matching weights), with the number at risk and the log-rank p stratified by matched set.",
    m_matching: "Each group was matched to the reference group {reference} separately by greedy nearest-neighbour matching on the linear propensity score (the logit of a logistic regression of the group on {covariates}, fitted on the patients of the two groups) {c_austin}: 1:{ratio} matching, {caliper}, {replace}, treated patients taken in {order} {c_ho}. Balance was assessed by standardized mean differences before and after matching.",
    caliper_sd: "a caliper of {width} standard deviations of the linear score",
    no_caliper: "no caliper",
    with_replacement: "with replacement",
    without_replacement: "without replacement",
    order_largest: "order of decreasing score",
    order_smallest: "order of increasing score",
    order_data: "file order",
    m_analyses: "In each matched sample, Kaplan–Meier curves were estimated with the matching weights, the groups were compared by a log-rank test stratified by matched set and by a Cox model with robust variance clustered by matched set{rmst}.",
    m_analyses_replace: "In each matched sample, Kaplan–Meier curves were estimated with the matching weights, the groups were compared by a log-rank test and by a weighted Cox model with robust variance clustered by patient{rmst}.",
    m_rmst: ", and by the difference in restricted mean survival time at {tau} {unit}",
    m_r: "In R, with d_ab the patients of the two groups and treat = 1 in the non-reference group: {call}.",
    m_r_caliper_note: "MatchIt 4.5.1 does not honour a caliper below 1 in its fast nearest-neighbour routine, so its pairs can differ slightly from these.",
    r_flow_caliper: "{a} vs {b}: of {n_a} {a} patients, {matched_a} were matched and {unmatched_a} had no partner within the caliper; {matched_b} of {n_b} {b} patients served as matches.",
    r_flow: "{a} vs {b}: of {n_a} {a} patients, {matched_a} were matched and {unmatched_a} had no partner; {matched_b} of {n_b} {b} patients served as matches.",
    r_hr: "In the matched sample, the hazard ratio of {a} vs {b} was {hr} (95% CI {ci}; {p}).",
};

pub static ZH: MatchingWords = MatchingWords {
    before_matching: "匹配前",
    after_matching: "匹配后",
    score_axis: "线性倾向评分（logit）",
    patients_axis: "患者数",
    matched: "已匹配",
    unmatched: "未匹配",
    panel: "{group}：已匹配 {matched} 例，未匹配 {unmatched} 例",
    title_balance: "匹配前后的均衡性：{a} 对比 {b}",
    title_scores: "已匹配与未匹配患者的倾向评分：{a} 对比 {b}",
    title_km: "匹配样本：{a} 对比 {b}",
    logrank_stratified: "按匹配组分层的对数秩检验 {p}",
    logrank_plain: "对数秩检验 {p}",
    t_flow: "倾向评分匹配：各比较中匹配的患者",
    t_balance: "匹配前后的协变量均衡性（标准化均数差；* 表示 |SMD| > 0.1）",
    t_logrank: "匹配样本中的对数秩检验",
    t_cox: "匹配样本中的风险比（Cox 模型，按匹配组聚类的稳健方差）",
    t_rmst: "匹配样本中限制平均生存时间之差",
    c_in_model: "模型中的患者",
    c_matched: "已匹配",
    c_unmatched: "未匹配",
    c_caliper_width: "卡钳（logit）",
    c_test: "检验",
    test_stratified: "按匹配组分层",
    test_plain: "不分层（有放回匹配）",
    imbalanced_mark: "*",
    fig_matched_balance: "匹配比较 {a} 对比 {b} 的 Love 图：匹配前（两组全部患者）与匹配后（已匹配患者，匹配权重）各协变量的标准化均数差绝对值；0.1 处虚线表示均衡性良好。",
    fig_matched_scores: "{a} 与 {b} 患者（已匹配与未匹配）的线性倾向评分（logit）：若某组未匹配患者的评分落在另一组评分范围之外，匹配时即找不到对象。",
    fig_matched_km: "匹配样本 {a} 对比 {b} 的 Kaplan–Meier 曲线（按匹配权重加权），附风险人数表及按匹配组分层的对数秩检验 p 值。",
    m_matching: "各组分别与参照组 {reference} 进行匹配：在线性倾向评分（仅以两组患者拟合的、以组别为因变量、{covariates} 为自变量的 logistic 回归的 logit）上进行贪婪最近邻匹配 {c_austin}：1:{ratio} 匹配，{caliper}，{replace}，按{order}依次为处理组患者选择对象 {c_ho}。以匹配前后的标准化均数差评估均衡性。",
    caliper_sd: "卡钳为线性评分的 {width} 个标准差",
    no_caliper: "不设卡钳",
    with_replacement: "有放回",
    without_replacement: "无放回",
    order_largest: "评分由高到低的顺序",
    order_smallest: "评分由低到高的顺序",
    order_data: "文件中的顺序",
    m_analyses: "在每个匹配样本中，以匹配权重估计 Kaplan–Meier 曲线，并以按匹配组分层的对数秩检验和按匹配组聚类稳健方差的 Cox 模型比较两组{rmst}。",
    m_analyses_replace: "在每个匹配样本中，以匹配权重估计 Kaplan–Meier 曲线，并以对数秩检验和按患者聚类稳健方差的加权 Cox 模型比较两组{rmst}。",
    m_rmst: "，以及 {tau} {unit}时限制平均生存时间之差",
    m_r: "R 中的对应代码（d_ab 为两组的患者，非参照组 treat = 1）：{call}。",
    m_r_caliper_note: "MatchIt 4.5.1 的快速最近邻算法不遵守小于 1 的卡钳，因此其配对可能与此略有不同。",
    r_flow_caliper: "{a} 对比 {b}：{n_a} 例 {a} 患者中 {matched_a} 例完成匹配，{unmatched_a} 例在卡钳范围内找不到对象；{n_b} 例 {b} 患者中 {matched_b} 例被选为匹配对象。",
    r_flow: "{a} 对比 {b}：{n_a} 例 {a} 患者中 {matched_a} 例完成匹配，{unmatched_a} 例找不到对象；{n_b} 例 {b} 患者中 {matched_b} 例被选为匹配对象。",
    r_hr: "在匹配样本中，{a} 对比 {b} 的风险比为 {hr}（95% 置信区间 {ci}；{p}）。",
};

/// The words of `lang`.
pub fn matching_words(lang: Lang) -> &'static MatchingWords {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}
