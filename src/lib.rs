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

// Floors, lowest first; a module imports only from floors below its own (`tests/layers.rs`).
// Ground: error, suite, column, ids, io. Then keys. Then fle, mask, anon. Then envelope, audit.
// Then hazmat (re-exports of raw pieces under a name that warns) and synth (uses the ground floor
// only, but is a consumer: examples, tests, benchmarks).
pub mod column;
pub mod error;
pub mod ids;
pub mod io;
pub mod suite;

pub mod keys;

pub mod anon;
pub mod fle;
pub mod mask;

pub mod audit;
pub mod envelope;

pub mod hazmat;
pub mod policy;
pub mod synth;

pub use column::{Column, OnInvalid, Packed, Values};
pub use error::{Error, ErrorKind, Position, Result};
pub use fle::FieldContext;
pub use keys::store::{Argon2Params, KeyEncryptionKey, RawKek};
pub use keys::{KeyId, KeyStatus, Keyset};
pub use suite::Suite;

/// The README's Rust example runs as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
