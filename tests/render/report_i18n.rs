//! The report in Simplified Chinese: every text of the English table has its Chinese
//! counterpart with the same `{placeholders}`, and the Chinese report of the demo
//! cohort (every section) holds no English sentence: a run of two or more ASCII
//! letters is data (a column name or a value of the file), a standard abbreviation,
//! an R name or part of a reference.

use std::collections::BTreeSet;
use std::path::PathBuf;
use survlens::report_html::i18n::texts;
use survlens::report_html::{analyze_to_html, Lang, ReportOptions};

/// `(field, text)` of every string field of a table, read from its `Debug` form.
fn fields(t: &impl std::fmt::Debug) -> Vec<(String, String)> {
    let debug = format!("{t:?}");
    let mut out = Vec::new();
    let mut rest = debug.as_str();
    while let Some(i) = rest.find(": \"") {
        let name: String = rest[..i]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let body = &rest[i + 3..];
        let mut end = 0;
        let mut escaped = false;
        for (j, c) in body.char_indices() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                end = j;
                break;
            }
        }
        out.push((name, body[..end].to_string()));
        rest = &body[end + 1..];
    }
    out
}

fn placeholders(s: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('}') else { break };
        out.insert(after[..j].to_string());
        rest = &after[j + 1..];
    }
    out
}

#[test]
fn every_english_matching_placeholder_exists_in_chinese() {
    use survlens::messages::matching_words::{EN, ZH};
    let (en, zh) = (fields(&EN), fields(&ZH));
    assert!(en.len() > 40, "read only {} fields", en.len());
    assert_eq!(en.len(), zh.len());
    for ((name, e), (name_zh, z)) in en.iter().zip(&zh) {
        assert_eq!(name, name_zh);
        assert_eq!(placeholders(e), placeholders(z), "field {name}: {e} / {z}");
        assert!(
            e != z || e.chars().all(|c| !c.is_ascii_alphabetic()),
            "{name} not translated: {z}"
        );
    }
}

#[test]
fn every_english_placeholder_exists_in_chinese() {
    let en = fields(texts(Lang::En));
    let zh = fields(texts(Lang::Zh));
    assert!(en.len() > 150, "read only {} fields", en.len());
    assert_eq!(en.len(), zh.len());
    for ((name, e), (name_zh, z)) in en.iter().zip(&zh) {
        assert_eq!(name, name_zh);
        assert_eq!(placeholders(e), placeholders(z), "field {name}: {e} / {z}");
    }
    // Every STROBE item is translated, with the same item numbers.
    let (se, sz) = (texts(Lang::En).strobe_items, texts(Lang::Zh).strobe_items);
    assert_eq!(se.len(), sz.len());
    for ((ie, _), (iz, tz)) in se.iter().zip(sz) {
        assert_eq!(ie, iz);
        assert!(
            tz.chars().any(|c| c > '\u{4e00}'),
            "STROBE {iz} untranslated"
        );
    }
}

fn demo() -> (Vec<u8>, String) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/demo");
    let data = std::fs::read(dir.join("gist_liver_mets_demo.csv")).unwrap();
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("demo_spec.json")).unwrap())
            .unwrap();
    spec["table1"] = serde_json::json!({});
    spec["propensity"] = serde_json::json!({});
    spec["adjusted"] = serde_json::json!({});
    spec["sensitivity"] = serde_json::json!({});
    spec["matching"] = serde_json::json!({"caliper": 0.2});
    (data, spec.to_string())
}

/// Drops `<tag ...>...</tag>` blocks whose text is not prose of the report.
fn drop_blocks(mut html: String, open: &str, close: &str) -> String {
    while let Some(i) = html.find(open) {
        let Some(j) = html[i..].find(close) else {
            break;
        };
        html.replace_range(i..i + j + close.len(), " ");
    }
    html
}

/// The visible text of the page, without the spec, the references, hashes and CSS.
fn prose(html: &str) -> String {
    let mut h = html.to_string();
    for (open, close) in [
        ("<style>", "</style>"),
        ("<pre>", "</pre>"),
        ("<code>", "</code>"),
        ("<ol class=\"refs\">", "</ol>"),
        ("<title>", "</title>"),
    ] {
        h = drop_blocks(h, open, close);
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in h.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn ascii_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
        .map(str::to_string)
        .collect()
}

/// Words that may stay in Latin letters in a Chinese journal article: abbreviations
/// (HR, CI, RMST, SMD, ATE, ATT, ATO, IPTW, PH, SD, SE), eponyms of methods (Cox,
/// Kaplan–Meier, Greenwood, Efron, Breslow, Holm, Schoenfeld, Harrell, Wald, ...),
/// R and its function/package names, the software's name, file formats, STROBE.
const ALLOWED: &[&str] = &[
    "HR",
    "CI",
    "RMST",
    "SMD",
    "ATE",
    "ATT",
    "ATO",
    "IPTW",
    "PH",
    "SD",
    "SE",
    "Cox",
    "Kaplan",
    "Meier",
    "Greenwood",
    "Mantel",
    "Efron",
    "Breslow",
    "Holm",
    "Bonferroni",
    "Benjamini",
    "Hochberg",
    "Schoenfeld",
    "Grambsch",
    "Therneau",
    "Harrell",
    "Wald",
    "Royston",
    "Parmar",
    "Austin",
    "Li",
    "VanderWeele",
    "Ding",
    "Kruskal",
    "Wallis",
    "Fisher",
    "Simon",
    "Makuch",
    "Harrington",
    "Fleming",
    "Bootstrap",
    "logistic",
    "rho",
    "von",
    "Elm",
    "al",
    "SurvLens",
    "survival",
    "coxph",
    "survdiff",
    "STROBE",
    "PDF",
    "SHA",
    "CSV",
    "start",
    "stop",
    "NA",
    "vs",
    "Love", // the Love plot (Thomas Love)
    "Stuart",
    "Anderson",
    // Formulas and R calls quoted as in R: log(−log S(t)), plot(cox.zph(fit)),
    // the propensity model's "(Intercept)" term.
    "log",
    "plot",
    "cox",
    "zph",
    "fit",
    "Intercept",
    "transform", // cox.zph's argument and its values
    "km",
    "rank",
    "identity",
    // The MatchIt call of the matching methods, as in R; the linear score's scale (logit).
    "MatchIt",
    "matchit",
    "treat",
    "ab",
    "method",
    "nearest",
    "distance",
    "glm",
    "link",
    "linear",
    "logit",
    "caliper",
    "std",
    "TRUE",
    "FALSE",
    "ratio",
    "replace",
    "order",
    "largest",
    "data",
];

#[test]
fn the_chinese_report_of_the_demo_has_no_english_sentence() {
    let (data, spec) = demo();
    let opts = ReportOptions {
        data_name: "gist_liver_mets_demo.csv".into(),
        lang: Lang::Zh,
        include_patient_data: true,
    };
    let html = analyze_to_html(&data, &spec, &opts).unwrap();
    assert!(html.contains("<html lang=\"zh-CN\">"));
    for must in [
        "中位生存期",
        "风险比",
        "对数秩检验",
        "置信区间",
        "倾向评分",
        "永恒时间偏倚",
        "里程碑",
    ] {
        assert!(html.contains(must), "no {must} in the Chinese report");
    }
    // Months after a number take the measure word 个; as a label they do not.
    assert!(
        html.contains("12 个月"),
        "no \"12 个月\" in the Chinese report"
    );
    for wrong in ["12 月", "（个月）", "以个月"] {
        assert!(!html.contains(wrong), "{wrong} in the Chinese report");
    }
    // Data: every word of the file (column names, values such as IM, HR, RFA, TACE).
    let data_words: BTreeSet<String> = ascii_words(&String::from_utf8_lossy(&data))
        .into_iter()
        .chain(ascii_words(&opts.data_name))
        .collect();
    let allowed: BTreeSet<&str> = ALLOWED.iter().copied().collect();
    let mut foreign = BTreeSet::new();
    for w in ascii_words(&prose(&html)) {
        if !data_words.contains(&w) && !allowed.contains(w.as_str()) {
            foreign.insert(w);
        }
    }
    let p = prose(&html);
    let ctx: Vec<&str> = foreign
        .iter()
        .filter_map(|w| {
            p.find(w.as_str())
                .map(|i| p.get(i.saturating_sub(120)..i + 80).unwrap_or(""))
        })
        .collect();
    assert!(
        foreign.is_empty(),
        "English words in the Chinese report: {foreign:?} {ctx:?}"
    );
    // The English report of the same analysis stays English.
    let en = analyze_to_html(
        &data,
        &spec,
        &ReportOptions {
            lang: Lang::En,
            ..opts.clone()
        },
    )
    .unwrap();
    assert!(en.contains("<html lang=\"en\">") && en.contains("Log-rank test"));
    assert!(!en.contains("对数秩检验"));
}

#[test]
fn the_cli_writes_the_chinese_report_and_chinese_error_lines() {
    let dir = std::env::temp_dir().join(format!("survlens-i18n-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (data, spec) = demo();
    let (csv, spec_path, out) = (
        dir.join("demo.csv"),
        dir.join("spec.json"),
        dir.join("r.html"),
    );
    std::fs::write(&csv, &data).unwrap();
    std::fs::write(&spec_path, &spec).unwrap();
    let bin = env!("CARGO_BIN_EXE_survlens");
    let run = |args: &[&str]| std::process::Command::new(bin).args(args).output().unwrap();
    let (c, s, o) = (
        csv.to_str().unwrap(),
        spec_path.to_str().unwrap(),
        out.to_str().unwrap(),
    );
    let ok = run(&["report", c, "--spec", s, "--lang", "zh", "--out", o]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("对数秩检验"));
    // A spec naming a column the file lacks: exit 2, the error line in Chinese.
    std::fs::write(
        &spec_path,
        r#"{"time": {"column": "os_monthz"}, "event": {"column": "vital_status"}}"#,
    )
    .unwrap();
    let bad = run(&["analyze", c, "--spec", s, "--lang", "zh"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.starts_with("error: ") && err.contains("文件中没有“os_monthz”列"),
        "{err}"
    );
    let en = run(&["analyze", c, "--spec", s]);
    assert!(String::from_utf8_lossy(&en.stderr).contains("column \"os_monthz\" is not in the file"));
    let unknown = run(&["analyze", c, "--spec", s, "--lang", "fr"]);
    assert_eq!(unknown.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
