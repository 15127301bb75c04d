//! Passphrase protection: Argon2id turns a passphrase and a salt into an AES-256-GCM KEK.

use super::kek::{KeyEncryptionKey, RawKek};
use crate::keys::SecretBytes;
use crate::{Error, ErrorKind, Result};

/// The `"kek"` description of a passphrase-protected keyset.
pub(super) const PASSPHRASE_KEK: &str = "argon2id-aes-256-gcm";

/// Salt length written by this version.
pub(super) const SALT_LEN: usize = 16;

// Bounds on every Argon2Params, and so on what any loader accepts whatever its caps: a hostile file
// must not make us allocate 100 GB or spin for hours.
const MAX_M_COST_KIB: u32 = 1 << 20; // 1 GiB
const MAX_T_COST: u32 = 16;
const MAX_P_COST: u32 = 16;
const SALT_LEN_RANGE: std::ops::RangeInclusive<usize> = 8..=64;

/// Argon2id cost parameters (version 0x13, 32-byte output): the costs a keyset is written with,
/// or (as [`LoadOptions::argon2_caps`](super::LoadOptions::argon2_caps)) the largest costs a loader
/// accepts.
///
/// The default is the second recommended option of RFC 9106 (section 4): 64 MiB of memory,
/// 3 passes, 4 lanes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Argon2Params {
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
}

impl Default for Argon2Params {
    fn default() -> Argon2Params {
        Argon2Params::RFC_9106_SECOND
    }
}

impl Argon2Params {
    /// RFC 9106's second recommended option (section 4), the default for writing: 64 MiB, 3 passes,
    /// 4 lanes.
    pub const RFC_9106_SECOND: Argon2Params = Argon2Params { m_cost_kib: 64 * 1024, t_cost: 3, p_cost: 4 };

    /// The costs a loader accepts unless told otherwise: at most 256 MiB, 8 passes, 8 lanes (four
    /// times the default's memory and at most about eleven times its work). A hostile file can
    /// cost a loader no more than one Argon2id run at these costs per attempt.
    pub const DEFAULT_CAPS: Argon2Params = Argon2Params { m_cost_kib: 256 * 1024, t_cost: 8, p_cost: 8 };

    /// Memory `m_cost_kib` KiB, `t_cost` passes, `p_cost` lanes. Refused (`InvalidArgument`) outside
    /// 8·p ≤ m ≤ 1 GiB, 1 ≤ t ≤ 16, 1 ≤ p ≤ 16: no loader accepts more, whatever its caps.
    pub fn new(m_cost_kib: u32, t_cost: u32, p_cost: u32) -> Result<Argon2Params> {
        let p = Argon2Params { m_cost_kib, t_cost, p_cost };
        if p.in_range() {
            Ok(p)
        } else {
            Err(Error::new(ErrorKind::InvalidArgument, "Argon2id parameters outside the accepted range"))
        }
    }

    /// Minimal costs (8 KiB, 1 pass, 1 lane): fast, and therefore offering no protection against
    /// guessing. For tests and test vectors only.
    pub fn insecure_for_tests() -> Argon2Params {
        Argon2Params { m_cost_kib: 8, t_cost: 1, p_cost: 1 }
    }

    /// Memory cost in KiB.
    pub fn m_cost_kib(&self) -> u32 {
        self.m_cost_kib
    }
    /// Number of passes.
    pub fn t_cost(&self) -> u32 {
        self.t_cost
    }
    /// Degree of parallelism (lanes).
    pub fn p_cost(&self) -> u32 {
        self.p_cost
    }

    fn in_range(&self) -> bool {
        (1..=MAX_P_COST).contains(&self.p_cost)
            && (1..=MAX_T_COST).contains(&self.t_cost)
            && self.m_cost_kib <= MAX_M_COST_KIB
            && u64::from(self.m_cost_kib) >= 8 * u64::from(self.p_cost)
    }

    /// Checks costs read from a stored keyset against the bounds and against `caps`; the error
    /// names the first cost that is too high.
    fn check_stored(&self, caps: &Argon2Params) -> Result<()> {
        let bad = |m: String| Err(Error::new(ErrorKind::MalformedKeyset, m));
        if !self.in_range() {
            return bad("Argon2id parameters in the stored keyset are outside the accepted range".into());
        }
        for (name, asked, cap) in [
            ("m_cost_kib", self.m_cost_kib, caps.m_cost_kib),
            ("t_cost", self.t_cost, caps.t_cost),
            ("p_cost", self.p_cost, caps.p_cost),
        ] {
            if asked > cap {
                return bad(format!(
                    "the stored keyset asks for Argon2id {name} = {asked}, above the loader's cap of {cap} \
                     (raise the caps only for a file you trust)"
                ));
            }
        }
        Ok(())
    }
}

/// The `"argon2id"` object of a passphrase-protected keyset.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Argon2Json {
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
    /// Standard base64 with padding.
    pub salt: String,
}

/// A KEK derived from a passphrase; described as [`PASSPHRASE_KEK`].
pub(super) struct PassphraseKek(RawKek);

impl PassphraseKek {
    /// A KEK for writing: fresh random salt.
    pub(super) fn create(passphrase: &[u8], params: &Argon2Params) -> Result<(PassphraseKek, Argon2Json)> {
        if passphrase.is_empty() {
            return Err(Error::new(ErrorKind::InvalidArgument, "the passphrase must not be empty"));
        }
        Argon2Params::new(params.m_cost_kib, params.t_cost, params.p_cost)?;
        let salt = SecretBytes::random(SALT_LEN)?;
        let kek = derive(passphrase, salt.expose(), params)?;
        use base64::Engine;
        let json = Argon2Json {
            m_cost_kib: params.m_cost_kib,
            t_cost: params.t_cost,
            p_cost: params.p_cost,
            salt: base64::engine::general_purpose::STANDARD.encode(salt.expose()),
        };
        Ok((kek, json))
    }

    /// A KEK for reading: parameters and salt from the file, checked against the bounds and `caps`
    /// before Argon2id runs.
    pub(super) fn open(passphrase: &[u8], json: &Argon2Json, caps: &Argon2Params) -> Result<PassphraseKek> {
        let bad = |m: &str| Error::new(ErrorKind::MalformedKeyset, m.to_string());
        let params = Argon2Params { m_cost_kib: json.m_cost_kib, t_cost: json.t_cost, p_cost: json.p_cost };
        params.check_stored(caps)?;
        use base64::Engine;
        let salt = base64::engine::general_purpose::STANDARD
            .decode(&json.salt)
            .map_err(|_| bad("the Argon2id salt is not valid base64"))?;
        if !SALT_LEN_RANGE.contains(&salt.len()) {
            return Err(bad("the Argon2id salt must be 8 to 64 bytes"));
        }
        derive(passphrase, &salt, &params)
    }
}

fn derive(passphrase: &[u8], salt: &[u8], params: &Argon2Params) -> Result<PassphraseKek> {
    let failed = || Error::new(ErrorKind::Internal, "Argon2id failed");
    let p = argon2::Params::new(params.m_cost_kib, params.t_cost, params.p_cost, Some(32)).map_err(|_| failed())?;
    // Our own working memory, wiped afterwards: the crate frees its own without wiping, and its last
    // blocks determine the KEK.
    let mut memory = zeroize::Zeroizing::new(vec![argon2::Block::default(); p.block_count()]);
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, p);
    let mut out = zeroize::Zeroizing::new([0u8; 32]);
    a.hash_password_into_with_memory(passphrase, salt, out.as_mut_slice(), memory.as_mut_slice())
        .map_err(|_| failed())?;
    Ok(PassphraseKek(RawKek::new(out.as_slice())?))
}

impl KeyEncryptionKey for PassphraseKek {
    fn description(&self) -> String {
        PASSPHRASE_KEK.to_string()
    }
    fn wrap_key(&self, key: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
        self.0.wrap_key(key, aad)
    }
    fn unwrap_key(&self, wrapped: &[u8], aad: &[u8]) -> Result<SecretBytes> {
        self.0.unwrap_key(wrapped, aad).map_err(|e| match e.kind() {
            ErrorKind::KeyUnwrapFailed => Error::new(
                ErrorKind::KeyUnwrapFailed,
                "cannot unwrap the stored keyset: wrong passphrase or modified keyset",
            ),
            _ => e,
        })
    }
}
