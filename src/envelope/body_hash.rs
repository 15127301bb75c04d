//! The body hash the signature covers, computed beside the chunk cipher. SHA-256 runs at about the
//! speed of the chunk encryption here, so on a machine with a second core a large body is hashed
//! on a second thread while the caller seals or opens the next chunk; a small body (the 1 KiB
//! exchange, whose cost is its public-key operations) is hashed inline, without a thread.

use super::crypto::Hasher;
use crate::{Error, ErrorKind, Result, Suite};
use std::sync::mpsc::sync_channel;

/// Bodies of fewer chunks are hashed inline (a thread costs more than it saves on them).
const PARALLEL_FROM_CHUNKS: u64 = 4;

/// Chunks queued for the hashing thread at most: with the largest chunk size (4 MiB) the queue
/// holds 8 MiB, within the streaming memory bound.
const IN_FLIGHT: usize = 2;

/// Whether the process may run on two cores: asked once, because the answer reads the cgroup
/// files (tens of microseconds, a fifth of a small envelope's whole cost).
fn second_core() -> bool {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from)) >= 2
}

/// Runs `work` with a `feed` that hashes, in order, each chunk it is given (the chunk is copied
/// when hashed on the other thread, so the caller may change it right after), and returns what
/// `work` returned with the hash of everything fed.
pub(crate) fn hashing<R>(
    suite: Suite,
    chunks: u64,
    work: impl FnOnce(&mut dyn FnMut(&[u8])) -> Result<R>,
) -> Result<(R, [u8; 32])> {
    if chunks < PARALLEL_FROM_CHUNKS || !second_core() {
        let mut h = Hasher::new(suite);
        let r = work(&mut |c| h.update(c))?;
        return Ok((r, h.finish()));
    }
    std::thread::scope(|s| {
        let (tx, rx) = sync_channel::<Vec<u8>>(IN_FLIGHT);
        let worker = s.spawn(move || {
            let mut h = Hasher::new(suite);
            for chunk in rx {
                h.update(&chunk);
            }
            h.finish()
        });
        // A send fails only if the worker is gone, which its join reports.
        let r = work(&mut |c| drop(tx.send(c.to_vec())));
        drop(tx);
        let hash = worker.join().map_err(|_| Error::new(ErrorKind::Internal, "the body hash thread failed"))?;
        Ok((r?, hash))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways_give_the_hash_of_the_chunks_in_order() {
        let chunks: Vec<Vec<u8>> = (0..9u8).map(|i| vec![i; 1000 + i as usize]).collect();
        for suite in [Suite::Aes, Suite::Sm] {
            let whole = Hasher::digest(suite, &chunks.concat());
            for count in [1, PARALLEL_FROM_CHUNKS, chunks.len() as u64] {
                let (n, hash) = hashing(suite, count, |feed| {
                    for c in &chunks {
                        feed(c);
                    }
                    Ok(chunks.len())
                })
                .unwrap();
                assert_eq!((n, hash), (9, whole), "{suite:?}, {count} chunks announced");
            }
        }
    }

    #[test]
    fn an_error_of_the_work_is_returned() {
        let e = hashing(Suite::Aes, 100, |feed| -> Result<()> {
            feed(b"x");
            Err(Error::new(ErrorKind::CorruptedPayload, "chunk 1"))
        })
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::CorruptedPayload);
    }
}
