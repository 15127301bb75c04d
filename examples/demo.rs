//! The privshare demo: encrypt the sensitive columns of a few synthetic citizen records with a
//! fresh keyset, under the AES suite and under the Chinese SM suite, show them before and after,
//! decrypt everything back and check it; then find the PII columns of a larger synthetic table and
//! mask them for display, and anonymize its quasi-identifiers to 5-anonymity with a report.
//!
//! ```text
//! cargo run --release --example demo
//! ```
//! Exits with status 1 if any value fails to round-trip, an encrypted identifier is not valid, a
//! masked value shows the original, or the anonymized table has a class smaller than k.

use privshare::anon::{spec, Table};
use privshare::fle::{
    BankCardCipher, DateRange, DeterministicCipher, Encoding, MobileCipher, RandomizedCipher, ResidentIdCipher,
    Tokenizer,
};
use privshare::ids::{luhn, mobile, resident_id};
use privshare::mask::scan::{scan_columns, ScanOptions};
use privshare::mask::Masker;
use privshare::synth::{self, Columns};
use privshare::{Column, Values};
use privshare::{ErrorKind, Keyset, Suite};
use std::process::ExitCode;

/// Rows of demo data, and its fixed seed (the demo shows the same people every run).
const ROWS: usize = 8;
const SEED: u64 = 2026;
/// Rows printed in the tables.
const SHOWN: usize = 5;
/// The dataset name every value is bound to (part of each ciphertext's context).
const DATASET: &str = "health-records-2026";
/// Linkage tokens for this purpose match only tokens made for the same purpose.
const PURPOSE: &str = "health-social-linkage";
/// Rows of the table the masking and anonymization parts use.
const TABLE_ROWS: usize = 20_000;
/// The anonymity the demo asks for.
const K: usize = 5;

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("demo failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The plaintext columns the demo protects.
struct Input<'a> {
    record_ids: &'a [String],
    names: &'a [String],
    ids: &'a [String],
    mobiles: &'a [String],
    cards: &'a [String],
    diagnoses: &'a [String],
}

fn run() -> privshare::Result<bool> {
    let data = Columns::generate(SEED, ROWS);
    let col = |name| data.get(name).expect("a synth column");
    let input = Input {
        record_ids: col("record_id"),
        names: col("name"),
        ids: col("id_number"),
        mobiles: col("mobile"),
        cards: col("bank_card"),
        diagnoses: col("diagnosis"),
    };

    println!("privshare demo: field-level encryption of {ROWS} synthetic citizen records (seed {SEED})\n");
    println!("Before: plaintext (first {SHOWN} rows)");
    let before: Vec<Vec<String>> = (0..SHOWN)
        .map(|i| {
            let row = [input.record_ids, input.names, input.ids, input.mobiles, input.cards, input.diagnoses];
            row.iter().map(|c| c[i].clone()).collect()
        })
        .collect();
    print_table(&["record_id", "name", "id_number", "mobile", "bank_card", "diagnosis"], &before);

    let mut ok = true;
    for (suite, label) in [
        (Suite::Aes, "AES (AES-256-GCM, AES-SIV, FF1 over AES, HMAC-SHA-256)"),
        (Suite::Sm, "SM, the Chinese national algorithms (SM4-GCM, SM4-SIV, FF1 over SM4, HMAC-SM3)"),
    ] {
        println!("\nSuite {label}");
        ok &= demo_suite(suite, &input)?;
    }
    ok &= demo_masking()?;
    ok &= demo_anonymization()?;
    println!();
    if ok {
        println!("OK: every value of both suites decrypted back to the original, and every encrypted");
        println!("    ID, mobile number and bank card is itself valid (check digits, prefixes, dates);");
        println!("    no masked value shows its original; every released class has at least {K} records.");
    } else {
        println!("FAILED: see the mismatches above.");
    }
    Ok(ok)
}

fn demo_suite(suite: Suite, input: &Input<'_>) -> privshare::Result<bool> {
    let keyset = Keyset::generate(suite)?;
    // One cipher per column, built once (keys derived once) and reusable across threads.
    let name_cipher = RandomizedCipher::new(&keyset, DATASET, "name")?;
    // Encrypted IDs get birth dates in the same range as the data, so they stay plausible.
    let births = DateRange { start: synth::EARLIEST_BIRTH_DATE, end: synth::LATEST_BIRTH_DATE };
    let id_cipher = ResidentIdCipher::new(&keyset, DATASET, "id_number", births)?;
    let tokenizer = Tokenizer::new(&keyset, PURPOSE)?;
    let mobile_cipher = MobileCipher::new(&keyset, DATASET, "mobile")?;
    let card_cipher = BankCardCipher::new(&keyset, DATASET, "bank_card")?;
    let diagnosis_cipher = DeterministicCipher::new(&keyset, DATASET, "diagnosis")?;

    // Whole columns at a time. Names are bound to their record: a name ciphertext copied into
    // another record does not decrypt.
    let records = input.record_ids.to_vec();
    let enc_names = name_cipher.encrypt_column(input.names, Some(&records), Encoding::Text)?;
    let enc_ids = id_cipher.encrypt_column(input.ids)?;
    let tokens = tokenizer.token_column(input.ids)?;
    let enc_mobiles = mobile_cipher.encrypt_column(input.mobiles)?;
    let enc_cards = card_cipher.encrypt_column(input.cards)?;
    let enc_diagnoses = diagnosis_cipher.encrypt_column(input.diagnoses, Encoding::Text)?;

    println!("After: encrypted under key version {} (first {SHOWN} rows)", keyset.primary_id());
    let rows: Vec<Vec<String>> = (0..SHOWN)
        .map(|i| {
            vec![
                input.record_ids[i].clone(),
                shorten(text(&enc_names, i), 12, 6),
                text(&enc_ids, i).to_string(),
                shorten(text(&tokens, i), 10, 6),
                text(&enc_mobiles, i).to_string(),
                text(&enc_cards, i).to_string(),
                shorten(text(&enc_diagnoses, i), 12, 6),
            ]
        })
        .collect();
    print_table(
        &[
            "record_id",
            "name (randomized)",
            "id_number (FPE)",
            "linkage token",
            "mobile (FPE)",
            "bank_card (FPE)",
            "diagnosis (det.)",
        ],
        &rows,
    );

    // Decrypt every column back. An output column is handed back in as a packed view of its
    // one buffer (no copy per value).
    let dec_names = name_cipher.decrypt_column(&enc_names, Some(&records), Encoding::Text)?;
    let dec_ids = id_cipher.decrypt_column(&enc_ids)?;
    let dec_mobiles = mobile_cipher.decrypt_column(&enc_mobiles)?;
    let dec_cards = card_cipher.decrypt_column(&enc_cards)?;
    let dec_diagnoses = diagnosis_cipher.decrypt_column(&enc_diagnoses, Encoding::Text)?;

    let mut problems = Vec::new();
    for (what, original, decrypted) in [
        ("name", input.names, &dec_names),
        ("id_number", input.ids, &dec_ids),
        ("mobile", input.mobiles, &dec_mobiles),
        ("bank_card", input.cards, &dec_cards),
        ("diagnosis", input.diagnoses, &dec_diagnoses),
    ] {
        for (i, value) in original.iter().enumerate() {
            if decrypted.get(i) != Some(value.as_bytes()) {
                problems.push(format!("{what} of row {i} did not decrypt to the original"));
            }
        }
    }
    for i in 0..input.ids.len() {
        // Format-preserving outputs must still pass the validators downstream systems run.
        if !resident_id::is_valid(text(&enc_ids, i)) {
            problems.push(format!("encrypted id_number of row {i} is not a valid resident ID"));
        }
        if !mobile::is_valid(text(&enc_mobiles, i)) {
            problems.push(format!("encrypted mobile of row {i} is not a valid mobile number"));
        }
        if !luhn::is_valid(text(&enc_cards, i)) {
            problems.push(format!("encrypted bank_card of row {i} fails the Luhn check"));
        }
        // Deterministic encryption and tokens exist for joins: equal inputs, equal outputs.
        for j in 0..i {
            let same_input = input.diagnoses[i] == input.diagnoses[j];
            if same_input != (enc_diagnoses.get(i) == enc_diagnoses.get(j)) {
                problems.push(format!("diagnosis ciphertexts of rows {j} and {i} break equality"));
            }
        }
    }
    if tokenizer.token_column(input.ids)? != tokens {
        problems.push("linkage tokens are not stable".to_string());
    }

    // Show one join: two records with the same diagnosis have the same ciphertext.
    let n = input.diagnoses.len();
    if let Some((j, i)) =
        (0..n).flat_map(|i| (0..i).map(move |j| (j, i))).find(|&(j, i)| input.diagnoses[j] == input.diagnoses[i])
    {
        println!(
            "Join: {} and {} both have diagnosis {}; both encrypt to {}",
            input.record_ids[j],
            input.record_ids[i],
            input.diagnoses[i],
            shorten(text(&enc_diagnoses, i), 12, 6)
        );
    }
    // A ciphertext moved to another record must not decrypt: names are bound to their record.
    let moved = name_cipher.decrypt_text(Some(input.record_ids[1].as_bytes()), text(&enc_names, 0));
    match moved {
        Err(e) if e.kind() == ErrorKind::AuthenticationFailed => println!(
            "Tamper: the name ciphertext of {} pasted into {} is rejected ({})",
            input.record_ids[0],
            input.record_ids[1],
            e.kind()
        ),
        _ => problems.push("a name ciphertext decrypted in another record".to_string()),
    }
    // Tokens made for another purpose cannot be linked with these.
    let other = Tokenizer::new(&keyset, "tax-audit")?.token_column(input.ids)?;
    if other.iter().zip(tokens.iter()).any(|(a, b)| a == b) {
        problems.push("tokens of two purposes coincide".to_string());
    }

    for p in &problems {
        println!("MISMATCH: {p}");
    }
    if problems.is_empty() {
        println!(
            "Decrypted {} rows x 5 columns: all equal to the originals; FPE outputs valid; joins preserved. OK",
            input.ids.len()
        );
    }
    Ok(problems.is_empty())
}

/// Value `i` of a column as text (every column here is text; the empty string is never a valid
/// output, so it shows up as a mismatch rather than a panic).
/// Finds which columns hold PII (from the values, not the names) and masks them with the rule the
/// scan suggests.
fn demo_masking() -> privshare::Result<bool> {
    let data = Columns::generate(SEED, TABLE_ROWS);
    let names: Vec<&str> = synth::COLUMNS.to_vec();
    let columns: Vec<Vec<String>> = names.iter().map(|n| data.get(n).expect("a synth column").to_vec()).collect();
    let values: Vec<&dyn Values> = columns.iter().map(|c| c as &dyn Values).collect();
    let report = scan_columns(&names, &values, &ScanOptions::default())?;
    println!("\nMasking: PII found in {TABLE_ROWS} synthetic rows by validating the values (column names unused)");
    let found: Vec<_> = report.columns.iter().filter(|c| c.detected.is_some() && c.suggested_rule.is_some()).collect();
    for c in &found {
        let pii = c.detected.expect("filtered");
        println!("  {:<14} {:<28} {:>5.1} % valid", c.name, pii.to_string(), 100.0 * c.valid_share);
    }
    let mut ok = true;
    let mut rows = vec![Vec::new(); SHOWN];
    let mut headers = Vec::new();
    for c in &found {
        let masker = Masker::new(c.suggested_rule.clone().expect("filtered"))?;
        headers.push(c.name.as_str());
        for (i, row) in rows.iter_mut().enumerate() {
            let original = &columns[c.index][i];
            let masked = masker.apply(original)?;
            if masked == *original {
                println!("  MISMATCH: {} row {i} was not masked", c.name);
                ok = false;
            }
            row.push(masked);
        }
    }
    println!("Masked for display with each suggested rule (first {SHOWN} rows)");
    print_table(&headers, &rows);
    Ok(ok)
}

/// Generalizes age, sex and region code until every combination is shared by at least `K` people.
fn demo_anonymization() -> privshare::Result<bool> {
    let data = Columns::generate(SEED, TABLE_ROWS);
    let keep = ["age", "sex", "region_code", "diagnosis"];
    let table =
        Table::from_columns(keep.iter().map(|n| (n.to_string(), data.get(n).expect("a column").to_vec())).collect())?;
    let config = spec::ConfigSpec::from_json(&format!(
        r#"{{"attributes": [
            {{"name": "age", "role": "quasi_identifying", "hierarchy": {{"type": "intervals", "origin": 0, "widths": [5, 10, 20]}}}},
            {{"name": "sex", "role": "quasi_identifying"}},
            {{"name": "region_code", "role": "quasi_identifying", "hierarchy": {{"type": "redaction", "keep": [4, 2]}}}},
            {{"name": "diagnosis", "role": "sensitive"}}],
          "models": [{{"model": "k_anonymity", "k": {K}}}], "suppression_limit": 0.02}}"#
    ))?;
    let result = spec::anonymize_table(&table, &config)?;
    let r = &result.report;
    println!("\nAnonymization: {TABLE_ROWS} rows, quasi-identifiers age, sex, region code; {K}-anonymity, at most 2 % suppressed");
    let levels: Vec<String> =
        r.quality.attributes.iter().map(|a| format!("{} level {}", a.attribute, a.level.unwrap_or(0))).collect();
    println!(
        "  chosen: {}; {} records suppressed; loss {:.3}",
        levels.join(", "),
        r.quality.suppressed,
        r.quality.loss
    );
    println!(
        "  re-identification risk: highest {:.2} -> {:.2}, average {:.3} -> {:.3}; {} classes, smallest {}",
        r.risk_before.highest,
        r.risk_after.highest,
        r.risk_before.average,
        r.risk_after.average,
        r.quality.classes,
        r.quality.min_class_size
    );
    let out = &result.table;
    let shown: Vec<Vec<String>> =
        (0..SHOWN).map(|i| keep.iter().map(|n| out.column(n).expect("kept").value(i).to_string()).collect()).collect();
    print_table(&keep, &shown);
    // Recount the released classes from the output's text, independently of the report.
    let mut classes: std::collections::HashMap<Vec<&str>, usize> = std::collections::HashMap::new();
    for i in 0..out.rows() {
        let key: Vec<&str> = keep[..3].iter().map(|n| out.column(n).expect("kept").value(i)).collect();
        if key.iter().any(|v| *v != "*") {
            *classes.entry(key).or_default() += 1;
        }
    }
    let ok = classes.values().all(|&n| n >= K);
    if !ok {
        println!("  MISMATCH: a released class has fewer than {K} records");
    }
    Ok(ok)
}

fn text(column: &Column, i: usize) -> &str {
    column.get_str(i).unwrap_or("")
}

/// `s` cut to its first `head` and last `tail` characters around an ellipsis, if longer. The
/// head of a ciphertext or token shows its prefix and key id (the same in every row), the tail
/// shows that the values differ.
fn shorten(s: &str, head: usize, tail: usize) -> String {
    let n = s.chars().count();
    if n <= head + tail + 1 {
        return s.to_string();
    }
    let mut out: String = s.chars().take(head).collect();
    out.push('…');
    out.extend(s.chars().skip(n - tail));
    out
}

/// Terminal columns a string occupies: CJK and full-width characters take two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF => 2,
            0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 => 2,
            0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// Prints a table with columns aligned by display width.
fn print_table(headers: &[&str], rows: &[Vec<String>]) {
    let widths: Vec<usize> = (0..headers.len())
        .map(|c| rows.iter().map(|r| display_width(&r[c])).chain([display_width(headers[c])]).max().unwrap_or(0))
        .collect();
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let parts: Vec<String> =
            cells.zip(&widths).map(|(cell, w)| format!("{cell}{}", " ".repeat(w - display_width(cell)))).collect();
        println!("  {}", parts.join("  ").trim_end());
    };
    line(&mut headers.iter().copied());
    println!("  {}", widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  "));
    for r in rows {
        line(&mut r.iter().map(String::as_str));
    }
}
