//! Secret byte strings: zeroized on drop, redacted in `Debug`, compared in constant time.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// Secret bytes (key material). Never printed, zeroized when dropped.
#[derive(Clone)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    /// Takes ownership of `bytes`.
    pub fn new(bytes: Vec<u8>) -> SecretBytes {
        SecretBytes(Zeroizing::new(bytes))
    }

    /// Copies `bytes`.
    pub fn from_slice(bytes: &[u8]) -> SecretBytes {
        SecretBytes::new(bytes.to_vec())
    }

    /// `len` bytes from the system's CSPRNG.
    pub fn random(len: usize) -> crate::Result<SecretBytes> {
        use ring::rand::SecureRandom;
        let mut v = Zeroizing::new(vec![0u8; len]);
        ring::rand::SystemRandom::new()
            .fill(&mut v)
            .map_err(|_| crate::Error::new(crate::ErrorKind::Internal, "system random generator failed"))?;
        Ok(SecretBytes(v))
    }

    /// The secret bytes. Handle with care: do not log, format or copy them into unzeroized memory.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Its one field, `Zeroizing<Vec<u8>>`, overwrites the bytes when dropped.
impl zeroize::ZeroizeOnDrop for SecretBytes {}

impl std::fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretBytes([REDACTED; {}])", self.0.len())
    }
}

impl PartialEq for SecretBytes {
    fn eq(&self, other: &SecretBytes) -> bool {
        self.0.len() == other.0.len() && bool::from(self.0.as_slice().ct_eq(other.0.as_slice()))
    }
}

impl Eq for SecretBytes {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts() {
        let s = SecretBytes::from_slice(b"very secret");
        let shown = format!("{s:?}");
        assert!(!shown.contains("very") && shown.contains("REDACTED"));
    }

    #[test]
    fn equality() {
        assert_eq!(SecretBytes::from_slice(b"ab"), SecretBytes::from_slice(b"ab"));
        assert_ne!(SecretBytes::from_slice(b"ab"), SecretBytes::from_slice(b"ac"));
        assert_ne!(SecretBytes::from_slice(b"ab"), SecretBytes::from_slice(b"abc"));
    }
}
