//! Format-preserving encryption of arbitrary strings: FF1 over digits, alphanumerics and a CJK
//! alphabet, resident IDs, mobile numbers and bank cards, under the AES or the SM version. The
//! first byte picks the cipher (bits 0-2), the version (bit 6) and decrypt (bit 7) or encrypt;
//! an encryption that succeeds must decrypt back to the input (up to the case of ASCII letters).
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use privshare::fle::{Alphabet, BankCardCipher, DateRange, Ff1Cipher, MobileCipher, ResidentIdCipher};
use privshare::Result;

type Fn2 = Box<dyn Fn(&str, bool) -> Result<String> + Send + Sync>;

fn ciphers() -> &'static Vec<Fn2> {
    static C: OnceLock<Vec<Fn2>> = OnceLock::new();
    C.get_or_init(|| {
        let k = privshare_fuzz::keyset();
        let mut out: Vec<Fn2> = Vec::new();
        for id in [privshare_fuzz::AES_KEY_ID, privshare_fuzz::SM_KEY_ID] {
            for alphabet in
                [Alphabet::digits(), Alphabet::alphanumeric(), Alphabet::custom("零一二三四五六七八九").unwrap()]
            {
                let c = Ff1Cipher::new(k, id, "census", "f", alphabet).unwrap();
                out.push(Box::new(move |v, enc| if enc { c.encrypt(v) } else { c.decrypt(v) }));
            }
            let births = DateRange { start: (1900, 1, 1), end: (2099, 12, 31) };
            let c = ResidentIdCipher::new(k, id, "census", "id", births).unwrap();
            out.push(Box::new(move |v, enc| if enc { c.encrypt(v) } else { c.decrypt(v) }));
            let c = MobileCipher::new(k, id, "census", "phone").unwrap();
            out.push(Box::new(move |v, enc| if enc { c.encrypt(v) } else { c.decrypt(v) }));
            let c = BankCardCipher::new(k, id, "census", "card").unwrap();
            out.push(Box::new(move |v, enc| if enc { c.encrypt(v) } else { c.decrypt(v) }));
        }
        out
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, value)) = data.split_first() else { return };
    let Ok(value) = std::str::from_utf8(value) else { return };
    let kind = usize::from(selector & 7) % 6;
    let cipher = &ciphers()[kind + if selector & 0x40 != 0 { 6 } else { 0 }];
    if selector & 0x80 != 0 {
        let _ = cipher(value, false);
    } else if let Ok(ct) = cipher(value, true) {
        // Resident IDs take a lowercase check character `x` and give it back uppercase.
        let back = cipher(&ct, false).expect("a ciphertext decrypts");
        assert!(back.eq_ignore_ascii_case(value), "{value:?} -> {ct:?} -> {back:?}");
        assert_eq!(cipher(&back, true).expect("a decrypted value encrypts"), ct);
    }
});
