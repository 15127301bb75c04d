//! Date truncation: keep the year or the year and month, in the style the date was written.

use crate::ids::date;
use serde::{Deserialize, Serialize};

/// Which part of a date [`DateTruncate`] keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateUnit {
    /// Year and month.
    #[default]
    Month,
    /// Year only.
    Year,
}

/// Truncates a date to its month or year, in the style it was written (see
/// [`ids::date`](crate::ids::date)); a time part is dropped.
/// `{"rule":"date_truncate","to":"year"}`: `1985-07-14` → `1985`; with `"fill":true` → `1985-01-01`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DateTruncate {
    /// What to keep (default month).
    pub to: DateUnit,
    /// Write a full date with the dropped parts set to 1, so the column stays a date column.
    pub fill: bool,
}

impl DateTruncate {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        let Some(d) = date::parse(v) else { return false };
        let (month, parts) = match self.to {
            DateUnit::Month => (d.month, 2),
            DateUnit::Year => (1, 1),
        };
        if self.fill {
            date::write(out, d.style, d.year as i64, month, 1, 3);
        } else {
            date::write(out, d.style, d.year as i64, month, 1, parts);
        }
        true
    }
}
