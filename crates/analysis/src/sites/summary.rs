//! The site summary (`survlens site`): aggregates of one site's rows, no row leaves.
//!
//! * `logrank`: per group O, E and n, and the covariance matrix of O − E, as
//!   `survdiff(Surv ~ group + strata(s))` within the site (s: the spec's strata), never
//!   suppressed: the coordinator sums them into the test stratified by site.
//! * `cox`: the site's own `coxph(Surv ~ group + covariates + strata(s))` (coefficients
//!   and `vcov`), for the meta-analysis.
//! * `cox_rounds`: ℓ, U, I of the same model at β = 0, or, given the pooled file, at every
//!   β of its history and its `next_beta` (stats `cox::partial_likelihood_at`).
//! * `km_binned`: per group counts per bin of `sites.km_width`, merged until every
//!   non-zero count is at least `sites.min_cell` (module `binned`).
//!
//! Nothing else: no line number (the cohort's own warnings, which may name lines, stay
//! at the site), no date, no exact time.

use super::binned::bin_group;
use super::checksum::seal;
use super::SitesError;
use crate::complete_cases;
use crate::cox_rows::SortedRows;
use crate::spec::{Spec, TiesName};
use serde_json::Value;
use survlens_contract::limits::{MAX_COX_ROUNDS, MAX_KM_BINS};
use survlens_contract::sites::{
    CoxRound, KmBinned, KmBinnedGroup, Pooled, SiteCox, SiteLogRank, SiteLogRankGroup, SiteSummary,
    SitesSpec, SITE_SUMMARY_VERSION,
};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::{self as ingest, Cohort, CovariateValues};
use survlens_stats::cox::{self, CoxData, CoxOptions, PartialLikelihood, Ties};
use survlens_stats::logrank::survdiff;

/// Longest site name.
const MAX_SITE_NAME: usize = 200;

/// The site summary of `data` under `spec` for the site `site`; with `pooled` (the
/// coordinator's last file) the rounds it asks for.
pub fn site_summary(
    data: &[u8],
    spec: &Spec,
    site: &str,
    pooled: Option<&Pooled>,
) -> Result<SiteSummary, SitesError> {
    spec.validate()?;
    let site = site.trim();
    if site.is_empty() || site.chars().count() > MAX_SITE_NAME {
        return Err(SitesError::Protocol {
            field: "--site".into(),
            message: format!("give the site a name of 1 to {MAX_SITE_NAME} characters"),
            message_zh: format!("请给中心起一个 1 至 {MAX_SITE_NAME} 个字符的名称"),
        });
    }
    check_protocol(spec)?;
    let protocol_sha256 = spec.protocol_sha256();
    if let Some(p) = pooled {
        if p.protocol_sha256 != protocol_sha256 {
            return Err(SitesError::PooledProtocol {
                file: "--beta".into(),
            });
        }
    }
    let options = spec.sites.clone().unwrap_or_default();
    let map = spec.column_map()?;
    let table =
        ingest::read_table_sheet(data, spec.sheet.as_deref()).map_err(crate::Error::from)?;
    let cohort = ingest::build_cohort(&table, &map).map_err(crate::Error::from)?;
    drop(table);
    crate::limits::check_cohort(&cohort, spec)?;
    check_references(&cohort, spec)?;
    let mut warnings = Vec::new();
    let logrank = logrank(&cohort);
    let model = complete_cases::complete_cases(
        &cohort,
        &complete_cases::column_names(&spec.covariates),
        &spec.covariates,
    );
    let ties = match spec.cox.as_ref().map(|c| c.ties).unwrap_or_default() {
        TiesName::Efron => Ties::Efron,
        TiesName::Breslow => Ties::Breslow,
    };
    let (rows, design, _) = SortedRows::new(&model.cohort, spec, None);
    let cox_n = model.cohort.time.len();
    let cox_n_events = model.cohort.event.iter().filter(|&&e| e).count();
    let own = own_fit(&rows.data(&design), &design.names, ties, cox_n_events);
    if own.is_none() {
        warnings.push(survlens_text::warning_with(
            WarningCode::SiteCoxFailed,
            [("site", Value::from(site))],
        ));
    }
    let (cox_names, cox_rounds) = rounds(&rows.data(&design), &design.names, pooled, ties, site)?;
    let km_binned = km_binned(&cohort, &options, site, &mut warnings)?;
    let summary = SiteSummary {
        survlens_site_summary: SITE_SUMMARY_VERSION,
        software: survlens_contract::VERSION.to_string(),
        protocol_sha256,
        site: site.to_string(),
        n: cohort.time.len(),
        n_events: cohort.event.iter().filter(|&&e| e).count(),
        groups: cohort.group_labels.clone(),
        logrank,
        cox: own,
        cox_names,
        cox_n,
        cox_n_events,
        cox_rounds,
        km_binned,
        min_cell: options.min_cell,
        warnings,
        checksum: String::new(),
    };
    Ok(seal(summary))
}

/// What a multi-site protocol cannot have: delayed entry and case weights (the rounds and
/// the binned counts assume right-censored, unweighted rows), a group without a fixed
/// reference (each site's default reference would differ).
fn check_protocol(spec: &Spec) -> Result<(), SitesError> {
    let refuse = |field: &str, message: &str, message_zh: &str| {
        Err(SitesError::Protocol {
            field: field.into(),
            message: message.into(),
            message_zh: message_zh.into(),
        })
    };
    if spec.time.entry.is_some() {
        return refuse(
            "time.entry",
            "delayed entry is not pooled across sites; remove \"entry\" from the protocol",
            "延迟进入无法跨中心合并；请从方案中删除“entry”",
        );
    }
    if spec.weights.is_some() {
        return refuse(
            "weights",
            "case weights are not pooled across sites; remove \"weights\" from the protocol",
            "个案权重无法跨中心合并；请从方案中删除“weights”",
        );
    }
    if let Some(g) = &spec.group {
        if g.reference.is_none() {
            return refuse(
                "group.reference",
                "every site must compare against the same group: name it, e.g. \"reference\": \"IM\"",
                "每个中心都必须以同一组为参照：请在方案中指定，例如 \"reference\": \"IM\"",
            );
        }
    }
    Ok(())
}

/// A categorical covariate needs the protocol's reference: each site's most frequent level
/// would differ, and the sites' models would not be the same model.
fn check_references(cohort: &Cohort, spec: &Spec) -> Result<(), SitesError> {
    for (cov, map) in cohort.covariates.iter().zip(&spec.covariates) {
        if matches!(cov.values, CovariateValues::Categorical { .. }) && map.reference.is_none() {
            return Err(SitesError::Protocol {
                field: format!("covariates.{}.reference", map.column),
                message: format!(
                    "the categorical covariate \"{}\" needs the same reference level at every site: add \"reference\" to it in the protocol",
                    map.column
                ),
                message_zh: format!(
                    "分类协变量“{}”在每个中心都需要相同的参照水平：请在方案中为它加上“reference”",
                    map.column
                ),
            });
        }
    }
    Ok(())
}

/// Per-group O, E, n and V of the site (strata: the spec's, within the site).
fn logrank(cohort: &Cohort) -> SiteLogRank {
    let k = cohort.group_labels.len();
    let order = survlens_stats::order::time_order(&cohort.time, None);
    let pick_f = |v: &[f64]| order.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let time = pick_f(&cohort.time);
    let event: Vec<bool> = order.iter().map(|&i| cohort.event[i]).collect();
    let group: Vec<u32> = order.iter().map(|&i| cohort.group[i]).collect();
    let stratum: Vec<u32> = order.iter().map(|&i| cohort.stratum[i]).collect();
    let n_strata = cohort.strata_labels.len().max(1);
    let test = survdiff(&time, &event, &group, k, &stratum, n_strata, 0.0);
    let mut n = vec![0usize; k];
    for &g in &cohort.group {
        n[g as usize] += 1;
    }
    SiteLogRank {
        groups: (0..k)
            .map(|g| SiteLogRankGroup {
                label: cohort.group_labels[g].clone(),
                observed: test.observed[g],
                expected: test.expected[g],
                n: n[g],
            })
            .collect(),
        variance: (0..k)
            .map(|i| (0..k).map(|j| test.variance[i * k + j]).collect())
            .collect(),
    }
}

/// The site's own Cox fit; `None` without events or terms.
fn own_fit(data: &CoxData, names: &[String], ties: Ties, events: usize) -> Option<SiteCox> {
    if events == 0 || names.is_empty() || data.n() == 0 {
        return None;
    }
    let opts = CoxOptions {
        ties,
        ..CoxOptions::default()
    };
    let fit = cox::fit(data, &opts).ok()?;
    let p = names.len();
    let terms = crate::cox_section::terms(&fit, names);
    let vcov = (0..p)
        .map(|i| {
            (0..p)
                .map(|j| {
                    (fit.coef[i].is_some() && fit.coef[j].is_some()).then(|| fit.var[i * p + j])
                })
                .collect()
        })
        .collect();
    let infinite = (0..p)
        .filter(|&j| fit.infinite[j] || fit.maybe_infinite || !fit.converged)
        .map(|j| names[j].clone())
        .collect();
    Some(SiteCox {
        n: fit.n,
        n_events: fit.n_events,
        terms,
        vcov,
        infinite,
    })
}

/// The partial likelihood at β = 0, or at every β the pooled file names, in the pooled
/// file's term order (a term the site lacks is a column of zeros).
fn rounds(
    data: &CoxData,
    names: &[String],
    pooled: Option<&Pooled>,
    ties: Ties,
    site: &str,
) -> Result<(Vec<String>, Vec<CoxRound>), SitesError> {
    let (order, betas): (Vec<String>, Vec<Vec<f64>>) =
        match pooled.and_then(|p| p.sites.cox.as_ref()) {
            Some(c) => {
                let mut betas = c.history.clone();
                betas.extend(c.next_beta.clone());
                (c.names.clone(), betas)
            }
            None => (names.to_vec(), vec![vec![0.0; names.len()]]),
        };
    if betas.len() > MAX_COX_ROUNDS {
        return Err(SitesError::Limit {
            what: "Rounds of the Cox model".into(),
            limit: MAX_COX_ROUNDS,
        });
    }
    let p = order.len();
    if betas
        .iter()
        .any(|b| b.len() != p || b.iter().any(|v| !v.is_finite()))
    {
        return Err(SitesError::NotASummary {
            file: "--beta".into(),
            message: "its Cox betas do not match its term names".into(),
        });
    }
    // A design column the pooled model lacks: this site did not take part in round 0.
    if names.iter().any(|n| !order.contains(n)) {
        return Err(SitesError::RoundsMismatch {
            sites: vec![site.to_string()],
        });
    }
    let n = data.n();
    let mut x = vec![0.0; n * p];
    for (j, name) in order.iter().enumerate() {
        if let Some(src) = names.iter().position(|m| m == name) {
            x[j * n..(j + 1) * n].copy_from_slice(&data.x[src * n..(src + 1) * n]);
        }
    }
    let mapped = CoxData { x: &x, p, ..*data };
    let mut out = Vec::with_capacity(betas.len());
    for beta in betas {
        let pl = if n == 0 {
            PartialLikelihood::zero(p)
        } else {
            cox::partial_likelihood_at(&mapped, &beta, ties)
                .map_err(|e| crate::Error::Internal(e.to_string()))?
        };
        out.push(CoxRound {
            information: pl
                .information
                .chunks(p.max(1))
                .take(p)
                .map(<[f64]>::to_vec)
                .collect(),
            beta,
            loglik: pl.loglik,
            score: pl.score,
        });
    }
    Ok((order, out))
}

/// Binned, suppressed KM counts per group.
fn km_binned(
    cohort: &Cohort,
    options: &SitesSpec,
    site: &str,
    warnings: &mut Vec<Warning>,
) -> Result<KmBinned, SitesError> {
    let mut groups: Vec<KmBinnedGroup> = Vec::new();
    for (g, label) in cohort.group_labels.iter().enumerate() {
        let rows: Vec<usize> = (0..cohort.time.len())
            .filter(|&i| cohort.group[i] as usize == g)
            .collect();
        let time: Vec<f64> = rows.iter().map(|&i| cohort.time[i]).collect();
        let event: Vec<bool> = rows.iter().map(|&i| cohort.event[i]).collect();
        let binned = bin_group(
            label,
            &time,
            &event,
            options.km_width,
            options.min_cell,
            MAX_KM_BINS,
        )
        .ok_or_else(|| SitesError::Limit {
            what: format!(
                "Bins of {} time units (sites.km_width) up to the last follow-up",
                options.km_width
            ),
            limit: MAX_KM_BINS,
        })?;
        if binned.suppressed {
            warnings.push(survlens_text::warning_with(
                WarningCode::SiteGroupSuppressed,
                [
                    ("site", Value::from(site)),
                    ("group", Value::from(label.as_str())),
                    ("min_cell", Value::from(options.min_cell)),
                ],
            ));
        }
        groups.push(binned);
    }
    Ok(KmBinned {
        width: options.km_width,
        groups,
    })
}
