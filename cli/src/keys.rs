//! `privshare keys ...`: keysets for the columns, signing keys for the sender, recipient keys for
//! the receiving department, and the registry of trusted senders.

use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use privshare::envelope::{KemAlgorithm, ParticipantId, RecipientKey, SignatureAlgorithm, SigningKey};
use privshare::{Keyset, Suite};

use crate::files::{self, in_file};
use crate::{Failure, Passphrase};

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Make a new keyset (wrapped by the passphrase) for protecting columns.
    New {
        /// Algorithm suite: `aes` (AES, SHA-256) or `sm` (SM4, SM3).
        #[arg(long, value_enum)]
        suite: SuiteArg,
        /// Keyset file to write.
        #[arg(short, long)]
        out: PathBuf,
        #[command(flatten)]
        passphrase: Passphrase,
    },
    /// Add a new primary key version to a keyset (older versions still decrypt).
    Rotate {
        /// The keyset file (rewritten in place).
        keyset: PathBuf,
        #[command(flatten)]
        passphrase: Passphrase,
    },
    /// List a keyset's versions.
    Show {
        /// The keyset file.
        keyset: PathBuf,
        #[command(flatten)]
        passphrase: Passphrase,
    },
    /// Make a signing key pair for a sending department: NAME.key (secret) and NAME.pub.
    Signing {
        /// `ed25519`, `p256` or `sm2`.
        #[arg(long, value_enum)]
        algorithm: SigningArg,
        /// NAME: writes NAME.key and NAME.pub.
        #[arg(short, long)]
        out: PathBuf,
    },
    /// Make a recipient key pair for a receiving department: NAME.key (secret) and NAME.pub.
    Recipient {
        /// `x25519` or `p256` (HPKE), or `sm2`.
        #[arg(long, value_enum)]
        algorithm: RecipientArg,
        /// NAME: writes NAME.key and NAME.pub.
        #[arg(short, long)]
        out: PathBuf,
    },
    /// Write the public half of a signing or recipient key (PKCS#8 PEM, e.g. from openssl).
    ExportPublic {
        /// The secret key file.
        key: PathBuf,
        /// The public key file to write.
        #[arg(short, long)]
        out: PathBuf,
    },
    /// Trust a sender's signing key: add it to a registry file (made if missing).
    Trust {
        /// The registry file.
        #[arg(long)]
        registry: PathBuf,
        /// The sender's participant id, INSTANCE/CLASS/MEMBER/SUBSYSTEM.
        #[arg(long)]
        participant: String,
        /// The sender's public signing key (NAME.pub).
        #[arg(long)]
        key: PathBuf,
        /// Valid from (Unix seconds; default: now).
        #[arg(long)]
        not_before: Option<u64>,
        /// Valid until (Unix seconds, exclusive; default: no end).
        #[arg(long)]
        not_after: Option<u64>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SuiteArg {
    Aes,
    Sm,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SigningArg {
    Ed25519,
    P256,
    Sm2,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RecipientArg {
    X25519,
    P256,
    Sm2,
}

impl SuiteArg {
    pub fn suite(self) -> Suite {
        match self {
            SuiteArg::Aes => Suite::Aes,
            SuiteArg::Sm => Suite::Sm,
        }
    }
}

impl SigningArg {
    pub fn algorithm(self) -> SignatureAlgorithm {
        match self {
            SigningArg::Ed25519 => SignatureAlgorithm::Ed25519,
            SigningArg::P256 => SignatureAlgorithm::EcdsaP256Sha256,
            SigningArg::Sm2 => SignatureAlgorithm::Sm2Sm3,
        }
    }
}

impl RecipientArg {
    pub fn algorithm(self) -> KemAlgorithm {
        match self {
            RecipientArg::X25519 => KemAlgorithm::HpkeX25519,
            RecipientArg::P256 => KemAlgorithm::HpkeP256,
            RecipientArg::Sm2 => KemAlgorithm::Sm2,
        }
    }
}

pub fn run(command: KeysCommand, json: bool) -> Result<(), Failure> {
    match command {
        KeysCommand::New { suite, out, passphrase } => {
            let keyset = Keyset::generate(suite.suite())?;
            files::save_keyset(&out, &keyset, &passphrase, false)?;
            say(json, &out, &format!("new keyset, primary key version {}", keyset.primary_id()));
        }
        KeysCommand::Rotate { keyset: path, passphrase } => {
            let mut keyset = files::load_keyset(&path, &passphrase)?;
            let suite = keyset.primary().suite();
            let id = keyset.rotate(suite).map_err(|e| in_file(&path, e))?;
            files::save_keyset(&path, &keyset, &passphrase, true)?;
            say(json, &path, &format!("new primary key version {id}"));
        }
        KeysCommand::Show { keyset: path, passphrase } => {
            let keyset = files::load_keyset(&path, &passphrase)?;
            let versions: Vec<serde_json::Value> = keyset
                .versions()
                .iter()
                .map(|v| {
                    serde_json::json!({
                        "version": v.id(),
                        "suite": format!("{:?}", v.suite()).to_lowercase(),
                        "status": format!("{:?}", v.status()).to_lowercase(),
                        "created_at": v.created_at(),
                        "primary": v.id() == keyset.primary_id(),
                    })
                })
                .collect();
            if json {
                println!("{}", serde_json::json!({ "keyset": path, "versions": versions }));
            } else {
                println!("{}: {} key versions", path.display(), versions.len());
                for v in &versions {
                    let primary = if v["primary"] == true { " (primary)" } else { "" };
                    println!("  version {} {} {}{primary}", v["version"], v["suite"], v["status"]);
                }
            }
        }
        KeysCommand::Signing { algorithm, out } => {
            let key = SigningKey::generate(algorithm.algorithm())?;
            let (secret, public) = pair_paths(&out);
            files::write_file(&secret, key.to_pkcs8_pem().as_bytes(), true, false)?;
            files::write_file(&public, key.verifying_key().to_spki_pem().as_bytes(), false, false)?;
            say(json, &secret, &format!("signing key {}, public key in {}", key.id(), public.display()));
        }
        KeysCommand::Recipient { algorithm, out } => {
            let key = RecipientKey::generate(algorithm.algorithm())?;
            let (secret, public) = pair_paths(&out);
            files::write_file(&secret, key.to_pkcs8_pem().as_bytes(), true, false)?;
            files::write_file(&public, key.public_key().to_spki_pem().as_bytes(), false, false)?;
            say(json, &secret, &format!("recipient key {}, public key in {}", key.id(), public.display()));
        }
        KeysCommand::ExportPublic { key, out } => {
            // A PKCS#8 file is either kind; the algorithm in it says which.
            let public = match files::signing_key(&key) {
                Ok(k) => k.verifying_key().to_spki_pem(),
                Err(_) => files::recipient_key(&key)?.public_key().to_spki_pem(),
            };
            files::write_file(&out, public.as_bytes(), false, false)?;
            say(json, &out, "public key");
        }
        KeysCommand::Trust { registry, participant, key, not_before, not_after } => {
            let mut reg = files::registry(&registry, true)?;
            let id = ParticipantId::parse(&participant)?;
            let vk = files::verifying_key(&key)?;
            let from = not_before.unwrap_or_else(unix_now);
            let key_id = vk.id();
            reg.add(id, vk, from, not_after).map_err(|e| in_file(&registry, e))?;
            files::write_file(&registry, reg.to_json().as_bytes(), false, true)?;
            say(json, &registry, &format!("trusts key {key_id} of {participant}"));
        }
    }
    Ok(())
}

/// NAME -> (NAME.key, NAME.pub).
fn pair_paths(name: &Path) -> (PathBuf, PathBuf) {
    let with = |ext: &str| {
        let mut p = name.as_os_str().to_owned();
        p.push(ext);
        PathBuf::from(p)
    };
    (with(".key"), with(".pub"))
}

fn say(json: bool, path: &Path, what: &str) {
    if json {
        println!("{}", serde_json::json!({ "file": path, "result": what }));
    } else {
        println!("{}: {what}", path.display());
    }
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}
