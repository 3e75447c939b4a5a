//! Running sites and the coordinator in memory, round by round.

use std::path::{Path, PathBuf};
use survlens::analysis::sites::{pool, read_summary, site_summary};
use survlens::contract::sites::{Pooled, SiteSummary};
use survlens::Spec;

pub fn case_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(name)
}

/// The protocol and the sites' data files (site name, bytes) of a reference case, in the
/// order of its expected.json `sites`.
pub fn case(name: &str) -> (Spec, Vec<(String, Vec<u8>)>, serde_json::Value) {
    let dir = case_dir(name);
    let spec = Spec::from_json(&std::fs::read_to_string(dir.join("spec.json")).unwrap()).unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let sites = expected["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let s = s.as_str().unwrap().to_string();
            let bytes = std::fs::read(dir.join(format!("site_{s}.csv"))).unwrap();
            (s, bytes)
        })
        .collect();
    (spec, sites, expected)
}

/// A summary written to JSON and read back as the coordinator reads a file.
pub fn through_file(s: &SiteSummary) -> SiteSummary {
    let text = serde_json::to_string_pretty(s).unwrap();
    read_summary(&format!("{}.json", s.site), text.as_bytes()).unwrap()
}

/// Every site's summary at the rounds `pooled` asks for, pooled; repeated until the Cox
/// model converges. Returns the last pooled document and the number of pools.
pub fn run_rounds(spec: &Spec, sites: &[(String, Vec<u8>)]) -> (Pooled, usize) {
    let mut pooled: Option<Pooled> = None;
    for round in 1..=30 {
        let summaries: Vec<SiteSummary> = sites
            .iter()
            .map(|(name, data)| {
                through_file(&site_summary(data, spec, name, pooled.as_ref()).unwrap())
            })
            .collect();
        let p = pool(&summaries).unwrap();
        // The pooled file goes through JSON too, as `--beta POOLED.json`.
        let text = serde_json::to_string_pretty(&p).unwrap();
        let p = survlens::analysis::sites::read_pooled("pooled.json", text.as_bytes()).unwrap();
        let done = p.sites.cox.as_ref().is_none_or(|c| c.next_beta.is_none());
        pooled = Some(p);
        if done {
            return (pooled.unwrap(), round);
        }
    }
    panic!("the rounds did not end in 30 pools")
}
