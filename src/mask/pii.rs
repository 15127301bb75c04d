//! Display masks for Chinese personal identifiers, with the common conventions as defaults.
//! Each first validates the value with its check algorithm; a value that fails is masked
//! completely by the [`Masker`](super::Masker) (or rejected in strict mode), never passed through.

use super::graphemes::{self, clamp_keep};
use crate::ids::{email, landline, mobile, passport, plate, resident_id, uscc};
use serde::{Deserialize, Serialize};

/// Copies ASCII `text`, masking the alphanumeric characters whose index (counting only
/// alphanumerics) is not among the first `first` or the last `last` of `total`; separators stay.
fn mask_alnum(text: &str, total: usize, first: usize, last: usize, mask: char, out: &mut String) {
    let (f, l) = clamp_keep(total, first, last);
    if text.len() == total {
        // No separators (the common case): three slices instead of one push per character.
        out.push_str(&text[..f]);
        push_mask(mask, total - f - l, out);
        out.push_str(&text[total - l..]);
        return;
    }
    let mut k = 0;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if k < f || k >= total - l { c } else { mask });
            k += 1;
        } else {
            out.push(c);
        }
    }
}

/// Appends `n` mask characters.
pub(crate) fn push_mask(mask: char, n: usize, out: &mut String) {
    const STARS: &str = "********************************";
    if mask == '*' && n <= STARS.len() {
        out.push_str(&STARS[..n]);
    } else {
        out.extend(std::iter::repeat_n(mask, n));
    }
}

macro_rules! keep_params {
    ($(#[$doc:meta])* $name:ident, $first:expr, $last:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct $name {
            /// Characters kept at the start.
            pub keep_first: usize,
            /// Characters kept at the end.
            pub keep_last: usize,
            /// The mask character (default `*`).
            pub mask_char: char,
        }

        impl Default for $name {
            fn default() -> Self {
                $name { keep_first: $first, keep_last: $last, mask_char: '*' }
            }
        }
    };
}

keep_params!(
    /// Resident identity number: keeps the region code and the last 4 (`110105********002X`). A
    /// legacy 15-digit number keeps at most its last 3 (`110105******002`), since its fourth-last
    /// digit is part of the birth date. Lowercase `x` is written as `X`.
    ResidentIdMask, 6, 4
);

impl ResidentIdMask {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        let last = match v.len() {
            18 if resident_id::is_valid(v) => self.keep_last,
            15 if resident_id::is_valid_legacy(v) => self.keep_last.min(3),
            _ => return false,
        };
        mask_alnum(v, v.len(), self.keep_first, last, self.mask_char, out);
        if out.ends_with('x') {
            out.truncate(out.len() - 1);
            out.push('X');
        }
        true
    }
}

keep_params!(
    /// Mobile number: keeps the network prefix and the last 4 (`138****8000`); a `+86` / `0086`
    /// prefix and separators are kept as written (`+86 138-****-8000`).
    MobileMask, 3, 4
);

impl MobileMask {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        if v.len() == 11 && mobile::is_valid(v) {
            // The common form (11 digits, nothing else): no need for the general parse.
            mask_alnum(v, 11, self.keep_first, self.keep_last, self.mask_char, out);
            return true;
        }
        let Some(p) = mobile::parse(v) else { return false };
        out.push_str(&v[..p.prefix_len]);
        mask_alnum(&v[p.prefix_len..], 11, self.keep_first, self.keep_last, self.mask_char, out);
        true
    }
}

/// Landline: keeps the area code, the last `keep_last` subscriber digits and any extension
/// (`010-****5678`, `0755-***4567`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LandlineMask {
    /// Subscriber digits kept at the end (default 4).
    pub keep_last: usize,
    /// Keep the area code (default true).
    pub keep_area: bool,
    /// The mask character (default `*`).
    pub mask_char: char,
}

impl Default for LandlineMask {
    fn default() -> Self {
        LandlineMask { keep_last: 4, keep_area: true, mask_char: '*' }
    }
}

impl LandlineMask {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        let Some(p) = landline::parse(v) else { return false };
        out.push_str(&v[..p.area.start]);
        if self.keep_area {
            out.push_str(&v[p.area.clone()]);
        } else {
            out.extend(std::iter::repeat_n(self.mask_char, p.area.len()));
        }
        out.push_str(&v[p.area.end..p.subscriber.start]);
        let sub = &v[p.subscriber.clone()];
        mask_alnum(sub, sub.len(), 0, self.keep_last, self.mask_char, out);
        out.push_str(&v[p.subscriber.end..]);
        true
    }
}

keep_params!(
    /// Bank card number (12-19 digits, Luhn): keeps the first 6 (issuer) and last 4
    /// (`622202******1234`); separators are kept.
    BankCardMask, 6, 4
);

impl BankCardMask {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        if !crate::ids::is_bank_card(v) {
            return false;
        }
        let n = v.bytes().filter(u8::is_ascii_digit).count();
        mask_alnum(v, n, self.keep_first, self.keep_last, self.mask_char, out);
        true
    }
}

keep_params!(
    /// Unified Social Credit Code: keeps the registration authority, organization type and region
    /// code (first 8) and the last 2 check characters, hiding the organization code
    /// (`91350100********43`).
    UsccMask, 8, 2
);

impl UsccMask {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        if !uscc::is_valid(v) {
            return false;
        }
        mask_alnum(v, 18, self.keep_first, self.keep_last, self.mask_char, out);
        true
    }
}

/// Email: keeps the first `keep_first` characters of the local part and the domain, and writes a
/// fixed run of mask characters so the local part's length is hidden (`z***@example.com`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailMask {
    /// Local-part characters kept (default 1; 0 for a one-character local part).
    pub keep_first: usize,
    /// Mask characters written for the rest of the local part (default 3).
    pub mask_length: usize,
    /// Keep the domain (default true); otherwise it is masked too, except its last label.
    pub keep_domain: bool,
    /// The mask character (default `*`).
    pub mask_char: char,
}

impl Default for EmailMask {
    fn default() -> Self {
        EmailMask { keep_first: 1, mask_length: 3, keep_domain: true, mask_char: '*' }
    }
}

impl EmailMask {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        let Some(at) = email::parse(v) else { return false };
        let local = &v[..at];
        graphemes::keep_ends(local, self.keep_first, 0, self.mask_char, Some(self.mask_length.max(1)), out);
        out.push('@');
        let domain = &v[at + 1..];
        if self.keep_domain {
            out.push_str(domain);
        } else {
            let dot = domain.rfind('.').unwrap_or(0);
            out.extend(std::iter::repeat_n(self.mask_char, 3));
            out.push_str(&domain[dot..]);
        }
        true
    }
}

keep_params!(
    /// Licence plate: keeps the province and authority letter and the last 2 (`京A***45`,
    /// new-energy `京AD***45`).
    PlateMask, 2, 2
);

impl PlateMask {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        if !plate::is_valid(v) {
            return false;
        }
        graphemes::keep_ends(v, self.keep_first, self.keep_last, self.mask_char, None, out);
        true
    }
}

keep_params!(
    /// Passport or travel-permit number: keeps the document letter and the last 3 (`E*****678`).
    PassportMask, 1, 3
);

impl PassportMask {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        if !passport::is_valid(v) {
            return false;
        }
        mask_alnum(v, v.len(), self.keep_first, self.keep_last, self.mask_char, out);
        true
    }
}
