//! Mainland China landline numbers: an area code (3 digits for `010` and `02x`, 4 digits for the
//! other `0[3-9]xx` codes), a 7- or 8-digit subscriber number that does not start with 0 or 1, and
//! an optional extension.

use std::ops::Range;

/// Byte ranges of a parsed landline number inside the text it was parsed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// The area code digits (without the trunk `0` when written after `+86`).
    pub area: Range<usize>,
    /// The subscriber number digits.
    pub subscriber: Range<usize>,
    /// The extension digits, if any.
    pub extension: Option<Range<usize>>,
}

/// Parses `010-12345678`, `(0755)1234567`, `0755 1234567`, `01012345678`, `+86-10-12345678`,
/// `0086 755 12345678`, each optionally followed by an extension (`-123`, `转123`, ` ext 123`).
pub fn parse(text: &str) -> Option<Parsed> {
    let b = text.as_bytes();
    let mut i = 0;
    let international = if b.starts_with(b"+86") {
        i = 3;
        true
    } else if b.starts_with(b"0086") {
        i = 4;
        true
    } else {
        false
    };
    if international && matches!(b.get(i), Some(b' ' | b'-')) {
        i += 1;
    }
    let paren = b.get(i) == Some(&b'(');
    if paren {
        i += 1;
    }
    // Area code: the trunk 0 is written domestically and dropped after +86.
    let area_start = i;
    let d = |k: usize| b.get(k).copied().filter(u8::is_ascii_digit);
    if !international {
        if d(i) != Some(b'0') {
            return None;
        }
        i += 1;
    }
    let area_len = match (d(i), d(i + 1)) {
        (Some(b'1'), Some(b'0')) => 2,
        (Some(b'2'), Some(_)) => 2,
        (Some(b'3'..=b'9'), Some(_)) if d(i + 2).is_some() => 3,
        _ => return None,
    };
    i += area_len;
    let area = area_start..i;
    if paren {
        if b.get(i) != Some(&b')') {
            return None;
        }
        i += 1;
    } else if matches!(b.get(i), Some(b' ' | b'-')) {
        i += 1;
    }
    let sub_start = i;
    while d(i).is_some() {
        i += 1;
    }
    let sub_len = i - sub_start;
    if !(7..=8).contains(&sub_len) || matches!(b[sub_start], b'0' | b'1') {
        return None;
    }
    let subscriber = sub_start..i;
    let extension = if i == b.len() {
        None
    } else {
        let rest = &text[i..];
        let skip = ["-", "转", " ext ", " ext.", "ext", " x", "#"].iter().find(|p| rest.starts_with(**p))?.len();
        let ext_start = i + skip + usize::from(b.get(i + skip) == Some(&b' '));
        let mut j = ext_start;
        while d(j).is_some() {
            j += 1;
        }
        if j != b.len() || !(1..=6).contains(&(j - ext_start)) {
            return None;
        }
        Some(ext_start..j)
    };
    Some(Parsed { area, subscriber, extension })
}

/// True when [`parse`] accepts `text`.
pub fn is_valid(text: &str) -> bool {
    parse(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let p = parse("010-62345678").unwrap();
        assert_eq!((p.area, p.subscriber, p.extension), (0..3, 4..12, None));
        assert_eq!(parse("01062345678").unwrap().subscriber, 3..11);
        assert_eq!(parse("0755-6234567").unwrap().area, 0..4);
        assert_eq!(parse("(020)87654321").unwrap().subscriber, 5..13);
        assert_eq!(parse("+86-10-62345678").unwrap().area, 4..6);
        assert_eq!(parse("0086 755 22345678").unwrap().subscriber, 9..17);
        assert_eq!(parse("010-62345678-123").unwrap().extension, Some(13..16));
        assert_eq!(parse("010-62345678转8001").unwrap().extension, Some(15..19));
        for bad in [
            "62345678",
            "010-02345678",
            "010-623456",
            "010-623456789",
            "0110-6234567",
            "(010-62345678",
            "010--62345678",
            "010-62345678-",
            "010-62345678-1234567",
            "13800138000",
            "",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
