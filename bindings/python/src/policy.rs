//! Sharing policies: `Plan` (a policy compiled with a keyset) protects and reveals CSV and JSON
//! Lines files and CSV bytes; `_check_policy` lists a policy's problems.

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::column::{self, Out};
use crate::errors::{self, IntoPy};
use crate::keyset::PyKeyset;
use privshare::policy::{Action, DataFormat, DefaultAction, Format, Plan, Policy};
use privshare::{ErrorKind, OnInvalid, Values};

fn format(py: Python<'_>, name: &str) -> PyResult<Format> {
    match name {
        "toml" => Ok(Format::Toml),
        "json" => Ok(Format::Json),
        _ => Err(errors::core(py, ErrorKind::InvalidArgument, "format is \"toml\" or \"json\"")),
    }
}

fn delimiter(py: Python<'_>, d: &str) -> PyResult<u8> {
    match d.as_bytes() {
        [b] if *b != b'"' && *b != b'\n' && *b != b'\r' => Ok(*b),
        _ => Err(errors::core(py, ErrorKind::InvalidArgument, "delimiter must be one ASCII character")),
    }
}

/// Every problem of a policy, as JSON (`[{"line": 3, "path": "version", "message": "..."}]`);
/// an empty list when there is none.
#[pyfunction]
#[pyo3(signature = (text, format = "toml"))]
pub fn _check_policy(py: Python<'_>, text: &str, format: &str) -> PyResult<String> {
    let problems = match Policy::check(text, self::format(py, format)?) {
        Ok(_) => Vec::new(),
        Err(p) => p,
    };
    Ok(serde_json::to_string(&problems).unwrap_or_default())
}

/// A policy's columns, for a caller that checks its data against the policy before it holds
/// keys (a Spark driver): `{"default": "deny" | "drop", "columns": [{"name": ..., "action": ...,
/// "record": ... | null}]}`. A policy with problems raises `PolicyError`.
#[pyfunction]
#[pyo3(signature = (text, format = "toml"))]
pub fn _policy_columns(py: Python<'_>, text: &str, format: &str) -> PyResult<String> {
    let policy = Policy::parse(text, self::format(py, format)?).py_err(py)?;
    let columns: Vec<serde_json::Value> = policy
        .columns
        .iter()
        .map(|c| {
            let record = match &c.action {
                Action::Encrypt { record, .. } => record.clone(),
                _ => None,
            };
            serde_json::json!({ "name": c.name, "action": c.action.name(), "record": record })
        })
        .collect();
    let default = if policy.default == DefaultAction::Drop { "drop" } else { "deny" };
    Ok(serde_json::json!({ "default": default, "columns": columns }).to_string())
}

/// A sharing policy compiled with a keyset (keys derived once): immutable, safe to share between
/// threads. The methods release the GIL.
#[pyclass(frozen, module = "privshare", name = "_Plan")]
pub struct PyPlan {
    inner: Plan,
}

#[pymethods]
impl PyPlan {
    #[new]
    #[pyo3(signature = (policy, keyset, format = "toml"))]
    fn new(py: Python<'_>, policy: &str, keyset: &Bound<'_, PyKeyset>, format: &str) -> PyResult<PyPlan> {
        let policy = Policy::parse(policy, self::format(py, format)?).py_err(py)?;
        let inner = keyset.get().with_read(py, |ks| Plan::compile(&policy, ks)).py_err(py)?;
        Ok(PyPlan { inner })
    }

    /// The policy's id, version and digest (hex).
    #[getter]
    fn policy(&self) -> (String, u32, String) {
        let p = self.inner.policy();
        (p.id.clone(), p.version, p.hash.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// `(column, key version)` of every keyed column.
    #[getter]
    fn key_versions(&self) -> Vec<(String, u32)> {
        self.inner.key_versions().into_iter().map(|(c, v)| (c.to_string(), v)).collect()
    }

    /// Protects the CSV file `input` into `output` (whole or not at all); the report as JSON.
    #[pyo3(signature = (input, output, delimiter = ","))]
    fn protect_csv_file(
        &self,
        py: Python<'_>,
        input: std::path::PathBuf,
        output: std::path::PathBuf,
        delimiter: &str,
    ) -> PyResult<String> {
        let d = self::delimiter(py, delimiter)?;
        py.detach(|| self.inner.protect_csv_file(&input, &output, d)).py_err(py).map(|r| r.to_json())
    }

    /// Decrypts what the policy encrypted in the protected CSV file `input` into `output`.
    #[pyo3(signature = (input, output, delimiter = ","))]
    fn reveal_csv_file(
        &self,
        py: Python<'_>,
        input: std::path::PathBuf,
        output: std::path::PathBuf,
        delimiter: &str,
    ) -> PyResult<String> {
        let d = self::delimiter(py, delimiter)?;
        py.detach(|| self.inner.reveal_csv_file(&input, &output, d)).py_err(py).map(|r| r.to_json())
    }

    /// Protects the JSON Lines file `input` into `output` (whole or not at all); the report as JSON.
    fn protect_jsonl_file(
        &self,
        py: Python<'_>,
        input: std::path::PathBuf,
        output: std::path::PathBuf,
    ) -> PyResult<String> {
        py.detach(|| self.inner.protect_file(&input, &output, DataFormat::JsonLines)).py_err(py).map(|r| r.to_json())
    }

    /// Decrypts what the policy encrypted in the protected JSON Lines file `input` into `output`.
    fn reveal_jsonl_file(
        &self,
        py: Python<'_>,
        input: std::path::PathBuf,
        output: std::path::PathBuf,
    ) -> PyResult<String> {
        py.detach(|| self.inner.reveal_file(&input, &output, DataFormat::JsonLines)).py_err(py).map(|r| r.to_json())
    }

    /// Applies the policy's action for column `name` to a column (list or pyarrow array; each
    /// value as text), or with `reveal` decrypts it; `records` are the values of the column an
    /// `encrypt` action binds it to. Nulls stay null; values the action cannot take raise, or
    /// become null under `on_invalid = "null"`. Runs without the GIL.
    #[pyo3(signature = (name, values, records = None, *, reveal = false))]
    fn protect_column<'py>(
        &self,
        name: &str,
        values: &Bound<'py, PyAny>,
        records: Option<&Bound<'py, PyAny>>,
        reveal: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let policy = self.inner.policy();
        let on_invalid = policy.column(name).and_then(|c| c.on_invalid).unwrap_or(policy.on_invalid);
        let out = if reveal { Out::Str } else { Out::Text };
        let plan = &self.inner;
        column::run(values, records, out, on_invalid == OnInvalid::Null, |v, r, _| {
            plan.protect_column(name, v, r.map(|r| r as &dyn Values), reveal)
        })?
        .into_py(false)
    }

    /// Protects CSV bytes (a policy without `generalize` columns, which need a file read twice):
    /// `(protected CSV bytes, report JSON)`.
    #[pyo3(signature = (data, delimiter = ","))]
    fn protect_csv<'py>(
        &self,
        py: Python<'py>,
        data: &[u8],
        delimiter: &str,
    ) -> PyResult<(Bound<'py, PyBytes>, String)> {
        let d = self::delimiter(py, delimiter)?;
        let mut out = Vec::with_capacity(data.len() * 2);
        let report = py.detach(|| self.inner.protect_csv(data, &mut out, d)).py_err(py)?;
        Ok((PyBytes::new(py, &out), report.to_json()))
    }
}
