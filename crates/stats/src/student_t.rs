//! Student's t distribution: upper tail and quantile, for the t-based confidence limits
//! and p-values of multiple-imputation pooling ([`super::pooling`]). Built on
//! [`super::beta`] and [`super::math`] (bit-identical native/wasm).

use super::{beta, dist, math};

/// Above this many degrees of freedom R's `pt` uses a normal approximation
/// (Abramowitz & Stegun 26.7.8) instead of the incomplete beta function.
const LARGE_DF: f64 = 4e5;

/// P(T > t) for T ~ t(df), df > 0 (not necessarily an integer; `f64::INFINITY` gives
/// the normal tail). NaN for df ≤ 0 or NaN input.
///
/// # Formula
/// With v = I_{df/(df + t²)}(df/2, 1/2) = P(|T| > |t|) (the regularized incomplete beta
/// function), P(T > t) = v/2 for t > 0 and 1 − v/2 otherwise. As R's `nmath/pt.c`:
/// for df > 4·10⁵ the normal approximation Φ̄(t(1 − 1/(4df)) / √(1 + t²/(2df)))
/// (Abramowitz & Stegun 26.7.8), and where t²/df > 10¹⁰⁰ the leading term of the tail
/// v = exp(−df/2 · (2 ln|t| − ln df) − ln B(df/2, 1/2) − ln(df/2)).
///
/// # References
/// Abramowitz & Stegun 26.5.27, 26.7.1, 26.7.8; R's `nmath/pt.c`.
///
/// # R equivalent
/// `pt(t, df, lower.tail = FALSE)`
pub fn t_upper_tail(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return if t > 0.0 { 0.0 } else { 1.0 };
    }
    if df.is_infinite() {
        return dist::normal_upper_tail(t);
    }
    if df > LARGE_DF {
        let v = 1.0 / (4.0 * df);
        return dist::normal_upper_tail(t * (1.0 - v) / (1.0 + t * t * 2.0 * v).sqrt());
    }
    let nx = 1.0 + (t / df) * t;
    let two_sided = if nx > 1e100 {
        let lval = -0.5 * df * (2.0 * math::ln(t.abs()) - math::ln(df))
            - beta::ln_beta(0.5 * df, 0.5)
            - math::ln(0.5 * df);
        math::exp(lval)
    } else {
        let denom = df + t * t;
        beta::beta_regularized(df / 2.0, 0.5, df / denom, t * t / denom)
    };
    if t > 0.0 {
        two_sided / 2.0
    } else {
        1.0 - two_sided / 2.0
    }
}

/// Two-sided p-value 2·P(T > |t|).
///
/// # R equivalent
/// `2 * pt(abs(t), df, lower.tail = FALSE)`
pub fn t_two_sided_p(t: f64, df: f64) -> f64 {
    2.0 * t_upper_tail(t.abs(), df)
}

/// Density of t(df) (finite df), for the Newton steps of [`t_quantile`].
fn t_density(t: f64, df: f64) -> f64 {
    let ln_c = math::ln_gamma((df + 1.0) / 2.0)
        - math::ln_gamma(df / 2.0)
        - 0.5 * math::ln(df * std::f64::consts::PI);
    math::exp(ln_c - (df + 1.0) / 2.0 * math::ln_1p(t * t / df))
}

/// The quantile t_p of t(df): P(T ≤ t_p) = p, for 0 < p < 1 and df > 0.
///
/// # Formula
/// The root of [`t_upper_tail`](x) = min(p, 1 − p) for x > 0 (then reflected): a bracket
/// [0, hi] grown by doubling from the normal quantile, then Newton steps with the t
/// density, falling back to bisection whenever a step leaves the bracket, to full double
/// precision. It inverts the same tail function as R's `pt`, including its normal
/// approximation above 4·10⁵ degrees of freedom, so it agrees with R's `qt` (whose
/// final refinement also iterates on `pt`) to rounding. df = ∞ (or above 10²⁰, as
/// `qt`) gives the normal quantile.
///
/// # References
/// R's `nmath/qt.c` (Hill 1970 start, Newton refinement on `pt`).
///
/// # R equivalent
/// `qt(p, df)`
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if p.is_nan() || df.is_nan() || df <= 0.0 || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    if p == 0.5 {
        return 0.0;
    }
    if df > 1e20 {
        return dist::normal_quantile(p);
    }
    let q = if p < 0.5 { p } else { 1.0 - p };
    let f = |x: f64| t_upper_tail(x, df) - q;
    // The t quantile is at least the normal one: start there and double to a bracket.
    let mut lo = 0.0_f64;
    let mut hi = dist::normal_quantile(1.0 - q).max(1e-3);
    while f(hi) > 0.0 {
        lo = hi;
        hi *= 2.0;
        if !hi.is_finite() {
            return if p < 0.5 {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
        }
    }
    let mut x = hi;
    for _ in 0..400 {
        let fx = f(x);
        if fx == 0.0 {
            break;
        }
        if fx > 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let dens = t_density(x, df);
        let newton = x + fx / dens;
        let next = if dens > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= 4.0 * f64::EPSILON * x.abs() || hi - lo <= f64::EPSILON * hi {
            x = next;
            break;
        }
        x = next;
    }
    if p < 0.5 {
        -x
    } else {
        x
    }
}

#[cfg(test)]
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    #[test]
    fn upper_tail_matches_r() {
        // R 4.2.2: sprintf("%.17g", pt(t, df, lower.tail = FALSE))
        let r = [
            (2.0, 10.0, 0.036694017385370196),
            (-1.3, 3.5, 0.86370229209781502),
            (0.5, 1.0, 0.35241638234956679),
            (6.0, 150.2, 7.0784411417834129e-09),
            (1.96, 1e6, 0.024998033792634898),
            (2.5, 0.6, 0.17811026772689456),
            (40.0, 5.0, 9.2059810858864758e-08),
            (0.0, 7.0, 0.5),
        ];
        for (t, df, p) in r {
            let got = t_upper_tail(t, df);
            assert!(rel(got, p) < 1e-11, "pt({t}, {df}): {got} vs {p}");
        }
        assert_eq!(t_upper_tail(f64::INFINITY, 3.0), 0.0);
        assert!(t_upper_tail(1.0, 0.0).is_nan());
        assert!(
            rel(
                t_upper_tail(1.5, f64::INFINITY),
                dist::normal_upper_tail(1.5)
            ) < 1e-15
        );
        // Symmetry.
        assert!((t_upper_tail(-0.7, 4.2) - (1.0 - t_upper_tail(0.7, 4.2))).abs() < 1e-15);
    }

    #[test]
    fn quantile_matches_r() {
        // R 4.2.2: sprintf("%.17g", qt(p, df))
        let r = [
            (0.975, 10.0, 2.2281388519862739),
            (0.975, 150.2, 1.9758839352312485),
            (0.025, 3.5, -2.9400886379827296),
            (0.975, 1.0, 12.706204736174694),
            (0.975, 4e8, 1.9599639904707318),
            (0.975, 0.6, 67.844395329571043),
            (0.9, 25.0, 1.3163450726738706),
        ];
        for (p, df, q) in r {
            let got = t_quantile(p, df);
            assert!(rel(got, q) < 1e-10, "qt({p}, {df}): {got} vs {q}");
        }
        assert_eq!(t_quantile(0.5, 3.0), 0.0);
        assert!(rel(t_quantile(0.975, f64::INFINITY), 1.9599639845400536) < 1e-14);
    }

    #[test]
    fn quantile_inverts_the_tail() {
        for &df in &[0.3, 1.0, 2.7, 12.0, 300.0, 5e5, 1e9] {
            for &p in &[0.001, 0.025, 0.2, 0.7, 0.975, 0.9999] {
                let x = t_quantile(p, df);
                let back = 1.0 - t_upper_tail(x, df);
                assert!((back - p).abs() < 1e-12, "df {df}, p {p}: {back}");
            }
        }
    }
}
