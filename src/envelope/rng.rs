//! The randomness of sealing: one seed from the system's CSPRNG, stretched by HMAC-SHA-256.
//!
//! `hpke` and `sm2` take an infallible `rand_core` generator, while the system generator can fail.
//! Drawing one 32-byte seed through ring (a failure becomes an error, not a panic) and expanding it
//! here keeps every failure reportable, and lets the test vectors be reproduced from a fixed seed.

use std::convert::Infallible;

use crate::{Error, ErrorKind, Result};

/// A deterministic generator: block `i` is HMAC-SHA-256(seed, "privshare envelope rng" || i).
pub(crate) struct Drbg {
    /// HMAC-SHA-256 keyed with the seed (RustCrypto's, wiped when dropped).
    key: hmac::Hmac<sha2::Sha256>,
    counter: u64,
    block: [u8; 32],
    used: usize,
}

impl Drbg {
    /// A generator seeded from the system's CSPRNG.
    pub(crate) fn from_system() -> Result<Drbg> {
        use ring::rand::SecureRandom;
        let mut seed = zeroize::Zeroizing::new([0u8; 32]);
        ring::rand::SystemRandom::new()
            .fill(seed.as_mut())
            .map_err(|_| Error::new(ErrorKind::Internal, "system random generator failed"))?;
        Ok(Drbg::from_seed(&seed))
    }

    /// A generator from a fixed seed (test vectors only: the same seed gives the same envelope).
    pub(crate) fn from_seed(seed: &[u8; 32]) -> Drbg {
        use hmac::KeyInit;
        let key = hmac::Hmac::<sha2::Sha256>::new_from_slice(seed).expect("HMAC takes any key length");
        Drbg { key, counter: 0, block: [0; 32], used: 32 }
    }

    /// Fills `out` with the next bytes.
    pub(crate) fn fill(&mut self, out: &mut [u8]) {
        for b in out {
            if self.used == self.block.len() {
                use hmac::Mac;
                let mut mac = self.key.clone();
                mac.update(b"privshare envelope rng");
                mac.update(&self.counter.to_be_bytes());
                self.block.copy_from_slice(&mac.finalize().into_bytes());
                self.counter += 1;
                self.used = 0;
            }
            *b = self.block[self.used];
            self.used += 1;
        }
    }

    /// `N` fresh bytes.
    pub(crate) fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut a = [0u8; N];
        self.fill(&mut a);
        a
    }
}

impl Drop for Drbg {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.block);
    }
}

impl rand_core::TryRng for Drbg {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(u32::from_be_bytes(self.array()))
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(u64::from_be_bytes(self.array()))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.fill(dst);
        Ok(())
    }
}

impl rand_core::TryCryptoRng for Drbg {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_seed_is_reproducible_and_system_seeds_differ() {
        let (mut a, mut b) = (Drbg::from_seed(&[1; 32]), Drbg::from_seed(&[1; 32]));
        let x: [u8; 70] = a.array();
        assert_eq!(x, b.array::<70>());
        assert_ne!(x[..32], x[32..64]);
        let mut c = Drbg::from_system().unwrap();
        assert_ne!(c.array::<32>(), Drbg::from_system().unwrap().array::<32>());
    }
}
