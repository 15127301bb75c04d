//! A shared package: the protected file and its report, sealed in one envelope for the policy's
//! recipients, with the policy's id, version and hash and every column's key version in the
//! signed header. The payload is the protected data, then the report's JSON, then a trailer
//! (`docs/formats/package.md`).

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::{Plan, Report};
use crate::envelope::{
    Header, Opener, Padding, ParticipantId, RecipientPublicKey, Sealed, Sealer, SigningKey, DEFAULT_LIFETIME_SECS,
};
use crate::io::atomic::{refuse_same_file, Scratch};
use crate::io::records::DataFormat;
use crate::{Error, ErrorKind, Result};

/// The envelope content type of a package whose data is CSV.
pub const PACKAGE_CONTENT_TYPE: &str = "application/vnd.privshare.package+csv";
/// The envelope content type of a package whose data is JSON Lines.
pub const PACKAGE_CONTENT_TYPE_JSONL: &str = "application/vnd.privshare.package+jsonl";
/// The envelope content type of a package whose data is a Parquet file.
pub const PACKAGE_CONTENT_TYPE_PARQUET: &str = "application/vnd.privshare.package+parquet";
/// Longest report a package may carry, in bytes.
pub const MAX_PACKAGE_REPORT_BYTES: u32 = 16 << 20;
/// The payload's last four bytes.
const TRAILER_MAGIC: &[u8; 4] = b"PSR1";

/// How [`Plan::share_csv_file`] seals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShareOptions {
    /// Seconds until the package expires (default [`DEFAULT_LIFETIME_SECS`], 7 days).
    pub lifetime_secs: u64,
    /// Padding of the payload, so its size does not reveal the row count exactly (default none).
    pub padding: Padding,
}

impl Default for ShareOptions {
    fn default() -> ShareOptions {
        ShareOptions { lifetime_secs: DEFAULT_LIFETIME_SECS, padding: Padding::None }
    }
}

/// What [`Plan::share_csv_file`] did.
#[derive(Clone, Debug)]
pub struct Shared {
    /// What protecting the data did (it is also inside the package).
    pub report: Report,
    /// The envelope's header, length and body hash (for the audit log).
    pub sealed: Sealed,
}

/// What [`open_package_file`] found.
#[derive(Clone, Debug)]
pub struct OpenedPackage {
    /// The data's format, from the envelope's content type: CSV, JSON Lines or Parquet. The
    /// package does not record a CSV file's delimiter: CSV is given as `,`, whatever the
    /// sender's was.
    pub format: DataFormat,
    /// The envelope header, authenticated by the sender's signature.
    pub header: Header,
    /// The report's JSON, as the sender wrote it.
    pub report_json: String,
    /// Bytes of data written to the output.
    pub data_len: u64,
    /// The envelope body's hash, as signed (for the audit log).
    pub body_hash: [u8; 32],
}

impl Plan {
    /// Protects the CSV file `input` and seals the result, with the report, into the envelope
    /// file `output` for the policy's recipients, signed by `signer` as the policy's sender.
    /// `keys` gives each recipient's public key; every recipient the policy names needs one, and
    /// no other may be given. `output` appears whole or not at all; the protected data waits in
    /// a temporary file beside it while it is sealed, and that file is removed in every case.
    pub fn share_csv_file(
        &self,
        input: impl AsRef<Path>,
        output: impl AsRef<Path>,
        delimiter: u8,
        signer: &SigningKey,
        keys: &[(ParticipantId, RecipientPublicKey)],
        options: &ShareOptions,
    ) -> Result<Shared> {
        self.share_file(input, output, DataFormat::Csv { delimiter }, signer, keys, options)
    }

    /// [`Plan::share_csv_file`] for a table in `format`; the package's content type says which
    /// ([`PACKAGE_CONTENT_TYPE`], [`PACKAGE_CONTENT_TYPE_JSONL`] or [`PACKAGE_CONTENT_TYPE_PARQUET`]).
    pub fn share_file(
        &self,
        input: impl AsRef<Path>,
        output: impl AsRef<Path>,
        format: DataFormat,
        signer: &SigningKey,
        keys: &[(ParticipantId, RecipientPublicKey)],
        options: &ShareOptions,
    ) -> Result<Shared> {
        let (input, output) = (input.as_ref(), output.as_ref());
        refuse_same_file(input, output)?;
        let content_type = match format {
            DataFormat::Csv { .. } => PACKAGE_CONTENT_TYPE,
            DataFormat::JsonLines => PACKAGE_CONTENT_TYPE_JSONL,
            DataFormat::Parquet => PACKAGE_CONTENT_TYPE_PARQUET,
        };
        let sealer =
            self.sealer(keys)?.content_type(content_type).lifetime(options.lifetime_secs).padding(options.padding);
        let payload = Scratch::beside(output, "payload")?;
        let report = self.protect_file(input, payload.path(), format)?;
        let json = report.to_json();
        let len = u32::try_from(json.len()).ok().filter(|&n| n <= MAX_PACKAGE_REPORT_BYTES).ok_or_else(|| {
            Error::new(ErrorKind::InvalidInput, format!("the report is longer than {MAX_PACKAGE_REPORT_BYTES} bytes"))
        })?;
        let mut file = std::fs::OpenOptions::new().append(true).open(payload.path())?;
        file.write_all(json.as_bytes())?;
        file.write_all(&len.to_be_bytes())?;
        file.write_all(TRAILER_MAGIC)?;
        drop(file);
        let sealer = report
            .columns
            .iter()
            .filter_map(|c| Some((c, c.key_version?)))
            .fold(sealer, |s, (c, v)| s.column_key_version(c.name.clone(), v));
        let schema = report.columns.iter().filter(|c| c.action != "drop").map(|c| c.name.as_str()).collect::<Vec<_>>();
        let schema = ring::digest::digest(&ring::digest::SHA256, schema.join("\n").as_bytes());
        let sealed = sealer.schema_hash(schema.as_ref()).seal_file(signer, payload.path(), output)?;
        Ok(Shared { report, sealed })
    }

    /// The envelope's header fields from the policy, and its recipients.
    fn sealer(&self, keys: &[(ParticipantId, RecipientPublicKey)]) -> Result<Sealer> {
        let p = &self.policy;
        let policy_error = |m: String| Error::new(ErrorKind::Policy, m);
        let sender = p
            .sender
            .clone()
            .ok_or_else(|| policy_error("the policy names no sender: add `sender = \"...\"`".into()))?;
        if p.recipients.is_empty() {
            return Err(policy_error("the policy names no recipients: add `recipients = [\"...\"]`".into()));
        }
        let mut sealer = Sealer::new(sender)
            .purpose(p.purpose.clone())
            .legal_basis(p.legal_basis.clone().unwrap_or_default())
            .policy(p.id.clone(), p.version, &p.hash);
        for r in &p.recipients {
            let key = keys.iter().find(|(id, _)| id == r).ok_or_else(|| {
                Error::new(ErrorKind::InvalidArgument, format!("no public key was given for recipient {r}"))
            })?;
            sealer = sealer.recipient(r.clone(), &key.1);
        }
        if let Some((id, _)) = keys.iter().find(|(id, _)| !p.recipients.contains(id)) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("{id} is not a recipient the policy names: the package goes only to those"),
            ));
        }
        Ok(sealer)
    }
}

/// Opens the package file `input` with `opener` (every envelope check: sender, signature,
/// validity, recipient, replay, integrity) and writes its data to `output`, which appears only
/// when everything checked and never over `input`. Returns the header and the sender's report.
pub fn open_package_file(
    opener: &Opener<'_>,
    input: impl AsRef<Path>,
    output: impl AsRef<Path>,
) -> Result<OpenedPackage> {
    let (input, output) = (input.as_ref(), output.as_ref());
    refuse_same_file(input, output)?;
    let payload = Scratch::beside(output, "payload")?;
    let opened = opener.open_file(input, payload.path())?;
    let format = match opened.header.content_type.as_str() {
        PACKAGE_CONTENT_TYPE => DataFormat::Csv { delimiter: b',' },
        PACKAGE_CONTENT_TYPE_JSONL => DataFormat::JsonLines,
        PACKAGE_CONTENT_TYPE_PARQUET => DataFormat::Parquet,
        other => {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("the envelope holds `{other}`, not a privshare package"),
            ))
        }
    };
    let malformed = |m: &str| Error::new(ErrorKind::MalformedEnvelope, format!("package payload: {m}"));
    let mut file = std::fs::OpenOptions::new().read(true).write(true).open(payload.path())?;
    let total = opened.payload_len;
    if total < 8 {
        return Err(malformed("shorter than its trailer"));
    }
    let mut trailer = [0u8; 8];
    file.seek(SeekFrom::Start(total - 8))?;
    file.read_exact(&mut trailer)?;
    let len = u32::from_be_bytes(trailer[..4].try_into().expect("4 bytes"));
    if &trailer[4..] != TRAILER_MAGIC {
        return Err(malformed("no package trailer"));
    }
    if len > MAX_PACKAGE_REPORT_BYTES || u64::from(len) > total - 8 {
        return Err(malformed("report length out of range").at_offset(total - 8));
    }
    let data_len = total - 8 - u64::from(len);
    let mut report = vec![0u8; len as usize];
    file.seek(SeekFrom::Start(data_len))?;
    file.read_exact(&mut report)?;
    let report_json =
        String::from_utf8(report).map_err(|_| malformed("the report is not UTF-8").at_offset(data_len))?;
    file.set_len(data_len)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(payload.path(), output)?;
    Ok(OpenedPackage { format, header: opened.header, report_json, data_len, body_hash: opened.body_hash })
}
