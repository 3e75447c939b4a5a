//! The `analysis` target's input: a structured random cohort (ties, zero and huge times,
//! constant or collinear covariates, empty groups, extreme weights, dates) and a spec
//! asking for any combination of sections (km, logrank, rmst, cox, propensity,
//! adjusted with bootstrap, table1, sensitivity), rendered as CSV text + spec JSON.

use arbitrary::Arbitrary;
use serde_json::{json, Map, Value};

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Num {
    Small(u8),
    Zero,
    Huge,
    Tiny,
    Negative(u8),
    Missing,
    Any(f64),
}

impl Num {
    fn render(self) -> String {
        match self {
            Num::Small(v) => (v % 16).to_string(),
            Num::Zero => "0".into(),
            Num::Huge => "1e300".into(),
            Num::Tiny => "1e-300".into(),
            Num::Negative(v) => format!("-{}", v % 8),
            Num::Missing => "NA".into(),
            Num::Any(v) if v.is_finite() => format!("{v}"),
            Num::Any(_) => "NaN".into(),
        }
    }
    fn value(self) -> f64 {
        match self {
            Num::Small(v) => f64::from(v % 16),
            Num::Huge => 1e300,
            Num::Tiny => 1e-300,
            Num::Negative(v) => -f64::from(v % 8),
            Num::Any(v) if v.is_finite() => v,
            _ => 0.0,
        }
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Row {
    time: Num,
    event: u8,
    group: u8,
    x: Num,
    cat: u8,
    stratum: u8,
    weight: Num,
    cluster: u8,
    days: (u16, u16),
    /// Treatment time: a raw value, or a fraction (tenths) of the follow-up.
    treated: Num,
    frac: u8,
}

/// `propensity`: estimand, stabilize, truncation quantiles.
type PsOptions = (u8, bool, Option<(u8, u8)>);

#[derive(Arbitrary, Debug, Clone)]
pub struct Options {
    dates: bool,
    n_groups: u8,
    extra_levels: bool,
    constant_x: bool,
    collinear: bool,
    weights: bool,
    strata: bool,
    cluster: bool,
    km: Option<(u8, u8, Vec<Num>)>,
    logrank: Option<(u8, u8, u8)>,
    tau: Option<Num>,
    cox: Option<(bool, bool, Option<u8>)>,
    propensity: Option<PsOptions>,
    adjusted: Option<Option<(u8, u64)>>,
    table1: bool,
    sensitivity: Option<Option<bool>>,
    /// Delayed entry (a fraction of each follow-up; duration times only).
    entry: bool,
    /// Immortal time: consistent treatment times?, landmark times, time-dependent.
    immortal: Option<(bool, Option<Vec<Num>>, bool)>,
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Dataset {
    rows: Vec<Row>,
    options: Options,
}

const CONF: [&str; 3] = ["log", "log-log", "plain"];
const LEVELS: [f64; 4] = [0.95, 0.5, 0.999, 1e-9];
const PAIRWISE: [&str; 3] = ["none", "reference", "all"];
const ADJUST: [&str; 4] = ["none", "holm", "bonferroni", "BH"];
const ESTIMAND: [&str; 3] = ["ATE", "ATT", "ATO"];
const TRANSFORM: [&str; 3] = ["km", "rank", "identity"];

impl Dataset {
    /// The CSV text and the spec JSON text.
    pub fn render(&self) -> (String, String) {
        (self.csv(), self.spec().to_string())
    }

    fn n_groups(&self) -> u8 {
        1 + self.options.n_groups % 4
    }

    fn csv(&self) -> String {
        let o = &self.options;
        let mut out = String::from("t,e,g,x,x2,c,s,w,id,d1,d2,u,en\n");
        for r in self.rows.iter().take(super::MAX_ROWS) {
            let x = if o.constant_x { Num::Small(3) } else { r.x };
            let x2 = if o.collinear {
                format!("{}", 2.0 * x.value() + 1.0)
            } else {
                Num::Small(r.cat.wrapping_mul(7)).render()
            };
            let start = 18_000 + i64::from(r.days.0 % 2000);
            let end = start + i64::from(r.days.1 % 4000) - 50;
            let group = r.group % self.n_groups();
            let part = r.time.value() * f64::from(r.frac % 10) / 10.0;
            let consistent = o.immortal.as_ref().is_some_and(|i| i.0);
            let u = match (consistent, group) {
                (true, 0) => "NA".to_string(),
                (true, _) => format!("{part}"),
                (false, _) => r.treated.render(),
            };
            out.push_str(&format!(
                "{},{},G{},{},{},L{},S{},{},{},{},{},{u},{part}\n",
                r.time.render(),
                r.event % 3,
                group,
                x.render(),
                x2,
                r.cat % 5,
                r.stratum % 3,
                r.weight.render(),
                r.cluster % 10,
                date(start),
                date(end),
            ));
        }
        out
    }

    fn spec(&self) -> Value {
        let o = &self.options;
        let mut s = Map::new();
        s.insert(
            "time".into(),
            match (o.dates, o.entry) {
                (true, _) => json!({"start": "d1", "end": "d2", "unit": "months"}),
                (false, true) => json!({"column": "t", "entry": "en"}),
                (false, false) => json!({"column": "t"}),
            },
        );
        s.insert("event".into(), json!({"column": "e", "values": ["1"]}));
        let mut levels: Vec<String> = (0..self.n_groups()).map(|g| format!("G{g}")).collect();
        if o.extra_levels {
            levels.push("EMPTY".into());
        }
        s.insert("group".into(), json!({"column": "g", "levels": levels}));
        s.insert(
            "covariates".into(),
            json!([{"column": "x"}, {"column": "x2"}, {"column": "c", "type": "categorical"}]),
        );
        if o.strata {
            s.insert("strata".into(), json!(["s"]));
        }
        if o.weights {
            s.insert("weights".into(), json!({"column": "w"}));
        }
        if o.cluster {
            s.insert("cluster".into(), json!({"column": "id"}));
        }
        self.analyses(&mut s);
        Value::Object(s)
    }

    fn analyses(&self, s: &mut Map<String, Value>) {
        let o = &self.options;
        if let Some((ct, cl, times)) = &o.km {
            let times: Vec<f64> = times.iter().take(8).map(|t| t.value()).collect();
            s.insert(
                "km".into(),
                json!({"conf_type": CONF[usize::from(*ct) % 3],
                       "conf_level": LEVELS[usize::from(*cl) % 4], "times": times}),
            );
        }
        if let Some((rho, pw, adj)) = o.logrank {
            s.insert(
                "logrank".into(),
                json!({"rho": rho % 3, "pairwise": PAIRWISE[usize::from(pw) % 3],
                       "adjust": ADJUST[usize::from(adj) % 4]}),
            );
        }
        if let Some(tau) = o.tau {
            s.insert("rmst".into(), json!({"tau": tau.value()}));
        }
        if let Some((breslow, robust, ph)) = o.cox {
            let mut cox = json!({"ties": if breslow {"breslow"} else {"efron"}, "robust": robust});
            if let Some(t) = ph {
                cox["ph_test"] = json!({"transform": TRANSFORM[usize::from(t) % 3]});
            }
            s.insert("cox".into(), cox);
        }
        if let Some((est, stab, trunc)) = o.propensity {
            let estimand = ESTIMAND[usize::from(est) % 3];
            let mut ps = json!({"estimand": estimand, "covariates": ["x", "x2", "c", "s"]});
            if estimand == "ATE" {
                ps["stabilize"] = json!(stab);
            }
            if let Some((lo, hi)) = trunc {
                ps["truncate"] =
                    json!([f64::from(lo % 50) / 100.0, 0.5 + f64::from(hi % 50) / 100.0]);
            }
            s.insert("propensity".into(), ps);
            if let Some(boot) = o.adjusted {
                let adjusted = match boot {
                    Some((r, seed)) => {
                        json!({"bootstrap": {"replicates": 1 + r % 8, "seed": seed}})
                    }
                    None => json!({}),
                };
                s.insert("adjusted".into(), adjusted);
            }
        }
        if let Some((_, landmark, td)) = &o.immortal {
            s.insert("treatment_time".into(), json!({"column": "u"}));
            if let Some(times) = landmark {
                let times: Vec<f64> = times.iter().take(4).map(|t| t.value()).collect();
                s.insert("landmark".into(), json!({ "times": times }));
            }
            if *td {
                s.insert("time_dependent".into(), json!({}));
            }
        }
        if o.table1 {
            s.insert(
                "table1".into(),
                json!({"covariates": ["x", "x2", "c", "s", "w"]}),
            );
        }
        if let Some(rare) = o.sensitivity {
            s.insert(
                "sensitivity".into(),
                rare.map_or(json!({}), |r| json!({"outcome_rare": r})),
            );
        }
    }
}

/// ISO date of a day number counted from 1970-01-01 (civil-from-days, H. Hinnant).
fn date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
