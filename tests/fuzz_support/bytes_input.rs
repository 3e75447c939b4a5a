//! The `ingest` target's input: arbitrary file bytes with either a fixed, valid spec
//! (selector byte < 0x80; exercises every section on hostile bytes) or an arbitrary spec
//! text (selector ≥ 0x80; two length bytes, then the spec, then the file).

/// Valid specs over the columns `t,e,g,x,c,s,w,id,d1,d2` (the seeds use those names).
pub const SPECS: [&str; 6] = [
    r#"{"time":{"column":"t"},"event":{"column":"e"},"km":{},"logrank":{}}"#,
    r#"{"time":{"column":"t"},"event":{"column":"e","values":["1"],"censored_values":["0"]},
        "group":{"column":"g"},"covariates":[{"column":"x"},{"column":"c","type":"categorical"}],
        "strata":["s"],"km":{"times":[1,10]},"logrank":{"pairwise":"all"},"rmst":{"tau":5},
        "cox":{"robust":true,"ph_test":{}}}"#,
    r#"{"time":{"start":"d1","end":"d2","unit":"months"},"event":{"column":"e"},
        "group":{"column":"g"},"km":{"conf_type":"log-log"},"rmst":{"tau":12}}"#,
    r#"{"time":{"column":"t"},"event":{"column":"e"},"group":{"column":"g"},
        "covariates":[{"column":"x"},{"column":"c"}],"weights":{"column":"w"},
        "cluster":{"column":"id"},"cox":{"ties":"breslow"},"sensitivity":{}}"#,
    r#"{"time":{"column":"t"},"event":{"column":"e"},"group":{"column":"g"},
        "covariates":[{"column":"x"},{"column":"c"}],"km":{},"rmst":{"tau":3},
        "propensity":{"estimand":"ATE","stabilize":true,"truncate":[0.01,0.99]},
        "adjusted":{"bootstrap":{"replicates":5,"seed":7}}}"#,
    r#"{"time":{"column":"t"},"event":{"column":"e"},"group":{"column":"g"},
        "covariates":[{"column":"x"}],"table1":{"covariates":["x","c","s"]}}"#,
];

/// Split a fuzz input into (file bytes, spec text).
pub fn split(input: &[u8]) -> (&[u8], String) {
    let Some((&selector, rest)) = input.split_first() else {
        return (input, SPECS[0].to_string());
    };
    if selector < 0x80 {
        return (rest, SPECS[usize::from(selector) % SPECS.len()].to_string());
    }
    let len = match rest {
        [a, b, ..] => usize::from(u16::from_le_bytes([*a, *b])),
        _ => 0,
    };
    let body = rest.get(2..).unwrap_or(&[]);
    let len = len.min(body.len());
    let (spec, data) = body.split_at(len);
    (data, String::from_utf8_lossy(spec).into_owned())
}

/// Encode a file and a spec text the way [`split`] decodes them (seed corpora).
pub fn join_with_spec(data: &[u8], spec: &str) -> Vec<u8> {
    let len = u16::try_from(spec.len()).unwrap_or(u16::MAX);
    let mut out = vec![0x80];
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&spec.as_bytes()[..usize::from(len)]);
    out.extend_from_slice(data);
    out
}
