//! Masking, validators and PII detection (`privshare::mask`): the `Masker` class and the native
//! halves of `privshare.validate`, `privshare.validate_column` and `privshare.scan` (the Python
//! wrappers in `privshare/_mask.py` choose the input kind and turn the JSON report into a dict).

use crate::column::{self, Out};
use crate::errors::{self, IntoPy};
use crate::keyset::PyKeyset;
use crate::values::{self, str_of};
use privshare::mask::{scan_columns, scan_csv, scan_csv_path, Masker, PiiType, Rule, ScanOptions};
use privshare::ErrorKind;
use privshare::{Packed, Values};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use std::sync::atomic::{AtomicU64, Ordering};

/// A rule given as JSON text or as a dict (serialized with the standard `json` module).
fn rule_of(rule: &Bound<'_, PyAny>) -> PyResult<Rule> {
    let py = rule.py();
    let text: String = if let Ok(s) = rule.cast::<PyString>() {
        s.to_str()?.to_string()
    } else if rule.is_instance_of::<PyDict>() {
        py.import("json")?.getattr("dumps")?.call1((rule,))?.extract()?
    } else {
        return Err(errors::core(py, ErrorKind::InvalidArgument, "rule must be a dict or JSON text"));
    };
    Rule::from_json(&text).py_err(py)
}

/// A masking rule compiled once (regex compiled, key derived once), applied to one value or a
/// whole column. Immutable: one ``Masker`` can be shared by threads.
///
/// ``rule`` is the rule's JSON form as a dict or as text (see docs/masking.md for every rule and
/// its parameters). Keyed rules (``hash``, ``date_shift``) need ``keyset``, ``dataset`` and
/// ``field``; their key is derived from the keyset's primary version for that column. A value the
/// rule cannot parse is masked completely (and counted by ``apply_column(...,
/// return_invalid=True)``) or, with ``strict=True``, raises ``InvalidInput`` naming the ``row`` and
/// ``column`` (never the value).
///
/// >>> import privshare
/// >>> m = privshare.Masker({"rule": "mobile"})
/// >>> m.apply("13812345678")
/// '138****5678'
/// >>> m.apply_column(["13812345678", "n/a"], return_invalid=True)
/// (['138****5678', '***'], 1)
/// >>> privshare.Masker('{"rule": "name"}').apply("欧阳娜娜")
/// '欧阳**'
/// >>> strict = privshare.Masker({"rule": "mobile"}, strict=True, column="phone")
/// >>> try:
/// ...     strict.apply_column(["13812345678", "1381234567"])
/// ... except privshare.InvalidInput as e:
/// ...     print(e.code, e.row, e.column)
/// 101 1 phone
/// >>> ks = privshare.Keyset.generate("sm")
/// >>> h = privshare.Masker({"rule": "hash", "length": 16}, keyset=ks, dataset="tax", field="phone")
/// >>> len(h.apply("13812345678"))
/// 16
#[pyclass(frozen, module = "privshare", name = "Masker")]
pub struct PyMasker {
    inner: Masker,
    strict: bool,
    column: Option<String>,
}

#[pymethods]
impl PyMasker {
    #[new]
    #[pyo3(signature = (rule, *, keyset = None, dataset = None, field = None, strict = false, column = None))]
    fn new(
        py: Python<'_>,
        rule: &Bound<'_, PyAny>,
        keyset: Option<&Bound<'_, PyKeyset>>,
        dataset: Option<&str>,
        field: Option<&str>,
        strict: bool,
        column: Option<String>,
    ) -> PyResult<Self> {
        let rule = rule_of(rule)?;
        let mut inner = match (keyset, dataset, field) {
            (Some(ks), Some(d), Some(f)) => {
                ks.get().with_read(py, |ks| Masker::with_keyset(rule, ks, d, f)).py_err(py)?
            }
            (Some(_), _, _) => {
                return Err(errors::core(py, ErrorKind::InvalidArgument, "a keyset needs dataset= and field="));
            }
            (None, None, None) => Masker::new(rule).py_err(py)?,
            (None, _, _) => {
                return Err(errors::core(py, ErrorKind::InvalidArgument, "dataset= and field= need a keyset="));
            }
        };
        inner = inner.strict(strict);
        let column = column.or_else(|| field.map(str::to_string));
        if let Some(c) = &column {
            inner = inner.with_column(c.clone());
        }
        Ok(PyMasker { inner, strict, column })
    }

    /// The rule as a dict (its JSON form, with every parameter).
    #[getter]
    fn rule<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?.getattr("loads")?.call1((self.inner.rule().to_json(),))
    }

    /// True when values that do not parse raise ``InvalidInput`` instead of being masked completely.
    #[getter]
    fn strict(&self) -> bool {
        self.strict
    }

    /// The column name used in error positions (``column=``, else ``field=``), or ``None``.
    #[getter]
    fn column(&self) -> Option<&str> {
        self.column.as_deref()
    }

    /// Masks one value (``str``, or ``bytes`` holding UTF-8). ``subject`` is the subject id the
    /// ``date_shift`` rule needs (all dates of one subject move together); other rules ignore it.
    #[pyo3(signature = (value, subject = None))]
    fn apply(&self, py: Python<'_>, value: &Bound<'_, PyAny>, subject: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
        let v = str_of(value, "value")?;
        match subject {
            Some(s) if !s.is_none() => self.inner.apply_for_subject(&v, &str_of(s, "subject")?).py_err(py),
            _ => self.inner.apply(&v).py_err(py),
        }
    }

    /// Masks a column: a list (or tuple, or iterable) of ``str``/``bytes``, or a pyarrow string /
    /// binary array (nulls stay null); ``subjects`` has one subject id per value (``date_shift``).
    /// Returns a list of ``str`` (a pyarrow string array for pyarrow input) or, with
    /// ``return_invalid=True``, ``(masked, invalid)`` where ``invalid`` counts the values that did
    /// not parse. Runs without the GIL.
    #[pyo3(signature = (values, subjects = None, *, return_invalid = false))]
    fn apply_column<'py>(
        &self,
        values: &Bound<'py, PyAny>,
        subjects: Option<&Bound<'py, PyAny>>,
        return_invalid: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = values.py();
        // Per call, so concurrent calls on one Masker never mix their counts.
        let invalid = AtomicU64::new(0);
        let f = |v: &Packed<'_>, s: Option<&Packed<'_>>, _| {
            let masked = self.inner.apply_column(v, s.map(|s| s as &dyn Values))?;
            invalid.fetch_add(masked.invalid, Ordering::Relaxed);
            Ok(masked.column)
        };
        // A pyarrow array or a list of str, without subjects: block by block, straight into the
        // result's buffers or str objects.
        let fast = match subjects {
            Some(s) if !s.is_none() => None,
            _ if values::is_arrow(values) => column::run_arrow_text(values, &f)?,
            _ => column::run_list_text(values, &f)?,
        };
        let out = match fast {
            Some(out) => out,
            None => {
                invalid.store(0, Ordering::Relaxed);
                column::run_on_text(values, subjects, Out::Text, f)?
            }
        };
        if return_invalid {
            Ok((out, invalid.load(Ordering::Relaxed)).into_pyobject(py)?.into_any())
        } else {
            Ok(out)
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "<privshare.Masker rule={:?} strict={}>",
            self.inner.rule().name(),
            if self.strict { "True" } else { "False" }
        )
    }
}

fn pii_type(py: Python<'_>, name: &str) -> PyResult<PiiType> {
    PiiType::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = PiiType::ALL.iter().map(|t| t.name()).collect();
        errors::core(py, ErrorKind::InvalidArgument, &format!("unknown PII type; expected one of {}", names.join(", ")))
    })
}

/// Whether ``value`` is a valid identifier of ``pii_type`` (check digits included).
#[pyfunction]
pub fn _validate(py: Python<'_>, pii_type: &str, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    let t = self::pii_type(py, pii_type)?;
    let b = values::bytes_of(value, "value")?;
    Ok(std::str::from_utf8(&b).is_ok_and(|s| t.validate(s)))
}

/// ``_validate`` over a list of values or a pyarrow array without nulls, without the GIL.
#[pyfunction]
pub fn _validate_column<'py>(
    py: Python<'py>,
    pii_type: &str,
    values: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let t = self::pii_type(py, pii_type)?;
    let input = values::column(values, "values")?;
    let flags = py.detach(|| input.packed().map(|p| t.validate_column(&p))).py_err(py)?;
    PyList::new(py, flags)
}

fn options(py: Python<'_>, json: &str) -> PyResult<ScanOptions> {
    serde_json::from_str(json)
        .map_err(|e| errors::core(py, ErrorKind::InvalidArgument, &format!("invalid scan option: {e}")))
}

fn report_json(py: Python<'_>, r: &privshare::mask::ScanReport) -> PyResult<String> {
    serde_json::to_string(r).map_err(|_| errors::core(py, ErrorKind::Internal, "scan report not serializable"))
}

/// Scans the CSV file at ``path``; returns the report as JSON.
#[pyfunction]
pub fn _scan_path(py: Python<'_>, path: std::path::PathBuf, options_json: &str) -> PyResult<String> {
    let opts = options(py, options_json)?;
    let report = py.detach(|| scan_csv_path(&path, &opts)).py_err(py)?;
    report_json(py, &report)
}

/// Scans CSV bytes; returns the report as JSON.
#[pyfunction]
pub fn _scan_csv(py: Python<'_>, data: &[u8], options_json: &str) -> PyResult<String> {
    let opts = options(py, options_json)?;
    let report = py.detach(|| scan_csv(data, &opts)).py_err(py)?;
    report_json(py, &report)
}

/// Scans in-memory columns (lists of ``str``); returns the report as JSON.
#[pyfunction]
pub fn _scan_columns(
    py: Python<'_>,
    names: Vec<String>,
    columns: &Bound<'_, PyList>,
    options_json: &str,
) -> PyResult<String> {
    let opts = options(py, options_json)?;
    let inputs = columns.iter().map(|c| values::from_sequence(&c, "column")).collect::<PyResult<Vec<_>>>()?;
    let report = py
        .detach(|| {
            let packed = inputs.iter().map(|i| i.packed()).collect::<privshare::Result<Vec<_>>>()?;
            let cols: Vec<&dyn Values> = packed.iter().map(|p| p as &dyn Values).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            scan_columns(&names, &cols, &opts)
        })
        .py_err(py)?;
    report_json(py, &report)
}
