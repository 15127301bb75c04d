//! The Luhn (mod 10) check digit of bank card numbers (ISO/IEC 7812-1).

/// The check digit (`0..=9`) to append to `payload`, given as digit values `0..=9`.
pub fn check_digit(payload: &[u8]) -> u8 {
    // Walking from the right, double every digit that will sit at an even distance from the
    // appended check digit.
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = d as u32;
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// True when `number` is all ASCII digits, 2 or more of them, and its last digit is the Luhn check
/// digit of the others.
pub fn is_valid(number: &str) -> bool {
    let b = number.as_bytes();
    if b.len() < 2 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let digits: Vec<u8> = b.iter().map(|c| c - b'0').collect();
    let (payload, check) = digits.split_at(digits.len() - 1);
    check_digit(payload) == check[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers() {
        // ISO/IEC 7812 worked example and well-known test card numbers.
        assert!(is_valid("79927398713"));
        assert!(is_valid("4111111111111111"));
        assert!(!is_valid("79927398710"));
        assert!(!is_valid("4111111111111112"));
        assert!(!is_valid("41111x1111111111"));
        assert!(!is_valid("7"));
        assert_eq!(check_digit(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1]), 3);
    }
}
