//! FF1 over a caller's alphabet: `alphabet 0xFF value`. The alphabet is checked, a cipher built
//! over it and the value encrypted; a success must decrypt back to the value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::fle::{Alphabet, Ff1Cipher};

fuzz_target!(|data: &[u8]| {
    let (alphabet, value) = privshare_fuzz::split2(data);
    let (Ok(alphabet), Ok(value)) = (std::str::from_utf8(alphabet), std::str::from_utf8(value)) else { return };
    let Ok(alphabet) = Alphabet::custom(alphabet) else { return };
    let k = privshare_fuzz::keyset();
    let Ok(cipher) = Ff1Cipher::new(k, privshare_fuzz::AES_KEY_ID, "census", "f", alphabet) else { return };
    if let Ok(ct) = cipher.encrypt(value) {
        assert_eq!(cipher.decrypt(&ct).expect("a ciphertext decrypts"), value);
    }
});
