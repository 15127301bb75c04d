//! Anonymization: generalize quasi-identifiers until every person hides in a crowd.
//!
//! The shape follows ARX: a [`Table`] with attribute roles ([`AttributeType`]), generalization
//! [`Hierarchy`]s, a [`Config`] (privacy models, suppression limit, quality [`Metric`]), the
//! algorithms ([`Anonymizer::optimal`] over the lattice of full-domain generalizations,
//! [`Anonymizer::mondrian`] for multidimensional local recoding) and the result ([`Anonymized`]:
//! the output table and a [`Report`] with quality and risk).
//!
//! Data that is not in memory at once (partitions on several machines, a file larger than memory)
//! is counted instead: [`Frequencies`] holds the number of records of each distinct combination of
//! quasi-identifier and sensitive values, merges across partitions, and [`FrequencyAnonymizer`]
//! runs the same optimal search on it, with the same optimum and report as in memory. Its result
//! is a [`Generalizer`] that releases any row on its own. Mondrian needs the rows and stays in
//! memory.
//!
//! ```
//! use privshare::anon::{Anonymizer, Config, Hierarchy, PrivacyModel, Table};
//! let csv = "age;sex;disease\n31;F;flu\n32;F;cold\n33;M;flu\n38;M;cold\n";
//! let table = Table::from_csv(csv.as_bytes(), b';')?;
//! let ages = Hierarchy::intervals(&["31", "32", "33", "38"], 0.0, &[5.0, 10.0])?;
//! let config = Config::new()
//!     .quasi_identifier("age", ages)
//!     .quasi_identifier("sex", Hierarchy::flat(&["F", "M"])?)
//!     .sensitive("disease")
//!     .model(PrivacyModel::KAnonymity { k: 2 });
//! let result = Anonymizer::new(&table, &config)?.optimal()?;
//! assert_eq!(result.report.quality.min_class_size, 2);
//! println!("{}", result.report.summary());
//! # Ok::<(), privshare::Error>(())
//! ```

mod classes;
mod config;
mod counts;
mod encode;
mod frequencies;
mod generalizer;
mod hierarchy;
mod metric;
mod model;
mod mondrian;
mod report;
mod risk;
mod search;
pub mod spec;
mod table;
mod two_pass;

use std::time::Instant;

pub use config::Config;
pub use frequencies::{Frequencies, FrequencyAnonymizer, Generalized, MAX_COUNTED_RECORDS, MAX_DISTINCT_COMBINATIONS};
pub use generalizer::Generalizer;
pub(crate) use generalizer::Releaser;
pub use hierarchy::{Hierarchy, MAX_HIERARCHY_CELLS, MAX_HIERARCHY_HEIGHT};
pub use metric::{Aggregate, Metric};
pub use model::{GroundDistance, PrivacyModel};
pub use report::{AttributeQuality, ModelStatus, Quality, Report, Singling};
pub use risk::Risk;
pub use search::{NodeEval, SearchOutcome};
pub use table::{AttributeType, DictColumn, Table};
pub use two_pass::{anonymize_csv_file, anonymize_csv_file_timed, TwoPassTimes};

use classes::Classes;
use encode::Encoded;
use metric::Precomputed;

use crate::{Error, ErrorKind, Result};

/// Largest lattice the optimal search accepts (its per-node state is a few bytes).
pub const MAX_LATTICE: usize = 20_000_000;

/// Most privacy models one configuration may hold (each is checked on every class).
pub const MAX_MODELS: usize = 64;

/// Risk threshold used in reports: records in classes smaller than 5.
pub const DEFAULT_RISK_THRESHOLD: f64 = 0.2;

/// The anonymized table and its report.
#[derive(Clone, Debug)]
pub struct Anonymized {
    /// The output: identifying columns dropped, quasi-identifiers generalized (suppressed records
    /// have `*` in every quasi-identifier), other columns unchanged.
    pub table: Table,
    /// What was done and what it achieved.
    pub report: Report,
    /// For a full-domain generalization: the transformation as a row-wise [`Generalizer`] (the
    /// same one a [`FrequencyAnonymizer`] returns for the same data). `None` for Mondrian, whose
    /// local recoding is not a function of a record's values alone.
    pub generalizer: Option<Generalizer>,
}

/// A table validated and encoded against a configuration, ready to run algorithms on.
pub struct Anonymizer<'a> {
    /// `None` when built from counts (inside a [`FrequencyAnonymizer`]).
    table: Option<&'a Table>,
    config: Config,
    enc: Encoded,
    pre: Precomputed,
}

impl<'a> Anonymizer<'a> {
    /// Validates the table against the configuration and encodes the quasi-identifiers.
    ///
    /// Errors: a column named in the configuration is missing; an identifying column is present
    /// (unless dropping is allowed); a value is missing from its hierarchy (names row and column); a
    /// model is impossible (k larger than the table, l larger than the sensitive domain).
    pub fn new(table: &'a Table, config: &Config) -> Result<Anonymizer<'a>> {
        let enc = encode::encode(table, config)?;
        let pre = Precomputed::new(&enc);
        Ok(Anonymizer { table: Some(table), config: config.clone(), enc, pre })
    }

    /// Number of full-domain transformations.
    pub fn lattice_size(&self) -> usize {
        search::Lattice::new(&self.enc).size
    }

    fn monotone(&self) -> bool {
        let supp = self.enc.max_suppressed > 0;
        self.config.models.iter().all(|m| m.monotone(supp))
    }

    fn check_lattice(&self) -> Result<()> {
        let size = self.lattice_size();
        if size > MAX_LATTICE {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "{size} full-domain transformations are too many to search (limit {MAX_LATTICE}): use fewer \
                     quasi-identifiers or hierarchy levels, or Mondrian"
                ),
            ));
        }
        Ok(())
    }

    /// Runs the optimal search and returns what it found without building an output.
    pub fn search(&self) -> Result<SearchOutcome> {
        self.check_lattice()?;
        Ok(search::search(&self.enc, &self.pre, self.config.metric, self.monotone()))
    }

    /// Checks every transformation (slow; the reference for tests on small tables).
    pub fn search_exhaustive(&self) -> Result<SearchOutcome> {
        self.check_lattice()?;
        Ok(search::exhaustive(&self.enc, &self.pre, self.config.metric))
    }

    /// The optimal full-domain generalization with record suppression.
    ///
    /// When no transformation satisfies the models within the suppression limit, returns an
    /// [`ErrorKind::AnonymizationInfeasible`] error that names the least suppression possible.
    pub fn optimal(&self) -> Result<Anonymized> {
        let t = Instant::now();
        let out = self.search()?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        self.finish(out, ms)
    }

    /// Like [`Anonymizer::optimal`] but by checking every transformation.
    pub fn exhaustive(&self) -> Result<Anonymized> {
        let t = Instant::now();
        let out = self.search_exhaustive()?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        self.finish(out, ms)
    }

    /// Applies one full-domain transformation (levels per quasi-identifier, in table order); fails
    /// if it does not satisfy the models within the suppression limit.
    pub fn apply(&self, levels: &[usize]) -> Result<Anonymized> {
        let out = self.apply_outcome(levels)?;
        self.finish(out, 0.0)
    }

    /// The outcome of "searching" a single given transformation.
    fn apply_outcome(&self, levels: &[usize]) -> Result<SearchOutcome> {
        if levels.len() != self.enc.qis.len() || levels.iter().zip(&self.enc.qis).any(|(&l, q)| l > q.height) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "levels do not match the quasi-identifiers' hierarchies",
            ));
        }
        let classes = Classes::from_rows(&self.enc, levels, search::needs_hists(&self.enc));
        let e = search::evaluate(&self.enc, &self.pre, self.config.metric, &classes);
        Ok(SearchOutcome { optimum: e.anonymous.then(|| e.clone()), best_effort: e, nodes: 1, checked: 1 })
    }

    /// Mondrian strict multidimensional local recoding (no suppression).
    pub fn mondrian(&self) -> Result<Anonymized> {
        if self.table.is_none() || self.enc.weights.is_some() {
            return Err(frequencies::mondrian_refused());
        }
        mondrian::run(self)
    }

    fn infeasible(&self, best: &NodeEval) -> Error {
        Error::new(
            ErrorKind::AnonymizationInfeasible,
            format!(
                "no transformation satisfies the privacy models within the suppression limit ({} records); \
                 the best possible suppresses {} records ({:.2}%) at levels {:?}",
                self.enc.max_suppressed,
                best.suppressed,
                100.0 * best.suppressed as f64 / self.enc.rows as f64,
                best.levels
            ),
        )
    }

    /// The report and the generalizer of a search's optimum (or, when there is none, the error
    /// that says what the best possible would have been, with its report).
    fn conclude(&self, out: SearchOutcome, ms: f64) -> Result<(Report, Generalizer)> {
        let enc = &self.enc;
        let Some(opt) = &out.optimum else {
            // Say what the best possible would have been, in words and as a report.
            let classes = Classes::from_rows(enc, &out.best_effort.levels, search::needs_hists(enc));
            let best = search::evaluate(enc, &self.pre, self.config.metric, &classes);
            let pass = classes.passing(enc);
            let report = self.node_report(&out, &best, &classes, &pass, ms);
            return Err(self.infeasible(&best).with_details(report.to_json()));
        };
        let classes = Classes::from_rows(enc, &opt.levels, search::needs_hists(enc));
        let pass = classes.passing(enc);
        let report = self.node_report(&out, opt, &classes, &pass, ms);
        let released = report.quality.classes;
        if report.quality.suppressed > enc.max_suppressed
            || !enc.models.iter().all(|m| m.average_risk_ok(released, enc.rows as u64 - report.quality.suppressed))
        {
            return Err(Error::new(
                ErrorKind::Internal,
                "search returned a transformation that does not satisfy the request",
            ));
        }
        Ok((report, Generalizer::new(enc, &classes, &pass)))
    }

    fn finish(&self, out: SearchOutcome, ms: f64) -> Result<Anonymized> {
        let (report, generalizer) = self.conclude(out, ms)?;
        let enc = &self.enc;
        if enc.weights.is_some() {
            return Err(Error::new(ErrorKind::Internal, "an output table needs the rows"));
        }
        // Output: per row, the generalizer decides between labels and `*` (the same key and
        // lookup it applies to a record's text).
        let row_pass: Vec<bool> =
            (0..enc.rows).map(|r| generalizer.is_released(generalizer.key(|j| enc.qis[j].base.get(r)))).collect();
        let levels = generalizer.levels();
        let mut qi_cols = Vec::new();
        for (j, q) in enc.qis.iter().enumerate() {
            let l = levels[j];
            let nlabels = q.leaves[l].len() as u32;
            let mut dict: Vec<String> = (0..nlabels).map(|c| q.label(l, c).to_string()).collect();
            dict.push("*".to_string());
            let codes = (0..enc.rows).map(|r| if row_pass[r] { q.gen[l][q.base.get(r)] } else { nlabels }).collect();
            qi_cols.push(DictColumn { dict, codes });
        }
        drop(row_pass);
        let table = self.output_table(qi_cols)?;
        Ok(Anonymized { table, report, generalizer: Some(generalizer) })
    }

    /// The report of one full-domain transformation, given its classes and which of them pass.
    fn node_report(&self, out: &SearchOutcome, node: &NodeEval, classes: &Classes, pass: &[bool], ms: f64) -> Report {
        let enc = &self.enc;
        let supp: Vec<(u32, u64)> =
            (0..classes.len()).filter(|&c| !pass[c]).map(|c| (c as u32, classes.counts[c] as u64)).collect();
        let per_attr = self.pre.loss_per_attribute(enc, &node.levels, &supp, Some(classes));
        let sizes: Vec<u64> = (0..classes.len()).filter(|&c| pass[c]).map(|c| classes.counts[c] as u64).collect();
        let value = |m: Metric| self.pre.value(enc, m, &node.levels, Some((classes, pass)));
        let quality = Quality {
            loss: metric::aggregate(&per_attr, Aggregate::Arithmetic),
            loss_geometric: metric::aggregate(&per_attr, Aggregate::Geometric),
            attributes: enc
                .qis
                .iter()
                .zip(&per_attr)
                .zip(&node.levels)
                .map(|((q, &loss), &l)| AttributeQuality { attribute: q.name.clone(), level: Some(l), loss })
                .collect(),
            non_uniform_entropy: Some(value(Metric::Entropy)),
            discernibility: value(Metric::Discernibility),
            average_class_size: value(Metric::Aecs),
            precision: Some(value(Metric::Precision)),
            suppressed: supp.iter().map(|s| s.1).sum(),
            classes: sizes.len() as u64,
            min_class_size: sizes.iter().copied().min().unwrap_or(0),
            max_class_size: sizes.iter().copied().max().unwrap_or(0),
        };
        let released: Vec<model::Released<'_>> = (0..classes.len())
            .filter(|&c| pass[c])
            .map(|c| (classes.counts[c], classes.hists.iter().map(|h| h[c].as_slice()).collect()))
            .collect();
        let mut report = self.report("optimal full-domain generalization", quality, &released, ms);
        report.objective = Some((
            self.config.metric.name().to_string(),
            self.pre.value(enc, self.config.metric, &node.levels, Some((classes, pass))),
        ));
        report.lattice_nodes = Some(out.nodes as u64);
        report.checked_nodes = Some(out.checked as u64);
        report
    }

    /// The output table: input columns in order, identifying ones dropped, QIs replaced.
    fn output_table(&self, mut qi_cols: Vec<DictColumn>) -> Result<Table> {
        let Some(table) = self.table else {
            return Err(Error::new(ErrorKind::Internal, "an output table needs the rows"));
        };
        let mut cols = Vec::new();
        let mut qi = qi_cols.drain(..);
        for (name, col) in table.names().iter().zip(table.columns()) {
            match self.config.role(name) {
                AttributeType::Identifying => {}
                AttributeType::QuasiIdentifying => cols.push((name.clone(), qi.next().expect("one per QI"))),
                _ => cols.push((name.clone(), col.clone())),
            }
        }
        Ok(Table::from_dict_columns(cols, table.rows()))
    }

    /// The parts of a report common to every method. `sizes` are the released class sizes.
    /// `released`: size and sensitive histograms of every released class.
    fn report(&self, method: &str, quality: Quality, released: &[model::Released<'_>], ms: f64) -> Report {
        let enc = &self.enc;
        let base = Classes::from_rows(enc, &vec![0; enc.qis.len()], false);
        let threshold = self.config.risk_threshold.unwrap_or(DEFAULT_RISK_THRESHOLD);
        let risk_before = Risk::from_sizes(base.counts.iter().map(|&c| c as u64), threshold);
        let risk_after = Risk::from_sizes(released.iter().map(|c| c.0 as u64), threshold);
        let doms: Vec<_> = enc.sens.iter().map(|s| &s.domain).collect();
        let records: u64 = released.iter().map(|c| c.0 as u64).sum();
        let models = self
            .config
            .models
            .iter()
            .zip(&enc.models)
            .map(|(m, c)| ModelStatus {
                model: m.describe(),
                holds: quality.suppressed <= enc.max_suppressed
                    && released.iter().all(|(n, h)| c.holds(*n, |s| h[s], &doms))
                    && c.average_risk_ok(released.len() as u64, records),
                achieved: c.achieved(released, &doms),
            })
            .collect::<Vec<_>>();
        Report {
            method: method.to_string(),
            records: enc.rows as u64,
            models,
            suppression_limit: self.config.suppression_limit,
            objective: None,
            quality,
            risk_before,
            risk_after,
            singling_out: singling_out(enc, &base),
            lattice_nodes: None,
            checked_nodes: None,
            search_ms: ms,
        }
    }
}

/// Share of records unique on each single quasi-identifier and each pair, most singling first.
fn singling_out(enc: &Encoded, base: &Classes) -> Vec<Singling> {
    let m = enc.qis.len();
    let mut combos: Vec<Vec<usize>> = (0..m).map(|i| vec![i]).collect();
    for i in 0..m {
        for j in i + 1..m {
            combos.push(vec![i, j]);
        }
    }
    let mut out: Vec<Singling> = combos
        .into_iter()
        .map(|c| {
            let mask: u64 = c
                .iter()
                .map(|&i| {
                    let q = &enc.qis[i];
                    let bits = if q.bits == 64 { u64::MAX } else { (1u64 << q.bits) - 1 };
                    bits << q.shift
                })
                .fold(0, |a, b| a | b);
            let mut counts: classes::KeyMap<u64> = classes::KeyMap::default();
            for (k, &n) in base.keys.iter().zip(&base.counts) {
                *counts.entry(k & mask).or_default() += n as u64;
            }
            let uniques = counts.values().filter(|&&n| n == 1).count();
            Singling {
                attributes: c.iter().map(|&i| enc.qis[i].name.clone()).collect(),
                unique_share: uniques as f64 / enc.rows as f64,
            }
        })
        .filter(|s| s.unique_share > 0.0)
        .collect();
    out.sort_by(|a, b| b.unique_share.total_cmp(&a.unique_share).then(a.attributes.len().cmp(&b.attributes.len())));
    out.truncate(5);
    out
}
