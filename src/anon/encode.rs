//! Encoding: each quasi-identifier column becomes integer codes per hierarchy level, once, so
//! that the search never touches a string. Also validates the table against the configuration.

use std::collections::HashMap;

use super::config::Config;
use super::hierarchy::Hierarchy;
use super::model::{Compiled, SensitiveDomain};
use super::table::{AttributeType, Table};
use crate::{Error, ErrorKind, Result};

/// One quasi-identifier, encoded.
#[derive(Clone, Debug)]
pub(crate) struct QiColumn {
    pub name: String,
    pub hierarchy: Hierarchy,
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
#[derive(Clone, Debug)]
pub(crate) struct Encoded {
    pub rows: usize,
    pub qis: Vec<QiColumn>,
    pub sens: Vec<SensColumn>,
    pub models: Vec<Compiled>,
    pub max_suppressed: u64,
}

fn bits_for(n: usize) -> u32 {
    (usize::BITS - n.saturating_sub(1).leading_zeros()).max(1)
}

pub(crate) fn encode(table: &Table, config: &Config) -> Result<Encoded> {
    let arg = |m: &str| Error::new(ErrorKind::InvalidArgument, m.to_string());
    // The first missing name in name order, so that the error does not depend on hashing.
    if let Some(name) = config.roles.keys().filter(|n| table.index_of(n).is_none()).min() {
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
    if table.rows() == 0 {
        return Err(Error::new(ErrorKind::InvalidInput, "the table has no records"));
    }
    let mut qis = Vec::new();
    let mut sens_names = Vec::new();
    for name in table.names() {
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
    let mut shift = 0u32;
    let mut encoded_qis = Vec::with_capacity(qis.len());
    for name in &qis {
        let col = table.column(name).expect("checked above");
        let hierarchy = match config.hierarchies.get(name) {
            Some(h) => h.clone(),
            None => Hierarchy::flat(&col.dict)?,
        };
        let mut q = encode_qi(name, col, hierarchy).map_err(|m| table.at_row(m.0, m.1))?;
        q.shift = shift;
        shift += q.bits;
        if shift > 64 {
            return Err(arg("quasi-identifier domains are too large to pack into 64 bits").at_column(name.clone()));
        }
        encoded_qis.push(q);
    }
    let mut sens = Vec::new();
    for name in &sens_names {
        let col = table.column(name).expect("checked above");
        sens.push(
            encode_sensitive(name, col, config.hierarchies.get(name), table.rows())
                .map_err(|m| table.at_row(m.0, m.1))?,
        );
    }
    // The research subset travels as a hidden sensitive column with codes 0 (outside) and 1 (inside).
    let subset = match &config.research_subset {
        None => None,
        Some(flags) => {
            if flags.len() != table.rows() {
                return Err(arg("the research subset needs one flag per table row"));
            }
            let codes: Vec<u32> = flags.iter().map(|&f| f as u32).collect();
            let inside = codes.iter().filter(|&&c| c == 1).count() as f64 / table.rows() as f64;
            let domain = SensitiveDomain { global: vec![1.0 - inside, inside], rank: vec![0, 1], tree: None };
            sens.push(SensColumn { codes, domain });
            Some(sens.len() - 1)
        }
    };
    let mut models = Vec::new();
    for m in &config.models {
        let c = Compiled::compile(m, &sens_names, table.rows(), subset)?;
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
    let max_suppressed = (config.suppression_limit * table.rows() as f64 + 1e-9).floor() as u64;
    Ok(Encoded { rows: table.rows(), qis: encoded_qis, sens, models, max_suppressed })
}

/// A value missing from its hierarchy: the error and the first row that holds the value (boxed:
/// `Error` is large and this travels through `Result`).
type Missing = Box<(Error, usize)>;

fn missing(name: &str, col: &super::table::DictColumn, code: usize) -> Missing {
    let row = col.codes.iter().position(|&c| c as usize == code).unwrap_or(0);
    Box::new((Error::new(ErrorKind::InvalidInput, "value is missing from the hierarchy").at_column(name), row))
}

fn encode_qi(name: &str, col: &super::table::DictColumn, hierarchy: Hierarchy) -> Result<QiColumn, Missing> {
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
        let mut codes: HashMap<&str, u32> = HashMap::new();
        let mut g = Vec::with_capacity(domain);
        let (mut lr, mut lv) = (Vec::new(), Vec::new());
        for (i, r) in rows.iter().enumerate() {
            let next = codes.len() as u32;
            let c = *codes.entry(r[level].as_str()).or_insert(next);
            if c == next {
                lr.push(i as u32);
                lv.push(0);
            }
            lv[c as usize] += 1;
            g.push(c);
        }
        gen.push(g);
        label_row.push(lr);
        leaves.push(lv);
    }
    let mut counts = vec![0u32; domain];
    for r in 0..col.codes.len() {
        counts[base.get(r)] += 1;
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
        hierarchy,
    })
}

fn encode_sensitive(
    name: &str,
    col: &super::table::DictColumn,
    hierarchy: Option<&Hierarchy>,
    rows: usize,
) -> Result<SensColumn, Missing> {
    let m = col.dict.len();
    let mut global = vec![0.0; m];
    for &c in &col.codes {
        global[c as usize] += 1.0;
    }
    for g in global.iter_mut() {
        *g /= rows as f64;
    }
    // Order: numeric if every value parses, else by text.
    let mut order: Vec<u32> = (0..m as u32).collect();
    let nums: Option<Vec<f64>> = col.dict.iter().map(|v| v.trim().parse::<f64>().ok()).collect();
    match &nums {
        Some(n) => order.sort_by(|&a, &b| n[a as usize].total_cmp(&n[b as usize])),
        None => order.sort_by(|&a, &b| col.dict[a as usize].cmp(&col.dict[b as usize])),
    }
    let mut rank = vec![0u32; m];
    for (r, &c) in order.iter().enumerate() {
        rank[c as usize] = r as u32;
    }
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
    Ok(SensColumn { codes: col.codes.clone(), domain: SensitiveDomain { global, rank, tree } })
}
