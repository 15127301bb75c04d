//! Sealing: the builder of an envelope's header, and the encrypt-then-sign pass over the payload.

use std::io::{Read, Write};

use zeroize::Zeroizing;

use super::body_hash;
use super::crypto;
use super::format::{self, Extension, Header, RecipientEntry, DEFAULT_CHUNK_SIZE, LENGTH_PREFIX_LEN, TAG_LEN};
use super::identity::SigningKey;
use super::participant::ParticipantId;
use super::recipient::RecipientPublicKey;
use super::rng::Drbg;
use crate::{Error, ErrorKind, Result};

/// Default lifetime of an envelope: 7 days.
pub const DEFAULT_LIFETIME_SECS: u64 = 7 * 24 * 3600;

/// How the payload is padded before encryption, so that its length (visible in the header)
/// does not reveal the exact size (for a CSV, the row count). The true length is encrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Padding {
    /// No padding: the header shows the payload's exact length.
    None,
    /// Up to the next multiple of this many bytes (at least 1).
    Multiple(u64),
    /// Up to the next power of two (at least 1 KiB): at most 2x the size, about log2 of the size
    /// distinguishable lengths.
    PowerOfTwo,
}

impl Padding {
    /// The padded length of a `len`-byte payload.
    pub fn padded_len(self, len: u64) -> Result<u64> {
        let too_long = || Error::new(ErrorKind::InvalidArgument, "the padded payload length overflows");
        match self {
            Padding::None => Ok(len),
            Padding::Multiple(0) => Err(Error::new(ErrorKind::InvalidArgument, "padding multiple must be at least 1")),
            Padding::Multiple(m) => len.div_ceil(m).checked_mul(m).ok_or_else(too_long),
            Padding::PowerOfTwo => len.max(1024).checked_next_power_of_two().ok_or_else(too_long),
        }
    }
}

/// Seconds since the Unix epoch, from the system clock.
pub(crate) fn unix_now() -> Result<u64> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| Error::new(ErrorKind::Internal, "the system clock is before 1970"))
}

/// Builds and seals an envelope: encrypt (a random content key wrapped for each recipient, the
/// payload in AEAD chunks) then sign (the header, body length and body hash).
///
/// ```
/// use privshare::envelope::*;
/// let sender = SigningKey::generate(SignatureAlgorithm::Ed25519)?;
/// let recipient = RecipientKey::generate(KemAlgorithm::HpkeX25519)?;
/// let sealer = Sealer::new("CN/GOV/111/tax".parse()?)
///     .recipient("CN/GOV/222/stats".parse()?, recipient.public_key())
///     .purpose("monthly statistics")
///     .legal_basis("Statistics Law art. 7")
///     .content_type("text/csv");
/// let envelope = sealer.seal(&sender, b"id,income\n1,100\n")?;
/// assert_eq!(&envelope[..4], b"PSEV");
/// # Ok::<(), privshare::Error>(())
/// ```
///
/// The sealer holds the header's fields and the recipients' public keys; the sender's signing
/// key (whose algorithm fixes the suite) is given to each `seal` call.
#[derive(Clone, Debug)]
pub struct Sealer {
    sender: ParticipantId,
    recipients: Vec<(ParticipantId, RecipientPublicKey)>,
    purpose: String,
    legal_basis: String,
    policy: (String, u32, Vec<u8>),
    schema_hash: Vec<u8>,
    content_type: String,
    columns: Vec<(String, u32)>,
    extensions: Vec<Extension>,
    in_reply_to: Option<[u8; format::MESSAGE_ID_LEN]>,
    created: Option<u64>,
    lifetime: u64,
    padding: Padding,
    chunk_size: u32,
    seed: Option<[u8; 32]>,
}

/// What a seal produced besides the envelope bytes.
#[derive(Clone, Debug)]
pub struct Sealed {
    /// The header as written (and signed).
    pub header: Header,
    /// Total envelope length in bytes.
    pub envelope_len: u64,
    /// The suite hash of the body (the ciphertext), as signed: with the message id it identifies
    /// the exchange in an audit log without the payload.
    pub body_hash: [u8; 32],
}

impl Sealer {
    /// A sealer for envelopes from `sender`.
    pub fn new(sender: ParticipantId) -> Sealer {
        Sealer {
            sender,
            recipients: Vec::new(),
            purpose: String::new(),
            legal_basis: String::new(),
            policy: (String::new(), 0, Vec::new()),
            schema_hash: Vec::new(),
            content_type: String::new(),
            columns: Vec::new(),
            extensions: Vec::new(),
            in_reply_to: None,
            created: None,
            lifetime: DEFAULT_LIFETIME_SECS,
            padding: Padding::None,
            chunk_size: DEFAULT_CHUNK_SIZE,
            seed: None,
        }
    }

    /// Adds a recipient (its key's algorithm must belong to the signer's suite).
    pub fn recipient(mut self, participant: ParticipantId, key: &RecipientPublicKey) -> Self {
        self.recipients.push((participant, key.clone()));
        self
    }

    /// Why the data is shared (at most 1024 bytes).
    pub fn purpose(mut self, purpose: impl Into<String>) -> Self {
        self.purpose = purpose.into();
        self
    }

    /// The legal basis of the exchange (at most 1024 bytes).
    pub fn legal_basis(mut self, legal_basis: impl Into<String>) -> Self {
        self.legal_basis = legal_basis.into();
        self
    }

    /// The sharing policy: id, version and hash.
    pub fn policy(mut self, id: impl Into<String>, version: u32, hash: &[u8]) -> Self {
        self.policy = (id.into(), version, hash.to_vec());
        self
    }

    /// The hash of the data schema.
    pub fn schema_hash(mut self, hash: &[u8]) -> Self {
        self.schema_hash = hash.to_vec();
        self
    }

    /// The payload's media type, e.g. `text/csv`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// Records the keyset key version used for a column (the column key versions extension).
    pub fn column_key_version(mut self, column: impl Into<String>, key_version: u32) -> Self {
        self.columns.push((column.into(), key_version));
        self
    }

    /// Adds an extension; `kind` above 0x0001, bit 15 set when readers must understand it.
    /// Extensions are written by increasing type.
    pub fn extension(mut self, kind: u16, value: &[u8]) -> Self {
        self.extensions.push(Extension { kind, value: value.to_vec() });
        self.extensions.sort_by_key(|e| e.kind);
        self
    }

    /// The message this one answers.
    pub fn in_reply_to(mut self, message_id: [u8; format::MESSAGE_ID_LEN]) -> Self {
        self.in_reply_to = Some(message_id);
        self
    }

    /// The creation time (Unix seconds); the system clock by default.
    pub fn created_at(mut self, unix_seconds: u64) -> Self {
        self.created = Some(unix_seconds);
        self
    }

    /// How long the envelope stays valid after its creation ([`DEFAULT_LIFETIME_SECS`] by default).
    pub fn lifetime(mut self, seconds: u64) -> Self {
        self.lifetime = seconds;
        self
    }

    /// Pads the payload (none by default).
    pub fn padding(mut self, padding: Padding) -> Self {
        self.padding = padding;
        self
    }

    /// Plaintext bytes per chunk, 1 KiB to 4 MiB (64 KiB by default).
    pub fn chunk_size(mut self, bytes: u32) -> Self {
        self.chunk_size = bytes;
        self
    }

    /// Draws every random value (message id, content key, HPKE ephemeral keys) from `seed`
    /// instead of the system generator. Only for reproducible test vectors: never in production.
    #[doc(hidden)]
    pub fn insecure_fixed_randomness(mut self, seed: [u8; 32]) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Builds the header and the content keys for a payload of `len` bytes.
    fn prepare(&self, signer: &SigningKey, len: u64, rng: &mut Drbg) -> Result<(Header, Vec<u8>, crypto::ContentKeys)> {
        let suite = signer.algorithm().suite();
        for (who, key) in &self.recipients {
            if key.algorithm().suite() != suite {
                return Err(Error::new(
                    ErrorKind::UnsupportedAlgorithm,
                    format!(
                        "recipient {who} has a {} key, but the sender signs with {} (suite {suite})",
                        key.algorithm(),
                        signer.algorithm()
                    ),
                ));
            }
        }
        let created = match self.created {
            Some(t) => t,
            None => unix_now()?,
        };
        let expires = created
            .checked_add(self.lifetime)
            .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "the expiry overflows"))?;
        let mut header = Header {
            suite,
            message_id: rng.array(),
            created,
            expires,
            sender: self.sender.clone(),
            sender_key_id: signer.id(),
            purpose: self.purpose.clone(),
            legal_basis: self.legal_basis.clone(),
            policy_id: self.policy.0.clone(),
            policy_version: self.policy.1,
            policy_hash: self.policy.2.clone(),
            schema_hash: self.schema_hash.clone(),
            content_type: self.content_type.clone(),
            padded_length: self.padding.padded_len(len)?,
            chunk_size: self.chunk_size,
            key_commitment: [0; 32],
            in_reply_to: self.in_reply_to,
            recipients: Vec::with_capacity(self.recipients.len()),
            column_key_versions: self.columns.clone(),
            extensions: self.extensions.clone(),
        };
        let mut content_key: crypto::ContentKey = Zeroizing::new([0; 32]);
        rng.fill(content_key.as_mut());
        let keys = crypto::derive(suite, content_key.as_ref(), &header.message_id, signer.id().as_bytes())?;
        header.key_commitment = keys.commitment;
        for (participant, key) in &self.recipients {
            let aad = crypto::wrap_aad(&header, key.id().as_bytes());
            let wrapped_key = key.wrap(content_key.as_ref(), &aad, rng)?;
            header.recipients.push(RecipientEntry { participant: participant.clone(), key_id: key.id(), wrapped_key });
        }
        let bytes = format::encode_header(&header)?;
        Ok((header, bytes, keys))
    }

    /// Seals `payload` into a new envelope signed by `signer`.
    pub fn seal(&self, signer: &SigningKey, payload: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(payload.len() + 1024);
        self.seal_stream(signer, payload, payload.len() as u64, &mut out)?;
        Ok(out)
    }

    /// Seals `len` bytes read from `payload` into `out`, holding at most four chunks in memory
    /// (one being sealed, up to three being hashed on a second core for a large body). The reader
    /// must yield exactly `len` bytes. On an error `out` holds an unsigned, unusable prefix (to
    /// write a file atomically, use [`Sealer::seal_file`]).
    pub fn seal_stream(
        &self,
        signer: &SigningKey,
        mut payload: impl Read,
        len: u64,
        mut out: impl Write,
    ) -> Result<Sealed> {
        let mut rng = match &self.seed {
            Some(seed) => Drbg::from_seed(seed),
            None => Drbg::from_system()?,
        };
        let (header, header_bytes, keys) = self.prepare(signer, len, &mut rng)?;
        let suite = header.suite;
        let aad = crypto::chunk_aad(suite, &header_bytes);
        out.write_all(&header_bytes)?;
        let ((), body_hash) = body_hash::hashing(suite, header.chunk_count(), |hash| {
            // Sized for the first chunk, the largest (a small payload needs no 64 KiB buffer to wipe).
            let mut buf = Zeroizing::new(vec![0u8; header.chunk_plain_len(0) + TAG_LEN]);
            let mut remaining = len; // payload bytes still to read
            for index in 0..header.chunk_count() {
                let n = header.chunk_plain_len(index);
                let mut filled = 0;
                if index == 0 {
                    buf[..LENGTH_PREFIX_LEN].copy_from_slice(&len.to_be_bytes());
                    filled = LENGTH_PREFIX_LEN;
                }
                let take = (n - filled).min(usize::try_from(remaining).unwrap_or(usize::MAX));
                read_exactly(&mut payload, &mut buf[filled..filled + take], len - remaining)?;
                remaining -= take as u64;
                buf[filled + take..n].fill(0); // padding
                let chunk = &mut buf[..n + TAG_LEN];
                crypto::seal_chunk(&keys, &aad, &header, index, chunk)?;
                hash(chunk);
                out.write_all(chunk)?;
            }
            let mut probe = [0u8; 1];
            if read_some(&mut payload, &mut probe)? != 0 {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!("the payload is longer than the {len} bytes announced"),
                ));
            }
            Ok(())
        })?;
        let message = crypto::signed_message(&header_bytes, header.body_len(), &body_hash);
        let signature = signer.sign(&message)?;
        let mut trailer = (signature.len() as u16).to_be_bytes().to_vec();
        trailer.extend_from_slice(&signature);
        out.write_all(&trailer)?;
        out.flush()?;
        let envelope_len = header_bytes.len() as u64 + header.body_len() + trailer.len() as u64;
        Ok(Sealed { header, envelope_len, body_hash })
    }

    /// Seals the file `input` into the file `output`, written to a temporary file beside it and
    /// renamed into place only when complete (an error leaves no output file); `output` may not be
    /// `input` (`InvalidArgument`).
    pub fn seal_file(&self, signer: &SigningKey, input: &std::path::Path, output: &std::path::Path) -> Result<Sealed> {
        crate::io::atomic::refuse_same_file(input, output)?;
        let file = std::fs::File::open(input)?;
        let len = file.metadata()?.len();
        let reader = std::io::BufReader::with_capacity(1 << 16, file);
        crate::io::atomic::write_atomically(output, |w| self.seal_stream(signer, reader, len, w))
    }
}

fn read_some(r: &mut impl Read, buf: &mut [u8]) -> Result<usize> {
    loop {
        match r.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Fills `buf` from `r`; a short read is an error naming the payload offset it stopped at.
fn read_exactly(r: &mut impl Read, buf: &mut [u8], offset: u64) -> Result<()> {
    let mut done = 0;
    while done < buf.len() {
        let n = read_some(r, &mut buf[done..])?;
        if n == 0 {
            return Err(Error::new(ErrorKind::InvalidInput, "the payload is shorter than announced")
                .at_offset(offset + done as u64));
        }
        done += n;
    }
    Ok(())
}
