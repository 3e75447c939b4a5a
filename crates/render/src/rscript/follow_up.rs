//! The script's `follow_up` (reverse Kaplan–Meier median follow-up) and `conditional`
//! (survival given alive at s) sections: settings from the spec, then `follow_up.R`.

use super::{lit, rnum};
use survlens_contract::Spec;

/// `c(1.0, 2.0)` or `numeric(0)`.
fn numbers(v: &[f64]) -> String {
    if v.is_empty() {
        return "numeric(0)".to_string();
    }
    let items: Vec<String> = v.iter().map(|x| rnum(*x)).collect();
    format!("c({})", items.join(", "))
}

/// The sections, when the spec asks for either (empty otherwise).
pub fn sections(spec: &Spec) -> String {
    if spec.follow_up.is_none() && spec.conditional.is_none() {
        return String::new();
    }
    let (conf_type, level) = spec
        .km
        .as_ref()
        .map_or(("log", 0.95), |k| (k.conf_type.name(), k.conf_level));
    let (given, times) = spec
        .conditional
        .as_ref()
        .map_or((vec![], vec![]), |c| (c.given.clone(), c.times.clone()));
    let mut s = format!(
        "\n# settings of the follow-up and conditional-survival sections\n\
         fu_conf_type <- {ct}; fu_conf_int <- {level}\n\
         fu_gcol <- {gcol}\n\
         fu_entry <- {entry}\n\
         # a competing event (d$cause 2) is also a death: it does not censor follow-up\n\
         fu_competing <- if (is.null(d$cause)) FALSE else d$cause == 2\n\
         fu_follow_up <- {follow_up}\n\
         fu_given <- {given}\n\
         fu_times <- {times}\n",
        ct = lit(conf_type),
        level = rnum(level),
        gcol = spec
            .group
            .as_ref()
            .map_or("NULL".to_string(), |g| lit(&g.column)),
        entry = r_bool(spec.time.entry.is_some()),
        follow_up = r_bool(spec.follow_up.is_some()),
        given = numbers(&given),
        times = numbers(&times),
    );
    s.push_str(include_str!("follow_up.R"));
    s
}

fn r_bool(b: bool) -> &'static str {
    if b {
        "TRUE"
    } else {
        "FALSE"
    }
}
