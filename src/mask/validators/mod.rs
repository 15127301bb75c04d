//! Validators with their check algorithms.
