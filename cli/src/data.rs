//! The commands that read data: scan, policy check, protect, share, open.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use privshare::envelope::{parse_header, Opener, Padding, ParticipantId, ReplayStore, MAX_HEADER_LEN};
use privshare::mask::scan::{scan_csv_path, ScanOptions, ScanReport};
use privshare::policy::{open_package_file, DataFormat, Format, Plan, Policy, Report, ShareOptions};

use crate::files::{self, in_file};
use crate::{Failure, Passphrase};

#[derive(Args)]
pub struct ScanArgs {
    /// The CSV file (header line first).
    input: PathBuf,
    /// Also write a suggested policy (TOML) to this file, for review.
    #[arg(long, value_name = "FILE")]
    suggest_policy: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Check a policy; with --data, that it names every column; with --keyset, that it compiles.
    Check {
        /// The policy (TOML, or JSON when the name ends in .json).
        policy: PathBuf,
        /// A CSV file whose header the policy must match (or a JSON Lines file, `.jsonl`, whose
        /// first record's keys it must name).
        #[arg(long)]
        data: Option<PathBuf>,
        /// The keyset it will run with.
        #[arg(long)]
        keyset: Option<PathBuf>,
        #[command(flatten)]
        passphrase: Passphrase,
        /// Field delimiter of --data.
        #[arg(long, default_value = ",")]
        delimiter: String,
    },
    /// Write the keyset's primary version into every column that must name its key version
    /// (`fpe`, keyed masks), editing the policy in place with its comments and layout kept.
    Pin(crate::pin::PinArgs),
}

/// What protecting needs.
#[derive(Args)]
pub struct ProtectInputs {
    /// The sharing policy (TOML, or JSON when the name ends in .json).
    #[arg(long)]
    policy: PathBuf,
    /// The keyset.
    #[arg(long)]
    keyset: PathBuf,
    #[command(flatten)]
    passphrase: Passphrase,
    /// Field delimiter of the input (and output): one character, or `tab`.
    #[arg(long, default_value = ",")]
    delimiter: String,
    /// The input's format (and the output's): `csv`, `jsonl` for JSON Lines (one object per
    /// line) or `parquet`. Default: `jsonl` when the input's name ends in .jsonl or .ndjson,
    /// `parquet` for .parquet, `csv` otherwise.
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,
    /// Also write the report (JSON) to this file.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// The input's encoding: `utf-8`, or `gbk` / `gb18030` for legacy exports (converted to UTF-8
    /// first, strictly: a malformed byte is an error naming its offset). The output is UTF-8.
    #[arg(long, default_value = "utf-8")]
    encoding: String,
    /// The file to protect: CSV (header line first) or JSON Lines.
    input: PathBuf,
}

#[derive(Args)]
pub struct ProtectArgs {
    #[command(flatten)]
    inputs: ProtectInputs,
    /// The file to write, in the input's format (never the input; written whole or not at all).
    #[arg(short, long)]
    out: PathBuf,
}

#[derive(Args)]
pub struct ShareArgs {
    #[command(flatten)]
    inputs: ProtectInputs,
    /// The sender's signing key (PKCS#8 PEM).
    #[arg(long, value_name = "KEY")]
    sign: PathBuf,
    /// A recipient's public key: `PARTICIPANT=FILE`, or just FILE when the policy names one
    /// recipient. Repeat for each recipient.
    #[arg(long = "to", value_name = "[ID=]FILE", required = true)]
    to: Vec<String>,
    /// Seconds until the package expires.
    #[arg(long, default_value_t = privshare::envelope::DEFAULT_LIFETIME_SECS)]
    lifetime: u64,
    /// Append a `sent` record to this audit log (made if missing), and sign its tree head with
    /// the signing key.
    #[arg(long, value_name = "LOG")]
    audit_log: Option<PathBuf>,
    /// Pad the data to the next power of two (at least 1 KiB), so its size does not reveal the row count.
    #[arg(long)]
    pad: bool,
    /// The package to write.
    #[arg(short, long)]
    out: PathBuf,
}

#[derive(Args)]
pub struct OpenArgs {
    /// The package.
    package: PathBuf,
    /// Your recipient key (PKCS#8 PEM).
    #[arg(long)]
    key: PathBuf,
    /// The registry of trusted senders.
    #[arg(long)]
    trust: PathBuf,
    /// Your participant id (default: the recipient of the package that holds your key).
    #[arg(long = "as", value_name = "ID")]
    me: Option<String>,
    /// File remembering opened packages, so none is opened twice (default: KEY.replay).
    #[arg(long, value_name = "FILE")]
    replay_store: Option<PathBuf>,
    /// Clock skew tolerated on the package's times, in seconds.
    #[arg(long, default_value_t = privshare::envelope::DEFAULT_CLOCK_SKEW_SECS)]
    clock_skew: u64,
    /// Append an `opened` or `rejected` record to this audit log (made if missing).
    #[arg(long, value_name = "LOG")]
    audit_log: Option<PathBuf>,
    /// Your signing key, to sign the audit log's tree head after appending.
    #[arg(long, value_name = "KEY", requires = "audit_log")]
    audit_key: Option<PathBuf>,
    /// Also write the sender's report (JSON) to this file.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// The data file to write (appears only when every check passed).
    #[arg(short, long)]
    out: PathBuf,
}

pub fn scan(a: &ScanArgs, json: bool) -> Result<(), Failure> {
    let report = scan_csv_path(&a.input, &ScanOptions::default()).map_err(|e| in_file(&a.input, e))?;
    if let Some(path) = &a.suggest_policy {
        files::write_file(path, suggested_policy(&a.input, &report).as_bytes(), false, false)?;
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
        return Ok(());
    }
    println!("{}: {} rows read, {} sampled", a.input.display(), report.rows_read, report.rows_sampled);
    for c in &report.columns {
        match c.detected {
            Some(t) => println!("  {:<20} {} ({:.0}% valid)", c.name, t.name(), c.valid_share * 100.0),
            None => println!("  {:<20} -", c.name),
        }
    }
    if let Some(p) = &a.suggest_policy {
        println!("suggested policy written to {} (review it: every column is `keep` unless masked)", p.display());
    }
    Ok(())
}

/// A policy that masks every detected PII column with its suggested rule and keeps the rest,
/// each line marked for review.
fn suggested_policy(input: &Path, report: &ScanReport) -> String {
    let stem = input.file_stem().and_then(|s| s.to_str()).unwrap_or("dataset");
    let mut s = format!(
        "# Suggested by `privshare scan {}`: review every line before use.\n\
         policy = \"{stem}-share\"\nversion = 1\ndataset = \"{stem}\"\n\
         sender = \"INSTANCE/CLASS/MEMBER/SUBSYSTEM\"\nrecipients = [\"INSTANCE/CLASS/MEMBER/SUBSYSTEM\"]\n\
         purpose = \"state the purpose\"\nsuite = \"aes\"\n\n[columns]\n",
        input.display()
    );
    for c in &report.columns {
        let bare = !c.name.is_empty() && c.name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        let name = if bare { c.name.clone() } else { serde_json::to_string(&c.name).unwrap_or_default() };
        let rule = c.suggested_rule.as_ref().and_then(|r| serde_json::to_value(r).ok());
        match (c.detected, rule) {
            (Some(t), Some(serde_json::Value::Object(fields))) => {
                // The rule first; TOML has no null (an absent parameter takes its default).
                let mut params: Vec<String> = vec![format!("rule = {}", fields["rule"])];
                params.extend(
                    fields.iter().filter(|(k, v)| *k != "rule" && !v.is_null()).map(|(k, v)| format!("{k} = {v}")),
                );
                s.push_str(&format!(
                    "{name} = {{ action = \"mask\", {} }}  # detected: {}\n",
                    params.join(", "),
                    t.name()
                ));
            }
            _ => s.push_str(&format!("{name} = {{ action = \"keep\" }}\n")),
        }
    }
    s
}

pub fn policy(c: PolicyCommand, json: bool) -> Result<(), Failure> {
    let (path, data, keyset, passphrase, delimiter) = match c {
        PolicyCommand::Check { policy, data, keyset, passphrase, delimiter } => {
            (policy, data, keyset, passphrase, delimiter)
        }
        PolicyCommand::Pin(a) => return crate::pin::pin(&a, json),
    };
    let text = files::read_text(&path)?;
    let mut problems = Vec::new();
    match Policy::check(&text, Format::of_path(&path)) {
        Err(p) => problems = p,
        Ok(policy) => {
            let keyset = keyset.map(|k| files::load_keyset(&k, &passphrase)).transpose()?;
            if let Some(keyset) = &keyset {
                if let Err(e) = Plan::compile(&policy, keyset) {
                    problems.push(privshare::policy::Problem {
                        line: None,
                        path: String::new(),
                        message: e.message().to_string(),
                    });
                }
            }
            if let Some(data) = &data {
                let header = match DataFormat::from_path(data, files::delimiter(&delimiter)?) {
                    DataFormat::Csv { delimiter } => csv_header(data, delimiter)?,
                    DataFormat::JsonLines => jsonl_keys(data, &policy)?,
                    DataFormat::Parquet => {
                        privshare::io::records::parquet_columns(data).map_err(|e| in_file(data, e))?
                    }
                };
                // Binding needs only the policy; compile with a throwaway keyset of its suite.
                let keyset = match keyset {
                    Some(k) => k,
                    None => privshare::Keyset::generate(policy.suite)?,
                };
                let unpinned = strip_key_versions(&policy, &keyset);
                if let Ok(plan) = Plan::compile(&unpinned, &keyset) {
                    problems.extend(plan.bind(&header).err().unwrap_or_default());
                }
            }
        }
    }
    if json {
        println!("{}", serde_json::json!({ "policy": path, "ok": problems.is_empty(), "problems": problems }));
    } else if problems.is_empty() {
        println!("{}: ok", path.display());
    } else {
        for p in &problems {
            println!("{}: {p}", path.display());
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(format!("{}: {} problems", path.display(), problems.len())))
    }
}

/// The policy with every key version pointed at `keyset`'s primary, to check the columns alone.
fn strip_key_versions(policy: &Policy, keyset: &privshare::Keyset) -> Policy {
    let mut p = policy.clone();
    for c in &mut p.columns {
        if c.key_version.is_some() {
            c.key_version = Some(keyset.primary_id());
        }
    }
    p
}

fn csv_header(path: &Path, delimiter: u8) -> Result<Vec<String>, Failure> {
    let mut file = std::fs::File::open(path).map_err(|e| Failure::new(format!("{}: {e}", path.display())))?;
    let mut head = vec![0u8; 1 << 20];
    let n = file.read(&mut head).map_err(|e| Failure::new(format!("{}: {e}", path.display())))?;
    let mut r = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).from_reader(&head[..n]);
    let mut rec = csv::StringRecord::new();
    match r.read_record(&mut rec) {
        Ok(true) => Ok(rec.iter().map(|s| s.trim_start_matches('\u{feff}').trim().to_string()).collect()),
        _ => Err(Failure::new(format!("{}: no CSV header line", path.display()))),
    }
}

/// The keys of a JSON Lines file's first record, then the policy's columns it lacks (a record
/// may lack a key).
fn jsonl_keys(path: &Path, policy: &Policy) -> Result<Vec<String>, Failure> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| Failure::new(format!("{}: {e}", path.display())))?;
    let mut first = String::new();
    for line in std::io::BufReader::new(file.take(1 << 20)).lines() {
        first = line.map_err(|e| Failure::new(format!("{}: {e}", path.display())))?;
        if !first.trim().is_empty() {
            break;
        }
    }
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(first.trim_start_matches('\u{feff}'))
        .map_err(|_| Failure::new(format!("{}: the first record is not a JSON object", path.display())))?;
    let mut keys: Vec<String> = object.keys().cloned().collect();
    keys.extend(policy.columns.iter().filter(|c| !object.contains_key(&c.name)).map(|c| c.name.clone()));
    Ok(keys)
}

/// A UTF-8 temporary copy of a legacy-encoded input, removed when dropped.
pub struct Converted(Option<PathBuf>);

impl Drop for Converted {
    fn drop(&mut self) {
        if let Some(p) = &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// The input as UTF-8: the file itself, or its conversion beside `out`.
fn utf8_input(i: &ProtectInputs, out: &Path, format: DataFormat) -> Result<(PathBuf, Converted), Failure> {
    let encoding = privshare::io::transcode::Encoding::parse(&i.encoding)?;
    if encoding == privshare::io::transcode::Encoding::Utf8 {
        return Ok((i.input.clone(), Converted(None)));
    }
    if format == DataFormat::Parquet {
        // Parquet's text is UTF-8 by its format; converting its bytes would corrupt the file.
        return Err(Failure::new("--encoding applies to CSV and JSON Lines, not to Parquet"));
    }
    let mut name = out.file_name().unwrap_or_default().to_owned();
    name.push(format!(".{}.utf8.tmp", std::process::id()));
    let tmp = out.with_file_name(name);
    let guard = Converted(Some(tmp.clone()));
    let io = |e: std::io::Error| Failure::new(format!("{}: {e}", i.input.display()));
    let from = std::io::BufReader::new(std::fs::File::open(&i.input).map_err(io)?);
    let to = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(io)?);
    privshare::io::transcode::to_utf8(from, to, encoding).map_err(|e| in_file(&i.input, e))?;
    Ok((tmp, guard))
}

/// The compiled plan and the input's format; with `bar`, a progress bar over the input's bytes
/// drawn on standard error (the caller clears it when done).
fn plan(i: &ProtectInputs, bar: &Bar) -> Result<(Plan, DataFormat), Failure> {
    let policy = files::load_policy(&i.policy)?;
    let keyset = files::load_keyset(&i.keyset, &i.passphrase)?;
    let mut plan = Plan::compile(&policy, &keyset).map_err(|e| in_file(&i.policy, e))?;
    if let Some(bar) = &bar.0 {
        bar.set_length(std::fs::metadata(&i.input).map(|m| m.len()).unwrap_or(0));
        let bar = bar.clone();
        plan = plan.on_progress(move |bytes| bar.set_position(bytes));
    }
    let delimiter = files::delimiter(&i.delimiter)?;
    let format = match i.format.as_deref() {
        None => DataFormat::from_path(&i.input, delimiter),
        Some("csv") => DataFormat::Csv { delimiter },
        Some("jsonl" | "ndjson") => DataFormat::JsonLines,
        Some("parquet") => DataFormat::Parquet,
        Some(other) => return Err(Failure::new(format!("--format `{other}`: `csv`, `jsonl` or `parquet`"))),
    };
    Ok((plan, format))
}

/// A progress bar on standard error when it is a terminal (and the output is not JSON); cleared
/// when dropped.
struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    fn new(json: bool) -> Bar {
        use std::io::IsTerminal;
        if json || !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let style = indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        Bar(Some(indicatif::ProgressBar::new(0).with_style(style)))
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

fn print_report(report: &Report, to: Option<&Path>, json: bool) -> Result<(), Failure> {
    if let Some(path) = to {
        files::write_file(path, report.to_json().as_bytes(), false, true)?;
    }
    if json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.summary());
    }
    Ok(())
}

pub fn protect(a: &ProtectArgs, json: bool) -> Result<(), Failure> {
    let bar = Bar::new(json);
    let (plan, format) = plan(&a.inputs, &bar)?;
    let (input, _converted) = utf8_input(&a.inputs, &a.out, format)?;
    let report = plan.protect_file(&input, &a.out, format).map_err(|e| in_file(&a.inputs.input, e))?;
    drop(bar);
    print_report(&report, a.inputs.report.as_deref(), json)
}

pub fn reveal(a: &ProtectArgs, json: bool) -> Result<(), Failure> {
    let bar = Bar::new(json);
    let (plan, format) = plan(&a.inputs, &bar)?;
    let (input, _converted) = utf8_input(&a.inputs, &a.out, format)?;
    let report = plan.reveal_file(&input, &a.out, format).map_err(|e| in_file(&a.inputs.input, e))?;
    drop(bar);
    print_report(&report, a.inputs.report.as_deref(), json)
}

pub fn share(a: &ShareArgs, json: bool) -> Result<(), Failure> {
    let bar = Bar::new(json);
    let (plan, format) = plan(&a.inputs, &bar)?;
    let signer = files::signing_key(&a.sign)?;
    let recipients = &plan.policy().recipients;
    let mut keys = Vec::new();
    for to in &a.to {
        let (id, file) = match to.split_once('=') {
            Some((id, file)) => (ParticipantId::parse(id)?, file),
            None if recipients.len() == 1 && a.to.len() == 1 => (recipients[0].clone(), to.as_str()),
            None => {
                return Err(Failure::new(format!(
                    "--to {to}: the policy names {} recipients, so say whose key this is: --to ID=FILE",
                    recipients.len()
                )))
            }
        };
        keys.push((id, files::recipient_public(Path::new(file))?));
    }
    let (input, _converted) = utf8_input(&a.inputs, &a.out, format)?;
    let shared = plan
        .share_file(
            &input,
            &a.out,
            format,
            &signer,
            &keys,
            &ShareOptions {
                lifetime_secs: a.lifetime,
                padding: if a.pad { Padding::PowerOfTwo } else { Padding::None },
            },
        )
        .map_err(|e| in_file(&a.inputs.input, e))?;
    drop(bar);
    print_report(&shared.report, a.inputs.report.as_deref(), json)?;
    let h = &shared.sealed.header;
    if let Some(log) = &a.audit_log {
        let record = crate::audit::sent(h, shared.sealed.body_hash, shared.sealed.envelope_len);
        crate::audit::append(log, h.suite, record, Some(&signer))?;
    }
    if !json {
        println!(
            "sealed {} bytes for {} as message {} (expires at {})",
            shared.sealed.envelope_len,
            h.recipients.iter().map(|r| r.participant.to_string()).collect::<Vec<_>>().join(", "),
            hex(&h.message_id),
            h.expires
        );
    }
    Ok(())
}

pub fn open(a: &OpenArgs, json: bool) -> Result<(), Failure> {
    let key = files::recipient_key(&a.key)?;
    let registry = files::registry(&a.trust, false)?;
    let me = match &a.me {
        Some(id) => ParticipantId::parse(id)?,
        None => addressee(&a.package, &key)?,
    };
    let store_path = a.replay_store.clone().unwrap_or_else(|| {
        let mut p = a.key.as_os_str().to_owned();
        p.push(".replay");
        PathBuf::from(p)
    });
    let replay = ReplayStore::open(&store_path).map_err(|e| in_file(&store_path, e))?;
    let opener = Opener::new(&registry, &me, &key, &replay).clock_skew(a.clock_skew);
    let audit_signer = a.audit_key.as_deref().map(files::signing_key).transpose()?;
    let opened = match open_package_file(&opener, &a.package, &a.out) {
        Ok(opened) => opened,
        Err(e) => {
            if let Some(log) = &a.audit_log {
                let record = crate::audit::rejected(&a.package, key.algorithm().suite(), e.kind());
                crate::audit::append(log, key.algorithm().suite(), record, audit_signer.as_ref())?;
            }
            return Err(in_file(&a.package, e));
        }
    };
    if let Some(log) = &a.audit_log {
        let len = std::fs::metadata(&a.package).map(|m| m.len()).unwrap_or(0);
        let record = crate::audit::opened(&opened.header, opened.body_hash, len);
        crate::audit::append(log, opened.header.suite, record, audit_signer.as_ref())?;
    }
    if let Some(path) = &a.report {
        files::write_file(path, opened.report_json.as_bytes(), false, true)?;
    }
    let h = &opened.header;
    if json {
        let report: serde_json::Value = serde_json::from_str(&opened.report_json).unwrap_or_default();
        println!(
            "{}",
            serde_json::json!({
                "sender": h.sender.to_string(), "purpose": h.purpose, "legal_basis": h.legal_basis,
                "policy": h.policy_id, "policy_version": h.policy_version, "policy_hash": hex(&h.policy_hash),
                "message_id": hex(&h.message_id), "data_bytes": opened.data_len,
                "data_format": format_name(opened.format), "report": report,
            })
        );
    } else {
        println!("verified: from {} (key {}), signature and every chunk check out", h.sender, h.sender_key_id);
        println!("  purpose: {}; legal basis: {}", h.purpose, h.legal_basis);
        println!("  policy {} version {} (digest {})", h.policy_id, h.policy_version, hex(&h.policy_hash));
        let versions: Vec<String> = h.column_key_versions.iter().map(|(c, v)| format!("{c}={v}")).collect();
        println!("  column key versions: {}", versions.join(", "));
        let format = match opened.format {
            DataFormat::Csv { .. } => "CSV",
            DataFormat::JsonLines => "JSON Lines",
            DataFormat::Parquet => "Parquet",
        };
        println!("  wrote {} bytes of {format} data to {}", opened.data_len, a.out.display());
    }
    Ok(())
}

/// The recipient of the package at `path` whose key is `key`.
fn addressee(path: &Path, key: &privshare::envelope::RecipientKey) -> Result<ParticipantId, Failure> {
    let mut head = Vec::new();
    let file = std::fs::File::open(path).map_err(|e| Failure::new(format!("{}: {e}", path.display())))?;
    file.take(MAX_HEADER_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|e| Failure::new(format!("{}: {e}", path.display())))?;
    let (header, _) = parse_header(&head).map_err(|e| in_file(path, e))?;
    header.recipients.iter().find(|r| r.key_id == key.id()).map(|r| r.participant.clone()).ok_or_else(|| {
        in_file(
            path,
            privshare::Error::new(privshare::ErrorKind::NotRecipient, "the package is not addressed to this key"),
        )
    })
}

/// The `data_format` of `open --json`.
fn format_name(format: DataFormat) -> &'static str {
    match format {
        DataFormat::Csv { .. } => "csv",
        DataFormat::JsonLines => "jsonl",
        DataFormat::Parquet => "parquet",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
