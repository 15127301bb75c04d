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

/// True when `prefix` (the first three digits as a number) is an allocated mobile prefix.
pub fn is_mobile_prefix(prefix: u16) -> bool {
    PREFIXES.binary_search(&prefix).is_ok()
}

/// True when `number` is exactly 11 ASCII digits with an allocated prefix.
pub fn is_valid(number: &str) -> bool {
    let b = number.as_bytes();
    b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && is_mobile_prefix((b[0] - b'0') as u16 * 100 + (b[1] - b'0') as u16 * 10 + (b[2] - b'0') as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_sorted_and_checked() {
        assert!(PREFIXES.windows(2).all(|w| w[0] < w[1]));
        assert!(is_valid("13800138000"));
        assert!(is_valid("19912345678"));
        assert!(!is_valid("15412345678"));
        assert!(!is_valid("1380013800"));
        assert!(!is_valid("1380013800a"));
        assert!(!is_valid("23800138000"));
    }
}
