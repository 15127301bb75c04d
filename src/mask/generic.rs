//! Generic rules that work on any text, counting grapheme clusters (see [`graphemes`](super)).

use super::graphemes;
use serde::{Deserialize, Serialize};

/// Replaces the whole value with mask characters: one per character, or exactly `length`.
/// `{"rule":"redact"}`: `张三丰` → `***`; `{"rule":"redact","length":4}` → `****`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Redact {
    /// The mask character (default `*`).
    pub mask_char: char,
    /// A fixed output length that hides the value's length; `None` keeps the length.
    pub length: Option<usize>,
}

impl Default for Redact {
    fn default() -> Self {
        Redact { mask_char: '*', length: None }
    }
}

impl Redact {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        match self.length {
            Some(k) => out.extend(std::iter::repeat_n(self.mask_char, k)),
            None => graphemes::mask_all(v, self.mask_char, out),
        }
        true
    }
}

/// Keeps the first `first` and last `last` characters and masks the rest; at least one character
/// is always masked (the kept ends shrink for short values).
/// `{"rule":"keep_ends","first":1,"last":1}`: `13800138000` → `1*********0`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KeepEnds {
    /// Characters kept at the start.
    pub first: usize,
    /// Characters kept at the end.
    pub last: usize,
    /// The mask character (default `*`).
    pub mask_char: char,
    /// Replace the masked run by exactly this many mask characters (hides the length).
    pub fixed_length: Option<usize>,
}

impl Default for KeepEnds {
    fn default() -> Self {
        KeepEnds { first: 0, last: 0, mask_char: '*', fixed_length: None }
    }
}

impl KeepEnds {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        graphemes::keep_ends(v, self.first, self.last, self.mask_char, self.fixed_length, out);
        true
    }
}

/// Replaces every value with one constant. `{"rule":"constant","value":"已脱敏"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Constant {
    /// The replacement text.
    pub value: String,
}

/// Keeps the first `length` characters and drops the rest (values that are not longer stay as
/// they are). `{"rule":"truncate","length":3}`: `北京市海淀区` → `北京市`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Truncate {
    /// Characters kept.
    pub length: usize,
}

impl Truncate {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        let mut i = 0;
        graphemes::for_each(v, |g| {
            if i < self.length {
                out.push_str(g);
            }
            i += 1;
        });
        true
    }
}

/// Masks what a regular expression matches (every match, or only capture group `group` of each
/// match), one mask character per character. A value with no match is treated as not parsing.
/// `{"rule":"regex","pattern":"\\d{4}$"}`: `room 1203, 5678` → `room 1203, ****`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegexMask {
    /// The pattern (Rust `regex` syntax; no look-around or backreferences, linear time).
    pub pattern: String,
    /// The capture group to mask inside each match; 0 (default) masks the whole match.
    pub group: usize,
    /// The mask character (default `*`).
    pub mask_char: char,
}

impl Default for RegexMask {
    fn default() -> Self {
        RegexMask { pattern: String::new(), group: 0, mask_char: '*' }
    }
}

impl RegexMask {
    pub(crate) fn compile(&self) -> crate::Result<regex::Regex> {
        let re = regex::RegexBuilder::new(&self.pattern)
            .size_limit(super::limits::MAX_REGEX_COMPILED_BYTES)
            .build()
            .map_err(|_| {
                crate::Error::new(crate::ErrorKind::InvalidArgument, "regex rule: the pattern does not compile")
            })?;
        if self.group >= re.captures_len() {
            return Err(crate::Error::new(crate::ErrorKind::InvalidArgument, "regex rule: no such capture group"));
        }
        Ok(re)
    }

    pub(crate) fn mask(&self, re: &regex::Regex, v: &str, out: &mut String) -> bool {
        let mut last = 0;
        let mut any = false;
        for caps in re.captures_iter(v) {
            let Some(m) = caps.get(self.group) else { continue };
            if m.is_empty() {
                continue;
            }
            any = true;
            out.push_str(&v[last..m.start()]);
            graphemes::mask_all(m.as_str(), self.mask_char, out);
            last = m.end();
        }
        out.push_str(&v[last..]);
        any
    }
}
