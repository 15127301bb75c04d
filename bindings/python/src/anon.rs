//! Anonymization (`privshare::anon::spec`): CSV bytes (`anonymize_csv`) or named columns
//! (`Table::from_columns` + `anonymize_table`) and a JSON configuration in; anonymized CSV bytes, or
//! the anonymized columns, and the report as JSON out. The Python wrapper (`privshare/_anon.py`)
//! converts DataFrames and dicts.

use crate::errors::{self, IntoPy};
use crate::values;
use privshare::anon::spec::{anonymize_table, ConfigSpec};
use privshare::anon::Table;
use privshare::Values;
use privshare::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString};

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
            let text = names
                .iter()
                .zip(&packed)
                .map(|(name, values)| {
                    let column = (0..values.count())
                        .map(|row| {
                            std::str::from_utf8(values.value(row)).map_err(|e| {
                                Error::new(ErrorKind::NotUtf8, "value is not UTF-8")
                                    .at_row(row as u64)
                                    .at_column(name.as_str())
                                    .at_offset(e.valid_up_to() as u64)
                            })
                        })
                        .collect::<privshare::Result<Vec<&str>>>()?;
                    Ok((name.clone(), column))
                })
                .collect::<privshare::Result<Vec<_>>>()?;
            anonymize_table(&Table::from_columns(text)?, &spec)
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
