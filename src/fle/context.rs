//! Where a value lives. The context enters every ciphertext's associated data, so a ciphertext
//! moved to another dataset, field or record fails to decrypt.

/// The context of one value: dataset, field and (optionally) record.
///
/// Randomized encryption binds all three. Deterministic encryption binds dataset and field only:
/// binding the record would make equal values differ across records and defeat joins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FieldContext<'a> {
    /// Dataset name, e.g. `"tax-2026"`.
    pub dataset: &'a str,
    /// Field (column) name, e.g. `"id_number"`.
    pub field: &'a str,
    /// Record identifier (e.g. a primary key), if the value is bound to its record.
    pub record: Option<&'a [u8]>,
}

impl<'a> FieldContext<'a> {
    /// A context for `field` in `dataset`, not bound to a record.
    pub fn new(dataset: &'a str, field: &'a str) -> FieldContext<'a> {
        FieldContext { dataset, field, record: None }
    }

    /// The same context bound to `record`.
    pub fn with_record(self, record: &'a [u8]) -> FieldContext<'a> {
        FieldContext { record: Some(record), ..self }
    }
}
