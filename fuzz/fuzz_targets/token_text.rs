//! Linkage tokens: the text form (`pt1:`…) parsed, or any value tokenized (AES or SM version) and
//! its text form parsed back.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use privshare::fle::Tokenizer;

fn tokenizers() -> &'static [Tokenizer; 2] {
    static T: OnceLock<[Tokenizer; 2]> = OnceLock::new();
    T.get_or_init(|| {
        let k = privshare_fuzz::keyset();
        [
            Tokenizer::with_version(k, privshare_fuzz::AES_KEY_ID, "link-tax-health").unwrap(),
            Tokenizer::with_version(k, privshare_fuzz::SM_KEY_ID, "link-tax-health").unwrap(),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else { return };
    match selector % 3 {
        0 => {
            if let Ok(text) = std::str::from_utf8(input) {
                let _ = Tokenizer::parse_text(text);
            }
        }
        n => {
            let t = &tokenizers()[usize::from(n - 1)];
            if let Ok(text) = t.token_text(input) {
                let (id, token) = Tokenizer::parse_text(&text).expect("a token's text form parses");
                assert_eq!(id, t.key_id());
                assert_eq!(token, t.token(input).unwrap());
            }
        }
    }
});
