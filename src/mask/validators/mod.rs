//! Validators with their check algorithms (not just patterns).

pub mod luhn;
pub mod mobile;
pub mod resident_id;
