//! The ground floor for identifiers: formats with their check algorithms (not just patterns) and
//! the one calendar. Format-preserving encryption (`fle`), masking and detection (`mask`) and the
//! synthetic generator (`synth`) all validate and rebuild identifiers with these functions; this
//! module imports nothing from the rest of the crate.
//!
//! | module | identifier | check |
//! |---|---|---|
//! | [`resident_id`] | resident identity number, 18-char and legacy 15-digit (GB 11643) | region, birth date, ISO 7064 MOD 11-2 |
//! | [`mobile`] | mainland mobile number, also `+86` / `0086` forms | allocated network prefix |
//! | [`landline`] | landline with area code and optional extension | area-code and subscriber shape |
//! | [`luhn`] | bank card number | Luhn (ISO/IEC 7812-1) |
//! | [`uscc`] | Unified Social Credit Code (GB 32100) | MOD 31 and embedded GB 11714 MOD 11 |
//! | [`email`] | email address | dot-atom local part, DNS host name |
//! | [`ip`] | IPv4 / IPv6 | RFC 791 / RFC 4291 text forms |
//! | [`plate`] | licence plate incl. new-energy plates (GA 36) | province, authority letter, serial shape |
//! | [`passport`] | PRC passport and travel-permit numbers | shape per document type |
//! | [`date`] | calendar dates in common formats | real Gregorian date |
//!
//! [`calendar`] holds the day arithmetic (leap years, day numbers) every date in the crate uses.

pub mod calendar;
pub mod date;
pub mod email;
pub mod ip;
pub mod landline;
pub mod luhn;
pub mod mobile;
pub mod passport;
pub mod plate;
pub mod resident_id;
pub mod uscc;

/// True for a bank card number: 12 to 19 digits (single spaces or hyphens allowed between digit
/// groups) passing the Luhn check.
pub fn is_bank_card(text: &str) -> bool {
    let mut digits = [0u8; 19];
    let mut n = 0;
    let mut prev_sep = true;
    for &c in text.as_bytes() {
        if c.is_ascii_digit() {
            if n == 19 {
                return false;
            }
            digits[n] = c - b'0';
            n += 1;
            prev_sep = false;
        } else if (c == b' ' || c == b'-') && !prev_sep {
            prev_sep = true;
        } else {
            return false;
        }
    }
    n >= 12 && !prev_sep && luhn::check_digit(&digits[..n - 1]) == digits[n - 1]
}

#[cfg(test)]
mod tests {
    #[test]
    fn bank_cards() {
        assert!(super::is_bank_card("4111111111111111"));
        assert!(super::is_bank_card("4111 1111 1111 1111"));
        assert!(super::is_bank_card("6222021234567890128"));
        assert!(!super::is_bank_card("4111111111111112"));
        assert!(!super::is_bank_card("79927398713")); // Luhn-valid but only 11 digits
        assert!(!super::is_bank_card("4111  1111111111111"));
        assert!(!super::is_bank_card(" 4111111111111111"));
    }
}
