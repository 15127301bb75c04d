//! The one calendar of the crate: proleptic Gregorian dates and day numbers. Birth dates in
//! resident IDs, FPE date ranges, date masking rules and the synthetic generator all count days
//! with these functions, so they can never disagree about a leap year.
//!
//! ```
//! use privshare::ids::calendar;
//! assert_eq!(calendar::days_from_civil(1970, 1, 1), 0);
//! assert_eq!(calendar::civil_from_days(11_017), (2000, 3, 1));
//! assert!(calendar::is_real_date(2024, 2, 29) && !calendar::is_real_date(1900, 2, 29));
//! ```

/// True for a Gregorian leap year.
pub fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1-12) of `year`; 0 for a month outside 1-12.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// True when `(year, month, day)` is a real Gregorian date.
pub fn is_real_date(year: i64, month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
/// The date should be real ([`is_real_date`]); others give a number without meaning.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01 (inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_years() {
        assert!(is_real_date(2000, 2, 29));
        assert!(!is_real_date(1900, 2, 29));
        assert!(is_real_date(2024, 2, 29));
        assert!(!is_real_date(2023, 2, 29));
        assert!(!is_real_date(2023, 13, 1) && !is_real_date(2023, 4, 31) && !is_real_date(2023, 1, 0));
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1, 1, 1), -719_162);
        for n in [-719_162i64, -500_000, -25_567, -1, 0, 59, 60, 11_016, 2_000_000, 2_932_896] {
            let (y, m, d) = civil_from_days(n);
            assert!(is_real_date(y, m, d));
            assert_eq!(days_from_civil(y, m, d), n);
        }
        // Every day of a leap year and the year after, one by one.
        let start = days_from_civil(2023, 12, 31);
        let mut prev = civil_from_days(start);
        for n in start + 1..start + 732 {
            let (y, m, d) = civil_from_days(n);
            let next_day = if prev.2 == days_in_month(prev.0, prev.1) {
                if prev.1 == 12 {
                    (prev.0 + 1, 1, 1)
                } else {
                    (prev.0, prev.1 + 1, 1)
                }
            } else {
                (prev.0, prev.1, prev.2 + 1)
            };
            assert_eq!((y, m, d), next_day);
            prev = (y, m, d);
        }
    }
}
