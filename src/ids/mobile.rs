//! Mainland China mobile numbers: 11 digits starting with an allocated 3-digit network prefix.

/// 3-digit prefixes allocated to mobile networks (China Mobile, China Unicom, China Telecom,
/// China Broadnet, and virtual operators), as published by MIIT numbering plans.
pub const PREFIXES: &[u16] = &[
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, // 13x
    145, 146, 147, 148, 149, // 14x data / IoT-adjacent consumer ranges
    150, 151, 152, 153, 155, 156, 157, 158, 159, // 15x (154 unallocated)
    162, 165, 166, 167, // 16x
    170, 171, 172, 173, 175, 176, 177, 178, // 17x (174 satellite, 179 unallocated)
    180, 181, 182, 183, 184, 185, 186, 187, 188, 189, // 18x
    190, 191, 192, 193, 195, 196, 197, 198, 199, // 19x (194 unallocated)
];

/// [`PREFIXES`] as a bit set over 100..=227 (bit `p - 100`): one shift instead of a search,
/// since validating is most of the cost of masking a column of mobile numbers.
const PREFIX_BITS: u128 = {
    let mut bits = 0u128;
    let mut i = 0;
    while i < PREFIXES.len() {
        bits |= 1 << (PREFIXES[i] - 100);
        i += 1;
    }
    bits
};

/// True when `prefix` (the first three digits as a number) is an allocated mobile prefix.
pub fn is_mobile_prefix(prefix: u16) -> bool {
    prefix.checked_sub(100).is_some_and(|k| k < 128 && (PREFIX_BITS >> k) & 1 == 1)
}

/// True when `number` is exactly 11 ASCII digits with an allocated prefix.
pub fn is_valid(number: &str) -> bool {
    let b = number.as_bytes();
    b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && is_mobile_prefix((b[0] - b'0') as u16 * 100 + (b[1] - b'0') as u16 * 10 + (b[2] - b'0') as u16)
}

/// A mobile number written with an optional country prefix and optional separators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// Byte length of the country prefix including its separator (`+86 `, `0086-`, or 0).
    pub prefix_len: usize,
    /// The 11 digits of the national number.
    pub digits: [u8; 11],
}

/// Parses `13800138000`, `+8613800138000`, `+86 138 0013 8000`, `0086-138-0013-8000` and the like:
/// an optional `+86` or `0086` prefix (optionally followed by a space or hyphen), then 11 digits
/// with single spaces or hyphens allowed between digits. The national number must pass [`is_valid`].
pub fn parse(number: &str) -> Option<Parsed> {
    let b = number.as_bytes();
    let mut i = if b.starts_with(b"+86") {
        3
    } else if b.starts_with(b"0086") {
        4
    } else {
        0
    };
    if i > 0 && matches!(b.get(i), Some(b' ' | b'-')) {
        i += 1;
    }
    let prefix_len = i;
    let mut digits = [0u8; 11];
    let mut n = 0;
    // Accumulated as the digits go by: reading them back from `digits` right after writing them
    // byte by byte stalls on store forwarding, which made this the costliest step of masking.
    let mut prefix = 0u16;
    let mut prev_sep = true; // no separator first
    for &c in &b[i..] {
        if c.is_ascii_digit() {
            if n == 11 {
                return None;
            }
            digits[n] = c;
            if n < 3 {
                prefix = prefix * 10 + u16::from(c - b'0');
            }
            n += 1;
            prev_sep = false;
        } else if (c == b' ' || c == b'-') && !prev_sep {
            prev_sep = true;
        } else {
            return None;
        }
    }
    if n != 11 || prev_sep {
        return None;
    }
    is_mobile_prefix(prefix).then_some(Parsed { prefix_len, digits })
}

/// True when [`parse`] accepts `number` (any of the written forms).
pub fn is_valid_any(number: &str) -> bool {
    parse(number).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_sorted_and_checked() {
        assert!(PREFIXES.windows(2).all(|w| w[0] < w[1]));
        for p in 0..1000u16 {
            assert_eq!(is_mobile_prefix(p), PREFIXES.contains(&p), "{p}");
        }
        assert!(is_valid("13800138000"));
        assert!(is_valid("19912345678"));
        assert!(!is_valid("15412345678"));
        assert!(!is_valid("1380013800"));
        assert!(!is_valid("1380013800a"));
        assert!(!is_valid("23800138000"));
    }

    #[test]
    fn written_forms() {
        for ok in ["13800138000", "+8613800138000", "+86 13800138000", "0086-13800138000", "138 0013 8000"] {
            assert!(is_valid_any(ok), "{ok}");
        }
        assert_eq!(parse("+86 138-0013-8000").map(|p| p.prefix_len), Some(4));
        for bad in ["+86", "+86 ", "138  00138000", "13800138000-", "-13800138000", "+8715800138000", "138001380001"] {
            assert!(!is_valid_any(bad), "{bad}");
        }
    }
}
