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
use crate::io::csv::CsvReader;
use crate::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Most rows a scan samples ([`ScanOptions::sample_rows`]).
pub const MAX_SAMPLE_ROWS: usize = 1_000_000;

/// Most bytes the rows sampled from a CSV may hold (see [`scan_csv`]).
pub const MAX_SAMPLE_BYTES: usize = 64 << 20;

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
    /// Rows sampled (default 10,000; at most [`MAX_SAMPLE_ROWS`]).
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

impl ScanOptions {
    /// Options from their JSON form (`{"sample_rows": 1000, "min_values": 5}`; absent fields keep
    /// their defaults, unknown ones are refused): `InvalidArgument` naming the field otherwise.
    pub fn from_json(json: &str) -> Result<ScanOptions> {
        // serde's message names the field, never data values.
        serde_json::from_str(json)
            .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("invalid scan options: {e}")))
    }
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
    /// Why nothing was detected (`None` when a type was).
    pub not_detected: Option<NotDetected>,
}

/// Why a column was not detected as any type. In JSON: `{"reason": "too_few_values", ...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotDetected {
    /// Fewer non-empty sampled values than [`ScanOptions::min_values`] (default 10).
    TooFewValues {
        /// Non-empty sampled values.
        non_empty: u64,
        /// Values needed.
        needed: u64,
    },
    /// No value has the shape of any type.
    NoCandidate,
    /// The best type's share of validating values is below its threshold.
    BelowThreshold {
        /// The type that came closest.
        best: PiiType,
        /// Its share of validating non-empty values.
        valid_share: f64,
        /// The share needed ([`ScanOptions::check_digit_threshold`] or
        /// [`ScanOptions::structure_threshold`]).
        threshold: f64,
    },
    /// The values would be names, but too few of them differ (a column of a few repeated words).
    TooFewDistinct {
        /// The type that came closest.
        best: PiiType,
        /// Distinct non-empty values.
        distinct: u64,
        /// Distinct values needed.
        needed: u64,
    },
}

impl std::fmt::Display for NotDetected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotDetected::TooFewValues { non_empty, needed } => {
                write!(f, "too few values: {non_empty} non-empty sampled, {needed} needed (min_values)")
            }
            NotDetected::NoCandidate => f.write_str("no value has the shape of a known type"),
            NotDetected::BelowThreshold { best, valid_share, threshold } => write!(
                f,
                "closest type {best}: {:.0}% of the values validate, {:.0}% needed",
                valid_share * 100.0,
                threshold * 100.0
            ),
            NotDetected::TooFewDistinct { best, distinct, needed } => {
                write!(f, "closest type {best}: {distinct} distinct values, {needed} needed")
            }
        }
    }
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
    let threshold = |c: &Candidate| match c.pii_type.evidence() {
        Evidence::CheckDigit => opts.check_digit_threshold,
        _ => opts.structure_threshold,
    };
    let distinct_needed = |c: &Candidate| if c.pii_type == PiiType::Name { (c.valid / 2).clamp(2, 50) } else { 0 };
    let passes = |c: &Candidate| {
        let enough_distinct = distinct.len() as u64 >= distinct_needed(c);
        non_empty >= opts.min_values as u64 && c.valid_share >= threshold(c) && enough_distinct
    };
    // Best first: passing, then stronger evidence, then higher validation share, then type order.
    candidates.sort_by(|a, b| {
        (passes(b), b.pii_type.evidence())
            .cmp(&(passes(a), a.pii_type.evidence()))
            .then(b.valid_share.total_cmp(&a.valid_share))
    });
    let detected = candidates.first().filter(|c| passes(c)).map(|c| c.pii_type);
    let not_detected = match candidates.first() {
        _ if detected.is_some() => None,
        _ if non_empty < opts.min_values as u64 => {
            Some(NotDetected::TooFewValues { non_empty, needed: opts.min_values as u64 })
        }
        None => Some(NotDetected::NoCandidate),
        Some(c) if c.valid_share < threshold(c) => {
            Some(NotDetected::BelowThreshold { best: c.pii_type, valid_share: c.valid_share, threshold: threshold(c) })
        }
        Some(c) => Some(NotDetected::TooFewDistinct {
            best: c.pii_type,
            distinct: distinct.len() as u64,
            needed: distinct_needed(c),
        }),
    };
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
        not_detected,
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
    check_options(opts)?;
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
///
/// Memory is bounded by the sample, not by the input: a record is read whole only up to
/// [`MAX_RECORD_BYTES`](crate::io::csv::MAX_RECORD_BYTES), a header names at most
/// [`MAX_COLUMNS`](crate::io::csv::MAX_COLUMNS) columns, only the header's columns of each row are
/// kept, and when the kept rows pass [`MAX_SAMPLE_BYTES`] the sample is thinned at random (it stays
/// a uniform sample, of fewer rows: `rows_sampled` says how many).
pub fn scan_csv<R: std::io::Read>(reader: R, opts: &ScanOptions) -> Result<ScanReport> {
    check_options(opts)?;
    let mut rdr = CsvReader::new(reader, b',', true);
    let names = rdr.header(true)?;
    let mut k = opts.sample_rows.max(1);
    let mut sample: Vec<csv::ByteRecord> = Vec::with_capacity(k.min(1 << 16));
    let mut sample_bytes = 0usize;
    let mut rng = SplitMix(opts.seed);
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    let mut complete = true;
    loop {
        if opts.max_rows.is_some_and(|m| rows >= m) || (opts.sampling == Sampling::Head && sample.len() >= k) {
            complete = rdr.next_bytes(&mut record)?.is_none();
            break;
        }
        if rdr.next_bytes(&mut record)?.is_none() {
            break;
        }
        let slot = if sample.len() < k {
            sample.push(csv::ByteRecord::new());
            Some(sample.len() - 1)
        } else {
            // Algorithm R: row `rows` replaces a random slot with probability k / (rows + 1).
            let j = rng.next() % (rows + 1);
            ((j as usize) < k).then_some(j as usize)
        };
        if let Some(j) = slot {
            // Only the header's columns are analysed: a longer row keeps no more.
            let kept: csv::ByteRecord = record.iter().take(names.len()).collect();
            sample_bytes = sample_bytes + held(&kept) - held(&sample[j]);
            sample[j] = kept;
            // A uniform random subset of a uniform sample is a uniform sample: drop random rows until
            // the sample fits, and keep sampling into the smaller size.
            while sample_bytes > MAX_SAMPLE_BYTES && sample.len() > 1 {
                let gone = sample.swap_remove((rng.next() % sample.len() as u64) as usize);
                sample_bytes -= held(&gone);
                k = sample.len();
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

/// Bytes a sampled row holds: its field bytes and the bounds of its fields.
fn held(r: &csv::ByteRecord) -> usize {
    r.as_slice().len() + r.len() * std::mem::size_of::<usize>()
}

/// Refuses scan options outside their documented limits.
fn check_options(opts: &ScanOptions) -> Result<()> {
    if opts.sample_rows > MAX_SAMPLE_ROWS {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("sample_rows is more than the limit of {MAX_SAMPLE_ROWS}"),
        ));
    }
    Ok(())
}

/// Scans the CSV file at `path` (see [`scan_csv`]).
pub fn scan_csv_path(path: impl AsRef<std::path::Path>, opts: &ScanOptions) -> Result<ScanReport> {
    let file = std::fs::File::open(path)?;
    scan_csv(std::io::BufReader::with_capacity(1 << 20, file), opts)
}
