//! HMAC in the keyset's suite: HMAC-SHA-256 or HMAC-SM3, both RustCrypto `Hmac` (keyed state
//! wiped on drop). Shared by linkage tokens and keyed masking rules.

use crate::Suite;
use hmac::KeyInit;

/// A keyed 32-byte MAC. Takes any key length (so that the standard vectors run through it unchanged).
#[derive(Clone)]
pub(crate) enum SuiteMac {
    Sha256(hmac::Hmac<sha2::Sha256>),
    Sm3(hmac::Hmac<sm3::Sm3>),
}

impl SuiteMac {
    pub(crate) fn new(suite: Suite, key: &[u8]) -> SuiteMac {
        // HMAC accepts keys of every length, so neither can fail.
        const ANY_LENGTH: &str = "HMAC takes any key length";
        match suite {
            Suite::Aes => SuiteMac::Sha256(hmac::Hmac::new_from_slice(key).expect(ANY_LENGTH)),
            Suite::Sm => SuiteMac::Sm3(hmac::Hmac::new_from_slice(key).expect(ANY_LENGTH)),
        }
    }

    /// The 32-byte tag of `msg`. The keyed state (inner and outer pads absorbed) is cloned, not
    /// recomputed; the clone is wiped when it is finalized.
    pub(crate) fn mac(&self, msg: &[u8]) -> [u8; 32] {
        fn tag<M: hmac::Mac + Clone>(keyed: &M, msg: &[u8]) -> [u8; 32] {
            let mut m = keyed.clone();
            m.update(msg);
            let mut out = [0u8; 32];
            out.copy_from_slice(&m.finalize().into_bytes());
            out
        }
        match self {
            SuiteMac::Sha256(keyed) => tag(keyed, msg),
            SuiteMac::Sm3(keyed) => tag(keyed, msg),
        }
    }
}
