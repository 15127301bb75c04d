//! Hazardous materials: the few public items that hand out key bytes or whose correct use is a
//! matter of care rather than of types. Everything else in the crate keeps keys inside: callers
//! obtain ciphers and maskers from a keyset, never keys. Use these only to check test vectors or to
//! interoperate with another implementation, and never log what they return.
//!
//! - [`derive_key`]: the key a cipher derives for (key version, use, context), as bytes.
//! - [`ff1`]: raw FF1 over a block cipher the caller keys, and its precomputation ([`ff1::Prepared`]),
//!   which is correct only with the [`ff1::Ff1`] that made it.
//!
//! Outside this module, no public function returns key bytes unless its name says `insecure`
//! (`tests/public_api.rs` checks the sources). The keyset's derivation method is not public:
//!
//! ```compile_fail
//! use privshare::keys::{DerivationContext, KeyUse};
//! let ks = privshare::Keyset::generate(privshare::Suite::Aes).unwrap();
//! let _ = ks.derive(ks.primary_id(), KeyUse::Token, DerivationContext::Purpose("p"));
//! ```
//!
//! The same derivation, through the name that warns:
//!
//! ```
//! use privshare::keys::{DerivationContext, KeyUse};
//! let ks = privshare::Keyset::generate(privshare::Suite::Aes)?;
//! let (suite, key) = privshare::hazmat::derive_key(&ks, ks.primary_id(), KeyUse::Token, DerivationContext::Purpose("p"))?;
//! assert_eq!((suite, key.expose().len()), (privshare::Suite::Aes, 32));
//! # Ok::<(), privshare::Error>(())
//! ```

use crate::keys::{DerivationContext, KeyId, KeyUse, Keyset, SecretBytes};
use crate::{Result, Suite};
use std::sync::Arc;

/// The key `keyset` derives for (`key_use`, `ctx`) under version `id`, with the version's suite
/// (`docs/formats/keyset.md`, "Key derivation"). Errors: `UnknownKey`, `KeyDisabled`,
/// `KeyDestroyed`.
pub fn derive_key(
    keyset: &Keyset,
    id: KeyId,
    key_use: KeyUse,
    ctx: DerivationContext<'_>,
) -> Result<(Suite, Arc<SecretBytes>)> {
    keyset.derive(id, key_use, ctx)
}

/// FF1 (NIST SP 800-38G) over any 128-bit block cipher; see [`Ff1`] for the limits.
pub mod ff1 {
    pub use crate::fle::ff1::{
        check_domain, max_len, min_len, Ff1, Prepared, MAX_HALF_DOMAIN, MAX_LEN, MAX_RADIX, MIN_DOMAIN,
    };
}
