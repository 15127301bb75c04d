//! Core errors to Python exceptions. The exception classes are defined in Python
//! (`privshare/_errors.py`) so that they are ordinary, documented, picklable classes; this module
//! only calls the factory there with the code, message, position and details.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyList;

static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The Python exception for a core error: the subclass of `privshare.Error` for its code, with
/// `.code`, `.kind`, `.message`, `.row`, `.column`, `.offset`, `.line` and `.details` (machine-readable JSON,
/// e.g. the best-effort report of an infeasible anonymization) set.
pub fn to_py(py: Python<'_>, e: privshare::Error) -> PyErr {
    let factory = match FACTORY.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("privshare._errors")?.getattr("_from_core")?.unbind())
    }) {
        Ok(f) => f.bind(py),
        Err(import_failed) => return import_failed,
    };
    let p = e.position();
    let args = (e.code(), e.message(), e.to_string(), p.row, p.column.as_deref(), p.offset, e.details(), p.line);
    match factory.call1(args) {
        Ok(exc) => PyErr::from_value(exc),
        Err(other) => other,
    }
}

/// `Result<T, privshare::Error>` to `PyResult<T>`.
pub trait IntoPy<T> {
    /// Converts the error, if any.
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPy<T> for privshare::Result<T> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py(py, e))
    }
}

/// A core error built here (e.g. a value that cannot be read as UTF-8), raised as its Python class.
pub fn core(py: Python<'_>, kind: privshare::ErrorKind, message: &str) -> PyErr {
    to_py(py, privshare::Error::new(kind, message))
}

/// Every core error kind as `(code, name)`, so the tests can check that the Python classes cover
/// them all.
#[pyfunction]
pub fn _error_kinds(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    PyList::new(py, privshare::ErrorKind::ALL.iter().map(|k| (k.code(), k.name())))
}
