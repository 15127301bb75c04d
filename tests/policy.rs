//! Sharing policies applied to files: every action's output checked against the primitive it
//! stands for (decrypted back, or recomputed), `generalize` checked against the two-pass
//! anonymizer, and bad input refused without leaving an output file.

use privshare::anon::spec::ConfigSpec;
use privshare::fle::{DateRange, FieldCipher, RandomizedCipher, ResidentIdCipher, Tokenizer};
use privshare::mask::{Masker, Rule};
use privshare::policy::{Format, Plan, Policy};
use privshare::{ErrorKind, Keyset, Suite};
use std::collections::HashMap;
use std::path::PathBuf;

const ROWS: u64 = 3000;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("privshare-policy-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn policy_text(keyset: &Keyset, suite: &str) -> String {
    format!(
        r#"
policy = "citizens-to-statistics"
version = 2
dataset = "citizens-2026"
sender = "CN/GOV/hrss/benefits"
recipients = ["CN/GOV/stats/census"]
purpose = "population statistics"
suite = "{suite}"
default = "drop"

[columns]
record_id = {{ action = "keep" }}
name = {{ action = "encrypt", record = "record_id" }}
id_number = {{ action = "fpe", kind = "resident_id", key_version = {v}, birth_dates = ["1925-01-01", "2009-12-31"] }}
mobile = {{ action = "mask", rule = "mobile" }}
bank_card = {{ action = "token", purpose = "fraud-linkage" }}
diagnosis = {{ action = "encrypt_deterministic" }}
sex = {{ action = "generalize" }}
age = {{ action = "generalize", hierarchy = {{ type = "intervals", origin = 0, widths = [5, 10, 20, 40] }} }}
province = {{ action = "generalize" }}
income = {{ action = "drop" }}

[anonymization]
models = [{{ model = "k_anonymity", k = 5 }}]
suppression_limit = 0.05
"#,
        v = keyset.primary_id()
    )
}

/// The file's rows as maps column -> value.
fn read(path: &std::path::Path) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows =
        r.records().map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(String::from)).collect()).collect();
    (header, rows)
}

#[test]
fn every_action_does_what_its_primitive_does() {
    for (suite, name) in [(Suite::Aes, "aes"), (Suite::Sm, "sm")] {
        let d = dir(name);
        let (input, output) = (d.join("citizens.csv"), d.join("protected.csv"));
        privshare::synth::write_csv(7, ROWS, std::fs::File::create(&input).unwrap()).unwrap();
        let keyset = Keyset::generate(suite).unwrap();
        let text = policy_text(&keyset, name);
        let policy = Policy::parse(&text, Format::Toml).unwrap();
        let plan = Plan::compile(&policy, &keyset).unwrap();
        let report = plan.protect_csv_file(&input, &output, b',').unwrap();
        assert_eq!(report.rows, ROWS);

        let (_, before) = read(&input);
        let (header, after) = read(&output);
        // Dropped columns (by action and by default) are gone; the rest keep the input's order.
        assert_eq!(
            header,
            ["record_id", "name", "sex", "age", "id_number", "mobile", "bank_card", "province", "diagnosis"]
        );
        let names = RandomizedCipher::new(&keyset, &policy.dataset, "name").unwrap();
        let births = DateRange { start: (1925, 1, 1), end: (2009, 12, 31) };
        let ids = ResidentIdCipher::new(&keyset, keyset.primary_id(), &policy.dataset, "id_number", births).unwrap();
        let tokens = Tokenizer::new(&keyset, "fraud-linkage").unwrap();
        let mobiles = Masker::new(Rule::from_json(r#"{"rule":"mobile"}"#).unwrap()).unwrap();
        for (b, a) in before.iter().zip(&after) {
            assert_eq!(a["record_id"], b["record_id"]);
            let name = names.decrypt_text(Some(b["record_id"].as_bytes()), &a["name"]).unwrap();
            assert_eq!(name, b["name"].as_bytes());
            assert_eq!(ids.decrypt(&a["id_number"]).unwrap(), b["id_number"]);
            assert_ne!(a["id_number"], b["id_number"]);
            assert_eq!(a["bank_card"], tokens.encrypt_text(None, b["bank_card"].as_bytes()).unwrap());
            assert_eq!(a["mobile"], mobiles.apply(&b["mobile"]).unwrap());
        }
        // A name moved to another record does not decrypt.
        assert!(names.decrypt_text(Some(after[1]["record_id"].as_bytes()), &after[0]["name"]).is_err());
        // Equal diagnoses, equal ciphertexts (joins), and only those.
        for i in 1..200 {
            assert_eq!(
                before[i]["diagnosis"] == before[0]["diagnosis"],
                after[i]["diagnosis"] == after[0]["diagnosis"]
            );
        }

        // The generalized columns are exactly what the two-pass anonymizer releases.
        let spec = r#"{"attributes": [
            {"name": "sex", "role": "quasi_identifying", "hierarchy": {"type": "flat"}},
            {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "intervals", "origin": 0, "widths": [5, 10, 20, 40]}},
            {"name": "province", "role": "quasi_identifying", "hierarchy": {"type": "flat"}}],
          "models": [{"model": "k_anonymity", "k": 5}], "suppression_limit": 0.05}"#;
        ConfigSpec::from_json(spec).unwrap();
        let reference = d.join("reference.csv");
        privshare::anon::spec::anonymize_csv_file(&input, &reference, b',', spec).unwrap();
        let (_, expected) = read(&reference);
        let mut classes: HashMap<(String, String, String), usize> = HashMap::new();
        for (a, e) in after.iter().zip(&expected) {
            for q in ["sex", "age", "province"] {
                assert_eq!(a[q], e[q]);
            }
            *classes.entry((a["sex"].clone(), a["age"].clone(), a["province"].clone())).or_default() += 1;
        }
        let released = classes.iter().filter(|(k, _)| k.0 != "*");
        assert!(released.clone().all(|(_, &n)| n >= 5), "a released class is smaller than k");
        assert!(released.count() > 1);

        // A holder of the keyset reveals what was encrypted; the rest stays as protected.
        let revealed = d.join("revealed.csv");
        let r = plan.reveal_csv_file(&output, &revealed, b',').unwrap();
        assert_eq!(r.rows, ROWS);
        let (rh, back) = read(&revealed);
        assert_eq!(rh, header);
        for ((b, a), r) in before.iter().zip(&after).zip(&back) {
            for c in ["name", "id_number", "diagnosis"] {
                assert_eq!(r[c], b[c], "{c}");
            }
            for c in ["bank_card", "mobile", "sex", "age", "province"] {
                assert_eq!(r[c], a[c], "{c}");
            }
        }
        // The report says what happened to every input column.
        let anon = report.anonymization.as_ref().unwrap();
        assert!(anon.models.iter().all(|m| m.holds));
        let column = |n: &str| report.columns.iter().find(|c| c.name == n).unwrap();
        assert_eq!(column("id_number").key_version, Some(keyset.primary_id()));
        assert_eq!(column("income").action, "drop");
        assert_eq!(column("occupation").detail.as_deref(), Some("not in the policy; default = \"drop\""));
        assert!(report.to_json().contains("\"policy_hash\""));
        assert!(report.summary().contains("id_number"));
        std::fs::remove_dir_all(&d).unwrap();
    }
}

#[test]
fn bad_input_names_where_and_leaves_no_output() {
    let d = dir("bad");
    let keyset = Keyset::generate(Suite::Aes).unwrap();
    let text = format!(
        r#"policy = "p"
version = 1
dataset = "d"
purpose = "test"
suite = "aes"
[columns]
id = {{ action = "keep" }}
card = {{ action = "fpe", kind = "bank_card", key_version = {} }}
"#,
        keyset.primary_id()
    );
    let plan = Plan::compile(&Policy::parse(&text, Format::Toml).unwrap(), &keyset).unwrap();
    let (input, output) = (d.join("in.csv"), d.join("out.csv"));

    // A ragged line.
    std::fs::write(&input, "id,card\n1,6222021234567890128\n2\n").unwrap();
    let e = plan.protect_csv_file(&input, &output, b',').unwrap_err();
    assert_eq!((e.position().line, e.position().row), (Some(3), Some(1)), "{e}");
    assert!(!output.exists());

    // An invalid card: an error naming row, line and column, never the value.
    std::fs::write(&input, "id,card\n1,6222021234567890128\n2,6222-not-a-card\n").unwrap();
    let e = plan.protect_csv_file(&input, &output, b',').unwrap_err();
    assert_eq!(e.position().row, Some(1), "{e}");
    assert_eq!(e.position().line, Some(3), "{e}");
    assert_eq!(e.position().column.as_deref(), Some("card"));
    assert!(!e.to_string().contains("not-a-card"));
    assert!(!output.exists());

    // The same with on_invalid = "null": an empty value, counted in the report.
    let lenient = text.replace("suite = \"aes\"", "suite = \"aes\"\non_invalid = \"null\"");
    let plan = Plan::compile(&Policy::parse(&lenient, Format::Toml).unwrap(), &keyset).unwrap();
    let report = plan.protect_csv_file(&input, &output, b',').unwrap();
    assert_eq!(report.columns[1].invalid, 1);
    assert!(std::fs::read_to_string(&output).unwrap().ends_with("\n2,\n"));

    // A column the policy does not name, and the output never over the input.
    std::fs::write(&input, "id,card,extra\n1,6222021234567890128,x\n").unwrap();
    let e = plan.protect_csv_file(&input, d.join("out2.csv"), b',').unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Policy);
    assert!(e.message().contains("`extra` (column 3) is not in the policy"), "{}", e.message());
    assert!(!d.join("out2.csv").exists());
    assert_eq!(plan.protect_csv_file(&input, &input, b',').unwrap_err().kind(), ErrorKind::InvalidArgument);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn many_chunks_stream_in_order() {
    // More rows than one round of chunks on every core: order and content survive.
    let keyset = Keyset::generate(Suite::Aes).unwrap();
    let text = r#"policy = "p"
version = 1
dataset = "d"
purpose = "test"
suite = "aes"
[columns]
n = { action = "keep" }
v = { action = "encrypt_deterministic" }
"#;
    let plan = Plan::compile(&Policy::parse(text, Format::Toml).unwrap(), &keyset).unwrap();
    // A last partial chunk, and an input that ends exactly at a batch's end.
    for rows in [privshare::policy::CHUNK_ROWS * 5 + 17, privshare::policy::CHUNK_ROWS * 4] {
        stream_in_order(&plan, rows);
    }
}

fn stream_in_order(plan: &Plan, rows: usize) {
    let mut input = String::from("n,v\n");
    for i in 0..rows {
        input.push_str(&format!("{i},{}\n", i % 7));
    }
    let mut out = Vec::new();
    let report = plan.protect_csv(input.as_bytes(), &mut out, b',').unwrap();
    assert_eq!(report.rows, rows as u64);
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(lines.len(), rows);
    for (i, l) in lines.iter().enumerate() {
        let (n, v) = l.split_once(',').unwrap();
        assert_eq!(n, i.to_string());
        assert_eq!(v, lines[i % 7].split_once(',').unwrap().1);
    }
}

#[test]
fn share_then_open_as_two_departments_would() {
    use privshare::envelope::{
        KemAlgorithm, Opener, RecipientKey, ReplayStore, SignatureAlgorithm, SigningKey, TrustRegistry,
    };
    use privshare::policy::open_package_file;
    let d = dir("share");
    let (input, package, opened) = (d.join("citizens.csv"), d.join("package.pse"), d.join("opened.csv"));
    privshare::synth::write_csv(11, 500, std::fs::File::create(&input).unwrap()).unwrap();
    let keyset = Keyset::generate(Suite::Sm).unwrap();
    let policy = Policy::parse(&policy_text(&keyset, "sm"), Format::Toml).unwrap();
    let plan = Plan::compile(&policy, &keyset).unwrap();
    let signer = SigningKey::generate(SignatureAlgorithm::Sm2Sm3).unwrap();
    let stats = RecipientKey::generate(KemAlgorithm::Sm2).unwrap();
    let stats_id = policy.recipients[0].clone();
    let keys = [(stats_id.clone(), stats.public_key().clone())];

    let shared = plan.share_csv_file(&input, &package, b',', &signer, &keys, &Default::default()).unwrap();
    assert_eq!(shared.sealed.header.policy_hash, policy.hash);
    let names = "record_id\nname\nsex\nage\nid_number\nmobile\nbank_card\nprovince\ndiagnosis";
    assert_eq!(shared.sealed.header.schema_hash, ring_sha256(names.as_bytes()));
    assert!(shared
        .sealed
        .header
        .column_key_versions
        .iter()
        .any(|(c, v)| c == "id_number" && *v == keyset.primary_id()));
    let leftovers: Vec<_> = std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "temporary files left: {leftovers:?}");

    let mut registry = TrustRegistry::new();
    registry.add(policy.sender.clone().unwrap(), signer.verifying_key().clone(), 0, None).unwrap();
    let replay = ReplayStore::in_memory();
    let opener = Opener::new(&registry, &stats_id, &stats, &replay);
    let got = open_package_file(&opener, &package, &opened).unwrap();
    // The recipient gets exactly what protecting gave, and the report.
    let protected = d.join("protected.csv");
    plan.protect_csv_file(&input, &protected, b',').unwrap();
    let (a, b) = (read(&opened), read(&protected));
    assert_eq!(a.0, b.0);
    for (x, y) in a.1.iter().zip(&b.1) {
        for c in ["record_id", "sex", "age", "province", "id_number", "bank_card", "mobile", "diagnosis"] {
            assert_eq!(x[c], y[c], "{c}");
        }
    }
    let report: serde_json::Value = serde_json::from_str(&got.report_json).unwrap();
    assert_eq!(report["rows"], 500);
    assert_eq!(got.header.purpose, "population statistics");

    // Replayed, wrong recipient, tampered: refused, and no output appears.
    std::fs::remove_file(&opened).unwrap();
    assert_eq!(open_package_file(&opener, &package, &opened).unwrap_err().kind(), ErrorKind::Replay);
    let other = RecipientKey::generate(KemAlgorithm::Sm2).unwrap();
    let fresh = ReplayStore::in_memory();
    let e = open_package_file(&Opener::new(&registry, &stats_id, &other, &fresh), &package, &opened).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotRecipient);
    let mut bytes = std::fs::read(&package).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    std::fs::write(&package, &bytes).unwrap();
    let e = open_package_file(&Opener::new(&registry, &stats_id, &stats, &fresh), &package, &opened).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadSignature);
    assert!(!opened.exists());

    // A recipient the policy does not name is refused before anything is written.
    let stranger = ("CN/GOV/police/records".parse().unwrap(), stats.public_key().clone());
    let e = plan
        .share_csv_file(&input, d.join("p2.pse"), b',', &signer, &[keys[0].clone(), stranger], &Default::default())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(!d.join("p2.pse").exists());
    std::fs::remove_dir_all(&d).unwrap();
}

fn ring_sha256(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}

#[test]
fn the_benchmark_policy_reads_and_compiles() {
    let keyset = Keyset::generate(Suite::Aes).unwrap();
    let text = include_str!("../benches/protect.toml").replace("KEY_VERSION", &keyset.primary_id().to_string());
    let plan = Plan::compile(&Policy::parse(&text, Format::Toml).unwrap(), &keyset).unwrap();
    assert_eq!(plan.policy().columns.len(), 12);
}

#[test]
fn progress_is_told_the_bytes_read() {
    let keyset = Keyset::generate(Suite::Aes).unwrap();
    let text = "policy = \"p\"\nversion = 1\ndataset = \"d\"\npurpose = \"t\"\nsuite = \"aes\"\n[columns]\nv = { action = \"encrypt_deterministic\" }\n";
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let plan = Plan::compile(&Policy::parse(text, Format::Toml).unwrap(), &keyset)
        .unwrap()
        .on_progress(move |bytes| log.lock().unwrap().push(bytes));
    let input: String = std::iter::once("v\n".to_string()).chain((0..20_000).map(|i| format!("{i}\n"))).collect();
    plan.protect_csv(input.as_bytes(), &mut Vec::new(), b',').unwrap();
    let seen = seen.lock().unwrap();
    assert!(seen.len() >= 20_000 / privshare::policy::CHUNK_ROWS, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    // The last report is the whole input.
    assert_eq!(*seen.last().unwrap(), input.len() as u64);
}

/// The synthetic citizens as JSON Lines: `record_id` (`P000000001` as 1) and `age` as numbers, `mobile` null in every
/// seventh record, `diagnosis` missing from every eleventh, and a key the policy does not name
/// (dropped by its default) in record 5 only. Returns the CSV twin with empty fields there.
fn citizens_jsonl(path: &std::path::Path, rows: u64) -> Vec<HashMap<String, String>> {
    let mut csv_bytes = Vec::new();
    privshare::synth::write_csv(13, rows, &mut csv_bytes).unwrap();
    let mut r = csv::Reader::from_reader(&csv_bytes[..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let mut lines = String::new();
    let mut twin = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let mut row: HashMap<String, String> =
            header.iter().cloned().zip(rec.unwrap().iter().map(String::from)).collect();
        let mut object = serde_json::Map::new();
        for name in &header {
            let v = &row[name];
            let value = match name.as_str() {
                "record_id" => serde_json::Value::Number(v[1..].parse::<u64>().unwrap().into()),
                "age" => serde_json::Value::Number(v.parse::<u64>().unwrap().into()),
                "mobile" if i % 7 == 3 => serde_json::Value::Null,
                "diagnosis" if i % 11 == 4 => continue,
                _ => serde_json::Value::String(v.clone()),
            };
            object.insert(name.clone(), value);
        }
        if i == 5 {
            object.insert("note".into(), serde_json::json!({"free text": ["not", "named"]}));
        }
        if i % 7 == 3 {
            row.insert("mobile".into(), String::new());
        }
        if i % 11 == 4 {
            row.insert("diagnosis".into(), String::new());
        }
        lines.push_str(&serde_json::to_string(&object).unwrap());
        lines.push('\n');
        twin.push(row);
    }
    std::fs::write(path, lines).unwrap();
    twin
}

fn read_jsonl(path: &std::path::Path) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn json_lines_keep_what_they_do_not_protect_and_generalize_as_csv_does() {
    use privshare::policy::DataFormat;
    let d = dir("jsonl");
    let (input, output) = (d.join("citizens.jsonl"), d.join("protected.jsonl"));
    let twin = citizens_jsonl(&input, 600);
    let keyset = Keyset::generate(Suite::Aes).unwrap();
    let policy = Policy::parse(&policy_text(&keyset, "aes"), Format::Toml).unwrap();
    let plan = Plan::compile(&policy, &keyset).unwrap();
    let report = plan.protect_file(&input, &output, DataFormat::JsonLines).unwrap();
    assert_eq!(report.rows, 600);
    let column = |n: &str| report.columns.iter().find(|c| c.name == n).unwrap().clone();
    assert_eq!(column("mobile").absent, (0..600).filter(|i| i % 7 == 3).count() as u64);
    assert_eq!(column("diagnosis").absent, (0..600).filter(|i| i % 11 == 4).count() as u64);

    let before = read_jsonl(&input);
    let after = read_jsonl(&output);
    assert_eq!(after.len(), 600);
    let names = RandomizedCipher::new(&keyset, &policy.dataset, "name").unwrap();
    let mobiles = Masker::new(Rule::from_json(r#"{"rule":"mobile"}"#).unwrap()).unwrap();
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        // Kept values are the input's, numbers as numbers; dropped keys are gone.
        assert_eq!(a["record_id"], b["record_id"]);
        assert!(a["record_id"].is_u64());
        assert!(!a.contains_key("income") && !a.contains_key("note") && !a.contains_key("occupation"));
        // Encrypted values are strings bound to the record id's text.
        let id = b["record_id"].to_string();
        let name = names.decrypt_text(Some(id.as_bytes()), a["name"].as_str().unwrap()).unwrap();
        assert_eq!(name, b["name"].as_str().unwrap().as_bytes());
        // A null stays null, a missing key stays missing: neither is masked or encrypted.
        if i % 7 == 3 {
            assert!(a["mobile"].is_null());
        } else {
            assert_eq!(a["mobile"], mobiles.apply(b["mobile"].as_str().unwrap()).unwrap());
        }
        assert_eq!(a.contains_key("diagnosis"), i % 11 != 4);
    }

    // The generalized columns are what the CSV path releases on the same data.
    let twin_csv = d.join("twin.csv");
    let mut w = csv::Writer::from_path(&twin_csv).unwrap();
    let header =
        ["record_id", "name", "sex", "age", "id_number", "mobile", "bank_card", "province", "diagnosis", "income"];
    w.write_record(header).unwrap();
    for row in &twin {
        w.write_record(header.iter().map(|h| row[*h].as_str())).unwrap();
    }
    w.flush().unwrap();
    let csv_out = d.join("twin-protected.csv");
    let csv_report = plan.protect_csv_file(&twin_csv, &csv_out, b',').unwrap();
    // (The JSON file's keys are in another order, so the report lists the attributes in another.)
    let (a, b) = (report.anonymization.unwrap().quality, csv_report.anonymization.unwrap().quality);
    let levels = |q: &privshare::anon::Quality| {
        let mut l: Vec<_> = q.attributes.iter().map(|a| (a.attribute.clone(), a.level)).collect();
        l.sort();
        l
    };
    assert_eq!(levels(&a), levels(&b));
    assert_eq!((a.suppressed, a.classes, a.min_class_size), (b.suppressed, b.classes, b.min_class_size));
    let (_, expected) = read(&csv_out);
    for (a, e) in after.iter().zip(&expected) {
        for q in ["sex", "age", "province"] {
            assert_eq!(a[q].as_str().unwrap(), e[q], "{q}");
        }
    }

    // Revealing gives back the encrypted values as strings; nulls and missing keys stay so.
    let revealed = d.join("revealed.jsonl");
    plan.reveal_file(&output, &revealed, DataFormat::JsonLines).unwrap();
    for (i, (b, r)) in before.iter().zip(&read_jsonl(&revealed)).enumerate() {
        assert_eq!(r["name"], b["name"]);
        assert_eq!(r["id_number"], b["id_number"]);
        assert_eq!(r.get("diagnosis"), b.get("diagnosis"), "row {i}");
        assert_eq!(r["record_id"], b["record_id"]);
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn json_lines_errors_name_the_line_and_leave_no_output() {
    use privshare::policy::DataFormat;
    let d = dir("jsonl-bad");
    let keyset = Keyset::generate(Suite::Aes).unwrap();
    let text = r#"policy = "p"
version = 1
dataset = "d"
purpose = "test"
suite = "aes"
[columns]
id = { action = "keep" }
secret = { action = "encrypt" }
"#;
    let plan = Plan::compile(&Policy::parse(text, Format::Toml).unwrap(), &keyset).unwrap();
    let (input, output) = (d.join("in.jsonl"), d.join("out.jsonl"));
    let cases = [
        // A key the policy does not name (it has no default = "drop").
        ("{\"id\": 1, \"secret\": \"a\"}\n\n{\"id\": 2, \"other\": \"hidden\"}\n", 3, "key `other`"),
        ("{\"id\": 1}\n[\"hidden\"]\n", 2, "not a JSON object"),
        ("{\"id\": 1}\n{\"id\": 2, \"secret\": \"hidden}\n", 2, "not valid JSON"),
    ];
    // From bytes, as from a file.
    let mut out = Vec::new();
    plan.protect_jsonl(&b"{\"id\": 1.0, \"secret\": \"a\"}\n"[..], &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with("{\"id\":1.0,\"secret\":\"ps1:") && out.ends_with("\"}\n"), "{out}");
    // A column the policy names that no record has shows in the report.
    std::fs::write(&input, "{\"id\": 1}\n{\"id\": 2}\n").unwrap();
    let report = plan.protect_file(&input, &output, DataFormat::JsonLines).unwrap();
    assert!(report.summary().contains("secret  encrypt") && report.summary().contains("absent from every record"));
    std::fs::remove_file(&output).unwrap();
    for (content, line, message) in cases {
        std::fs::write(&input, content).unwrap();
        let e = plan.protect_file(&input, &output, DataFormat::JsonLines).unwrap_err();
        assert_eq!(e.position().line, Some(line), "{e}");
        assert!(e.message().contains(message) && !e.to_string().contains("hidden"), "{e}");
        assert!(!output.exists());
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_json_lines_package_opens_as_json_lines() {
    use privshare::envelope::{
        KemAlgorithm, Opener, RecipientKey, ReplayStore, SignatureAlgorithm, SigningKey, TrustRegistry,
    };
    use privshare::policy::{open_package_file, DataFormat, PACKAGE_CONTENT_TYPE_JSONL};
    let d = dir("jsonl-share");
    let (input, package, opened) = (d.join("citizens.jsonl"), d.join("package.pse"), d.join("opened.jsonl"));
    citizens_jsonl(&input, 200);
    let keyset = Keyset::generate(Suite::Aes).unwrap();
    let policy = Policy::parse(&policy_text(&keyset, "aes"), Format::Toml).unwrap();
    let plan = Plan::compile(&policy, &keyset).unwrap();
    let signer = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    let stats = RecipientKey::generate(KemAlgorithm::HpkeX25519).unwrap();
    let stats_id = policy.recipients[0].clone();
    let keys = [(stats_id.clone(), stats.public_key().clone())];
    let shared = plan.share_file(&input, &package, DataFormat::JsonLines, &signer, &keys, &Default::default()).unwrap();
    assert_eq!(shared.sealed.header.content_type, PACKAGE_CONTENT_TYPE_JSONL);
    let mut registry = TrustRegistry::new();
    registry.add(policy.sender.clone().unwrap(), signer.verifying_key().clone(), 0, None).unwrap();
    let replay = ReplayStore::in_memory();
    let got = open_package_file(&Opener::new(&registry, &stats_id, &stats, &replay), &package, &opened).unwrap();
    assert_eq!(got.format, DataFormat::JsonLines);
    let rows = read_jsonl(&opened);
    assert_eq!(rows.len(), 200);
    assert!(rows.iter().all(|r| r["record_id"].is_u64() && r["name"].is_string()));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_column_alone_gets_what_the_file_path_gives_it() {
    let keyset = Keyset::generate(Suite::Aes).unwrap();
    let text = r#"policy = "p"
version = 1
dataset = "d"
purpose = "test"
suite = "aes"
[columns]
id = { action = "keep" }
name = { action = "encrypt", record = "id" }
mobile = { action = "mask", rule = "mobile" }
city = { action = "encrypt_deterministic" }
"#;
    let plan = Plan::compile(&Policy::parse(text, Format::Toml).unwrap(), &keyset).unwrap();
    let mut out = Vec::new();
    plan.protect_csv(&b"id,name,mobile,city\n1,Li Lei,13812345678,Xi'an\n"[..], &mut out, b',').unwrap();
    let out = String::from_utf8(out).unwrap();
    let fields: Vec<&str> = out.lines().nth(1).unwrap().split(',').collect();
    let get = |c: &privshare::Column| String::from_utf8(c.get(0).unwrap().to_vec()).unwrap();
    let mobile = plan.protect_column("mobile", &["13812345678"], None, false).unwrap();
    assert_eq!(get(&mobile), fields[2]);
    let city = plan.protect_column("city", &["Xi'an"], None, false).unwrap();
    assert_eq!(get(&city), fields[3]);
    // A randomized name decrypts beside its record, as the file's does.
    let name = plan.protect_column("name", &["Li Lei"], Some(&["1"]), false).unwrap();
    let back = plan.protect_column("name", &[get(&name).as_str()], Some(&["1"]), true).unwrap();
    assert_eq!(get(&back), "Li Lei");
    let back = plan.protect_column("name", &[fields[1]], Some(&["1"]), true).unwrap();
    assert_eq!(get(&back), "Li Lei");
    // Nothing to compute, not in the policy, a record missing or given where none is bound.
    for (name, records) in [("id", None), ("nope", None), ("name", None), ("city", Some(&["1"]))] {
        let e = plan.protect_column(name, &["x"], records.map(|r| r as &dyn privshare::Values), false).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{name}: {e}");
    }
}

/// Parquet tables (feature `parquet`, which the CLI turns on for the whole workspace's build).
#[cfg(feature = "parquet")]
mod parquet_tables {
    use super::*;
    use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::arrow::ArrowWriter;
    use privshare::policy::DataFormat;
    use std::sync::Arc;

    const POLICY: &str = r#"
policy = "citizens-to-statistics"
version = 1
dataset = "citizens-2026"
sender = "CN/GOV/hrss/benefits"
recipients = ["CN/GOV/stats/census"]
purpose = "population statistics"
suite = "aes"
default = "drop"

[columns]
record_id = { action = "keep" }
name = { action = "encrypt", record = "record_id" }
score = { action = "keep" }
mobile = { action = "mask", rule = "mobile" }
sex = { action = "generalize" }
age = { action = "generalize", hierarchy = { type = "intervals", origin = 0, widths = [5, 10, 20, 40] } }

[anonymization]
models = [{ model = "k_anonymity", k = 40 }]
suppression_limit = 0.05
"#;

    const COLUMNS: [&str; 7] = ["record_id", "name", "score", "mobile", "sex", "age", "note"];

    /// The synthetic citizens as Parquet, in row groups of 1,000 rows (batches cross them):
    /// `record_id` Int64, `name` null in every thirteenth row, `score` Float64, `mobile` null in
    /// every seventh, `sex` text, `age` Int64, and `note` (dropped by the policy's default).
    /// Returns the input's arrays and the CSV twin (a null as an empty field).
    fn citizens(path: &std::path::Path, rows: u64) -> (Vec<ArrayRef>, String) {
        let mut csv_bytes = Vec::new();
        privshare::synth::write_csv(13, rows, &mut csv_bytes).unwrap();
        let mut r = csv::Reader::from_reader(&csv_bytes[..]);
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let records: Vec<HashMap<String, String>> = r
            .records()
            .map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(String::from)).collect())
            .collect();
        let ids: Vec<i64> = records.iter().map(|r| r["record_id"][1..].parse().unwrap()).collect();
        let names: Vec<Option<&str>> =
            records.iter().enumerate().map(|(i, r)| (i % 13 != 6).then_some(r["name"].as_str())).collect();
        let scores: Vec<f64> = (0..records.len()).map(|i| i as f64 * 0.25 - 7.0).collect();
        let mobiles: Vec<Option<&str>> =
            records.iter().enumerate().map(|(i, r)| (i % 7 != 3).then_some(r["mobile"].as_str())).collect();
        let sexes: Vec<&str> = records.iter().map(|r| r["sex"].as_str()).collect();
        let ages: Vec<i64> = records.iter().map(|r| r["age"].parse().unwrap()).collect();
        let notes: Vec<String> = (0..records.len()).map(|i| format!("note {i}")).collect();
        let arrays: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from(ids.clone())),
            Arc::new(StringArray::from(names.clone())),
            Arc::new(Float64Array::from(scores.clone())),
            Arc::new(StringArray::from(mobiles.clone())),
            Arc::new(StringArray::from(sexes.clone())),
            Arc::new(Int64Array::from(ages.clone())),
            Arc::new(StringArray::from(notes.clone())),
        ];
        write_parquet(path, &arrays);
        let mut twin = csv::Writer::from_writer(Vec::new());
        twin.write_record(COLUMNS).unwrap();
        for i in 0..records.len() {
            let (id, score, age) = (ids[i].to_string(), scores[i].to_string(), ages[i].to_string());
            let row = [&id, names[i].unwrap_or(""), &score, mobiles[i].unwrap_or(""), sexes[i], &age, &notes[i]];
            twin.write_record(row).unwrap();
        }
        (arrays, String::from_utf8(twin.into_inner().unwrap()).unwrap())
    }

    /// Writes `arrays` as the columns [`COLUMNS`] of the Parquet file `path`, in row groups of
    /// 1,000 rows.
    fn write_parquet(path: &std::path::Path, arrays: &[ArrayRef]) {
        let batch = RecordBatch::try_from_iter(COLUMNS.iter().zip(arrays).map(|(n, a)| (*n, a.clone()))).unwrap();
        let props =
            parquet::file::properties::WriterProperties::builder().set_max_row_group_row_count(Some(1000)).build();
        let mut w = ArrowWriter::try_new(std::fs::File::create(path).unwrap(), batch.schema(), Some(props)).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }

    /// A Parquet file's columns, each in one array (the batches' slices appended).
    fn read_parquet(path: &std::path::Path) -> (Vec<String>, Vec<ArrayRef>) {
        let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap()).unwrap();
        let names = reader.schema().fields().iter().map(|f| f.name().clone()).collect();
        let batches: Vec<RecordBatch> = reader.build().unwrap().map(|b| b.unwrap()).collect();
        let schema = batches[0].schema();
        let whole = arrow_select_concat(&schema, &batches);
        (names, whole)
    }

    /// Concatenates batches column by column through a writer-free route: each column's values
    /// rebuilt from the slices (the tests only hold Int64, Float64 and Utf8 columns).
    fn arrow_select_concat(schema: &arrow_schema::SchemaRef, batches: &[RecordBatch]) -> Vec<ArrayRef> {
        use arrow_schema::DataType;
        (0..schema.fields().len())
            .map(|c| -> ArrayRef {
                let parts = batches.iter().map(|b| b.column(c).clone());
                match schema.field(c).data_type() {
                    DataType::Int64 => Arc::new(
                        parts
                            .flat_map(|a| a.as_any().downcast_ref::<Int64Array>().unwrap().iter().collect::<Vec<_>>())
                            .collect::<Int64Array>(),
                    ),
                    DataType::Float64 => Arc::new(
                        parts
                            .flat_map(|a| a.as_any().downcast_ref::<Float64Array>().unwrap().iter().collect::<Vec<_>>())
                            .collect::<Float64Array>(),
                    ),
                    DataType::Utf8 => Arc::new(
                        parts
                            .flat_map(|a| {
                                let s = a.as_any().downcast_ref::<StringArray>().unwrap();
                                s.iter().map(|v| v.map(String::from)).collect::<Vec<_>>()
                            })
                            .collect::<StringArray>(),
                    ),
                    other => panic!("unexpected type {other}"),
                }
            })
            .collect()
    }

    fn strings(a: &ArrayRef) -> &StringArray {
        a.as_any().downcast_ref::<StringArray>().unwrap()
    }

    #[test]
    fn parquet_keeps_arrays_protects_text_and_generalizes_as_csv_does() {
        let d = dir("parquet");
        let (input, output) = (d.join("citizens.parquet"), d.join("protected.parquet"));
        let (arrays, twin) = citizens(&input, 2600);
        let keyset = Keyset::generate(Suite::Aes).unwrap();
        let policy = Policy::parse(POLICY, Format::Toml).unwrap();
        let plan = Plan::compile(&policy, &keyset).unwrap();
        assert_eq!(DataFormat::from_path(&input, b','), DataFormat::Parquet);
        let report = plan.protect_file(&input, &output, DataFormat::Parquet).unwrap();
        assert_eq!(report.rows, 2600);
        let column = |n: &str| report.columns.iter().find(|c| c.name == n).unwrap().clone();
        assert_eq!(column("mobile").absent, (0..2600).filter(|i| i % 7 == 3).count() as u64);
        assert_eq!(column("name").absent, (0..2600).filter(|i| i % 13 == 6).count() as u64);
        assert_eq!(column("record_id").absent, 0);

        let (names, out) = read_parquet(&output);
        assert_eq!(names, ["record_id", "name", "score", "mobile", "sex", "age"]);
        // Kept columns are the input's arrays: type, nulls and values.
        assert_eq!(out[0].data_type(), arrays[0].data_type());
        assert_eq!(out[0].as_ref(), arrays[0].as_ref());
        assert_eq!(out[2].data_type(), &arrow_schema::DataType::Float64);
        assert_eq!(out[2].as_ref(), arrays[2].as_ref());
        // Encrypted names decrypt beside their record id's text; nulls stay null.
        let cipher = RandomizedCipher::new(&keyset, &policy.dataset, "name").unwrap();
        let ids = arrays[0].as_any().downcast_ref::<Int64Array>().unwrap();
        let (name_in, name_out) = (strings(&arrays[1]), strings(&out[1]));
        let mobiles = Masker::new(Rule::from_json(r#"{"rule":"mobile"}"#).unwrap()).unwrap();
        let (mobile_in, mobile_out) = (strings(&arrays[3]), strings(&out[3]));
        for i in 0..2600 {
            assert_eq!(name_out.is_null(i), i % 13 == 6);
            if name_in.is_valid(i) {
                let id = ids.value(i).to_string();
                let plain = cipher.decrypt_text(Some(id.as_bytes()), name_out.value(i)).unwrap();
                assert_eq!(plain, name_in.value(i).as_bytes());
            }
            assert_eq!(mobile_out.is_null(i), i % 7 == 3);
            if mobile_in.is_valid(i) {
                assert_eq!(mobile_out.value(i), mobiles.apply(mobile_in.value(i)).unwrap());
            }
        }
        // A name moved to another record does not decrypt.
        assert!(cipher.decrypt_text(Some(b"1"), name_out.value(1)).is_err());

        // The generalized columns are what the CSV path releases on the same data.
        let (twin_csv, csv_out) = (d.join("twin.csv"), d.join("twin-protected.csv"));
        std::fs::write(&twin_csv, twin).unwrap();
        let csv_report = plan.protect_csv_file(&twin_csv, &csv_out, b',').unwrap();
        let (a, b) = (report.anonymization.unwrap().quality, csv_report.anonymization.unwrap().quality);
        assert_eq!((a.suppressed, a.classes, a.min_class_size), (b.suppressed, b.classes, b.min_class_size));
        let (_, expected) = read(&csv_out);
        for (c, q) in [(4, "sex"), (5, "age")] {
            assert_eq!(out[c].data_type(), &arrow_schema::DataType::Utf8);
            let got = strings(&out[c]);
            for (i, e) in expected.iter().enumerate() {
                assert_eq!(got.value(i), e[q], "{q} row {i}");
            }
        }
        assert!(expected.iter().all(|e| e["age"].starts_with('[') || e["age"] == "*"), "ages generalized");

        // Revealing decrypts the names (a text column); the rest is as received.
        let revealed = d.join("revealed.parquet");
        let report = plan.reveal_file(&output, &revealed, DataFormat::Parquet).unwrap();
        assert_eq!(report.rows, 2600);
        let (_, back) = read_parquet(&revealed);
        assert_eq!(back[1].as_ref(), arrays[1].as_ref());
        assert_eq!(back[0].as_ref(), arrays[0].as_ref());
        assert_eq!(back[3].as_ref(), out[3].as_ref());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_corrupt_parquet_file_is_an_error_and_leaves_no_output() {
        let d = dir("parquet-bad");
        let input = d.join("citizens.parquet");
        let (mut arrays, _) = citizens(&input, 9000);
        let good = std::fs::read(&input).unwrap();
        let plan = Plan::compile(&Policy::parse(POLICY, Format::Toml).unwrap(), &Keyset::generate(Suite::Aes).unwrap())
            .unwrap();
        let output = d.join("out.parquet");
        let mut noise = vec![0u8; 5000];
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for b in &mut noise {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        // Damaged data pages under an intact footer: the first data page's bytes overwritten.
        let mut damaged = good.clone();
        damaged[4..2004].copy_from_slice(&noise[..2000]);
        for bytes in [&good[..good.len() / 2], &noise[..], b"PAR1".as_slice(), &[][..]] {
            std::fs::write(&input, bytes).unwrap();
            let e = plan.protect_file(&input, &output, DataFormat::Parquet).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
            assert!(e.message().contains("not a readable Parquet file"), "{e}");
            assert!(!output.exists());
        }
        // The footer reads, the data does not: the error names the batch's first row.
        std::fs::write(&input, &damaged).unwrap();
        let e = plan.protect_file(&input, &output, DataFormat::Parquet).unwrap_err();
        assert_eq!((e.kind(), e.position().row), (ErrorKind::InvalidInput, Some(0)), "{e}");
        assert!(!output.exists());
        // A value the mask cannot take, in the third batch: its row and column, never the value.
        let mut mobiles: Vec<Option<String>> = strings(&arrays[3]).iter().map(|m| m.map(String::from)).collect();
        mobiles[8500] = Some("hidden".into());
        arrays[3] = Arc::new(StringArray::from(mobiles));
        write_parquet(&input, &arrays);
        let e = plan.protect_file(&input, &output, DataFormat::Parquet).unwrap_err();
        assert_eq!((e.position().row, e.position().column.as_deref()), (Some(8500), Some("mobile")), "{e}");
        assert!(!e.to_string().contains("hidden"), "{e}");
        assert!(!output.exists());
        // A nested column: refused, naming it, whatever the policy does with it.
        let tags = arrow_array::ListArray::from_iter_primitive::<arrow_array::types::Int32Type, _, _>(vec![
            Some(vec![Some(1)]),
            None,
        ]);
        let batch = RecordBatch::try_from_iter([("tags", Arc::new(tags) as ArrayRef)]).unwrap();
        let mut w = ArrowWriter::try_new(std::fs::File::create(&input).unwrap(), batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        let e = plan.protect_file(&input, &output, DataFormat::Parquet).unwrap_err();
        assert_eq!(e.position().column.as_deref(), Some("tags"), "{e}");
        assert!(e.message().contains("only flat columns"), "{e}");
        // A column the policy does not name (no default = "drop"): refused before any output.
        let strict = POLICY.replace("default = \"drop\"\n", "");
        let plan =
            Plan::compile(&Policy::parse(&strict, Format::Toml).unwrap(), &Keyset::generate(Suite::Aes).unwrap())
                .unwrap();
        std::fs::write(&input, &good).unwrap();
        let e = plan.protect_file(&input, &output, DataFormat::Parquet).unwrap_err();
        assert!(e.message().contains("`note`"), "{e}");
        assert!(!output.exists());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_parquet_package_opens_as_parquet() {
        use privshare::envelope::{
            KemAlgorithm, Opener, RecipientKey, ReplayStore, SignatureAlgorithm, SigningKey, TrustRegistry,
        };
        use privshare::policy::{open_package_file, PACKAGE_CONTENT_TYPE_PARQUET};
        let d = dir("parquet-share");
        let (input, package, opened) = (d.join("citizens.parquet"), d.join("package.pse"), d.join("opened.parquet"));
        let (arrays, _) = citizens(&input, 400);
        let keyset = Keyset::generate(Suite::Aes).unwrap();
        let policy = Policy::parse(POLICY, Format::Toml).unwrap();
        let plan = Plan::compile(&policy, &keyset).unwrap();
        let signer = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
        let stats = RecipientKey::generate(KemAlgorithm::HpkeX25519).unwrap();
        let stats_id = policy.recipients[0].clone();
        let keys = [(stats_id.clone(), stats.public_key().clone())];
        let shared =
            plan.share_file(&input, &package, DataFormat::Parquet, &signer, &keys, &Default::default()).unwrap();
        assert_eq!(shared.sealed.header.content_type, PACKAGE_CONTENT_TYPE_PARQUET);
        let mut registry = TrustRegistry::new();
        registry.add(policy.sender.clone().unwrap(), signer.verifying_key().clone(), 0, None).unwrap();
        let replay = ReplayStore::in_memory();
        let got = open_package_file(&Opener::new(&registry, &stats_id, &stats, &replay), &package, &opened).unwrap();
        assert_eq!(got.format, DataFormat::Parquet);
        let (names, columns) = read_parquet(&opened);
        assert_eq!(names[0], "record_id");
        assert_eq!(columns[0].as_ref(), arrays[0].as_ref());
        std::fs::remove_dir_all(&d).unwrap();
    }
}
