//! The methods sentences of the competing-risks analysis (docs/methods.md): which values
//! are the competing event, the Aalen–Johansen cumulative incidence, Gray's test, the
//! Fine–Gray and cause-specific models, the weighted curves; with their citations.

use super::cite::{Citations, Work};
use super::i18n::{fill, join_list, Texts};
use super::methods::{fmt_num, unit_name};
use survlens_contract::{Report, Spec};

/// The sentences, when the spec asks `competing_risks` (none otherwise).
pub(super) fn sentences(
    spec: &Spec,
    report: &Report,
    t: &Texts,
    c: &mut Citations,
    out: &mut Vec<String>,
) {
    let (Some(cr), Some(values)) = (&spec.competing_risks, &spec.event.competing_values) else {
        return;
    };
    let quoted: Vec<String> = values.iter().map(|x| format!("“{x}”")).collect();
    let section = report.competing_risks.as_ref();
    let (conf_type, level) = section.map_or(("log", 0.95), |s| (s.conf_type.as_str(), s.conf_level));
    let conf = match conf_type {
        "log-log" => t.conf_type_loglog,
        "plain" => t.conf_type_plain,
        _ => t.conf_type_log,
    };
    let c_aj = c.cite(Work::AalenJohansen1978);
    out.push(fill(
        t.m_competing,
        &[
            ("values", &join_list(&quoted, t)),
            ("column", &spec.event.column),
            ("c_aj", &c_aj),
            ("level", &fmt_num(level * 100.0)),
            ("conf_type", conf),
        ],
    ));
    if !cr.times.is_empty() {
        let times: Vec<String> = cr.times.iter().map(|x| fmt_num(*x)).collect();
        out.push(fill(
            t.m_competing_times,
            &[
                ("times", &join_list(&times, t)),
                ("unit", unit_name(spec, t)),
            ],
        ));
    }
    if cr.gray && spec.group.is_some() {
        let c_gray = c.cite(Work::Gray1988);
        out.push(if spec.strata.is_empty() {
            fill(t.m_gray, &[("c_gray", &c_gray)])
        } else {
            let strata = join_list(&spec.strata, t);
            fill(t.m_gray_stratified, &[("c_gray", &c_gray), ("strata", &strata)])
        });
    }
    if cr.fine_gray {
        let c_fg = c.cite(Work::FineGray1999);
        out.push(fill(t.m_fine_gray, &[("c_fine_gray", &c_fg)]));
    }
    if cr.cause_specific {
        let c_cox = c.cite(Work::Cox1972);
        let c_prentice = c.cite(Work::Prentice1978);
        out.push(fill(
            t.m_cause_specific,
            &[("c_cox", &c_cox), ("c_prentice", &c_prentice)],
        ));
    }
    if report.adjusted.as_ref().is_some_and(|a| a.cif.is_some()) {
        let austin = c.cite(Work::Austin2016);
        out.push(fill(t.m_competing_weighted, &[("c_austin", &austin)]));
    }
}
