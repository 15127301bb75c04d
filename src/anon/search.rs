//! Optimal full-domain generalization over the lattice of hierarchy levels (Flash/OLA style).
//!
//! Nodes are visited in increasing order of a lower bound of the metric that holds whatever is
//! suppressed (for Loss, entropy and precision: the value as if nothing were suppressed, since a
//! suppressed record never loses less than a generalized one). Once the next bound reaches the
//! best value found, no unvisited node can do better and the search stops. When the privacy
//! models are monotone (see [`PrivacyModel::monotone`](super::PrivacyModel::monotone)), a checked
//! node tags its whole up-set anonymous or its whole down-set not anonymous (predictive tagging);
//! without suppression, a node tagged anonymous suppresses nothing, so its value is its bound and no
//! class needs counting. With monotone models an unresolved node is resolved Flash-style: a path
//! up through unresolved nodes is searched for its lowest anonymous node, two probes at a time.
//! A node's classes are rolled up from the smallest cached class table of a checked node below it
//! (at worst the bottom node's), never recounted from the rows. Probes and batches of nodes are
//! checked in parallel with rayon.

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
    pub levels: Vec<usize>,
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
    heights: Vec<usize>,
    strides: Vec<usize>,
    pub size: usize,
}

impl Lattice {
    pub fn new(enc: &Encoded) -> Lattice {
        let heights: Vec<usize> = enc.qis.iter().map(|q| q.height).collect();
        let mut strides = vec![0; heights.len()];
        let mut size = 1usize;
        for i in (0..heights.len()).rev() {
            strides[i] = size;
            size = size.saturating_mul(heights[i].saturating_add(1));
        }
        Lattice { heights, strides, size }
    }
    pub fn levels(&self, mut idx: usize) -> Vec<usize> {
        self.strides
            .iter()
            .map(|&s| {
                let l = idx / s;
                idx %= s;
                l
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
    enc.models.iter().any(|m| !matches!(m, super::model::Compiled::K(_) | super::model::Compiled::AvgRisk(_)))
}

/// Checks the classes of a node against the models and the suppression limit.
pub(crate) fn evaluate(enc: &Encoded, pre: &Precomputed, metric: Metric, classes: &Classes) -> NodeEval {
    let pass = classes.passing(enc);
    let suppressed: u64 = (0..classes.len()).filter(|&c| !pass[c]).map(|c| classes.counts[c] as u64).sum();
    let released = (classes.len() - pass.iter().filter(|&&p| !p).count()) as u64;
    let anonymous = suppressed <= enc.max_suppressed
        && enc.models.iter().all(|m| m.average_risk_ok(released, enc.rows as u64 - suppressed));
    let value = if anonymous { pre.value(enc, metric, &classes.levels, Some((classes, &pass))) } else { f64::INFINITY };
    NodeEval { levels: classes.levels.clone(), suppressed, anonymous, value }
}

fn better(a: &NodeEval, b: &NodeEval) -> bool {
    // Least value, then the node lower in the lattice order, for deterministic answers.
    a.value < b.value || (a.value == b.value && a.levels < b.levels)
}

fn less_suppressed(a: &NodeEval, b: &NodeEval) -> bool {
    a.suppressed < b.suppressed
        || (a.suppressed == b.suppressed && a.levels.iter().sum::<usize>() < b.levels.iter().sum::<usize>())
}

const ANON: u8 = 1;
const NOT_ANON: u8 = 2;
const CACHE_BUDGET: usize = 4_000_000;

struct State<'e> {
    enc: &'e Encoded,
    pre: &'e Precomputed,
    metric: Metric,
    monotone: bool,
    lat: Lattice,
    base: Arc<Classes>,
    tags: Vec<u8>,
    checked: Vec<bool>,
    n_checked: usize,
    cache: HashMap<usize, Arc<Classes>>,
    fifo: VecDeque<usize>,
    cached: usize,
    best: Option<NodeEval>,
    best_effort: Option<NodeEval>,
}

impl State<'_> {
    /// Counts the classes of these nodes in parallel, each rolled up from the cached node below it
    /// with the fewest classes (at worst the bottom node), and records the results.
    fn check(&mut self, nodes: &[usize]) {
        let (enc, pre, metric, lat, cache, base) =
            (self.enc, self.pre, self.metric, &self.lat, &self.cache, &self.base);
        let results: Vec<(usize, Classes, NodeEval)> = nodes
            .par_iter()
            .map(|&i| {
                let levels = lat.levels(i);
                // Any cached node below this one will do; the one with the fewest classes is cheapest.
                let mut src = base;
                for c in cache.values() {
                    if c.len() < src.len() && c.levels.iter().zip(&levels).all(|(a, b)| a <= b) {
                        src = c;
                    }
                }
                let classes = src.roll_up(enc, &levels);
                let e = evaluate(enc, pre, metric, &classes);
                (i, classes, e)
            })
            .collect();
        for (i, classes, e) in results {
            self.n_checked += 1;
            self.checked[i] = true;
            if self.best_effort.as_ref().is_none_or(|b| less_suppressed(&e, b)) {
                self.best_effort = Some(e.clone());
            }
            if self.monotone {
                let (v, up) = if e.anonymous { (ANON, true) } else { (NOT_ANON, false) };
                self.lat.tag(&mut self.tags, i, v, up);
            }
            if e.anonymous && self.best.as_ref().is_none_or(|b| better(&e, b)) {
                self.best = Some(e);
            }
            self.cached += classes.len();
            self.cache.insert(i, Arc::new(classes));
            self.fifo.push_back(i);
            while self.cached > CACHE_BUDGET {
                let Some(old) = self.fifo.pop_front() else { break };
                if old == 0 {
                    continue;
                }
                if let Some(c) = self.cache.remove(&old) {
                    self.cached -= c.len();
                }
            }
        }
    }

    /// Flash-style: from an unknown node, walk up through unknown nodes (cheapest bound first) and
    /// find the lowest anonymous node on that path by searching it with two probes at a time;
    /// every probe tags its up-set or down-set.
    fn resolve_path(&mut self, start: usize, bounds: &[f64]) {
        let mut path = vec![start];
        let mut i = start;
        loop {
            let lv = self.lat.levels(i);
            let next = (0..lv.len())
                .filter(|&d| lv[d] < self.lat.heights[d])
                .map(|d| i + self.lat.strides[d])
                .filter(|&j| self.tags[j] == 0)
                .min_by(|&a, &b| bounds[a].total_cmp(&bounds[b]).then(a.cmp(&b)));
            match next {
                Some(j) => {
                    path.push(j);
                    i = j;
                }
                None => break,
            }
        }
        let (mut lo, mut hi) = (0, path.len());
        loop {
            while lo < hi && self.tags[path[lo]] == NOT_ANON {
                lo += 1;
            }
            while lo < hi && self.tags[path[hi - 1]] == ANON {
                hi -= 1;
            }
            if lo >= hi {
                break;
            }
            let w = hi - lo;
            let probes: Vec<usize> =
                if w <= 2 { path[lo..hi].to_vec() } else { vec![path[lo + w / 3], path[lo + 2 * w / 3]] };
            self.check(&probes);
        }
    }
}

pub(crate) fn search(enc: &Encoded, pre: &Precomputed, metric: Metric, monotone: bool) -> SearchOutcome {
    let lat = Lattice::new(enc);
    let hists = needs_hists(enc);
    let base = Arc::new(Classes::from_rows(enc, &vec![0; enc.qis.len()], hists));
    let bounds: Vec<f64> = (0..lat.size).map(|i| pre.bound(enc, metric, &lat.levels(i))).collect();
    let mut order: Vec<usize> = (0..lat.size).collect();
    order.sort_by(|&a, &b| bounds[a].total_cmp(&bounds[b]).then(a.cmp(&b)));
    let size = lat.size;
    let mut st = State {
        enc,
        pre,
        metric,
        monotone,
        lat,
        base: base.clone(),
        tags: vec![0u8; size],
        checked: vec![false; size],
        n_checked: 0,
        cache: HashMap::new(),
        fifo: VecDeque::new(),
        cached: 0,
        best: None,
        best_effort: None,
    };
    st.cache.insert(0, base);

    // The top node first: if it fails and the models are monotone, nothing passes.
    st.check(&[size - 1]);
    if monotone && st.best.is_none() {
        // When even the top suppresses every record, no node does worse: report the least
        // generalized one instead (its suppression is recounted when the report is built).
        let mut best_effort = st.best_effort.expect("top checked");
        if best_effort.suppressed == enc.rows as u64 {
            best_effort.levels.fill(0);
        }
        return SearchOutcome { optimum: None, best_effort, nodes: size, checked: st.n_checked };
    }
    let batch_size = 2 * rayon::current_num_threads().max(1);
    let mut batch = Vec::with_capacity(batch_size);
    let mut pos = 0;
    while pos < order.len() {
        let i = order[pos];
        if let Some(b) = &st.best {
            if bounds[i] >= b.value - 1e-12 * b.value.abs().max(1.0) {
                if batch.is_empty() {
                    break;
                }
                st.check(&std::mem::take(&mut batch));
                continue;
            }
        }
        if st.checked[i] || st.tags[i] == NOT_ANON || batch.contains(&i) {
            pos += 1;
            continue;
        }
        if st.tags[i] == ANON && (enc.max_suppressed == 0 && metric.class_independent() || metric.levels_only()) {
            // Anonymous, and the value does not depend on classes: it is the bound.
            let e = NodeEval { levels: st.lat.levels(i), suppressed: 0, anonymous: true, value: bounds[i] };
            if st.best.as_ref().is_none_or(|b| better(&e, b)) {
                st.best = Some(e);
            }
            pos += 1;
            continue;
        }
        if monotone && st.tags[i] == 0 {
            if !batch.is_empty() {
                st.check(&std::mem::take(&mut batch));
            }
            st.resolve_path(i, &bounds);
            continue; // i is now tagged (and maybe checked); look at it again
        }
        batch.push(i);
        pos += 1;
        if batch.len() >= batch_size {
            st.check(&std::mem::take(&mut batch));
        }
    }
    if !batch.is_empty() {
        st.check(&batch);
    }
    let best_effort = st.best_effort.expect("top checked");
    SearchOutcome { optimum: st.best, best_effort, nodes: size, checked: st.n_checked }
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
