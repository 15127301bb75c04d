//! Masking and PII detection.
//!
//! - Validation comes from [`crate::ids`]: identifiers with their check algorithms (resident ID,
//!   mobile, landline, bank card, Unified Social Credit Code, email, IP, licence plate, passport,
//!   dates), through [`PiiType::validate`].
//! - [`Rule`]: every masking rule as a serde value (generic rules, numeric and date rules, keyed
//!   hashes and date shifts, Chinese PII display rules), compiled into a [`Masker`] that masks one
//!   value or a whole column.
//! - [`scan`]: which columns of a table hold which kind of personal data ([`scan_csv`],
//!   [`scan_columns`]), as a serde-serializable [`ScanReport`].
//!
//! See `docs/masking.md` for every rule with its parameters and an example.

pub mod address;
pub mod dates;
pub mod generic;
mod graphemes;
pub mod keyed;
mod masker;
pub mod name;
pub mod numeric;
pub mod pii;
mod pii_type;
mod rule;
pub mod scan;

pub use address::AddressMask;
pub use dates::{DateTruncate, DateUnit};
pub use generic::{Constant, KeepEnds, Redact, RegexMask, Truncate};
pub use keyed::{DateShift, HashEncoding, KeyedHash};
pub use masker::{MaskedColumn, Masker};
pub use name::NameMask;
pub use numeric::{Bucket, Round, RoundMode, TopBottom};
pub use pii::{BankCardMask, EmailMask, LandlineMask, MobileMask, PassportMask, PlateMask, ResidentIdMask, UsccMask};
pub use pii_type::{Evidence, PiiType};
pub use rule::Rule;
pub use scan::{scan_columns, scan_csv, scan_csv_path, Candidate, ColumnReport, Sampling, ScanOptions, ScanReport};
