//! Mainland China vehicle licence plates (GA 36): a province abbreviation, an issuing-authority
//! letter, then either 5 serial characters (ordinary plates, the last possibly 学/警/挂/港/澳/领)
//! or 6 for new-energy plates (small cars: `D`/`F` + 5, the last 4 digits; large vehicles:
//! 5 digits + `D`/`F`).

/// Province-level abbreviations that start a plate.
pub const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

fn serial(c: char) -> bool {
    (c.is_ascii_uppercase() && c != 'I' && c != 'O') || c.is_ascii_digit()
}

/// True when `plate` is a well-formed plate number (no separators: `京A12345`, `京AD12345`).
pub fn is_valid(plate: &str) -> bool {
    let mut chars = plate.chars();
    let (Some(p), Some(a)) = (chars.next(), chars.next()) else { return false };
    if !PROVINCES.contains(p) || !a.is_ascii_uppercase() || a == 'I' || a == 'O' {
        return false;
    }
    let rest: Vec<char> = chars.collect();
    let digit = |c: &char| c.is_ascii_digit();
    let letters = |s: &[char]| s.iter().filter(|c| c.is_ascii_uppercase()).count();
    match rest.len() {
        5 => {
            let (body, last) = rest.split_at(4);
            body.iter().all(|&c| serial(c))
                && (serial(last[0]) || "学警挂港澳领".contains(last[0]))
                && letters(&rest) <= 2
        }
        6 => {
            let small = matches!(rest[0], 'D' | 'F') && serial(rest[1]) && rest[2..].iter().all(digit);
            let large = rest[..5].iter().all(digit) && matches!(rest[5], 'D' | 'F');
            small || large
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plates() {
        for ok in ["京A12345", "粤B8K2P9", "沪AD12345", "浙AFA1234", "苏E12345D", "京A1234学", "粤Z1234港"] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in
            ["A12345", "京12345", "京I12345", "京A1234", "京A123456", "京AD1234A", "京AABCDE", "X京A12345", "京a12345"]
        {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
