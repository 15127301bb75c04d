//! Anonymization (`privshare::anon::spec`): CSV bytes (`anonymize_csv`) or named columns
//! (`Table::from_columns` + `anonymize_table`) and a JSON configuration in; anonymized CSV bytes, or
//! the anonymized columns, and the report as JSON out. The Python wrapper (`privshare/_anon.py`)
//! converts DataFrames and dicts.

use crate::errors::{self, IntoPy};
use crate::values;
use privshare::anon::spec::{anonymize_table, ConfigSpec};
use privshare::anon::Table;
use privshare::ErrorKind;
use privshare::Values;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString};

fn one_byte(py: Python<'_>, delimiter: &str) -> PyResult<u8> {
    match delimiter.as_bytes() {
        [d] => Ok(*d),
        _ => Err(errors::core(py, ErrorKind::InvalidArgument, "delimiter must be one ASCII character")),
    }
}

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
    let delim = one_byte(py, delimiter)?;
    let (out, report) = py.detach(|| privshare::anon::spec::anonymize_csv(data, delim, config_json)).py_err(py)?;
    Ok((PyBytes::new(py, &out), report))
}

/// Anonymizes the CSV file ``input`` into the file ``output`` in two passes (the core's
/// ``anon::spec::anonymize_csv_file``), without the GIL. Returns the report JSON.
#[pyfunction]
#[pyo3(signature = (input, output, config_json, delimiter = ","))]
pub fn _anonymize_csv_file(
    py: Python<'_>,
    input: std::path::PathBuf,
    output: std::path::PathBuf,
    config_json: &str,
    delimiter: &str,
) -> PyResult<String> {
    let delim = one_byte(py, delimiter)?;
    py.detach(|| privshare::anon::spec::anonymize_csv_file(&input, &output, delim, config_json)).py_err(py)
}

/// Anonymizes named columns (``columns[i]`` a list of ``str`` or UTF-8 ``bytes`` values of column
/// ``names[i]``, all of one length) as ``config_json`` says, without the GIL and without CSV.
/// Returns ``(output names, output columns as lists of str, report JSON)``; identifying columns
/// dropped by the configuration are absent from the output.
#[pyfunction]
pub fn _anonymize_columns<'py>(
    py: Python<'py>,
    names: Vec<String>,
    columns: &Bound<'py, PyList>,
    config_json: &str,
) -> PyResult<(Vec<String>, Bound<'py, PyList>, String)> {
    if names.len() != columns.len() {
        let msg = format!("{} names but {} columns", names.len(), columns.len());
        return Err(errors::core(py, ErrorKind::InvalidArgument, &msg));
    }
    let inputs = columns.iter().map(|c| values::from_sequence(&c, "column")).collect::<PyResult<Vec<_>>>()?;
    let result = py
        .detach(|| {
            let spec = ConfigSpec::from_json(config_json)?;
            let packed = inputs.iter().map(|i| i.packed()).collect::<privshare::Result<Vec<_>>>()?;
            let columns: Vec<&dyn Values> = packed.iter().map(|p| p as &dyn Values).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            anonymize_table(&Table::from_value_columns(&names, &columns)?, &spec)
        })
        .py_err(py)?;
    drop(inputs);
    let table = &result.table;
    let out = PyList::empty(py);
    for column in table.columns() {
        // One Python string per distinct value, shared by every row that holds it.
        let dict: Vec<Bound<'py, PyString>> = column.dict.iter().map(|v| PyString::new(py, v)).collect();
        out.append(PyList::new(py, column.codes.iter().map(|&c| dict[c as usize].clone()))?)?;
    }
    Ok((table.names().to_vec(), out, result.report.to_json()))
}
