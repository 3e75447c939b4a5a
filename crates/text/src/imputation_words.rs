//! The words of the multiple-imputation parts of the report and of its diagnostic
//! figure (methods sentences, pooled tables, STROBE item 12c, figure labels), per
//! language. Kept apart from [`crate::i18n`]'s `Texts` so the section's words live in
//! one place. `{...}` are `fill` placeholders.

use crate::Lang;

/// Every text of the `imputation` report parts in one language.
#[derive(Debug)]
pub struct ImputationWords {
    /// Methods, SurvLens imputed: `{columns}` the imputed columns, `{c_vanbuuren}`,
    /// `{c_white}` citations, `{m}`, `{iterations}`, `{seed}`, `{group}` (the group
    /// phrase or empty).
    pub m_chained: &'static str,
    /// The phrase `{group}` of [`Self::m_chained`]: `{name}` the group column.
    pub m_chained_group: &'static str,
    /// Methods, no value was missing: nothing imputed, `{m}` identical sets.
    pub m_nothing_missing: &'static str,
    /// Methods, imported sets: `{m}`, `{column}` the column numbering them.
    pub m_imported: &'static str,
    /// Methods, pooling: `{c_rubin}`, `{c_barnard}` citations; `{models}` the pooled
    /// analyses.
    pub m_rubin: &'static str,
    /// The pooled analyses of [`Self::m_rubin`].
    pub model_cox: &'static str,
    pub model_rmst: &'static str,
    pub model_adjusted: &'static str,
    /// Methods: the complete-case results are shown alongside.
    pub m_complete_case: &'static str,
    /// Table captions: `{m}` the number of sets.
    pub t_cox: &'static str,
    pub t_rmst: &'static str,
    pub t_adjusted_cox: &'static str,
    pub t_adjusted_rmst: &'static str,
    pub t_imputed: &'static str,
    /// Columns.
    pub c_df: &'static str,
    pub c_fmi: &'static str,
    pub c_riv: &'static str,
    pub c_n_imputed: &'static str,
    pub c_percent_imputed: &'static str,
    pub c_difference: &'static str,
    pub c_tau: &'static str,
    /// Results sentence of a pooled group term: `{term}`, `{hr}`, `{ci}`, `{p}`, `{m}`,
    /// `{fmi}` (percent).
    pub r_pooled_hr: &'static str,
    /// STROBE 12c with multiple imputation: `{m}`.
    pub s_missing_imputed: &'static str,
    /// Figure words: the observed values, the imputed values, set `{k}`, the axis of
    /// proportions, the axis of density.
    pub observed: &'static str,
    pub imputed: &'static str,
    pub set_k: &'static str,
    pub percent: &'static str,
    pub imputed_n: &'static str,
    /// A categorical panel's title: `{n}` imputed values over all the sets.
    pub imputed_all_sets: &'static str,
}

pub static EN: ImputationWords = ImputationWords {
    m_chained: "Missing covariate values ({columns}) were imputed by multiple imputation by chained equations {c_vanbuuren}: predictive mean matching for numeric covariates, logistic regression for two-level and multinomial logistic regression for other categorical covariates, each covariate imputed from the other covariates{group}, the event indicator and the Nelson–Aalen estimate of the cumulative hazard {c_white}; {m} imputed data sets were created, each after {iterations} iterations of the chained equations, with random seed {seed}. Time, event and group were never imputed.",
    m_chained_group: ", the group ({name})",
    m_nothing_missing: "No covariate value was missing, so multiple imputation ({m} sets) changed nothing: the pooled results equal the complete-case ones.",
    m_imported: "The data file held {m} imputed data sets (stacked, numbered by the column {column}, as R's mice writes them), which were analysed as given; the rows numbered 0 are the original data.",
    m_rubin: "The {models} were fitted in every imputed set and pooled by Rubin's rules {c_rubin}, with the degrees of freedom of Barnard and Rubin {c_barnard} (complete-data degrees of freedom: events minus coefficients for the Cox model, large-sample for RMST differences); confidence intervals and p-values use the t distribution with those degrees of freedom, and the fraction of missing information is reported.",
    model_cox: "Cox model",
    model_rmst: "RMST differences",
    model_adjusted: "weighted comparisons (the propensity model refitted within each set)",
    m_complete_case: "The complete-case results are reported alongside.",
    t_cox: "Cox model pooled over {m} imputed sets (Rubin's rules)",
    t_rmst: "RMST differences pooled over {m} imputed sets (Rubin's rules)",
    t_adjusted_cox: "Weighted Cox model pooled over {m} imputed sets (Rubin's rules; robust variance within each set)",
    t_adjusted_rmst: "Weighted RMST differences pooled over {m} imputed sets (Rubin's rules)",
    t_imputed: "Missing covariate values imputed",
    c_df: "df",
    c_fmi: "FMI",
    c_riv: "RIV",
    c_n_imputed: "Values imputed",
    c_percent_imputed: "% of rows",
    c_difference: "Difference",
    c_tau: "τ",
    r_pooled_hr: "Pooled over {m} imputed sets, the hazard ratio of {term} was {hr} ({ci}; p {p}; fraction of missing information {fmi}%).",
    s_missing_imputed: "Methods paragraph (multiple imputation, {m} sets, pooled by Rubin's rules); values imputed per column; pooled tables beside the complete-case ones; observed vs imputed figure",
    observed: "Observed",
    imputed: "Imputed",
    set_k: "Set {k}",
    percent: "% of values",
    imputed_n: "{n} imputed",
    imputed_all_sets: "{n} imputed values, all sets",
};

pub static ZH: ImputationWords = ImputationWords {
    m_chained: "缺失的协变量值（{columns}）采用链式方程多重插补 {c_vanbuuren}：数值型协变量用预测均值匹配，二分类协变量用 logistic 回归，其他分类协变量用多项 logistic 回归；每个协变量由其他协变量{group}、事件指示变量及累积风险的 Nelson–Aalen 估计 {c_white} 预测；共生成 {m} 个插补数据集，每个经链式方程迭代 {iterations} 次，随机种子 {seed}。时间、事件和分组从不插补。",
    m_chained_group: "、分组（{name}）",
    m_nothing_missing: "没有缺失的协变量值，因此多重插补（{m} 个数据集）没有改变任何结果：合并结果与完整病例结果相同。",
    m_imported: "数据文件包含 {m} 个插补数据集（按 R 的 mice 格式堆叠，由列 {column} 编号），按原样分析；编号为 0 的行为原始数据。",
    m_rubin: "在每个插补数据集中拟合{models}，并按 Rubin 规则 {c_rubin} 合并，自由度采用 Barnard 与 Rubin {c_barnard} 的方法（完整数据自由度：Cox 模型为事件数减系数个数，RMST 差值为大样本）；置信区间和 p 值基于该自由度的 t 分布，并报告缺失信息比例。",
    model_cox: "Cox 模型",
    model_rmst: "RMST 差值",
    model_adjusted: "加权比较（在每个数据集中重新拟合倾向评分模型）",
    m_complete_case: "同时报告完整病例分析的结果。",
    t_cox: "{m} 个插补数据集合并的 Cox 模型（Rubin 规则）",
    t_rmst: "{m} 个插补数据集合并的 RMST 差值（Rubin 规则）",
    t_adjusted_cox: "{m} 个插补数据集合并的加权 Cox 模型（Rubin 规则；各数据集内为稳健方差）",
    t_adjusted_rmst: "{m} 个插补数据集合并的加权 RMST 差值（Rubin 规则）",
    t_imputed: "插补的协变量缺失值",
    c_df: "自由度",
    c_fmi: "缺失信息比例",
    c_riv: "方差相对增加",
    c_n_imputed: "插补值个数",
    c_percent_imputed: "占行数 %",
    c_difference: "差值",
    c_tau: "τ",
    r_pooled_hr: "合并 {m} 个插补数据集后，{term} 的风险比为 {hr}（{ci}；p {p}；缺失信息比例 {fmi}%）。",
    s_missing_imputed: "方法段落（多重插补，{m} 个数据集，按 Rubin 规则合并）；各列插补值个数；合并结果表与完整病例结果并列；观测值与插补值对比图",
    observed: "观测值",
    imputed: "插补值",
    set_k: "数据集 {k}",
    percent: "值的百分比",
    imputed_n: "插补 {n} 个",
    imputed_all_sets: "所有数据集共插补 {n} 个值",
};

/// The words of `lang`.
pub fn imputation_words(lang: Lang) -> &'static ImputationWords {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}
