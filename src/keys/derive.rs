//! Per-context key derivation: HKDF (SHA-256 or SM3) from a version's root key.
//!
//! `info` is a fixed label followed by length-prefixed fields, so that no two different contexts
//! can ever produce the same `info` (see `docs/formats/keyset.md`, "Key derivation").

use super::SecretBytes;
use crate::{Error, ErrorKind, Result, Suite};

/// What a derived key is used for. The label enters the derivation, so keys for different uses
/// are independent even in the same context. Labels are part of the format: never change one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyUse {
    /// Randomized AEAD (AES-256-GCM / SM4-GCM).
    Randomized,
    /// Deterministic AEAD (AES-SIV / SM4-SIV).
    Deterministic,
    /// FF1 over a declared alphabet.
    Ff1,
    /// Structure-aware FPE of resident identity numbers.
    ResidentId,
    /// Structure-aware FPE of mobile numbers.
    Mobile,
    /// Structure-aware FPE of bank card numbers.
    BankCard,
    /// Keyed linkage tokens.
    Token,
    /// Keyed hashes used by masking rules.
    MaskHash,
    /// Per-subject date shifts used by masking rules.
    DateShift,
}

impl KeyUse {
    /// The label that enters HKDF's `info`.
    pub fn label(self) -> &'static str {
        match self {
            KeyUse::Randomized => "randomized",
            KeyUse::Deterministic => "deterministic",
            KeyUse::Ff1 => "ff1",
            KeyUse::ResidentId => "fpe-resident-id",
            KeyUse::Mobile => "fpe-mobile",
            KeyUse::BankCard => "fpe-bank-card",
            KeyUse::Token => "token",
            KeyUse::MaskHash => "mask-hash",
            KeyUse::DateShift => "date-shift",
        }
    }

    /// Length in bytes of the key this use needs in `suite`.
    pub fn key_len(self, suite: Suite) -> usize {
        match (self, suite) {
            // AES-256-SIV takes two AES-256 keys; SM4-SIV two SM4 keys.
            (KeyUse::Deterministic, Suite::Aes) => 64,
            (KeyUse::Deterministic, Suite::Sm) => 32,
            // Block-cipher keys.
            (KeyUse::Randomized | KeyUse::Ff1 | KeyUse::ResidentId | KeyUse::Mobile | KeyUse::BankCard, Suite::Aes) => {
                32
            }
            (KeyUse::Randomized | KeyUse::Ff1 | KeyUse::ResidentId | KeyUse::Mobile | KeyUse::BankCard, Suite::Sm) => {
                16
            }
            // HMAC keys: the hash's output length.
            (KeyUse::Token | KeyUse::MaskHash | KeyUse::DateShift, _) => 32,
        }
    }
}

/// The context a key is derived for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DerivationContext<'a> {
    /// A column: `dataset` and `field` names (encryption and FPE).
    Field {
        /// Dataset name.
        dataset: &'a str,
        /// Field (column) name.
        field: &'a str,
    },
    /// A purpose string (tokens): the same purpose links across datasets, different ones do not.
    Purpose(&'a str),
}

const INFO_LABEL: &[u8] = b"privshare/v1/derive";

/// Derives the key for (`suite`, `key_use`, `ctx`) from `root`.
pub(crate) fn derive(
    root: &SecretBytes,
    suite: Suite,
    key_use: KeyUse,
    ctx: DerivationContext<'_>,
) -> Result<SecretBytes> {
    let label = key_use.label().as_bytes();
    let (tag, a, b): (u8, &[u8], &[u8]) = match ctx {
        DerivationContext::Field { dataset, field } => (1, dataset.as_bytes(), field.as_bytes()),
        DerivationContext::Purpose(p) => (2, p.as_bytes(), b""),
    };
    let too_long = || Error::new(ErrorKind::InvalidArgument, "dataset, field or purpose name longer than 65535 bytes");
    let a_len = u16::try_from(a.len()).map_err(|_| too_long())?.to_be_bytes();
    let b_len = u16::try_from(b.len()).map_err(|_| too_long())?.to_be_bytes();
    let l_len = (label.len() as u16).to_be_bytes();
    let suite_id = [suite.id()];
    let tag = [tag];
    let info: [&[u8]; 9] = [INFO_LABEL, &suite_id, &l_len, label, &tag, &a_len, a, &b_len, b];
    let len = key_use.key_len(suite);
    hkdf_expand(suite, root.expose(), &info, len)
}

/// HKDF-Extract with an empty salt, then HKDF-Expand of `info` (the concatenation of the parts).
/// RustCrypto's HKDF over `Hmac`: the PRK's keyed state is wiped when dropped, and the PRK itself
/// here.
pub(crate) fn hkdf_expand(suite: Suite, ikm: &[u8], info: &[&[u8]], len: usize) -> Result<SecretBytes> {
    use zeroize::Zeroize;
    let mut out = zeroize::Zeroizing::new(vec![0u8; len]);
    let expanded = match suite {
        Suite::Aes => {
            let (mut prk, hk) = hkdf::Hkdf::<sha2::Sha256>::extract(None, ikm);
            prk.as_mut_slice().zeroize();
            hk.expand_multi_info(info, &mut out)
        }
        Suite::Sm => {
            let (mut prk, hk) = hkdf::Hkdf::<sm3::Sm3>::extract(None, ikm);
            prk.as_mut_slice().zeroize();
            hk.expand_multi_info(info, &mut out)
        }
    };
    expanded.map_err(|_| Error::new(ErrorKind::Internal, "key derivation failed"))?;
    Ok(SecretBytes::new(std::mem::take(&mut *out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// RFC 5869 A.3 (HKDF-SHA-256, empty salt and info): our Aes path must match it.
    #[test]
    fn rfc5869_a3() {
        let ikm = unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        let okm = hkdf_expand(Suite::Aes, &ikm, &[], 42).unwrap();
        assert_eq!(
            okm.expose(),
            unhex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8").as_slice()
        );
    }

    #[test]
    fn contexts_are_separated() {
        let root = SecretBytes::from_slice(&[7u8; 32]);
        for suite in Suite::ALL {
            let f = |u, d, fl| derive(&root, suite, u, DerivationContext::Field { dataset: d, field: fl }).unwrap();
            let a = f(KeyUse::Randomized, "ab", "c");
            assert_eq!(a, f(KeyUse::Randomized, "ab", "c"));
            assert_ne!(a, f(KeyUse::Randomized, "a", "bc"));
            assert_ne!(a, f(KeyUse::Deterministic, "ab", "c"));
            let p = derive(&root, suite, KeyUse::Token, DerivationContext::Purpose("ab")).unwrap();
            assert_ne!(p, f(KeyUse::Token, "ab", ""));
        }
    }

    /// Wycheproof HKDF-SHA-256: every vector with an empty salt (the only salt `hkdf_expand` uses)
    /// must match; every invalid vector (output too long) must be refused whatever its salt.
    #[test]
    fn wycheproof_hkdf_sha256() {
        use wycheproof::{hkdf, TestResult};
        let set = hkdf::TestSet::load(hkdf::TestName::HkdfSha256).unwrap();
        let (mut valid, mut invalid) = (0, 0);
        for t in set.test_groups.iter().flat_map(|g| &g.tests) {
            let got = hkdf_expand(Suite::Aes, &t.ikm, &[&t.info[..]], t.size);
            match t.result {
                TestResult::Invalid => {
                    assert_eq!(got.unwrap_err().kind(), ErrorKind::Internal, "tc {}", t.tc_id);
                    invalid += 1;
                }
                _ if t.salt.is_empty() => {
                    assert_eq!(got.unwrap().expose(), &t.okm[..], "tc {}", t.tc_id);
                    valid += 1;
                }
                _ => {}
            }
        }
        assert!(valid >= 20 && invalid >= 1, "{valid} valid, {invalid} invalid vectors ran");
    }
}
