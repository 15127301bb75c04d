//! Masking and PII detection. For now: the check algorithms that format-preserving encryption
//! needs (more arrive with the masking issue).

pub mod validators;
