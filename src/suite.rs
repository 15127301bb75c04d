//! Algorithm suites: every scheme exists once over Western and once over Chinese national algorithms.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An algorithm suite. A key version belongs to exactly one suite, and everything derived from it
/// (field keys, tokens, format-preserving keys) uses that suite's primitives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
pub enum Suite {
    /// AES-256, HMAC-SHA-256, HKDF-SHA-256 (and later Ed25519 / ECDSA P-256).
    Aes = 1,
    /// SM4, HMAC-SM3, HKDF-SM3 (and later SM2), the Chinese national algorithms.
    Sm = 2,
}

impl Suite {
    /// Both suites.
    pub const ALL: [Suite; 2] = [Suite::Aes, Suite::Sm];

    /// The one-byte identifier used in wire formats and key derivation.
    pub fn id(self) -> u8 {
        self as u8
    }

    /// The suite with this wire identifier.
    pub fn from_id(id: u8) -> Option<Suite> {
        match id {
            1 => Some(Suite::Aes),
            2 => Some(Suite::Sm),
            _ => None,
        }
    }

    /// The lowercase name used in JSON and on the command line: `"aes"` or `"sm"`.
    pub fn name(self) -> &'static str {
        match self {
            Suite::Aes => "aes",
            Suite::Sm => "sm",
        }
    }
}

impl fmt::Display for Suite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Suite {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Suite> {
        match s.to_ascii_lowercase().as_str() {
            "aes" => Ok(Suite::Aes),
            "sm" => Ok(Suite::Sm),
            _ => {
                Err(crate::Error::new(crate::ErrorKind::InvalidArgument, "unknown suite (expected \"aes\" or \"sm\")"))
            }
        }
    }
}
