//! The claim of docs/c-abi.md ("What is wiped"): when a keyset, a cipher, a tokenizer or a policy
//! plan is freed, no copy of a root key, a derived key, a key-encryption key or an HMAC key's keyed
//! state is left in the memory the allocator takes back.
//!
//! How: a global allocator that, while armed, searches every block freed through it (and every
//! block a `realloc` moves away from) for those secrets, computed here from the test vectors
//! independently of the library. The objects live on the heap, as they do behind the C ABI's
//! handles. A positive control frees an unwiped copy and must be caught.
//!
//! What it cannot see: copies on the stack or in registers, memory the library never frees, and
//! anything allocated outside Rust's global allocator. With ring's AES-256-GCM and HMAC (this
//! crate's keyed primitives before RustCrypto replaced them) it fails: ring's key schedules are
//! freed unwiped.
//!
//! It lives in the C ABI crate because a global allocator needs `unsafe`, which the core crate
//! forbids; it runs the same Rust code the C handles run.

use privshare_core::fle::{DeterministicCipher, RandomizedCipher, Tokenizer};
use privshare_core::keys::store::RawKek;
use privshare_core::policy::{Format, Plan, Policy};
use privshare_core::Keyset;
use serde_json::Value;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// 16-byte secrets to look for (set before arming, never changed while armed).
static NEEDLES: OnceLock<Vec<[u8; 16]>> = OnceLock::new();
static ARMED: AtomicBool = AtomicBool::new(false);
/// Freed blocks that held a needle, and which needles were seen (bit i: needle i).
static FOUND: AtomicUsize = AtomicUsize::new(0);
static WHICH: AtomicU64 = AtomicU64::new(0);

struct Scanning;

// SAFETY: every call is forwarded unchanged to `System`; the scan only reads the block being freed,
// which is valid for `layout.size()` bytes until it is handed back, and allocates nothing.
unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::SeqCst) {
            if let Some(needles) = NEEDLES.get() {
                // SAFETY: `ptr` is a live block of `layout.size()` bytes until `System.dealloc` below.
                let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
                let mut seen = false;
                for (i, n) in needles.iter().enumerate() {
                    if block.windows(16).any(|w| w == n) {
                        WHICH.fetch_or(1 << (i % 64), Ordering::SeqCst);
                        seen = true;
                    }
                }
                if seen {
                    FOUND.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
    // `realloc` keeps the default (alloc, copy, dealloc), so a block a Vec grows out of is scanned.
}

#[global_allocator]
static ALLOCATOR: Scanning = Scanning;

fn vector(name: &str) -> Value {
    let path = format!("{}/../../tests/vectors/keyset/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
}

/// Hex to bytes, wiped when dropped (the test's own copies of the secrets must not count).
fn unhex(s: &str) -> zeroize::Zeroizing<Vec<u8>> {
    zeroize::Zeroizing::new((0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect())
}

/// The 16-byte windows of `secret` starting every 16 bytes (AES-256 round keys 0 and 1 are the two
/// halves of its key; AES-SIV keys are two AES-256 keys).
fn chunks(secret: &[u8]) -> Vec<[u8; 16]> {
    secret.chunks_exact(16).map(|c| c.try_into().unwrap()).collect()
}

/// The keyed states of HMAC-SHA-256 under `key` (a key of at most 64 bytes): SHA-256's state after
/// the block `key ^ ipad` and after `key ^ opad`, as the eight native-endian words both ring and
/// RustCrypto keep. Their first 16 bytes are the needles.
fn hmac_sha256_states(key: &[u8]) -> Vec<[u8; 16]> {
    const IV: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    [0x36u8, 0x5c]
        .iter()
        .map(|&pad| {
            let mut block = [pad; 64];
            block.iter_mut().zip(key).for_each(|(b, k)| *b ^= k);
            let mut state = IV;
            sha2::block_api::compress256(&mut state, &[block]);
            let bytes: Vec<u8> = state[..4].iter().flat_map(|w| w.to_ne_bytes()).collect();
            bytes.try_into().unwrap()
        })
        .collect()
}

fn secrets() -> Vec<[u8; 16]> {
    let plain = vector("v1/plaintext.json");
    let keks = vector("keks.json");
    let mut needles = Vec::new();
    for v in plain["versions"].as_array().unwrap() {
        if let Some(root) = v["root_key_hex"].as_str() {
            needles.extend(chunks(&unhex(root)));
        }
    }
    needles.extend(chunks(&unhex(keks["kek_hex"].as_str().unwrap())));
    needles.extend(chunks(&unhex(keks["sm4_kek_hex"].as_str().unwrap())));
    for case in vector("derivation.json")["cases"].as_array().unwrap() {
        let okm = unhex(case["okm_hex"].as_str().unwrap());
        needles.extend(chunks(&okm));
        if case["key_use"] == "token" && case["suite"] == "aes" {
            needles.extend(hmac_sha256_states(&okm));
        }
    }
    needles
}

/// Makes, uses and frees every kind of keyed object the derivation vectors cover, on the heap.
fn use_and_free_everything() {
    let keks = vector("keks.json");
    let plain =
        std::fs::read_to_string(format!("{}/../../tests/vectors/keyset/v1/plaintext.json", env!("CARGO_MANIFEST_DIR")))
            .unwrap();
    let aes_kek = Box::new(RawKek::new(&unhex(keks["kek_hex"].as_str().unwrap())).unwrap());
    let sm4_kek = Box::new(RawKek::sm4(&unhex(keks["sm4_kek_hex"].as_str().unwrap())).unwrap());
    let loaded = Box::new(Keyset::from_insecure_plaintext_json(&plain).unwrap());
    // Wrap and unwrap with both KEKs.
    let ks = Box::new(Keyset::from_json(&loaded.to_json(&*aes_kek).unwrap(), &*aes_kek).unwrap());
    let again = Keyset::from_json(&ks.to_json(&*sm4_kek).unwrap(), &*sm4_kek).unwrap();
    drop(again);
    let mut sm_primary = Box::new((*ks).clone());
    sm_primary.set_primary(4242).unwrap();

    // The contexts of derivation.json: randomized (citizens, phone), deterministic (户籍, 手机号) and
    // tokens for the purpose health-linkage, under both suites.
    let randomized = Box::new(RandomizedCipher::new(&ks, "citizens", "phone").unwrap());
    let sm_randomized = Box::new(RandomizedCipher::new(&sm_primary, "citizens", "phone").unwrap());
    let deterministic = Box::new(DeterministicCipher::new(&ks, "户籍", "手机号").unwrap());
    let sm_deterministic = Box::new(DeterministicCipher::new(&sm_primary, "户籍", "手机号").unwrap());
    let tokens = Box::new(Tokenizer::new(&ks, "health-linkage").unwrap());
    let sm_tokens = Box::new(Tokenizer::new(&sm_primary, "health-linkage").unwrap());
    for r in [&randomized, &sm_randomized] {
        let ct = r.encrypt(Some(b"row-1"), b"13800138000").unwrap();
        assert_eq!(r.decrypt(Some(b"row-1"), &ct).unwrap(), b"13800138000");
    }
    for d in [&deterministic, &sm_deterministic] {
        let ct = d.encrypt(b"110101199003074578").unwrap();
        assert_eq!(d.decrypt(&ct).unwrap(), b"110101199003074578");
    }
    for t in [&tokens, &sm_tokens] {
        assert_ne!(t.token(b"110101199003074578").unwrap(), [0; 32]);
    }
    // A policy plan (`privshare_plan`) over the same contexts: its columns hold ciphers with the
    // same derived keys (checked: the ciphers above read what it wrote).
    let policy = "policy = \"p\"\nversion = 1\ndataset = \"citizens\"\npurpose = \"x\"\nsuite = \"aes\"\n\
                  [columns]\nphone = { action = \"encrypt\" }\nid = { action = \"token\", purpose = \"health-linkage\" }\n";
    let plan = Box::new(Plan::compile(&Policy::parse(policy, Format::Toml).unwrap(), &ks).unwrap());
    let mut protected = Vec::new();
    plan.protect_csv(&b"phone,id\n13800138000,110101199003074578\n"[..], &mut protected, b',').unwrap();
    drop(plan);
    let protected = String::from_utf8(protected).unwrap();
    let (phone, id) = protected.lines().nth(1).unwrap().split_once(',').unwrap();
    assert_eq!(randomized.decrypt_text(None, phone).unwrap(), b"13800138000");
    assert_eq!(id, tokens.token_text(b"110101199003074578").unwrap());
    drop((randomized, sm_randomized, deterministic, sm_deterministic, tokens, sm_tokens));
    drop((ks, sm_primary, loaded, aes_kek, sm4_kek));
}

#[test]
fn freed_memory_holds_no_key_material() {
    NEEDLES.set(secrets()).unwrap();
    // Derive once unarmed: anything the first use leaves for good (lazy statics, CPU feature
    // detection) is allocated and kept, not freed, and so is not what this test is about.
    use_and_free_everything();

    ARMED.store(true, Ordering::SeqCst);
    // Positive control: a copy of a secret freed without wiping must be caught.
    let copy: Vec<u8> = [vec![0u8; 5], NEEDLES.get().unwrap()[0].to_vec()].concat();
    drop(std::hint::black_box(copy));
    let control = FOUND.swap(0, Ordering::SeqCst);
    WHICH.store(0, Ordering::SeqCst);

    use_and_free_everything();
    ARMED.store(false, Ordering::SeqCst);

    assert!(control >= 1, "the scan must catch an unwiped copy");
    let found = FOUND.load(Ordering::SeqCst);
    assert_eq!(found, 0, "{found} freed blocks held key material (needles {:#b})", WHICH.load(Ordering::SeqCst));
}
