//! The generated reference stays current: the JSON Schemas of the spec and the results
//! and their Markdown references (docs/schema/, docs/reference/) equal what the contract
//! crate's types give. Run with `SURVLENS_BLESS=1` to rewrite them after changing a type.

use survlens::contract::schema::{
    markdown, pooled_schema, results_schema, site_summary_schema, spec_schema,
};

const SPEC_INTRO: &str =
    "Every key of the analysis spec, its type and whether it may be left out, \
generated from the spec's types. The rules and examples are in [the spec](../spec.md).";
const RESULTS_INTRO: &str = "Every key of the results document, its type and whether it is always \
present, generated from the results' types. What each number means is in [the results](../results.md).";

const SITES_INTRO: &str = "Every key of the file `survlens site` writes (a site summary) or \
`survlens pool` writes (the pooled document), generated from their types. The methods are in \
[the methods](../methods.md#sites).";

fn check(path: &str, generated: &str) {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("SURVLENS_BLESS").is_some() {
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&full).unwrap_or_else(|e| {
        panic!("{path}: {e}; run SURVLENS_BLESS=1 cargo test --test docs generated")
    });
    assert!(
        committed == generated,
        "{path} is stale: the contract's types changed; run SURVLENS_BLESS=1 cargo test --test docs generated and commit"
    );
}

fn pretty(v: &serde_json::Value) -> String {
    // serde_json's map keeps its keys sorted (no `preserve_order`): the files diff cleanly.
    serde_json::to_string_pretty(v).unwrap() + "\n"
}

#[test]
fn schemas_are_current() {
    check("docs/schema/spec.schema.json", &pretty(&spec_schema()));
    check(
        "docs/schema/results.schema.json",
        &pretty(&results_schema()),
    );
    check(
        "docs/schema/site_summary.schema.json",
        &pretty(&site_summary_schema()),
    );
    check("docs/schema/pooled.schema.json", &pretty(&pooled_schema()));
}

#[test]
fn references_are_current() {
    check(
        "docs/reference/spec.md",
        &markdown("Spec reference", SPEC_INTRO, &spec_schema()),
    );
    check(
        "docs/reference/results.md",
        &markdown("Results reference", RESULTS_INTRO, &results_schema()),
    );
    check(
        "docs/reference/site_summary.md",
        &markdown(
            "Site summary reference",
            SITES_INTRO,
            &site_summary_schema(),
        ),
    );
    check(
        "docs/reference/pooled.md",
        &markdown("Pooled document reference", SITES_INTRO, &pooled_schema()),
    );
}

#[test]
fn the_schemas_name_the_contract_top_level_keys() {
    let spec = spec_schema();
    for key in [
        "time",
        "event",
        "group",
        "covariates",
        "km",
        "cox",
        "propensity",
        "landmark",
    ] {
        assert!(
            spec["properties"].get(key).is_some(),
            "spec schema lacks {key}"
        );
    }
    let mut required: Vec<&str> = spec["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    required.sort_unstable();
    assert_eq!(
        required,
        ["event", "time"],
        "only time and event are required in a spec"
    );
    let results = results_schema();
    for key in [
        "version", "software", "data", "groups", "warnings", "km", "logrank", "cox",
    ] {
        assert!(
            results["properties"].get(key).is_some(),
            "results schema lacks {key}"
        );
    }
}
