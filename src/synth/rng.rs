//! A tiny, fixed pseudo-random generator: SplitMix64 seeding xoshiro256**.
//!
//! Written here rather than taken from `rand` because a synthetic data set must be reproducible
//! from its seed forever, on every platform: these algorithms are fully specified
//! (<https://prng.di.unimi.it/>), use only wrapping integer arithmetic, and will never change.
//! Not for cryptography.

/// One step of SplitMix64 (Steele, Lea, Flood 2014): the finalizer used to expand seeds.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    mix64(*state)
}

/// The SplitMix64 output function: a bijective 64-bit mixer.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** (Blackman, Vigna 2018).
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose state is four SplitMix64 outputs from `seed` (never all zero).
    pub fn from_seed(seed: u64) -> Rng {
        let mut sm = seed;
        Rng { s: [splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm)] }
    }

    /// The generator for row `index` of the data set made from `seed`. Each row has its own
    /// stream, so any row can be produced without producing the ones before it.
    pub fn for_row(seed: u64, index: u64) -> Rng {
        Rng::from_seed(mix64(seed ^ 0x7073_796E_7468_0001).wrapping_add(mix64(index.wrapping_add(1))))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A number in `0..n` (`n > 0`) by Lemire's multiply-shift; the bias (below n / 2^64) is
    /// irrelevant for synthetic data and keeps the stream free of data-dependent rejection loops.
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// A uniform `f64` in `[0, 1)` from the top 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// An approximately standard normal number: the Irwin–Hall sum of 12 uniforms minus 6.
    /// Only additions, so the result is bit-identical on every IEEE 754 platform (unlike
    /// Box–Muller, whose `ln`/`cos` come from the platform's math library).
    pub fn normal(&mut self) -> f64 {
        let mut sum = 0.0;
        for _ in 0..12 {
            sum += self.unit();
        }
        sum - 6.0
    }
}

/// `e^x` from basic IEEE operations only (range reduction by ln 2 and a Taylor polynomial), so that
/// it is identical on every platform. Accurate to about 1e-15 relative for |x| < 700.
pub fn exp(x: f64) -> f64 {
    const LN2: f64 = std::f64::consts::LN_2;
    let k = (x / LN2).round();
    let r = x - k * LN2;
    // Horner evaluation of sum r^n / n! for n = 0..=16; |r| <= ln2 / 2 keeps the tail tiny.
    let mut p = 1.0;
    let mut n = 16.0;
    while n > 0.0 {
        p = 1.0 + p * r / n;
        n -= 1.0;
    }
    let k = k.clamp(-1022.0, 1023.0) as i64;
    p * f64::from_bits(((k + 1023) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_reference_output() {
        // Reference: xoshiro256** with state [1, 2, 3, 4] (the C reference implementation gives
        // 11520, 0, 1509978240, 1215971899390074240 as its first outputs).
        let mut r = Rng { s: [1, 2, 3, 4] };
        assert_eq!(
            [r.next_u64(), r.next_u64(), r.next_u64(), r.next_u64()],
            [11520, 0, 1509978240, 1215971899390074240]
        );
    }

    #[test]
    fn splitmix_reference_output() {
        // First output of SplitMix64 seeded with 0 (as in the reference implementation).
        let mut s = 0;
        assert_eq!(splitmix64(&mut s), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn exp_matches_std_closely() {
        for i in -200..=200 {
            let x = i as f64 * 0.1;
            let (a, b) = (exp(x), x.exp());
            assert!(((a - b) / b).abs() < 1e-13, "{x}: {a} vs {b}");
        }
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut r = Rng::from_seed(7);
        let mut seen = [false; 10];
        for _ in 0..1000 {
            seen[r.below(10) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
