//! PII detection: which column of a table most likely holds which [`PiiType`].
//!
//! Method (also in `docs/masking.md`):
//! 1. Sample rows: a CSV file is read to the end (or to `max_rows`) and a uniform reservoir sample
//!    of `sample_rows` rows is kept (seeded, so reports are reproducible); in-memory columns are
//!    sampled at evenly spaced rows. [`Sampling::Head`] takes the first rows instead.
//! 2. For each column, every non-empty sampled value is tested against every type: full validation
//!    ([`PiiType::validate`], check digits included) and shape only ([`PiiType::shape`]).
//! 3. A type is detected when the share of non-empty values that *validate* reaches the threshold
//!    for its evidence: 0.8 with a check digit (dirty data tolerated), 0.9 for structural checks,
//!    0.9 for word-list patterns (names, addresses) plus, for names, enough distinct values
//!    (at least half of them, or 50) so that categorical columns such as occupations are not names.
//!    At least `min_values` non-empty values are needed. Stronger evidence wins, then the higher share.
//! 4. Shape matches alone never detect a type: a column of random 18-digit numbers has a shape share
//!    of 1.0 for resident IDs but a validation share of about 1%, and is reported as not PII, with
//!    both shares in its candidates.

use super::pii_type::{Evidence, PiiType};
use super::rule::Rule;
use crate::column::Values;
use crate::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Which rows are sampled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sampling {
    /// A uniform random sample of all rows read (reservoir sampling for CSV, evenly spaced rows
    /// for in-memory columns).
    #[default]
    Uniform,
    /// The first `sample_rows` rows (fastest: a CSV file is not read further).
    Head,
}

/// Scan settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScanOptions {
    /// Rows sampled (default 10,000).
    pub sample_rows: usize,
    /// How rows are sampled (default uniform).
    pub sampling: Sampling,
    /// Stop reading a CSV after this many data rows (default: read all).
    pub max_rows: Option<u64>,
    /// Seed of the sampling generator (default fixed, so reports are reproducible).
    pub seed: u64,
    /// Fewest non-empty sampled values needed to detect anything (default 10).
    pub min_values: usize,
    /// Report date columns (quasi-identifiers) too (default true).
    pub detect_dates: bool,
    /// Share threshold for check-digit types (default 0.8).
    pub check_digit_threshold: f64,
    /// Share threshold for structural and pattern types (default 0.9).
    pub structure_threshold: f64,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            sample_rows: 10_000,
            sampling: Sampling::Uniform,
            max_rows: None,
            seed: 0x5EED_0F5C_A9E5,
            min_values: 10,
            detect_dates: true,
            check_digit_threshold: 0.8,
            structure_threshold: 0.9,
        }
    }
}

/// How well one type fits one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The type.
    pub pii_type: PiiType,
    /// Sampled non-empty values that validate.
    pub valid: u64,
    /// Sampled non-empty values with the right shape (validating or not).
    pub shape: u64,
    /// `valid / non_empty`.
    pub valid_share: f64,
    /// `shape / non_empty`.
    pub shape_share: f64,
}

/// The finding for one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnReport {
    /// Column name (CSV header or the given name).
    pub name: String,
    /// Zero-based column index.
    pub index: usize,
    /// Sampled values.
    pub sampled: u64,
    /// Sampled values that are not empty.
    pub non_empty: u64,
    /// Distinct non-empty sampled values.
    pub distinct: u64,
    /// The most likely type, if any passed its threshold.
    pub detected: Option<PiiType>,
    /// Share of non-empty sampled values that validate as `detected` (0 when nothing was detected).
    pub valid_share: f64,
    /// The evidence behind `detected`.
    pub evidence: Option<Evidence>,
    /// The rule suggested for `detected`.
    pub suggested_rule: Option<Rule>,
    /// Every type with at least one shape match, best first.
    pub candidates: Vec<Candidate>,
}

/// The scan of a whole table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScanReport {
    /// Data rows read (all rows of in-memory columns).
    pub rows_read: u64,
    /// Rows in the sample.
    pub rows_sampled: u64,
    /// How they were sampled.
    pub sampling: Sampling,
    /// True when the input was read to its end.
    pub complete: bool,
    /// One report per column, in order.
    pub columns: Vec<ColumnReport>,
}

impl ScanReport {
    /// The columns where a type was detected: `(name, type)`.
    pub fn detected(&self) -> Vec<(&str, PiiType)> {
        self.columns.iter().filter_map(|c| c.detected.map(|t| (c.name.as_str(), t))).collect()
    }
}

/// A small seeded generator (SplitMix64): sampling needs reproducibility, not secrecy.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn analyse<'a>(name: &str, index: usize, values: impl Iterator<Item = &'a [u8]>, opts: &ScanOptions) -> ColumnReport {
    let types: Vec<PiiType> =
        PiiType::ALL.iter().copied().filter(|&t| opts.detect_dates || t != PiiType::Date).collect();
    let mut valid = vec![0u64; types.len()];
    let mut shape = vec![0u64; types.len()];
    let mut distinct: HashSet<&[u8]> = HashSet::new();
    let (mut sampled, mut non_empty) = (0u64, 0u64);
    for v in values {
        sampled += 1;
        let Ok(s) = std::str::from_utf8(v) else {
            non_empty += 1;
            continue;
        };
        let s = s.trim();
        if s.is_empty() {
            continue;
        }
        non_empty += 1;
        distinct.insert(v);
        for (k, t) in types.iter().enumerate() {
            let ok = t.validate(s);
            if ok || t.shape(s) {
                shape[k] += 1;
                valid[k] += u64::from(ok);
            }
        }
    }
    let share = |x: u64| if non_empty == 0 { 0.0 } else { x as f64 / non_empty as f64 };
    let mut candidates: Vec<Candidate> = types
        .iter()
        .enumerate()
        .filter(|&(k, _)| shape[k] > 0)
        .map(|(k, &t)| Candidate {
            pii_type: t,
            valid: valid[k],
            shape: shape[k],
            valid_share: share(valid[k]),
            shape_share: share(shape[k]),
        })
        .collect();
    let passes = |c: &Candidate| {
        let threshold = match c.pii_type.evidence() {
            Evidence::CheckDigit => opts.check_digit_threshold,
            _ => opts.structure_threshold,
        };
        let enough_distinct = c.pii_type != PiiType::Name || distinct.len() as u64 >= (c.valid / 2).clamp(2, 50);
        non_empty >= opts.min_values as u64 && c.valid_share >= threshold && enough_distinct
    };
    // Best first: passing, then stronger evidence, then higher validation share, then type order.
    candidates.sort_by(|a, b| {
        (passes(b), b.pii_type.evidence())
            .cmp(&(passes(a), a.pii_type.evidence()))
            .then(b.valid_share.total_cmp(&a.valid_share))
    });
    let detected = candidates.first().filter(|c| passes(c)).map(|c| c.pii_type);
    ColumnReport {
        name: name.to_string(),
        index,
        sampled,
        non_empty,
        distinct: distinct.len() as u64,
        detected,
        valid_share: candidates.first().filter(|_| detected.is_some()).map_or(0.0, |c| c.valid_share),
        evidence: detected.map(PiiType::evidence),
        suggested_rule: detected.map(PiiType::suggested_rule),
        candidates,
    }
}

/// Scans in-memory columns (one name per column; columns may differ in length).
///
/// ```
/// use privshare::mask::{scan_columns, PiiType, ScanOptions};
/// let ids = vec!["11010519491231002X"; 20];
/// let notes = vec!["ok"; 20];
/// let report = scan_columns(&["id", "note"], &[&ids, &notes], &ScanOptions::default())?;
/// assert_eq!(report.detected(), vec![("id", PiiType::ResidentId)]);
/// # Ok::<(), privshare::Error>(())
/// ```
pub fn scan_columns(names: &[&str], columns: &[&dyn Values], opts: &ScanOptions) -> Result<ScanReport> {
    if names.len() != columns.len() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("{} names but {} columns", names.len(), columns.len()),
        ));
    }
    let k = opts.sample_rows.max(1);
    let rows = columns.iter().map(|c| c.count()).max().unwrap_or(0);
    let mut reports = Vec::with_capacity(columns.len());
    for (index, (name, col)) in names.iter().zip(columns).enumerate() {
        let n = col.count();
        let picks: Box<dyn Iterator<Item = usize>> = if n <= k {
            Box::new(0..n)
        } else {
            match opts.sampling {
                Sampling::Head => Box::new(0..k),
                Sampling::Uniform => Box::new((0..k).map(move |i| i * n / k)),
            }
        };
        reports.push(analyse(name, index, picks.map(|i| col.value(i)), opts));
    }
    Ok(ScanReport {
        rows_read: rows as u64,
        rows_sampled: rows.min(k) as u64,
        sampling: opts.sampling,
        complete: true,
        columns: reports,
    })
}

/// Scans a CSV with a header row (comma-separated, `"`-quoted, rows may have missing fields).
pub fn scan_csv<R: std::io::Read>(reader: R, opts: &ScanOptions) -> Result<ScanReport> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(reader);
    // csv errors can quote data; report only the line.
    let csv_err = |e: csv::Error| {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        match e.into_kind() {
            csv::ErrorKind::Io(io) => Error::new(ErrorKind::Io, format!("reading CSV failed: {}", io.kind())),
            _ => Error::new(ErrorKind::InvalidInput, "malformed CSV").at_row(line),
        }
    };
    let header = rdr.byte_headers().map_err(csv_err)?.clone();
    let names: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = String::from_utf8_lossy(h);
            let h = if i == 0 { h.trim_start_matches('\u{feff}') } else { &h };
            h.trim().to_string()
        })
        .collect();
    let k = opts.sample_rows.max(1);
    let mut sample: Vec<csv::ByteRecord> = Vec::with_capacity(k.min(1 << 16));
    let mut rng = SplitMix(opts.seed);
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    let mut complete = true;
    loop {
        if opts.max_rows.is_some_and(|m| rows >= m) || (opts.sampling == Sampling::Head && sample.len() >= k) {
            complete = !rdr.read_byte_record(&mut record).map_err(csv_err)?;
            break;
        }
        if !rdr.read_byte_record(&mut record).map_err(csv_err)? {
            break;
        }
        if sample.len() < k {
            sample.push(record.clone());
        } else {
            // Algorithm R: row `rows` replaces a random slot with probability k / (rows + 1).
            let j = rng.next() % (rows + 1);
            if (j as usize) < k {
                sample[j as usize].clone_from(&record);
            }
        }
        rows += 1;
    }
    let columns = names
        .iter()
        .enumerate()
        .map(|(i, name)| analyse(name, i, sample.iter().map(|r| r.get(i).unwrap_or(b"")), opts))
        .collect();
    Ok(ScanReport { rows_read: rows, rows_sampled: sample.len() as u64, sampling: opts.sampling, complete, columns })
}

/// Scans the CSV file at `path` (see [`scan_csv`]).
pub fn scan_csv_path(path: impl AsRef<std::path::Path>, opts: &ScanOptions) -> Result<ScanReport> {
    let file = std::fs::File::open(path)?;
    scan_csv(std::io::BufReader::with_capacity(1 << 20, file), opts)
}
