//! Reading and writing the files the commands take: keysets (wrapped by a passphrase), PEM keys,
//! the trust registry, policies. Every error names the file.

use std::io::Write;
use std::path::{Path, PathBuf};

use privshare::envelope::{RecipientKey, RecipientPublicKey, SigningKey, TrustRegistry, VerifyingKey};
use privshare::policy::{Format, Policy};
use privshare::Keyset;
use zeroize::Zeroizing;

use crate::{Failure, Passphrase};

/// Largest key, registry or passphrase file read, in bytes (keysets: the core's own limit applies).
const MAX_SMALL_FILE: u64 = 16 << 20;

/// `e` about `path`.
pub fn in_file(path: &Path, e: privshare::Error) -> Failure {
    let mut f = Failure::from(e);
    f.message = format!("{}: {}", path.display(), f.message);
    f
}

pub fn read_text(path: &Path) -> Result<String, Failure> {
    let len = std::fs::metadata(path).map_err(|e| Failure::new(format!("{}: {e}", path.display())))?.len();
    if len > MAX_SMALL_FILE {
        return Err(Failure::new(format!("{}: larger than the limit of {MAX_SMALL_FILE} bytes", path.display())));
    }
    std::fs::read_to_string(path).map_err(|e| Failure::new(format!("{}: {e}", path.display())))
}

/// Writes `bytes` to `path` through a temporary file and a rename; refuses to replace an
/// existing file unless `replace`. `secret` files are readable by their owner only.
pub fn write_file(path: &Path, bytes: &[u8], secret: bool, replace: bool) -> Result<(), Failure> {
    if !replace && path.exists() {
        return Err(Failure::new(format!("{} exists: remove it or choose another name", path.display())));
    }
    let fail = |e: std::io::Error| Failure::new(format!("{}: {e}", path.display()));
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let _ = secret;
    let written = options.open(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

pub fn passphrase(p: &Passphrase) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let text = match &p.passphrase_file {
        Some(path) => Zeroizing::new(read_text(path)?),
        None => Zeroizing::new(std::env::var(&p.passphrase_env).map_err(|_| {
            Failure::new(format!(
                "the keyset's passphrase is read from the environment variable {} (or --passphrase-file): set it",
                p.passphrase_env
            ))
        })?),
    };
    let line = text.lines().next().unwrap_or_default();
    if line.is_empty() {
        return Err(Failure::new("the keyset's passphrase is empty"));
    }
    Ok(Zeroizing::new(line.as_bytes().to_vec()))
}

pub fn load_keyset(path: &Path, pass: &Passphrase) -> Result<Keyset, Failure> {
    let json = read_text(path)?;
    Keyset::from_json_with_passphrase(&json, &passphrase(pass)?).map_err(|e| in_file(path, e))
}

pub fn save_keyset(path: &Path, keyset: &Keyset, pass: &Passphrase, replace: bool) -> Result<(), Failure> {
    let json = keyset.to_json_with_passphrase(&passphrase(pass)?).map_err(|e| in_file(path, e))?;
    write_file(path, json.as_bytes(), true, replace)
}

pub fn load_policy(path: &Path) -> Result<Policy, Failure> {
    let text = read_text(path)?;
    Policy::parse(&text, Format::of_path(path)).map_err(|e| in_file(path, e))
}

pub fn signing_key(path: &Path) -> Result<SigningKey, Failure> {
    SigningKey::from_pkcs8_pem(&Zeroizing::new(read_text(path)?)).map_err(|e| in_file(path, e))
}

pub fn verifying_key(path: &Path) -> Result<VerifyingKey, Failure> {
    VerifyingKey::from_spki_pem(&read_text(path)?).map_err(|e| in_file(path, e))
}

pub fn recipient_key(path: &Path) -> Result<RecipientKey, Failure> {
    RecipientKey::from_pkcs8_pem(&Zeroizing::new(read_text(path)?)).map_err(|e| in_file(path, e))
}

pub fn recipient_public(path: &Path) -> Result<RecipientPublicKey, Failure> {
    RecipientPublicKey::from_spki_pem(&read_text(path)?).map_err(|e| in_file(path, e))
}

/// The registry at `path`, or an empty one when the file does not exist and `may_be_new`.
pub fn registry(path: &Path, may_be_new: bool) -> Result<TrustRegistry, Failure> {
    if may_be_new && !path.exists() {
        return Ok(TrustRegistry::new());
    }
    TrustRegistry::from_json(&read_text(path)?).map_err(|e| in_file(path, e))
}

/// A one-character delimiter (`,`, `;`, `tab` or `\t`).
pub fn delimiter(text: &str) -> Result<u8, Failure> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        t if t.len() == 1 && t.is_ascii() && t != "\"" && t != "\n" && t != "\r" => Ok(t.as_bytes()[0]),
        _ => Err(Failure::new(format!("--delimiter `{text}`: one ASCII character such as , or ; (or `tab`)"))),
    }
}
