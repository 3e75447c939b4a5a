//! cholesky2 / chsolve2 / chinv2 and the ordinary solve, against R 4.2.2 + survival 3.5-3.
//! `survival:::coxph.wtest(var, b)` runs cholesky2 + chsolve2 (toler.chol = eps^0.75) and
//! returns the generalized solve (`$solve`), the rank (`$df`) and bᵀA⁻b (`$test`).

#![allow(clippy::excessive_precision)]

use survlens::stats::linalg::{cholesky2, solve, SolveError, TOLER_CHOL};

#[track_caller]
fn close(got: &[f64], want: &[f64], rel: f64) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= rel * w.abs().max(1e-300) || (g - w).abs() <= 1e-15,
            "[{i}] got {g:.17e} want {w:.17e}"
        );
    }
}

#[test]
fn toler_chol_is_eps_to_the_three_quarters() {
    #[allow(clippy::disallowed_methods)] // comparing with the platform value is the point
    let expected = f64::EPSILON.powf(0.75);
    assert_eq!(TOLER_CHOL, expected);
}

// R: X <- cbind(c(1,2,3,4,5), c(2,1,0,1,3)); X <- cbind(X, X[,1] + X[,2]); A <- crossprod(X)
const A_COLLINEAR: [f64; 9] = [55.0, 23.0, 78.0, 23.0, 15.0, 38.0, 78.0, 38.0, 116.0];
const B: [f64; 3] = [1.0, -2.0, 0.5];

/// R: w <- survival:::coxph.wtest(A, c(1, -2, 0.5)); w$solve; w$df; w$test
///   0.20608108108108103 -0.44932432432432423 0 ; 2 ; 1.1047297297297294
/// R: solve(A[1:2, 1:2]) = 0.050675675675675672 -0.077702702702702686
///                         -0.077702702702702672 0.18581081081081077
#[test]
fn collinear_matrix_is_rank_deficient_with_zero_rows() {
    let c = cholesky2(&A_COLLINEAR, 3, TOLER_CHOL);
    assert_eq!(c.rank(), 2);
    assert!(c.is_redundant(2) && !c.is_redundant(0) && !c.is_redundant(1));
    let x = c.solve(&B);
    close(&x, &[0.20608108108108103, -0.44932432432432423, 0.0], 1e-12);
    assert_eq!(x[2], 0.0);
    let test: f64 = x.iter().zip(&B).map(|(a, b)| a * b).sum();
    close(&[test], &[1.1047297297297294], 1e-12);
    let inv = c.inverse();
    close(
        &[inv[0], inv[1], inv[3], inv[4]],
        &[
            0.050675675675675672,
            -0.077702702702702686,
            -0.077702702702702672,
            0.18581081081081077,
        ],
        1e-12,
    );
    for j in 0..3 {
        assert_eq!(inv[2 * 3 + j], 0.0);
        assert_eq!(inv[j * 3 + 2], 0.0);
    }
}

/// The later of two collinear columns is the redundant one.
/// R: A2 <- crossprod(cbind(X[,1], X[,3], X[,2])); coxph.wtest(A2, c(1, -2, 0.5))
///   $solve 0.91891891891891997 -0.63513513513513586 0 ; $df 2 ; $test 2.1891891891891917
#[test]
fn the_later_collinear_column_is_dropped() {
    let a2 = [55.0, 78.0, 23.0, 78.0, 116.0, 38.0, 23.0, 38.0, 15.0];
    let c = cholesky2(&a2, 3, TOLER_CHOL);
    assert_eq!(c.rank(), 2);
    close(
        &c.solve(&B),
        &[0.91891891891891997, -0.63513513513513586, 0.0],
        1e-12,
    );
}

/// R: B <- matrix(c(4,1,0.5, 1,3,0.2, 0.5,0.2,2), 3); solve(B); coxph.wtest(B, b)
#[test]
fn well_conditioned_matrix_matches_direct_inverse() {
    let m = [4.0, 1.0, 0.5, 1.0, 3.0, 0.2, 0.5, 0.2, 2.0];
    let c = cholesky2(&m, 3, TOLER_CHOL);
    assert_eq!(c.rank(), 3);
    assert!(c.is_nonneg_definite());
    let r_inv = [
        0.27994363550962892,
        -0.089243776420854862,
        -0.061061531235321743,
        -0.089243776420854862,
        0.36402066697980273,
        -0.014091122592766559,
        -0.061061531235321737,
        -0.014091122592766557,
        0.51667449506810703,
    ];
    close(&c.inverse(), &r_inv, 1e-13);
    close(
        &c.solve(&B),
        &[
            0.42790042273367779,
            -0.8243306716768436,
            0.22545796148426492,
        ],
        1e-13,
    );
    let x = solve(&m, 3, &B).unwrap();
    close(
        &x,
        &[
            0.42790042273367779,
            -0.8243306716768436,
            0.22545796148426492,
        ],
        1e-13,
    );
}

#[test]
fn non_finite_or_zero_diagonal_and_empty() {
    let c = cholesky2(&[], 0, TOLER_CHOL);
    assert_eq!(c.rank(), 0);
    assert!(c.solve(&[]).is_empty() && c.inverse().is_empty());
    // All-zero matrix: rank 0, solution and inverse all zero.
    let c = cholesky2(&[0.0; 4], 2, TOLER_CHOL);
    assert_eq!(c.rank(), 0);
    assert_eq!(c.solve(&[1.0, 2.0]), vec![0.0, 0.0]);
    assert_eq!(c.inverse(), vec![0.0; 4]);
    // A NaN pivot is redundant.
    let c = cholesky2(&[f64::NAN, 0.0, 0.0, 2.0], 2, TOLER_CHOL);
    assert_eq!(c.rank(), 1);
    assert_eq!(c.solve(&[1.0, 1.0]), vec![0.0, 0.5]);
    assert_eq!(c.inverse(), vec![0.0, 0.0, 0.0, 0.5]);
    // Indefinite matrix: flagged.
    let c = cholesky2(&[1.0, 2.0, 2.0, 1.0], 2, TOLER_CHOL);
    assert!(!c.is_nonneg_definite());
}

/// R: solve(matrix(c(1,1,1,1+1e-17), 2), c(1,1)) stops: "Lapack routine dgesv: system is
/// exactly singular: U[2,2] = 0". With 1+4.5e-16: "system is computationally singular:
/// reciprocal condition number = 1.11022e-16". With 1+1e-15 (rcond 2.775558e-16 > eps)
/// R returns c(1, 0).
#[test]
fn ordinary_solve_refuses_singular_like_r() {
    assert_eq!(
        solve(&[1.0, 1.0, 1.0, 1.0 + 1e-17], 2, &[1.0, 1.0]),
        Err(SolveError::ExactlySingular { index: 1 })
    );
    assert!(matches!(
        solve(&[0.0], 1, &[1.0]),
        Err(SolveError::ExactlySingular { index: 0 })
    ));
    match solve(&[1.0, 1.0, 1.0, 1.0 + 4.5e-16], 2, &[1.0, 1.0]) {
        Err(SolveError::ComputationallySingular { rcond }) => {
            assert!((rcond - 1.110223e-16).abs() < 1e-22, "rcond {rcond:e}")
        }
        other => panic!("{other:?}"),
    }
    close(
        &solve(&[1.0, 1.0, 1.0, 1.0 + 1e-15], 2, &[1.0, 1.0]).unwrap(),
        &[1.0, 0.0],
        1e-12,
    );
    assert_eq!(solve(&[f64::NAN], 1, &[1.0]), Err(SolveError::NotFinite));
    assert_eq!(solve(&[], 0, &[]), Ok(vec![]));
}
