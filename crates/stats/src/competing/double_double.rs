//! Double-double numbers (an unevaluated sum hi + lo of two doubles, ~32 significant
//! digits) for the running sums of the IJ variance, whose terms cancel where the
//! variance is 0 (e.g. F = 1 at the end of a curve): in plain doubles the sum would be
//! left at ~1e-16 of its terms, whose square root is a visible 1e-8.
//!
//! # References
//! Dekker, T. J. (1971). A floating-point technique for extending the available
//! precision. *Numer. Math.* 18, 224–242 (TwoSum, TwoProduct by splitting); Hida, Li &
//! Bailey (2001), QD library (the double-double operations).

/// hi + lo with |lo| ≤ ulp(hi)/2.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Dd {
    hi: f64,
    lo: f64,
}

/// a + b = s + e exactly (Knuth's TwoSum).
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// a = hi + lo with each half fitting in 26 bits (Veltkamp's split).
fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a; // 2^27 + 1
    let hi = c - (c - a);
    (hi, a - hi)
}

/// a·b = p + e exactly (Dekker's TwoProduct; no fused multiply-add, so the same bits
/// natively and in WebAssembly).
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

/// s + e renormalised, assuming |s| ≥ |e| (FastTwoSum).
fn renorm(s: f64, e: f64) -> Dd {
    let hi = s + e;
    Dd {
        hi,
        lo: e - (hi - s),
    }
}

impl Dd {
    /// The double `x`.
    pub(crate) fn from(x: f64) -> Dd {
        Dd { hi: x, lo: 0.0 }
    }

    /// self + other.
    pub(crate) fn add(self, other: Dd) -> Dd {
        let (s, e) = two_sum(self.hi, other.hi);
        renorm(s, e + self.lo + other.lo)
    }

    /// self · b.
    pub(crate) fn mul(self, b: f64) -> Dd {
        let (p, e) = two_prod(self.hi, b);
        renorm(p, e + self.lo * b)
    }

    /// The nearest double.
    pub(crate) fn value(self) -> f64 {
        self.hi + self.lo
    }
}

#[cfg(test)]
mod tests {
    use super::Dd;

    #[test]
    fn keeps_what_doubles_lose() {
        // (1 + 2^-60) − 1 = 2^-60: lost in doubles, kept here.
        let tiny = 2f64.powi(-60);
        let x = Dd::from(1.0).add(Dd::from(tiny)).add(Dd::from(-1.0));
        assert_eq!(x.value(), tiny);
        // (1 + 2^-30)² = 1 + 2^-29 + 2^-60 exactly; minus 1 + 2^-29 leaves 2^-60.
        let a = 1.0 + 2f64.powi(-30);
        let sq = Dd::from(a).mul(a);
        assert_eq!(sq.add(Dd::from(-(1.0 + 2f64.powi(-29)))).value(), tiny);
    }
}
