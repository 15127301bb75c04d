//! Rules for numbers: rounding to a base, bucketing into ranges, top/bottom coding.
//!
//! Numbers are plain decimals: an optional `-`, digits, and an optional fraction (`-12`, `3.50`).
//! Anything else (exponents, thousands separators, `NaN`) does not parse.

use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Parses a plain decimal and returns it with its number of fraction digits.
pub(crate) fn parse_number(v: &str) -> Option<(f64, usize)> {
    let b = v.as_bytes();
    let body = b.strip_prefix(b"-").unwrap_or(b);
    let (int, frac) = match body.iter().position(|&c| c == b'.') {
        Some(p) => (&body[..p], Some(&body[p + 1..])),
        None => (body, None),
    };
    if int.is_empty() || int.len() > 18 || !int.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let decimals = match frac {
        Some(f) if f.is_empty() || !f.iter().all(u8::is_ascii_digit) => return None,
        Some(f) => f.len(),
        None => 0,
    };
    v.parse::<f64>().ok().filter(|x| x.is_finite()).map(|x| (x, decimals))
}

/// Writes `x` with `decimals` fraction digits, without a negative zero.
fn write_number(out: &mut String, x: f64, decimals: usize) {
    let x = if x == 0.0 { 0.0 } else { x };
    let _ = write!(out, "{x:.decimals$}");
}

/// Fraction digits needed to write `x` exactly as Rust's shortest representation does.
fn decimals_of(x: f64) -> usize {
    let s = format!("{x}");
    s.find('.').map_or(0, |p| s.len() - p - 1)
}

/// Which way [`Round`] goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundMode {
    /// Down to the multiple of `base` at or below the value (generalization: 37 → 35).
    #[default]
    Floor,
    /// To the nearest multiple (halves away from zero).
    Nearest,
    /// Up to the multiple at or above the value.
    Ceil,
}

/// Rounds a number to a multiple of `base`. `{"rule":"round","base":5}`: `37` → `35`;
/// `{"rule":"round","base":0.5,"mode":"nearest"}`: `3.74` → `3.5`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Round {
    /// The base (> 0).
    pub base: f64,
    /// Rounding direction (default `floor`).
    pub mode: RoundMode,
}

impl Default for Round {
    fn default() -> Self {
        Round { base: 1.0, mode: RoundMode::Floor }
    }
}

impl Round {
    pub(crate) fn check(&self) -> crate::Result<()> {
        if !(self.base.is_finite() && self.base > 0.0) {
            return Err(crate::Error::new(crate::ErrorKind::InvalidArgument, "round rule: base must be positive"));
        }
        Ok(())
    }

    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        let Some((x, _)) = parse_number(v) else { return false };
        // A small tolerance so that 0.3 / 0.1 counts as 3, not 2.999...
        let q = x / self.base;
        let k = match self.mode {
            RoundMode::Floor => (q + 1e-9).floor(),
            RoundMode::Ceil => (q - 1e-9).ceil(),
            RoundMode::Nearest => q.round(),
        };
        let y = k * self.base;
        if !y.is_finite() {
            return false;
        }
        write_number(out, y, decimals_of(self.base));
        true
    }
}

/// Replaces a number with the label of the range it falls in. With bounds `b0 < b1 < ... < bn`
/// the default labels are `<b0`, `[b0,b1)`, ..., `>=bn`; `labels` (n + 2 of them) replaces them.
/// `{"rule":"bucket","bounds":[18,35,60]}`: `42` → `[35,60)`, `70` → `>=60`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bucket {
    /// Strictly increasing bounds; a value equal to a bound goes to the range that starts there.
    pub bounds: Vec<f64>,
    /// Optional labels, one more than there are bounds.
    pub labels: Option<Vec<String>>,
}

impl Bucket {
    pub(crate) fn check(&self) -> crate::Result<()> {
        let bad = |m: &str| Err(crate::Error::new(crate::ErrorKind::InvalidArgument, format!("bucket rule: {m}")));
        if self.bounds.is_empty() || !self.bounds.iter().all(|b| b.is_finite()) {
            return bad("bounds must be a non-empty list of finite numbers");
        }
        if !self.bounds.windows(2).all(|w| w[0] < w[1]) {
            return bad("bounds must be strictly increasing");
        }
        if self.labels.as_ref().is_some_and(|l| l.len() != self.bounds.len() + 1) {
            return bad("there must be one more label than bounds");
        }
        Ok(())
    }

    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        let Some((x, _)) = parse_number(v) else { return false };
        let i = self.bounds.partition_point(|&b| b <= x);
        if let Some(labels) = &self.labels {
            out.push_str(&labels[i]);
            return true;
        }
        let _ = match i {
            0 => write!(out, "<{}", self.bounds[0]),
            i if i == self.bounds.len() => write!(out, ">={}", self.bounds[i - 1]),
            i => write!(out, "[{},{})", self.bounds[i - 1], self.bounds[i]),
        };
        true
    }
}

/// Top and bottom coding: values above `top` become `top`, values below `bottom` become `bottom`,
/// others are written unchanged. `{"rule":"top_bottom","top":90}`: `97` → `90`, `45` → `45`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopBottom {
    /// Lower threshold, if any.
    pub bottom: Option<f64>,
    /// Upper threshold, if any.
    pub top: Option<f64>,
}

impl TopBottom {
    pub(crate) fn check(&self) -> crate::Result<()> {
        let ok = match (self.bottom, self.top) {
            (None, None) => false,
            (Some(b), Some(t)) => b.is_finite() && t.is_finite() && b <= t,
            (Some(x), None) | (None, Some(x)) => x.is_finite(),
        };
        if !ok {
            return Err(crate::Error::new(
                crate::ErrorKind::InvalidArgument,
                "top_bottom rule: give finite bottom and/or top with bottom <= top",
            ));
        }
        Ok(())
    }

    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        let Some((x, _)) = parse_number(v) else { return false };
        match (self.bottom, self.top) {
            (_, Some(t)) if x > t => write_number(out, t, decimals_of(t)),
            (Some(b), _) if x < b => write_number(out, b, decimals_of(b)),
            _ => out.push_str(v),
        }
        true
    }
}
