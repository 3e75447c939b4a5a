//! The inputs of the untrusted-file targets (`site_summary`, `pool`, `protocol`) and what
//! each must hold, shared by the cargo-fuzz targets and the corpus replay
//! (`tests/robustness/fuzz_corpus.rs`): a file from another hospital ends in a result or a
//! typed user error (never a panic, never an `internal` error), and what SurvLens writes
//! it reads back.
//!
//! A checksum is no defence against a hostile file (anyone can compute one), so a
//! summary's bytes are taken either as they are (selector byte even) or re-sealed
//! (selector odd: read as a summary without its checksum, sealed, written): the fuzzer
//! then reaches pooling with any content, not only the checksum's refusal.

use survlens::analysis::sites::{self, SitesError};
use survlens::contract::sites::SiteSummary;
use survlens::messages::{sites_words, Lang};
use survlens::Spec;

/// A site's data file the `pool` and `protocol` targets run their protocol on (the
/// columns `time,status,sex,age,ph.ecog` of the lung cases; the seeds' protocols name
/// them).
pub const SITE_DATA: &[u8] = include_bytes!("../reference/sites_lung/site_C.csv");

/// The byte separating the files of a `pool` input (never in UTF-8 text).
pub const SEPARATOR: u8 = 0xFF;

/// The file bytes a summary input stands for (see the module's note on re-sealing).
pub fn summary_file(input: &[u8]) -> Vec<u8> {
    let Some((&selector, rest)) = input.split_first() else {
        return Vec::new();
    };
    if selector % 2 == 0 {
        return rest.to_vec();
    }
    match serde_json::from_slice::<SiteSummary>(rest) {
        Ok(s) => serde_json::to_string_pretty(&sites::seal(s))
            .expect("a summary serializes")
            .into_bytes(),
        Err(_) => rest.to_vec(),
    }
}

/// Encode a summary file as [`summary_file`] decodes it (`reseal`: odd selector).
pub fn join_summary(file: &[u8], reseal: bool) -> Vec<u8> {
    let mut out = vec![u8::from(reseal)];
    out.extend_from_slice(file);
    out
}

fn user(e: SitesError) -> Result<Vec<u8>, String> {
    assert!(e.is_user_error(), "internal error: {e}");
    let en = e.message(Lang::En);
    let zh = e.message(Lang::Zh);
    assert!(
        !en.is_empty() && !zh.is_empty(),
        "empty message for {}",
        e.kind()
    );
    Err(format!("{}: {en}", e.kind()))
}

/// The pooled document of `summaries`, written, read back (`site --beta`), described
/// (guidance, the report page): its bytes, or the error.
fn pooled_bytes(
    summaries: &[SiteSummary],
) -> Result<(Vec<u8>, survlens::contract::sites::Pooled), String> {
    let pooled = match sites::pool(summaries) {
        Ok(p) => p,
        Err(e) => return user(e).map(|_| unreachable!()),
    };
    let text = serde_json::to_string_pretty(&pooled).expect("pooled serializes");
    let back = sites::read_pooled("pooled.json", text.as_bytes())
        .unwrap_or_else(|e| panic!("the pooled document does not read back: {e}"));
    for lang in [Lang::En, Lang::Zh] {
        let _ = sites_words::guidance(&back, lang);
        survlens::report_html::render_pooled(
            &back,
            &survlens::report_html::SitesReportOptions { lang },
        )
        .expect("the pooled report renders");
    }
    Ok((text.into_bytes(), back))
}

/// `site_summary` target: one file read as `survlens pool` reads it; a summary that
/// reads is previewed (both languages) and pooled alone.
pub fn site_summary(input: &[u8]) -> Result<Vec<u8>, String> {
    let resealed = input.first().is_some_and(|s| s % 2 == 1);
    let file = summary_file(input);
    let summary = match sites::read_summary("site.json", &file) {
        Ok(s) => s,
        Err(e) => {
            // A file SurvLens sealed always matches its checksum.
            let sealed_here =
                resealed && serde_json::from_slice::<SiteSummary>(&input[1..]).is_ok();
            assert!(
                !(sealed_here && matches!(e, SitesError::Checksum { .. })),
                "a re-sealed summary fails its checksum"
            );
            return user(e);
        }
    };
    for lang in [Lang::En, Lang::Zh] {
        assert!(!sites_words::preview(&summary, lang).is_empty());
    }
    pooled_bytes(&[summary]).map(|(b, _)| b)
}

/// `pool` input: up to 4 summary files and a protocol, separated by [`SEPARATOR`] (the
/// last part is the protocol when there are two parts or more).
pub fn split_pool(input: &[u8]) -> (Vec<&[u8]>, Option<&[u8]>) {
    let mut parts: Vec<&[u8]> = input.split(|&b| b == SEPARATOR).collect();
    let protocol = if parts.len() >= 2 { parts.pop() } else { None };
    parts.truncate(4);
    (parts, protocol)
}

/// Encode summary inputs and a protocol as [`split_pool`] decodes them.
pub fn join_pool(summaries: &[Vec<u8>], protocol: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for s in summaries {
        out.extend_from_slice(s);
        out.push(SEPARATOR);
    }
    out.extend_from_slice(protocol.as_bytes());
    out
}

/// `pool` target: the summaries read and pooled as `survlens pool` does; the pooled
/// document read back; then a site runs the protocol with it (`survlens site --beta`).
pub fn pool(input: &[u8]) -> Result<Vec<u8>, String> {
    let (files, protocol) = split_pool(input);
    let mut summaries = Vec::new();
    for (i, f) in files.iter().enumerate() {
        match sites::read_summary(&format!("site{i}.json"), &summary_file(f)) {
            Ok(s) => summaries.push(s),
            Err(e) => return user(e),
        }
    }
    let (bytes, pooled) = pooled_bytes(&summaries)?;
    let Some(protocol) = protocol else {
        return Ok(bytes);
    };
    let Ok(spec) = Spec::from_json(&String::from_utf8_lossy(protocol)) else {
        return Ok(bytes);
    };
    match sites::site_summary(SITE_DATA, &spec, "Z", Some(&pooled)) {
        Ok(s) => {
            let text = serde_json::to_string_pretty(&s).expect("summary serializes");
            sites::read_summary("Z.json", text.as_bytes())
                .unwrap_or_else(|e| panic!("a written summary does not read back: {e}"));
            Ok(text.into_bytes())
        }
        Err(e) => user(e),
    }
}

/// `protocol` target: a protocol file as a site reads it. One that reads writes the same
/// protocol text (and SHA-256) when read again, and runs at a site (a summary, or a typed
/// error naming what to change).
pub fn protocol(input: &[u8]) -> Result<Vec<u8>, String> {
    let text = String::from_utf8_lossy(input);
    let spec = match Spec::from_json(&text) {
        Ok(s) => s,
        Err(e) => {
            let e = survlens::Error::Spec(e);
            assert!(e.is_user_error(), "internal error: {e}");
            return Err(format!("{}: {e}", e.kind()));
        }
    };
    let written = spec.protocol_text();
    let again = Spec::from_json(&written)
        .unwrap_or_else(|e| panic!("the protocol file does not read back: {e}\n{written}"));
    assert_eq!(
        again.protocol_text(),
        written,
        "the protocol text changed on reading"
    );
    match sites::site_summary(SITE_DATA, &spec, "A", None) {
        Ok(s) => Ok(serde_json::to_vec(&s).expect("summary serializes")),
        Err(e) => user(e),
    }
}
