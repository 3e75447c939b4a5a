//! Output safety of the native exports (issue 8): data-derived text (group labels, in
//! the legend, the risk table and the Report) written into the SVG figure is escaped,
//! so the SVG parses as XML and shows each payload as the very same text; the Report
//! JSON carries the payloads verbatim (it is data, never markup).

use survlens::plot::{km_figure_height, render_km_svg, KmPlotOptions, RiskTable};

/// XSS and formula payloads a hospital export could hold in a label.
pub const PAYLOADS: [&str; 11] = [
    "tab\there \u{1b}[31m bell\u{7}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "a & b",
    "\"quoted\" 'single'",
    "]]><x/>",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "&lt;already&gt; &amp;",
];

fn csv() -> String {
    let mut s = String::from("t,d,g\n");
    for i in 0..60 {
        let label = PAYLOADS[i % PAYLOADS.len()].replace('"', "\"\"");
        s.push_str(&format!("{},{},\"{label}\"\n", 1 + (i * 7) % 23, i % 3 % 2));
    }
    s
}

const SPEC: &str = r#"{"time": {"column": "t"}, "event": {"column": "d"}, "group": {"column": "g"}, "km": {}, "logrank": {"pairwise": "none"}}"#;

#[test]
fn svg_export_escapes_every_payload_and_parses_as_xml() {
    let report = survlens::Analysis::from_json(SPEC)
        .run(csv().as_bytes())
        .expect("report");
    let km = report.km.as_ref().expect("km");
    let labels: Vec<&str> = km.curves.iter().map(|c| c.group.as_str()).collect();
    for p in PAYLOADS {
        assert!(
            labels.contains(&p),
            "label {p:?} not in the Report verbatim"
        );
    }
    let lr = match &report.logrank {
        survlens::analysis::report::Skip::Value(lr) => Some(lr),
        _ => None,
    };
    for table in [
        RiskTable::NumberAtRisk,
        RiskTable::Kmunicate,
        RiskTable::None,
    ] {
        let opts = KmPlotOptions {
            risk_table: table,
            ..Default::default()
        };
        let h = km_figure_height(720.0, km, &opts).round() as u32;
        let svg = render_km_svg(km, lr, &opts, 720, h).expect("svg");
        let doc =
            roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{table:?}: not XML: {e}"));
        let elements: Vec<&str> = doc
            .descendants()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        for bad in ["script", "img", "x", "foreignObject"] {
            assert!(
                !elements.contains(&bad),
                "{table:?}: element <{bad}> in the SVG"
            );
        }
        let texts: String = doc
            .descendants()
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join("\n");
        for p in PAYLOADS {
            // Control characters (not XML) show as U+FFFD; everything else verbatim.
            let shown: String = p
                .chars()
                .map(|c| {
                    if c.is_control() && c != '\t' {
                        '\u{fffd}'
                    } else {
                        c
                    }
                })
                .collect();
            assert!(
                texts.contains(&shown),
                "{table:?}: label {p:?} not shown as text"
            );
        }
        assert!(
            doc.descendants()
                .all(|n| n.attributes().all(|a| !a.name().starts_with("on"))),
            "event handler attribute"
        );
    }
}

#[test]
fn report_json_round_trips_the_payloads() {
    let report = survlens::Analysis::from_json(SPEC)
        .run(csv().as_bytes())
        .expect("report");
    let json = serde_json::to_string(&report).expect("json");
    let back: serde_json::Value = serde_json::from_str(&json).expect("parses");
    let groups: Vec<&str> = back["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["label"].as_str())
        .collect();
    for p in PAYLOADS {
        assert!(groups.contains(&p), "{p:?}");
    }
}
