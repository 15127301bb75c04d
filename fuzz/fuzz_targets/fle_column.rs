//! Whole-column decryption (`FieldCipher::decrypt_column`, the batch paths) against the
//! single-value path. The input is a selector byte then values, each one length byte and its bytes.
//! Selector: bits 0-1 the cipher (randomized, deterministic, FF1 over digits), bit 2 the text
//! form, bits 4-5 the `OnInvalid` choice, bit 6 every record id "row-0001" (randomized only).
//! Every row the column call transforms must equal what `decrypt_value` gives for it, and every
//! row it marks invalid must fail alone.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use privshare::fle::{Alphabet, DeterministicCipher, Encoding, Ff1Cipher, FieldCipher, RandomizedCipher};
use privshare::{OnInvalid, Packed};

fn ciphers() -> &'static [Box<dyn FieldCipher>; 3] {
    static C: OnceLock<[Box<dyn FieldCipher>; 3]> = OnceLock::new();
    C.get_or_init(|| {
        let k = privshare_fuzz::keyset();
        [
            Box::new(RandomizedCipher::new(k, "tax-2026", "id_number").unwrap()),
            Box::new(DeterministicCipher::new(k, "tax-2026", "id_number").unwrap()),
            Box::new(Ff1Cipher::new(k, privshare_fuzz::AES_KEY_ID, "census", "f-digits", Alphabet::digits()).unwrap()),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, mut rest)) = data.split_first() else { return };
    let (mut bytes, mut offsets) = (Vec::new(), vec![0usize]);
    while let Some((&n, tail)) = rest.split_first() {
        let n = usize::from(n).min(tail.len());
        bytes.extend_from_slice(&tail[..n]);
        offsets.push(bytes.len());
        rest = &tail[n..];
    }
    let values = Packed::new(&bytes, &offsets).expect("offsets made here are valid");
    let which = usize::from(selector & 3) % 3;
    let cipher = &ciphers()[which];
    let encoding = if selector & 4 != 0 { Encoding::Text } else { Encoding::Binary };
    let on_invalid = match (selector >> 4) & 3 {
        0 | 3 => OnInvalid::Error,
        1 => OnInvalid::Null,
        _ => OnInvalid::KeepMarked,
    };
    let record_ids: Vec<&[u8]> = vec![b"row-0001"; offsets.len() - 1];
    let records = (selector & 0x40 != 0 && which == 0).then_some(&record_ids);
    let record = records.map(|_| &b"row-0001"[..]);
    let single = |i: usize| cipher.decrypt_value(record, &bytes[offsets[i]..offsets[i + 1]], encoding);
    let column = cipher.decrypt_column(&values, records.map(|r| r as &dyn privshare::Values), encoding, on_invalid);
    match column {
        Ok(column) => {
            assert_eq!(column.len(), offsets.len() - 1);
            for i in 0..column.len() {
                match single(i) {
                    Ok(plain) => {
                        assert_eq!(column.get(i).unwrap(), &plain[..], "row {i}");
                        assert!(!column.invalid_rows().contains(&i), "row {i}");
                    }
                    Err(_) => {
                        assert_ne!(on_invalid, OnInvalid::Error, "row {i}");
                        assert!(column.invalid_rows().contains(&i), "row {i}");
                    }
                }
            }
        }
        Err(e) => {
            if on_invalid == OnInvalid::Error {
                let row = e.position().row.expect("a column error names its row") as usize;
                assert!(single(row).is_err(), "row {row} is named but decrypts alone: {e}");
            }
        }
    }
});
