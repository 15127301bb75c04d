//! No public function returns key bytes unless its name says `insecure` or `hazmat`.
//!
//! The test lists every function signature of the crate's sources that is public (`pub fn`, or a
//! method of a `pub trait`) and returns key material (`SecretBytes`, `Zeroizing<…>`, or bytes from a
//! method named `expose`), and checks that each one is in `src/hazmat.rs`, has `insecure` in its
//! name, or is one of the few exceptions listed below with the reason it hands out nothing the
//! caller did not already hold. A new such function fails the test until it is renamed or moved
//! under `hazmat`. (Crate-private items, `pub(crate)` / `pub(super)`, are skipped.)

use std::path::{Path, PathBuf};

/// `(file, impl or trait, function)`: public functions that return key bytes on purpose.
const EXCEPTIONS: &[(&str, &str, &str, &str)] = &[
    (
        "keys/secret.rs",
        "SecretBytes",
        "expose",
        "a SecretBytes outside the crate holds only bytes the caller put in (new, from_slice, random) or got from hazmat",
    ),
    ("keys/secret.rs", "SecretBytes", "new", "wraps the caller's own bytes"),
    ("keys/secret.rs", "SecretBytes", "from_slice", "copies the caller's own bytes"),
    ("keys/secret.rs", "SecretBytes", "random", "fresh random bytes for the caller (e.g. a KEK it will store)"),
    ("keys/store/kek.rs", "RawKek", "expose", "the caller's own key-encryption key, made by RawKek::generate to be stored"),
    (
        "keys/store/kek.rs",
        "KeyEncryptionKey",
        "unwrap_key",
        "the adapter interface a caller implements for an HSM (RawKek and the passphrase KEK implement it too); \
         calling it needs the KEK, which opens the stored keyset anyway",
    ),
    ("envelope/identity.rs", "SigningKey", "to_pkcs8_der", "exports the caller's own identity key for storage"),
    ("envelope/identity.rs", "SigningKey", "to_pkcs8_pem", "exports the caller's own identity key for storage"),
    ("envelope/recipient.rs", "RecipientKey", "to_pkcs8_der", "exports the caller's own recipient key for storage"),
    ("envelope/recipient.rs", "RecipientKey", "to_pkcs8_pem", "exports the caller's own recipient key for storage"),
];

struct Signature {
    file: String,
    owner: String,
    name: String,
    returns: String,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Public function signatures of one file: `pub fn` items and the methods of `pub trait`s, with
/// the `impl` or trait they belong to. Test modules (`#[cfg(test)]` to the end) are skipped.
fn signatures(file: &str, text: &str) -> Vec<Signature> {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut out = Vec::new();
    let (mut owner, mut in_pub_trait) = (String::new(), false);
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t.starts_with("//") {
            continue;
        }
        if !line.starts_with(' ') {
            if let Some(rest) = t.strip_prefix("impl") {
                let head = rest.split('{').next().unwrap_or_default().trim();
                // `impl<C: Trait> Ff1<C>`: drop the generic parameters after `impl`.
                let head = if head.starts_with('<') { head.split_once("> ").map_or(head, |(_, h)| h) } else { head };
                owner = head.split(" where").next().unwrap_or_default().trim().to_string();
                in_pub_trait = false;
            } else if let Some(rest) = t.strip_prefix("pub trait ") {
                owner = rest.split([':', ' ', '{', '<']).next().unwrap_or_default().to_string();
                in_pub_trait = true;
            } else if t.starts_with('}') {
                in_pub_trait = false;
            }
        }
        let is_pub_fn = t.starts_with("pub fn ") || t.starts_with("pub const fn ") || t.starts_with("pub unsafe fn ");
        let is_trait_fn = in_pub_trait && t.starts_with("fn ");
        if !(is_pub_fn || is_trait_fn) {
            continue;
        }
        // The whole signature, up to its body or semicolon.
        let mut sig = String::new();
        for l in &lines[i..] {
            sig.push_str(l.trim());
            sig.push(' ');
            if l.contains('{') || l.trim_end().ends_with(';') {
                break;
            }
        }
        let sig = sig.split('{').next().unwrap_or_default();
        let name = sig.split("fn ").nth(1).unwrap_or_default();
        let name: String = name.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let returns =
            sig.rsplit_once("->").map(|(_, r)| r.trim().trim_end_matches(';').to_string()).unwrap_or_default();
        // Top-level functions belong to no impl.
        let owner = if line.starts_with("pub") { String::new() } else { owner.clone() };
        out.push(Signature { file: file.to_string(), owner, name, returns });
    }
    out
}

fn returns_key_bytes(s: &Signature) -> bool {
    s.returns.contains("SecretBytes") || s.returns.contains("Zeroizing") || s.name == "expose"
}

#[test]
fn no_public_function_returns_key_bytes_unless_its_name_says_so() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut all = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        all.extend(signatures(&rel, &std::fs::read_to_string(f).unwrap()));
    }
    assert!(all.len() > 300, "only {} public signatures found: the scanner is broken", all.len());
    assert!(all.iter().any(|s| s.file == "hazmat.rs" && s.name == "derive_key" && returns_key_bytes(s)));
    let mut offenders = Vec::new();
    let mut excepted = Vec::new();
    for s in all.iter().filter(|s| returns_key_bytes(s)) {
        let named = s.file.starts_with("hazmat") || s.name.contains("insecure") || s.owner.contains("Insecure");
        let exception = EXCEPTIONS.iter().find(|(f, o, n, _)| *f == s.file && *o == s.owner && *n == s.name);
        match (named, exception) {
            (true, _) => {}
            (false, Some(e)) => excepted.push(e),
            (false, None) => offenders.push(format!("src/{}: {}::{} -> {}", s.file, s.owner, s.name, s.returns)),
        }
    }
    assert!(offenders.is_empty(), "public functions returning key bytes:\n{}", offenders.join("\n"));
    // Every exception is still real (a stale one would hide nothing, but misleads the reader).
    for e in EXCEPTIONS {
        assert!(excepted.contains(&e), "exception no longer needed: {e:?}");
    }
}

#[test]
fn the_scanner_sees_pub_fns_trait_methods_and_skips_crate_private_ones() {
    let text = "pub trait K {\n    fn unwrap(&self) -> SecretBytes;\n}\nimpl<'a> Keyset {\n    pub(crate) fn derive(&self) -> SecretBytes {\n    }\n    pub fn primary_id(&self) -> KeyId {\n    }\n    pub fn expose(\n        &self,\n    ) -> &[u8] {\n    }\n}\n";
    let sigs = signatures("x.rs", text);
    let got: Vec<(&str, &str, bool)> =
        sigs.iter().map(|s| (s.owner.as_str(), s.name.as_str(), returns_key_bytes(s))).collect();
    assert_eq!(got, [("K", "unwrap", true), ("Keyset", "primary_id", false), ("Keyset", "expose", true)]);
}
