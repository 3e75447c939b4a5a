//! R's near-tie rule for survival times, shared by every estimator (their sort:
//! [`super::order`]).

/// Replace times that differ only by rounding with one representative (R's `aeqSurv`).
///
/// # Formula
/// Sort the unique finite values y. Successive values are tied when
/// `diff <= sqrt(eps)` or `diff / mean(|y|) <= sqrt(eps)` (one global scale: the mean of
/// |y| over all unique values). Representatives are the values not tied to their
/// predecessor; every time becomes the largest representative <= it (chains collapse onto
/// their first member: 1, 1+1e-8, 1+2e-8 -> 1).
///
/// # R equivalent
/// `survival:::aeqSurv` (applied by survfit, survdiff, coxph).
pub fn timefix(times: &mut [f64]) {
    const TOL: f64 = 1.490_116_119_384_765_6e-8; // sqrt(.Machine$double.eps)
    let unique = unique_finite_sorted(times);
    if unique.len() < 2 {
        return;
    }
    let scale = unique.iter().map(|v| v.abs()).sum::<f64>() / unique.len() as f64;
    let mut representatives = Vec::with_capacity(unique.len());
    representatives.push(unique[0]);
    let mut any_tied = false;
    for w in unique.windows(2) {
        let diff = w[1] - w[0];
        let tied = diff <= TOL || (scale > 0.0 && diff / scale <= TOL);
        if tied {
            any_tied = true;
        } else {
            representatives.push(w[1]);
        }
    }
    if !any_tied {
        return;
    }
    for t in times.iter_mut().filter(|t| t.is_finite()) {
        // largest representative <= t
        let idx = representatives.partition_point(|r| *r <= *t);
        if idx > 0 {
            *t = representatives[idx - 1];
        }
    }
}

/// The distinct finite values of `times`, ascending (`-0` before and instead of `+0`,
/// as `sort` then `dedup` gives them).
///
/// Follow-up times repeat (months to one decimal: a few thousand values in a million
/// rows), so the distinct values are collected by hashing their bits and only they are
/// sorted; when more than an eighth of the times are distinct the rest is sorted whole.
fn unique_finite_sorted(times: &[f64]) -> Vec<f64> {
    let limit = times.len() / 8 + 64;
    let mut seen = rustc_hash::FxHashSet::default();
    let mut unique: Vec<f64> = Vec::new();
    for (i, &t) in times.iter().enumerate() {
        if !t.is_finite() || !seen.insert(t.to_bits()) {
            continue;
        }
        unique.push(t);
        if unique.len() > limit {
            let rest = times.get(i + 1..).unwrap_or(&[]);
            unique.extend(rest.iter().copied().filter(|t| t.is_finite()));
            break;
        }
    }
    unique.sort_unstable_by(f64::total_cmp);
    unique.dedup();
    unique
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_values_as_sort_then_dedup() {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let specials = [
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e-300,
        ];
        for (n, distinct) in [
            (0, 1),
            (1, 1),
            (50, 3),
            (1000, 20),
            (1000, 1000),
            (5000, 400),
        ] {
            let times: Vec<f64> = (0..n)
                .map(|_| {
                    let r = next();
                    if r % 17 == 0 {
                        specials[(r >> 8) as usize % specials.len()]
                    } else {
                        ((r >> 16) % distinct) as f64 / 10.0
                    }
                })
                .collect();
            let mut expected: Vec<f64> = times.iter().copied().filter(|t| t.is_finite()).collect();
            expected.sort_unstable_by(f64::total_cmp);
            expected.dedup();
            let got = unique_finite_sorted(&times);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&expected), "n {n} distinct {distinct}");
        }
    }

    #[test]
    fn timefix_collapses_chains_like_aeqsurv() {
        // docs/methods.md#tied-times (aeqSurv)
        let mut t = vec![1.0, 1.0 + 1e-8, 1.0 + 2e-8, 2.0 + 3e-8, 2.0];
        timefix(&mut t);
        assert_eq!(t[0], 1.0);
        assert_eq!(t[1], 1.0);
        assert_eq!(t[2], 1.0);
        assert_eq!(t[4], 2.0);
        let mut small = vec![1e-9, 3e-9];
        timefix(&mut small);
        assert_eq!(small, vec![1e-9, 1e-9]);
        assert_eq!(t[3], 2.0 + 3e-8, "a gap of 3e-8 at scale 1.4 is kept");
    }
}
