//! # privshare
//!
//! Share data between departments without leaking sensitive attributes: field-level encryption
//! with managed, rotatable keysets, masking, anonymization, and (later) signed exchange envelopes.
//!
//! ```
//! use privshare::{Keyset, Suite};
//! let keyset = Keyset::generate(Suite::Aes)?;
//! assert_eq!(keyset.versions().len(), 1);
//! # Ok::<(), privshare::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod anon;
pub mod error;
pub mod fle;
pub mod io;
pub mod keys;
pub mod mask;
pub mod suite;
pub mod synth;

pub use error::{Error, ErrorKind, Position, Result};
pub use fle::FieldContext;
pub use keys::store::{Argon2Params, KeyEncryptionKey, RawKek};
pub use keys::{KeyId, KeyStatus, Keyset};
pub use suite::Suite;

/// The README's Rust example runs as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
