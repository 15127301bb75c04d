//! Envelopes: seal + open of a small payload against the floor of its public-key operations, and
//! streaming seal / open against ring's AES-256-GCM over the same chunks.
//!
//! Run: `cargo bench --bench envelope -- --warm-up-time 1 --measurement-time 3`
//! Paired mode (alternating rounds, min of on-CPU time of the benchmark thread, ratios printed;
//! far less sensitive to a busy machine): `PRIVSHARE_BENCH_PAIRED=15 cargo bench --bench envelope`
//!
//! - `seal_open_1kib`: seal a 1 KiB payload for one recipient (Ed25519 sender, HPKE X25519
//!   recipient) and open it (in-memory replay store). The floor is what any such scheme must do:
//!   one Ed25519 signature and its verification (ring, over a message as long as the signed one),
//!   and HPKE's X25519 work — an ephemeral key generation and an agreement when sealing, an
//!   agreement when opening (x25519-dalek, which `hpke` uses).
//! - `stream_*`: 64 MiB through `seal_stream` (from a reader, into a sink) and `open_stream` (from
//!   memory, into a sink), against ring AES-256-GCM sealing the same 64 KiB chunks in place.
//!   `examples/envelope_stream.rs` does the 1 GiB run with peak memory.

use criterion::{Criterion, Throughput};
use privshare::envelope::*;
use std::hint::black_box;
use std::io::Cursor;
use std::time::{Duration, Instant};

const STREAM_LEN: usize = 64 << 20;
const CHUNK: usize = DEFAULT_CHUNK_SIZE as usize;

struct Fixture {
    sender: SigningKey,
    sender_id: ParticipantId,
    recipient: RecipientKey,
    recipient_id: ParticipantId,
    registry: TrustRegistry,
    store: ReplayStore,
    payload: Vec<u8>,
    ed25519: ring::signature::Ed25519KeyPair,
    ed25519_public: Vec<u8>,
    x25519_secret: x25519_dalek::StaticSecret,
    x25519_public: x25519_dalek::PublicKey,
    gcm: ring::aead::LessSafeKey,
    big: Vec<u8>,
    sealed_big: Vec<u8>,
}

fn fixture() -> Fixture {
    let sender = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    let recipient = RecipientKey::generate(KemAlgorithm::HpkeX25519).unwrap();
    let sender_id: ParticipantId = "CN/GOV/111/tax".parse().unwrap();
    let mut registry = TrustRegistry::new();
    registry.add(sender_id.clone(), sender.verifying_key().clone(), 0, None).unwrap();
    let ed25519 = ring::signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(sender.to_pkcs8_der().expose()).unwrap();
    let ed25519_public = ring::signature::KeyPair::public_key(&ed25519).as_ref().to_vec();
    let x25519_secret = x25519_dalek::StaticSecret::from([9u8; 32]);
    let x25519_public = x25519_dalek::PublicKey::from(&x25519_secret);
    let big: Vec<u8> = (0..STREAM_LEN).map(|i| (i * 13) as u8).collect();
    let mut f = Fixture {
        sender,
        sender_id,
        recipient,
        recipient_id: "CN/GOV/222/stats".parse().unwrap(),
        registry,
        store: ReplayStore::in_memory(),
        payload: (0..1024).map(|i| i as u8).collect(),
        ed25519,
        ed25519_public,
        x25519_secret,
        x25519_public,
        gcm: ring::aead::LessSafeKey::new(ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, &[7; 32]).unwrap()),
        big,
        sealed_big: Vec::new(),
    };
    f.sealed_big = f.sealer().seal(&f.sender, &f.big).unwrap();
    f
}

impl Fixture {
    fn sealer(&self) -> Sealer {
        Sealer::new(self.sender_id.clone())
            .recipient(self.recipient_id.clone(), self.recipient.public_key())
            .purpose("statistics")
            .legal_basis("Statistics Law art. 7")
            .content_type("text/csv")
    }

    fn opener(&self) -> Opener<'_> {
        Opener::new(&self.registry, &self.recipient_id, &self.recipient, &self.store)
    }

    fn seal_open(&self) -> usize {
        let envelope = self.sealer().seal(&self.sender, &self.payload).unwrap();
        self.opener().open(&envelope).unwrap().payload.len()
    }

    /// The public-key operations of one seal + open, nothing else.
    fn floor(&self) -> usize {
        // HPKE seal: an ephemeral key pair and an agreement with the recipient's key.
        let eph = x25519_dalek::StaticSecret::from(black_box([5u8; 32]));
        let eph_public = x25519_dalek::PublicKey::from(&eph);
        let s1 = eph.diffie_hellman(&self.x25519_public);
        // HPKE open: the recipient's agreement with the ephemeral key.
        let s2 = self.x25519_secret.diffie_hellman(&eph_public);
        // The signature over a message as long as the envelope's signed message, and its check.
        let message = black_box([0u8; 400]);
        let sig = self.ed25519.sign(&message);
        ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, &self.ed25519_public)
            .verify(&message, sig.as_ref())
            .unwrap();
        s1.as_bytes()[0] as usize + s2.as_bytes()[0] as usize
    }

    /// ring SHA-256 over the same bytes: what the signed body hash costs (the suite hash of the
    /// format; it bounds streaming throughput, see docs/performance.md).
    fn sha256(&self, buf: &[u8]) -> u8 {
        ring::digest::digest(&ring::digest::SHA256, buf).as_ref()[0]
    }

    /// The floor plus the one public-key operation `hpke` adds: its decapsulation recomputes the
    /// recipient's public key from the private key (a base-point multiplication) on every open.
    fn floor_with_hpke_recompute(&self) -> usize {
        let pk = x25519_dalek::PublicKey::from(&self.x25519_secret);
        self.floor() + pk.as_bytes()[0] as usize
    }

    fn stream_seal(&self) -> u64 {
        self.sealer()
            .seal_stream(&self.sender, Cursor::new(&self.big), self.big.len() as u64, std::io::sink())
            .unwrap()
            .envelope_len
    }

    fn stream_open(&self) -> u64 {
        let store = ReplayStore::in_memory();
        let opener = Opener::new(&self.registry, &self.recipient_id, &self.recipient, &store);
        opener.open_stream(Cursor::new(&self.sealed_big), std::io::sink()).unwrap().payload_len
    }

    /// ring AES-256-GCM over the same chunks, in place, with a counter nonce and a 32-byte AAD.
    fn gcm_chunks(&self, buf: &mut [u8]) -> u8 {
        let mut last = 0;
        for (i, chunk) in buf.chunks_mut(CHUNK).enumerate() {
            let mut n = [0u8; 12];
            n[..8].copy_from_slice(&(i as u64).to_be_bytes());
            let nonce = ring::aead::Nonce::assume_unique_for_key(n);
            let tag = self.gcm.seal_in_place_separate_tag(nonce, ring::aead::Aad::from([0u8; 32]), chunk).unwrap();
            last = tag.as_ref()[0];
        }
        last
    }
}

fn criterion_benches(c: &mut Criterion) {
    let f = fixture();
    let mut g = c.benchmark_group("envelope_1kib");
    g.bench_function("seal_open", |b| b.iter(|| black_box(f.seal_open())));
    g.bench_function("floor", |b| b.iter(|| black_box(f.floor())));
    g.finish();
    let mut g = c.benchmark_group("envelope_stream_64mib");
    g.sample_size(10).throughput(Throughput::Bytes(STREAM_LEN as u64));
    g.bench_function("seal", |b| b.iter(|| black_box(f.stream_seal())));
    g.bench_function("open", |b| b.iter(|| black_box(f.stream_open())));
    let mut buf = f.big.clone();
    g.bench_function("ring_aes256gcm", |b| b.iter(|| black_box(f.gcm_chunks(&mut buf))));
    g.bench_function("ring_sha256", |b| b.iter(|| black_box(f.sha256(&f.big))));
    g.finish();
}

/// Time this thread has spent on a CPU (Linux `/proc/thread-self/schedstat`), else wall time.
/// On some kernels it advances in scheduler ticks (4 ms here), so each timed round runs for a
/// few hundred milliseconds (2000 small envelopes, 8 x 64 MiB) to keep that under 2 %.
fn on_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(s.split_whitespace().next()?.parse().ok()?))
}

/// What a paired round measures: this thread's on-CPU time, or wall time for work that runs on
/// more than one thread (streaming hashes the body on a second core), which on-CPU time of one
/// thread would undercount. Wall time needs a quiet machine.
#[derive(Clone, Copy)]
enum Clock {
    OnCpu,
    Wall,
}

fn timed<T>(mut f: impl FnMut() -> T, reps: usize, clock: Clock) -> Duration {
    let (c0, w0) = (on_cpu(), Instant::now());
    for _ in 0..reps {
        black_box(f());
    }
    match (clock, c0, on_cpu()) {
        (Clock::OnCpu, Some(a), Some(b)) => b - a,
        _ => w0.elapsed(),
    }
}

fn paired<A, B>(
    name: &str,
    rounds: usize,
    (reps, clock): (usize, Clock),
    mut ours: impl FnMut() -> A,
    mut base: impl FnMut() -> B,
) {
    let (mut best_ours, mut best_base) = (Duration::MAX, Duration::MAX);
    for _ in 0..rounds {
        best_ours = best_ours.min(timed(&mut ours, reps, clock));
        best_base = best_base.min(timed(&mut base, reps, clock));
    }
    let per = |d: Duration| d.as_secs_f64() / reps as f64;
    println!(
        "{name:<24} ours {:>10.1} us  baseline {:>10.1} us  ratio {:.3}",
        per(best_ours) * 1e6,
        per(best_base) * 1e6,
        best_ours.as_secs_f64() / best_base.as_secs_f64()
    );
}

fn main() {
    if let Some(rounds) = std::env::var("PRIVSHARE_BENCH_PAIRED").ok().and_then(|v| v.parse().ok()) {
        let f = fixture();
        println!("paired, min of {rounds} alternating rounds; ratio = ours / baseline");
        println!("small envelopes, on-CPU time:");
        let small = (2000, Clock::OnCpu);
        paired("seal+open 1 KiB / floor", rounds, small, || f.seal_open(), || f.floor());
        paired("  / floor + hpke pkR", rounds, small, || f.seal_open(), || f.floor_with_hpke_recompute());
        println!("streaming, wall time (the body is hashed on a second thread):");
        let big = (8, Clock::Wall);
        let mut buf = f.big.clone();
        paired("stream seal 64 MiB / gcm", rounds, big, || f.stream_seal(), || f.gcm_chunks(&mut buf));
        paired("stream open 64 MiB / gcm", rounds, big, || f.stream_open(), || f.gcm_chunks(&mut buf));
        paired("sha-256 64 MiB / gcm", rounds, big, || f.sha256(&f.big), || f.gcm_chunks(&mut buf));
        // The single-thread floor of the format: encrypt the chunks and hash the result, as
        // the signature needs (opening hashes twice: to verify first, and again while decrypting).
        let mut floor = |hashes: usize| {
            f.gcm_chunks(&mut buf);
            for _ in 0..hashes {
                black_box(f.sha256(&buf));
            }
        };
        paired("stream seal / gcm+sha", rounds, big, || f.stream_seal(), || floor(1));
        paired("stream open / gcm+2 sha", rounds, big, || f.stream_open(), || floor(2));
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c);
    c.final_summary();
}
