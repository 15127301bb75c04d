//! HMAC in the keyset's suite: HMAC-SHA-256 through ring (Aes) or HMAC-SM3 through RustCrypto (Sm).
//! Shared by linkage tokens and keyed masking rules.

use crate::Suite;
use hmac::Mac as _;

/// A keyed 32-byte MAC. Takes any key length (so that the standard vectors run through it unchanged).
#[derive(Clone)]
pub(crate) enum SuiteMac {
    Sha256(ring::hmac::Key),
    Sm3(hmac::Hmac<sm3::Sm3>),
}

impl SuiteMac {
    pub(crate) fn new(suite: Suite, key: &[u8]) -> SuiteMac {
        match suite {
            Suite::Aes => SuiteMac::Sha256(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key)),
            // HMAC accepts keys of every length, so this cannot fail.
            Suite::Sm => SuiteMac::Sm3(
                <hmac::Hmac<sm3::Sm3> as hmac::KeyInit>::new_from_slice(key).expect("HMAC takes any key length"),
            ),
        }
    }

    /// The 32-byte tag of `msg`.
    pub(crate) fn mac(&self, msg: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        match self {
            SuiteMac::Sha256(k) => out.copy_from_slice(ring::hmac::sign(k, msg).as_ref()),
            SuiteMac::Sm3(keyed) => {
                // The keyed state (inner and outer pads absorbed) is cloned, not recomputed.
                let mut m = keyed.clone();
                m.update(msg);
                out.copy_from_slice(&m.finalize().into_bytes());
            }
        }
        out
    }
}
