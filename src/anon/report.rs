//! The report of an anonymization: machine-readable (serde JSON) and a human-readable summary.

use std::fmt::Write;

use super::risk::Risk;

/// Whether one privacy model holds in the output.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ModelStatus {
    /// e.g. `5-anonymity`.
    pub model: String,
    /// Whether every released (non-suppressed) class satisfies it.
    pub holds: bool,
    /// What the output achieves, e.g. `smallest class 16`.
    pub achieved: String,
}

/// Loss of one attribute.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AttributeQuality {
    /// Column name.
    pub attribute: String,
    /// Chosen generalization level (full-domain only).
    pub level: Option<usize>,
    /// Generalized information loss of this attribute, 0..=1.
    pub loss: f64,
}

/// Quality of the output, with ARX's definitions (see [`Metric`](super::Metric)).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Quality {
    /// Generalized information loss, arithmetic mean over attributes.
    pub loss: f64,
    /// Generalized information loss, ARX's geometric aggregate.
    pub loss_geometric: f64,
    /// Per attribute.
    pub attributes: Vec<AttributeQuality>,
    /// Non-uniform entropy (full-domain only).
    pub non_uniform_entropy: Option<f64>,
    /// Discernibility.
    pub discernibility: f64,
    /// Average equivalence class size.
    pub average_class_size: f64,
    /// Precision (full-domain only).
    pub precision: Option<f64>,
    /// Records whose quasi-identifiers were suppressed.
    pub suppressed: u64,
    /// Released equivalence classes.
    pub classes: u64,
    /// Smallest released class.
    pub min_class_size: u64,
    /// Largest released class.
    pub max_class_size: u64,
}

/// A quasi-identifier combination and the records it makes unique in the input.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Singling {
    /// The attributes.
    pub attributes: Vec<String>,
    /// Share of records unique on these attributes alone.
    pub unique_share: f64,
}

/// Everything about one anonymization.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// `optimal full-domain generalization` or `mondrian`.
    pub method: String,
    /// Input records.
    pub records: u64,
    /// The models and whether they hold.
    pub models: Vec<ModelStatus>,
    /// Largest share of records that may be suppressed.
    pub suppression_limit: f64,
    /// The objective the search minimized and its value.
    pub objective: Option<(String, f64)>,
    /// Output quality.
    pub quality: Quality,
    /// Risk of the input.
    pub risk_before: Risk,
    /// Risk of the output.
    pub risk_after: Risk,
    /// Quasi-identifier combinations (single and pairs) that single out most records in the input.
    pub singling_out: Vec<Singling>,
    /// Lattice nodes (full-domain only).
    pub lattice_nodes: Option<u64>,
    /// Nodes whose classes were counted (full-domain only).
    pub checked_nodes: Option<u64>,
    /// Wall time of the search in milliseconds.
    pub search_ms: f64,
}

impl Report {
    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("report serializes")
    }

    /// A summary for people.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let q = &self.quality;
        let _ = writeln!(s, "Anonymization report ({}) — {} records", self.method, self.records);
        for m in &self.models {
            let status = if m.holds { "holds" } else { "DOES NOT HOLD" };
            let _ = writeln!(s, "  model {:<40} {status} ({})", m.model, m.achieved);
        }
        let _ = writeln!(
            s,
            "  suppressed {} records ({:.2}%, limit {:.2}%)",
            q.suppressed,
            100.0 * q.suppressed as f64 / self.records.max(1) as f64,
            100.0 * self.suppression_limit
        );
        if let Some((name, v)) = &self.objective {
            let _ = writeln!(s, "  objective {name} = {v:.6}");
        }
        let _ = writeln!(s, "  generalized information loss {:.4} (ARX geometric {:.4})", q.loss, q.loss_geometric);
        for a in &q.attributes {
            match a.level {
                Some(l) => {
                    let _ = writeln!(s, "    {:<20} level {l}  loss {:.4}", a.attribute, a.loss);
                }
                None => {
                    let _ = writeln!(s, "    {:<20} loss {:.4}", a.attribute, a.loss);
                }
            }
        }
        if let Some(e) = q.non_uniform_entropy {
            let _ = writeln!(s, "  non-uniform entropy {e:.2}");
        }
        if let Some(p) = q.precision {
            let _ = writeln!(s, "  precision {p:.4}");
        }
        let _ = writeln!(
            s,
            "  discernibility {:.0}, classes {} (size min {} / avg {:.2} / max {})",
            q.discernibility, q.classes, q.min_class_size, q.average_class_size, q.max_class_size
        );
        let r = |s: &mut String, name: &str, r: &Risk| {
            let _ = writeln!(
                s,
                "  risk {name}: highest {:.4}, average {:.4}, {:.2}% of records above {:.2}, {:.2}% unique",
                r.highest,
                r.average,
                100.0 * r.share_above_threshold,
                r.threshold,
                100.0 * r.sample_uniques
            );
        };
        r(&mut s, "before", &self.risk_before);
        r(&mut s, "after ", &self.risk_after);
        if let Some(top) = self.singling_out.first() {
            let _ = writeln!(
                s,
                "  most singling combination: {} ({:.2}% unique)",
                top.attributes.join(" + "),
                100.0 * top.unique_share
            );
        }
        if let (Some(n), Some(c)) = (self.lattice_nodes, self.checked_nodes) {
            let _ = writeln!(s, "  search: {c} of {n} lattice nodes checked in {:.1} ms", self.search_ms);
        } else {
            let _ = writeln!(s, "  search: {:.1} ms", self.search_ms);
        }
        s
    }
}
