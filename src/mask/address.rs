//! Postal addresses: keep the province, city and district, mask the rest (`北京市海淀区****`).
//!
//! The administrative prefix is found by its suffixes: a province-level name from the 34 (full
//! or short form, e.g. `广东省` or `广东`), then for provinces a prefecture-level name ending in
//! 市 / 自治州 / 地区 / 盟, then a county-level name ending in 区 / 县 / 市 / 旗 (municipalities go
//! straight to the district). Each level name is 1 to 9 characters before its suffix.

use serde::{Deserialize, Serialize};

/// Province-level divisions: (full name, short form, is a municipality or SAR).
const PROVINCES: &[(&str, &str, bool)] = &[
    ("北京市", "北京", true),
    ("天津市", "天津", true),
    ("上海市", "上海", true),
    ("重庆市", "重庆", true),
    ("河北省", "河北", false),
    ("山西省", "山西", false),
    ("辽宁省", "辽宁", false),
    ("吉林省", "吉林", false),
    ("黑龙江省", "黑龙江", false),
    ("江苏省", "江苏", false),
    ("浙江省", "浙江", false),
    ("安徽省", "安徽", false),
    ("福建省", "福建", false),
    ("江西省", "江西", false),
    ("山东省", "山东", false),
    ("河南省", "河南", false),
    ("湖北省", "湖北", false),
    ("湖南省", "湖南", false),
    ("广东省", "广东", false),
    ("海南省", "海南", false),
    ("四川省", "四川", false),
    ("贵州省", "贵州", false),
    ("云南省", "云南", false),
    ("陕西省", "陕西", false),
    ("甘肃省", "甘肃", false),
    ("青海省", "青海", false),
    ("台湾省", "台湾", false),
    ("内蒙古自治区", "内蒙古", false),
    ("广西壮族自治区", "广西", false),
    ("西藏自治区", "西藏", false),
    ("宁夏回族自治区", "宁夏", false),
    ("新疆维吾尔自治区", "新疆", false),
    ("香港特别行政区", "香港", true),
    ("澳门特别行政区", "澳门", true),
];

const CITY_SUFFIXES: &[&str] = &["自治州", "地区", "盟", "市"];
const DISTRICT_SUFFIXES: &[&str] = &["自治县", "自治旗", "新区", "区", "县", "旗", "市"];

/// Byte length of the first level name ending in one of `suffixes` within the next 10 characters.
fn level(s: &str, suffixes: &[&str]) -> Option<usize> {
    for (n, (i, _)) in s.char_indices().enumerate().skip(1) {
        if n > 9 {
            break;
        }
        if let Some(sfx) = suffixes.iter().find(|x| s[i..].starts_with(**x)) {
            return Some(i + sfx.len());
        }
    }
    None
}

/// Byte lengths of the recognised levels of `addr`: `[province, +city, +district]` (cumulative),
/// as many as were found; empty when no province is recognised.
pub fn admin_prefix(addr: &str) -> Vec<usize> {
    let Some(&(full, short, direct)) = PROVINCES.iter().find(|(f, s, _)| addr.starts_with(f) || addr.starts_with(s))
    else {
        return Vec::new();
    };
    let mut ends = vec![if addr.starts_with(full) { full.len() } else { short.len() }];
    if !direct {
        match level(&addr[ends[0]..], CITY_SUFFIXES) {
            Some(l) => ends.push(ends[0] + l),
            None => return ends,
        }
    }
    let at = *ends.last().unwrap_or(&0);
    if let Some(l) = level(&addr[at..], DISTRICT_SUFFIXES) {
        ends.push(at + l);
    }
    ends
}

/// True when `addr` starts with a recognised province and has at least 2 more letters or digits
/// after its recognised administrative prefix (a street, a building: the part that identifies).
pub fn is_address(addr: &str) -> bool {
    let ends = admin_prefix(addr);
    ends.last().is_some_and(|&e| addr[e..].chars().filter(|c| c.is_alphanumeric()).nth(1).is_some())
}

/// Keeps the first `levels` administrative levels (province, city, district) and writes a fixed
/// run of mask characters for the rest: `北京市海淀区中关村大街27号` → `北京市海淀区****`,
/// `广东省深圳市南山区科技园` → `广东省深圳市南山区****`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AddressMask {
    /// Administrative levels kept (1 to 3, default 3).
    pub levels: usize,
    /// Mask characters written for the rest (default 4; hides its length).
    pub mask_length: usize,
    /// The mask character (default `*`).
    pub mask_char: char,
}

impl Default for AddressMask {
    fn default() -> Self {
        AddressMask { levels: 3, mask_length: 4, mask_char: '*' }
    }
}

impl AddressMask {
    pub(crate) fn mask(&self, v: &str, out: &mut String) -> bool {
        let ends = admin_prefix(v);
        if !is_address(v) {
            // No province, or nothing after the administrative prefix to mask.
            return false;
        }
        let keep = ends[ends.len().min(self.levels.max(1)) - 1];
        out.push_str(&v[..keep]);
        out.extend(std::iter::repeat_n(self.mask_char, self.mask_length.max(1)));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(admin_prefix("北京市海淀区中关村大街27号"), vec![9, 18]);
        assert_eq!(admin_prefix("广东省深圳市南山区科技园"), vec![9, 18, 27]);
        assert_eq!(admin_prefix("新疆维吾尔自治区乌鲁木齐市天山区"), vec![24, 39, 48]);
        assert_eq!(admin_prefix("浙江杭州市西湖区"), vec![6, 15, 24]);
        assert!(admin_prefix("中关村大街27号").is_empty());
        assert!(is_address("北京市海淀区中关村大街27号"));
        assert!(!is_address("北京市海淀区") && !is_address("广东省"));
    }
}
