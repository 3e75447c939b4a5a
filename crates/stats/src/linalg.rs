//! Small dense symmetric linear algebra, row-major `Vec<f64>`.
//!
//! Two tools, each mirroring what R does at the matching place:
//!
//! * [`cholesky2`] — the LDLᵀ "generalized Cholesky" of survival's `cholesky2` /
//!   `chsolve2` / `chinv2` (src/cholesky2.c, chsolve2.c, chinv2.c). Columns whose pivot
//!   falls below `toler × (largest diagonal)` are declared redundant (aliased) instead of
//!   failing: their solution component is 0 and their row/column of the inverse is 0.
//!   Used by Cox (score, Wald, variance) — docs/methods.md "Aliased columns".
//! * [`solve`] — an ordinary solve by LU with partial pivoting that refuses singular
//!   systems the way R's `solve()` does (exactly singular pivot, or reciprocal condition
//!   number below machine epsilon). Used by `survdiff`'s test statistic.
//!
//! Matrices here are tiny (k ≤ a few dozen), so clarity beats blocking.

/// Cholesky tolerance used by `coxph.control`: `toler.chol = .Machine$double.eps^0.75`.
pub const TOLER_CHOL: f64 = 1.818_989_403_545_856_5e-12;

/// An LDLᵀ factorization `A = F D Fᵀ` (F unit lower triangular, D diagonal) with
/// redundant columns marked by a zero in D.
///
/// # Formula
/// Column by column, pivot p_i = D_ii after eliminating earlier columns. If p_i is NaN,
/// infinite or p_i < toler·max_j A_jj, column i is redundant (D_ii = 0, nothing
/// eliminated); otherwise F_ji = A_ji/p_i and the trailing block is updated.
///
/// # References
/// Therneau & Grambsch (2000), *Modeling Survival Data*, §3.3 and appendix on the
/// generalized Cholesky; survival's `src/cholesky2.c`.
///
/// # R equivalent
/// `survival:::coxph.wtest(var, b, toler.chol)` and the C routines `cholesky2`,
/// `chsolve2`, `chinv2` as used by `coxph.fit`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cholesky2 {
    n: usize,
    /// Row-major n×n: D on the diagonal, F strictly below it, the input above it.
    m: Vec<f64>,
    rank: usize,
    nonneg: bool,
}

/// Factor the symmetric `n × n` row-major matrix `a` (only its upper triangle and
/// diagonal are read, as in survival's `cholesky2`).
///
/// A short or non-square `a` is treated as if padded with zeros (no panic).
/// `toler` is survival's `toler.chol`; pass [`TOLER_CHOL`] for R's default.
pub fn cholesky2(a: &[f64], n: usize, toler: f64) -> Cholesky2 {
    let mut m = vec![0.0; n * n];
    for (dst, src) in m.iter_mut().zip(a.iter()) {
        *dst = *src;
    }
    let mut eps = 0.0_f64;
    for i in 0..n {
        if m[i * n + i] > eps {
            eps = m[i * n + i];
        }
        for j in (i + 1)..n {
            m[j * n + i] = m[i * n + j];
        }
    }
    if eps == 0.0 {
        // No positive diagonal (every column constant): rank 0, D left as it is, as in C.
        return Cholesky2 {
            n,
            m,
            rank: 0,
            nonneg: true,
        };
    }
    eps *= toler;
    let mut rank = 0;
    let mut nonneg = true;
    for i in 0..n {
        let pivot = m[i * n + i];
        if !pivot.is_finite() || pivot < eps {
            m[i * n + i] = 0.0;
            if pivot < -8.0 * eps {
                nonneg = false;
            }
        } else {
            rank += 1;
            for j in (i + 1)..n {
                let temp = m[j * n + i] / pivot;
                m[j * n + i] = temp;
                m[j * n + j] -= temp * temp * pivot;
                for k in (j + 1)..n {
                    m[k * n + j] -= temp * m[k * n + i];
                }
            }
        }
    }
    Cholesky2 { n, m, rank, nonneg }
}

impl Cholesky2 {
    /// Number of non-redundant columns (survival's `|cholesky2(...)|`).
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// Size n of the factored matrix.
    pub fn dim(&self) -> usize {
        self.n
    }

    /// False when a pivot was below −8·threshold, i.e. the matrix is not non-negative
    /// definite (survival's `cholesky2` then returns −rank).
    pub fn is_nonneg_definite(&self) -> bool {
        self.nonneg
    }

    /// True for a column declared redundant (D_ii = 0).
    pub fn is_redundant(&self, i: usize) -> bool {
        i < self.n && self.m[i * self.n + i] == 0.0
    }

    /// Solve A x = b with the generalized inverse: redundant components are 0
    /// (survival's `chsolve2`). A short `b` is padded with zeros.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        let m = &self.m;
        let mut y = vec![0.0; n];
        for (dst, src) in y.iter_mut().zip(b.iter()) {
            *dst = *src;
        }
        for i in 0..n {
            let mut temp = y[i];
            for j in 0..i {
                temp -= y[j] * m[i * n + j];
            }
            y[i] = temp;
        }
        for i in (0..n).rev() {
            if m[i * n + i] == 0.0 {
                y[i] = 0.0;
            } else {
                let mut temp = y[i] / m[i * n + i];
                for j in (i + 1)..n {
                    temp -= y[j] * m[j * n + i];
                }
                y[i] = temp;
            }
        }
        y
    }

    /// F·(√D ∘ z): with z standard normal, a draw from N(0, A) for the factored A = F D Fᵀ
    /// (a redundant column adds nothing; a short `z` is padded with zeros). The square-root
    /// factor F√D is R's `t(chol(A))` when A is positive definite (used by the imputation
    /// models' parameter draws, mice's `t(chol(v)) %*% rnorm(p)`).
    pub fn sqrt_factor_times(&self, z: &[f64]) -> Vec<f64> {
        let n = self.n;
        let m = &self.m;
        let scaled: Vec<f64> = (0..n)
            .map(|i| {
                let d = m[i * n + i];
                if d > 0.0 {
                    d.sqrt() * z.get(i).copied().unwrap_or(0.0)
                } else {
                    0.0
                }
            })
            .collect();
        (0..n)
            .map(|j| {
                let mut total = scaled[j];
                for (i, s) in scaled.iter().enumerate().take(j) {
                    total += m[j * n + i] * s;
                }
                total
            })
            .collect()
    }

    /// The generalized inverse, full symmetric row-major n×n; rows and columns of
    /// redundant columns are 0 (survival's `chinv2` followed by the copy of the upper
    /// triangle into the lower one that `coxfit6` does).
    pub fn inverse(&self) -> Vec<f64> {
        let n = self.n;
        let mut m = self.m.clone();
        // Invert F (lower triangle) and D (diagonal).
        for i in 0..n {
            if m[i * n + i] > 0.0 {
                m[i * n + i] = 1.0 / m[i * n + i];
                for j in (i + 1)..n {
                    m[j * n + i] = -m[j * n + i];
                    for k in 0..i {
                        m[j * n + k] += m[j * n + i] * m[i * n + k];
                    }
                }
            }
        }
        // F' D F into the upper triangle.
        for i in 0..n {
            if m[i * n + i] == 0.0 {
                for j in 0..i {
                    m[j * n + i] = 0.0;
                }
                for j in i..n {
                    m[i * n + j] = 0.0;
                }
            } else {
                for j in (i + 1)..n {
                    let temp = m[j * n + i] * m[j * n + j];
                    m[i * n + j] = temp;
                    for k in i..j {
                        m[i * n + k] += temp * m[j * n + k];
                    }
                }
            }
        }
        for i in 1..n {
            for j in 0..i {
                m[i * n + j] = m[j * n + i];
            }
        }
        m
    }
}

/// Why an ordinary [`solve`] refused a system (the two errors of R's `solve.default`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SolveError {
    /// A zero pivot in the LU factorization, at this 0-based index
    /// (R: "Lapack routine dgesv: system is exactly singular: `U[i,i] = 0`").
    ExactlySingular { index: usize },
    /// Reciprocal 1-norm condition number below machine epsilon
    /// (R: "system is computationally singular: reciprocal condition number = …").
    ComputationallySingular { rcond: f64 },
    /// The matrix or right-hand side holds NaN or ±Inf, or has the wrong length.
    NotFinite,
}

/// Ordinary solve of A x = b (A general n×n row-major) by LU with partial pivoting.
///
/// Refuses singular systems as R's `solve()` does: an exactly zero pivot, or a
/// reciprocal condition number ‖A‖₁⁻¹‖A⁻¹‖₁⁻¹ below `f64::EPSILON` (R's default
/// `tol = .Machine$double.eps`). R estimates rcond with LAPACK `dgecon`; here it is
/// computed exactly from the explicit inverse, which only matters within a factor of
/// about 3 of the cut-off.
///
/// # R equivalent
/// `solve(a, b)`
pub fn solve(a: &[f64], n: usize, b: &[f64]) -> Result<Vec<f64>, SolveError> {
    if b.len() != n || b.iter().any(|v| !v.is_finite()) {
        return Err(SolveError::NotFinite);
    }
    Lu::factor(a, n)?.solve(b)
}

/// An LU factorization checked as [`solve`] checks it, for solving many right-hand
/// sides with one matrix: `Lu::factor(a, n)?.solve(b)` gives the same bits as
/// `solve(a, n, b)` at the cost of one O(n²) substitution per right-hand side.
#[derive(Debug, Clone)]
pub struct Lu {
    lu: Vec<f64>,
    perm: Vec<usize>,
    n: usize,
}

impl Lu {
    /// Factor A (n×n row-major); refuses singular matrices as [`solve`].
    pub fn factor(a: &[f64], n: usize) -> Result<Lu, SolveError> {
        if a.len() != n * n || a.iter().any(|v| !v.is_finite()) {
            return Err(SolveError::NotFinite);
        }
        if n == 0 {
            return Ok(Lu {
                lu: Vec::new(),
                perm: Vec::new(),
                n,
            });
        }
        let (lu, perm) = lu_factor(a, n)?;
        let anorm = (0..n)
            .map(|j| (0..n).map(|i| a[i * n + j].abs()).sum::<f64>())
            .fold(0.0_f64, f64::max);
        let mut inv_norm = 0.0_f64;
        for j in 0..n {
            let mut e = vec![0.0; n];
            e[j] = 1.0;
            let col = lu_solve(&lu, &perm, n, &e);
            inv_norm = inv_norm.max(col.iter().map(|v| v.abs()).sum());
        }
        let rcond = if anorm == 0.0 || inv_norm == 0.0 {
            0.0
        } else {
            1.0 / (anorm * inv_norm)
        };
        // NaN rcond (cannot happen with finite input) also counts as singular.
        if rcond.is_nan() || rcond < f64::EPSILON {
            return Err(SolveError::ComputationallySingular { rcond });
        }
        Ok(Lu { lu, perm, n })
    }

    /// x with A x = b; `NotFinite` when b has the wrong length or a non-finite entry.
    pub fn solve(&self, b: &[f64]) -> Result<Vec<f64>, SolveError> {
        if b.len() != self.n || b.iter().any(|v| !v.is_finite()) {
            return Err(SolveError::NotFinite);
        }
        Ok(lu_solve(&self.lu, &self.perm, self.n, b))
    }
}

fn lu_factor(a: &[f64], n: usize) -> Result<(Vec<f64>, Vec<usize>), SolveError> {
    let mut lu = a.to_vec();
    let mut perm: Vec<usize> = (0..n).collect();
    for k in 0..n {
        let mut p = k;
        for i in (k + 1)..n {
            if lu[i * n + k].abs() > lu[p * n + k].abs() {
                p = i;
            }
        }
        if lu[p * n + k] == 0.0 {
            return Err(SolveError::ExactlySingular { index: k });
        }
        if p != k {
            for j in 0..n {
                lu.swap(k * n + j, p * n + j);
            }
            perm.swap(k, p);
        }
        let piv = lu[k * n + k];
        for i in (k + 1)..n {
            let f = lu[i * n + k] / piv;
            lu[i * n + k] = f;
            for j in (k + 1)..n {
                lu[i * n + j] -= f * lu[k * n + j];
            }
        }
    }
    Ok((lu, perm))
}

fn lu_solve(lu: &[f64], perm: &[usize], n: usize, b: &[f64]) -> Vec<f64> {
    let mut x: Vec<f64> = perm.iter().map(|&p| b[p]).collect();
    for i in 0..n {
        for j in 0..i {
            x[i] -= lu[i * n + j] * x[j];
        }
    }
    for i in (0..n).rev() {
        for j in (i + 1)..n {
            x[i] -= lu[i * n + j] * x[j];
        }
        x[i] /= lu[i * n + i];
    }
    x
}
