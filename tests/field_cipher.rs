//! Every scheme through the one `FieldCipher` interface: what each says about itself, the rules
//! that live in the implementations (records, one-way tokens, text for FPE), and the `on_invalid`
//! choice of the column calls.

use privshare::fle::{
    Alphabet, BankCardCipher, DateRange, DeterministicCipher, Encoding, Ff1Cipher, FieldCipher, MobileCipher, Padding,
    RandomizedCipher, ResidentIdCipher, Scheme, Tokenizer,
};
use privshare::keys::DerivationContext;
use privshare::{ErrorKind, Keyset, OnInvalid, Suite};

/// One cipher per scheme, with five values of which the fourth (row 3) is invalid for it.
fn every_scheme(ks: &Keyset) -> Vec<(Box<dyn FieldCipher>, [&'static str; 5])> {
    let v = ks.primary_id();
    let range = DateRange { start: (1900, 1, 1), end: (2020, 12, 31) };
    vec![
        (
            Box::new(RandomizedCipher::new(ks, "d", "name").unwrap()),
            ["a", "b", "c", "", "e"], // nothing is invalid for AEAD: checked separately
        ),
        (Box::new(DeterministicCipher::new(ks, "d", "name").unwrap()), ["a", "b", "c", "", "e"]),
        (
            Box::new(Ff1Cipher::new(ks, v, "d", "acct", Alphabet::digits()).unwrap()),
            ["123456", "0000000", "99999999", "12a456", "5555555"],
        ),
        (
            Box::new(ResidentIdCipher::new(ks, v, "d", "id", range).unwrap()),
            [
                "11010519491231002X",
                "110105198001010016",
                "440524199005150026",
                "110105194912310021",
                "310104200002290030",
            ],
        ),
        (
            Box::new(MobileCipher::new(ks, v, "d", "phone").unwrap()),
            ["13800138000", "19912345678", "13912345678", "15400138000", "18612345678"],
        ),
        (
            Box::new(BankCardCipher::new(ks, v, "d", "card").unwrap()),
            ["4111111111111111", "6222020200112233446", "4111111111111129", "4111111111111112", "4000000000000002"],
        ),
        (Box::new(Tokenizer::new(ks, "link").unwrap()), ["a", "b", "c", "", "e"]),
    ]
}

#[test]
fn each_scheme_says_what_it_is_and_what_it_binds() {
    let ks = Keyset::generate(Suite::Sm).unwrap();
    let schemes: Vec<Scheme> = every_scheme(&ks).iter().map(|(c, _)| c.scheme()).collect();
    assert_eq!(schemes, Scheme::ALL);
    for (c, _) in every_scheme(&ks) {
        assert_eq!(c.key_id(), ks.primary_id());
        let b = c.binding();
        assert_eq!(b.record, c.scheme() == Scheme::Randomized, "{}", c.scheme());
        assert_eq!(b.authenticated, matches!(c.scheme(), Scheme::Randomized | Scheme::Deterministic));
        match c.scheme() {
            Scheme::Token => assert_eq!(b.context, DerivationContext::Purpose("link")),
            _ => assert!(matches!(b.context, DerivationContext::Field { dataset: "d", .. })),
        }
        assert_eq!(c.padding(), Padding::None, "{}", c.scheme());
    }
}

#[test]
fn padded_ciphers_say_so_through_the_trait() {
    let ks = Keyset::generate(Suite::Aes).unwrap();
    let padme: Box<dyn FieldCipher> = Box::new(RandomizedCipher::with_padding(&ks, "d", "f", Padding::Padme).unwrap());
    let block: Box<dyn FieldCipher> =
        Box::new(DeterministicCipher::with_padding(&ks, "d", "f", Padding::block(32).unwrap()).unwrap());
    assert_eq!((padme.padding(), block.padding()), (Padding::Padme, Padding::Block(32)));
    // An empty value and a 31-byte one are the same length under a 32-byte block.
    let short = block.encrypt_value(None, b"", Encoding::Binary).unwrap();
    assert_eq!(short.len(), block.encrypt_value(None, &[b'x'; 31], Encoding::Binary).unwrap().len());
    assert!(short.len() < block.encrypt_value(None, &[b'x'; 32], Encoding::Binary).unwrap().len());
}

#[test]
fn values_round_trip_in_both_encodings_and_only_randomized_takes_records() {
    let ks = Keyset::generate(Suite::Aes).unwrap();
    for (c, values) in every_scheme(&ks) {
        let v = values[0].as_bytes();
        for enc in [Encoding::Binary, Encoding::Text] {
            let ct = c.encrypt_value(None, v, enc).unwrap();
            match c.scheme() {
                Scheme::Token => {
                    assert_eq!(c.decrypt_value(None, &ct, enc).unwrap_err().kind(), ErrorKind::InvalidArgument);
                    assert_eq!(ct.len(), if enc == Encoding::Binary { 32 } else { 52 });
                }
                _ => assert_eq!(c.decrypt_value(None, &ct, enc).unwrap(), v, "{}", c.scheme()),
            }
        }
        let text = c.encrypt_text(None, v).unwrap();
        if c.scheme().is_reversible() {
            assert_eq!(c.decrypt_text(None, &text).unwrap(), v);
        }
        let record = Some(&b"row-1"[..]);
        let records: [&str; 5] = ["r0", "r1", "r2", "r3", "r4"];
        if c.scheme() == Scheme::Randomized {
            let ct = c.encrypt_value(record, v, Encoding::Text).unwrap();
            assert_eq!(c.decrypt_value(record, &ct, Encoding::Text).unwrap(), v);
            c.encrypt_column(&values, Some(&records), Encoding::Text, OnInvalid::Error).unwrap();
        } else {
            let e = c.encrypt_value(record, v, Encoding::Text).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{}", c.scheme());
            let e = c.encrypt_column(&values, Some(&records), Encoding::Text, OnInvalid::Null).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{}", c.scheme());
        }
    }
}

/// Issue 9's case: one invalid identifier among five no longer fails the whole column.
#[test]
fn one_invalid_value_among_five() {
    let ks = Keyset::generate(Suite::Aes).unwrap();
    for (c, values) in every_scheme(&ks) {
        if matches!(c.scheme(), Scheme::Randomized | Scheme::Deterministic) {
            continue; // every byte string encrypts
        }
        let e = c.encrypt_column(&values, None, Encoding::Text, OnInvalid::Error).unwrap_err();
        assert_eq!(e.position().row, Some(3), "{}", c.scheme());

        let nulls = c.encrypt_column(&values, None, Encoding::Text, OnInvalid::Null).unwrap();
        assert_eq!((nulls.len(), nulls.invalid_rows()), (5, &[3][..]), "{}", c.scheme());
        assert_eq!(nulls.get(3), Some(&b""[..]));
        assert!(nulls.is_public());
        for i in [0, 1, 2, 4] {
            assert_eq!(nulls.get(i).unwrap(), c.encrypt_value(None, values[i].as_bytes(), Encoding::Text).unwrap());
        }

        let kept = c.encrypt_column(&values, None, Encoding::Text, OnInvalid::KeepMarked).unwrap();
        assert_eq!((kept.get_str(3), kept.invalid_rows()), (Some(values[3]), &[3][..]), "{}", c.scheme());
        assert!(!kept.is_public(), "a kept value is plaintext: the column is wiped on drop");

        if c.scheme().is_reversible() {
            // Decrypting the nulls column: the null row is an invalid value again.
            let back = c.decrypt_column(&nulls, None, Encoding::Text, OnInvalid::Null).unwrap();
            assert_eq!(back.invalid_rows(), [3]);
            for i in [0, 1, 2, 4] {
                assert_eq!(back.get_str(i), Some(values[i]), "{}", c.scheme());
            }
        }
    }
}

#[test]
fn ciphertexts_that_do_not_decrypt_can_be_skipped_and_are_listed() {
    let ks = Keyset::generate(Suite::Sm).unwrap();
    let c = RandomizedCipher::new(&ks, "d", "f").unwrap();
    let records: [&str; 3] = ["r0", "r1", "r2"];
    let ct = c.encrypt_column(&["a", "b", "c"], Some(&records), Encoding::Text, OnInvalid::Error).unwrap();
    let moved: [&str; 3] = ["r0", "r2", "r1"];
    let e = c.decrypt_column(&ct, Some(&moved), Encoding::Text, OnInvalid::Error).unwrap_err();
    assert_eq!((e.kind(), e.position().row), (ErrorKind::AuthenticationFailed, Some(1)));
    let pt = c.decrypt_column(&ct, Some(&moved), Encoding::Text, OnInvalid::Null).unwrap();
    assert_eq!((pt.get_str(0), pt.get_str(1), pt.invalid_rows()), (Some("a"), Some(""), &[1, 2][..]));
    // Errors about the call itself are never skipped.
    let e = c.decrypt_column(&ct, Some(&["r0"]), Encoding::Text, OnInvalid::Null).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
}
