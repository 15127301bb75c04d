//! Envelopes: round trips for every suite, and every attack rejected with its own error kind.

use privshare::envelope::*;
use privshare::ErrorKind;

const T0: u64 = 1_800_000_000;

fn pid(s: &str) -> ParticipantId {
    s.parse().unwrap()
}

struct World {
    sender: SigningKey,
    sender_id: ParticipantId,
    other: SigningKey,
    other_id: ParticipantId,
    recipient: RecipientKey,
    recipient_id: ParticipantId,
    registry: TrustRegistry,
}

impl World {
    fn new(sig: SignatureAlgorithm, kem: KemAlgorithm) -> World {
        let sender = SigningKey::generate(sig).unwrap();
        let other = SigningKey::generate(sig).unwrap();
        let (sender_id, other_id) = (pid("CN/GOV/111/tax"), pid("CN/GOV/333/police"));
        let mut registry = TrustRegistry::new();
        registry.add(sender_id.clone(), sender.verifying_key().clone(), T0 - 1000, Some(T0 + 100_000)).unwrap();
        registry.add(other_id.clone(), other.verifying_key().clone(), 0, None).unwrap();
        let recipient = RecipientKey::generate(kem).unwrap();
        World { sender, sender_id, other, other_id, recipient, recipient_id: pid("CN/GOV/222/stats"), registry }
    }

    fn sealer(&self) -> Sealer {
        Sealer::new(self.sender_id.clone())
            .recipient(self.recipient_id.clone(), self.recipient.public_key())
            .purpose("statistics")
            .legal_basis("Statistics Law art. 7")
            .policy("tax-to-stats", 3, &[0xaa; 32])
            .schema_hash(&[0xbb; 32])
            .content_type("text/csv")
            .created_at(T0)
            .lifetime(3600)
    }

    fn open(&self, envelope: &[u8]) -> privshare::Result<Opened> {
        let store = ReplayStore::in_memory();
        self.opener(&store).open(envelope)
    }

    fn opener<'a>(&'a self, store: &'a ReplayStore) -> Opener<'a> {
        Opener::new(&self.registry, &self.recipient_id, &self.recipient, store).at(T0 + 10)
    }
}

fn kind(r: privshare::Result<Opened>) -> ErrorKind {
    r.map(|_| ()).unwrap_err().kind()
}

const SUITES: [(SignatureAlgorithm, KemAlgorithm); 5] = [
    (SignatureAlgorithm::Ed25519, KemAlgorithm::HpkeX25519),
    (SignatureAlgorithm::Ed25519, KemAlgorithm::HpkeP256),
    (SignatureAlgorithm::EcdsaP256Sha256, KemAlgorithm::HpkeP256),
    (SignatureAlgorithm::EcdsaP256Sha256, KemAlgorithm::HpkeX25519),
    (SignatureAlgorithm::Sm2Sm3, KemAlgorithm::Sm2),
];

#[test]
fn round_trips_every_suite_size_and_padding() {
    for (sig, kem) in SUITES {
        let w = World::new(sig, kem);
        let chunk = 1024usize;
        for len in [0, 1, chunk - 8, chunk - 7, 3 * chunk + 5] {
            for padding in [Padding::None, Padding::Multiple(1000), Padding::PowerOfTwo] {
                let payload: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
                let env = w.sealer().chunk_size(chunk as u32).padding(padding).seal(&w.sender, &payload).unwrap();
                let opened = w.open(&env).unwrap_or_else(|e| panic!("{sig} {kem} {len} {padding:?}: {e}"));
                assert_eq!(opened.payload, payload);
                let h = &opened.header;
                assert_eq!(h.padded_length, padding.padded_len(len as u64).unwrap());
                assert_eq!(
                    (h.purpose.as_str(), h.policy_version, h.created, h.expires),
                    ("statistics", 3, T0, T0 + 3600)
                );
                assert_eq!(h.suite, sig.suite());
            }
        }
    }
}

#[test]
fn header_fields_and_column_key_versions_round_trip() {
    let w = World::new(SignatureAlgorithm::Ed25519, KemAlgorithm::HpkeX25519);
    let second = RecipientKey::generate(KemAlgorithm::HpkeP256).unwrap();
    let env = w
        .sealer()
        .recipient(pid("CN/GOV/444/health"), second.public_key())
        .column_key_version("resident_id", 7)
        .column_key_version("名字", 2)
        .extension(0x0100, b"note")
        .in_reply_to([9; 16])
        .seal(&w.sender, b"x")
        .unwrap();
    let (h, _) = parse_header(&env).unwrap();
    assert_eq!(h.column_key_versions, vec![("resident_id".to_string(), 7), ("名字".to_string(), 2)]);
    assert_eq!(h.extensions, vec![Extension { kind: 0x0100, value: b"note".to_vec() }]);
    assert_eq!(h.in_reply_to, Some([9; 16]));
    assert_eq!(h.recipients.len(), 2);
    // Both recipients open the same payload.
    let store = ReplayStore::in_memory();
    let who = pid("CN/GOV/444/health");
    let opened = Opener::new(&w.registry, &who, &second, &store).at(T0).open(&env).unwrap();
    assert_eq!(opened.payload, b"x");
    assert_eq!(w.open(&env).unwrap().payload, b"x");
}

#[test]
fn every_single_byte_change_is_rejected() {
    let w = World::new(SignatureAlgorithm::Ed25519, KemAlgorithm::HpkeX25519);
    let env = w.sealer().chunk_size(1024).seal(&w.sender, b"small payload").unwrap();
    w.open(&env).unwrap();
    for i in 0..env.len() {
        for flip in [0x01u8, 0x80] {
            let mut bad = env.clone();
            bad[i] ^= flip;
            assert!(w.open(&bad).is_err(), "byte {i} ^ {flip:#x} accepted");
        }
    }
    for len in 0..env.len() {
        assert!(w.open(&env[..len]).is_err(), "truncated to {len} accepted");
    }
    let mut longer = env.clone();
    longer.push(0);
    assert_eq!(kind(w.open(&longer)), ErrorKind::MalformedEnvelope);
}

/// Re-signs modified envelope bytes with `key` (what only a key holder can do).
fn resign(env: &mut Vec<u8>, key: &SigningKey) {
    let (h, hlen) = parse_header(env).unwrap();
    let body_end = hlen + h.body_len() as usize;
    let body_hash = ring_sha256(&env[hlen..body_end]);
    let mut m = b"privshare envelope v1 signature".to_vec();
    m.extend_from_slice(&(hlen as u32).to_be_bytes());
    m.extend_from_slice(&env[..hlen]);
    m.extend_from_slice(&h.body_len().to_be_bytes());
    m.extend_from_slice(&body_hash);
    let sig = key.sign(&m).unwrap();
    env.truncate(body_end);
    env.extend_from_slice(&(sig.len() as u16).to_be_bytes());
    env.extend_from_slice(&sig);
}

fn ring_sha256(b: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, b).as_ref().to_vec()
}

/// Replaces the header with `f(header)` re-encoded by hand: sender fields only.
fn with_sender(env: &[u8], sender: &ParticipantId, key: &SigningKey) -> Vec<u8> {
    let (h, hlen) = parse_header(env).unwrap();
    // The sender id starts after preamble (10), message id (16), created and expires (16).
    let at = 10 + 16 + 16;
    let old_len = env[at] as usize;
    let mut out = env[..at].to_vec();
    out.push(sender.as_str().len() as u8);
    out.extend_from_slice(sender.as_str().as_bytes());
    out.extend_from_slice(key.id().as_bytes());
    out.extend_from_slice(&env[at + 1 + old_len + 32..hlen]);
    let new_hlen = out.len() as u32;
    out[6..10].copy_from_slice(&new_hlen.to_be_bytes());
    out.extend_from_slice(&env[hlen..hlen + h.body_len() as usize]);
    out.extend_from_slice(&[0, 0]);
    resign(&mut out, key);
    out
}

#[test]
fn each_attack_gets_its_own_error() {
    let w = World::new(SignatureAlgorithm::Ed25519, KemAlgorithm::HpkeX25519);
    let env = w.sealer().chunk_size(1024).seal(&w.sender, &vec![5u8; 4000]).unwrap();
    let (h, hlen) = parse_header(&env).unwrap();

    // Malformed.
    assert_eq!(kind(w.open(b"PSEV")), ErrorKind::MalformedEnvelope);
    assert_eq!(kind(w.open(b"XXXX\x01\x01\0\0\0\x10")), ErrorKind::MalformedEnvelope);
    let mut v2 = env.clone();
    v2[4] = 2;
    assert_eq!(kind(w.open(&v2)), ErrorKind::UnsupportedVersion);

    // Signature stripped, or made by someone else.
    let stripped = &env[..env.len() - 66];
    assert_eq!(kind(w.open(stripped)), ErrorKind::MalformedEnvelope);
    let mut forged = env.clone();
    resign(&mut forged, &w.other);
    assert_eq!(kind(w.open(&forged)), ErrorKind::BadSignature);
    let mut bad_sig = env.clone();
    *bad_sig.last_mut().unwrap() ^= 1;
    assert_eq!(kind(w.open(&bad_sig)), ErrorKind::BadSignature);
    let mut body_flip = env.clone();
    body_flip[hlen + 20] ^= 1;
    assert_eq!(kind(w.open(&body_flip)), ErrorKind::BadSignature);

    // Re-signed by another registered participant who claims to be the sender: the content is
    // bound to the original sender's key, so it no longer opens.
    let claimed = with_sender(&env, &w.other_id, &w.other);
    assert_eq!(kind(w.open(&claimed)), ErrorKind::CorruptedPayload);
    // Keeping the original sender but signing with another key: that key is not the sender's.
    let wrong_key = with_sender(&env, &w.sender_id, &w.other);
    assert_eq!(kind(w.open(&wrong_key)), ErrorKind::UnknownSender);

    // Unknown sender.
    let empty = TrustRegistry::new();
    let store = ReplayStore::in_memory();
    let r = Opener::new(&empty, &w.recipient_id, &w.recipient, &store).at(T0).open(&env);
    assert_eq!(kind(r), ErrorKind::UnknownSender);
    // The sender's key is outside its validity now.
    let r = w.opener(&store).at(T0 + 100_000).open(&env);
    assert_eq!(kind(r), ErrorKind::UnknownSender);

    // Times, with the default 300 s skew.
    let store = ReplayStore::in_memory();
    assert_eq!(kind(w.opener(&store).at(T0 + 3600 + 300).open(&env)), ErrorKind::Expired);
    assert_eq!(kind(w.opener(&store).at(T0 - 301).open(&env)), ErrorKind::NotYetValid);
    w.opener(&store).at(T0 - 300).clock_skew(300).open(&env).unwrap();
    let store = ReplayStore::in_memory();
    assert_eq!(kind(w.opener(&store).at(T0 + 3600).clock_skew(0).open(&env)), ErrorKind::Expired);

    // Not a recipient: another key, or the right key under another participant id.
    let stranger = RecipientKey::generate(KemAlgorithm::HpkeX25519).unwrap();
    let r = Opener::new(&w.registry, &w.recipient_id, &stranger, &store).at(T0).open(&env);
    assert_eq!(kind(r), ErrorKind::NotRecipient);
    let imposter = pid("CN/GOV/999/stats");
    let r = Opener::new(&w.registry, &imposter, &w.recipient, &store).at(T0).open(&env);
    assert_eq!(kind(r), ErrorKind::NotRecipient);

    // Replay.
    let store = ReplayStore::in_memory();
    w.opener(&store).open(&env).unwrap();
    assert_eq!(kind(w.opener(&store).open(&env)), ErrorKind::Replay);

    // Chunk reordering and a recipient's wrapped key swapped, re-signed by the sender itself:
    // the signature is good, the content is not.
    let chunk = 1024 + 16;
    let mut reordered = env.clone();
    let (a, b) = (hlen + chunk, hlen + 2 * chunk);
    let first: Vec<u8> = reordered[a..b].to_vec();
    let second: Vec<u8> = reordered[b..b + chunk].to_vec();
    reordered[a..b].copy_from_slice(&second);
    reordered[b..b + chunk].copy_from_slice(&first);
    resign(&mut reordered, &w.sender);
    assert_eq!(kind(w.open(&reordered)), ErrorKind::CorruptedPayload);
    let other_env = w.sealer().chunk_size(1024).seal(&w.sender, &vec![5u8; 4000]).unwrap();
    let (h2, _) = parse_header(&other_env).unwrap();
    let wrapped_at =
        env.windows(h.recipients[0].wrapped_key.len()).position(|x| x == h.recipients[0].wrapped_key).unwrap();
    let mut swapped = env.clone();
    swapped[wrapped_at..wrapped_at + h2.recipients[0].wrapped_key.len()].copy_from_slice(&h2.recipients[0].wrapped_key);
    resign(&mut swapped, &w.sender);
    assert_eq!(kind(w.open(&swapped)), ErrorKind::CorruptedPayload);
    // A key commitment that does not match the content key (as a sender who wrapped different
    // keys for different recipients would need): refused before any chunk is decrypted.
    let mut uncommitted = env.clone();
    let at = uncommitted.windows(32).position(|x| x == h.key_commitment).unwrap();
    uncommitted[at] ^= 1;
    resign(&mut uncommitted, &w.sender);
    let e = w.open(&uncommitted).unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::CorruptedPayload, "the key commitment does not check"));
    // The last chunk dropped (the header's length shortened to match), re-signed by the sender:
    // every chunk is bound to the exact header, so none opens.
    let mut truncated = env[..hlen].to_vec();
    let len_at = truncated.windows(8).position(|x| x == h.padded_length.to_be_bytes()).unwrap();
    let shorter = (h.chunk_count() - 1) * 1024 - 8;
    truncated[len_at..len_at + 8].copy_from_slice(&shorter.to_be_bytes());
    let (h3, _) = parse_header(&truncated).unwrap();
    assert_eq!(h3.chunk_count(), h.chunk_count() - 1);
    truncated.extend_from_slice(&env[hlen..hlen + h3.body_len() as usize]);
    truncated.extend_from_slice(&[0, 0]);
    resign(&mut truncated, &w.sender);
    assert_eq!(kind(w.open(&truncated)), ErrorKind::CorruptedPayload);
}

#[test]
fn suites_do_not_mix() {
    let sm = SigningKey::generate(SignatureAlgorithm::Sm2Sm3).unwrap();
    let x = RecipientKey::generate(KemAlgorithm::HpkeX25519).unwrap();
    let e = Sealer::new(pid("CN/GOV/1/a")).recipient(pid("CN/GOV/2/b"), x.public_key()).seal(&sm, b"").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnsupportedAlgorithm);
}

#[test]
fn sealer_limits_are_checked() {
    let w = World::new(SignatureAlgorithm::Ed25519, KemAlgorithm::HpkeX25519);
    let bad = |s: Sealer| s.seal(&w.sender, b"x").unwrap_err().kind();
    assert_eq!(bad(w.sealer().purpose("p".repeat(MAX_TEXT_LEN + 1))), ErrorKind::InvalidArgument);
    assert_eq!(bad(w.sealer().chunk_size(512)), ErrorKind::InvalidArgument);
    assert_eq!(bad(w.sealer().lifetime(0)), ErrorKind::InvalidArgument);
    assert_eq!(bad(w.sealer().extension(0x0001, b"")), ErrorKind::InvalidArgument);
    assert_eq!(bad(w.sealer().recipient(pid("CN/GOV/2/x"), w.recipient.public_key())), ErrorKind::InvalidArgument);
    assert_eq!(bad(Sealer::new(w.sender_id.clone())), ErrorKind::InvalidArgument);
}

#[test]
fn unknown_critical_extensions_are_refused_known_ones_ignored() {
    let w = World::new(SignatureAlgorithm::Ed25519, KemAlgorithm::HpkeX25519);
    let env = w.sealer().extension(0x0200, b"fine").seal(&w.sender, b"x").unwrap();
    assert_eq!(w.open(&env).unwrap().header.extensions.len(), 1);
    let env = w.sealer().extension(0x8200, b"must understand").seal(&w.sender, b"x").unwrap();
    assert_eq!(kind(w.open(&env)), ErrorKind::MalformedEnvelope);
}

#[test]
fn streaming_and_files_round_trip_and_leave_nothing_on_error() {
    let w = World::new(SignatureAlgorithm::Ed25519, KemAlgorithm::HpkeX25519);
    let dir = std::env::temp_dir().join(format!("privshare-envelope-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let payload: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(dir.join("in.csv"), &payload).unwrap();
    let sealed = w
        .sealer()
        .chunk_size(4096)
        .padding(Padding::PowerOfTwo)
        .seal_file(&w.sender, &dir.join("in.csv"), &dir.join("e.psev"))
        .unwrap();
    assert_eq!(sealed.envelope_len, std::fs::metadata(dir.join("e.psev")).unwrap().len());
    let store = ReplayStore::in_memory();
    let opened = w.opener(&store).open_file(&dir.join("e.psev"), &dir.join("out.csv")).unwrap();
    assert_eq!(opened.payload_len, payload.len() as u64);
    assert_eq!(opened.body_hash, sealed.body_hash);
    assert_eq!(std::fs::read(dir.join("out.csv")).unwrap(), payload);
    // A replay, and a corrupted envelope: no output file appears, no temporary file stays.
    assert_eq!(
        w.opener(&store).open_file(&dir.join("e.psev"), &dir.join("again.csv")).unwrap_err().kind(),
        ErrorKind::Replay
    );
    let mut env = std::fs::read(dir.join("e.psev")).unwrap();
    let n = env.len();
    env[n - 100_000] ^= 1;
    std::fs::write(dir.join("bad.psev"), &env).unwrap();
    let store = ReplayStore::in_memory();
    let e = w.opener(&store).open_file(&dir.join("bad.psev"), &dir.join("bad.csv")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadSignature);
    // Never over the input: refused before anything is read or written.
    let e = w.opener(&store).open_file(&dir.join("e.psev"), &dir.join("e.psev")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = w.sealer().seal_file(&w.sender, &dir.join("in.csv"), &dir.join("in.csv")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(std::fs::read(dir.join("in.csv")).unwrap(), payload);
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["bad.psev", "e.psev", "in.csv", "out.csv"]);
    // A stream that gives fewer bytes than announced is refused.
    let e = w.sealer().seal_stream(&w.sender, &payload[..10], 11, std::io::sink()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let e = w.sealer().seal_stream(&w.sender, &payload[..12], 11, std::io::sink()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn concurrent_openers_accept_an_envelope_once() {
    let w = World::new(SignatureAlgorithm::Ed25519, KemAlgorithm::HpkeX25519);
    let env = w.sealer().seal(&w.sender, b"once").unwrap();
    let store = ReplayStore::in_memory();
    let ok = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| match w.opener(&store).open(&env) {
                Ok(_) => {
                    ok.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                Err(e) => assert_eq!(e.kind(), ErrorKind::Replay),
            });
        }
    });
    assert_eq!(ok.into_inner(), 1);
}

mod hostile_input {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Arbitrary bytes, and bytes that start like an envelope, are refused without a panic.
        #[test]
        fn arbitrary_bytes_are_refused(tail in proptest::collection::vec(any::<u8>(), 0..600), lie in any::<u32>()) {
            let w = World::new(SignatureAlgorithm::Ed25519, KemAlgorithm::HpkeX25519);
            prop_assert!(w.open(&tail).is_err());
            let mut framed = b"PSEV\x01\x01".to_vec();
            framed.extend_from_slice(&lie.to_be_bytes());
            framed.extend_from_slice(&tail);
            prop_assert!(parse_header(&framed).is_err() || w.open(&framed).is_err());
        }

        /// Splicing, overwriting or cutting a valid envelope anywhere never opens and never panics.
        #[test]
        fn edited_envelopes_are_refused(at in any::<prop::sample::Index>(), cut in 0usize..40, junk in proptest::collection::vec(any::<u8>(), 1..40)) {
            let w = World::new(SignatureAlgorithm::Ed25519, KemAlgorithm::HpkeX25519);
            let env = w.sealer().chunk_size(1024).seal(&w.sender, b"a,b\n1,2\n").unwrap();
            let i = at.index(env.len());
            let mut spliced = env[..i].to_vec();
            spliced.extend_from_slice(&junk);
            spliced.extend_from_slice(&env[(i + cut).min(env.len())..]);
            if spliced != env {
                prop_assert!(w.open(&spliced).is_err());
            }
        }
    }
}
