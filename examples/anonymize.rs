//! Whole-process anonymization: load a CSV and ARX hierarchies, run, print a report, write output.
//!
//! ```text
//! cargo run --release --example anonymize -- \
//!   --data ../shared/data/adult/adult.csv --hierarchies '../shared/data/adult/adult_hierarchy_{}.csv' \
//!   --qi age,education,marital-status,native-country,race,salary-class,sex,workclass \
//!   --k 5 --suppression 0 --metric entropy --out /tmp/adult_anon.csv --json /tmp/adult_report.json
//! ```
//! Options: `--delimiter ';'`, `--sensitive col`, `--l N` (distinct l-diversity of the sensitive
//! column), `--t X` (equal-distance t-closeness), `--metric loss|loss-arith|entropy|dm|aecs|precision`,
//! `--mondrian`.

use std::time::Instant;

use privshare::anon::{Aggregate, Anonymizer, Config, GroundDistance, Hierarchy, Metric, PrivacyModel, Table};

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
    let t0 = Instant::now();
    let data = get("--data").ok_or("--data is required")?;
    let delim = get("--delimiter").map_or(b';', |d| d.as_bytes()[0]);
    let pattern = get("--hierarchies").ok_or("--hierarchies is required (a path with {} for the column)")?;
    let qis = get("--qi").ok_or("--qi is required")?;
    let table = Table::from_csv_file(&data, delim)?;
    let mut config = Config::new();
    for q in qis.split(',') {
        config = config.quasi_identifier(q, Hierarchy::from_csv_file(pattern.replace("{}", q), delim)?);
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
        "dm" => Metric::Discernibility,
        "aecs" => Metric::Aecs,
        "precision" => Metric::Precision,
        _ => return Err("unknown metric".into()),
    });
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
