//! Hostile inputs, one per run, for the cost table of `docs/robustness.md`: each case builds its
//! input (streamed where it is large, so the input itself is not in memory), feeds it to the
//! library and prints whether it was refused or accepted and how long that took. Peak memory is
//! measured from outside (`benches/hostile_table.sh` runs every case under `/usr/bin/time`).
//!
//! ```text
//! cargo run --release --example hostile -- <case>     # no case: list them
//! ```

use std::io::Read;
use std::time::Instant;

use privshare::anon::spec::anonymize_csv;
use privshare::anon::{Anonymizer, Config, Hierarchy, PrivacyModel, Table};
use privshare::mask::{scan_csv, Masker, Rule, ScanOptions};

/// `head`, then `body` repeated up to `len` bytes in all, generated as it is read.
struct Stream {
    head: Vec<u8>,
    body: Vec<u8>,
    len: u64,
    pos: u64,
}

impl Stream {
    fn new(head: &[u8], body: &[u8], len: u64) -> Stream {
        Stream { head: head.to_vec(), body: body.to_vec(), len, pos: 0 }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < buf.len() && self.pos < self.len {
            let p = self.pos as usize;
            buf[n] =
                if p < self.head.len() { self.head[p] } else { self.body[(p - self.head.len()) % self.body.len()] };
            n += 1;
            self.pos += 1;
        }
        Ok(n)
    }
}

fn header(columns: usize) -> String {
    (0..columns).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",") + "\n"
}

fn k(k: usize) -> Config {
    Config::new().model(PrivacyModel::KAnonymity { k })
}

/// A caterpillar of `height` levels: at level l the values v0..=vl are one group, the others alone.
fn caterpillar(height: usize) -> Hierarchy {
    let rows = (0..=height)
        .map(|i| {
            let mut r = vec![format!("v{i}")];
            r.extend((1..height).map(|l| if i <= l { format!("g{l}") } else { format!("v{i}") }));
            r.push("*".into());
            r
        })
        .collect();
    Hierarchy::from_rows(rows).expect("caterpillar")
}

type Case = (&'static str, &'static str, fn() -> privshare::Result<String>);

const CASES: &[Case] = &[
    ("hierarchy-million-levels", "ARX hierarchy CSV, one line of 1,000,000 levels (2 MB)", || {
        let text = format!("a;{}*\nb;{}*\n", "x;".repeat(999_999), "x;".repeat(999_999));
        Hierarchy::from_csv(&text, b';').map(|h| format!("{} levels", h.height()))
    }),
    ("table-200mb-line", "anonymization table: CSV whose second line is 200 MB", || {
        Table::from_csv(Stream::new(b"a,b\n", b"x", 200 << 20), b',').map(|t| format!("{} rows", t.rows()))
    }),
    ("scan-200mb-line", "PII scan: the same 200 MB line", || {
        scan_csv(Stream::new(b"a,b\n", b"x", 200 << 20), &ScanOptions::default())
            .map(|r| format!("{} rows", r.rows_read))
    }),
    ("table-100k-columns", "anonymization table: header of 100,000 columns", || {
        let h = header(100_000);
        Table::from_csv(Stream::new(h.as_bytes(), b"", h.len() as u64), b',').map(|t| format!("{}", t.names().len()))
    }),
    ("table-65536-columns", "65,536 columns (the limit) x 100 rows, one QI, k=2", || {
        let h = header(65_536);
        let row = vec!["x"; 65_536].join(",") + "\n";
        let t = Table::from_csv(Stream::new(h.as_bytes(), row.as_bytes(), (h.len() + 100 * row.len()) as u64), b',')?;
        let c = k(2).quasi_identifier("c0", Hierarchy::flat(&["x"])?);
        let r = Anonymizer::new(&t, &c)?.optimal()?;
        Ok(format!("{} columns out", r.table.names().len()))
    }),
    ("scan-65536-columns", "PII scan: 65,536 columns x 100 rows", || {
        let h = header(65_536);
        let row = vec!["13812345678"; 65_536].join(",") + "\n";
        let r = scan_csv(
            Stream::new(h.as_bytes(), row.as_bytes(), (h.len() + 100 * row.len()) as u64),
            &Default::default(),
        )?;
        Ok(format!("{} columns scanned", r.columns.len()))
    }),
    ("scan-1gb-long-lines", "PII scan: 1 GB of 1,000,000-byte lines (sample budget)", || {
        let line = format!("13812345678,{}\n", "y".repeat(999_987));
        let r = scan_csv(Stream::new(b"phone,note\n", line.as_bytes(), 1 << 30), &ScanOptions::default())?;
        Ok(format!("{} rows read, {} sampled", r.rows_read, r.rows_sampled))
    }),
    ("spec-10000-levels", "spec: ordered groups of 10,000 levels (30 KB), 2-row CSV, k=2", || {
        let sizes = vec!["1"; 9_999].join(",");
        let spec = format!(
            r#"{{"attributes": [{{"name": "v", "role": "quasi_identifying",
                "hierarchy": {{"type": "ordered_groups", "order": ["a", "b"], "sizes": [{sizes}]}}}}],
              "models": [{{"model": "k_anonymity", "k": 2}}]}}"#
        );
        anonymize_csv(b"v\na\nb\n", b',', &spec).map(|(out, _)| format!("{} bytes out", out.len()))
    }),
    ("spec-50000-levels", "spec: ordered groups of 50,000 levels", || {
        let sizes = vec!["1"; 49_999].join(",");
        let spec = format!(
            r#"{{"attributes": [{{"name": "v", "role": "quasi_identifying",
                "hierarchy": {{"type": "ordered_groups", "order": ["a", "b"], "sizes": [{sizes}]}}}}]}}"#
        );
        anonymize_csv(b"v\na\nb\n", b',', &spec).map(|(out, _)| format!("{} bytes out", out.len()))
    }),
    ("hierarchy-10m-labels", "ARX hierarchy CSV of 2,000,000 lines x 5 levels (the label limit), 2-row table", || {
        let mut text = String::with_capacity(80 << 20);
        for i in 0..2_000_000u32 {
            text.push_str(&format!("{i};{};{};{};*\n", i / 10, i / 1000, i / 100_000));
        }
        let h = Hierarchy::from_csv(&text, b';')?;
        drop(text);
        let t = Table::from_columns(vec![("v".to_string(), vec!["17", "18"])])?;
        let r = Anonymizer::new(&t, &k(2).quasi_identifier("v", h))?.optimal()?;
        Ok(format!("level {:?}", r.report.quality.attributes[0].level))
    }),
    ("lattice-19m", "optimal search over 19,487,171 transformations (7 QIs x 11 levels), 64 rows, k=2", || {
        let h = caterpillar(10);
        let mut cols = Vec::new();
        let mut c = k(2);
        for q in 0..7 {
            let name = format!("q{q}");
            cols.push((name.clone(), (0..64).map(|r| format!("v{}", (r * (q + 3)) % 11)).collect::<Vec<_>>()));
            c = c.quasi_identifier(&name, h.clone());
        }
        let t = Table::from_columns(cols)?;
        let a = Anonymizer::new(&t, &c)?;
        let out = a.search()?;
        Ok(format!("{} nodes, {} checked", out.nodes, out.checked))
    }),
    ("mondrian-caterpillar", "Mondrian, k=1, caterpillar of 3,000 levels (9M labels), 3,001 rows", || {
        let h = caterpillar(3_000);
        let t = Table::from_columns(vec![("v".to_string(), (0..=3_000).map(|i| format!("v{i}")).collect())])?;
        let r = Anonymizer::new(&t, &k(1).quasi_identifier("v", h))?.mondrian()?;
        Ok(format!("{} classes", r.report.quality.classes))
    }),
    ("rule-redact-2^40", "masking rule redact with length 2^40 (aborted the process)", || {
        Rule::from_json(r#"{"rule":"redact","length":1099511627776}"#).and_then(Masker::new).map(|_| "built".into())
    }),
    ("rule-regex-10mb", "masking rule regex with a 10 MB pattern (compiled to 1.26 GB)", || {
        let json = format!(r#"{{"rule":"regex","pattern":"{}"}}"#, "a".repeat(10 << 20));
        Rule::from_json(&json).and_then(Masker::new).map(|_| "built".into())
    }),
    ("rule-regex-4k", "masking rule regex: 4 KiB pattern (the limit) of 400 alternatives", || {
        let alts: Vec<String> = (0..400).map(|i| format!("{i:09}")).collect();
        let json = format!(r#"{{"rule":"regex","pattern":"{}"}}"#, &alts.join("|")[..3999]);
        let m = Rule::from_json(&json).and_then(Masker::new)?;
        m.apply(&"000000123 ".repeat(100_000)).map(|o| format!("{} bytes out", o.len()))
    }),
];

fn main() {
    let Some(name) = std::env::args().nth(1) else {
        for (name, what, _) in CASES {
            println!("{name}\t{what}");
        }
        return;
    };
    let Some((_, what, run)) = CASES.iter().find(|c| c.0 == name) else {
        eprintln!("unknown case {name}");
        std::process::exit(2);
    };
    let t = Instant::now();
    let outcome = match run() {
        Ok(s) => format!("accepted ({s})"),
        Err(e) => format!("refused: {e}"),
    };
    println!("{name}\t{what}\t{outcome}\t{:.2} s", t.elapsed().as_secs_f64());
}
