//! Anonymization (`privshare::anon::spec`): CSV bytes (`anonymize_csv`) or named columns
//! (`Table::from_columns` + `anonymize_table`) and a JSON configuration in; anonymized CSV bytes, or
//! the anonymized columns, and the report as JSON out; or group-by counts in, the report and a
//! [`Generalizer`](privshare::anon::Generalizer) out (`privshare.spark`). The Python wrapper
//! (`privshare/_anon.py`) converts DataFrames and dicts.

use crate::errors::{self, IntoPy};
use crate::values;
use privshare::anon::spec::{anonymize_counts, anonymize_table, ConfigSpec};
use privshare::anon::{Generalizer, Table};
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

/// A column of a list / tuple of values or a pyarrow string array.
fn column_input(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<values::Input> {
    if values::is_arrow(obj) {
        values::from_arrow(obj, what)
    } else {
        values::from_sequence(obj, what)
    }
}

/// The optimal search on group-by counts (the core's ``anon::spec::anonymize_counts``), without
/// the GIL: ``header`` the data's column names, ``names[i]`` / ``columns[i]`` a counted column and
/// its value in each combination, ``counts`` the records of each. Returns ``(report JSON,
/// generalizer JSON)``.
#[pyfunction]
pub fn _anonymize_counts(
    py: Python<'_>,
    header: Vec<String>,
    names: Vec<String>,
    columns: &Bound<'_, PyList>,
    counts: Vec<u64>,
    config_json: &str,
) -> PyResult<(String, String)> {
    if names.len() != columns.len() {
        let msg = format!("{} names but {} columns", names.len(), columns.len());
        return Err(errors::core(py, ErrorKind::InvalidArgument, &msg));
    }
    let inputs = columns.iter().map(|c| column_input(&c, "column")).collect::<PyResult<Vec<_>>>()?;
    py.detach(|| {
        let spec = ConfigSpec::from_json(config_json)?;
        let packed = inputs.iter().map(|i| i.packed_text()).collect::<privshare::Result<Vec<_>>>()?;
        let counted: Vec<(&str, &dyn Values)> =
            names.iter().zip(&packed).map(|(n, p)| (n.as_str(), p as &dyn Values)).collect();
        let result = anonymize_counts(&spec, &header, &counted, &counts)?;
        Ok((result.report.to_json(), result.generalizer.to_json()))
    })
    .py_err(py)
}

/// Releases records under one full-domain transformation (the core's ``anon::Generalizer``):
/// made on a driver by ``privshare.spark.anonymize``, shipped as JSON, applied on executors.
#[pyclass(frozen, module = "privshare", name = "Generalizer")]
pub struct PyGeneralizer {
    inner: Generalizer,
}

#[pymethods]
impl PyGeneralizer {
    /// Rebuilds a generalizer from :meth:`to_json`, validating it (``InvalidArgument``).
    #[staticmethod]
    fn from_json(py: Python<'_>, json: &str) -> PyResult<PyGeneralizer> {
        Ok(PyGeneralizer { inner: py.detach(|| Generalizer::from_json(json)).py_err(py)? })
    }

    /// The stable JSON form: hierarchies, levels and the released classes' labels.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The quasi-identifiers, in the order ``generalize_columns`` takes them.
    #[getter]
    fn columns(&self) -> Vec<String> {
        self.inner.columns().to_vec()
    }

    /// The generalization level of each quasi-identifier.
    #[getter]
    fn levels(&self) -> Vec<usize> {
        self.inner.levels().to_vec()
    }

    /// Number of released classes.
    #[getter]
    fn released_classes(&self) -> usize {
        self.inner.released_classes()
    }

    /// The released form of columns of quasi-identifier values (``columns[j]`` a list of ``str``
    /// or a pyarrow string array, for ``self.columns[j]``): one list of ``str`` per column, ``*``
    /// in every column of a suppressed record. Errors name the column and the row.
    fn generalize_columns<'py>(&self, py: Python<'py>, columns: &Bound<'py, PyList>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for column in self.release(py, columns)? {
            // One Python string per distinct label, shared by every row that holds it.
            let mut labels: std::collections::HashMap<&str, Bound<'py, PyString>> = Default::default();
            let items = column.iter().map(|v| labels.entry(v).or_insert_with(|| PyString::new(py, v)).clone());
            out.append(PyList::new(py, items)?)?;
        }
        Ok(out)
    }

    /// ``generalize_columns`` as Arrow buffers, without a Python string per value: for each
    /// column ``(value bytes, offsets as native-endian int64)``, what ``pyarrow.large_string``
    /// arrays are made of (``privshare.spark`` wraps them without a copy).
    fn _generalize_buffers<'py>(
        &self,
        py: Python<'py>,
        columns: &Bound<'py, PyList>,
    ) -> PyResult<Vec<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)>> {
        let released = self.release(py, columns)?;
        let buffers = py.detach(|| {
            released
                .iter()
                .map(|column| {
                    let mut data = Vec::with_capacity(column.iter().map(|v| v.len()).sum());
                    let mut offsets = Vec::with_capacity((column.len() + 1) * 8);
                    offsets.extend_from_slice(&0i64.to_ne_bytes());
                    for v in column {
                        data.extend_from_slice(v.as_bytes());
                        offsets.extend_from_slice(&(data.len() as i64).to_ne_bytes());
                    }
                    (data, offsets)
                })
                .collect::<Vec<_>>()
        });
        Ok(buffers.into_iter().map(|(d, o)| (PyBytes::new(py, &d), PyBytes::new(py, &o))).collect())
    }
}

impl PyGeneralizer {
    /// The released labels of each column, borrowed from the generalizer, computed without the GIL.
    fn release(&self, py: Python<'_>, columns: &Bound<'_, PyList>) -> PyResult<Vec<Vec<&str>>> {
        let inputs = columns.iter().map(|c| column_input(&c, "column")).collect::<PyResult<Vec<_>>>()?;
        py.detach(|| {
            let packed = inputs.iter().map(|i| i.packed_text()).collect::<privshare::Result<Vec<_>>>()?;
            let refs: Vec<&privshare::Packed<'_>> = packed.iter().collect();
            self.inner.generalize_columns(&refs)
        })
        .py_err(py)
    }
}
