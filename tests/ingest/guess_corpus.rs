//! The suggested mapping on the corpus of realistic hospital exports
//! (tests/guess_corpus/, made by make_corpus.R, the right mapping of each file in
//! manifest.tsv): time, event and group right on at least 90% of the files, and
//! never confidently wrong on the time (a high-confidence time must be the right
//! one — column(s), date format and unit).

use survlens::ingest::guess::{suggest_mapping_bytes, Confidence, SuggestedMapping};
use survlens::ingest::TimeMap;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/guess_corpus");

struct Expected {
    file: String,
    time: String,
    date_format: String,
    unit: String,
    event: String,
    event_values: String,
    group: String,
}

fn manifest() -> Vec<Expected> {
    let text = std::fs::read_to_string(format!("{DIR}/manifest.tsv")).expect("manifest.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<String> = l.split('\t').map(str::to_string).collect();
            let at = |i: usize| f.get(i).cloned().unwrap_or_default();
            Expected {
                file: at(0),
                time: at(1),
                date_format: at(2),
                unit: at(3),
                event: at(4),
                event_values: at(5),
                group: at(6),
            }
        })
        .collect()
}

/// The guessed time as the manifest writes it: (columns, date format, unit).
fn time_of(g: &SuggestedMapping) -> (String, String, String) {
    match &g.spec.time {
        TimeMap::Duration { column } | TimeMap::Entry { column, .. } => {
            (column.clone(), String::new(), g.time_unit.name().into())
        }
        TimeMap::Dates {
            start,
            end,
            unit,
            date_format,
        } => (
            format!("{start}|{end}"),
            date_format.spec_name().into(),
            unit.name().into(),
        ),
    }
}

#[test]
fn right_on_nine_files_in_ten_and_never_confidently_wrong_on_time() {
    let cases = manifest();
    assert!(cases.len() >= 20, "{} files in the corpus", cases.len());
    let (mut time_ok, mut event_ok, mut group_ok) = (0, 0, 0);
    let mut misses = Vec::new();
    let mut confidently_wrong = Vec::new();
    for e in &cases {
        let bytes = std::fs::read(format!("{DIR}/{}", e.file)).expect("corpus file");
        let g =
            suggest_mapping_bytes(&bytes, None).unwrap_or_else(|err| panic!("{}: {err}", e.file));
        let time = time_of(&g);
        let t_ok = time == (e.time.clone(), e.date_format.clone(), e.unit.clone());
        let values = g.spec.event.values.clone().unwrap_or_default().join(";");
        let ev_ok = g.spec.event.column == e.event && values == e.event_values;
        let group = g
            .spec
            .group
            .as_ref()
            .map_or(String::new(), |x| x.column.clone());
        let gr_ok = group == e.group;
        time_ok += usize::from(t_ok);
        event_ok += usize::from(ev_ok);
        group_ok += usize::from(gr_ok);
        if !(t_ok && ev_ok && gr_ok) {
            misses.push(format!(
                "{}: time {:?} ({:?}) want {:?}; event {:?} [{values}] want {:?} [{}]; group {group:?} want {:?}",
                e.file, time, g.confidence.time, (&e.time, &e.date_format, &e.unit),
                g.spec.event.column, e.event, e.event_values, e.group
            ));
        }
        if !t_ok && g.confidence.time == Confidence::High {
            confidently_wrong.push(format!("{}: {time:?}", e.file));
        }
    }
    for m in &misses {
        println!("miss: {m}");
    }
    let n = cases.len();
    println!("time {time_ok}/{n}, event {event_ok}/{n}, group {group_ok}/{n}");
    assert!(
        confidently_wrong.is_empty(),
        "confidently wrong time: {confidently_wrong:?}"
    );
    for (what, ok) in [("time", time_ok), ("event", event_ok), ("group", group_ok)] {
        assert!(
            10 * ok >= 9 * n,
            "{what} right on {ok} of {n} files: {misses:#?}"
        );
    }
}
