//! IP addresses in their textual forms (dotted decimal without leading zeros; RFC 4291 IPv6).

use std::net::{Ipv4Addr, Ipv6Addr};

/// True for a dotted-decimal IPv4 address such as `192.168.1.20`.
pub fn is_ipv4(text: &str) -> bool {
    text.parse::<Ipv4Addr>().is_ok()
}

/// True for an IPv6 address such as `2001:db8::1` (no zone id, no brackets).
pub fn is_ipv6(text: &str) -> bool {
    text.parse::<Ipv6Addr>().is_ok()
}

/// True for either form.
pub fn is_valid(text: &str) -> bool {
    is_ipv4(text) || is_ipv6(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert!(is_ipv4("192.168.1.20") && is_ipv4("0.0.0.0") && is_ipv4("255.255.255.255"));
        assert!(!is_ipv4("256.1.1.1") && !is_ipv4("1.2.3") && !is_ipv4("01.2.3.4") && !is_ipv4("1.2.3.4 "));
        assert!(is_ipv6("2001:db8::1") && is_ipv6("::") && is_ipv6("::ffff:192.0.2.1"));
        assert!(!is_ipv6("2001:db8:::1") && !is_ipv6("12345::") && !is_ipv6("[::1]"));
    }
}
