//! The natural-spline smooth that R's `plot.cox.zph` draws through scaled Schoenfeld
//! residuals, with its ±2 SE band.
//!
//! # Formula
//! On the transformed event times x (`cox.zph`'s `$x`) and a grid g of `nsmo` equally
//! spaced points over range(x), build the natural cubic spline basis of
//! `ns(c(g, x), df, intercept = TRUE)`: cubic B-splines on the knots
//! (b₀×4, q₁ … q_{df−2}, b₁×4) — b the range, q the type-7 quantiles of c(g, x) at
//! 1/(df−1), …, (df−2)/(df−1) — restricted to second derivative 0 at both boundaries.
//! Least squares of the residuals y on the basis X at x (rows with y missing dropped):
//! ŷ(g) = P β̂; band ŷ ± 2 √(v · diag(P (XᵀX)⁻¹ Pᵀ)), v the term's `var` of the
//! `cox.zph` object (`solve(vmean)`). Fits and SEs do not depend on which basis of the
//! natural-spline space is used, so only the space has to match R.
//!
//! # References
//! Grambsch, P. M. & Therneau, T. M. (1994). *Biometrika* 81, 515–526.
//! de Boor, C. (1978). *A Practical Guide to Splines*. Springer.
//!
//! # R equivalent
//! `plot.cox.zph(x, resid = TRUE, se = TRUE, df = 4, nsmo = 40)` (survival 3.5-3):
//! `pred.x`, `yhat`, `yhat ± 2*sqrt(x$var[i,i]*seval)`.

/// A fitted smooth over the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Smooth {
    /// The grid (`pred.x`), on the transformed-time scale.
    pub x: Vec<f64>,
    pub fit: Vec<f64>,
    /// ŷ ± 2 SE; `None` when no variance is given.
    pub lower: Option<Vec<f64>>,
    pub upper: Option<Vec<f64>>,
}

/// The `plot.cox.zph` smooth of `y` (None = missing) against `x`.
///
/// `None` when there are fewer than two distinct x values or the fit is singular
/// (R: "spline fit is singular, variable skipped").
pub fn zph_smooth(
    x: &[f64],
    y: &[Option<f64>],
    var: Option<f64>,
    df: usize,
    nsmo: usize,
) -> Option<Smooth> {
    let (lo, hi) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    if lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Less) || df < 2 || nsmo < 2 {
        return None;
    }
    let grid: Vec<f64> = (0..nsmo)
        .map(|i| {
            if i + 1 == nsmo {
                hi
            } else {
                lo + (hi - lo) * i as f64 / (nsmo - 1) as f64
            }
        })
        .collect();
    let all: Vec<f64> = grid.iter().chain(x).copied().collect();
    let basis = NaturalSpline::new(&all, df);
    let rows: Vec<usize> = (0..x.len())
        .filter(|&i| y.get(i).is_some_and(|v| v.is_some_and(f64::is_finite)))
        .collect();
    if rows.len() < df {
        return None;
    }
    // X: rows × df, column-major.
    let mut xmat = vec![0.0; rows.len() * df];
    for (r, &i) in rows.iter().enumerate() {
        for (j, b) in basis.eval(x[i]).into_iter().enumerate() {
            xmat[j * rows.len() + r] = b;
        }
    }
    let yv: Vec<f64> = rows.iter().map(|&i| y[i].unwrap_or(0.0)).collect();
    let ls = least_squares(&xmat, rows.len(), df, &yv)?;
    let mut fit = Vec::with_capacity(nsmo);
    let mut half = Vec::with_capacity(nsmo);
    for &g in &grid {
        let p = basis.eval(g);
        fit.push(p.iter().zip(&ls.coef).map(|(a, b)| a * b).sum());
        // p R⁻¹ (row vector), its squared norm = p (XᵀX)⁻¹ pᵀ.
        let seval: f64 = (0..df)
            .map(|j| (0..=j).map(|k| p[k] * ls.rinv[k * df + j]).sum::<f64>())
            .map(|v| v * v)
            .sum();
        half.push(var.map_or(f64::NAN, |v| 2.0 * (v * seval).sqrt()));
    }
    let band = |sign: f64| {
        fit.iter()
            .zip(&half)
            .map(|(f, h)| f + sign * h)
            .collect::<Vec<f64>>()
    };
    let (lower, upper) = if var.is_some() {
        (Some(band(-1.0)), Some(band(1.0)))
    } else {
        (None, None)
    };
    Some(Smooth {
        x: grid,
        fit,
        lower,
        upper,
    })
}

/// Type-7 quantile (R's default) of `v` at probability `p`.
fn quantile7(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// `ns(x, df, intercept = TRUE)`: the natural cubic spline space on x's knots.
struct NaturalSpline {
    knots: Vec<f64>,
    /// 6×(df) (B-spline count × df) row-major: B-spline coefficients of each natural basis function.
    null: Vec<f64>,
    nb: usize,
    df: usize,
}

impl NaturalSpline {
    fn new(x: &[f64], df: usize) -> Self {
        let mut sorted = x.to_vec();
        sorted.sort_by(f64::total_cmp);
        let (lo, hi) = (sorted[0], sorted[sorted.len() - 1]);
        let inner = df - 2;
        let mut knots = vec![lo; 4];
        knots.extend((1..=inner).map(|k| quantile7(&sorted, k as f64 / (inner + 1) as f64)));
        knots.extend([hi; 4]);
        let nb = knots.len() - 4; // = df + 2
                                  // Constraints: second derivatives at both boundaries (2 × nb), null space by Householder QR of its transpose.
        let c: Vec<Vec<f64>> = [lo, hi]
            .iter()
            .map(|&b| (0..nb).map(|i| bspline(&knots, i, 4, b, 2)).collect())
            .collect();
        let q = householder_q(&c, nb);
        let null = (0..nb)
            .flat_map(|i| (2..nb).map(move |j| (i, j)))
            .map(|(i, j)| q[i * nb + j])
            .collect();
        NaturalSpline {
            knots,
            null,
            nb,
            df,
        }
    }

    fn eval(&self, x: f64) -> Vec<f64> {
        let b: Vec<f64> = (0..self.nb)
            .map(|i| bspline(&self.knots, i, 4, x, 0))
            .collect();
        (0..self.df)
            .map(|j| {
                (0..self.nb)
                    .map(|i| b[i] * self.null[i * self.df + j])
                    .sum()
            })
            .collect()
    }
}

/// The `deriv`-th derivative of the B-spline i of order k on `t` at x (Cox–de Boor;
/// right-closed at the last knot, as `splineDesign`).
fn bspline(t: &[f64], i: usize, k: usize, x: f64, deriv: usize) -> f64 {
    if k == 1 {
        if deriv > 0 {
            return 0.0;
        }
        let last = t[t.len() - 1];
        let inside = t[i] <= x && x < t[i + 1];
        let at_end = x == last && t[i] < t[i + 1] && t[i + 1] == last;
        return f64::from(u8::from(inside || at_end));
    }
    let kf = (k - 1) as f64;
    let (d1, d2) = (t[i + k - 1] - t[i], t[i + k] - t[i + 1]);
    if deriv > 0 {
        let a = if d1 > 0.0 {
            bspline(t, i, k - 1, x, deriv - 1) / d1
        } else {
            0.0
        };
        let b = if d2 > 0.0 {
            bspline(t, i + 1, k - 1, x, deriv - 1) / d2
        } else {
            0.0
        };
        return kf * (a - b);
    }
    let a = if d1 > 0.0 {
        (x - t[i]) / d1 * bspline(t, i, k - 1, x, 0)
    } else {
        0.0
    };
    let b = if d2 > 0.0 {
        (t[i + k] - x) / d2 * bspline(t, i + 1, k - 1, x, 0)
    } else {
        0.0
    };
    a + b
}

/// Q (n×n, row-major) of the Householder QR of the n×m matrix whose columns are `cols`.
fn householder_q(cols: &[Vec<f64>], n: usize) -> Vec<f64> {
    let mut a: Vec<Vec<f64>> = cols.to_vec();
    let mut q: Vec<f64> = (0..n * n)
        .map(|i| f64::from(u8::from(i / n == i % n)))
        .collect();
    for k in 0..a.len() {
        let v = reflector(&a[k], k);
        let Some(v) = v else { continue };
        for col in a.iter_mut().skip(k) {
            apply(&v, col, k);
        }
        // Q ← Q H (H symmetric): apply to each row of Q.
        for r in 0..n {
            let mut row: Vec<f64> = q[r * n..(r + 1) * n].to_vec();
            apply(&v, &mut row, k);
            q[r * n..(r + 1) * n].copy_from_slice(&row);
        }
    }
    q
}

/// Householder vector zeroing `a[k+1..]` (None when already zero).
fn reflector(a: &[f64], k: usize) -> Option<Vec<f64>> {
    let norm = a[k..].iter().map(|v| v * v).sum::<f64>().sqrt();
    if norm == 0.0 {
        return None;
    }
    let alpha = if a[k] > 0.0 { -norm } else { norm };
    let mut v = vec![0.0; a.len()];
    v[k] = a[k] - alpha;
    v[k + 1..].copy_from_slice(&a[k + 1..]);
    let vn = v.iter().map(|x| x * x).sum::<f64>();
    (vn > 0.0).then_some(v.iter().map(|x| x * (2.0 / vn).sqrt()).collect())
}

/// x ← (I − v vᵀ) x for the (scaled) reflector v.
fn apply(v: &[f64], x: &mut [f64], k: usize) {
    let d: f64 = (k..x.len()).map(|i| v[i] * x[i]).sum();
    (k..x.len()).for_each(|i| x[i] -= d * v[i]);
}

struct LeastSquares {
    coef: Vec<f64>,
    /// R⁻¹ (upper triangular k×k, row-major).
    rinv: Vec<f64>,
}

/// Least squares by Householder QR of the n×k column-major `a`; None when rank < k.
fn least_squares(a: &[f64], n: usize, k: usize, y: &[f64]) -> Option<LeastSquares> {
    let mut cols: Vec<Vec<f64>> = (0..k).map(|j| a[j * n..(j + 1) * n].to_vec()).collect();
    let mut qty = y.to_vec();
    let scale = cols
        .iter()
        .map(|c| c.iter().map(|v| v * v).sum::<f64>().sqrt())
        .fold(0.0, f64::max);
    for j in 0..k {
        let v = reflector(&cols[j], j)?;
        for col in cols.iter_mut().skip(j) {
            apply(&v, col, j);
        }
        apply(&v, &mut qty, j);
        if cols[j][j].abs() <= 1e-7 * scale {
            return None; // R's qr tolerance: rank deficient
        }
    }
    let r = |i: usize, j: usize| cols[j][i];
    let mut rinv = vec![0.0; k * k];
    for j in 0..k {
        rinv[j * k + j] = 1.0 / r(j, j);
        for i in (0..j).rev() {
            let s: f64 = (i + 1..=j).map(|m| r(i, m) * rinv[m * k + j]).sum();
            rinv[i * k + j] = -s / r(i, i);
        }
    }
    let coef = (0..k)
        .map(|i| (i..k).map(|j| rinv[i * k + j] * qty[j]).sum())
        .collect();
    Some(LeastSquares { coef, rinv })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bsplines_sum_to_one_and_cubic_is_reproduced() {
        let x: Vec<f64> = (0..30).map(|i| f64::from(i) / 29.0).collect();
        let y: Vec<Option<f64>> = x.iter().map(|v| Some(3.0 - 2.0 * v)).collect();
        let s = zph_smooth(&x, &y, Some(1.0), 4, 40).expect("fits");
        for (g, f) in s.x.iter().zip(&s.fit) {
            assert!(
                (f - (3.0 - 2.0 * g)).abs() < 1e-10,
                "a line is in the natural-spline space"
            );
        }
        let ns = NaturalSpline::new(&x, 4);
        let knots = &ns.knots;
        for &v in &x {
            let sum: f64 = (0..ns.nb).map(|i| bspline(knots, i, 4, v, 0)).sum();
            assert!((sum - 1.0).abs() < 1e-12);
        }
    }
}
