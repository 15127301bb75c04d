//! Configuration: attribute roles, hierarchies, privacy models, suppression limit, quality metric.

use std::collections::HashMap;

use super::hierarchy::Hierarchy;
use super::metric::Metric;
use super::model::PrivacyModel;
use super::table::AttributeType;

/// What to anonymize and how (ARX's `ARXConfiguration` plus the data definition).
///
/// ```
/// use privshare::anon::{Config, Hierarchy, Metric, PrivacyModel};
/// let config = Config::new()
///     .quasi_identifier("sex", Hierarchy::flat(&["F", "M"])?)
///     .sensitive("diagnosis")
///     .model(PrivacyModel::KAnonymity { k: 2 })
///     .model(PrivacyModel::DistinctL { attribute: "diagnosis".into(), l: 2 })
///     .suppression_limit(0.05)
///     .metric(Metric::loss());
/// # Ok::<(), privshare::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Roles by column name (a map: a spec may name many columns, and each is looked up).
    pub(crate) roles: HashMap<String, AttributeType>,
    pub(crate) hierarchies: HashMap<String, Hierarchy>,
    pub(crate) models: Vec<PrivacyModel>,
    pub(crate) suppression_limit: f64,
    pub(crate) metric: Metric,
    pub(crate) drop_identifying: bool,
    pub(crate) categorical: std::collections::HashSet<String>,
    pub(crate) research_subset: Option<Vec<bool>>,
    pub(crate) risk_threshold: Option<f64>,
}

impl Config {
    /// An empty configuration: no models, no suppression, the loss metric.
    pub fn new() -> Config {
        Config::default()
    }

    /// Sets the role of a column (columns not named are insensitive).
    pub fn attribute(mut self, name: &str, role: AttributeType) -> Config {
        self.roles.insert(name.to_string(), role);
        self
    }

    /// Marks a quasi-identifier with its generalization hierarchy.
    pub fn quasi_identifier(mut self, name: &str, hierarchy: Hierarchy) -> Config {
        self.hierarchies.insert(name.to_string(), hierarchy);
        self.attribute(name, AttributeType::QuasiIdentifying)
    }

    /// Marks a sensitive attribute.
    pub fn sensitive(self, name: &str) -> Config {
        self.attribute(name, AttributeType::Sensitive)
    }

    /// Marks an identifying attribute (refused unless [`Config::drop_identifying`] is set).
    pub fn identifying(self, name: &str) -> Config {
        self.attribute(name, AttributeType::Identifying)
    }

    /// Sets a hierarchy for a sensitive attribute (needed by hierarchical t-closeness).
    pub fn hierarchy(mut self, name: &str, hierarchy: Hierarchy) -> Config {
        self.hierarchies.insert(name.to_string(), hierarchy);
        self
    }

    /// Adds a privacy model; all models must hold together.
    pub fn model(mut self, model: PrivacyModel) -> Config {
        self.models.push(model);
        self
    }

    /// The largest share of records (0..=1) that may be suppressed.
    pub fn suppression_limit(mut self, limit: f64) -> Config {
        self.suppression_limit = limit;
        self
    }

    /// The quality metric the optimal search minimizes.
    pub fn metric(mut self, metric: Metric) -> Config {
        self.metric = metric;
        self
    }

    /// Drop identifying columns from the output instead of refusing the table.
    pub fn drop_identifying(mut self, drop: bool) -> Config {
        self.drop_identifying = drop;
        self
    }

    /// Treat a quasi-identifier as categorical in Mondrian even if all its values are numbers
    /// (numeric ones get interval output).
    pub fn categorical(mut self, name: &str) -> Config {
        self.categorical.insert(name.to_string());
        self
    }

    /// Marks the research subset for δ-presence: one flag per table row (see
    /// [`Table::subset_flags`](super::Table::subset_flags)).
    pub fn research_subset(mut self, flags: Vec<bool>) -> Config {
        self.research_subset = Some(flags);
        self
    }

    /// The re-identification risk above which the report counts a record as at risk (default
    /// [`DEFAULT_RISK_THRESHOLD`](super::DEFAULT_RISK_THRESHOLD), 0.2: classes smaller than 5).
    /// Reporting only; to enforce a bound use [`PrivacyModel::MaxRisk`](super::PrivacyModel::MaxRisk).
    pub fn risk_threshold(mut self, threshold: f64) -> Config {
        self.risk_threshold = Some(threshold);
        self
    }

    /// The role given to a column.
    pub fn role(&self, name: &str) -> AttributeType {
        self.roles.get(name).copied().unwrap_or(AttributeType::Insensitive)
    }
}
