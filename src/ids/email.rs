//! Email addresses (the common `local@domain` subset of RFC 5321/5322: dot-atom local part, DNS
//! host name with an alphabetic top-level domain). Quoted local parts and IP literals are rejected.

/// Byte offset of the `@` when `addr` is a valid address.
pub fn parse(addr: &str) -> Option<usize> {
    let at = addr.find('@')?;
    let (local, domain) = (&addr[..at], &addr[at + 1..]);
    let atext = |c: u8| c.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&c);
    let dot_atom = |s: &str| !s.is_empty() && s.split('.').all(|p| !p.is_empty() && p.bytes().all(atext));
    if local.len() > 64 || !dot_atom(local) || domain.len() > 253 {
        return None;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let tld = labels.last()?;
    let tld_ok = (tld.len() >= 2 && tld.bytes().all(|c| c.is_ascii_alphabetic())) || tld.starts_with("xn--");
    (labels.len() >= 2 && labels.iter().all(|l| label_ok(l)) && tld_ok).then_some(at)
}

/// True when [`parse`] accepts `addr`.
pub fn is_valid(addr: &str) -> bool {
    parse(addr).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        for ok in ["zhang@example.com", "a.b+tag@mail.gov.cn", "x@xn--fiqs8s.xn--fiqs8s", "o'brien@ex-ample.org"] {
            assert!(is_valid(ok), "{ok}");
        }
        assert_eq!(parse("zhang@example.com"), Some(5));
        for bad in [
            "",
            "@example.com",
            "zhang@",
            "zhang",
            "zhang@com",
            "a..b@example.com",
            ".a@example.com",
            "a@-ex.com",
            "a@example.c0m",
            "a@b@example.com",
            "a b@example.com",
            "a@example..com",
            "张@example.com",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
