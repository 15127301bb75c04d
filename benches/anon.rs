//! Anonymization benchmarks on the UCI Adult data (`../shared/data/adult/`, see its README).
//!
//! `cargo bench --bench anon` — skips with a notice when the data is absent.

use criterion::{criterion_group, criterion_main, Criterion};
use privshare::anon::{Aggregate, Anonymizer, Config, Hierarchy, Metric, PrivacyModel, Table};

fn dir() -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    std::env::var("PRIVSHARE_ADULT_DIR")
        .ok()
        .into_iter()
        .chain([format!("{root}/../shared/data/adult"), format!("{root}/../../shared/data/adult")])
        .find(|d| std::path::Path::new(&format!("{d}/adult.csv")).exists())
        .unwrap_or_else(|| format!("{root}/../shared/data/adult"))
}

fn config(qis: &[&str], k: usize, limit: f64, metric: Metric) -> Config {
    let mut c = Config::new();
    for q in qis {
        let h = Hierarchy::from_csv_file(format!("{}/adult_hierarchy_{q}.csv", dir()), b';').expect("hierarchy");
        c = c.quasi_identifier(q, h);
    }
    c.model(PrivacyModel::KAnonymity { k }).suppression_limit(limit).metric(metric)
}

const QI_A: &[&str] =
    &["age", "education", "marital-status", "native-country", "race", "salary-class", "sex", "workclass"];
const QI_B: &[&str] =
    &["sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation"];

fn bench(c: &mut Criterion) {
    let path = format!("{}/adult.csv", dir());
    if !std::path::Path::new(&path).exists() {
        eprintln!("benches/anon: {path} not found, skipping");
        return;
    }
    let table = Table::from_csv_file(&path, b';').expect("adult.csv");
    let a = config(QI_A, 5, 0.0, Metric::Entropy);
    let b = config(QI_B, 5, 0.04, Metric::Loss { aggregate: Aggregate::Geometric });
    let mut g = c.benchmark_group("adult");
    g.sample_size(20);
    // Search only (ARX's "warm" figure: data already encoded, no output written).
    let aa = Anonymizer::new(&table, &a).unwrap();
    let ab = Anonymizer::new(&table, &b).unwrap();
    g.bench_function("search_k5_entropy_nosupp_qiA", |bch| bch.iter(|| aa.search().unwrap()));
    g.bench_function("search_k5_loss_supp4_qiB", |bch| bch.iter(|| ab.search().unwrap()));
    g.bench_function("mondrian_k5_qiB", |bch| bch.iter(|| ab.mondrian().unwrap()));
    // Everything from the loaded table: validate, encode, search, output table, report.
    g.bench_function("full_k5_entropy_nosupp_qiA", |bch| {
        bch.iter(|| Anonymizer::new(&table, &a).unwrap().optimal().unwrap())
    });
    g.bench_function("full_k5_loss_supp4_qiB", |bch| {
        bch.iter(|| Anonymizer::new(&table, &b).unwrap().optimal().unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
