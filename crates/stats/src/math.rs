//! Elementary functions with the same bits on every platform.
//!
//! The CLI (x86-64, glibc) and the browser (wasm32) must give the same bytes of results
//! (docs/methods.md#agreement). `f64::exp`, `ln` and `powf` call the platform's libm, whose last bits
//! differ between glibc and the wasm runtime, so the statistics core calls these wrappers
//! around the pure-Rust `libm` crate instead (clippy.toml forbids the std methods in
//! `src/`). `sqrt` and the basic arithmetic are exact IEEE operations everywhere.

/// e^x.
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// Natural logarithm.
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// ln(1 + x), accurate for small x.
#[inline]
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// x^y.
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// Complementary error function.
#[inline]
pub fn erfc(x: f64) -> f64 {
    libm::erfc(x)
}

/// ln Γ(x) for x > 0.
#[inline]
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}
