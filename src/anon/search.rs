//! Optimal full-domain generalization over the lattice of hierarchy levels (Flash/OLA style).
//!
//! Nodes are visited in increasing order of a lower bound of the metric that holds whatever is
//! suppressed (for Loss, entropy and precision: the value as if nothing were suppressed, since a
//! suppressed record never loses less than a generalized one). Once the next bound reaches the
//! best value found, no unvisited node can do better and the search stops. When the privacy
//! models are monotone (see [`PrivacyModel::monotone`](super::PrivacyModel::monotone)), a checked
//! node tags its whole up-set anonymous or its whole down-set not anonymous (predictive tagging);
//! without suppression, a node tagged anonymous suppresses nothing, so its value is its bound and no
//! class needs counting. A node's classes are rolled up from a cached, already checked direct
//! predecessor (or from the bottom node's classes), never recounted from the rows. Batches of
//! nodes are checked in parallel with rayon.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use rayon::prelude::*;

use super::classes::Classes;
use super::encode::Encoded;
use super::metric::{Metric, Precomputed};

/// The result of checking one transformation.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeEval {
    /// Generalization level of each quasi-identifier.
    pub levels: Vec<u8>,
    /// Records in classes that fail some model.
    pub suppressed: u64,
    /// Whether the suppressed records fit within the suppression limit.
    pub anonymous: bool,
    /// The metric's value (meaningful when anonymous).
    pub value: f64,
}

/// What a search found.
#[derive(Clone, Debug)]
pub struct SearchOutcome {
    /// The transformation with the least metric value that satisfies the models, if any.
    pub optimum: Option<NodeEval>,
    /// Among the checked transformations, the one that needs the least suppression.
    pub best_effort: NodeEval,
    /// Size of the lattice.
    pub nodes: usize,
    /// Transformations whose classes were counted.
    pub checked: usize,
}

pub(crate) struct Lattice {
    heights: Vec<u8>,
    strides: Vec<usize>,
    pub size: usize,
}

impl Lattice {
    pub fn new(enc: &Encoded) -> Lattice {
        let heights: Vec<u8> = enc.qis.iter().map(|q| q.height as u8).collect();
        let mut strides = vec![0; heights.len()];
        let mut size = 1usize;
        for i in (0..heights.len()).rev() {
            strides[i] = size;
            size = size.saturating_mul(heights[i] as usize + 1);
        }
        Lattice { heights, strides, size }
    }
    pub fn levels(&self, mut idx: usize) -> Vec<u8> {
        self.strides
            .iter()
            .map(|&s| {
                let l = idx / s;
                idx %= s;
                l as u8
            })
            .collect()
    }
    /// Marks `start` and every node above (`up`) or below it; stops at marked nodes (the marked
    /// sets are always up- or down-closed).
    fn tag(&self, tags: &mut [u8], start: usize, value: u8, up: bool) {
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if tags[i] == value {
                continue;
            }
            tags[i] = value;
            let lv = self.levels(i);
            for (d, &s) in self.strides.iter().enumerate() {
                if up && lv[d] < self.heights[d] {
                    stack.push(i + s);
                } else if !up && lv[d] > 0 {
                    stack.push(i - s);
                }
            }
        }
    }
}

pub(crate) fn needs_hists(enc: &Encoded) -> bool {
    enc.models.iter().any(|m| !matches!(m, super::model::Compiled::K(_)))
}

/// Checks the classes of a node against the models and the suppression limit.
pub(crate) fn evaluate(enc: &Encoded, pre: &Precomputed, metric: Metric, classes: &Classes) -> NodeEval {
    let pass = classes.passing(enc);
    let suppressed: u64 = (0..classes.len()).filter(|&c| !pass[c]).map(|c| classes.counts[c] as u64).sum();
    let anonymous = suppressed <= enc.max_suppressed;
    let value = if anonymous { pre.value(enc, metric, &classes.levels, Some((classes, &pass))) } else { f64::INFINITY };
    NodeEval { levels: classes.levels.clone(), suppressed, anonymous, value }
}

fn better(a: &NodeEval, b: &NodeEval) -> bool {
    // Least value, then the node lower in the lattice order, for deterministic answers.
    a.value < b.value || (a.value == b.value && a.levels < b.levels)
}

fn less_suppressed(a: &NodeEval, b: &NodeEval) -> bool {
    a.suppressed < b.suppressed
        || (a.suppressed == b.suppressed
            && a.levels.iter().map(|&l| l as u32).sum::<u32>() < b.levels.iter().map(|&l| l as u32).sum::<u32>())
}

const ANON: u8 = 1;
const NOT_ANON: u8 = 2;
const CACHE_BUDGET: usize = 4_000_000;

pub(crate) fn search(enc: &Encoded, pre: &Precomputed, metric: Metric, monotone: bool) -> SearchOutcome {
    let lat = Lattice::new(enc);
    let hists = needs_hists(enc);
    let base = Arc::new(Classes::from_rows(enc, &vec![0; enc.qis.len()], hists));
    let bounds: Vec<f64> = (0..lat.size).map(|i| pre.bound(enc, metric, &lat.levels(i))).collect();
    let mut order: Vec<usize> = (0..lat.size).collect();
    order.sort_by(|&a, &b| bounds[a].total_cmp(&bounds[b]).then(a.cmp(&b)));
    let mut tags = vec![0u8; lat.size];
    let mut cache: HashMap<usize, Arc<Classes>> = HashMap::new();
    let mut fifo: VecDeque<usize> = VecDeque::new();
    let mut cached = 0usize;
    cache.insert(0, base.clone());

    // The top node first: if it fails and the models are monotone, nothing passes.
    let top = lat.size - 1;
    let top_eval = evaluate(enc, pre, metric, &base.roll_up(enc, &lat.levels(top)));
    let mut checked = 1;
    let mut best_effort = top_eval.clone();
    if !top_eval.anonymous && monotone {
        return SearchOutcome { optimum: None, best_effort, nodes: lat.size, checked };
    }
    let mut best: Option<NodeEval> = if top_eval.anonymous { Some(top_eval.clone()) } else { None };
    if monotone && top_eval.anonymous {
        tags[top] = ANON;
    }
    let batch_size = 2 * rayon::current_num_threads().max(1);
    let mut pos = 0;
    'outer: while pos < order.len() {
        let mut batch = Vec::with_capacity(batch_size);
        while batch.len() < batch_size {
            let Some(&i) = order.get(pos) else { break };
            if let Some(b) = &best {
                if bounds[i] >= b.value - 1e-12 * b.value.abs().max(1.0) {
                    if batch.is_empty() {
                        break 'outer;
                    }
                    pos = order.len();
                    break;
                }
            }
            pos += 1;
            match tags[i] {
                NOT_ANON => continue,
                ANON if enc.max_suppressed == 0 && metric.class_independent() => {
                    let e = NodeEval { levels: lat.levels(i), suppressed: 0, anonymous: true, value: bounds[i] };
                    if best.as_ref().is_none_or(|b| better(&e, b)) {
                        best = Some(e);
                    }
                    continue;
                }
                _ => batch.push(i),
            }
        }
        let results: Vec<(usize, Classes, NodeEval)> = batch
            .par_iter()
            .map(|&i| {
                let levels = lat.levels(i);
                // The cached direct predecessor with the fewest classes, else the bottom node.
                let mut src = &base;
                for (d, &s) in lat.strides.iter().enumerate() {
                    if levels[d] > 0 {
                        if let Some(c) = cache.get(&(i - s)) {
                            if c.len() < src.len() {
                                src = c;
                            }
                        }
                    }
                }
                let classes = src.roll_up(enc, &levels);
                let e = evaluate(enc, pre, metric, &classes);
                (i, classes, e)
            })
            .collect();
        for (i, classes, e) in results {
            checked += 1;
            if less_suppressed(&e, &best_effort) {
                best_effort = e.clone();
            }
            if monotone {
                if e.anonymous {
                    lat.tag(&mut tags, i, ANON, true);
                } else {
                    lat.tag(&mut tags, i, NOT_ANON, false);
                }
            }
            if e.anonymous && best.as_ref().is_none_or(|b| better(&e, b)) {
                best = Some(e);
            }
            cached += classes.len();
            cache.insert(i, Arc::new(classes));
            fifo.push_back(i);
            while cached > CACHE_BUDGET {
                let Some(old) = fifo.pop_front() else { break };
                if let Some(c) = cache.remove(&old) {
                    cached -= c.len();
                }
            }
        }
    }
    SearchOutcome { optimum: best, best_effort, nodes: lat.size, checked }
}

/// Checks every node from the rows: the reference the search is tested against.
pub(crate) fn exhaustive(enc: &Encoded, pre: &Precomputed, metric: Metric) -> SearchOutcome {
    let lat = Lattice::new(enc);
    let hists = needs_hists(enc);
    let evals: Vec<NodeEval> = (0..lat.size)
        .into_par_iter()
        .map(|i| evaluate(enc, pre, metric, &Classes::from_rows(enc, &lat.levels(i), hists)))
        .collect();
    let mut best: Option<NodeEval> = None;
    let mut best_effort = evals[lat.size - 1].clone();
    for e in &evals {
        if less_suppressed(e, &best_effort) {
            best_effort = e.clone();
        }
        if e.anonymous && best.as_ref().is_none_or(|b| better(e, b)) {
            best = Some(e.clone());
        }
    }
    SearchOutcome { optimum: best, best_effort, nodes: lat.size, checked: lat.size }
}
