//! Anonymization (`privshare::anon::spec::anonymize_csv`): CSV bytes and a JSON configuration in,
//! anonymized CSV bytes and the report as JSON out. The Python wrapper (`privshare/_anon.py`)
//! converts DataFrames and dicts.

use crate::errors::{self, IntoPy};
use privshare::ErrorKind;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// Anonymizes ``data`` (CSV with a header row) as ``config_json`` says, without the GIL. Returns
/// ``(output CSV bytes, report JSON)``.
#[pyfunction]
#[pyo3(signature = (data, config_json, delimiter = ","))]
pub fn _anonymize_csv<'py>(
    py: Python<'py>,
    data: &[u8],
    config_json: &str,
    delimiter: &str,
) -> PyResult<(Bound<'py, PyBytes>, String)> {
    let delim = match delimiter.as_bytes() {
        [d] => *d,
        _ => return Err(errors::core(py, ErrorKind::InvalidArgument, "delimiter must be one ASCII character")),
    };
    let (out, report) = py.detach(|| privshare::anon::spec::anonymize_csv(data, delim, config_json)).py_err(py)?;
    Ok((PyBytes::new(py, &out), report))
}
