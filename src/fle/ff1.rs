//! FF1 (NIST SP 800-38G) over any 128-bit block cipher, with machine-integer arithmetic.
//!
//! FF1 never needs the whole numeral string as one number: each Feistel round works on one half,
//! `NUM(A)` or `NUM(B)`, modulo `radix^u` or `radix^v` (`u = floor(n/2)`, `v = n - u`). This module
//! keeps both halves in `u128` and therefore supports every `(radix, n)` with
//! `radix^v <= 2^96` (so that `b <= 12` bytes and the round output `S` fits one block):
//! up to 56 decimal digits, 36 base-36 or 32 base-62 characters, 192 bits in radix 2. Longer values
//! are refused with [`ErrorKind::ValueTooLong`]. Domains below `radix^n = 1,000,000`
//! (SP 800-38G Rev. 1) are refused with [`ErrorKind::DomainTooSmall`].
//!
//! Everything that depends only on the tweak and the length is computed once, in a [`Prepared`]:
//! the CBC-MAC of `P` and of every block of `Q` before the last, so a round costs exactly one block
//! encryption, an XOR and one 128-bit remainder, with no heap allocation.
//!
//! ```
//! use aes::Aes128;
//! use cipher::KeyInit;
//! use privshare::hazmat::ff1::Ff1;
//! // NIST SP 800-38G, FF1 sample 1.
//! let key = [0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c];
//! let ff1 = Ff1::new(Aes128::new(&key.into()), 10)?;
//! let ct = ff1.encrypt(&[], &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9])?;
//! assert_eq!(ct, [2, 4, 3, 3, 4, 7, 7, 4, 8, 4]);
//! assert_eq!(ff1.decrypt(&[], &ct)?, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
//! # Ok::<(), privshare::Error>(())
//! ```

use crate::column::{Column, OnInvalid, Values};
use crate::{Error, ErrorKind, Result, Suite};
use cipher::consts::U16;
use cipher::{Array, BlockCipherEncBackend, BlockCipherEncClosure, BlockCipherEncrypt, BlockSizeUser, KeyInit};

/// Smallest domain `radix^n` accepted (NIST SP 800-38G Rev. 1).
pub const MIN_DOMAIN: u128 = 1_000_000;
/// Largest radix FF1 allows.
pub const MAX_RADIX: u32 = 1 << 16;
/// Largest half domain `radix^v` this implementation handles: `2^96`.
pub const MAX_HALF_DOMAIN: u128 = 1 << 96;
/// Longest numeral string any radix can reach within [`MAX_HALF_DOMAIN`] (radix 2: 2 × 96).
pub const MAX_LEN: usize = 192;

/// FF1 keyed with one block cipher, for one radix.
#[derive(Clone)]
pub struct Ff1<C> {
    cipher: C,
    radix: u32,
}

/// Everything FF1 needs that depends only on the radix, the length and the tweak: build it once
/// with [`Ff1::prepare`] and reuse it for every value of that length. Plain data (`Copy`): it holds
/// CBC-MAC states, never the key. Use it only with the [`Ff1`] (same key) that made it: with
/// another key the result is a permutation, but not FF1.
#[derive(Clone, Copy)]
pub struct Prepared {
    radix: u32,
    n: usize,
    u: usize,
    /// `b`: bytes of `NUM(B)` in `Q`.
    b: usize,
    /// `8 * (16 - d)`: `NUM(S)` is the block's first `d` bytes, i.e. the block shifted right.
    shift: u32,
    pow_u: u128,
    pow_v: u128,
    tweak_len: usize,
    /// CBC-MAC state after `P` (to absorb another tweak of the same length cheaply).
    after_p: u128,
    /// CBC-MAC state before `Q`'s last block, XORed with that block's constant bytes. A round
    /// XORs in `[i] || NUM_b(B)` (the last `b + 1` bytes) and encrypts once.
    base: u128,
}

impl<C> std::fmt::Debug for Ff1<C> {
    // The cipher holds the key schedule: show the radix only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ff1").field("radix", &self.radix).finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Prepared {
    // The states are key-dependent; show only the shape.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("radix", &self.radix)
            .field("n", &self.n)
            .field("tweak_len", &self.tweak_len)
            .finish_non_exhaustive()
    }
}

impl Prepared {
    /// The numeral string length this was prepared for.
    pub fn len(&self) -> usize {
        self.n
    }
    /// Always false: FF1 strings have at least 2 numerals.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
    /// The radix.
    pub fn radix(&self) -> u32 {
        self.radix
    }
    /// The tweak length this was prepared for.
    pub fn tweak_len(&self) -> usize {
        self.tweak_len
    }
    /// `radix^n`, if it fits in a `u128` (needed by the integer interface).
    pub fn domain(&self) -> Option<u128> {
        self.pow_u.checked_mul(self.pow_v)
    }
}

/// `radix^e`, or `None` past `u128`.
fn checked_pow(radix: u32, e: usize) -> Option<u128> {
    let e = u32::try_from(e).ok()?;
    (radix as u128).checked_pow(e)
}

/// Whether `(radix, n)` is within the supported range: `Ok` or `DomainTooSmall` / `ValueTooLong`.
pub fn check_domain(radix: u32, n: usize) -> Result<()> {
    let big_enough = checked_pow(radix, n).is_none_or(|d| d >= MIN_DOMAIN);
    if !big_enough {
        return Err(Error::new(
            ErrorKind::DomainTooSmall,
            format!(
                "format-preserving domain too small: radix {radix} and length {n} give fewer than 1,000,000 values"
            ),
        ));
    }
    let v = n - n / 2;
    if checked_pow(radix, v).is_none_or(|p| p > MAX_HALF_DOMAIN) {
        return Err(Error::new(
            ErrorKind::ValueTooLong,
            format!("value too long for FF1 with radix {radix}: at most {} characters", max_len(radix)),
        ));
    }
    Ok(())
}

/// The shortest length accepted for `radix` (`radix^n >= 1,000,000`).
pub fn min_len(radix: u32) -> usize {
    (1..=MAX_LEN).find(|&n| checked_pow(radix, n).is_none_or(|d| d >= MIN_DOMAIN)).unwrap_or(MAX_LEN)
}

/// The longest length accepted for `radix` (`radix^ceil(n/2) <= 2^96`).
pub fn max_len(radix: u32) -> usize {
    (1..=MAX_LEN).rev().find(|&n| checked_pow(radix, n - n / 2).is_some_and(|p| p <= MAX_HALF_DOMAIN)).unwrap_or(0)
}

/// `NUM_radix(xs)`; the caller guarantees `radix^len(xs) <= 2^96`.
fn num(radix: u32, xs: &[u16]) -> u128 {
    xs.iter().fold(0u128, |acc, &d| acc * radix as u128 + d as u128)
}

/// `STR^len(out)_radix(x)`, most significant numeral first.
fn write_str(radix: u32, x: u128, out: &mut [u16]) {
    // Decimal is the common case: a constant divisor becomes a multiplication.
    if radix == 10 {
        write_str_in(10, x, out)
    } else {
        write_str_in(radix, x, out)
    }
}

#[inline(always)]
fn write_str_in(radix: u32, mut x: u128, out: &mut [u16]) {
    let mut i = out.len();
    // 64-bit divisions are several times cheaper than 128-bit ones: switch as soon as x fits.
    while i > 0 && x > u64::MAX as u128 {
        i -= 1;
        out[i] = (x % radix as u128) as u16;
        x /= radix as u128;
    }
    let mut x = x as u64;
    let r = radix as u64;
    while i > 0 {
        i -= 1;
        out[i] = (x % r) as u16;
        x /= r;
    }
}

/// Adapts a closure over "encrypt one block" to the `cipher` crate's rank-2 backend closure.
struct WithBackend<F>(F);

impl<F> BlockSizeUser for WithBackend<F> {
    type BlockSize = U16;
}

impl<F: FnOnce(&dyn Fn(u128) -> u128)> BlockCipherEncClosure for WithBackend<F> {
    #[inline(always)]
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(self, backend: &B) {
        let enc = |x: u128| {
            let mut block: Array<u8, U16> = Array::from(x.to_be_bytes());
            backend.encrypt_block_inplace(&mut block);
            u128::from_be_bytes(block.into())
        };
        (self.0)(&enc)
    }
}

/// "Encrypt these blocks in place", as handed to the closure of [`WithBlocks`].
type EncryptBlocks<'a> = &'a mut dyn FnMut(&mut [Array<u8, U16>]);

/// Adapts a closure over "encrypt these blocks in place" to the backend closure: full batches of
/// the backend's parallel size, then one call for the rest.
struct WithBlocks<F>(F);

impl<F> BlockSizeUser for WithBlocks<F> {
    type BlockSize = U16;
}

impl<F: FnOnce(EncryptBlocks<'_>)> BlockCipherEncClosure for WithBlocks<F> {
    #[inline(always)]
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(self, backend: &B) {
        (self.0)(&mut |blocks: &mut [Array<u8, U16>]| {
            let (batches, rest) = Array::slice_as_chunks_mut(blocks);
            for batch in batches {
                backend.encrypt_par_blocks_inplace(batch);
            }
            backend.encrypt_tail_blocks_inplace(rest);
        })
    }
}

/// Values interleaved in a batch: round `i` of each is one block, and the blocks of all go to the
/// block cipher in one call, whose cost (for SM4) is mostly latency.
pub(crate) const LANES: usize = 8;

/// One value's work in an interleaved batch: its halves under its own precomputation, and for
/// cycle walking the domain `NUM(A)·radix^v + NUM(B)` must end below.
#[derive(Clone, Copy)]
pub(crate) struct Job {
    pub(crate) p: Prepared,
    pub(crate) a: u128,
    pub(crate) b: u128,
    pub(crate) walk_below: Option<u128>,
}

impl Job {
    /// Cycle-walking FF1 of the integer `x < domain` (see [`Ff1::encrypt_walk`]).
    pub(crate) fn walk(p: Prepared, x: u128, domain: u128) -> Job {
        Job { p, a: x / p.pow_v, b: x % p.pow_v, walk_below: Some(domain) }
    }
    /// The halves as one integer (`< radix^n`).
    pub(crate) fn int(&self) -> u128 {
        self.a * self.p.pow_v + self.b
    }
}

/// `NUM(S) mod modulus` for round `i` on half `x` (`x < radix^v < 2^(8b)`).
#[inline(always)]
fn round(enc: &dyn Fn(u128) -> u128, p: &Prepared, i: u8, x: u128, modulus: u128) -> u128 {
    // The last block of Q is base ^ ([i] || NUM_b(x)): [i] sits just before the last b bytes.
    let r = enc(p.base ^ ((i as u128) << (8 * p.b)) ^ x);
    (r >> p.shift) % modulus
}

/// FF1.Encrypt steps 6–7 on halves `a < radix^u`, `b < radix^v`.
fn feistel_encrypt(enc: &dyn Fn(u128) -> u128, p: &Prepared, mut a: u128, mut b: u128) -> (u128, u128) {
    for i in 0..10u8 {
        let m = if i % 2 == 0 { p.pow_u } else { p.pow_v };
        let y = round(enc, p, i, b, m);
        // a < m and y < m, so one conditional subtraction reduces.
        let c = a + y;
        let c = if c >= m { c - m } else { c };
        a = b;
        b = c;
    }
    (a, b)
}

/// FF1.Decrypt steps 6–7.
fn feistel_decrypt(enc: &dyn Fn(u128) -> u128, p: &Prepared, mut a: u128, mut b: u128) -> (u128, u128) {
    for i in (0..10u8).rev() {
        let m = if i % 2 == 0 { p.pow_u } else { p.pow_v };
        let y = round(enc, p, i, a, m);
        let c = if b >= y { b - y } else { b + m - y };
        b = a;
        a = c;
    }
    (a, b)
}

impl<C: BlockCipherEncrypt<BlockSize = U16>> Ff1<C> {
    /// FF1 under `cipher` for `radix` (2 to 65536; otherwise `InvalidArgument`).
    pub fn new(cipher: C, radix: u32) -> Result<Ff1<C>> {
        if !(2..=MAX_RADIX).contains(&radix) {
            return Err(Error::new(ErrorKind::InvalidArgument, "FF1 radix must be between 2 and 65536"));
        }
        Ok(Ff1 { cipher, radix })
    }

    /// The radix.
    pub fn radix(&self) -> u32 {
        self.radix
    }

    /// Runs `f` with the block cipher's backend held open. Some backends pay a setup per call
    /// (the AES crate's VAES path broadcasts all round keys, ~100 ns); entering once per value
    /// instead of once per block makes a 10-round FF1 several times faster.
    fn with_enc<R>(&self, f: impl FnOnce(&dyn Fn(u128) -> u128) -> R) -> Result<R> {
        let mut out = None;
        self.cipher.encrypt_with_backend(WithBackend(|enc: &dyn Fn(u128) -> u128| out = Some(f(enc))));
        out.ok_or_else(|| Error::new(ErrorKind::Internal, "block cipher backend did not run"))
    }

    /// Precomputes the CBC-MAC of `P` and of the tweak for strings of `n` numerals.
    /// Errors: `DomainTooSmall`, `ValueTooLong` (see [`check_domain`]), `InvalidArgument` for a tweak
    /// longer than 2^32 - 1 bytes.
    pub fn prepare(&self, tweak: &[u8], n: usize) -> Result<Prepared> {
        check_domain(self.radix, n)?;
        let t = u32::try_from(tweak.len())
            .map_err(|_| Error::new(ErrorKind::InvalidArgument, "FF1 tweak longer than 2^32 - 1 bytes"))?;
        let (u, v) = (n / 2, n - n / 2);
        let (Some(pow_u), Some(pow_v)) = (checked_pow(self.radix, u), checked_pow(self.radix, v)) else {
            return Err(Error::new(ErrorKind::Internal, "domain check disagrees with the half sizes"));
        };
        // b = ceil(ceil(v * log2(radix)) / 8) = bytes of radix^v - 1, computed exactly.
        let b = (128 - (pow_v - 1).leading_zeros() as usize).div_ceil(8);
        let d = 4 * b.div_ceil(4) + 4;
        // P = [1, 2, 1] || [radix]^3 || [10] || [u mod 256] || [n]^4 || [t]^4.
        let mut p = [0u8; 16];
        p[..3].copy_from_slice(&[1, 2, 1]);
        p[3..6].copy_from_slice(&self.radix.to_be_bytes()[1..]);
        p[6] = 10;
        p[7] = (u % 256) as u8;
        p[8..12].copy_from_slice(&(n as u32).to_be_bytes());
        p[12..16].copy_from_slice(&t.to_be_bytes());
        let after_p = self.with_enc(|enc| enc(u128::from_be_bytes(p)))?;
        let mut prepared = Prepared {
            radix: self.radix,
            n,
            u,
            b,
            shift: 8 * (16 - d as u32),
            pow_u,
            pow_v,
            tweak_len: tweak.len(),
            after_p,
            base: 0,
        };
        prepared.base = self.absorb_tweak(&prepared, tweak)?;
        Ok(prepared)
    }

    /// `prepared` with another tweak of the same length: no block encryption at all when
    /// `tweak_len + b + 1 <= 16` (e.g. a 6-byte tweak with up to 9-byte halves).
    /// `InvalidArgument` if the length differs.
    pub fn retweak(&self, prepared: &Prepared, tweak: &[u8]) -> Result<Prepared> {
        if tweak.len() != prepared.tweak_len || prepared.radix != self.radix {
            return Err(Error::new(ErrorKind::InvalidArgument, "tweak length differs from the prepared one"));
        }
        Ok(Prepared { base: self.absorb_tweak(prepared, tweak)?, ..*prepared })
    }

    /// CBC-MAC over `Q = T || [0]^((-t-b-1) mod 16) || [i] || [NUM(B)]^b` with `i = 0, B = 0`, up to
    /// (and XORed with, not encrypting) its last block.
    fn absorb_tweak(&self, p: &Prepared, tweak: &[u8]) -> Result<u128> {
        let t = tweak.len();
        let pad = (16 - (t + p.b + 1) % 16) % 16;
        let q_len = t + pad + p.b + 1;
        let chunk = |start: usize| {
            let mut block = [0u8; 16];
            for (k, byte) in block.iter_mut().enumerate() {
                *byte = tweak.get(start + k).copied().unwrap_or(0);
            }
            u128::from_be_bytes(block)
        };
        let last = q_len - 16;
        if last == 0 {
            // The usual case (short tweak): Q is one block, no encryption needed.
            return Ok(p.after_p ^ chunk(0));
        }
        self.with_enc(|enc| {
            let mut h = p.after_p;
            for start in (0..last).step_by(16) {
                h = enc(h ^ chunk(start));
            }
            h ^ chunk(last)
        })
    }

    /// Encrypts the halves `(NUM(A), NUM(B))` of a string of `p.len()` numerals. Requires
    /// `a < radix^u`, `b < radix^v` (checked: `InvalidInput`).
    pub fn encrypt_halves(&self, p: &Prepared, a: u128, b: u128) -> Result<(u128, u128)> {
        self.check_halves(p, a, b)?;
        self.with_enc(|enc| feistel_encrypt(enc, p, a, b))
    }

    /// Inverse of [`encrypt_halves`](Self::encrypt_halves).
    pub fn decrypt_halves(&self, p: &Prepared, a: u128, b: u128) -> Result<(u128, u128)> {
        self.check_halves(p, a, b)?;
        self.with_enc(|enc| feistel_decrypt(enc, p, a, b))
    }

    /// FF1 on up to [`LANES`] jobs at once, round by round (see [`Job`]); each job as
    /// [`encrypt_halves`](Self::encrypt_halves) or, with `walk_below`, as
    /// [`encrypt_walk`](Self::encrypt_walk) would leave it.
    pub(crate) fn crypt_jobs(&self, jobs: &mut [Job], encrypt: bool) -> Result<()> {
        if jobs.len() > LANES {
            return Err(Error::new(ErrorKind::Internal, "too many FF1 jobs for one batch"));
        }
        for j in jobs.iter() {
            self.check_halves(&j.p, j.a, j.b)?;
            if j.walk_below.is_some_and(|d| j.int() >= d || j.p.domain().is_none_or(|full| d > full)) {
                return Err(Error::new(ErrorKind::InvalidInput, "FF1 integer outside its domain"));
            }
        }
        let mut ran = false;
        let f = |enc: EncryptBlocks<'_>| {
            let mut blocks = [Array::<u8, U16>::default(); LANES];
            // Indexes of the jobs still running (all, then those whose walk goes on).
            let mut active_buf: [usize; LANES] = core::array::from_fn(|k| k);
            let mut count = jobs.len();
            while count > 0 {
                let active = &active_buf[..count];
                for r in 0..10u8 {
                    let i = if encrypt { r } else { 9 - r };
                    for (block, &k) in blocks.iter_mut().zip(active) {
                        let j = &jobs[k];
                        let x = if encrypt { j.b } else { j.a };
                        *block = Array::from((j.p.base ^ ((i as u128) << (8 * j.p.b)) ^ x).to_be_bytes());
                    }
                    enc(&mut blocks[..count]);
                    for (block, &k) in blocks.iter().zip(active) {
                        let j = &mut jobs[k];
                        let m = if i % 2 == 0 { j.p.pow_u } else { j.p.pow_v };
                        let y = (u128::from_be_bytes((*block).into()) >> j.p.shift) % m;
                        if encrypt {
                            let c = j.a + y;
                            (j.a, j.b) = (j.b, if c >= m { c - m } else { c });
                        } else {
                            let c = if j.b >= y { j.b - y } else { j.b + m - y };
                            (j.b, j.a) = (j.a, c);
                        }
                    }
                }
                let mut kept = 0;
                for k in 0..count {
                    let j = active_buf[k];
                    if jobs[j].walk_below.is_some_and(|d| jobs[j].int() >= d) {
                        active_buf[kept] = j;
                        kept += 1;
                    }
                }
                count = kept;
            }
            blocks.iter_mut().for_each(|b| zeroize::Zeroize::zeroize(b.as_mut_slice()));
            ran = true;
        };
        self.cipher.encrypt_with_backend(WithBlocks(f));
        if !ran {
            return Err(Error::new(ErrorKind::Internal, "block cipher backend did not run"));
        }
        Ok(())
    }

    fn check_halves(&self, p: &Prepared, a: u128, b: u128) -> Result<()> {
        if p.radix != self.radix {
            return Err(Error::new(ErrorKind::InvalidArgument, "prepared for another radix"));
        }
        if a >= p.pow_u || b >= p.pow_v {
            return Err(Error::new(ErrorKind::InvalidInput, "FF1 half outside its domain"));
        }
        Ok(())
    }

    /// Encrypts `x < radix^n` as the integer `NUM_radix(X)` (`InvalidInput` otherwise, and also
    /// when `radix^n` does not fit a `u128`).
    pub fn encrypt_int(&self, p: &Prepared, x: u128) -> Result<u128> {
        self.walk(p, x, p.domain().unwrap_or(0), true)
    }

    /// Inverse of [`encrypt_int`](Self::encrypt_int).
    pub fn decrypt_int(&self, p: &Prepared, x: u128) -> Result<u128> {
        self.walk(p, x, p.domain().unwrap_or(0), false)
    }

    /// Format-preserving encryption of `x` over `[0, domain)` for any `domain` with
    /// `domain <= radix^n`: FF1 applied to its own output until the result is below `domain`
    /// (cycle walking). Terminates because `x` lies on the permutation's cycle; the expected
    /// number of FF1 calls is `radix^n / domain`. `InvalidInput` unless `x < domain <= radix^n`.
    pub fn encrypt_walk(&self, p: &Prepared, x: u128, domain: u128) -> Result<u128> {
        self.walk(p, x, domain, true)
    }

    /// Inverse of [`encrypt_walk`](Self::encrypt_walk).
    pub fn decrypt_walk(&self, p: &Prepared, x: u128, domain: u128) -> Result<u128> {
        self.walk(p, x, domain, false)
    }

    fn walk(&self, p: &Prepared, x: u128, domain: u128, encrypt: bool) -> Result<u128> {
        if p.radix != self.radix {
            return Err(Error::new(ErrorKind::InvalidArgument, "prepared for another radix"));
        }
        if !(x < domain && p.domain().is_some_and(|d| domain <= d)) {
            return Err(Error::new(ErrorKind::InvalidInput, "FF1 integer outside its domain"));
        }
        self.with_enc(|enc| {
            let step = |z: u128| {
                let (a, b) = (z / p.pow_v, z % p.pow_v);
                let (a, b) = if encrypt { feistel_encrypt(enc, p, a, b) } else { feistel_decrypt(enc, p, a, b) };
                a * p.pow_v + b
            };
            let mut y = step(x);
            while y >= domain {
                y = step(y);
            }
            y
        })
    }

    /// Encrypts numerals in place (`x.len()` must be `p.len()`; each numeral `< radix`, else
    /// `OutsideAlphabet` with the numeral's index as offset).
    pub fn encrypt_in_place(&self, p: &Prepared, x: &mut [u16]) -> Result<()> {
        let (a, b) = self.numerals_to_halves(p, x)?;
        let (a, b) = self.encrypt_halves(p, a, b)?;
        write_str(self.radix, a, &mut x[..p.u]);
        write_str(self.radix, b, &mut x[p.u..]);
        Ok(())
    }

    /// Decrypts numerals in place.
    pub fn decrypt_in_place(&self, p: &Prepared, x: &mut [u16]) -> Result<()> {
        let (a, b) = self.numerals_to_halves(p, x)?;
        let (a, b) = self.decrypt_halves(p, a, b)?;
        write_str(self.radix, a, &mut x[..p.u]);
        write_str(self.radix, b, &mut x[p.u..]);
        Ok(())
    }

    fn numerals_to_halves(&self, p: &Prepared, x: &[u16]) -> Result<(u128, u128)> {
        if x.len() != p.n {
            return Err(Error::new(ErrorKind::InvalidArgument, "numeral string length differs from the prepared one"));
        }
        if let Some(i) = x.iter().position(|&d| d as u32 >= self.radix) {
            return Err(Error::new(ErrorKind::OutsideAlphabet, "numeral not less than the radix").at_offset(i as u64));
        }
        Ok((num(self.radix, &x[..p.u]), num(self.radix, &x[p.u..])))
    }

    /// One-shot encryption of a numeral string (prepares, then encrypts a copy).
    pub fn encrypt(&self, tweak: &[u8], x: &[u16]) -> Result<Vec<u16>> {
        let p = self.prepare(tweak, x.len())?;
        let mut out = x.to_vec();
        self.encrypt_in_place(&p, &mut out)?;
        Ok(out)
    }

    /// One-shot decryption of a numeral string.
    pub fn decrypt(&self, tweak: &[u8], x: &[u16]) -> Result<Vec<u16>> {
        let p = self.prepare(tweak, x.len())?;
        let mut out = x.to_vec();
        self.decrypt_in_place(&p, &mut out)?;
        Ok(out)
    }
}

/// FF1 under a suite's block cipher: AES-256 ([`Suite::Aes`]) or SM4 ([`Suite::Sm`]).
/// Crate-internal glue for the field ciphers, which get their keys from a keyset.
// One per column and never moved in a loop: keeping the AES key schedule inline saves a pointer
// chase per block.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub(crate) enum SuiteFf1 {
    Aes(Ff1<aes::Aes256>),
    Sm(Ff1<sm4_ct::Sm4>),
}

macro_rules! dispatch {
    ($self:ident, $f:ident => $e:expr) => {
        match $self {
            SuiteFf1::Aes($f) => $e,
            SuiteFf1::Sm($f) => $e,
        }
    };
}

impl SuiteFf1 {
    /// From a derived key (32 bytes for AES-256, 16 for SM4).
    pub(crate) fn new(suite: Suite, key: &[u8], radix: u32) -> Result<SuiteFf1> {
        let bad_key = |_| Error::new(ErrorKind::Internal, "derived key has the wrong length for the suite");
        Ok(match suite {
            Suite::Aes => SuiteFf1::Aes(Ff1::new(aes::Aes256::new_from_slice(key).map_err(bad_key)?, radix)?),
            Suite::Sm => SuiteFf1::Sm(Ff1::new(sm4_ct::Sm4::new_from_slice(key).map_err(bad_key)?, radix)?),
        })
    }
    pub(crate) fn prepare(&self, tweak: &[u8], n: usize) -> Result<Prepared> {
        dispatch!(self, f => f.prepare(tweak, n))
    }
    pub(crate) fn retweak(&self, p: &Prepared, tweak: &[u8]) -> Result<Prepared> {
        dispatch!(self, f => f.retweak(p, tweak))
    }
    pub(crate) fn encrypt_halves(&self, p: &Prepared, a: u128, b: u128) -> Result<(u128, u128)> {
        dispatch!(self, f => f.encrypt_halves(p, a, b))
    }
    pub(crate) fn decrypt_halves(&self, p: &Prepared, a: u128, b: u128) -> Result<(u128, u128)> {
        dispatch!(self, f => f.decrypt_halves(p, a, b))
    }
    pub(crate) fn crypt_jobs(&self, jobs: &mut [Job], encrypt: bool) -> Result<()> {
        dispatch!(self, f => f.crypt_jobs(jobs, encrypt))
    }
}

/// Wipes the halves (plaintext or ciphertext numerals) of `jobs`.
fn wipe(jobs: &mut [Job]) {
    for j in jobs {
        zeroize::Zeroize::zeroize(&mut j.a);
        zeroize::Zeroize::zeroize(&mut j.b);
    }
}

/// The column path of the format-preserving ciphers: `parse` turns each value into a [`Job`] and
/// what `finish` needs to write the result; [`LANES`] values at a time run through FF1 together.
/// A value that does not parse or write is handled as `on_invalid` says, and an error names the
/// first failing row, as in [`map_column`](crate::column::map_column). Jobs hold plaintext halves
/// and are wiped after use.
pub(crate) fn interleaved_column<V: Values + ?Sized, T>(
    values: &V,
    bytes_each: usize,
    ff1: &SuiteFf1,
    encrypt: bool,
    on_invalid: OnInvalid,
    mut parse: impl FnMut(&[u8]) -> Result<(Job, T)>,
    mut finish: impl FnMut(&T, &Job, &mut Vec<u8>) -> Result<()>,
) -> Result<Column> {
    let n = values.count();
    let mut out = Column::with_capacity(n, bytes_each);
    let mut jobs: Vec<Job> = Vec::with_capacity(LANES);
    let mut context: Vec<T> = Vec::with_capacity(LANES);
    // The values of one chunk that did not parse, by row, in order.
    let mut failed: Vec<(usize, Error)> = Vec::new();
    for start in (0..n).step_by(LANES) {
        let end = (start + LANES).min(n);
        for i in start..end {
            match parse(values.value(i)) {
                Ok((job, ctx)) => {
                    jobs.push(job);
                    context.push(ctx);
                }
                Err(e) => failed.push((i, e)),
            }
        }
        let r = ff1.crypt_jobs(&mut jobs, encrypt).map_err(|e| e.at_row(start as u64)).and_then(|()| {
            // Emit the chunk in row order: finished jobs and failed values interleave.
            let (mut done, mut failed) = (jobs.iter().zip(context.iter()), failed.drain(..).peekable());
            (start..end).try_for_each(|i| match failed.next_if(|(row, _)| *row == i) {
                Some((_, e)) => out.push_invalid(i, values.value(i), on_invalid, e),
                None => {
                    let (job, ctx) = done.next().ok_or_else(|| Error::new(ErrorKind::Internal, "FF1 job count"))?;
                    match out.push_with(|buf| finish(ctx, job, buf)) {
                        Ok(()) => Ok(()),
                        Err(e) => out.push_invalid(i, values.value(i), on_invalid, e),
                    }
                }
            })
        });
        // The halves are plaintext or ciphertext numerals: wipe them on every exit.
        wipe(&mut jobs);
        jobs.clear();
        context.clear();
        failed.clear();
        r?;
    }
    Ok(out)
}

/// Splits numerals into FF1 halves `(NUM(X[..u]), NUM(X[u..]))` for `n = xs.len()`.
pub(crate) fn halves(radix: u32, xs: &[u16]) -> (u128, u128) {
    let u = xs.len() / 2;
    (num(radix, &xs[..u]), num(radix, &xs[u..]))
}

/// Writes halves back as `n = out.len()` numerals.
pub(crate) fn unhalves(radix: u32, a: u128, b: u128, out: &mut [u16]) {
    let u = out.len() / 2;
    write_str(radix, a, &mut out[..u]);
    write_str(radix, b, &mut out[u..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        assert_eq!((min_len(10), max_len(10)), (6, 56));
        assert_eq!((min_len(2), max_len(2)), (20, 192));
        assert_eq!((min_len(36), max_len(36)), (4, 36));
        assert_eq!((min_len(62), max_len(62)), (4, 32));
        assert_eq!((min_len(65536), max_len(65536)), (2, 12));
        assert_eq!(check_domain(10, 5).unwrap_err().kind(), ErrorKind::DomainTooSmall);
        assert_eq!(check_domain(10, 57).unwrap_err().kind(), ErrorKind::ValueTooLong);
        check_domain(10, 56).unwrap();
    }

    #[test]
    fn b_matches_the_float_formula() {
        for radix in [2u32, 3, 10, 26, 36, 62, 255, 256, 1000, 65535, 65536] {
            for v in 1..=max_len(radix).div_ceil(2) {
                let pow = checked_pow(radix, v).unwrap();
                let exact = (128 - (pow - 1).leading_zeros() as usize).div_ceil(8);
                let float = ((v as f64 * (radix as f64).log2()).ceil() / 8.0).ceil() as usize;
                assert_eq!(exact, float, "radix {radix} v {v}");
            }
        }
    }

    /// Batches give what single calls give, including cycle walks that take several FF1 passes
    /// for some lanes only (radix 2, 20 bits, domain 1,000,003: about 5 % of steps walk on).
    #[test]
    fn batched_jobs_equal_single_calls() {
        use cipher::KeyInit;
        let f = Ff1::new(sm4_ct::Sm4::new_from_slice(&[3u8; 16]).unwrap(), 2).unwrap();
        let p = f.prepare(b"110105", 20).unwrap();
        let domain = 1_000_003u128;
        for start in (0..domain).step_by(40_009) {
            let xs: Vec<u128> = (0..LANES as u128).map(|k| (start + k * 977) % domain).collect();
            for encrypt in [true, false] {
                let mut jobs: Vec<Job> = xs.iter().map(|&x| Job::walk(p, x, domain)).collect();
                f.crypt_jobs(&mut jobs, encrypt).unwrap();
                for (job, &x) in jobs.iter().zip(&xs) {
                    let single = if encrypt { f.encrypt_walk(&p, x, domain) } else { f.decrypt_walk(&p, x, domain) };
                    assert_eq!(job.int(), single.unwrap());
                }
            }
        }
        let mut too_many = vec![Job::walk(p, 0, domain); LANES + 1];
        assert_eq!(f.crypt_jobs(&mut too_many, true).unwrap_err().kind(), ErrorKind::Internal);
        let mut outside = [Job::walk(p, domain, domain)];
        assert_eq!(f.crypt_jobs(&mut outside, true).unwrap_err().kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn str_num_round_trip() {
        let mut out = [0u16; 30];
        for &x in &[0u128, 1, 12345, u64::MAX as u128 + 7, (1u128 << 96) - 1] {
            write_str(10, x, &mut out);
            assert_eq!(num(10, &out), x);
        }
    }
}
