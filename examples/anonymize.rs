//! Whole-process anonymization: load a CSV and ARX hierarchies, run, print a report, write output.
//!
//! ```text
//! cargo run --release --example anonymize -- \
//!   --data ../shared/data/adult/adult.csv --hierarchies '../shared/data/adult/adult_hierarchy_{}.csv' \
//!   --qi age,education,marital-status,native-country,race,salary-class,sex,workclass \
//!   --k 5 --suppression 0 --metric entropy --out /tmp/adult_anon.csv --json /tmp/adult_report.json
//! ```
//! Options: `--delimiter ';'`, `--drop id,name` (identifying columns to drop), `--sensitive col`, `--l N` (distinct l-diversity of the sensitive
//! column), `--t X` (equal-distance t-closeness), `--metric loss|loss-arith|entropy|entropy-monotonic|dm|dm-monotonic|aecs|precision`,
//! `--mondrian`, `--two-pass` (read the file twice instead of loading it: memory grows with the
//! distinct combinations, not the rows; needs `--out`).
//!
//! Scale check: `--synth ROWS --synth-dir DIR` writes a seeded synthetic citizen table
//! (`DIR/citizens.csv`, 6 quasi-identifiers: age, sex, region, admitted, education, marital) and
//! its hierarchies (`DIR/citizens_hierarchy_<column>.csv`), then exits.

use std::time::Instant;

use privshare::anon::{
    anonymize_csv_file_timed, Aggregate, Anonymizer, AttributeType, Config, GroundDistance, Hierarchy, Metric,
    PrivacyModel, Table,
};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let has = |name: &str| args.iter().any(|a| a == name);
    if let Some(rows) = get("--synth") {
        let dir = get("--synth-dir").ok_or("--synth-dir is required with --synth")?;
        return synth(rows.parse()?, std::path::Path::new(&dir));
    }
    let t0 = Instant::now();
    let data = get("--data").ok_or("--data is required")?;
    let delim = get("--delimiter").map_or(b';', |d| d.as_bytes()[0]);
    let pattern = get("--hierarchies").ok_or("--hierarchies is required (a path with {} for the column)")?;
    let qis = get("--qi").ok_or("--qi is required")?;
    // Identifying columns to drop are never loaded.
    let dropped: Vec<String> = get("--drop").map_or(Vec::new(), |d| d.split(',').map(String::from).collect());
    let mut config = Config::new();
    for q in qis.split(',') {
        let h = Hierarchy::from_csv_file(pattern.replace("{}", q), delim).map_err(|e| e.at_column(q))?;
        config = config.quasi_identifier(q, h);
    }
    config = config.model(PrivacyModel::KAnonymity { k: get("--k").map_or(Ok(5), |k| k.parse())? });
    if let Some(s) = get("--sensitive") {
        config = config.sensitive(&s);
        if let Some(l) = get("--l") {
            config = config.model(PrivacyModel::DistinctL { attribute: s.clone(), l: l.parse()? });
        }
        if let Some(t) = get("--t") {
            config =
                config.model(PrivacyModel::TCloseness { attribute: s, t: t.parse()?, distance: GroundDistance::Equal });
        }
    }
    config = config.suppression_limit(get("--suppression").map_or(Ok(0.0), |s| s.parse())?);
    config = config.metric(match get("--metric").as_deref().unwrap_or("loss") {
        "loss" => Metric::Loss { aggregate: Aggregate::Geometric },
        "loss-arith" => Metric::Loss { aggregate: Aggregate::Arithmetic },
        "entropy" => Metric::Entropy,
        "entropy-monotonic" => Metric::EntropyMonotonic,
        "dm" => Metric::Discernibility,
        "dm-monotonic" => Metric::DiscernibilityMonotonic,
        "aecs" => Metric::Aecs,
        "precision" => Metric::Precision,
        _ => return Err("unknown metric".into()),
    });
    if has("--two-pass") {
        for d in &dropped {
            config = config.attribute(d, AttributeType::Identifying);
        }
        let out = get("--out").ok_or("--two-pass writes its output: --out is required")?;
        let (report, times) = anonymize_csv_file_timed(&data, out, delim, &config.drop_identifying(true))?;
        print!("{}", report.summary());
        if let Some(json) = get("--json") {
            std::fs::write(json, report.to_json())?;
        }
        let rate = |d: std::time::Duration| report.records as f64 / d.as_secs_f64() / 1e6;
        eprintln!(
            "pass 1 {:.1} ms ({:.2}M rows/s), encode and search {:.1} ms, pass 2 {:.1} ms ({:.2}M rows/s), total {:.1} ms",
            times.count.as_secs_f64() * 1e3,
            rate(times.count),
            times.search.as_secs_f64() * 1e3,
            times.release.as_secs_f64() * 1e3,
            rate(times.release),
            t0.elapsed().as_secs_f64() * 1e3
        );
        return Ok(());
    }
    let file = std::io::BufReader::new(std::fs::File::open(&data)?);
    let table = Table::from_csv_selected(file, delim, |c| !dropped.iter().any(|d| d == c))?;
    let loaded = t0.elapsed();
    let anonymizer = Anonymizer::new(&table, &config)?;
    let result = if has("--mondrian") { anonymizer.mondrian()? } else { anonymizer.optimal()? };
    print!("{}", result.report.summary());
    if let Some(out) = get("--out") {
        result.table.write_csv(std::io::BufWriter::new(std::fs::File::create(out)?), delim)?;
    }
    if let Some(json) = get("--json") {
        std::fs::write(json, result.report.to_json())?;
    }
    eprintln!("load {:.1} ms, total {:.1} ms", loaded.as_secs_f64() * 1e3, t0.elapsed().as_secs_f64() * 1e3);
    Ok(())
}

/// A seeded synthetic citizen table for the scale figures (not realistic, only shaped like one).
fn synth(rows: usize, dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    use std::io::Write;
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let education = ["none", "primary", "junior", "senior", "vocational", "bachelor", "master", "doctor"];
    let marital = ["single", "married", "divorced", "widowed"];
    let regions: Vec<String> =
        (0..300).map(|i| format!("{}{:02}{:02}", 11 + i % 30, 1 + (i / 30) % 10, 1 + i % 7)).collect();
    let days: Vec<String> =
        (0..730).map(|d| format!("{}-{:02}-{:02}", 2023 + d / 365, 1 + (d % 365) / 31 % 12, 1 + d % 28)).collect();
    std::fs::create_dir_all(dir)?;
    let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("citizens.csv"))?);
    writeln!(w, "id;age;sex;region;admitted;education;marital;diagnosis")?;
    for i in 0..rows {
        let age = (next(60) + next(40)).min(99);
        writeln!(
            w,
            "{i};{age};{};{};{};{};{};D{}",
            ["F", "M"][next(2) as usize],
            regions[(next(300) * next(300) / 300) as usize],
            days[next(730) as usize],
            education[next(8) as usize],
            marital[next(4) as usize],
            next(40)
        )?;
    }
    w.flush()?;
    let write =
        |name: &str, h: Hierarchy| std::fs::write(dir.join(format!("citizens_hierarchy_{name}.csv")), h.to_csv(';'));
    let ages: Vec<String> = (0..100).map(|a| a.to_string()).collect();
    write("age", Hierarchy::intervals(&ages, 0.0, &[5.0, 10.0, 20.0])?)?;
    write("sex", Hierarchy::flat(&["F", "M"])?)?;
    write("region", Hierarchy::redaction(&regions, &[4, 2])?)?;
    write("admitted", Hierarchy::dates(&days)?)?;
    write("education", Hierarchy::ordered_groups(&education, &[2, 2])?)?;
    write("marital", Hierarchy::flat(&marital)?)?;
    Ok(())
}
