//! Streaming seal and open of a large payload with bounded memory, against ring AES-256-GCM over
//! the same chunks, and the process's peak resident memory.
//!
//! ```text
//! cargo run --release --example envelope_stream -- 1024 /tmp      # MiB, scratch directory
//! /usr/bin/time -v target/release/examples/envelope_stream 1024 /tmp   # peak RSS from outside
//! ```
//! The payload comes from a generator (never held in memory). Seal is timed into a sink; the
//! envelope is then sealed into a file in the scratch directory and opened from it into a sink.

use std::io::{Read, Write};
use std::time::Instant;

use privshare::envelope::*;

/// A reader of `left` bytes copied from a fixed 64 KiB block (a memcpy, cheap next to the crypto).
struct Generator {
    left: u64,
    block: Vec<u8>,
    pos: usize,
}

impl Read for Generator {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX)).min(self.block.len() - self.pos);
        buf[..n].copy_from_slice(&self.block[self.pos..self.pos + n]);
        self.pos = (self.pos + n) % self.block.len();
        self.left -= n as u64;
        Ok(n)
    }
}

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap_or("VmHWM: 0 kB");
    line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0)
}

fn main() -> privshare::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let mib: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1024);
    let dir = std::path::PathBuf::from(args.get(2).map(String::as_str).unwrap_or("/tmp"));
    let len = mib << 20;
    let sender = SigningKey::generate(SignatureAlgorithm::Ed25519)?;
    let recipient = RecipientKey::generate(KemAlgorithm::HpkeX25519)?;
    let (sender_id, recipient_id): (ParticipantId, ParticipantId) =
        ("CN/GOV/111/tax".parse()?, "CN/GOV/222/stats".parse()?);
    let mut registry = TrustRegistry::new();
    registry.add(sender_id.clone(), sender.verifying_key().clone(), 0, None)?;
    let sealer = Sealer::new(sender_id).recipient(recipient_id.clone(), recipient.public_key());
    let block: Vec<u8> = (0..1u32 << 16).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
    let generator = || Generator { left: len, block: block.clone(), pos: 0 };

    // ring AES-256-GCM over the same chunks, one chunk buffer, in place.
    let chunk = DEFAULT_CHUNK_SIZE as usize;
    let key = ring::aead::LessSafeKey::new(ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, &[7; 32]).unwrap());
    let mut buf = vec![0u8; chunk];
    let mut source = generator();
    let t = Instant::now();
    let mut i = 0u64;
    loop {
        let n = source.read(&mut buf)?;
        if n == 0 {
            break;
        }
        let mut nonce = [0u8; 12];
        nonce[..8].copy_from_slice(&i.to_be_bytes());
        let tag = key
            .seal_in_place_separate_tag(
                ring::aead::Nonce::assume_unique_for_key(nonce),
                ring::aead::Aad::from([0u8; 32]),
                &mut buf[..n],
            )
            .unwrap();
        std::io::sink().write_all(&buf[..n])?;
        let _ = std::hint::black_box(tag);
        i += 1;
    }
    let gcm = t.elapsed().as_secs_f64();

    let t = Instant::now();
    sealer.seal_stream(&sender, generator(), len, std::io::sink())?;
    let seal = t.elapsed().as_secs_f64();

    let path = dir.join(format!("privshare-envelope-stream-{}.psev", std::process::id()));
    let file = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&path)?);
    sealer.seal_stream(&sender, generator(), len, file)?;
    let store = ReplayStore::in_memory();
    let opener = Opener::new(&registry, &recipient_id, &recipient, &store);
    let input = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(&path)?);
    let t = Instant::now();
    let opened = opener.open_stream(input, std::io::sink())?;
    let open = t.elapsed().as_secs_f64();
    std::fs::remove_file(&path)?;
    assert_eq!(opened.payload_len, len);

    let rate = |s: f64| len as f64 / s / (1u64 << 20) as f64;
    println!("payload {mib} MiB, chunk {} KiB (generator input includes its own cost in all three)", chunk >> 10);
    println!("ring AES-256-GCM  {:>8.1} MiB/s", rate(gcm));
    println!("seal_stream       {:>8.1} MiB/s  ratio {:.3}", rate(seal), gcm / seal);
    println!(
        "open_stream       {:>8.1} MiB/s  ratio {:.3}  (two passes over the file: hash, then decrypt)",
        rate(open),
        gcm / open
    );
    println!("peak RSS          {:>8} KiB", peak_rss_kib());
    Ok(())
}
