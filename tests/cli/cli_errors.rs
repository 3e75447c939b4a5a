//! The catalogue of malformed input through the CLI: every case exits 2, prints only
//! `error: ` lines on stderr that name the column (and the file line where one row is at
//! fault) and say what to do, and prints nothing on stdout (never a partial document).

use std::path::PathBuf;
use std::process::Command;

struct Case {
    name: &'static str,
    data: Vec<u8>,
    spec: &'static str,
    /// Substrings the message must contain (column, line, ...).
    must_mention: &'static [&'static str],
}

const SPEC: &str = r#"{"time": {"column": "t"}, "event": {"column": "d"}, "group": {"column": "g"}, "km": {}, "logrank": {}}"#;
const DATES: &str = r#"{"time": {"start": "s", "end": "e", "date_format": "%d/%m/%Y"}, "event": {"column": "d"}, "km": {}}"#;

fn case(
    name: &'static str,
    data: &str,
    spec: &'static str,
    must_mention: &'static [&'static str],
) -> Case {
    Case {
        name,
        data: data.as_bytes().to_vec(),
        spec,
        must_mention,
    }
}

fn catalogue() -> Vec<Case> {
    vec![
        case("unknown time column", "x,d,g\n1,1,A\n", SPEC, &["\"t\""]),
        case("unknown event column", "t,x,g\n1,1,A\n", SPEC, &["\"d\""]),
        case("unknown group column", "t,d,x\n1,1,A\n", SPEC, &["\"g\""]),
        case(
            "non-numeric time",
            "t,d,g\n1,1,A\n2,0,B\nabc,1,A\n",
            SPEC,
            &["\"t\"", "line 4", "abc"],
        ),
        case(
            "overflowing time",
            "t,d,g\n1,1,A\n1e309,0,B\n",
            SPEC,
            &["\"t\"", "line 3"],
        ),
        case(
            "unknown event token",
            "t,d,g\n1,1,A\n2,0,B\n3,maybe,A\n",
            SPEC,
            &["\"d\"", "line 4", "maybe"],
        ),
        case(
            "event coded 0/1/2",
            "t,d,g\n1,0,A\n2,1,B\n3,2,A\n",
            SPEC,
            &["\"d\""],
        ),
        case("ragged row", "t,d,g\n1,1,A\n2,0\n", SPEC, &["line 3"]),
        case(
            "too many fields",
            "t,d,g\n1,1,A\n2,0,B,extra\n",
            SPEC,
            &["line 3"],
        ),
        case("empty file", "", SPEC, &["empty"]),
        case("header only", "t,d,g\n", SPEC, &["no data"]),
        case("duplicate header", "t,d,t,g\n1,1,2,A\n", SPEC, &["\"t\""]),
        case(
            "impossible date",
            "s,e,d\n01/01/2020,31/02/2020,1\n",
            DATES,
            &["\"e\"", "line 2", "31/02/2020"],
        ),
        case(
            "date in the wrong format",
            "s,e,d\n2020-01-01,2020-05-01,1\n",
            DATES,
            &["\"s\"", "line 2"],
        ),
        case(
            "unknown reference group",
            "t,d,g\n1,1,A\n2,0,B\n",
            r#"{"time": {"column": "t"}, "event": {"column": "d"}, "group": {"column": "g", "reference": "C"}, "km": {}}"#,
            &["\"C\"", "\"g\""],
        ),
        case(
            "negative weight",
            "t,d,g,w\n1,1,A,1\n2,0,B,-2\n",
            r#"{"time": {"column": "t"}, "event": {"column": "d"}, "group": {"column": "g"}, "weights": {"column": "w"}, "km": {}}"#,
            &["\"w\"", "line 3"],
        ),
        case(
            "non-numeric weight",
            "t,d,g,w\n1,1,A,1\n2,0,B,heavy\n",
            r#"{"time": {"column": "t"}, "event": {"column": "d"}, "group": {"column": "g"}, "weights": {"column": "w"}, "km": {}}"#,
            &["\"w\"", "line 3"],
        ),
        case(
            "event token outside both codings",
            "t,d,g\n1,dead,A\n2,alive,B\n3,lost,A\n",
            r#"{"time": {"column": "t"}, "event": {"column": "d", "values": ["dead"], "censored_values": ["alive"]}, "km": {}}"#,
            &["\"d\"", "line 4", "lost"],
        ),
        case(
            "unknown covariate reference",
            "t,d,g,sex\n1,1,A,M\n2,0,B,F\n",
            r#"{"time": {"column": "t"}, "event": {"column": "d"}, "covariates": [{"column": "sex", "type": "categorical", "reference": "X"}], "km": {}}"#,
            &["\"sex\"", "\"X\""],
        ),
        case("spec is not JSON", "t,d,g\n1,1,A\n", "{time:", &["spec"]),
        case(
            "unknown spec key",
            "t,d,g\n1,1,A\n",
            r#"{"time": {"column": "t"}, "event": {"column": "d"}, "km": {"cnof_type": "log"}}"#,
            &["cnof_type"],
        ),
        case(
            "bad conf_level",
            "t,d,g\n1,1,A\n",
            r#"{"time": {"column": "t"}, "event": {"column": "d"}, "km": {"conf_level": 95}}"#,
            &["km.conf_level"],
        ),
        case(
            "bad conf_type",
            "t,d,g\n1,1,A\n",
            r#"{"time": {"column": "t"}, "event": {"column": "d"}, "km": {"conf_type": "logit"}}"#,
            &["logit"],
        ),
        case(
            "negative tau",
            "t,d,g\n1,1,A\n",
            r#"{"time": {"column": "t"}, "event": {"column": "d"}, "km": {}, "rmst": {"tau": -5}}"#,
            &["rmst.tau"],
        ),
        case(
            "time given twice",
            "t,d,g\n1,1,A\n",
            r#"{"time": {"column": "t", "start": "s", "end": "e"}, "event": {"column": "d"}, "km": {}}"#,
            &["time"],
        ),
        case(
            "missing event key",
            "t,d,g\n1,1,A\n",
            r#"{"time": {"column": "t"}, "km": {}}"#,
            &["event"],
        ),
    ]
}

fn write_temp(dir: &std::path::Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write temp file");
    p
}

#[test]
fn every_malformed_input_exits_2_with_a_located_message() {
    let dir = std::env::temp_dir().join(format!("survlens-cli-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cases = catalogue();
    assert!(cases.len() >= 20);
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let data = write_temp(&dir, &format!("{i}.csv"), &c.data);
        let spec = write_temp(&dir, &format!("{i}.json"), c.spec.as_bytes());
        let out = Command::new(env!("CARGO_BIN_EXE_survlens"))
            .arg("analyze")
            .arg(&data)
            .arg("--spec")
            .arg(&spec)
            .output()
            .expect("run survlens");
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(2) {
            failures.push(format!(
                "{}: exit {:?}, stderr: {stderr}",
                c.name,
                out.status.code()
            ));
            continue;
        }
        if !out.stdout.is_empty() {
            failures.push(format!("{}: wrote to stdout on error", c.name));
        }
        if stderr.is_empty() || !stderr.lines().all(|l| l.starts_with("error: ")) {
            failures.push(format!(
                "{}: stderr lines must start with 'error: ': {stderr}",
                c.name
            ));
        }
        for m in c.must_mention {
            if !stderr.contains(m) {
                failures.push(format!(
                    "{}: message does not mention {m}: {stderr}",
                    c.name
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
