//! Encoding: each quasi-identifier column becomes integer codes per hierarchy level, once, so
//! that the search never touches a string. Also validates the table against the configuration.

use std::collections::HashMap;

use super::config::Config;
use super::hierarchy::Hierarchy;
use super::model::{Compiled, SensitiveDomain};
use super::table::{AttributeType, DictColumn, Table};
use crate::{Error, ErrorKind, Result};

/// One quasi-identifier, encoded.
#[derive(Clone, Debug)]
pub(crate) struct QiColumn {
    pub name: String,
    /// Shared with the [`Generalizer`](super::Generalizer) of a result, not copied into it.
    pub hierarchy: std::sync::Arc<Hierarchy>,
    pub height: usize,
    /// Hierarchy rows (ARX's domain size).
    pub domain: usize,
    /// Hierarchy row of each record's value.
    pub base: RowCodes,
    /// `gen[level][base]`: code of the generalized value at `level`.
    pub gen: Vec<Vec<u32>>,
    /// `label_row[level][code]`: hierarchy row that first carries the label (for its text, and
    /// for its code at a higher level: `gen[to][label_row[from][code]]`). Every per-level table
    /// is linear in the height: a table per pair of levels would be quadratic.
    pub label_row: Vec<Vec<u32>>,
    /// `leaves[level][code]`: number of hierarchy rows under the label.
    pub leaves: Vec<Vec<u32>>,
    /// `freq[level][code]`: number of records whose value generalizes to the label.
    pub freq: Vec<Vec<u32>>,
    /// Bits a code needs in a packed key, and its position.
    pub bits: u32,
    pub shift: u32,
    /// Numeric value of each hierarchy row, if every value of the domain is a number.
    pub numeric: Option<Vec<f64>>,
}

impl QiColumn {
    pub fn label(&self, level: usize, code: u32) -> &str {
        &self.hierarchy.rows()[self.label_row[level][code as usize] as usize][level]
    }
}

/// One code per record, in 16 bits when the domain allows (most hierarchies have far fewer than
/// 65,536 rows; at a million records that halves the largest array the search keeps).
#[derive(Clone, Debug)]
pub(crate) enum RowCodes {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl RowCodes {
    fn new(codes: impl ExactSizeIterator<Item = u32>, domain: usize) -> RowCodes {
        if domain <= usize::from(u16::MAX) + 1 {
            RowCodes::Narrow(codes.map(|c| c as u16).collect())
        } else {
            RowCodes::Wide(codes.collect())
        }
    }

    /// The code of record `r`.
    #[inline]
    pub fn get(&self, r: usize) -> usize {
        match self {
            RowCodes::Narrow(v) => v[r] as usize,
            RowCodes::Wide(v) => v[r] as usize,
        }
    }
}

/// A sensitive attribute, encoded.
#[derive(Clone, Debug)]
pub(crate) struct SensColumn {
    pub codes: Vec<u32>,
    pub domain: SensitiveDomain,
}

/// Everything the algorithms need, with no strings on the hot path.
///
/// An encoded row stands for `weight` records: one per record in memory (no weights), one per
/// distinct combination of values when built from [`Frequencies`](super::Frequencies). Everything
/// that counts records reads the weights; `rows` is always the number of records.
#[derive(Clone, Debug)]
pub(crate) struct Encoded {
    /// Records (the sum of the weights).
    pub rows: usize,
    /// Encoded rows: `rows` in memory, distinct combinations from counts.
    pub units: usize,
    /// Records per encoded row; `None` means one each.
    pub weights: Option<Vec<u32>>,
    pub qis: Vec<QiColumn>,
    pub sens: Vec<SensColumn>,
    pub models: Vec<Compiled>,
    pub max_suppressed: u64,
    /// Encoded rows with the same quasi-identifier codes are adjacent (from counts: the
    /// combinations are sorted, quasi-identifiers first), so the bottom node's classes are runs.
    pub grouped: bool,
}

impl Encoded {
    /// Records that encoded row `r` stands for.
    #[inline]
    pub fn weight(&self, r: usize) -> u32 {
        self.weights.as_ref().map_or(1, |w| w[r])
    }
}

pub(crate) fn bits_for(n: usize) -> u32 {
    (usize::BITS - n.saturating_sub(1).leading_zeros()).max(1)
}

fn arg(m: &str) -> Error {
    Error::new(ErrorKind::InvalidArgument, m.to_string())
}

/// Checks the configuration against the column names of the data (a table's, or the header a
/// frequency table was counted under) and returns the quasi-identifiers and the sensitive
/// attributes in column order. `records` is checked between the configuration's own checks and
/// the roles, so that both paths report the same first error (`None`: not known yet, while
/// counting).
pub(crate) fn roles(config: &Config, names: &[String], records: Option<u64>) -> Result<(Vec<String>, Vec<String>)> {
    // The first missing name in name order, so that the error does not depend on hashing.
    let present: std::collections::HashSet<&str> = names.iter().map(|n| n.as_str()).collect();
    if let Some(name) = config.roles.keys().filter(|n| !present.contains(n.as_str())).min() {
        return Err(arg("configuration names a column that is not in the table").at_column(name.clone()));
    }
    if config.models.len() > super::MAX_MODELS {
        return Err(arg(&format!("more than the limit of {} privacy models", super::MAX_MODELS)));
    }
    if !(0.0..=1.0).contains(&config.suppression_limit) {
        return Err(arg("suppression limit must be within [0, 1]"));
    }
    if config.risk_threshold.is_some_and(|t| !(t > 0.0 && t <= 1.0)) {
        return Err(arg("risk threshold must be within (0, 1]"));
    }
    if records == Some(0) {
        return Err(Error::new(ErrorKind::InvalidInput, "the table has no records"));
    }
    let mut qis = Vec::new();
    let mut sens_names = Vec::new();
    for name in names {
        match config.role(name) {
            AttributeType::Identifying if !config.drop_identifying => {
                return Err(arg(
                    "an identifying column is still in the table: remove it, or set `drop_identifying` \
                     (spec: \"drop_identifying\": true; Rust: Config::drop_identifying(true)) to drop it from the output",
                )
                .at_column(name.clone()));
            }
            AttributeType::QuasiIdentifying => qis.push(name.clone()),
            AttributeType::Sensitive => sens_names.push(name.clone()),
            _ => {}
        }
    }
    if qis.is_empty() {
        return Err(arg("no quasi-identifier is configured"));
    }
    Ok((qis, sens_names))
}

/// The hierarchy of a quasi-identifier: the configured one, or a flat one over the values present.
/// The flat one lists the values sorted, not in order of appearance, so that it is the same
/// whichever order the records (or partitions of counts) come in: the metrics sum over hierarchy
/// rows, and floating-point sums depend on their order.
pub(crate) fn qi_hierarchy(config: &Config, name: &str, dict: &[String]) -> Result<Hierarchy> {
    match config.hierarchies.get(name) {
        Some(h) => Ok(h.clone()),
        None => {
            let mut values: Vec<&str> = dict.iter().map(|s| s.as_str()).collect();
            values.sort_unstable();
            Hierarchy::flat(&values)
        }
    }
}

pub(crate) fn encode(table: &Table, config: &Config) -> Result<Encoded> {
    let (qis, sens_names) = roles(config, table.names(), Some(table.rows() as u64))?;
    let column = |name: &str| table.column(name).expect("checked by roles");
    // The research subset travels as a hidden sensitive column with codes 0 (outside) and 1 (inside).
    let subset = match &config.research_subset {
        None => None,
        Some(flags) => {
            if flags.len() != table.rows() {
                return Err(arg("the research subset needs one flag per table row"));
            }
            Some(flags.iter().map(|&f| f as u32).collect())
        }
    };
    let parts =
        Parts { qis: &qis, sensitive: &sens_names, records: table.rows(), weights: None, subset, grouped: false };
    encode_parts(config, parts, column, |e, row| table.at_row(e, row))
}

/// What [`encode_parts`] encodes: the columns by role, and how many records each row stands for.
pub(crate) struct Parts<'n> {
    pub qis: &'n [String],
    pub sensitive: &'n [String],
    /// Records (the sum of the weights).
    pub records: usize,
    pub weights: Option<Vec<u32>>,
    /// Research-subset flag (0 or 1) per encoded row.
    pub subset: Option<Vec<u32>>,
    /// Rows with the same quasi-identifier values are adjacent.
    pub grouped: bool,
}

/// Encodes dictionary columns (one entry per encoded row) under their roles. `at_row` places a
/// value-missing error at the encoded row that holds the value.
pub(crate) fn encode_parts<'c>(
    config: &Config,
    parts: Parts<'_>,
    column: impl Fn(&str) -> &'c DictColumn,
    at_row: impl Fn(Error, usize) -> Error,
) -> Result<Encoded> {
    let Parts { qis, sensitive: sens_names, records, weights, subset, grouped } = parts;
    let units = column(&qis[0]).codes.len();
    let weight = |r: usize| weights.as_ref().map_or(1, |w: &Vec<u32>| w[r]);
    let mut shift = 0u32;
    let mut encoded_qis = Vec::with_capacity(qis.len());
    for name in qis {
        let col = column(name);
        let hierarchy = qi_hierarchy(config, name, &col.dict)?;
        let mut q = encode_qi(name, col, hierarchy, &weight).map_err(|m| at_row(m.0, m.1))?;
        q.shift = shift;
        shift += q.bits;
        if shift > 64 {
            return Err(arg("quasi-identifier domains are too large to pack into 64 bits").at_column(name.clone()));
        }
        encoded_qis.push(q);
    }
    let mut sens = Vec::new();
    for name in sens_names {
        let col = column(name);
        sens.push(
            encode_sensitive(name, col, config.hierarchies.get(name), records, &weight)
                .map_err(|m| at_row(m.0, m.1))?,
        );
    }
    let subset = match subset {
        None => None,
        Some(codes) => {
            let inside =
                (0..units).filter(|&r| codes[r] == 1).map(|r| weight(r) as u64).sum::<u64>() as f64 / records as f64;
            let domain = SensitiveDomain { global: vec![1.0 - inside, inside], rank: vec![0, 1], tree: None };
            sens.push(SensColumn { codes, domain });
            Some(sens.len() - 1)
        }
    };
    let mut models = Vec::new();
    for m in &config.models {
        let c = Compiled::compile(m, sens_names, records, subset)?;
        if let (Compiled::Close(s, _, super::GroundDistance::Hierarchical), Some(a)) = (&c, m.attribute()) {
            if sens[*s].domain.tree.is_none() {
                return Err(arg("hierarchical t-closeness needs a hierarchy for the sensitive attribute").at_column(a));
            }
        }
        if let (Compiled::Distinct(s, l) | Compiled::Recursive(s, _, l), Some(a)) = (&c, m.attribute()) {
            if sens[*s].domain.global.len() < *l {
                return Err(arg(&format!("l = {l} exceeds the number of distinct sensitive values")).at_column(a));
            }
        }
        models.push(c);
    }
    let max_suppressed = (config.suppression_limit * records as f64 + 1e-9).floor() as u64;
    Ok(Encoded { rows: records, units, weights, qis: encoded_qis, sens, models, max_suppressed, grouped })
}

/// A value missing from its hierarchy: the error and the first row that holds the value (boxed:
/// `Error` is large and this travels through `Result`).
type Missing = Box<(Error, usize)>;

fn missing(name: &str, col: &DictColumn, code: usize) -> Missing {
    let row = col.codes.iter().position(|&c| c as usize == code).unwrap_or(0);
    Box::new((Error::new(ErrorKind::InvalidInput, "value is missing from the hierarchy").at_column(name), row))
}

/// The codes of one hierarchy level: `gen[row]`, the code of each row's label at `level`, codes
/// numbered by first appearance; and `label_row[code]`, the first row that carries each label.
pub(crate) fn level_codes(rows: &[Vec<String>], level: usize) -> (Vec<u32>, Vec<u32>) {
    let mut codes: HashMap<&str, u32> = HashMap::new();
    let (mut gen, mut label_row) = (Vec::with_capacity(rows.len()), Vec::new());
    for (i, r) in rows.iter().enumerate() {
        let next = codes.len() as u32;
        let c = *codes.entry(r[level].as_str()).or_insert(next);
        if c == next {
            label_row.push(i as u32);
        }
        gen.push(c);
    }
    (gen, label_row)
}

fn encode_qi(
    name: &str,
    col: &DictColumn,
    hierarchy: Hierarchy,
    weight: &dyn Fn(usize) -> u32,
) -> Result<QiColumn, Missing> {
    let rows = hierarchy.rows();
    let height = hierarchy.height();
    let domain = rows.len();
    let index: HashMap<&str, u32> = rows.iter().enumerate().map(|(i, r)| (r[0].as_str(), i as u32)).collect();
    // Dictionary code -> hierarchy row, reporting the first row holding a missing value.
    let mut dict_to_row = Vec::with_capacity(col.dict.len());
    for (code, v) in col.dict.iter().enumerate() {
        match index.get(v.as_str()) {
            Some(&r) => dict_to_row.push(r),
            None => return Err(missing(name, col, code)),
        }
    }
    let base = RowCodes::new(col.codes.iter().map(|&c| dict_to_row[c as usize]), domain);
    let mut gen = Vec::with_capacity(height + 1);
    let mut label_row = Vec::with_capacity(height + 1);
    let mut leaves = Vec::with_capacity(height + 1);
    for level in 0..=height {
        let (g, lr) = level_codes(rows, level);
        let mut lv = vec![0u32; lr.len()];
        for &c in &g {
            lv[c as usize] += 1;
        }
        gen.push(g);
        label_row.push(lr);
        leaves.push(lv);
    }
    let mut counts = vec![0u32; domain];
    for r in 0..col.codes.len() {
        counts[base.get(r)] += weight(r);
    }
    let freq: Vec<Vec<u32>> = (0..=height)
        .map(|l| {
            let mut f = vec![0u32; leaves[l].len()];
            for (b, &c) in counts.iter().enumerate() {
                f[gen[l][b] as usize] += c;
            }
            f
        })
        .collect();
    let numeric: Option<Vec<f64>> = rows.iter().map(|r| r[0].trim().parse::<f64>().ok()).collect();
    Ok(QiColumn {
        name: name.to_string(),
        bits: bits_for(domain),
        shift: 0,
        height,
        domain,
        base,
        gen,
        label_row,
        leaves,
        freq,
        numeric,
        hierarchy: std::sync::Arc::new(hierarchy),
    })
}

fn encode_sensitive(
    name: &str,
    col: &DictColumn,
    hierarchy: Option<&Hierarchy>,
    rows: usize,
    weight: &dyn Fn(usize) -> u32,
) -> Result<SensColumn, Missing> {
    let m = col.dict.len();
    // Codes are ranks in the attribute's order (numeric if every value parses, else by text; ties
    // by text), not dictionary codes: the same values get the same codes whatever order the
    // records came in, so that sums over a histogram (entropy, distances) are the same in memory
    // and from counts.
    let mut order: Vec<u32> = (0..m as u32).collect();
    let nums: Option<Vec<f64>> = col.dict.iter().map(|v| v.trim().parse::<f64>().ok()).collect();
    let text = |c: u32| col.dict[c as usize].as_str();
    match &nums {
        Some(n) => order.sort_by(|&a, &b| n[a as usize].total_cmp(&n[b as usize]).then_with(|| text(a).cmp(text(b)))),
        None => order.sort_by(|&a, &b| text(a).cmp(text(b))),
    }
    let mut code_of = vec![0u32; m];
    for (r, &c) in order.iter().enumerate() {
        code_of[c as usize] = r as u32;
    }
    let codes: Vec<u32> = col.codes.iter().map(|&c| code_of[c as usize]).collect();
    let mut global = vec![0.0; m];
    for (r, &c) in codes.iter().enumerate() {
        global[c as usize] += weight(r) as f64;
    }
    for g in global.iter_mut() {
        *g /= rows as f64;
    }
    let rank: Vec<u32> = (0..m as u32).collect();
    let sorted = DictColumn { dict: order.iter().map(|&c| col.dict[c as usize].clone()).collect(), codes };
    let col = &sorted;
    let tree = match hierarchy {
        None => None,
        Some(h) => {
            let index: HashMap<&str, usize> = h.rows().iter().enumerate().map(|(i, r)| (r[0].as_str(), i)).collect();
            let mut value_row = Vec::with_capacity(m);
            for (code, v) in col.dict.iter().enumerate() {
                match index.get(v.as_str()) {
                    Some(&r) => value_row.push(r),
                    None => return Err(missing(name, col, code)),
                }
            }
            // parent[level][node at level] = node at level + 1; level-0 nodes are value codes.
            let mut levels = Vec::new();
            let mut current: Vec<usize> = value_row.clone(); // representative hierarchy row per node
            for level in 1..=h.height() {
                let mut codes: HashMap<&str, u32> = HashMap::new();
                let mut parent = Vec::with_capacity(current.len());
                let mut next_rep = Vec::new();
                for &r in &current {
                    let label = h.rows()[r][level].as_str();
                    let n = codes.len() as u32;
                    let c = *codes.entry(label).or_insert(n);
                    if c == n {
                        next_rep.push(r);
                    }
                    parent.push(c);
                }
                levels.push(parent);
                current = next_rep;
            }
            Some(levels)
        }
    };
    let DictColumn { codes, .. } = sorted;
    Ok(SensColumn { codes, domain: SensitiveDomain { global, rank, tree } })
}
