//! SM4 (GB/T 32907-2016) in constant time: no memory address and no branch depends on the key or
//! on the data, in encryption, decryption and key expansion.
//!
//! Three implementations ("paths"), chosen once per key by run-time CPU detection:
//!
//! | [`Path`] | where | how |
//! |---|---|---|
//! | [`Path::Gfni`] | x86-64 with GFNI and AVX | AES-field inversion by `gf2p8affineinv`, 4 blocks per vector |
//! | [`Path::AesNi`] | x86-64 with AES-NI and SSSE3 | inversion by `aesenclast`, affine maps by nibble shuffles |
//! | [`Path::Bitsliced`] | everywhere | Boolean circuit over 8 blocks, safe Rust |
//!
//! All three compute the SM4 S-box as `A·inv(A·x ⊕ C) ⊕ C` (see `sbox.rs`), with every constant
//! derived at compile time from that definition. [`Sm4`] implements the RustCrypto `cipher` 0.5
//! traits with parallel-block backends, so it drops into `aes-gcm`, `aes-siv`, `cmac` and friends
//! wherever the `sm4` crate's `Sm4` went. Round keys are wiped when an [`Sm4`] is dropped.
//!
//! ```
//! use cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
//! // GB/T 32907-2016 Appendix A, example 1.
//! let key = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10];
//! let sm4 = sm4_ct::Sm4::new(&key.into());
//! let mut block = key.into();
//! sm4.encrypt_block(&mut block);
//! assert_eq!(block[..4], [0x68, 0x1e, 0xdf, 0x34]);
//! sm4.decrypt_block(&mut block);
//! assert_eq!(block[..], key);
//! ```
#![cfg_attr(not(target_arch = "x86_64"), forbid(unsafe_code))]
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks, missing_docs)]

mod backend;
mod gf2;
mod sbox;
mod schedule;
mod soft;
#[cfg(target_arch = "x86_64")]
mod x86;

use cipher::consts::U16;
use cipher::{
    AlgorithmName, BlockCipherDecClosure, BlockCipherDecrypt, BlockCipherEncClosure, BlockCipherEncrypt, BlockSizeUser,
    Key, KeyInit, KeySizeUser,
};
use zeroize::{Zeroize, ZeroizeOnDrop};

pub use cipher;

/// One implementation of SM4; see the crate documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Path {
    /// x86-64 with GFNI and AVX.
    Gfni,
    /// x86-64 with AES-NI and SSSE3.
    AesNi,
    /// The portable bitsliced implementation (always available).
    Bitsliced,
}

impl Path {
    /// Every path, fastest first.
    pub const ALL: [Path; 3] = [Path::Gfni, Path::AesNi, Path::Bitsliced];

    /// Whether this CPU can run the path.
    pub fn is_available(self) -> bool {
        backend::Chosen::detect(self).is_some()
    }

    /// The fastest path this CPU can run (the one [`KeyInit::new`] picks).
    pub fn fastest() -> Path {
        Path::ALL.into_iter().find(|p| p.is_available()).unwrap_or(Path::Bitsliced)
    }

    /// A short lowercase name (`gfni`, `aesni`, `bitsliced`).
    pub fn name(self) -> &'static str {
        match self {
            Path::Gfni => "gfni",
            Path::AesNi => "aesni",
            Path::Bitsliced => "bitsliced",
        }
    }
}

/// The requested [`Path`] cannot run on this CPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unavailable(pub Path);

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the {} SM4 path is not available on this CPU", self.0.name())
    }
}

impl std::error::Error for Unavailable {}

/// The SM4 block cipher with an expanded key, bound to one [`Path`].
#[derive(Clone)]
pub struct Sm4 {
    /// Round keys in the form the kernel takes, for encryption and (reversed) for decryption.
    enc: [u32; 32],
    dec: [u32; 32],
    kernel: backend::Chosen,
}

impl Sm4 {
    /// Expands `key` for `path`; [`Unavailable`] if this CPU cannot run it. Every path computes
    /// the same function: this exists to test and measure each one.
    pub fn with_path(key: &[u8; 16], path: Path) -> Result<Sm4, Unavailable> {
        let kernel = backend::Chosen::detect(path).ok_or(Unavailable(path))?;
        let mut rk = schedule::expand(key);
        let enc = rk.map(|k| kernel.round_key(k));
        let mut dec = enc;
        dec.reverse();
        rk.zeroize();
        Ok(Sm4 { enc, dec, kernel })
    }

    /// The path this instance runs.
    pub fn path(&self) -> Path {
        self.kernel.path()
    }
}

impl KeySizeUser for Sm4 {
    type KeySize = U16;
}

impl KeyInit for Sm4 {
    fn new(key: &Key<Self>) -> Self {
        let key: &[u8; 16] = key.as_ref();
        Sm4::with_path(key, Path::fastest()).expect("the fastest path is available")
    }
}

impl BlockSizeUser for Sm4 {
    type BlockSize = U16;
}

impl BlockCipherEncrypt for Sm4 {
    #[inline]
    fn encrypt_with_backend(&self, f: impl BlockCipherEncClosure<BlockSize = U16>) {
        self.kernel.encrypt_with(&self.enc, f)
    }
}

impl BlockCipherDecrypt for Sm4 {
    #[inline]
    fn decrypt_with_backend(&self, f: impl BlockCipherDecClosure<BlockSize = U16>) {
        self.kernel.decrypt_with(&self.dec, f)
    }
}

impl std::fmt::Debug for Sm4 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sm4").field("path", &self.path()).finish_non_exhaustive()
    }
}

impl AlgorithmName for Sm4 {
    fn write_alg_name(f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sm4")
    }
}

impl Drop for Sm4 {
    fn drop(&mut self) {
        self.enc.zeroize();
        self.dec.zeroize();
    }
}

impl ZeroizeOnDrop for Sm4 {}
