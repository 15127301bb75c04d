//! `privshare demo`: two departments share synthetic citizen records under a policy, in a
//! temporary folder, with every step printed and checked.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use privshare::envelope::{KemAlgorithm, Opener, ParticipantId, RecipientKey, ReplayStore, SigningKey, TrustRegistry};
use privshare::fle::{DateRange, ResidentIdCipher};
use privshare::policy::{open_package_file, Format, Plan, Policy};
use privshare::synth::{EARLIEST_BIRTH_DATE, LATEST_BIRTH_DATE};
use privshare::{ErrorKind, Keyset};

use crate::keys::{unix_now, SigningArg, SuiteArg};
use crate::{files, Failure};

#[derive(Args)]
pub struct DemoArgs {
    /// Folder for the demo's files, kept afterwards (default: a temporary folder, removed).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Rows of synthetic citizen data.
    #[arg(long, default_value_t = 20_000)]
    rows: u64,
    /// Algorithm suite: `sm` (SM2, SM3, SM4) or `aes` (Ed25519, X25519, AES, SHA-256).
    #[arg(long, value_enum, default_value = "sm")]
    suite: SuiteArg,
}

const SENDER: &str = "CN/GOV/hrss/benefits";
const RECIPIENT: &str = "CN/GOV/stats/census";
/// The passphrase of the demo's keyset (a real one comes from the environment or a file).
const DEMO_PASSPHRASE: &[u8] = b"demo passphrase: not for real keys";
/// Columns shown before and after.
const SHOWN: [&str; 8] = ["record_id", "name", "sex", "age", "id_number", "mobile", "province", "diagnosis"];

fn policy_text(suite: &str, key_version: u32) -> String {
    let date = |(y, m, d): (u16, u8, u8)| format!("{y:04}-{m:02}-{d:02}");
    format!(
        r#"# Benefits office -> statistics bureau: what leaves, and in what form.
policy = "benefits-to-census"
version = 1
dataset = "citizens-2026"
sender = "{SENDER}"
recipients = ["{RECIPIENT}"]
purpose = "population and health statistics"
legal_basis = "Statistics Law, art. 7 (demo)"
suite = "{suite}"

[columns]
record_id = {{ action = "keep" }}
name = {{ action = "encrypt", record = "record_id" }}
sex = {{ action = "generalize" }}
birth_date = {{ action = "drop" }}
age = {{ action = "generalize", hierarchy = {{ type = "intervals", origin = 0, widths = [5, 10, 20, 40] }} }}
id_number = {{ action = "fpe", kind = "resident_id", key_version = {key_version}, birth_dates = ["{}", "{}"] }}
mobile = {{ action = "mask", rule = "mobile" }}
bank_card = {{ action = "token", purpose = "fraud-linkage" }}
bank = {{ action = "keep" }}
province = {{ action = "generalize" }}
city = {{ action = "drop" }}
district = {{ action = "drop" }}
region_code = {{ action = "drop" }}
address = {{ action = "mask", rule = "address" }}
occupation = {{ action = "keep" }}
education = {{ action = "keep" }}
marital_status = {{ action = "keep" }}
diagnosis_code = {{ action = "drop" }}
diagnosis = {{ action = "encrypt_deterministic" }}
income = {{ action = "drop" }}

[anonymization]
models = [{{ model = "k_anonymity", k = 10 }}]
suppression_limit = 0.02
"#,
        date(EARLIEST_BIRTH_DATE),
        date(LATEST_BIRTH_DATE)
    )
}

pub fn run(a: &DemoArgs, json: bool) -> Result<(), Failure> {
    let started = Instant::now();
    let (dir, temporary) = match &a.dir {
        Some(d) => (d.clone(), false),
        None => (std::env::temp_dir().join(format!("privshare-demo-{}-{}", std::process::id(), unix_now())), true),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Failure::new(format!("{}: {e}", dir.display())))?;
    let result = demo(a, &dir, json);
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let ok = result?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if json {
        println!("{}", serde_json::json!({ "ok": ok, "ms": ms }));
    } else if ok {
        println!("\nOK in {ms:.0} ms: the package opened only for its recipient, once, unchanged; every check passed.");
    }
    if ok {
        Ok(())
    } else {
        Err(Failure::new("a demo check failed (see above)"))
    }
}

fn demo(a: &DemoArgs, dir: &Path, json: bool) -> Result<bool, Failure> {
    let say = |s: String| {
        if !json {
            println!("{s}");
        }
    };
    let (suite_name, signing, kem) = match a.suite {
        SuiteArg::Sm => ("sm", SigningArg::Sm2, KemAlgorithm::Sm2),
        SuiteArg::Aes => ("aes", SigningArg::Ed25519, KemAlgorithm::HpkeX25519),
    };
    let input = dir.join("citizens.csv");
    let file = std::fs::File::create(&input).map_err(|e| Failure::new(format!("{}: {e}", input.display())))?;
    privshare::synth::write_csv_parallel(2026, a.rows, 2, std::io::BufWriter::new(file))
        .map_err(|e| Failure::new(format!("{}: {e}", input.display())))?;
    say(format!("privshare demo, in {}\n", dir.display()));
    say(format!("1. The benefits office ({SENDER}) holds {} synthetic citizen records (citizens.csv):", a.rows));
    say(table(&input, 3)?);

    // Keys: the office's keyset and signing key; the bureau's recipient key; the bureau trusts the office.
    let keyset = Keyset::generate(a.suite.suite())?;
    let stored = keyset.to_json_with_passphrase(DEMO_PASSPHRASE)?;
    files::write_file(&dir.join("keyset.json"), stored.as_bytes(), true, true)?;
    let keyset = Keyset::from_json_with_passphrase(&stored, DEMO_PASSPHRASE)?;
    let signer = SigningKey::generate(signing.algorithm())?;
    let bureau_key = RecipientKey::generate(kem)?;
    let mut registry = TrustRegistry::new();
    let sender: ParticipantId = SENDER.parse()?;
    let bureau: ParticipantId = RECIPIENT.parse()?;
    registry.add(sender, signer.verifying_key().clone(), 0, None)?;
    say(format!(
        "\n2. Keys: a keyset ({suite_name} suite, key version {}), the office's {} signing key, \
         the bureau's {} recipient key; the bureau's registry trusts the office's key.",
        keyset.primary_id(),
        signer.algorithm().name(),
        bureau_key.algorithm().name()
    ));

    let text = policy_text(suite_name, keyset.primary_id());
    files::write_file(&dir.join("policy.toml"), text.as_bytes(), false, true)?;
    let policy = Policy::parse(&text, Format::Toml)?;
    say("\n3. The policy (policy.toml) gives every column an action:".to_string());
    say(text.lines().filter(|l| l.contains("action")).map(|l| format!("   {l}")).collect::<Vec<_>>().join("\n"));

    let plan = Plan::compile(&policy, &keyset)?;
    let package = dir.join("package.pse");
    let t = Instant::now();
    let shared = plan.share_csv_file(
        &input,
        &package,
        b',',
        &signer,
        &[(bureau.clone(), bureau_key.public_key().clone())],
        &Default::default(),
    )?;
    say(format!(
        "\n4. `privshare share`: protected and sealed for the bureau in {:.0} ms ({} bytes).",
        t.elapsed().as_secs_f64() * 1000.0,
        shared.sealed.envelope_len
    ));
    say(indent(&shared.report.summary()));

    let opened_path = dir.join("opened.csv");
    let replay = ReplayStore::open(dir.join("bureau.replay"))?;
    let opener = Opener::new(&registry, &bureau, &bureau_key, &replay);
    let t = Instant::now();
    let opened = open_package_file(&opener, &package, &opened_path)?;
    say(format!(
        "5. `privshare open` at the bureau: sender, signature, validity, recipient, replay and every chunk \
         verified in {:.0} ms; what it received (opened.csv):",
        t.elapsed().as_secs_f64() * 1000.0
    ));
    say(table(&opened_path, 3)?);

    // The checks.
    let mut ok = true;
    let mut check = |what: &str, passed: bool| {
        say(format!("   [{}] {what}", if passed { "ok" } else { "FAILED" }));
        ok &= passed;
    };
    say("\n6. Checks:".to_string());
    let report: serde_json::Value = serde_json::from_str(&opened.report_json).unwrap_or_default();
    check("the report inside the package is the one the office made", report["rows"] == a.rows);
    let models = &shared.report.anonymization.as_ref().map(|r| r.models.iter().all(|m| m.holds));
    check("10-anonymity holds on sex, age band and province", *models == Some(true));
    let again = open_package_file(&opener, &package, dir.join("again.csv"));
    check("opening the same package again is refused as a replay", again.is_err_and(|e| e.kind() == ErrorKind::Replay));
    let stranger = RecipientKey::generate(kem)?;
    let other = ReplayStore::in_memory();
    let e = open_package_file(&Opener::new(&registry, &bureau, &stranger, &other), &package, dir.join("x.csv"));
    check("another department's key cannot open it", e.is_err_and(|e| e.kind() == ErrorKind::NotRecipient));
    let mut bytes = std::fs::read(&package).map_err(|e| Failure::new(e.to_string()))?;
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    let tampered = dir.join("tampered.pse");
    files::write_file(&tampered, &bytes, false, true)?;
    let e = open_package_file(&Opener::new(&registry, &bureau, &bureau_key, &other), &tampered, dir.join("y.csv"));
    check("one flipped bit anywhere is detected", e.is_err_and(|e| e.kind() == ErrorKind::BadSignature));
    check("nothing was written for a refused package", !dir.join("x.csv").exists() && !dir.join("y.csv").exists());
    let (before, after) = (rows(&input, 1)?, rows(&opened_path, 1)?);
    let range = DateRange { start: EARLIEST_BIRTH_DATE, end: LATEST_BIRTH_DATE };
    let ids = ResidentIdCipher::new(&keyset, keyset.primary_id(), &policy.dataset, "id_number", range)?;
    let (id_before, id_after) = (&before[0][5], &after[0][column(&opened_path, "id_number")?]);
    check(
        "the encrypted ID is a valid ID, and the office's keyset decrypts it back",
        privshare::ids::resident_id::is_valid(id_after) && ids.decrypt(id_after).as_deref() == Ok(id_before.as_str()),
    );
    if !json {
        println!("\nThe same with the command line (keys in files, passphrase in PRIVSHARE_PASSPHRASE):");
        println!("   privshare keys new --suite {suite_name} -o keyset.json");
        println!(
            "   privshare keys signing --algorithm {} -o office",
            if suite_name == "sm" { "sm2" } else { "ed25519" }
        );
        println!(
            "   privshare keys recipient --algorithm {} -o bureau",
            if suite_name == "sm" { "sm2" } else { "x25519" }
        );
        println!("   privshare keys trust --registry registry.json --participant {SENDER} --key office.pub");
        println!("   privshare share --policy policy.toml --keyset keyset.json --sign office.key --to bureau.pub citizens.csv -o package.pse");
        println!("   privshare open package.pse --key bureau.key --trust registry.json -o opened.csv");
    }
    Ok(ok)
}

/// The first `n` data rows of a CSV file.
fn rows(path: &Path, n: usize) -> Result<Vec<Vec<String>>, Failure> {
    let mut r = csv::Reader::from_path(path).map_err(|e| Failure::new(format!("{}: {e}", path.display())))?;
    Ok(r.records().take(n).filter_map(|rec| rec.ok()).map(|rec| rec.iter().map(String::from).collect()).collect())
}

fn column(path: &Path, name: &str) -> Result<usize, Failure> {
    let mut r = csv::Reader::from_path(path).map_err(|e| Failure::new(format!("{}: {e}", path.display())))?;
    let headers = r.headers().map_err(|e| Failure::new(e.to_string()))?;
    headers.iter().position(|h| h == name).ok_or_else(|| Failure::new(format!("{}: no column {name}", path.display())))
}

/// The `SHOWN` columns of the first `n` rows, aligned, long values shortened.
fn table(path: &Path, n: usize) -> Result<String, Failure> {
    let at: Vec<usize> = SHOWN.iter().map(|c| column(path, c)).collect::<Result<_, _>>()?;
    let short = |v: &str| {
        let chars: Vec<char> = v.chars().collect();
        if chars.len() > 22 {
            format!(
                "{}…{}",
                chars[..12].iter().collect::<String>(),
                chars[chars.len() - 6..].iter().collect::<String>()
            )
        } else {
            v.to_string()
        }
    };
    let mut cells: Vec<Vec<String>> = vec![SHOWN.iter().map(|s| s.to_string()).collect()];
    cells.extend(rows(path, n)?.iter().map(|r| at.iter().map(|&i| short(&r[i])).collect()));
    let width = |j: usize| cells.iter().map(|r| r[j].chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..SHOWN.len()).map(width).collect();
    Ok(cells
        .iter()
        .map(|r| {
            let line: Vec<String> =
                r.iter().zip(&widths).map(|(c, &w)| format!("{c}{}", " ".repeat(w - c.chars().count()))).collect();
            format!("   {}", line.join("  ").trim_end())
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("   {l}")).collect::<Vec<_>>().join("\n")
}
