//! Unified Social Credit Codes (GB 32100-2015): 18 characters from a 31-character alphabet
//! (digits and capital letters without I, O, Z, S, V): registration authority (1), organization
//! type (1), region code (6 digits), the organization code (9 characters, GB 11714, with its own
//! MOD 11 check character), and a MOD 31 check character.

/// The 31 characters of the code, in value order.
pub const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of the first 17 characters (3^i mod 31).
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/// GB 11714 weights of the 8 organization-code body characters.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Why a code is invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// Not 18 characters.
    Length,
    /// A character outside the alphabet (or a non-digit in the region code) at this offset.
    Character(usize),
    /// The embedded organization code's check character (offset 16) does not match.
    OrgCodeCheck,
    /// The MOD 31 check character (offset 17) does not match.
    Check,
}

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
}

/// The MOD 31 check character of the first 17 characters, or `None` if one is outside the alphabet.
pub fn check_char(first17: &[u8]) -> Option<u8> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (&c, w) in first17.iter().zip(WEIGHTS) {
        sum += value(c)? * w;
    }
    Some(ALPHABET[((31 - sum % 31) % 31) as usize])
}

/// The GB 11714 check character (`0`-`9` or `X`) of an 8-character organization-code body
/// (digits and capital letters, `A` = 10 ... `Z` = 35), or `None` for another character.
pub fn org_code_check_char(body: &[u8]) -> Option<u8> {
    if body.len() != 8 {
        return None;
    }
    let mut sum = 0;
    for (&c, w) in body.iter().zip(ORG_WEIGHTS) {
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'Z' => c - b'A' + 10,
            _ => return None,
        };
        sum += v as u32 * w;
    }
    Some(match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        c => b'0' + c as u8,
    })
}

/// True when `code` is an organization code `XXXXXXXX-X` or `XXXXXXXXX` whose check passes.
pub fn is_valid_org_code(code: &str) -> bool {
    let b = code.as_bytes();
    let (body, check) = match b.len() {
        9 => (&b[..8], b[8]),
        10 if b[8] == b'-' => (&b[..8], b[9]),
        _ => return false,
    };
    org_code_check_char(body) == Some(check)
}

/// Checks a Unified Social Credit Code: alphabet, numeric region code, the organization-code
/// check and the MOD 31 check. Letters must be capitals.
pub fn check(code: &str) -> Result<(), Invalid> {
    let b = code.as_bytes();
    if b.len() != 18 {
        return Err(Invalid::Length);
    }
    if let Some(i) = b.iter().position(|&c| value(c).is_none()) {
        return Err(Invalid::Character(i));
    }
    if let Some(i) = b[2..8].iter().position(|c| !c.is_ascii_digit()) {
        return Err(Invalid::Character(2 + i));
    }
    if org_code_check_char(&b[8..16]) != Some(b[16]) {
        return Err(Invalid::OrgCodeCheck);
    }
    if check_char(&b[..17]) != Some(b[17]) {
        return Err(Invalid::Check);
    }
    Ok(())
}

/// True when [`check`] passes.
pub fn is_valid(code: &str) -> bool {
    check(code).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_example() {
        // The example code printed in GB 32100-2015.
        assert_eq!(check("91350100M000100Y43"), Ok(()));
        assert_eq!(check("91350100M000100Y44"), Err(Invalid::Check));
        assert_eq!(check("91350100M000100Y53"), Err(Invalid::OrgCodeCheck));
        assert_eq!(check("91350100M000100I43"), Err(Invalid::Character(15)));
        assert_eq!(check("913A0100M000100Y43"), Err(Invalid::Character(3)));
        assert_eq!(check("91350100M000100Y4"), Err(Invalid::Length));
        assert_eq!(org_code_check_char(b"M000100Y"), Some(b'4'));
        assert!(is_valid_org_code("M000100Y-4") && is_valid_org_code("M000100Y4"));
        assert!(!is_valid_org_code("M000100Y-5"));
    }
}
