//! The sizes a masking rule may name, checked when the rule is parsed or built, so that no rule can
//! make one value's output large (a `redact` of length 2^64 used to panic, 2^40 to abort the host
//! process) or its compilation costly (a 10 MB regex compiled to 1.26 GB). With these limits a
//! value's output is at most four bytes per grapheme of the value plus a few KiB (see
//! `docs/robustness.md`).

use super::rule::Rule;
use crate::{Error, ErrorKind, Result};

/// Longest masking rule in JSON, in bytes.
pub const MAX_RULE_JSON_BYTES: usize = 64 * 1024;

/// Most mask characters a fixed-length parameter may ask for (`redact`'s `length`, `keep_ends`'
/// and `name`'s `fixed_length`, `email`'s and `address`'s `mask_length`).
pub const MAX_MASK_LENGTH: usize = 1024;

/// Longest replacement text (`constant`'s `value`, each of `bucket`'s `labels`), in bytes.
pub const MAX_TEXT_BYTES: usize = 1024;

/// Most bounds of a `bucket` rule.
pub const MAX_BUCKET_BOUNDS: usize = 1024;

/// Longest `regex` pattern, in bytes.
pub const MAX_REGEX_PATTERN_BYTES: usize = 4096;

/// Most memory a compiled `regex` pattern may take, in bytes (the regex crate's matching cache is
/// bounded separately, by its default of 2 MiB per thread).
pub const MAX_REGEX_COMPILED_BYTES: usize = 1 << 20;

fn too_large(rule: &Rule, field: &str, limit: usize, unit: &str) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!("{} rule: {field} is more than the limit of {limit} {unit}", rule.name()),
    )
}

/// Refuses a rule whose sizes pass the limits above; the error names the rule and the field.
pub(crate) fn check(rule: &Rule) -> Result<()> {
    let length = |field: &str, n: Option<usize>| match n {
        Some(n) if n > MAX_MASK_LENGTH => Err(too_large(rule, field, MAX_MASK_LENGTH, "characters")),
        _ => Ok(()),
    };
    let text = |field: &str, s: &str| match s.len() > MAX_TEXT_BYTES {
        true => Err(too_large(rule, field, MAX_TEXT_BYTES, "bytes")),
        false => Ok(()),
    };
    match rule {
        Rule::Redact(r) => length("length", r.length),
        Rule::KeepEnds(r) => length("fixed_length", r.fixed_length),
        Rule::Name(r) => length("fixed_length", r.fixed_length),
        Rule::Email(r) => length("mask_length", Some(r.mask_length)),
        Rule::Address(r) => length("mask_length", Some(r.mask_length)),
        Rule::Constant(r) => text("value", &r.value),
        Rule::Bucket(r) => {
            if r.bounds.len() > MAX_BUCKET_BOUNDS {
                return Err(too_large(rule, "bounds", MAX_BUCKET_BOUNDS, "bounds"));
            }
            r.labels.iter().flatten().try_for_each(|l| text("labels", l))
        }
        Rule::Regex(r) if r.pattern.len() > MAX_REGEX_PATTERN_BYTES => {
            Err(too_large(rule, "pattern", MAX_REGEX_PATTERN_BYTES, "bytes"))
        }
        _ => Ok(()),
    }
}
