//! Envelopes whose header and body the fuzzer changes and this target signs again with the sender
//! key the header names (the vectors' keys), so that hostile headers and bodies get past the
//! signature into key unwrapping and chunk decryption. The first byte picks in-memory or
//! streaming opening (bit 7); the recipient is the one whose key the header lists first.
#![no_main]
use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use privshare::audit::Hasher;
use privshare::envelope::{parse_header, Opener, ReplayStore};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, envelope)) = data.split_first() else { return };
    let Ok((header, hlen)) = parse_header(envelope) else { return };
    let f = privshare_fuzz::envelopes();
    let Some(signer) = f.senders.iter().find(|k| k.id() == header.sender_key_id) else { return };
    // The body as the header announces it (cut short when the input is), then the signature.
    let body_len = header.body_len();
    let body = &envelope[hlen..hlen + (envelope.len() - hlen).min(usize::try_from(body_len).unwrap_or(usize::MAX))];
    let mut message = b"privshare envelope v1 signature".to_vec();
    message.extend_from_slice(&(hlen as u32).to_be_bytes());
    message.extend_from_slice(&envelope[..hlen]);
    message.extend_from_slice(&body_len.to_be_bytes());
    message.extend_from_slice(&Hasher::digest(header.suite, body));
    let Ok(signature) = signer.sign(&message) else { return };
    let mut resigned = envelope[..hlen + body.len()].to_vec();
    resigned.extend_from_slice(&(signature.len() as u16).to_be_bytes());
    resigned.extend_from_slice(&signature);

    let recipient = header.recipients.first().and_then(|r| f.recipients.iter().find(|(_, k)| k.id() == r.key_id));
    let (me, key) = recipient.unwrap_or(&f.recipients[0]);
    let replay = ReplayStore::in_memory();
    let opener = Opener::new(&f.registry, me, key, &replay).at(header.created.max(f.open_at.min(header.expires)));
    if selector & 0x80 == 0 {
        let _ = opener.open(&resigned);
    } else {
        let mut out = Vec::new();
        let _ = opener.open_stream(Cursor::new(&resigned), &mut out);
    }
});
