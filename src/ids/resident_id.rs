//! Resident identity numbers (GB 11643-1999): 6-digit region code, 8-digit birth date
//! (YYYYMMDD), 3-digit sequence (odd for men, even for women), and a check character computed
//! with ISO 7064 MOD 11-2 (`0`-`9` or `X`).

use super::calendar::is_real_date;

/// ISO 7064 MOD 11-2 weights of the first 17 digits (2^(17-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each value of the weighted sum mod 11.
const CHECK: [u8; 11] = *b"10X98765432";

/// The check character (`b'0'..=b'9'` or `b'X'`) for the first 17 digits, given as ASCII digits.
pub fn check_char(first17: &[u8; 17]) -> u8 {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(&c, w)| (c - b'0') as u32 * w).sum();
    CHECK[(sum % 11) as usize]
}

/// Why an 18-character resident ID is invalid, with the byte offset of the problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// Not 18 characters.
    Length,
    /// A character that is not a digit (or `X`/`x` in the last place) at this offset.
    Character(usize),
    /// The region code (offset 0) does not start with a province code.
    Region,
    /// The birth date (offset 6) is not a real date.
    BirthDate,
    /// The check character (offset 17) does not match.
    Check,
}

impl Invalid {
    /// Byte offset of the problem.
    pub fn offset(self) -> usize {
        match self {
            Invalid::Length | Invalid::Region => 0,
            Invalid::Character(o) => o,
            Invalid::BirthDate => 6,
            Invalid::Check => 17,
        }
    }
}

/// First two digits of every province-level division (GB/T 2260).
pub const PROVINCE_CODES: &[u8] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
    64, 65, 71, 81, 82,
];

/// Checks an 18-character resident ID: digits, province, real birth date and check character.
/// A lowercase `x` check character is accepted.
pub fn check(id: &str) -> Result<(), Invalid> {
    let b = id.as_bytes();
    if b.len() != 18 {
        return Err(Invalid::Length);
    }
    if let Some(i) = b[..17].iter().position(|c| !c.is_ascii_digit()) {
        return Err(Invalid::Character(i));
    }
    if !(b[17].is_ascii_digit() || b[17] == b'X' || b[17] == b'x') {
        return Err(Invalid::Character(17));
    }
    let num = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |a, &c| a * 10 + (c - b'0') as u32);
    if PROVINCE_CODES.binary_search(&(num(0..2) as u8)).is_err() {
        return Err(Invalid::Region);
    }
    if !is_real_date(i64::from(num(6..10)), num(10..12), num(12..14)) {
        return Err(Invalid::BirthDate);
    }
    let first17: &[u8; 17] = b[..17].try_into().expect("length checked");
    if check_char(first17) != b[17].to_ascii_uppercase() {
        return Err(Invalid::Check);
    }
    Ok(())
}

/// True when [`check`] passes.
pub fn is_valid(id: &str) -> bool {
    check(id).is_ok()
}

/// Checks a legacy 15-digit resident ID (GB 11643-1989): 6-digit region code, 6-digit birth date
/// (YYMMDD, years 1900-1999), 3-digit sequence, no check character.
pub fn check_legacy(id: &str) -> Result<(), Invalid> {
    let b = id.as_bytes();
    if b.len() != 15 {
        return Err(Invalid::Length);
    }
    if let Some(i) = b.iter().position(|c| !c.is_ascii_digit()) {
        return Err(Invalid::Character(i));
    }
    let num = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |a, &c| a * 10 + (c - b'0') as u32);
    if PROVINCE_CODES.binary_search(&(num(0..2) as u8)).is_err() {
        return Err(Invalid::Region);
    }
    if !is_real_date(1900 + i64::from(num(6..8)), num(8..10), num(10..12)) {
        return Err(Invalid::BirthDate);
    }
    Ok(())
}

/// True when [`check_legacy`] passes.
pub fn is_valid_legacy(id: &str) -> bool {
    check_legacy(id).is_ok()
}

/// True when `id` is a valid 18-character or legacy 15-digit resident ID.
pub fn is_valid_any(id: &str) -> bool {
    match id.len() {
        18 => is_valid(id),
        15 => is_valid_legacy(id),
        _ => false,
    }
}

/// The 18-character form of a valid legacy 15-digit ID: `19` inserted before the birth year and
/// the check character appended.
pub fn upgrade_legacy(id: &str) -> Option<String> {
    check_legacy(id).ok()?;
    let b = id.as_bytes();
    let mut first17 = [0u8; 17];
    first17[..6].copy_from_slice(&b[..6]);
    first17[6..8].copy_from_slice(b"19");
    first17[8..].copy_from_slice(&b[6..]);
    let mut out = String::with_capacity(18);
    out.extend(first17.iter().map(|&c| c as char));
    out.push(check_char(&first17) as char);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_examples() {
        // The worked example of GB 11643-1999 Annex A.
        assert!(is_valid("11010519491231002X"));
        assert!(is_valid("11010519491231002x"));
        assert_eq!(check("110105194912310021"), Err(Invalid::Check));
        assert_eq!(check("11010519491331002X"), Err(Invalid::BirthDate));
        assert_eq!(check("99010519491231002X"), Err(Invalid::Region));
        assert_eq!(check("1101051949123100"), Err(Invalid::Length));
        assert_eq!(check("1101a519491231002X"), Err(Invalid::Character(4)));
        assert_eq!(check_char(b"44052418800101001"), b'4');
        assert!(PROVINCE_CODES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn legacy_form() {
        // The Annex A person's ID in the 1989 form: 15 digits, no check character.
        assert!(is_valid_legacy("110105491231002"));
        assert_eq!(upgrade_legacy("110105491231002").as_deref(), Some("11010519491231002X"));
        assert_eq!(check_legacy("110105491331002"), Err(Invalid::BirthDate));
        assert_eq!(check_legacy("990105491231002"), Err(Invalid::Region));
        assert_eq!(check_legacy("11010549123100X"), Err(Invalid::Character(14)));
        assert!(is_valid_any("110105491231002") && is_valid_any("11010519491231002X"));
        assert!(!is_valid_any("1101054912310021"));
    }

    #[test]
    fn leap_day_birth_dates() {
        assert!(is_valid(&with_check("11010520000229001")));
        assert_eq!(check(&with_check("11010519000229001")), Err(Invalid::BirthDate));
    }

    fn with_check(first17: &str) -> String {
        let b: &[u8; 17] = first17.as_bytes().try_into().unwrap();
        format!("{first17}{}", check_char(b) as char)
    }
}
