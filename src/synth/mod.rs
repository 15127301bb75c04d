//! Seeded generator of realistic synthetic citizen records.
