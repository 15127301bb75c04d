//! Personal names: keep the surname, mask the given name.
//!
//! Chinese names keep a compound surname when the name has at least three characters and starts
//! with one (`欧阳娜娜` → `欧阳**`), otherwise the first character (`张三` → `张*`). Names written with
//! a middle dot (transliterated minority and foreign names) keep the part before the first dot
//! (`买买提·艾力` → `买买提·**`). Other names written with spaces keep the first letter of each word
//! (`John Smith` → `J*** S****`).

use super::graphemes;
use serde::{Deserialize, Serialize};

/// Compound (two-character) surnames, from the 百家姓 and current registrations.
pub const COMPOUND_SURNAMES: &[&str] = &[
    "万俟", "上官", "东方", "东郭", "东门", "乐正", "令狐", "仲孙", "公冶", "公孙", "公羊", "公良", "公西", "单于",
    "南宫", "南门", "司寇", "司徒", "司空", "司马", "呼延", "夏侯", "太史", "太叔", "夹谷", "子车", "宇文", "宗政",
    "宰父", "尉迟", "巫马", "左丘", "拓跋", "慕容", "梁丘", "欧阳", "段干", "漆雕", "澹台", "濮阳", "皇甫", "百里",
    "端木", "第五", "羊舌", "诸葛", "谷梁", "赫连", "轩辕", "钟离", "长孙", "闻人", "闾丘", "颛孙", "鲜于", "亓官",
    "壤驷", "微生", "申屠", "独孤",
];

/// Common single-character surnames (about the 300 most frequent), used by detection.
pub const COMMON_SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程\
苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康\
施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路\
游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬\
边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";

/// True when `s` starts with a compound surname.
fn is_compound(s: &str) -> bool {
    // Compound surnames are 6 bytes of UTF-8; compare the prefix once against the list.
    s.get(..6).is_some_and(|p| COMPOUND_SURNAMES.contains(&p))
}

fn is_dot(c: char) -> bool {
    matches!(c, '·' | '•' | '・' | '‧' | '∙')
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x2EBEF)
}

/// True when `s` looks like a personal name: 1 to 40 characters, letters (any script), with
/// single middle dots, spaces, hyphens, apostrophes or periods between them; no digits.
pub fn is_name(s: &str) -> bool {
    let n = graphemes::count(s);
    if !(1..=40).contains(&n) || s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    let mut prev_sep = true;
    for c in s.chars() {
        if c.is_alphabetic() {
            prev_sep = false;
        } else if is_dot(c) || matches!(c, ' ' | '-' | '\'' | '.') {
            if prev_sep && c != '.' {
                return false;
            }
            prev_sep = true;
        } else if !is_mark(c) {
            return false;
        }
    }
    !prev_sep || s.ends_with('.')
}

/// Combining marks (accents written as separate code points) belong to the letter before.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// True when `s` is a Chinese name of 2 to 4 Han characters starting with a common or compound
/// surname (stronger evidence than [`is_name`], used by detection).
pub fn is_common_chinese_name(s: &str) -> bool {
    let n = s.chars().count();
    (2..=4).contains(&n)
        && s.chars().all(is_han)
        && (s.chars().next().is_some_and(|c| COMMON_SURNAMES.contains(c)) || (n >= 3 && is_compound(s)))
}

/// Masks a personal name keeping the surname (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NameMask {
    /// The mask character (default `*`).
    pub mask_char: char,
    /// Write exactly this many mask characters for the given name (hides its length).
    pub fixed_length: Option<usize>,
}

impl Default for NameMask {
    fn default() -> Self {
        NameMask { mask_char: '*', fixed_length: None }
    }
}

impl NameMask {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        // Fast path for the common case: only Han characters, each one grapheme.
        let mut n = 0;
        if v.chars().all(|c| {
            n += 1;
            is_han(c)
        }) && (1..=40).contains(&n)
        {
            let surname = if n >= 3 && is_compound(v) { 2 } else { 1 };
            let (f, _) = graphemes::clamp_keep(n, surname, 0);
            let cut = v.char_indices().nth(f).map_or(v.len(), |(i, _)| i);
            out.push_str(&v[..cut]);
            super::pii::push_mask(self.mask_char, self.fixed_length.unwrap_or(n - f), out);
            return true;
        }
        if !is_name(v) {
            return false;
        }
        if let Some(dot) = v.char_indices().find(|&(_, c)| is_dot(c)) {
            // Keep the first part and the dots; mask the letters of the other parts.
            let (head, tail) = v.split_at(dot.0);
            if graphemes::count(head) == 0 {
                return false;
            }
            out.push_str(head);
            let mut run = false;
            graphemes::for_each(tail, |g| {
                if g.chars().next().is_some_and(is_dot) {
                    out.push_str(g);
                    run = false;
                } else if let Some(k) = self.fixed_length {
                    if !run {
                        out.extend(std::iter::repeat_n(self.mask_char, k));
                    }
                    run = true;
                } else {
                    out.push(self.mask_char);
                }
            });
            return true;
        }
        if v.contains(' ') {
            // Western order: keep each word's initial.
            let mut first = true;
            graphemes::for_each(v, |g| {
                if g == " " {
                    out.push(' ');
                    first = true;
                } else if first {
                    out.push_str(g);
                    first = false;
                } else {
                    out.push(self.mask_char);
                }
            });
            return true;
        }
        let n = graphemes::count(v);
        let surname = if n >= 3 && is_compound(v) { 2 } else { 1 };
        graphemes::keep_ends(v, surname, 0, self.mask_char, self.fixed_length, out);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(COMPOUND_SURNAMES.iter().all(|s| s.chars().count() == 2));
        assert!(is_name("张三") && is_name("买买提·艾力") && is_name("John Smith") && is_name("O'Neil"));
        assert!(!is_name("张三1") && !is_name("") && !is_name("·艾力") && !is_name("a  b") && !is_name(" 张三"));
        assert!(is_common_chinese_name("欧阳娜娜") && is_common_chinese_name("王芳"));
        assert!(!is_common_chinese_name("教师") && !is_common_chinese_name("王") && !is_common_chinese_name("汉族"));
    }
}
