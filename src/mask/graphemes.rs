//! Counting and walking text as a person sees it: one unit per extended grapheme cluster, so that
//! a Chinese character, an emoji with modifiers or a letter with combining marks is one unit.

use unicode_segmentation::UnicodeSegmentation;

/// True when every char is certainly a grapheme cluster on its own, so that `chars()` is enough:
/// printable ASCII, Latin-1 letters, CJK ideographs and CJK punctuation. Anything else (combining
/// marks, emoji, joiners, Hangul jamo, CR) takes the full segmentation path.
fn simple(s: &str) -> bool {
    s.chars().all(|c| matches!(c as u32, 0x20..=0x7E | 0xA0..=0x2FF | 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF01..=0xFF5E))
}

/// Calls `f` with each grapheme cluster of `s`, in order.
pub(crate) fn for_each(s: &str, mut f: impl FnMut(&str)) {
    if s.is_ascii() {
        // Fast path; "\r\n" is the one ASCII pair that forms a single cluster.
        if !s.contains('\r') {
            for i in 0..s.len() {
                f(&s[i..i + 1]);
            }
            return;
        }
    } else if simple(s) {
        for (i, c) in s.char_indices() {
            f(&s[i..i + c.len_utf8()]);
        }
        return;
    }
    for g in s.graphemes(true) {
        f(g);
    }
}

/// Number of grapheme clusters in `s`.
pub(crate) fn count(s: &str) -> usize {
    if s.is_ascii() && !s.contains('\r') {
        s.len()
    } else if simple(s) {
        s.chars().count()
    } else {
        s.graphemes(true).count()
    }
}

/// How many units to keep at the start and end of a value of `n` units so that at least one is
/// masked: the requested `first` and `last`, shrunk (`last` first) when they would cover everything.
pub(crate) fn clamp_keep(n: usize, first: usize, last: usize) -> (usize, usize) {
    if first.saturating_add(last) < n {
        return (first, last);
    }
    let budget = n.saturating_sub(1);
    let f = first.min(budget);
    (f, last.min(budget - f))
}

/// Writes `s` with its first `first` and last `last` units kept and every other unit replaced by
/// `mask` (or, with `fixed = Some(k)`, the masked run replaced by exactly `k` mask characters).
/// At least one unit is always masked.
pub(crate) fn keep_ends(s: &str, first: usize, last: usize, mask: char, fixed: Option<usize>, out: &mut String) {
    let n = count(s);
    let (f, l) = clamp_keep(n, first, last);
    let mut i = 0;
    let mut masked = false;
    for_each(s, |g| {
        if i < f || i >= n - l {
            out.push_str(g);
        } else if let Some(k) = fixed {
            if !masked {
                out.extend(std::iter::repeat_n(mask, k));
                masked = true;
            }
        } else {
            out.push(mask);
        }
        i += 1;
    });
}

/// Writes one `mask` per unit of `s`.
pub(crate) fn mask_all(s: &str, mask: char, out: &mut String) {
    out.extend(std::iter::repeat_n(mask, count(s)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(count("张三"), 2);
        assert_eq!(count("e\u{301}a"), 2);
        assert_eq!(count("👍🏽x"), 2);
        assert_eq!(count("👨‍👩‍👧"), 1);
        assert_eq!(count("a\r\nb"), 3);
        let mut s = String::new();
        keep_ends("e\u{301}cole", 1, 1, '*', None, &mut s);
        assert_eq!(s, "e\u{301}***e");
        assert_eq!(clamp_keep(3, 6, 4), (2, 0));
        assert_eq!(clamp_keep(1, 0, 4), (0, 0));
        assert_eq!(clamp_keep(0, 1, 1), (0, 0));
        assert_eq!(clamp_keep(10, 3, 4), (3, 4));
    }
}
