//! Reading input files with bounded memory.
//!
//! Every parser of a file-like input (CSV tables, hierarchies, the PII scan) reads through here,
//! so that the size limits of `docs/robustness.md` are checked in one place, before the bytes
//! they guard are held in memory.

pub mod csv;
