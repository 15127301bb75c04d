//! Mondrian multidimensional local recoding (LeFevre, DeWitt, Ramakrishnan 2006), strict, with no
//! suppression.
//!
//! A partition of records is split while both (or all) parts satisfy every privacy model; the
//! attribute with the widest normalized range is tried first. Numeric quasi-identifiers split at
//! the median and are released as intervals `[lo-hi]` of the values present. Categorical ones
//! split along their hierarchy: the records under each child of the partition's lowest common
//! ancestor form a part; children too small to stand alone are pooled into one part (labelled by
//! their common ancestor), or joined to the smallest passing part. Every partition is released
//! with, per categorical attribute, the lowest hierarchy node covering its values.

use std::collections::HashMap;

use super::model::Hist;
use super::report::{AttributeQuality, Quality};
use super::{metric, Aggregate, Anonymized, Anonymizer, DictColumn, Error, ErrorKind, Result};

#[derive(Clone, Copy, Debug)]
enum Dim {
    /// `(lowest rank, highest rank)` of the values present.
    Num(u32, u32),
    /// Lowest common ancestor `(level, code)`.
    Cat(usize, u32),
}

struct Ctx<'a, 'b> {
    a: &'b Anonymizer<'a>,
    /// Partitions so far and the most an average-risk model allows.
    partitions: std::sync::atomic::AtomicUsize,
    max_partitions: usize,
    /// For numeric columns: rank of each hierarchy row and the value of each rank.
    ranks: Vec<Option<(Vec<u32>, Vec<f64>)>>,
}

impl Ctx<'_, '_> {
    fn state(&self, rows: &[u32]) -> Vec<Dim> {
        let enc = &self.a.enc;
        enc.qis
            .iter()
            .enumerate()
            .map(|(j, q)| match &self.ranks[j] {
                Some((rank, _)) => {
                    let (mut lo, mut hi) = (u32::MAX, 0);
                    for &r in rows {
                        let x = rank[q.base.get(r as usize)];
                        lo = lo.min(x);
                        hi = hi.max(x);
                    }
                    Dim::Num(lo, hi)
                }
                None => {
                    // The lowest level where every row has the same label. Rows that share a label
                    // share it at every level above (a hierarchy is a tree), so the levels can be
                    // bisected: log(height) scans of the rows, not height.
                    let first = q.base.get(rows[0] as usize);
                    let same = |l: usize| rows.iter().all(|&r| q.gen[l][q.base.get(r as usize)] == q.gen[l][first]);
                    let (mut lo, mut hi) = (0, q.height);
                    while lo < hi {
                        let mid = lo + (hi - lo) / 2;
                        if same(mid) {
                            hi = mid;
                        } else {
                            lo = mid + 1;
                        }
                    }
                    Dim::Cat(lo, q.gen[lo][first])
                }
            })
            .collect()
    }

    fn width(&self, j: usize, d: Dim) -> f64 {
        let q = &self.a.enc.qis[j];
        match d {
            Dim::Num(lo, hi) => {
                let v = &self.ranks[j].as_ref().expect("numeric").1;
                let span = v[v.len() - 1] - v[0];
                if span > 0.0 {
                    (v[hi as usize] - v[lo as usize]) / span
                } else {
                    0.0
                }
            }
            Dim::Cat(l, g) => {
                if q.domain < 2 {
                    0.0
                } else {
                    (q.leaves[l][g as usize] as f64 - 1.0) / (q.domain - 1) as f64
                }
            }
        }
    }

    fn holds(&self, rows: &[u32]) -> bool {
        let enc = &self.a.enc;
        if rows.is_empty() {
            return false;
        }
        let hists = self.hists(rows);
        let doms: Vec<_> = enc.sens.iter().map(|s| &s.domain).collect();
        enc.models.iter().all(|m| m.holds(rows.len() as u32, |s| hists[s].as_slice(), &doms))
    }

    /// Sensitive histograms of a partition (none when only k-anonymity-like models are asked).
    fn hists(&self, rows: &[u32]) -> Vec<Hist> {
        let enc = &self.a.enc;
        if super::search::needs_hists(enc) {
            enc.sens
                .iter()
                .map(|s| {
                    let mut codes: Vec<u32> = rows.iter().map(|&r| s.codes[r as usize]).collect();
                    codes.sort_unstable();
                    let mut h: Hist = Vec::new();
                    for c in codes {
                        match h.last_mut() {
                            Some(last) if last.0 == c => last.1 += 1,
                            _ => h.push((c, 1)),
                        }
                    }
                    h
                })
                .collect()
        } else {
            Vec::new()
        }
    }

    fn split(&self, rows: &[u32], j: usize, d: Dim) -> Option<Vec<Vec<u32>>> {
        let q = &self.a.enc.qis[j];
        match d {
            Dim::Num(lo, hi) => {
                if lo == hi {
                    return None;
                }
                let rank = &self.ranks[j].as_ref().expect("numeric").0;
                let mut xs: Vec<u32> = rows.iter().map(|&r| rank[q.base.get(r as usize)]).collect();
                let mid = xs.len() / 2;
                let (_, &mut m, _) = xs.select_nth_unstable(mid);
                // Left takes ranks <= s; move s down if everything would go left.
                let s = if m == hi { xs.iter().copied().filter(|&x| x < hi).max()? } else { m };
                let (l, r): (Vec<u32>, Vec<u32>) = rows.iter().partition(|&&r| rank[q.base.get(r as usize)] <= s);
                (self.holds(&l) && self.holds(&r)).then(|| vec![l, r])
            }
            Dim::Cat(level, _) => {
                if level == 0 {
                    return None;
                }
                let mut parts: HashMap<u32, Vec<u32>> = HashMap::new();
                for &r in rows {
                    parts.entry(q.gen[level - 1][q.base.get(r as usize)]).or_default().push(r);
                }
                let mut parts: Vec<(u32, Vec<u32>)> = parts.into_iter().collect();
                parts.sort_by_key(|p| p.0);
                let (mut ok, mut rest) = (Vec::new(), Vec::new());
                for (_, p) in parts {
                    if self.holds(&p) {
                        ok.push(p);
                    } else {
                        rest.extend(p);
                    }
                }
                if !rest.is_empty() {
                    if self.holds(&rest) {
                        ok.push(rest);
                    } else {
                        let i = (0..ok.len()).min_by_key(|&i| ok[i].len())?;
                        ok[i].extend(rest);
                        if !self.holds(&ok[i]) {
                            return None;
                        }
                    }
                }
                (ok.len() >= 2).then_some(ok)
            }
        }
    }

    /// The parts of a partition: its split, if one passes every model (and the partition cap),
    /// else its state (it is released as it is).
    fn split_or_release(&self, rows: &[u32]) -> Result<Vec<Vec<u32>>, Vec<Dim>> {
        let state = self.state(rows);
        let mut dims: Vec<(usize, f64)> = (0..state.len()).map(|j| (j, self.width(j, state[j]))).collect();
        dims.retain(|d| d.1 > 0.0);
        dims.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (j, _) in dims {
            if let Some(parts) = self.split(rows, j, state[j]) {
                // An average-risk model caps the number of partitions over the whole output.
                use std::sync::atomic::Ordering::SeqCst;
                let extra = parts.len() - 1;
                let cap = self.max_partitions;
                if self.partitions.fetch_update(SeqCst, SeqCst, |n| (n + extra <= cap).then_some(n + extra)).is_ok() {
                    return Ok(parts);
                }
            }
        }
        Err(state)
    }

    /// Splits `rows` until nothing more splits, depth first, appending the released partitions to
    /// `out`. Without recursion: a tall hierarchy can nest splits as deep as it is tall, deeper than
    /// a thread's stack. A split of more than `PARALLEL` rows into two or more parts of at least
    /// `PARALLEL / 4` is run in parallel, recursively: every such level takes `PARALLEL / 4` rows or
    /// more from the largest part, so the nesting is at most rows / 5,000 deep.
    fn run(&self, rows: Vec<u32>, out: &mut Vec<(Vec<u32>, Vec<Dim>)>) {
        const PARALLEL: usize = 20_000;
        let mut stack = vec![rows];
        while let Some(rows) = stack.pop() {
            match self.split_or_release(&rows) {
                Err(state) => out.push((rows, state)),
                Ok(parts) if rows.len() > PARALLEL && parts.iter().filter(|p| p.len() >= PARALLEL / 4).count() >= 2 => {
                    use rayon::prelude::*;
                    let results: Vec<Vec<(Vec<u32>, Vec<Dim>)>> = parts
                        .into_par_iter()
                        .map(|p| {
                            let mut o = Vec::new();
                            self.run(p, &mut o);
                            o
                        })
                        .collect();
                    out.extend(results.into_iter().flatten());
                }
                Ok(parts) => stack.extend(parts.into_iter().rev()),
            }
        }
    }
}

pub(crate) fn run(a: &Anonymizer) -> Result<Anonymized> {
    let t = std::time::Instant::now();
    let enc = &a.enc;
    let ranks = enc
        .qis
        .iter()
        .map(|q| {
            let nums = q.numeric.as_ref()?;
            if a.config.categorical.contains(&q.name) {
                return None;
            }
            let mut order: Vec<u32> = (0..q.domain as u32).collect();
            order.sort_by(|&x, &y| nums[x as usize].total_cmp(&nums[y as usize]));
            let mut rank = vec![0u32; q.domain];
            for (r, &b) in order.iter().enumerate() {
                rank[b as usize] = r as u32;
            }
            Some((rank, order.iter().map(|&b| nums[b as usize]).collect()))
        })
        .collect();
    let max_partitions = enc
        .models
        .iter()
        .filter_map(|m| match m {
            super::model::Compiled::AvgRisk(r) => Some((r * enc.rows as f64 + 1e-9).floor() as usize),
            _ => None,
        })
        .min()
        .unwrap_or(usize::MAX);
    let ctx = Ctx { a, ranks, partitions: std::sync::atomic::AtomicUsize::new(1), max_partitions };
    let all: Vec<u32> = (0..enc.rows as u32).collect();
    if !ctx.holds(&all) || max_partitions == 0 {
        return Err(Error::new(
            ErrorKind::AnonymizationInfeasible,
            "the whole table does not satisfy the privacy models, so no recoding without suppression can",
        ));
    }
    let mut parts = Vec::new();
    ctx.run(all, &mut parts);
    let ms = t.elapsed().as_secs_f64() * 1e3;

    // Output labels and loss.
    let m = enc.qis.len();
    let n = enc.rows as f64;
    let mut loss = vec![0.0; m];
    let mut cols: Vec<(HashMap<String, u32>, DictColumn)> =
        (0..m).map(|_| (HashMap::new(), DictColumn { dict: Vec::new(), codes: vec![0; enc.rows] })).collect();
    for (rows, state) in &parts {
        for (j, q) in enc.qis.iter().enumerate() {
            let label = match state[j] {
                Dim::Num(lo, hi) => {
                    let (rank, vals) = ctx.ranks[j].as_ref().expect("numeric");
                    let text = |rk: u32| {
                        let b = rank.iter().position(|&x| x == rk).expect("rank exists");
                        let _ = vals;
                        q.hierarchy.rows()[b][0].clone()
                    };
                    if lo == hi {
                        text(lo)
                    } else {
                        format!("[{}-{}]", text(lo), text(hi))
                    }
                }
                Dim::Cat(l, g) => q.label(l, g).to_string(),
            };
            loss[j] += rows.len() as f64 * ctx.width(j, state[j]);
            let (index, col) = &mut cols[j];
            let next = col.dict.len() as u32;
            let code = *index.entry(label.clone()).or_insert(next);
            if code == next {
                col.dict.push(label);
            }
            for &r in rows {
                col.codes[r as usize] = code;
            }
        }
    }
    for l in loss.iter_mut() {
        *l /= n;
    }
    let sizes: Vec<u64> = parts.iter().map(|p| p.0.len() as u64).collect();
    let quality = Quality {
        loss: metric::aggregate(&loss, Aggregate::Arithmetic),
        loss_geometric: metric::aggregate(&loss, Aggregate::Geometric),
        attributes: enc
            .qis
            .iter()
            .zip(&loss)
            .map(|(q, &l)| AttributeQuality { attribute: q.name.clone(), level: None, loss: l })
            .collect(),
        non_uniform_entropy: None,
        discernibility: sizes.iter().map(|&s| (s * s) as f64).sum(),
        average_class_size: n / sizes.len().max(1) as f64,
        precision: None,
        suppressed: 0,
        classes: sizes.len() as u64,
        min_class_size: sizes.iter().copied().min().unwrap_or(0),
        max_class_size: sizes.iter().copied().max().unwrap_or(0),
    };
    // Free the partitions and count the input's classes before the output columns are assembled,
    // so that these allocations do not add up at the peak.
    let hists: Vec<Vec<Hist>> = parts.iter().map(|p| ctx.hists(&p.0)).collect();
    let released: Vec<super::model::Released<'_>> =
        sizes.iter().zip(&hists).map(|(&n, h)| (n as u32, h.iter().map(|x| x.as_slice()).collect())).collect();
    drop(parts);
    let report = a.report("mondrian", quality, &released, ms);
    let table = a.output_table(cols.into_iter().map(|c| c.1).collect())?;
    Ok(Anonymized { table, report, generalizer: None })
}
