//! Calendar dates in the formats common in Chinese government data, parsed into their parts and
//! written back in the same style.
//!
//! Accepted: `2023-05-07`, `2023/5/7`, `2023.05.07`, `20230507`, `2023年5月7日` (month and day
//! one or two digits except in the 8-digit form), each optionally followed by a time
//! (` 08:30`, `T08:30:00`, `T08:30:00.123Z`, `T08:30:00+08:00`). Years 1000-9999.

use super::calendar::is_real_date;

/// How the date was written, so that a transformed date keeps its style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Separated by this ASCII character (`-`, `/` or `.`); `padded` when month and day had 2 digits.
    Separated {
        /// The separator.
        sep: u8,
        /// Month and day were written with two digits.
        padded: bool,
    },
    /// `YYYYMMDD`.
    Compact,
    /// `YYYY年M月D日`.
    Chinese {
        /// Month and day were written with two digits.
        padded: bool,
    },
}

/// A parsed date and where its time part (if any) starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    /// Year (1000-9999).
    pub year: u32,
    /// Month (1-12).
    pub month: u32,
    /// Day of month.
    pub day: u32,
    /// The written style.
    pub style: Style,
    /// Byte offset where the time suffix starts (the text length when there is none).
    pub time_at: usize,
}

fn number(b: &[u8], i: &mut usize, min: usize, max: usize) -> Option<u32> {
    let start = *i;
    while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
        *i += 1;
    }
    if *i - start < min {
        return None;
    }
    Some(b[start..*i].iter().fold(0, |a, &c| a * 10 + (c - b'0') as u32))
}

fn time_ok(t: &[u8]) -> bool {
    if t.is_empty() {
        return true;
    }
    let two = |s: &[u8], max: u8| {
        s.len() >= 2 && s[..2].iter().all(u8::is_ascii_digit) && (s[0] - b'0') * 10 + (s[1] - b'0') <= max
    };
    if !matches!(t[0], b' ' | b'T') || !two(&t[1..], 23) || t.get(3) != Some(&b':') || !two(&t[4..], 59) {
        return false;
    }
    let mut r = &t[6..];
    if r.first() == Some(&b':') {
        if !two(&r[1..], 60) {
            return false;
        }
        r = &r[3..];
        if r.first() == Some(&b'.') {
            let n = r[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return false;
            }
            r = &r[1 + n..];
        }
    }
    match r {
        [] | [b'Z'] => true,
        [b'+' | b'-', rest @ ..] => {
            let rest: Vec<u8> = rest.iter().copied().filter(|&c| c != b':').collect();
            rest.len() == 4 && two(&rest, 14) && two(&rest[2..], 59)
        }
        _ => false,
    }
}

/// Parses a date in one of the accepted formats; `None` unless it is a real calendar date.
pub fn parse(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let mut i = 0;
    let year = number(b, &mut i, 4, 4)?;
    let (month, day, style);
    match b.get(i) {
        Some(&sep @ (b'-' | b'/' | b'.')) => {
            i += 1;
            let m0 = i;
            month = number(b, &mut i, 1, 2)?;
            let mlen = i - m0;
            if b.get(i) != Some(&sep) {
                return None;
            }
            i += 1;
            let d0 = i;
            day = number(b, &mut i, 1, 2)?;
            style = Style::Separated { sep, padded: mlen == 2 && i - d0 == 2 };
        }
        Some(c) if c.is_ascii_digit() => {
            month = number(b, &mut i, 2, 2)?;
            day = number(b, &mut i, 2, 2)?;
            style = Style::Compact;
        }
        _ if text[i..].starts_with('年') => {
            i += '年'.len_utf8();
            let m0 = i;
            month = number(b, &mut i, 1, 2)?;
            let mlen = i - m0;
            if !text[i..].starts_with('月') {
                return None;
            }
            i += '月'.len_utf8();
            let d0 = i;
            day = number(b, &mut i, 1, 2)?;
            let dlen = i - d0;
            if !text[i..].starts_with('日') {
                return None;
            }
            i += '日'.len_utf8();
            style = Style::Chinese { padded: mlen == 2 && dlen == 2 };
        }
        _ => return None,
    }
    if year < 1000 || !is_real_date(i64::from(year), month, day) || !time_ok(&b[i..]) {
        return None;
    }
    Some(Date { year, month, day, style, time_at: i })
}

/// True when [`parse`] accepts `text`.
pub fn is_valid(text: &str) -> bool {
    parse(text).is_some()
}

/// Writes `(year, month, day)` in `style`; `parts` 1 = year only, 2 = year and month, 3 = full date.
pub fn write(out: &mut String, style: Style, year: i64, month: u32, day: u32, parts: u8) {
    use std::fmt::Write;
    let _ = match style {
        Style::Separated { sep, padded } => {
            let sep = sep as char;
            match (parts, padded) {
                (1, _) => write!(out, "{year:04}"),
                (2, true) => write!(out, "{year:04}{sep}{month:02}"),
                (2, false) => write!(out, "{year:04}{sep}{month}"),
                (_, true) => write!(out, "{year:04}{sep}{month:02}{sep}{day:02}"),
                (_, false) => write!(out, "{year:04}{sep}{month}{sep}{day}"),
            }
        }
        Style::Compact => match parts {
            1 => write!(out, "{year:04}"),
            2 => write!(out, "{year:04}{month:02}"),
            _ => write!(out, "{year:04}{month:02}{day:02}"),
        },
        Style::Chinese { padded } => match (parts, padded) {
            (1, _) => write!(out, "{year:04}年"),
            (2, true) => write!(out, "{year:04}年{month:02}月"),
            (2, false) => write!(out, "{year:04}年{month}月"),
            (_, true) => write!(out, "{year:04}年{month:02}月{day:02}日"),
            (_, false) => write!(out, "{year:04}年{month}月{day}日"),
        },
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let d = parse("2024-02-29").unwrap();
        assert_eq!((d.year, d.month, d.day, d.time_at), (2024, 2, 29, 10));
        assert_eq!(parse("2023/5/7").unwrap().style, Style::Separated { sep: b'/', padded: false });
        assert_eq!(parse("20230507").unwrap().style, Style::Compact);
        assert_eq!(parse("2023年5月7日").unwrap().style, Style::Chinese { padded: false });
        assert_eq!(parse("2023-05-07T08:30:00+08:00").unwrap().time_at, 10);
        for ok in ["2023-05-07 08:30", "2023-05-07T08:30:00.123Z", "2023.05.07"] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in [
            "2023-02-29",
            "2023-13-01",
            "2023-05/07",
            "2023-5-",
            "230507",
            "2023057",
            "0999-01-01",
            "2023-05-07x",
            "2023-05-07 25:00",
            "2023年5月7",
            "",
            "2023-05-07T08:30:00+0800x",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn writes_in_style() {
        let mut s = String::new();
        write(&mut s, Style::Chinese { padded: false }, 2023, 5, 7, 2);
        assert_eq!(s, "2023年5月");
    }
}
