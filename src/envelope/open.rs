//! Opening: parse strictly, find the sender's key in the registry, verify the signature, check
//! the times, find this recipient, unwrap, check the key commitment, decrypt every chunk, and
//! only then record the message id and release the payload.

use std::io::{Read, Seek, SeekFrom, Write};

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::body_hash;
use super::crypto::{self, Hasher};
use super::format::{self, Header, LENGTH_PREFIX_LEN, MAX_SIGNATURE_LEN, PREAMBLE_LEN, TAG_LEN};
use super::participant::ParticipantId;
use super::recipient::RecipientKey;
use super::registry::TrustRegistry;
use super::replay::ReplayStore;
use super::seal::unix_now;
use crate::{Error, ErrorKind, Result};

/// Default clock skew tolerated between sender and recipient: 5 minutes.
pub const DEFAULT_CLOCK_SKEW_SECS: u64 = 300;

/// An opened envelope: its authenticated header and payload.
#[derive(Clone)]
pub struct Opened {
    /// The header, authenticated by the sender's signature.
    pub header: Header,
    /// The payload (padding removed).
    pub payload: Vec<u8>,
    /// The suite hash of the body, as signed (see [`super::Sealed::body_hash`]).
    pub body_hash: [u8; 32],
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened").field("header", &self.header).field("payload_len", &self.payload.len()).finish()
    }
}

/// What the streaming opener returns (the payload went to the writer).
#[derive(Clone, Debug)]
pub struct OpenedStream {
    /// The header, authenticated by the sender's signature.
    pub header: Header,
    /// Payload bytes written.
    pub payload_len: u64,
    /// The suite hash of the body, as signed.
    pub body_hash: [u8; 32],
}

/// Opens envelopes addressed to one recipient key.
///
/// Each check has its own error kind: [`ErrorKind::MalformedEnvelope`] (or
/// `UnsupportedVersion`), [`ErrorKind::UnknownSender`], [`ErrorKind::BadSignature`],
/// [`ErrorKind::NotYetValid`], [`ErrorKind::Expired`], [`ErrorKind::NotRecipient`],
/// [`ErrorKind::Replay`], [`ErrorKind::CorruptedPayload`]; they are made in that order.
#[derive(Clone, Copy)]
pub struct Opener<'a> {
    registry: &'a TrustRegistry,
    me: &'a ParticipantId,
    key: &'a RecipientKey,
    replay: &'a ReplayStore,
    skew: u64,
    now: Option<u64>,
}

/// The header bytes, parsed header and signature of an envelope whose body sits elsewhere.
struct Framed {
    header: Header,
    header_bytes: Vec<u8>,
    signature: Vec<u8>,
}

impl<'a> Opener<'a> {
    /// An opener for `me` holding `key`, trusting the senders of `registry`, remembering opened
    /// envelopes in `replay`.
    pub fn new(
        registry: &'a TrustRegistry,
        me: &'a ParticipantId,
        key: &'a RecipientKey,
        replay: &'a ReplayStore,
    ) -> Opener<'a> {
        Opener { registry, me, key, replay, skew: DEFAULT_CLOCK_SKEW_SECS, now: None }
    }

    /// The clock skew tolerated on creation and expiry times.
    pub fn clock_skew(mut self, seconds: u64) -> Self {
        self.skew = seconds;
        self
    }

    /// Checks times against `unix_seconds` instead of the system clock.
    pub fn at(mut self, unix_seconds: u64) -> Self {
        self.now = Some(unix_seconds);
        self
    }

    fn now(&self) -> Result<u64> {
        match self.now {
            Some(t) => Ok(t),
            None => unix_now(),
        }
    }

    /// Sender key, signature, times and recipient entry: everything before decryption.
    /// Returns the recipient's wrapped key index.
    fn authenticate(&self, f: &Framed, body_hash: &[u8; 32], now: u64) -> Result<usize> {
        let h = &f.header;
        let key = self.registry.signing_key(&h.sender, &h.sender_key_id, &[h.created.min(now), now])?;
        if key.algorithm().suite() != h.suite {
            return Err(Error::new(
                ErrorKind::BadSignature,
                format!("the sender's {} key cannot sign a {} envelope", key.algorithm(), h.suite),
            ));
        }
        let message = crypto::signed_message(&f.header_bytes, h.body_len(), body_hash);
        key.verify(&message, &f.signature)
            .map_err(|_| Error::new(ErrorKind::BadSignature, "the envelope signature does not verify"))?;
        if h.created > now.saturating_add(self.skew) {
            return Err(Error::new(
                ErrorKind::NotYetValid,
                format!("the envelope is created in the future ({})", h.created),
            ));
        }
        if now >= h.expires.saturating_add(self.skew) {
            return Err(Error::new(ErrorKind::Expired, format!("the envelope expired at {}", h.expires)));
        }
        let index = h.recipients.iter().position(|r| r.key_id == self.key.id() && r.participant == *self.me);
        let index = index.ok_or_else(|| {
            Error::new(ErrorKind::NotRecipient, format!("{} with key {} is not a recipient", self.me, self.key.id()))
        })?;
        if self.replay.contains(&h.sender, &h.message_id, now) {
            return Err(replayed(h));
        }
        Ok(index)
    }

    /// Unwraps the content key and checks its commitment.
    fn content_keys(&self, h: &Header, index: usize) -> Result<crypto::ContentKeys> {
        let corrupted = |what: &str| Error::new(ErrorKind::CorruptedPayload, format!("the {what} does not check"));
        if self.key.algorithm().suite() != h.suite {
            return Err(corrupted("recipient key's suite"));
        }
        let entry = &h.recipients[index];
        let aad = crypto::wrap_aad(h, entry.key_id.as_bytes());
        let content_key = self.key.unwrap(&entry.wrapped_key, &aad).ok_or_else(|| corrupted("wrapped content key"))?;
        let keys = crypto::derive(h.suite, &content_key, &h.message_id, h.sender_key_id.as_bytes())?;
        if !bool::from(keys.commitment.ct_eq(&h.key_commitment)) {
            return Err(corrupted("key commitment"));
        }
        Ok(keys)
    }

    /// Records the message id: the last step before the payload is released.
    fn record(&self, h: &Header, now: u64) -> Result<()> {
        self.replay.insert(&h.sender, &h.message_id, h.expires.saturating_add(self.skew), now)
    }

    /// Opens an envelope held in memory. The signature is verified before anything is decrypted.
    pub fn open(&self, envelope: &[u8]) -> Result<Opened> {
        let now = self.now()?;
        let (header, hlen) = format::parse_header(envelope)?;
        let body_len = header.body_len();
        let body_end = (hlen as u64).checked_add(body_len).filter(|&e| e <= envelope.len() as u64);
        let body_end = body_end.ok_or_else(|| truncated(envelope.len() as u64))? as usize;
        let signature = parse_trailer(&envelope[body_end..], body_end as u64)?.to_vec();
        let body = &envelope[hlen..body_end];
        let body_hash = Hasher::digest(header.suite, body);
        let framed = Framed { header, header_bytes: envelope[..hlen].to_vec(), signature };
        let index = self.authenticate(&framed, &body_hash, now)?;
        let h = &framed.header;
        let keys = self.content_keys(h, index)?;
        let aad = crypto::chunk_aad(h.suite, &framed.header_bytes);
        let mut out = PayloadSink::new(h, Vec::with_capacity(h.padded_length.min(body.len() as u64) as usize));
        let mut chunk = Zeroizing::new(Vec::with_capacity(h.chunk_plain_len(0) + TAG_LEN));
        let mut pos = 0;
        for index in 0..h.chunk_count() {
            let n = h.chunk_plain_len(index) + TAG_LEN;
            chunk.clear();
            chunk.extend_from_slice(&body[pos..pos + n]);
            pos += n;
            let plain = crypto::open_chunk(&keys, &aad, h, index, &mut chunk)?;
            out.push(&chunk[..plain])?;
        }
        let (payload, _) = out.finish()?;
        self.record(h, now)?;
        Ok(Opened { header: framed.header, payload, body_hash })
    }

    /// Opens an envelope from a seekable reader into `out`, holding at most four chunks in memory
    /// (one being decrypted, up to three being hashed on a second core for a large body). A first
    /// pass hashes the body and verifies the signature; only then does a second pass decrypt,
    /// writing each chunk's plaintext to `out` once it authenticates, and re-hash the body (an
    /// envelope that changes between the passes is refused). On any error, what `out` received
    /// must be discarded: [`Opener::open_file`] does that by writing a temporary file.
    pub fn open_stream(&self, mut input: impl Read + Seek, out: impl Write) -> Result<OpenedStream> {
        let now = self.now()?;
        let start = input.stream_position()?;
        let mut preamble = [0u8; PREAMBLE_LEN];
        read_exact_at(&mut input, &mut preamble, 0)?;
        let hlen = format::header_len(&preamble)?;
        let mut header_bytes = preamble.to_vec();
        header_bytes.resize(hlen, 0);
        read_exact_at(&mut input, &mut header_bytes[PREAMBLE_LEN..], PREAMBLE_LEN as u64)?;
        let (header, _) = format::parse_header(&header_bytes)?;
        let mut chunk = Zeroizing::new(vec![0u8; header.chunk_plain_len(0) + TAG_LEN]);
        // Pass 1: hash the body.
        let mut hasher = Hasher::new(header.suite);
        let mut offset = hlen as u64;
        for index in 0..header.chunk_count() {
            let n = header.chunk_plain_len(index) + TAG_LEN;
            read_exact_at(&mut input, &mut chunk[..n], offset)?;
            hasher.update(&chunk[..n]);
            offset += n as u64;
        }
        let body_hash = hasher.finish();
        let mut trailer = Vec::new();
        input.by_ref().take(2 + MAX_SIGNATURE_LEN as u64 + 1).read_to_end(&mut trailer)?;
        let signature = parse_trailer(&trailer, offset)?.to_vec();
        let framed = Framed { header, header_bytes, signature };
        let index = self.authenticate(&framed, &body_hash, now)?;
        let h = &framed.header;
        let keys = self.content_keys(h, index)?;
        // Pass 2: decrypt.
        input.seek(SeekFrom::Start(start + hlen as u64))?;
        let aad = crypto::chunk_aad(h.suite, &framed.header_bytes);
        let (sink, again) = body_hash::hashing(h.suite, h.chunk_count(), |hash| {
            let mut sink = PayloadSink::new(h, out);
            let mut offset = hlen as u64;
            for index in 0..h.chunk_count() {
                let n = h.chunk_plain_len(index) + TAG_LEN;
                read_exact_at(&mut input, &mut chunk[..n], offset)?;
                hash(&chunk[..n]);
                offset += n as u64;
                let plain = crypto::open_chunk(&keys, &aad, h, index, &mut chunk[..n])?;
                sink.push(&chunk[..plain])?;
            }
            Ok(sink)
        })?;
        if again != body_hash {
            return Err(Error::new(ErrorKind::CorruptedPayload, "the envelope changed while it was being opened"));
        }
        let (mut out, payload_len) = sink.finish()?;
        out.flush()?;
        self.record(h, now)?;
        Ok(OpenedStream { header: framed.header, payload_len, body_hash })
    }

    /// Opens the envelope file `input` into the file `output`, which appears (atomically, by
    /// rename) only when everything checked: on any error there is no output file. `output` may
    /// not be `input` (`InvalidArgument`).
    pub fn open_file(&self, input: &std::path::Path, output: &std::path::Path) -> Result<OpenedStream> {
        crate::io::atomic::refuse_same_file(input, output)?;
        let file = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(input)?);
        crate::io::atomic::write_atomically(output, |w| self.open_stream(file, w))
    }
}

fn replayed(h: &Header) -> Error {
    Error::new(ErrorKind::Replay, format!("envelope from {} was already opened", h.sender))
}

fn truncated(at: u64) -> Error {
    Error::new(ErrorKind::MalformedEnvelope, "truncated envelope").at_offset(at)
}

/// The signature from the trailer bytes (which must be exactly the trailer).
fn parse_trailer(trailer: &[u8], offset: u64) -> Result<&[u8]> {
    let len = trailer.get(..2).ok_or_else(|| truncated(offset + trailer.len() as u64))?;
    let len = u16::from_be_bytes([len[0], len[1]]) as usize;
    if len == 0 || len > MAX_SIGNATURE_LEN {
        return Err(Error::new(
            ErrorKind::MalformedEnvelope,
            format!("signature length {len} outside 1..={MAX_SIGNATURE_LEN}"),
        )
        .at_offset(offset));
    }
    if trailer.len() < 2 + len {
        return Err(truncated(offset + trailer.len() as u64));
    }
    if trailer.len() > 2 + len {
        return Err(Error::new(ErrorKind::MalformedEnvelope, "trailing bytes after the signature")
            .at_offset(offset + 2 + len as u64));
    }
    Ok(&trailer[2..])
}

/// Reads exactly `buf.len()` bytes; the end of input is a truncated envelope at `offset`.
fn read_exact_at(r: &mut impl Read, buf: &mut [u8], offset: u64) -> Result<()> {
    r.read_exact(buf)
        .map_err(|e| if e.kind() == std::io::ErrorKind::UnexpectedEof { truncated(offset) } else { e.into() })
}

/// Receives decrypted chunks: strips the length prefix, writes the payload, checks the padding.
struct PayloadSink<W: Write> {
    out: W,
    prefix: [u8; LENGTH_PREFIX_LEN],
    seen: usize,
    content_len: u64,
    written: u64,
    padded_len: u64,
}

fn corrupted(what: &str) -> Error {
    Error::new(ErrorKind::CorruptedPayload, what.to_string())
}

impl<W: Write> PayloadSink<W> {
    fn new(h: &Header, out: W) -> Self {
        PayloadSink {
            out,
            prefix: [0; LENGTH_PREFIX_LEN],
            seen: 0,
            content_len: 0,
            written: 0,
            padded_len: h.padded_length,
        }
    }

    fn push(&mut self, mut plain: &[u8]) -> Result<()> {
        if self.seen < LENGTH_PREFIX_LEN {
            let n = (LENGTH_PREFIX_LEN - self.seen).min(plain.len());
            self.prefix[self.seen..self.seen + n].copy_from_slice(&plain[..n]);
            self.seen += n;
            plain = &plain[n..];
            if self.seen == LENGTH_PREFIX_LEN {
                self.content_len = u64::from_be_bytes(self.prefix);
                if self.content_len > self.padded_len {
                    return Err(corrupted("the encrypted payload length exceeds the padded length"));
                }
            }
        }
        let want = usize::try_from(self.content_len - self.written).unwrap_or(usize::MAX).min(plain.len());
        self.out.write_all(&plain[..want])?;
        self.written += want as u64;
        if plain[want..].iter().any(|&b| b != 0) {
            return Err(corrupted("the padding is not zero"));
        }
        Ok(())
    }

    /// The writer and the payload length.
    fn finish(self) -> Result<(W, u64)> {
        if self.seen < LENGTH_PREFIX_LEN || self.written != self.content_len {
            return Err(Error::new(ErrorKind::Internal, "payload length bookkeeping failed"));
        }
        Ok((self.out, self.written))
    }
}
