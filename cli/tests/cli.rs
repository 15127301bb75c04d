//! End-to-end tests of the `privshare` binary: the commands a department runs, in a folder of
//! their own, with their exit codes and messages.

use std::path::PathBuf;
use std::process::{Command, Output};

const PASS: &str = "correct horse battery staple";

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("privshare-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Runs `privshare` in this folder.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_privshare"))
            .args(args)
            .current_dir(&self.0)
            .env("PRIVSHARE_PASSPHRASE", PASS)
            .output()
            .unwrap()
    }

    /// Runs and expects success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and expects exit code `code`; returns stderr.
    fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        err
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const POLICY: &str = r#"policy = "clinic-to-registry"
version = 1
dataset = "visits"
sender = "CN/GOV/health/clinic"
recipients = ["CN/GOV/health/registry"]
purpose = "disease registry"
suite = "aes"

[columns]
visit = { action = "keep" }
patient = { action = "encrypt", record = "visit" }
mobile = { action = "mask", rule = "mobile" }
card = { action = "fpe", kind = "bank_card", key_version = KEY }
"#;

const DATA: &str = "visit,patient,mobile,card\n1,Li Lei,13812345678,6222021234567890128\n\
                    2,Han Meimei,13987654321,6222021234567890128\n";

/// Keys for a clinic (sender) and a registry (recipient), the policy pinned to the keyset.
fn setup(d: &Dir) {
    d.ok(&["keys", "new", "--suite", "aes", "-o", "keyset.json"]);
    let shown = d.ok(&["--json", "keys", "show", "keyset.json"]);
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    let key = v["versions"][0]["version"].to_string();
    std::fs::write(d.path("policy.toml"), POLICY.replace("KEY", &key)).unwrap();
    std::fs::write(d.path("visits.csv"), DATA).unwrap();
    d.ok(&["keys", "signing", "--algorithm", "ed25519", "-o", "clinic"]);
    d.ok(&["keys", "recipient", "--algorithm", "x25519", "-o", "registry"]);
    d.ok(&[
        "keys",
        "trust",
        "--registry",
        "trust.json",
        "--participant",
        "CN/GOV/health/clinic",
        "--key",
        "clinic.pub",
    ]);
}

fn share(d: &Dir, extra: &[&str]) -> Output {
    let mut args = vec![
        "share",
        "--policy",
        "policy.toml",
        "--keyset",
        "keyset.json",
        "--sign",
        "clinic.key",
        "--to",
        "registry.pub",
        "visits.csv",
        "-o",
        "package.pse",
    ];
    args.extend_from_slice(extra);
    d.run(&args)
}

#[test]
fn share_then_open_and_every_refusal() {
    let d = Dir::new("share");
    setup(&d);
    assert!(share(&d, &["--audit-log", "clinic.log"]).status.success());
    d.ok(&["keys", "signing", "--algorithm", "p256", "-o", "registry-audit"]);
    let audited = ["--audit-log", "registry.log", "--audit-key", "registry-audit.key"];
    let mut args = vec!["open", "package.pse", "--key", "registry.key", "--trust", "trust.json", "-o", "opened.csv"];
    args.extend_from_slice(&audited);
    let out = d.ok(&args);
    assert!(out.contains("verified: from CN/GOV/health/clinic"), "{out}");
    let opened = std::fs::read_to_string(d.path("opened.csv")).unwrap();
    assert!(opened.starts_with("visit,patient,mobile,card\n1,ps1:"), "{opened}");
    assert!(opened.contains(",138****5678,"));
    assert!(!opened.contains("Li Lei") && !opened.contains("6222021234567890128"));

    // Replay: the same package again (and the refusal is audited).
    let mut args = vec!["open", "package.pse", "--key", "registry.key", "--trust", "trust.json", "-o", "again.csv"];
    args.extend_from_slice(&audited);
    let err = d.fails(3, &args);
    assert!(err.contains("already opened"), "{err}");
    // Both audit logs verify: the clinic's one `sent` record, the registry's `opened` and `rejected`.
    let v: serde_json::Value =
        serde_json::from_str(&d.ok(&["--json", "audit", "verify", "clinic.log", "--key", "clinic.pub"])).unwrap();
    assert_eq!((v["records"].as_u64(), v["unsigned_records"].as_u64()), (Some(1), Some(0)), "{v}");
    let v: serde_json::Value =
        serde_json::from_str(&d.ok(&["--json", "audit", "verify", "registry.log", "--key", "registry-audit.pub"]))
            .unwrap();
    assert_eq!((v["records"].as_u64(), v["tree_heads"].as_u64()), (Some(2), Some(2)), "{v}");
    // A log changed after the fact does not verify.
    let mut log = std::fs::read(d.path("clinic.log")).unwrap();
    let n = log.len();
    log[n / 2] ^= 1;
    std::fs::write(d.path("clinic.log"), log).unwrap();
    d.fails(3, &["audit", "verify", "clinic.log", "--key", "clinic.pub"]);
    // Wrong recipient.
    d.ok(&["keys", "recipient", "--algorithm", "x25519", "-o", "police"]);
    let err = d.fails(3, &["open", "package.pse", "--key", "police.key", "--trust", "trust.json", "-o", "p.csv"]);
    assert!(err.contains("not addressed to this key"), "{err}");
    // Tampered.
    let mut bytes = std::fs::read(d.path("package.pse")).unwrap();
    let n = bytes.len();
    bytes[n - 40] ^= 1;
    std::fs::write(d.path("tampered.pse"), bytes).unwrap();
    let err = d.fails(
        3,
        &[
            "open",
            "tampered.pse",
            "--key",
            "registry.key",
            "--trust",
            "trust.json",
            "--replay-store",
            "r2",
            "-o",
            "t.csv",
        ],
    );
    assert!(err.contains("bad_signature"), "{err}");
    // An unknown sender: a registry that trusts someone else.
    d.ok(&["keys", "signing", "--algorithm", "ed25519", "-o", "other"]);
    d.ok(&["keys", "trust", "--registry", "other.json", "--participant", "CN/GOV/health/clinic", "--key", "other.pub"]);
    let err = d.fails(
        3,
        &[
            "open",
            "package.pse",
            "--key",
            "registry.key",
            "--trust",
            "other.json",
            "--replay-store",
            "r3",
            "-o",
            "u.csv",
        ],
    );
    assert!(err.contains("unknown_sender"), "{err}");
    for f in ["again.csv", "p.csv", "t.csv", "u.csv"] {
        assert!(!d.path(f).exists(), "{f} was written for a refused package");
    }
}

#[test]
fn an_expired_package_is_refused() {
    let d = Dir::new("expired");
    setup(&d);
    assert!(share(&d, &["--lifetime", "1"]).status.success());
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let err = d.fails(
        3,
        &["open", "package.pse", "--key", "registry.key", "--trust", "trust.json", "--clock-skew", "0", "-o", "o.csv"],
    );
    assert!(err.contains("expired"), "{err}");
}

#[test]
fn json_lines_share_open_and_refuse_an_unnamed_key() {
    let d = Dir::new("jsonl");
    setup(&d);
    let lines =
        "{\"visit\": 1, \"patient\": \"Li Lei\", \"mobile\": \"13812345678\", \"card\": \"6222021234567890128\"}\n\
                 {\"visit\": 2, \"patient\": \"Han Meimei\", \"mobile\": null, \"card\": \"6222021234567890128\"}\n";
    std::fs::write(d.path("visits.jsonl"), lines).unwrap();
    d.ok(&["policy", "check", "policy.toml", "--data", "visits.jsonl"]);
    let mut args = vec!["share", "--policy", "policy.toml", "--keyset", "keyset.json", "--sign", "clinic.key"];
    args.extend_from_slice(&["--to", "registry.pub", "visits.jsonl", "-o", "package.pse"]);
    let out = d.ok(&args);
    assert!(out.contains("mobile") && out.contains("absent from 1 records"), "{out}");
    let out = d.ok(&["open", "package.pse", "--key", "registry.key", "--trust", "trust.json", "-o", "opened.jsonl"]);
    assert!(out.contains("of JSON Lines data"), "{out}");
    let opened = std::fs::read_to_string(d.path("opened.jsonl")).unwrap();
    let rows: Vec<serde_json::Value> = opened.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!((rows[0]["visit"].as_u64(), rows[1]["visit"].as_u64()), (Some(1), Some(2)), "{opened}");
    assert_eq!(rows[0]["mobile"], "138****5678");
    assert!(rows[1]["mobile"].is_null());
    assert!(rows[0]["patient"].as_str().unwrap().starts_with("ps1:"));
    assert!(!opened.contains("Li Lei") && !opened.contains("6222021234567890128"));

    // A key the policy does not name, in the third line: refused, naming the line and the key.
    std::fs::write(d.path("more.jsonl"), format!("{lines}{{\"visit\": 3, \"ward\": \"B\"}}\n")).unwrap();
    let err = d.fails(
        1,
        &["protect", "--policy", "policy.toml", "--keyset", "keyset.json", "more.jsonl", "-o", "more-out.jsonl"],
    );
    assert!(err.contains("line 3") && err.contains("`ward`"), "{err}");
    assert!(!d.path("more-out.jsonl").exists());
}

#[test]
fn parquet_protect_keeps_types_and_checks_the_schema() {
    use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
    use std::sync::Arc;
    let d = Dir::new("parquet");
    setup(&d);
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("visit", Arc::new(Int64Array::from(vec![1, 2]))),
        ("patient", Arc::new(StringArray::from(vec!["Li Lei", "Han Meimei"]))),
        ("mobile", Arc::new(StringArray::from(vec![Some("13812345678"), None]))),
        ("card", Arc::new(StringArray::from(vec!["6222021234567890128", "6222021234567890128"]))),
    ];
    let write = |name: &str, columns: &[(&str, ArrayRef)]| {
        let batch = RecordBatch::try_from_iter(columns.iter().cloned()).unwrap();
        let file = std::fs::File::create(d.path(name)).unwrap();
        let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    };
    write("visits.parquet", &columns);
    d.ok(&["policy", "check", "policy.toml", "--data", "visits.parquet"]);
    let out =
        d.ok(&["protect", "--policy", "policy.toml", "--keyset", "keyset.json", "visits.parquet", "-o", "out.parquet"]);
    assert!(out.contains("mobile") && out.contains("absent from 1 records"), "{out}");
    let file = std::fs::File::open(d.path("out.parquet")).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    let batch = reader.map(|b| b.unwrap()).next().unwrap();
    let visits = batch.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
    assert_eq!(visits.values(), &[1, 2]);
    let text = |c: usize| batch.column(c).as_any().downcast_ref::<StringArray>().unwrap().clone();
    assert!(text(1).value(0).starts_with("ps1:"));
    assert_eq!(text(2).value(0), "138****5678");
    assert!(text(2).is_null(1));
    assert_ne!(text(3).value(0), "6222021234567890128");
    // `--format parquet` for a file named otherwise.
    std::fs::copy(d.path("visits.parquet"), d.path("visits.bin")).unwrap();
    let mut args = vec!["protect", "--policy", "policy.toml", "--keyset", "keyset.json", "--format", "parquet"];
    args.extend_from_slice(&["visits.bin", "-o", "out.bin"]);
    d.ok(&args);
    // A column the policy does not name: `policy check` reads it from the schema.
    let mut extra = columns.clone();
    extra.push(("ward", Arc::new(StringArray::from(vec!["A", "B"]))));
    write("extra.parquet", &extra);
    let out = d.run(&["policy", "check", "policy.toml", "--data", "extra.parquet"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("`ward` (column 5)"));
    // Not a Parquet file: an error, and no output.
    std::fs::write(d.path("bad.parquet"), DATA).unwrap();
    let err = d
        .fails(1, &["protect", "--policy", "policy.toml", "--keyset", "keyset.json", "bad.parquet", "-o", "o.parquet"]);
    assert!(err.contains("not a readable Parquet file"), "{err}");
    assert!(!d.path("o.parquet").exists());
}

#[test]
fn policy_and_data_errors_say_what_to_fix() {
    let d = Dir::new("errors");
    setup(&d);
    // A column the policy does not name.
    std::fs::write(d.path("extra.csv"), DATA.replace("card\n", "card,notes\n").replace("128\n", "128,x\n")).unwrap();
    let err =
        d.fails(1, &["protect", "--policy", "policy.toml", "--keyset", "keyset.json", "extra.csv", "-o", "out.csv"]);
    assert!(err.contains("`notes` (column 5) is not in the policy"), "{err}");
    let out = d.run(&["policy", "check", "policy.toml", "--data", "extra.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("`notes` (column 5)"));
    // A policy with problems: all of them, with lines.
    let good = std::fs::read_to_string(d.path("policy.toml")).unwrap();
    std::fs::write(
        d.path("bad.toml"),
        good.replace("\nversion = 1\n", "\nversion = 0\n").replace("\"keep\"", "\"kept\""),
    )
    .unwrap();
    let out = d.run(&["policy", "check", "bad.toml"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("line 2: version starts at 1") && text.contains("line 10: column `visit`"), "{text}");
    // A malformed CSV line: its line, and no output file.
    std::fs::write(d.path("ragged.csv"), format!("{DATA}3,Wang Wu\n")).unwrap();
    let err =
        d.fails(1, &["protect", "--policy", "policy.toml", "--keyset", "keyset.json", "ragged.csv", "-o", "out.csv"]);
    assert!(err.contains("line 4"), "{err}");
    assert!(!d.path("out.csv").exists());
    // A wrong passphrase.
    let out = Command::new(env!("CARGO_BIN_EXE_privshare"))
        .args(["keys", "show", "keyset.json"])
        .current_dir(&d.0)
        .env("PRIVSHARE_PASSPHRASE", "wrong")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // Key files are never replaced.
    let err = d.fails(1, &["keys", "signing", "--algorithm", "ed25519", "-o", "clinic"]);
    assert!(err.contains("clinic.key exists"), "{err}");
    // Usage errors are clap's exit code 2.
    d.fails(2, &["protect", "--policy"]);
    // protect then policy check pass on good input.
    d.ok(&[
        "protect",
        "--policy",
        "policy.toml",
        "--keyset",
        "keyset.json",
        "visits.csv",
        "-o",
        "out.csv",
        "--report",
        "r.json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(d.path("r.json")).unwrap()).unwrap();
    assert_eq!(report["rows"], 2);
    d.ok(&["policy", "check", "policy.toml", "--data", "visits.csv", "--keyset", "keyset.json"]);
    // reveal gives back what was encrypted, and leaves the mask.
    d.ok(&["reveal", "--policy", "policy.toml", "--keyset", "keyset.json", "out.csv", "-o", "revealed.csv"]);
    let revealed = std::fs::read_to_string(d.path("revealed.csv")).unwrap();
    assert_eq!(revealed, DATA.replace("13812345678", "138****5678").replace("13987654321", "139****4321"));
}

#[test]
fn gbk_exports_are_converted_strictly() {
    let d = Dir::new("gbk");
    setup(&d);
    // "张三" in GBK.
    let gbk = b"visit,patient,mobile,card\n1,\xd5\xc5\xc8\xfd,13812345678,6222021234567890128\n";
    std::fs::write(d.path("gbk.csv"), gbk).unwrap();
    let protect = [
        "protect",
        "--policy",
        "policy.toml",
        "--keyset",
        "keyset.json",
        "--encoding",
        "gbk",
        "gbk.csv",
        "-o",
        "out.csv",
    ];
    d.ok(&protect);
    d.ok(&["reveal", "--policy", "policy.toml", "--keyset", "keyset.json", "out.csv", "-o", "back.csv"]);
    let back = std::fs::read_to_string(d.path("back.csv")).unwrap();
    assert!(back.contains(",张三,138****5678,"), "{back}");
    // A byte GBK does not define: its offset, and no output.
    std::fs::write(d.path("gbk.csv"), [&gbk[..30], b"\xff", &gbk[30..]].concat()).unwrap();
    std::fs::remove_file(d.path("out.csv")).unwrap();
    let err = d.fails(1, &protect);
    assert!(err.contains("byte 30"), "{err}");
    assert!(!d.path("out.csv").exists());
    let left: Vec<_> = std::fs::read_dir(&d.0).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!left.iter().any(|f| f.to_string_lossy().ends_with(".tmp")), "{left:?}");
}

#[test]
fn an_interrupted_run_leaves_no_output() {
    let d = Dir::new("interrupted");
    setup(&d);
    // A file large enough that protecting it takes a while.
    let mut big = String::with_capacity(40 << 20);
    big.push_str("visit,patient,mobile,card\n");
    for i in 0..400_000 {
        big.push_str(&format!("{i},Person {i},13812345678,6222021234567890128\n"));
    }
    std::fs::write(d.path("big.csv"), big).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_privshare"))
        .args(["protect", "--policy", "policy.toml", "--keyset", "keyset.json", "big.csv", "-o", "big-out.csv"])
        .current_dir(&d.0)
        .env("PRIVSHARE_PASSPHRASE", PASS)
        .spawn()
        .unwrap();
    // Wait until it is writing (its temporary file exists), then kill it.
    let started = std::time::Instant::now();
    while !std::fs::read_dir(&d.0).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp")) {
        assert!(started.elapsed().as_secs() < 60, "the run never started writing");
        if child.try_wait().unwrap().is_some() {
            break; // finished before we looked: nothing to interrupt
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    let status = child.wait().unwrap();
    if !status.success() {
        assert!(!d.path("big-out.csv").exists(), "a killed run left its output");
    }
}

#[test]
fn scan_suggests_a_policy_that_checks() {
    let d = Dir::new("scan");
    d.ok(&["demo", "--rows", "2000", "--dir", "demo"]);
    let out = d.ok(&["scan", "demo/citizens.csv", "--suggest-policy", "suggested.toml"]);
    assert!(out.contains("id_number") && out.contains("resident_id"), "{out}");
    let suggested = std::fs::read_to_string(d.path("suggested.toml")).unwrap();
    assert!(suggested.contains("id_number = { action = \"mask\", rule = \"resident_id\""), "{suggested}");
    d.ok(&["policy", "check", "suggested.toml", "--data", "demo/citizens.csv"]);
}

#[test]
fn the_demo_runs_and_says_ok() {
    let d = Dir::new("demo");
    let out = d.ok(&["demo", "--rows", "3000", "--suite", "aes"]);
    assert!(out.contains("OK in") && !out.contains("FAILED"), "{out}");
}

/// The clinic's policy before pinning: the `fpe` column (inline) and the keyed `hash` mask (a
/// table of its own) name no key version; comments that must survive.
const UNPINNED: &str = r#"# Reviewed by the data protection officer, 2026-11-30.
policy = "clinic-to-registry"
version = 1
dataset = "visits"
sender = "CN/GOV/health/clinic"
recipients = ["CN/GOV/health/registry"]
purpose = "disease registry"
suite = "aes"

[columns]
visit = { action = "keep" }
patient = { action = "encrypt", record = "visit" }
card = { action = "fpe", kind = "bank_card" }  # the card number, still a valid card

[columns.mobile]
# hashed, for linkage only
action = "mask"
rule = "hash"
"#;

fn primary(d: &Dir) -> String {
    let v: serde_json::Value = serde_json::from_str(&d.ok(&["--json", "keys", "show", "keyset.json"])).unwrap();
    let versions = v["versions"].as_array().unwrap();
    versions.iter().find(|k| k["primary"] == true).unwrap()["version"].to_string()
}

#[cfg(unix)]
fn inode(path: &std::path::Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

#[cfg(not(unix))]
fn inode(_: &std::path::Path) -> u64 {
    0
}

#[test]
fn policy_pin_writes_key_versions_in_and_keeps_the_file_otherwise() {
    let d = Dir::new("pin");
    setup(&d);
    std::fs::write(d.path("unpinned.toml"), UNPINNED).unwrap();
    // Before: the check says how to fix it.
    let out = d.run(&["policy", "check", "unpinned.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("line 13: column `card`") && text.contains("privshare policy pin"), "{text}");
    let v1 = primary(&d);
    let out = d.ok(&["policy", "pin", "unpinned.toml", "--keyset", "keyset.json"]);
    assert!(out.contains(&format!("columns.card: key_version {v1}")), "{out}");
    assert!(out.contains(&format!("columns.mobile: key_version {v1}")), "{out}");
    let pinned = std::fs::read_to_string(d.path("unpinned.toml")).unwrap();
    let expected = UNPINNED
        .replace(
            "kind = \"bank_card\" }  # the card",
            &format!("kind = \"bank_card\", key_version = {v1} }}  # the card"),
        )
        .replace("rule = \"hash\"\n", &format!("rule = \"hash\"\nkey_version = {v1}\n"));
    assert_eq!(pinned, expected, "only the key versions were added");
    d.ok(&["policy", "check", "unpinned.toml", "--data", "visits.csv", "--keyset", "keyset.json"]);
    d.ok(&["protect", "--policy", "unpinned.toml", "--keyset", "keyset.json", "visits.csv", "-o", "out.csv"]);
    d.ok(&["reveal", "--policy", "unpinned.toml", "--keyset", "keyset.json", "out.csv", "-o", "back.csv"]);
    assert!(std::fs::read_to_string(d.path("back.csv")).unwrap().contains(",6222021234567890128\n"));

    // Pinned already: nothing to do, and the file is not even rewritten.
    let before = inode(&d.path("unpinned.toml"));
    let out = d.ok(&["policy", "pin", "unpinned.toml", "--keyset", "keyset.json"]);
    assert!(out.contains("nothing to pin"), "{out}");
    assert_eq!(std::fs::read_to_string(d.path("unpinned.toml")).unwrap(), pinned);
    assert_eq!(inode(&d.path("unpinned.toml")), before, "the file was rewritten");

    // After a rotation the pins stay, unless --update moves them.
    d.ok(&["keys", "rotate", "keyset.json"]);
    let v2 = primary(&d);
    assert_ne!(v1, v2);
    assert!(d.ok(&["policy", "pin", "unpinned.toml", "--keyset", "keyset.json"]).contains("nothing to pin"));
    assert_eq!(std::fs::read_to_string(d.path("unpinned.toml")).unwrap(), pinned);
    let out = d.ok(&["--json", "policy", "pin", "unpinned.toml", "--keyset", "keyset.json", "--update"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["changed"], true, "{v}");
    let moved: Vec<String> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{} {} -> {}", c["column"].as_str().unwrap(), c["from"], c["to"]))
        .collect();
    assert_eq!(moved, [format!("card {v1} -> {v2}"), format!("mobile {v1} -> {v2}")]);
    assert_eq!(std::fs::read_to_string(d.path("unpinned.toml")).unwrap(), pinned.replace(&v1, &v2));
    d.ok(&["policy", "check", "unpinned.toml", "--keyset", "keyset.json"]);

    // A policy with another problem is left as it was, with the problem named.
    let broken = UNPINNED.replace("version = 1", "version = 0");
    std::fs::write(d.path("broken.toml"), &broken).unwrap();
    let out = d.run(&["policy", "pin", "broken.toml", "--keyset", "keyset.json"]);
    assert_eq!(out.status.code(), Some(1));
    let (text, err) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("broken.toml: line 3: version starts at 1") && err.contains("not changed"), "{text}{err}");
    assert_eq!(std::fs::read_to_string(d.path("broken.toml")).unwrap(), broken);
}

#[test]
fn policy_pin_edits_json_in_place_keeping_its_order() {
    let d = Dir::new("pin-json");
    setup(&d);
    // Columns in an order serde_json would sort differently.
    let json = r#"{
  "policy": "clinic-to-registry",
  "version": 1,
  "dataset": "visits",
  "sender": "CN/GOV/health/clinic",
  "recipients": ["CN/GOV/health/registry"],
  "purpose": "disease registry",
  "suite": "aes",
  "columns": {
    "visit": { "action": "keep" },
    "patient": { "action": "encrypt", "record": "visit" },
    "mobile": { "action": "mask", "rule": "mobile" },
    "card": {
      "action": "fpe",
      "kind": "bank_card"
    }
  }
}
"#;
    std::fs::write(d.path("policy.json"), json).unwrap();
    d.fails(1, &["policy", "check", "policy.json"]);
    let v = primary(&d);
    let out = d.ok(&["policy", "pin", "policy.json", "--keyset", "keyset.json"]);
    assert!(out.contains(&format!("columns.card: key_version {v}")), "{out}");
    let pinned = std::fs::read_to_string(d.path("policy.json")).unwrap();
    assert_eq!(pinned, json.replace("\"bank_card\"\n", &format!("\"bank_card\",\n      \"key_version\": {v}\n")));
    d.ok(&["policy", "check", "policy.json"]);
    d.ok(&["protect", "--policy", "policy.json", "--keyset", "keyset.json", "visits.csv", "-o", "out.csv"]);
    assert!(d.ok(&["policy", "pin", "policy.json", "--keyset", "keyset.json"]).contains("nothing to pin"));
    assert_eq!(std::fs::read_to_string(d.path("policy.json")).unwrap(), pinned);
}

#[test]
fn audit_show_lists_verified_records_and_refuses_a_tampered_log() {
    let d = Dir::new("show");
    setup(&d);
    assert!(share(&d, &["--audit-log", "clinic.log"]).status.success());
    d.ok(&["keys", "signing", "--algorithm", "p256", "-o", "registry-audit"]);
    let open = |out: &str| {
        d.run(&[
            "open",
            "package.pse",
            "--key",
            "registry.key",
            "--trust",
            "trust.json",
            "--audit-log",
            "registry.log",
            "--audit-key",
            "registry-audit.key",
            "-o",
            out,
        ])
    };
    assert!(open("opened.csv").status.success());
    assert_eq!(open("again.csv").status.code(), Some(3), "a replay is refused");

    let text = d.ok(&["audit", "show", "clinic.log", "--key", "clinic.pub"]);
    assert!(text.starts_with("clinic.log: verified: 1 records"), "{text}");
    for needle in [
        "#0  20",
        "Z  sent",
        "sender:     CN/GOV/health/clinic",
        "recipients: CN/GOV/health/registry",
        "purpose:    disease registry",
        "policy:     clinic-to-registry version 1 (digest ",
        "message:    ",
        "payload:    ",
    ] {
        assert!(text.contains(needle), "no {needle:?} in {text}");
    }
    assert!(!text.contains("UNSIGNED") && !text.contains("Li Lei") && !text.contains("13812345678"), "{text}");

    let json = d.ok(&["--json", "audit", "show", "registry.log", "--key", "registry-audit.pub"]);
    let records: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), 2, "{json}");
    assert_eq!((records[0]["seq"].as_u64(), records[0]["event"].as_str()), (Some(0), Some("opened")));
    assert_eq!((records[1]["event"].as_str(), records[1]["reason_name"].as_str()), (Some("rejected"), Some("replay")));
    assert!(records.iter().all(|r| r["signed"] == true && r["time"].as_str().unwrap().ends_with('Z')), "{json}");
    assert_eq!(records[0]["sender"], "CN/GOV/health/clinic");
    let last = d.ok(&["--json", "audit", "show", "registry.log", "--key", "registry-audit.pub", "--last", "1"]);
    assert_eq!(last.lines().count(), 1);
    assert!(last.contains("\"seq\":1"), "{last}");

    // No key: the chain is checked, and the output says the signatures were not.
    let unsigned = d.ok(&["audit", "show", "clinic.log"]);
    assert!(unsigned.contains("signatures NOT checked") && unsigned.contains("UNSIGNED"), "{unsigned}");
    // Another key than the log's: refused, nothing shown.
    let out = d.run(&["audit", "show", "clinic.log", "--key", "registry-audit.pub"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());

    // A record changed after the fact: refused with and without keys, nothing shown.
    let mut log = std::fs::read(d.path("clinic.log")).unwrap();
    let n = log.len();
    log[n / 2] ^= 1;
    std::fs::write(d.path("clinic.log"), log).unwrap();
    for args in [&["audit", "show", "clinic.log", "--key", "clinic.pub"][..], &["audit", "show", "clinic.log"]] {
        let out = d.run(args);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.is_empty(), "{args:?} showed a tampered log");
    }
}
