//! The `cipher` crate's block backends over the three kernels.
//!
//! A backend encrypts one block, a batch of `ParBlocksSize` blocks, or a shorter tail in one
//! kernel call: modes built on `cipher` (CTR in GCM and SIV, ECB helpers) hand over whole batches,
//! and callers that hold the backend (FF1's interleaved column path) hand over tails.

use cipher::array::ArraySize;
use cipher::consts::{U16, U8};
use cipher::typenum::Unsigned;
use cipher::{
    Block, BlockCipherDecBackend, BlockCipherDecClosure, BlockCipherEncBackend, BlockCipherEncClosure, BlockSizeUser,
    InOut, InOutBuf, ParBlocks, ParBlocksSizeUser,
};

use crate::{soft, Path};

/// One implementation of the 32 rounds, with the proof that it can run here.
pub(crate) trait Kernel: Copy {
    /// Blocks per kernel call that cost no more than one.
    type ParBlocksSize: ArraySize;
    /// Runs the rounds on `blocks` (at most `ParBlocksSize`) in place.
    fn crypt(self, rk: &[u32; 32], blocks: &mut [[u8; 16]]);
}

/// The bitsliced kernel (needs no proof).
#[derive(Clone, Copy)]
pub(crate) struct Bitsliced;

impl Kernel for Bitsliced {
    type ParBlocksSize = U8;
    fn crypt(self, rk: &[u32; 32], blocks: &mut [[u8; 16]]) {
        soft::crypt(rk, blocks)
    }
}

#[cfg(target_arch = "x86_64")]
impl Kernel for crate::x86::Gfni {
    type ParBlocksSize = U16;
    fn crypt(self, rk: &[u32; 32], blocks: &mut [[u8; 16]]) {
        crate::x86::Gfni::crypt(self, rk, blocks)
    }
}

#[cfg(target_arch = "x86_64")]
impl Kernel for crate::x86::AesNi {
    type ParBlocksSize = U8;
    fn crypt(self, rk: &[u32; 32], blocks: &mut [[u8; 16]]) {
        crate::x86::AesNi::crypt(self, rk, blocks)
    }
}

/// The kernel an [`crate::Sm4`] runs, holding its proof of availability.
#[derive(Clone, Copy)]
pub(crate) enum Chosen {
    #[cfg(target_arch = "x86_64")]
    Gfni(crate::x86::Gfni),
    #[cfg(target_arch = "x86_64")]
    AesNi(crate::x86::AesNi),
    Bitsliced,
}

impl Chosen {
    /// The kernel for `path`, if this CPU can run it.
    pub(crate) fn detect(path: Path) -> Option<Chosen> {
        match path {
            #[cfg(target_arch = "x86_64")]
            Path::Gfni => crate::x86::Gfni::detect().map(Chosen::Gfni),
            #[cfg(target_arch = "x86_64")]
            Path::AesNi => crate::x86::AesNi::detect().map(Chosen::AesNi),
            #[cfg(not(target_arch = "x86_64"))]
            Path::Gfni | Path::AesNi => None,
            Path::Bitsliced => Some(Chosen::Bitsliced),
        }
    }

    pub(crate) fn path(self) -> Path {
        match self {
            #[cfg(target_arch = "x86_64")]
            Chosen::Gfni(_) => Path::Gfni,
            #[cfg(target_arch = "x86_64")]
            Chosen::AesNi(_) => Path::AesNi,
            Chosen::Bitsliced => Path::Bitsliced,
        }
    }

    /// Round key `i` in the form the kernel takes: the x86-64 kernels work in the domain `D`.
    pub(crate) fn round_key(self, rk: u32) -> u32 {
        match self {
            #[cfg(target_arch = "x86_64")]
            Chosen::Gfni(_) | Chosen::AesNi(_) => crate::x86::round_key(rk),
            Chosen::Bitsliced => rk,
        }
    }

    pub(crate) fn encrypt_with(self, rk: &[u32; 32], f: impl BlockCipherEncClosure<BlockSize = U16>) {
        match self {
            #[cfg(target_arch = "x86_64")]
            Chosen::Gfni(k) => f.call(&Backend { rk, kernel: k }),
            #[cfg(target_arch = "x86_64")]
            Chosen::AesNi(k) => f.call(&Backend { rk, kernel: k }),
            Chosen::Bitsliced => f.call(&Backend { rk, kernel: Bitsliced }),
        }
    }

    pub(crate) fn decrypt_with(self, rk: &[u32; 32], f: impl BlockCipherDecClosure<BlockSize = U16>) {
        match self {
            #[cfg(target_arch = "x86_64")]
            Chosen::Gfni(k) => f.call(&Backend { rk, kernel: k }),
            #[cfg(target_arch = "x86_64")]
            Chosen::AesNi(k) => f.call(&Backend { rk, kernel: k }),
            Chosen::Bitsliced => f.call(&Backend { rk, kernel: Bitsliced }),
        }
    }
}

/// A kernel with the round keys of one direction (decryption is encryption with the round keys
/// reversed, so one backend type serves both).
struct Backend<'a, K> {
    rk: &'a [u32; 32],
    kernel: K,
}

impl<K: Kernel> Backend<'_, K> {
    fn one(&self, mut block: InOut<'_, '_, Block<Self>>) {
        let mut b = [(*block.get_in()).into()];
        self.kernel.crypt(self.rk, &mut b);
        *block.get_out() = b[0].into();
    }

    fn many(&self, mut blocks: InOutBuf<'_, '_, Block<Self>>) {
        let n = blocks.len();
        // A single block (each FF1 round of a single value) skips the 256-byte staging copy.
        if n == 1 {
            return self.one(blocks.get(0));
        }
        let mut buf = [[0u8; 16]; 16];
        for (b, block) in buf.iter_mut().zip(blocks.get_in()) {
            *b = (*block).into();
        }
        self.kernel.crypt(self.rk, &mut buf[..n]);
        for (block, b) in blocks.get_out().iter_mut().zip(&buf[..n]) {
            *block = (*b).into();
        }
    }
}

impl<K: Kernel> BlockSizeUser for Backend<'_, K> {
    type BlockSize = U16;
}

impl<K: Kernel> ParBlocksSizeUser for Backend<'_, K> {
    type ParBlocksSize = K::ParBlocksSize;
}

impl<K: Kernel> BlockCipherEncBackend for Backend<'_, K> {
    #[inline]
    fn encrypt_block(&self, block: InOut<'_, '_, Block<Self>>) {
        self.one(block)
    }
    #[inline]
    fn encrypt_par_blocks(&self, blocks: InOut<'_, '_, ParBlocks<Self>>) {
        self.many(blocks.into_buf())
    }
    #[inline]
    fn encrypt_tail_blocks(&self, blocks: InOutBuf<'_, '_, Block<Self>>) {
        assert!(blocks.len() < K::ParBlocksSize::USIZE);
        self.many(blocks)
    }
}

impl<K: Kernel> BlockCipherDecBackend for Backend<'_, K> {
    #[inline]
    fn decrypt_block(&self, block: InOut<'_, '_, Block<Self>>) {
        self.one(block)
    }
    #[inline]
    fn decrypt_par_blocks(&self, blocks: InOut<'_, '_, ParBlocks<Self>>) {
        self.many(blocks.into_buf())
    }
    #[inline]
    fn decrypt_tail_blocks(&self, blocks: InOutBuf<'_, '_, Block<Self>>) {
        assert!(blocks.len() < K::ParBlocksSize::USIZE);
        self.many(blocks)
    }
}
