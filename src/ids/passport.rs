//! Passport and travel-permit numbers of the People's Republic of China.
//!
//! Accepted forms: ordinary electronic passports `E` + 8 digits or `E` + a letter (not I/O) +
//! 7 digits; older ordinary passports `G` + 8 digits; diplomatic / service / official passports
//! `D`, `S` or `P` + 7 digits, or with an `E` after the letter (`DE1234567`); permits to and from
//! Hong Kong / Macao `C` + 8 characters, `H` / `M` + 8 or 10 digits.

/// True when `number` has one of the accepted shapes (capital letters only).
pub fn is_valid(number: &str) -> bool {
    let b = number.as_bytes();
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let letter = |c: u8| c.is_ascii_uppercase() && c != b'I' && c != b'O';
    match (b.first(), b.len()) {
        (Some(b'E'), 9) => digits(&b[1..]) || (letter(b[1]) && digits(&b[2..])),
        (Some(b'G'), 9) => digits(&b[1..]),
        (Some(b'D' | b'S' | b'P'), 8) => digits(&b[1..]),
        (Some(b'D' | b'S' | b'P'), 9) => b[1] == b'E' && digits(&b[2..]),
        (Some(b'C'), 9) => b[1..].iter().all(|&c| letter(c) || c.is_ascii_digit()) && digits(&b[3..]),
        (Some(b'H' | b'M'), 9 | 11) => digits(&b[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        for ok in
            ["E12345678", "EA1234567", "G12345678", "D1234567", "SE1234567", "H12345678", "M1234567890", "CA1234567"]
        {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in ["E1234567", "EI1234567", "e12345678", "G1234567A", "X12345678", "", "DE123456", "H123456789"] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
