//! The coordinator (`survlens pool`): from the sites' summaries, in the order given,
//!
//! * the log-rank test stratified by site: O, E and V summed over sites (groups aligned
//!   by label; a site without a group adds zeros, with a warning) — exactly
//!   `survdiff(Surv ~ group + strata(site))` on the pooled rows;
//! * per Cox term, the fixed-effect and REML random-effects meta-analysis of the sites'
//!   own estimates (stats `meta`); a site whose term is infinite or undefined is left out
//!   of that term, with a warning;
//! * the site-stratified Cox model by rounds: coxph's Newton iteration replayed over the
//!   summed ℓ, U, I the sites computed at each β (stats `cox::newton_rounds`); until it
//!   converges the output names `next_beta`, which every site evaluates with
//!   `survlens site --beta` this file;
//! * the pooled life table on the bin edges common to every site (module `binned`).

use super::binned::life_table;
use super::SitesError;
use serde_json::Value;
use survlens_contract::cox::{CoxLoglik, CoxTerm};
use survlens_contract::limits::MAX_SITES;
use survlens_contract::report::LogRankGroup;
use survlens_contract::sites::{
    ForestRow, Heterogeneity, KmBinnedGroup, LifeTable, MetaEstimate, MetaTerm, Pooled,
    RandomEstimate, SiteCounts, SiteSummary, SitesCox, SitesLogRank, SitesSection, POOLED_VERSION,
};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_stats::cox::{newton_rounds, CoxOptions, PartialLikelihood, Rounds};
use survlens_stats::logrank::LogRankTest;
use survlens_stats::{math, meta};

/// Relative tolerance within which two sites' β of one round are the same β (the JSON
/// reading of a number may differ by a unit in the last place).
const BETA_TOLERANCE: f64 = 1e-10;

/// Pool the summaries (`files[i]` names the file of `summaries[i]` in errors).
pub fn pool(summaries: &[SiteSummary]) -> Result<Pooled, SitesError> {
    if summaries.is_empty() {
        return Err(SitesError::NoSites);
    }
    if summaries.len() > MAX_SITES {
        return Err(SitesError::Limit {
            what: "Site summaries".into(),
            limit: MAX_SITES,
        });
    }
    let first = &summaries[0].protocol_sha256;
    if summaries.iter().any(|s| &s.protocol_sha256 != first) {
        return Err(SitesError::ProtocolMismatch {
            sites: summaries
                .iter()
                .map(|s| (s.site.clone(), s.protocol_sha256.clone()))
                .collect(),
        });
    }
    for (i, s) in summaries.iter().enumerate() {
        if s.km_binned.width != summaries[0].km_binned.width {
            return Err(SitesError::NotASummary {
                file: s.site.clone(),
                message: format!(
                    "its bin width {} differs from {} of the protocol",
                    s.km_binned.width, summaries[0].km_binned.width
                ),
            });
        }
        if summaries[..i].iter().any(|t| t.site == s.site) {
            return Err(SitesError::DuplicateSite {
                site: s.site.clone(),
            });
        }
    }
    let mut warnings = Vec::new();
    let logrank = pooled_logrank(summaries, &mut warnings);
    let meta = meta_terms(summaries, &mut warnings);
    let cox = pooled_cox(summaries)?;
    let life_table = pooled_life_table(summaries);
    let pooled = Pooled {
        survlens_pooled: POOLED_VERSION,
        software: survlens_contract::VERSION.to_string(),
        protocol_sha256: first.clone(),
        sites: SitesSection {
            n_sites: summaries.len(),
            sites: summaries.iter().map(|s| s.site.clone()).collect(),
            per_site: summaries
                .iter()
                .map(|s| SiteCounts {
                    site: s.site.clone(),
                    n: s.n,
                    n_events: s.n_events,
                    checksum: s.checksum.clone(),
                })
                .collect(),
            logrank,
            meta,
            cox,
            life_table,
        },
        warnings,
    };
    every_number_finite(&pooled)?;
    Ok(pooled)
}

/// The pooled document writes only finite numbers where its format has a number: JSON has
/// no infinity, so a non-finite value would be written `null` and the file would not read
/// back (`survlens site --beta`, the report). The summaries' numbers are bounded when read
/// (`checksum::check_values`), and a site's term whose hazard ratio or limits overflow is
/// left out of the meta-analysis; this is the last guard, for what those bounds cannot
/// exclude (a REML τ² or a Newton step from extreme but bounded sums). `null` in an
/// optional field (a limit that does not exist) reads back as absent, as meant.
fn every_number_finite(pooled: &Pooled) -> Result<(), SitesError> {
    let text = serde_json::to_string_pretty(pooled).map_err(|e| SitesError::PooledNotFinite {
        field: e.to_string(),
        sites: pooled.sites.sites.clone(),
    })?;
    match serde_json::from_str::<Pooled>(&text) {
        Ok(_) => Ok(()),
        Err(e) => {
            let line = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
            let key = line.trim().split('"').nth(1).unwrap_or("?");
            Err(SitesError::PooledNotFinite {
                field: format!("\"{key}\""),
                sites: pooled.sites.sites.clone(),
            })
        }
    }
}

/// Labels in order of first appearance over the sites.
fn union<'a>(lists: impl Iterator<Item = &'a [String]>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for list in lists {
        for l in list {
            if !out.contains(l) {
                out.push(l.clone());
            }
        }
    }
    out
}

fn pooled_logrank(summaries: &[SiteSummary], warnings: &mut Vec<Warning>) -> Option<SitesLogRank> {
    let labels = union(summaries.iter().map(|s| {
        let l: &[String] = &s.groups;
        l
    }));
    let k = labels.len();
    let mut o = vec![0.0; k];
    let mut e = vec![0.0; k];
    let mut v = vec![0.0; k * k];
    for s in summaries {
        let idx: Vec<usize> = s
            .logrank
            .groups
            .iter()
            .map(|g| labels.iter().position(|l| *l == g.label).unwrap_or(0))
            .collect();
        let missing: Vec<&String> = labels
            .iter()
            .filter(|l| !s.logrank.groups.iter().any(|g| g.label == **l && g.n > 0))
            .collect();
        if !missing.is_empty() {
            warnings.push(survlens_text::warning_with(
                WarningCode::SiteMissingGroup,
                [
                    ("site", Value::from(s.site.as_str())),
                    (
                        "groups",
                        Value::from(missing.iter().map(|m| m.as_str()).collect::<Vec<_>>()),
                    ),
                ],
            ));
        }
        for (a, g) in s.logrank.groups.iter().enumerate() {
            o[idx[a]] += g.observed;
            e[idx[a]] += g.expected;
            for (b, row) in s.logrank.variance[a].iter().enumerate() {
                v[idx[a] * k + idx[b]] += row;
            }
        }
    }
    if k < 2 {
        return None;
    }
    let test = LogRankTest::from_sums(o, e, v);
    if test.singular || !test.chisq.is_finite() {
        warnings.push(survlens_text::warning(WarningCode::LogrankSingular));
        return None;
    }
    Some(SitesLogRank {
        chisq: test.chisq,
        df: test.df,
        p: test.p,
        groups: (0..k)
            .map(|g| LogRankGroup {
                label: labels[g].clone(),
                observed: test.observed[g],
                expected: test.expected[g],
            })
            .collect(),
        variance: (0..k)
            .map(|i| (0..k).map(|j| test.variance[i * k + j]).collect())
            .collect(),
    })
}

/// The estimate and SE of `name` in a site's own fit, when finite and not flagged infinite,
/// and its hazard ratio and 95 % limits, exp(β ± z·se), finite numbers (R writes `Inf`
/// there; the term is then undefined for the meta-analysis, as an infinite one).
fn site_term(s: &SiteSummary, name: &str, z: f64) -> Option<(f64, f64)> {
    let c = s.cox.as_ref()?;
    if c.infinite.iter().any(|n| n == name) {
        return None;
    }
    let t: &CoxTerm = c.terms.iter().find(|t| t.name == name)?;
    match (t.coef, t.se) {
        (Some(b), Some(se))
            if b.is_finite()
                && se.is_finite()
                && se > 0.0
                && hr_limits_exist(b - z * se, b + z * se) =>
        {
            Some((b, se))
        }
        _ => None,
    }
}

/// Whether the hazard-ratio limits exp(lower), exp(upper) of log-scale limits are numbers
/// a double holds (R prints `Inf` / `0` past them): the upper finite, the lower above 0.
fn hr_limits_exist(lower: f64, upper: f64) -> bool {
    math::exp(upper).is_finite() && math::exp(lower) > 0.0
}

fn meta_terms(summaries: &[SiteSummary], warnings: &mut Vec<Warning>) -> Vec<MetaTerm> {
    let names = union(summaries.iter().map(|s| {
        let l: &[String] = &s.cox_names;
        l
    }));
    let z = survlens_stats::dist::z_for_level(0.95);
    names
        .iter()
        .map(|name| {
            let mut yi = Vec::new();
            let mut se = Vec::new();
            let mut forest: Vec<ForestRow> = summaries
                .iter()
                .map(|s| match site_term(s, name, z) {
                    Some((b, sd)) => {
                        yi.push(b);
                        se.push(sd);
                        ForestRow {
                            site: s.site.clone(),
                            hr: Some(math::exp(b)),
                            lower: Some(math::exp(b - z * sd)),
                            upper: Some(math::exp(b + z * sd)),
                            coef: Some(b),
                            se: Some(sd),
                            included: true,
                            weight_fixed: None,
                            weight_random: None,
                        }
                    }
                    None => {
                        warnings.push(survlens_text::warning_with(
                            WarningCode::SiteLeftOutOfMeta,
                            [
                                ("site", Value::from(s.site.as_str())),
                                ("term", Value::from(name.as_str())),
                            ],
                        ));
                        ForestRow {
                            site: s.site.clone(),
                            hr: None,
                            lower: None,
                            upper: None,
                            coef: None,
                            se: None,
                            included: false,
                            weight_fixed: None,
                            weight_random: None,
                        }
                    }
                })
                .collect();
            let Ok(m) = meta::meta_analysis(&yi, &se, 0.95) else {
                return MetaTerm {
                    name: name.clone(),
                    fixed: None,
                    random: None,
                    heterogeneity: None,
                    forest,
                };
            };
            for (row, (wf, wr)) in forest
                .iter_mut()
                .filter(|r| r.included)
                .zip(m.weight_fixed.iter().zip(&m.weight_random))
            {
                row.weight_fixed = Some(*wf);
                row.weight_random = Some(*wr);
            }
            let est = |p: &meta::Pooled| MetaEstimate {
                hr: math::exp(p.estimate),
                lower: math::exp(p.lower),
                upper: math::exp(p.upper),
                p: p.p,
                coef: p.estimate,
                se: p.se,
            };
            MetaTerm {
                name: name.clone(),
                fixed: Some(est(&m.fixed)),
                // Its limits can overflow where the fixed effect's cannot (τ² widens them
                // beyond every site's own): then it is undefined, as R's `Inf`.
                random: m
                    .random
                    .as_ref()
                    .filter(|r| hr_limits_exist(r.lower, r.upper))
                    .map(|r| RandomEstimate {
                        hr: math::exp(r.estimate),
                        lower: math::exp(r.lower),
                        upper: math::exp(r.upper),
                        p: r.p,
                        coef: r.estimate,
                        se: r.se,
                        tau2: m.tau2,
                        i2: m.i2,
                    }),
                heterogeneity: (m.q_df > 0).then_some(Heterogeneity {
                    q: m.q,
                    df: m.q_df,
                    p: m.q_p,
                }),
                forest,
            }
        })
        .collect()
}

/// One site's rounds in the pooled term order.
struct SiteRounds {
    betas: Vec<Vec<f64>>,
    sums: Vec<PartialLikelihood>,
}

fn aligned(s: &SiteSummary, names: &[String]) -> SiteRounds {
    let p = names.len();
    let pos: Vec<Option<usize>> = names
        .iter()
        .map(|n| s.cox_names.iter().position(|m| m == n))
        .collect();
    let mut betas = Vec::new();
    let mut sums = Vec::new();
    for r in &s.cox_rounds {
        let mut pl = PartialLikelihood::zero(p);
        pl.loglik = r.loglik;
        let mut beta = vec![0.0; p];
        for (j, pj) in pos.iter().enumerate() {
            let Some(a) = *pj else { continue };
            beta[j] = r.beta[a];
            pl.score[j] = r.score[a];
            for (k, pk) in pos.iter().enumerate() {
                if let Some(b) = *pk {
                    pl.information[j * p + k] = r.information[a][b];
                }
            }
        }
        betas.push(beta);
        sums.push(pl);
    }
    SiteRounds { betas, sums }
}

fn same_beta(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() <= BETA_TOLERANCE * x.abs().max(y.abs()).max(1.0))
}

fn pooled_cox(summaries: &[SiteSummary]) -> Result<Option<SitesCox>, SitesError> {
    let names = union(summaries.iter().map(|s| {
        let l: &[String] = &s.cox_names;
        l
    }));
    if names.is_empty() {
        return Ok(None);
    }
    let p = names.len();
    let sites: Vec<SiteRounds> = summaries.iter().map(|s| aligned(s, &names)).collect();
    let history = sites[0].betas.clone();
    let differ: Vec<String> = summaries
        .iter()
        .zip(&sites)
        .filter(|(_, r)| {
            r.betas.len() != history.len()
                || r.betas.iter().zip(&history).any(|(a, b)| !same_beta(a, b))
        })
        .map(|(s, _)| s.site.clone())
        .collect();
    if !differ.is_empty() {
        let mut all = vec![summaries[0].site.clone()];
        all.extend(differ);
        return Err(SitesError::RoundsMismatch { sites: all });
    }
    let at = |beta: &[f64]| -> Option<PartialLikelihood> {
        let r = history.iter().position(|h| same_beta(h, beta))?;
        let mut sum = PartialLikelihood::zero(p);
        for s in &sites {
            sum.add(&s.sums[r]);
        }
        Some(sum)
    };
    let opts = CoxOptions::default();
    let n = summaries
        .iter()
        .fold(0usize, |a, s| a.saturating_add(s.cox_n));
    let n_events = summaries
        .iter()
        .fold(0usize, |a, s| a.saturating_add(s.cox_n_events));
    let mut out = SitesCox {
        converged: false,
        round: 0,
        next_beta: None,
        history: history.clone(),
        names: names.clone(),
        terms: None,
        loglik: None,
        vcov: None,
        n,
        n_events,
    };
    match newton_rounds(p, at, &opts) {
        Rounds::Next { beta, round } => {
            out.round = round;
            out.next_beta = Some(beta);
        }
        Rounds::Done(fit) => {
            out.converged = fit.converged;
            out.round = fit.iterations;
            let terms = (0..p)
                .map(|j| {
                    let aliased = fit.redundant[j];
                    let coef = (!aliased).then_some(fit.beta[j]);
                    let se = (!aliased).then(|| fit.var[j * p + j].sqrt());
                    crate::cox_section::wald_term(&names[j], coef, se, None)
                })
                .collect();
            out.terms = Some(terms);
            out.loglik = Some(CoxLoglik {
                null: fit.loglik_init,
                fit: fit.loglik,
            });
            out.vcov = Some(
                (0..p)
                    .map(|i| (0..p).map(|j| fit.var[i * p + j]).collect())
                    .collect(),
            );
        }
    }
    Ok(Some(out))
}

fn pooled_life_table(summaries: &[SiteSummary]) -> LifeTable {
    let width = summaries[0].km_binned.width;
    let labels = union(summaries.iter().map(|s| {
        let l: &[String] = &s.groups;
        l
    }));
    let groups = labels
        .iter()
        .map(|label| {
            let mut used: Vec<&KmBinnedGroup> = Vec::new();
            let mut left_out = Vec::new();
            for s in summaries {
                match s.km_binned.groups.iter().find(|g| &g.label == label) {
                    Some(g) if g.suppressed => left_out.push(s.site.clone()),
                    Some(g) => used.push(g),
                    None => {}
                }
            }
            let mut lt = life_table(label, &used, width);
            lt.sites_left_out = left_out;
            lt
        })
        .collect();
    LifeTable {
        method: "life_table".into(),
        width,
        groups,
    }
}
