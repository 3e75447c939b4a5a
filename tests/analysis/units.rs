//! The splittable sections' work units (`survlens::analysis::units`, the page's worker
//! pool, issue 24): running units [a, b) in separate analyses and combining their
//! partials gives the Report of the one-call run byte for byte, for random splits of the
//! adjusted and the emulation bootstrap's replicates; partials of another file or spec,
//! or that miss or repeat a unit, are refused.

use proptest::prelude::*;
use survlens::analysis::units::{self, Plan, Section};
use survlens::analysis::Analysis;

const DEMO: &[u8] = include_bytes!("../../www/demo/gist_liver_mets_demo.csv");
const REPLICATES: usize = 13;

/// The demo with IPTW + bootstrap and the emulated trial + bootstrap.
fn spec() -> String {
    let mut s: serde_json::Value =
        serde_json::from_str(include_str!("../../www/demo/demo_spec.json")).expect("spec");
    s["propensity"] = serde_json::json!({"estimand": "ATE", "stabilize": true});
    s["adjusted"] = serde_json::json!({"bootstrap": {"replicates": REPLICATES, "seed": 20240611}});
    s["emulation"] = serde_json::json!({
        "grace": 6, "covariates": ["age", "sex", "ecog"], "times": [12, 36], "tau": 60,
        "bootstrap": {"replicates": REPLICATES, "seed": 3}
    });
    for k in [
        "cox",
        "subgroups",
        "landmark",
        "time_dependent",
        "conditional",
    ] {
        s.as_object_mut().expect("object").remove(k);
    }
    s.to_string()
}

fn report_bytes(spec: &str, plan: &Plan) -> Vec<u8> {
    let r = Analysis::from_json(spec)
        .plan(plan)
        .run(DEMO)
        .expect("runs");
    serde_json::to_vec_pretty(&r).expect("JSON")
}

/// The partials of `cuts` (sorted unit indices splitting 0..REPLICATES) of `section`,
/// each range in its own analysis, through the bytes the wasm API exchanges.
fn partial_bytes(spec: &str, section: Section, cuts: &[usize]) -> Vec<u8> {
    let fp = units::fingerprint(DEMO, spec);
    let mut bounds = vec![0];
    bounds.extend(cuts.iter().copied());
    bounds.push(REPLICATES);
    let mut out = Vec::new();
    for w in bounds.windows(2) {
        let plan = Plan::range(section, w[0], w[1]);
        Analysis::from_json(spec)
            .plan(&plan)
            .run(DEMO)
            .expect("runs");
        let parts = plan.into_partials();
        assert_eq!(parts.len(), 1, "one partial per range");
        assert_eq!(parts[0].units.len(), w[1] - w[0]);
        out.extend(units::encode(fp, &parts));
    }
    out
}

#[test]
fn both_bootstraps_are_in_the_report_and_seeded_per_replicate() {
    let spec = spec();
    let all: serde_json::Value =
        serde_json::from_slice(&report_bytes(&spec, &Plan::All)).expect("JSON");
    assert_eq!(all["adjusted"]["bootstrap"]["replicates"], REPLICATES);
    assert!(all["adjusted"]["bootstrap"]["replicates_used"].as_u64() > Some(2));
    assert!(all["emulation"]["at_times"][0]["lower"].is_number());
    assert_eq!(
        units::work_units(&survlens::Spec::from_json(&spec).expect("spec")),
        vec![
            (Section::AdjustedBootstrap, REPLICATES),
            (Section::EmulationBootstrap, REPLICATES)
        ]
    );
}

#[test]
fn partials_of_another_file_or_spec_or_an_incomplete_set_are_refused() {
    let spec = spec();
    let bytes = partial_bytes(&spec, Section::AdjustedBootstrap, &[5]);
    let other_file = units::fingerprint(&DEMO[..DEMO.len() - 1], &spec);
    assert_eq!(
        units::decode(&bytes, other_file),
        Err(units::DecodeError::OtherInput)
    );
    let other_spec = units::fingerprint(DEMO, &spec.replace("20240611", "20240612"));
    assert_eq!(
        units::decode(&bytes, other_spec),
        Err(units::DecodeError::OtherInput)
    );
    // Only the adjusted bootstrap's partials: the emulation's units are missing.
    let parts = units::decode(&bytes, units::fingerprint(DEMO, &spec)).expect("decodes");
    let err = Analysis::from_json(&spec)
        .plan(&Plan::Given(parts.clone()))
        .run(DEMO)
        .expect_err("incomplete");
    assert_eq!(err.kind(), "internal");
    // A range twice.
    let mut twice = parts.clone();
    twice.push(parts[0].clone());
    twice.extend(
        units::decode(
            &partial_bytes(&spec, Section::EmulationBootstrap, &[]),
            units::fingerprint(DEMO, &spec),
        )
        .expect("decodes"),
    );
    assert!(Analysis::from_json(&spec)
        .plan(&Plan::Given(twice))
        .run(DEMO)
        .is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Any split of both sections' replicates, combined, is the one-call Report.
    #[test]
    fn split_and_combine_equals_the_one_call_report(
        a in proptest::collection::btree_set(1..REPLICATES, 0..4),
        e in proptest::collection::btree_set(1..REPLICATES, 0..4),
        reversed in any::<bool>(),
    ) {
        let spec = spec();
        let a: Vec<usize> = a.into_iter().collect();
        let e: Vec<usize> = e.into_iter().collect();
        let mut bytes = partial_bytes(&spec, Section::EmulationBootstrap, &e);
        bytes.extend(partial_bytes(&spec, Section::AdjustedBootstrap, &a));
        let mut parts = units::decode(&bytes, units::fingerprint(DEMO, &spec)).expect("decodes");
        if reversed {
            parts.reverse(); // the order the pool's workers answer in does not matter
        }
        let combined = report_bytes(&spec, &Plan::Given(parts));
        prop_assert!(combined == report_bytes(&spec, &Plan::All));
    }
}
