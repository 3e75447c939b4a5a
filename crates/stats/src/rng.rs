//! SplitMix64, the one seeded generator of the crate (the bootstrap's resampling) and of
//! the generators of test and demo cohorts: tiny, fast, full period 2⁶⁴, the same
//! numbers on every platform (native and wasm).
//!
//! # References
//! Steele, G. L., Lea, D. & Flood, C. H. (2014). Fast splittable pseudorandom number
//! generators. *OOPSLA '14*, 453–472.

/// SplitMix64 state; `SplitMix64(seed)` starts a stream.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform index in 0..n (multiply-shift; bias < n/2⁶⁴).
    pub fn index(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform on (0, 1): 53 random bits, never 0 or 1.
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
}

/// The seed of sub-stream `index` (0-based) of `seed`: the (index + 1)-th output of
/// `SplitMix64(seed)`, computed directly (SplitMix64's state after k steps is
/// seed + k·γ, γ = 0x9E3779B97F4A7C15, and its output is the mix of that state).
/// Replicate r of a bootstrap, set k of an imputation draw from
/// `SplitMix64(substream_seed(seed, r))`: a unit's draws depend on (seed, index) only,
/// never on which units ran before it or where (the page's worker pool).
pub fn substream_seed(seed: u64, index: usize) -> u64 {
    let mut s = SplitMix64(seed.wrapping_add((index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)));
    s.next_u64()
}

#[cfg(test)]
mod tests {
    use super::{substream_seed, SplitMix64};

    #[test]
    fn substream_seed_is_the_stream_output() {
        let mut master = SplitMix64(20_260_101);
        for r in 0..200 {
            assert_eq!(substream_seed(20_260_101, r), master.next_u64());
        }
        assert_eq!(substream_seed(0, 0), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn known_stream_and_ranges() {
        // Reference values of SplitMix64 from seed 0 (Vigna's splitmix64.c).
        let mut r = SplitMix64(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        let mut r = SplitMix64(7);
        for _ in 0..1000 {
            let u = r.uniform();
            assert!(u > 0.0 && u < 1.0);
            assert!(r.index(5) < 5);
        }
    }
}
