//! The tables the generator draws from. Each table names its public source; see
//! `docs/synthetic-data.md` for the whole list.

pub mod banks;
pub mod life;
pub mod names;
pub mod regions;
