//! Stage timings of one analysis (issue 7, `survlens analyze --timings`, the page's
//! worker): how long the file read, the cohort, each section took, measured inside the
//! process, so a benchmark need not subtract two noisy wall times.
//!
//! The core marks its stages with [`enter`] (a guard: the stage ends when it drops);
//! nothing is measured, and no clock is read, unless the caller runs the analysis
//! inside [`record`] with a clock of its platform (the CLI: `std::time::Instant`; the
//! wasm shell: `performance.now()`). Stages nest: a stage entered inside another is
//! named by its path (`analysis/cox/ph_test`) and its time is included in its parent's.
//!
//! Timings are never part of the results document (docs/results.md): the same input gives
//! the same bytes of results; timings go to stderr (CLI) or beside the results (page).

use std::cell::RefCell;

/// A clock: seconds since any fixed origin (only differences are used).
pub type Clock = fn() -> f64;

/// One measured stage: its path (`read`, `analysis/km`) and wall seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub name: String,
    pub seconds: f64,
}

struct Recorder {
    clock: Clock,
    /// Names of the stages entered and not yet left (outermost first).
    open: Vec<&'static str>,
    stages: Vec<Stage>,
}

thread_local! {
    static RECORDER: RefCell<Option<Recorder>> = const { RefCell::new(None) };
}

/// Runs `f`, recording the stages it enters with `clock`; returns its value and the
/// stages in the order they started. A stage entered twice at the same path (a
/// section computed twice) appears twice. Calls of `record` nest: the inner one
/// collects its own stages and the outer one's resume after it.
pub fn record<T>(clock: Clock, f: impl FnOnce() -> T) -> (T, Vec<Stage>) {
    let fresh = Recorder {
        clock,
        open: Vec::new(),
        stages: Vec::new(),
    };
    let outer = RECORDER.with(|r| r.replace(Some(fresh)));
    let value = f();
    let mine = RECORDER.with(|r| r.replace(outer));
    (value, mine.map_or_else(Vec::new, |m| m.stages))
}

/// Marks the start of stage `name` (a short identifier, no `/`); the stage ends when
/// the returned guard drops. Free when nothing is recording.
#[must_use = "the stage ends when this guard drops"]
pub fn enter(name: &'static str) -> Guard {
    let slot = RECORDER.with(|r| {
        let mut r = r.borrow_mut();
        let rec = r.as_mut()?;
        let mut path = rec.open.join("/");
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(name);
        rec.open.push(name);
        rec.stages.push(Stage {
            name: path,
            seconds: 0.0,
        });
        Some((rec.stages.len() - 1, (rec.clock)()))
    });
    Guard { slot }
}

/// Runs `f` as stage `name` (see [`enter`]).
pub fn stage<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    let _guard = enter(name);
    f()
}

/// The open stage of [`enter`]: its index in the recorder and its start time.
pub struct Guard {
    slot: Option<(usize, f64)>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let Some((index, start)) = self.slot else {
            return;
        };
        RECORDER.with(|r| {
            if let Some(rec) = r.borrow_mut().as_mut() {
                let now = (rec.clock)();
                if let Some(s) = rec.stages.get_mut(index) {
                    s.seconds = (now - start).max(0.0);
                }
                rec.open.pop();
            }
        });
    }
}

/// The stages as one JSON object, `{"stage": seconds, ...}` in the order they
/// started (stages of the same path summed), e.g.
/// `{"read":0.41,"cohort":0.2,"analysis":0.1,"analysis/km":0.06}`.
pub fn to_json(stages: &[Stage]) -> String {
    let mut names: Vec<&str> = Vec::new();
    let mut seconds: Vec<f64> = Vec::new();
    for s in stages {
        match names.iter().position(|n| *n == s.name) {
            Some(i) => seconds[i] += s.seconds,
            None => {
                names.push(&s.name);
                seconds.push(s.seconds);
            }
        }
    }
    let fields: Vec<String> = names
        .iter()
        .zip(&seconds)
        .map(|(n, s)| {
            let key = serde_json::to_string(n).unwrap_or_else(|_| "\"?\"".to_string());
            let value =
                serde_json::Number::from_f64(*s).map_or("null".to_string(), |v| v.to_string());
            format!("{key}:{value}")
        })
        .collect();
    format!("{{{}}}", fields.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        static NOW: Cell<f64> = const { Cell::new(0.0) };
    }

    /// A clock that advances 1 s per reading.
    fn ticking() -> f64 {
        NOW.with(|t| {
            t.set(t.get() + 1.0);
            t.get()
        })
    }

    #[test]
    fn nothing_is_recorded_outside_record() {
        let g = enter("read");
        drop(g);
        let ((), stages) = record(ticking, || {});
        assert!(stages.is_empty());
    }

    #[test]
    fn nested_stages_are_named_by_path_in_start_order() {
        let ((), stages) = record(ticking, || {
            stage("read", || {});
            stage("analysis", || {
                stage("km", || {});
                stage("cox", || stage("ph_test", || {}));
            });
        });
        let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "read",
                "analysis",
                "analysis/km",
                "analysis/cox",
                "analysis/cox/ph_test"
            ]
        );
        // One reading at each start and end: a leaf spans 1 s, a parent its children + 1.
        let secs: Vec<f64> = stages.iter().map(|s| s.seconds).collect();
        assert_eq!(secs, [1.0, 7.0, 1.0, 3.0, 1.0]);
    }

    #[test]
    fn inner_record_keeps_its_own_stages() {
        let ((), outer) = record(ticking, || {
            stage("a", || {
                let ((), inner) = record(ticking, || stage("b", || {}));
                assert_eq!(inner.len(), 1);
                assert_eq!(inner[0].name, "b");
            });
            stage("c", || {});
        });
        let names: Vec<&str> = outer.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "c"]);
    }

    #[test]
    fn json_sums_repeated_paths_in_start_order() {
        let stages = [
            Stage {
                name: "read".into(),
                seconds: 0.5,
            },
            Stage {
                name: "analysis".into(),
                seconds: 2.0,
            },
            Stage {
                name: "read".into(),
                seconds: 0.25,
            },
        ];
        let v: serde_json::Value = serde_json::from_str(&to_json(&stages)).unwrap();
        assert_eq!(v["read"], 0.75);
        assert_eq!(v["analysis"], 2.0);
        assert!(to_json(&stages).starts_with("{\"read\":"));
        assert_eq!(to_json(&[]), "{}");
    }
}
