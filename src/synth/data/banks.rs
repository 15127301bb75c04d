//! Issuer identification numbers (BINs) of Chinese debit cards.

/// A card product: 6-digit BIN, issuer, card length, and a weight (rough share of cards issued).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CardBin {
    /// The first six digits.
    pub bin: u32,
    /// Issuing bank.
    pub issuer: &'static str,
    /// Total number of digits, check digit included (16 or 19).
    pub length: u8,
    /// Relative share.
    pub weight: u32,
}

const fn b(bin: u32, issuer: &'static str, length: u8, weight: u32) -> CardBin {
    CardBin { bin, issuer, length, weight }
}

/// Debit-card BINs of the largest issuers, as registered with China UnionPay (BINs starting 62
/// are UnionPay's own range). Weights roughly follow the banks' numbers of cards in issue.
#[rustfmt::skip]
pub const CARD_BINS: &[CardBin] = &[
    b(622202, "中国工商银行", 19, 14), b(621226, "中国工商银行", 19, 8),
    b(622848, "中国农业银行", 19, 20),
    b(621700, "中国建设银行", 19, 12), b(622700, "中国建设银行", 19, 6),
    b(621661, "中国银行", 19, 10),
    b(622262, "交通银行", 19, 5),
    b(621799, "中国邮政储蓄银行", 19, 8), b(622188, "中国邮政储蓄银行", 19, 4),
    b(622588, "招商银行", 16, 5), b(621483, "招商银行", 16, 3),
];
