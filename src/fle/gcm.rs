//! GCM (NIST SP 800-38D) with a 96-bit nonce and a 128-bit tag over a 128-bit block cipher
//! (AES-256 or SM4), composed from RustCrypto's block cipher and GHASH, whose key schedules and
//! hash keys are wiped when dropped.
//!
//! Why not the `aes-gcm` crate (the same parts, also wiped): it encrypts a value's blocks one after
//! the other, each waiting for the last, and rehashes the whole associated data per value, which made
//! a column of short values 2.5× slower than ring (0.40×; the target is ≥ 0.7×). Here a column
//! ([`GcmSession`]) encrypts the counter blocks of many consecutive nonces in one parallel call
//! (batches count their nonces up, see `sealer::NonceSource`), and hashes the column's fixed
//! associated-data prefix once. The output is plain GCM: the Wycheproof vectors and a cross-check
//! against ring run through both paths.
//!
//! GCM: `J0 = nonce || 0x00000001`; block `i` of the body is XORed with `E(K, nonce || i + 1)`;
//! `tag = E(K, J0) ^ GHASH_H(aad padded || ciphertext padded || u64 bits(aad) || u64 bits(ct))`
//! with `H = E(K, 0^128)`.

use super::aead::{AeadSession, Failed, FieldAead};
use super::format::{NONCE_LEN, TAG_LEN};
use cipher::consts::U16;
use cipher::{
    BlockCipherEncBackend, BlockCipherEncClosure, BlockCipherEncrypt, BlockSizeUser, KeyInit, ParBlocksSizeUser,
};
use ghash::universal_hash::UniversalHash;
use ghash::GHash;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

type Block = cipher::Array<u8, U16>;

/// A block cipher GCM accepts here (AES-256, SM4).
pub(crate) trait GcmBlockCipher:
    BlockSizeUser<BlockSize = U16> + BlockCipherEncrypt + KeyInit + Send + Sync + 'static
{
}
impl<C> GcmBlockCipher for C where
    C: BlockSizeUser<BlockSize = U16> + BlockCipherEncrypt + KeyInit + Send + Sync + 'static
{
}

/// The longest plaintext GCM allows (2^39 - 256 bits); field values are far shorter.
const MAX_LEN: u64 = (1 << 36) - 32;

/// GCM under one key: the block cipher's key schedule and GHASH keyed with `H`.
pub(crate) struct Gcm<C: GcmBlockCipher> {
    cipher: C,
    ghash: GHash,
}

impl<C: GcmBlockCipher> Gcm<C> {
    pub(crate) fn new(key: &[u8]) -> Result<Self, Failed> {
        let cipher = C::new_from_slice(key).map_err(|_| Failed)?;
        let mut h = Block::default();
        cipher.encrypt_block(&mut h);
        let ghash = GHash::new(&h);
        h.zeroize();
        Ok(Gcm { cipher, ghash })
    }

    /// Encrypts `blocks` in place in one call into the cipher (see [`EncryptAll`]).
    fn encrypt_all(&self, blocks: &mut [Block]) {
        self.cipher.encrypt_with_backend(EncryptAll(blocks));
    }

    /// `E(K, J0)` followed by the keystream of a `len`-byte body, for `nonce`, into `out` (cleared).
    fn keystream(&self, nonce: &[u8; NONCE_LEN], len: usize, out: &mut Vec<Block>) {
        out.clear();
        counter_blocks(nonce, 1 + len.div_ceil(16), out);
        self.encrypt_all(out);
    }

    /// The tag of `ciphertext` under `aad`, GHASH continuing from `state` (which has absorbed
    /// `aad_len - rest.len()` bytes of the associated data, a multiple of 16) over `rest`.
    fn tag(
        state: &GHash,
        aad_len: usize,
        rest: &[u8],
        ciphertext: &[u8],
        mask: &Block,
        scratch: &mut Vec<u8>,
    ) -> [u8; TAG_LEN] {
        // One contiguous input so that GHASH takes several blocks per step where it can; on the
        // stack when it is short.
        let rest_padded = rest.len().next_multiple_of(16);
        let total = rest_padded + ciphertext.len().next_multiple_of(16) + 16;
        let mut small = [0u8; 256];
        let input: &mut [u8] = if total <= small.len() {
            &mut small[..total]
        } else {
            scratch.clear();
            scratch.resize(total, 0);
            scratch
        };
        input[..rest.len()].copy_from_slice(rest);
        input[rest_padded..rest_padded + ciphertext.len()].copy_from_slice(ciphertext);
        input[total - 16..total - 8].copy_from_slice(&((aad_len as u64) * 8).to_be_bytes());
        input[total - 8..].copy_from_slice(&((ciphertext.len() as u64) * 8).to_be_bytes());
        let mut g = state.clone();
        g.update_padded(input);
        let mut tag: [u8; TAG_LEN] = g.finalize().into();
        tag.iter_mut().zip(mask.iter()).for_each(|(t, m)| *t ^= m);
        tag
    }
}

fn nonce_array(nonce: &[u8]) -> Result<&[u8; NONCE_LEN], Failed> {
    nonce.try_into().map_err(|_| Failed)
}

fn check_lengths(aad: &[u8], body: &[u8]) -> Result<(), Failed> {
    if body.len() as u64 > MAX_LEN || aad.len() as u64 > MAX_LEN {
        return Err(Failed);
    }
    Ok(())
}

/// Appends the counter blocks `nonce || 1`, `nonce || 2`, ... (`count` of them) to `out`.
fn counter_blocks(nonce: &[u8; NONCE_LEN], count: usize, out: &mut Vec<Block>) {
    let mut block = Block::default();
    block[..NONCE_LEN].copy_from_slice(nonce);
    for i in 1..=count {
        block[NONCE_LEN..].copy_from_slice(&(i as u32).to_be_bytes());
        out.push(block);
    }
}

/// XORs `keystream` (whole blocks, at least as long as `body`) into `body`.
fn xor_keystream(body: &mut [u8], keystream: &[Block]) {
    for (chunk, k) in body.chunks_mut(16).zip(keystream) {
        chunk.iter_mut().zip(k.iter()).for_each(|(b, k)| *b ^= k);
    }
}

fn wipe(blocks: &mut [Block]) {
    blocks.iter_mut().for_each(|b| b.as_mut_slice().zeroize());
}

/// Encrypts blocks in place in one call into the cipher's backend: full parallel batches first,
/// then a short remainder one block at a time, or a longer one padded into one more parallel batch
/// (blocks one after the other wait for each other; a parallel batch does not).
struct EncryptAll<'a>(&'a mut [Block]);

impl BlockSizeUser for EncryptAll<'_> {
    type BlockSize = U16;
}

/// Remainders this long or longer, and filling at least a quarter of a parallel batch, go through
/// one padded parallel batch.
const PAD_REMAINDER_FROM: usize = 4;

impl BlockCipherEncClosure for EncryptAll<'_> {
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(self, backend: &B) {
        use cipher::typenum::Unsigned;
        let par = <B as ParBlocksSizeUser>::ParBlocksSize::USIZE;
        let mut chunks = self.0.chunks_exact_mut(par);
        for chunk in &mut chunks {
            // `chunks_exact_mut(par)` yields exactly `par` blocks.
            if let Ok(blocks) = <&mut cipher::ParBlocks<B>>::try_from(chunk) {
                backend.encrypt_par_blocks(blocks.into());
            }
        }
        let rest = chunks.into_remainder();
        if par > 1 && rest.len() >= PAD_REMAINDER_FROM.max(par / 4) {
            let mut padded = cipher::ParBlocks::<B>::default();
            padded[..rest.len()].clone_from_slice(rest);
            backend.encrypt_par_blocks((&mut padded).into());
            rest.clone_from_slice(&padded[..rest.len()]);
            wipe(&mut padded);
        } else {
            for block in rest {
                backend.encrypt_block(block.into());
            }
        }
    }
}

impl<C: GcmBlockCipher> FieldAead for Gcm<C> {
    fn session<'a>(&'a self, aad_prefix: &'a [u8]) -> Box<dyn AeadSession + 'a> {
        Box::new(GcmSession::new(self, aad_prefix))
    }
}

/// Most keystream blocks computed ahead in one refill.
const AHEAD_BLOCKS: usize = 64;

/// GCM for one column on one thread.
///
/// - Keystream ahead: on a nonce it has no keystream for, the session computes the keystream of
///   that nonce and of the nonces that follow it (counting up, as a batch's nonces do), in one
///   parallel call. How many values it computes ahead doubles when the last guess was used up (up
///   to [`AHEAD_BLOCKS`] blocks) and halves when it was not, so a column of unrelated nonces costs
///   about what single calls do.
/// - Associated data: GHASH over the whole 16-byte blocks of the column's fixed prefix is computed
///   once, for the second value that starts with it (a single value gains nothing from it); each
///   value after that hashes only the rest.
///
/// Keystream and GHASH states are wiped when the session ends.
pub(crate) struct GcmSession<'a, C: GcmBlockCipher> {
    gcm: &'a Gcm<C>,
    /// The whole blocks of the associated-data prefix, how many values started with it so far, and
    /// GHASH after it (from the second such value).
    prefix: &'a [u8],
    prefix_seen: usize,
    prefix_state: Option<GHash>,
    /// Keystream ahead: for `values` consecutive nonces from `first`, `per` blocks each (`E(K, J0)`,
    /// then the body's keystream); `used` of them taken so far.
    ahead: Vec<Block>,
    first: u128,
    per: usize,
    values: usize,
    used: usize,
    /// How many values the next refill computes.
    want: usize,
    /// Keystream of a value too long to compute ahead.
    single: Vec<Block>,
    /// GHASH input of one value (public: associated data and ciphertext).
    scratch: Vec<u8>,
}

const NONCE_MASK: u128 = (1 << 96) - 1;

/// Where [`GcmSession::keystream`] left a value's keystream.
#[derive(Clone, Copy)]
enum Found {
    Ahead { at: usize, blocks: usize },
    Single,
}

impl<'a, C: GcmBlockCipher> GcmSession<'a, C> {
    fn new(gcm: &'a Gcm<C>, aad_prefix: &'a [u8]) -> Self {
        GcmSession {
            gcm,
            prefix: &aad_prefix[..aad_prefix.len() / 16 * 16],
            prefix_seen: 0,
            prefix_state: None,
            ahead: Vec::new(),
            first: 0,
            per: 0,
            values: 0,
            used: 0,
            want: 1,
            single: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Makes sure `E(K, J0)` and the keystream of a `len`-byte body under `nonce` are at hand: from
    /// the blocks computed ahead if they cover it, else computed now, with those of the nonces that
    /// follow it.
    fn keystream(&mut self, nonce: &[u8; NONCE_LEN], len: usize) -> Found {
        let mut wide = [0u8; 16];
        wide[4..].copy_from_slice(nonce);
        let n = u128::from_be_bytes(wide);
        let blocks = 1 + len.div_ceil(16);
        let slot = n.wrapping_sub(self.first) & NONCE_MASK;
        if slot < self.values as u128 && blocks <= self.per {
            self.used += 1;
            return Found::Ahead { at: slot as usize * self.per, blocks };
        }
        if self.values > 0 {
            self.want = if self.used >= self.values { self.want * 2 } else { self.want / 2 }.clamp(1, AHEAD_BLOCKS);
        }
        // Room for longer values of the column, unless this is the only value computed.
        let per = if self.want == 1 { blocks } else { blocks.next_power_of_two() };
        if per > AHEAD_BLOCKS {
            wipe(&mut self.single);
            self.gcm.keystream(nonce, len, &mut self.single);
            return Found::Single;
        }
        let values = self.want.min(AHEAD_BLOCKS / per);
        wipe(&mut self.ahead);
        self.ahead.clear();
        for v in 0..values as u128 {
            let next = ((n + v) & NONCE_MASK).to_be_bytes();
            let next: &[u8; NONCE_LEN] = next[4..].try_into().unwrap_or(&[0; NONCE_LEN]);
            counter_blocks(next, per, &mut self.ahead);
        }
        self.gcm.encrypt_all(&mut self.ahead);
        (self.first, self.per, self.values, self.used) = (n, per, values, 1);
        Found::Ahead { at: 0, blocks }
    }

    fn blocks(&self, found: Found) -> &[Block] {
        match found {
            Found::Ahead { at, blocks } => &self.ahead[at..at + blocks],
            Found::Single => &self.single,
        }
    }

    /// The tag of `ciphertext` under `aad`: GHASH from the prefix's state if `aad` starts with the
    /// prefix, else from the start.
    fn tag(&mut self, aad: &[u8], ciphertext: &[u8], mask: &Block) -> [u8; TAG_LEN] {
        let prefixed = !self.prefix.is_empty() && aad.starts_with(self.prefix);
        if prefixed {
            self.prefix_seen += 1;
            if self.prefix_state.is_none() && self.prefix_seen > 1 {
                let mut state = self.gcm.ghash.clone();
                state.update_padded(self.prefix);
                self.prefix_state = Some(state);
            }
        }
        let (state, rest) = match &self.prefix_state {
            Some(state) if prefixed => (state, &aad[self.prefix.len()..]),
            _ => (&self.gcm.ghash, aad),
        };
        Gcm::<C>::tag(state, aad.len(), rest, ciphertext, mask, &mut self.scratch)
    }
}

impl<C: GcmBlockCipher> AeadSession for GcmSession<'_, C> {
    fn seal(&mut self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<[u8; TAG_LEN], Failed> {
        check_lengths(aad, buf)?;
        let found = self.keystream(nonce_array(nonce)?, buf.len());
        let keystream = self.blocks(found);
        let mask = keystream[0];
        xor_keystream(buf, &keystream[1..]);
        Ok(self.tag(aad, buf, &mask))
    }

    fn open(&mut self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8; TAG_LEN]) -> Result<(), Failed> {
        check_lengths(aad, buf)?;
        let found = self.keystream(nonce_array(nonce)?, buf.len());
        let mask = self.blocks(found)[0];
        let expected = self.tag(aad, buf, &mask);
        if !bool::from(expected.ct_eq(tag)) {
            // `buf` is untouched: still the ciphertext.
            return Err(Failed);
        }
        xor_keystream(buf, &self.blocks(found)[1..]);
        Ok(())
    }
}

impl<C: GcmBlockCipher> Drop for GcmSession<'_, C> {
    fn drop(&mut self) {
        wipe(&mut self.ahead);
        wipe(&mut self.single);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seals with a fresh session (a single call) and with one long-lived session fed consecutive
    /// nonces (the column path), and compares both with ring's AES-256-GCM.
    #[test]
    fn agrees_with_ring_on_both_paths() {
        let key: Vec<u8> = (0..32).map(|i| i * 3 + 1).collect();
        let ours = Gcm::<aes::Aes256>::new(&key).unwrap();
        let ring_key =
            ring::aead::LessSafeKey::new(ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, &key).unwrap());
        let prefix: Vec<u8> = (0..70).collect();
        let mut column = ours.session(&prefix);
        let mut start = [0xffu8; 16];
        start[..4].copy_from_slice(&[0; 4]);
        let start = u128::from_be_bytes(start) - 20; // wraps within 96 bits along the way
        let lens = [0usize, 1, 15, 16, 17, 31, 32, 33, 47, 48, 49, 64, 100, 255, 256, 1000, 1025, 4096];
        for i in 0..120u128 {
            let len = lens[i as usize % lens.len()] + (i as usize / lens.len());
            let nonce: [u8; 12] = (((start + i) & NONCE_MASK).to_be_bytes()[4..]).try_into().unwrap();
            // Some values bind a record (the AAD continues after the prefix), some do not start with it.
            let aad: Vec<u8> = match i % 3 {
                0 => prefix.clone(),
                1 => [&prefix[..], &[1, 0, 3, b'r', b'o', b'w'][..]].concat(),
                _ => vec![i as u8; (i % 40) as usize],
            };
            let pt: Vec<u8> = (0..len).map(|j| (j as u8) ^ (i as u8)).collect();
            let mut want = pt.clone();
            let ring_nonce = ring::aead::Nonce::assume_unique_for_key(nonce);
            let want_tag =
                ring_key.seal_in_place_separate_tag(ring_nonce, ring::aead::Aad::from(&aad), &mut want).unwrap();
            for (path, got) in [
                ("single", {
                    let mut b = pt.clone();
                    let t = ours.seal(&nonce, &aad, &mut b).unwrap();
                    (b, t)
                }),
                ("column", {
                    let mut b = pt.clone();
                    let t = column.seal(&nonce, &aad, &mut b).unwrap();
                    (b, t)
                }),
            ] {
                assert_eq!((&got.0, &got.1[..]), (&want, want_tag.as_ref()), "{path}, value {i}, {len} bytes");
            }
            let mut back = want.clone();
            column.open(&nonce, &aad, &mut back, &want_tag.as_ref().try_into().unwrap()).unwrap();
            assert_eq!(back, pt);
            let mut bad = want_tag.as_ref().to_vec();
            bad[(i % 16) as usize] ^= 1;
            let mut untouched = want.clone();
            assert_eq!(column.open(&nonce, &aad, &mut untouched, &bad.try_into().unwrap()), Err(Failed));
            assert_eq!(untouched, want, "a failed open leaves the ciphertext");
        }
    }

    #[test]
    fn rejects_wrong_nonce_and_key_lengths() {
        let gcm = Gcm::<aes::Aes256>::new(&[0; 32]).unwrap();
        assert_eq!(gcm.seal(&[0; 11], b"", &mut []), Err(Failed));
        assert_eq!(gcm.open(&[0; 16], b"", &mut [], &[0; 16]), Err(Failed));
        assert!(Gcm::<aes::Aes256>::new(&[0; 16]).is_err());
        assert!(Gcm::<sm4_ct::Sm4>::new(&[0; 32]).is_err());
    }

    /// The guess of how far to compute ahead grows on consecutive nonces and shrinks on others.
    #[test]
    fn computing_ahead_adapts() {
        let gcm = Gcm::<aes::Aes256>::new(&[5; 32]).unwrap();
        let mut s = GcmSession::new(&gcm, &[]);
        let nonce = |n: u128| -> [u8; 12] { n.to_be_bytes()[4..].try_into().unwrap() };
        for n in 0..40 {
            s.keystream(&nonce(n), 20);
        }
        assert!(s.values >= 8, "consecutive nonces: {} values ahead", s.values);
        for n in 0..40 {
            s.keystream(&nonce(n * 1000 + 7), 20);
        }
        assert!(s.want <= 2, "unrelated nonces: still guessing {} ahead", s.want);
        // Values too long to compute ahead take the single path.
        assert!(matches!(s.keystream(&nonce(1), 16 * AHEAD_BLOCKS), Found::Single));
    }
}
