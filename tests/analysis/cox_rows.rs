//! The Cox section's one sort (issue 7): its rows placed by the counting sort's
//! positions (columns scattered) give the design, the arrays and the fit of the rows
//! gathered through `order::risk_order`, bit for bit — with zero weights left out,
//! strata, clusters and factors, on the scatter path (few distinct times) and the
//! gather path (all times distinct).

use survlens::analysis::cox_section::{self, CoxSection};
use survlens::analysis::report::Skip;
use survlens::ingest::{build_cohort, read_table, Cohort};
use survlens::stats::cox::{self, CoxData, CoxOptions};
use survlens::stats::order::{self, ModelRows, Rows};
use survlens::stats::rng::SplitMix64;
use survlens::Spec;

/// `n` rows: times with `distinct` values (heavy ties when few), 3 groups, a numeric
/// and a 3-level covariate, weights (some 0), 3 centres, cluster ids.
fn csv(n: usize, distinct: u64, seed: u64) -> String {
    let mut rng = SplitMix64(seed);
    let mut s = String::from("t,e,g,age,stage,w,center,id\n");
    for i in 0..n {
        let t = 1 + rng.next_u64() % distinct;
        let e = !rng.next_u64().is_multiple_of(3);
        let g = ["A", "B", "C"][rng.index(3)];
        let age = 40 + rng.next_u64() % 40;
        let stage = ["I", "II", "III"][rng.index(3)];
        let w = [0.0, 0.5, 1.0, 2.0, 1.5][rng.index(5)];
        let center = ["X", "Y", "Z"][rng.index(3)];
        s.push_str(&format!(
            "{t},{},{g},{age}.{},{stage},{w},{center},{}\n",
            u8::from(e),
            i % 10,
            i / 2
        ));
    }
    s
}

fn spec(weights: bool, strata: bool, cluster: bool) -> Spec {
    let mut extra = String::new();
    if weights {
        extra.push_str(r#", "weights": {"column": "w"}"#);
    }
    if strata {
        extra.push_str(r#", "strata": ["center"]"#);
    }
    if cluster {
        extra.push_str(r#", "cluster": {"column": "id"}"#);
    }
    Spec::from_json(&format!(
        r#"{{"time": {{"column": "t"}}, "event": {{"column": "e"}},
            "group": {{"column": "g", "reference": "A"}},
            "covariates": [{{"column": "age"}},
                           {{"column": "stage", "type": "categorical", "reference": "I"}}],
            "cox": {{"ties": "efron"}}{extra}}}"#
    ))
    .expect("spec")
}

fn cohort(data: &str, spec: &Spec) -> Cohort {
    let table = read_table(data.as_bytes()).expect("table");
    build_cohort(&table, &spec.column_map().expect("map")).expect("cohort")
}

/// The rows the section fits, sorted the reference way (a gather through the order).
fn reference_rows(cohort: &Cohort, spec: &Spec) -> Vec<usize> {
    let rows: Vec<usize> = (0..cohort.time.len())
        .filter(|&i| cohort.weight.as_ref().is_none_or(|w| w[i] > 0.0))
        .collect();
    let time: Vec<f64> = rows.iter().map(|&i| cohort.time[i]).collect();
    let event: Vec<bool> = rows.iter().map(|&i| cohort.event[i]).collect();
    let stratum: Option<Vec<u32>> =
        (!spec.strata.is_empty()).then(|| rows.iter().map(|&i| cohort.stratum[i]).collect());
    order::risk_order(&time, &event, stratum.as_deref())
        .into_iter()
        .map(|k| rows[k])
        .collect()
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

#[test]
fn scattered_design_and_fit_equal_the_gathered_ones() {
    // 2000 rows: 12 distinct times take the counting path (positions, scatter);
    // 10^12 take the radix path (order, gather).
    for distinct in [12, 1_000_000_000_000] {
        for (weights, strata, cluster) in [
            (false, false, false),
            (true, false, false),
            (false, true, false),
            (true, true, true),
        ] {
            let spec = spec(weights, strata, cluster);
            let cohort = cohort(&csv(2000, distinct, distinct ^ 7), &spec);
            let keep: Option<Vec<bool>> = cohort
                .weight
                .as_ref()
                .map(|w| w.iter().map(|v| *v > 0.0).collect());
            let stratum = strata.then_some(&cohort.stratum[..]);
            let model = ModelRows::new(&cohort.time, &cohort.event, stratum, keep.as_deref());
            assert_eq!(
                matches!(model.rows(), Rows::Scatter { .. }),
                distinct == 12,
                "the path taken"
            );
            let order = reference_rows(&cohort, &spec);
            assert_eq!(model.order(), order);
            let scattered = cox_section::design_in(&cohort, &spec, model.rows());
            let gathered = cox_section::design(&cohort, &spec, &order);
            assert_eq!(scattered.names, gathered.names);
            assert_eq!(scattered.names.len(), 5, "{:?}", scattered.names);
            assert_eq!(bits(&scattered.x), bits(&gathered.x));
            assert_eq!(scattered.x.capacity(), scattered.x.len());

            // The section's fit equals a fit of the gathered arrays, bit for bit.
            let pick = |v: &[f64]| -> Vec<f64> { order.iter().map(|&i| v[i]).collect() };
            let time = pick(&cohort.time);
            assert_eq!(bits(&model.time), bits(&time));
            let event: Vec<bool> = order.iter().map(|&i| cohort.event[i]).collect();
            let weight = cohort.weight.as_deref().map(pick);
            let strat: Vec<u32> = order.iter().map(|&i| cohort.stratum[i]).collect();
            let clus: Option<Vec<u32>> = cohort
                .cluster
                .as_ref()
                .map(|c| order.iter().map(|&i| c[i]).collect());
            let data = CoxData {
                time: &time,
                event: &event,
                x: &gathered.x,
                p: gathered.names.len(),
                weight: weight.as_deref(),
                stratum: strata.then_some(&strat[..]),
                cluster: clus.as_deref(),
            };
            let opts = CoxOptions {
                robust: cluster,
                ..CoxOptions::default()
            };
            let fit = cox::fit(&data, &opts).expect("fit");
            let spec_cox = spec.cox.clone().expect("cox spec");
            let mut warnings = Vec::new();
            let section: CoxSection =
                match cox_section::cox_section(&cohort, &spec, &spec_cox, &mut warnings) {
                    Skip::Value(s) => s,
                    _ => panic!("no Cox section"),
                };
            assert_eq!(section.n, order.len());
            assert_eq!(
                warnings.iter().any(|w| w.code == "cox_zero_weights"),
                weights
            );
            let coef: Vec<Option<u64>> = section
                .terms
                .iter()
                .map(|t| t.coef.map(f64::to_bits))
                .collect();
            let want: Vec<Option<u64>> = fit.coef.iter().map(|c| c.map(f64::to_bits)).collect();
            assert_eq!(
                coef, want,
                "distinct {distinct} w {weights} s {strata} c {cluster}"
            );
            assert_eq!(section.loglik.fit.to_bits(), fit.loglik.to_bits());
        }
    }
}

#[test]
fn a_non_finite_covariate_is_still_reported() {
    // Ingest never reads a non-finite number, but a cohort built by a library user may
    // hold one: the section's own check (made as the design is written) must send the
    // fit through its full check, which names the problem.
    use survlens::ingest::CovariateValues;
    let spec = spec(false, false, false);
    let mut cohort = cohort(&csv(500, 12, 3), &spec);
    let age = cohort
        .covariates
        .iter_mut()
        .find(|c| c.column == "age")
        .expect("age");
    match &mut age.values {
        CovariateValues::Numeric(v) => v[17] = f64::INFINITY,
        _ => panic!("age is numeric"),
    }
    let mut warnings = Vec::new();
    let section = cox_section::cox_section(
        &cohort,
        &spec,
        &spec.cox.clone().expect("cox spec"),
        &mut warnings,
    );
    assert!(matches!(section, Skip::Null));
    let failed = warnings
        .iter()
        .find(|w| w.code == "cox_failed")
        .expect("cox_failed warning");
    assert!(failed.message.contains("not finite"), "{}", failed.message);
}
