//! Files in and out.
//!
//! Every parser of a file-like input (CSV tables, hierarchies, the PII scan) reads through
//! [`csv`], so that the size limits of `docs/robustness.md` are checked in one place, before the
//! bytes they guard are held in memory. Every output file (opened and sealed envelopes, anonymized
//! tables) is written through `atomic`: it appears whole, or not at all. Legacy GBK / GB 18030
//! exports become UTF-8 through [`transcode`], strictly. JSON Lines tables are read through `jsonl`,
//! with the same limits, Parquet tables through `parquet` (feature `parquet`), and any of them through
//! [`records`].

pub(crate) mod atomic;
pub mod csv;
pub(crate) mod jsonl;
#[cfg(feature = "parquet")]
pub(crate) mod parquet;
pub mod records;
pub mod transcode;
