//! Sealing and reading site summaries (untrusted files): the checksum over the canonical
//! content, the size limit, the schema (unknown keys refused) and the format version.
//!
//! # Canonical content
//! The summary's compact JSON (keys in the type's order) with `checksum` set to `""`; the
//! checksum is its SHA-256 in lower-case hex. The JSON reader's decimal-to-binary
//! conversion is not always correctly rounded (a number may read back one unit in the
//! last place apart, and writing that reads back the first), so before sealing each
//! number is moved, by at most a few units in the last place (a relative 1e-15), to the
//! nearest one that reads back as itself: the coordinator, reading the file, then writes
//! the same canonical text again.

use super::{PlausibleRange, SitesError};
use survlens_contract::digest::sha256_hex;
use survlens_contract::limits::{MAX_KM_BINS, MAX_SITE_SUMMARY_BYTES};
use survlens_contract::sites::{Pooled, SiteSummary, POOLED_VERSION, SITE_SUMMARY_VERSION};

fn canonical(summary: &SiteSummary) -> String {
    let mut s = summary.clone();
    s.checksum = String::new();
    serde_json::to_string(&s).unwrap_or_default()
}

/// Whether the JSON text of `x` reads back as `x`.
fn reads_back(x: f64) -> bool {
    serde_json::to_string(&x)
        .ok()
        .and_then(|t| serde_json::from_str::<f64>(&t).ok())
        .is_some_and(|y| y.to_bits() == x.to_bits())
}

/// `x`, or the nearest number within 8 units in the last place that reads back as
/// itself.
fn stable(x: f64) -> f64 {
    if !x.is_finite() || reads_back(x) {
        return x;
    }
    for k in 1..=8u64 {
        for y in [
            f64::from_bits(x.to_bits().wrapping_add(k)),
            f64::from_bits(x.to_bits().wrapping_sub(k)),
        ] {
            if y.is_finite() && y.signum() == x.signum() && reads_back(y) {
                return y;
            }
        }
    }
    x
}

fn stabilize(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) if n.is_f64() => {
            if let Some(x) = n
                .as_f64()
                .and_then(|x| serde_json::Number::from_f64(stable(x)))
            {
                *n = x;
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(stabilize),
        serde_json::Value::Object(o) => o.values_mut().for_each(stabilize),
        _ => {}
    }
}

/// The summary with every number one that reads back as itself, and its `checksum` set.
pub fn seal(mut summary: SiteSummary) -> SiteSummary {
    summary.checksum = String::new();
    if let Ok(mut v) = serde_json::to_value(&summary) {
        stabilize(&mut v);
        if let Ok(s) = serde_json::from_value::<SiteSummary>(v) {
            summary = s;
        }
    }
    summary.checksum = sha256_hex(canonical(&summary).as_bytes());
    summary
}

/// Reads a site summary from the bytes of `file`: size, JSON, schema, version, checksum.
pub fn read_summary(file: &str, bytes: &[u8]) -> Result<SiteSummary, SitesError> {
    let not = |message: String| SitesError::NotASummary {
        file: file.to_string(),
        message,
    };
    if bytes.len() > MAX_SITE_SUMMARY_BYTES {
        return Err(not(format!(
            "{} bytes; a site summary has at most {MAX_SITE_SUMMARY_BYTES}",
            bytes.len()
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| not("it is not UTF-8 text".into()))?;
    let summary: SiteSummary = serde_json::from_str(text).map_err(|e| {
        not(format!(
            "{e} (export it with survlens site, or the page's \"Export site summary\")"
        ))
    })?;
    if summary.survlens_site_summary != SITE_SUMMARY_VERSION {
        return Err(not(format!(
            "format version {} (this SurvLens reads version {SITE_SUMMARY_VERSION})",
            summary.survlens_site_summary
        )));
    }
    check_shape(&summary).map_err(not)?;
    if sha256_hex(canonical(&summary).as_bytes()) != summary.checksum {
        return Err(SitesError::Checksum {
            file: file.to_string(),
            site: summary.site.clone(),
        });
    }
    check_values(file, &summary)?;
    Ok(summary)
}

/// Largest magnitude of a Cox number of a site summary (a coefficient, a standard error,
/// an entry of `vcov`, the partial likelihood, its score and information): the product of
/// two such numbers summed over `limits::MAX_SITES` sites stays a finite double (10¹⁵⁰ · 10¹⁵⁰ ·
/// 10³ < 1.8 · 10³⁰⁸), and no cohort whose covariates a double can hold with a Cox fit
/// R can report comes near it (the information is at most the events times the squared
/// range of a covariate).
pub const MAX_ABS_STATISTIC: f64 = 1e150;

/// Slack of the count bounds, relative, for the sums of fractions the expected events and
/// their variance are.
const COUNT_SLACK: f64 = 1e-9;

/// The numbers of a summary are ones a cohort can give (a damaged or forged file can match
/// its checksum, since anybody can re-seal it): counts within the site's patients, the
/// log-rank observed and expected events and their variance within its events (each is a
/// sum over the event times of at most the deaths there: 0 ≤ O, E ≤ d, |V| ≤ d), standard
/// errors positive, every number of the Cox model within ±[`MAX_ABS_STATISTIC`]. The first
/// number outside is the error, naming the field.
fn check_values(file: &str, s: &SiteSummary) -> Result<(), SitesError> {
    let bad = |field: String, value: f64, range: PlausibleRange| SitesError::Implausible {
        file: file.to_string(),
        site: s.site.clone(),
        field,
        value,
        range,
    };
    let check = |field: &dyn Fn() -> String, value: f64, range: PlausibleRange| {
        let slack = match range {
            PlausibleRange::ZeroTo(b) => PlausibleRange::ZeroTo(b * (1.0 + COUNT_SLACK)),
            r => r,
        };
        if slack.holds(value) {
            Ok(())
        } else {
            Err(bad(field(), value, range))
        }
    };
    let n = s.n as f64;
    let d = s.n_events as f64;
    check(&|| "n_events".into(), d, PlausibleRange::ZeroTo(n))?;
    check(
        &|| "cox_n".into(),
        s.cox_n as f64,
        PlausibleRange::ZeroTo(n),
    )?;
    check(
        &|| "cox_n_events".into(),
        s.cox_n_events as f64,
        PlausibleRange::ZeroTo(s.cox_n.min(s.n_events) as f64),
    )?;
    for (i, g) in s.logrank.groups.iter().enumerate() {
        let at = |f: &str| format!("logrank.groups[{i}].{f}");
        check(&|| at("n"), g.n as f64, PlausibleRange::ZeroTo(n))?;
        check(&|| at("observed"), g.observed, PlausibleRange::ZeroTo(d))?;
        check(&|| at("expected"), g.expected, PlausibleRange::ZeroTo(d))?;
    }
    for (i, row) in s.logrank.variance.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            let field = || format!("logrank.variance[{i}][{j}]");
            if i == j {
                check(&field, v, PlausibleRange::ZeroTo(d))?;
            } else {
                check(&field, v.abs(), PlausibleRange::ZeroTo(d))
                    .map_err(|_| bad(field(), v, PlausibleRange::AbsAtMost(d)))?;
            }
        }
    }
    let stat = PlausibleRange::AbsAtMost(MAX_ABS_STATISTIC);
    if let Some(c) = &s.cox {
        check(&|| "cox.n".into(), c.n as f64, PlausibleRange::ZeroTo(n))?;
        check(
            &|| "cox.n_events".into(),
            c.n_events as f64,
            PlausibleRange::ZeroTo(d),
        )?;
        for (i, t) in c.terms.iter().enumerate() {
            if let Some(b) = t.coef {
                check(&|| format!("cox.terms[{i}].coef"), b, stat)?;
            }
            if let Some(se) = t.se {
                check(
                    &|| format!("cox.terms[{i}].se"),
                    se,
                    PlausibleRange::Positive,
                )?;
                check(&|| format!("cox.terms[{i}].se"), se, stat)?;
            }
        }
        for (i, row) in c.vcov.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                if let Some(v) = *v {
                    check(&|| format!("cox.vcov[{i}][{j}]"), v, stat)?;
                }
            }
        }
    }
    for (r, round) in s.cox_rounds.iter().enumerate() {
        let at = |f: String| format!("cox_rounds[{r}].{f}");
        check(&|| at("loglik".into()), round.loglik, stat)?;
        for (j, &b) in round.beta.iter().enumerate() {
            check(&|| at(format!("beta[{j}]")), b, stat)?;
        }
        for (j, &u) in round.score.iter().enumerate() {
            check(&|| at(format!("score[{j}]")), u, stat)?;
        }
        for (j, row) in round.information.iter().enumerate() {
            for (k, &v) in row.iter().enumerate() {
                check(&|| at(format!("information[{j}][{k}]")), v, stat)?;
            }
        }
    }
    for (i, g) in s.km_binned.groups.iter().enumerate() {
        let counts = [
            ("n_risk", &g.n_risk),
            ("n_event", &g.n_event),
            ("n_censor", &g.n_censor),
        ];
        for (name, list) in counts {
            for (b, &c) in list.iter().enumerate() {
                check(
                    &|| format!("km_binned.groups[{i}].{name}[{b}]"),
                    c as f64,
                    PlausibleRange::ZeroTo(n),
                )?;
            }
        }
    }
    Ok(())
}

/// The dimensions agree (a hostile file must not make the pooling index out of range).
fn check_shape(s: &SiteSummary) -> Result<(), String> {
    let k = s.logrank.groups.len();
    if s.logrank.variance.len() != k || s.logrank.variance.iter().any(|r| r.len() != k) {
        return Err(format!("logrank.variance is not {k} × {k}"));
    }
    let p = s.cox_names.len();
    for r in &s.cox_rounds {
        if r.beta.len() != p
            || r.score.len() != p
            || r.information.len() != p
            || r.information.iter().any(|row| row.len() != p)
        {
            return Err(format!("a cox_rounds entry is not of {p} terms"));
        }
    }
    if let Some(c) = &s.cox {
        let q = c.terms.len();
        if c.vcov.len() != q || c.vcov.iter().any(|r| r.len() != q) {
            return Err(format!("cox.vcov is not {q} × {q}"));
        }
    }
    if !(s.km_binned.width.is_finite() && s.km_binned.width > 0.0) {
        return Err("km_binned.width is not a positive number".into());
    }
    for g in &s.km_binned.groups {
        let b = g.n_risk.len();
        if g.n_event.len() != b
            || g.n_censor.len() != b
            || (b > 0 && g.edges.len() != b + 1)
            || (b == 0 && !g.edges.is_empty())
            || g.edges.iter().any(|e| !e.is_finite() || *e < 0.0)
            || g.edges.windows(2).any(|w| w[1] <= w[0])
            || g.edges.iter().any(|e| {
                let k = e / s.km_binned.width;
                k > MAX_KM_BINS as f64 || (k - k.round()).abs() > 1e-6
            })
        {
            return Err(format!(
                "km_binned group \"{}\" has inconsistent bins",
                g.label
            ));
        }
    }
    Ok(())
}

/// Reads the pooled document given to `survlens site --beta`.
pub fn read_pooled(file: &str, bytes: &[u8]) -> Result<Pooled, SitesError> {
    let not = |message: String| SitesError::NotASummary {
        file: file.to_string(),
        message,
    };
    if bytes.len() > MAX_SITE_SUMMARY_BYTES {
        return Err(not(format!(
            "{} bytes is too large for a pooled file",
            bytes.len()
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| not("it is not UTF-8 text".into()))?;
    let pooled: Pooled = serde_json::from_str(text)
        .map_err(|e| not(format!("{e} (give the file survlens pool wrote)")))?;
    if pooled.survlens_pooled != POOLED_VERSION {
        return Err(not(format!(
            "pooled format version {} (this SurvLens reads version {POOLED_VERSION})",
            pooled.survlens_pooled
        )));
    }
    Ok(pooled)
}
