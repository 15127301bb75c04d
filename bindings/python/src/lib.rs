//! The `privshare._native` extension module: thin PyO3 wrappers over the privshare core. The
//! Python package `privshare` (python/privshare/) re-exports these classes next to its exception
//! hierarchy and pyarrow glue. No logic lives only here: every operation is a core call.
#![forbid(unsafe_code)]

mod anon;
mod audit;
mod ciphers;
mod column;
mod envelope;
mod errors;
mod keyset;
mod mask;
mod policy;
mod values;

use pyo3::prelude::*;

#[pymodule]
mod _native {
    #[pymodule_export]
    use super::anon::{_anonymize_columns, _anonymize_counts, _anonymize_csv, _anonymize_csv_file, PyGeneralizer};
    #[pymodule_export]
    use super::audit::{
        audit_leaf_hash, parse_tree_head, verify_consistency_proof, verify_inclusion_proof, PyAuditLog, PyAuditSigner,
        PyAuditVerifier,
    };
    #[pymodule_export]
    use super::ciphers::{
        PyBankCard, PyDeterministic, PyFf1, PyFieldCipher, PyFpe, PyMobile, PyRandomized, PyResidentId, PyTokenizer,
    };
    #[pymodule_export]
    use super::envelope::{
        _open, _seal, verify_signature, PyRecipientKey, PyReplayStore, PySigningKey, PyTrustRegistry,
    };
    #[pymodule_export]
    use super::errors::_error_kinds;
    #[pymodule_export]
    use super::keyset::{PyKeyVersion, PyKeyset};
    #[pymodule_export]
    use super::mask::{_pii_types, _scan_columns, _scan_csv, _scan_path, _validate, _validate_column, PyMasker};
    #[pymodule_export]
    use super::policy::{_check_policy, _policy_columns, PyPlan};

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        m.add("DIGITS", privshare::fle::Alphabet::DIGITS)?;
        m.add("ALPHANUMERIC", privshare::fle::Alphabet::ALPHANUMERIC)?;
        Ok(())
    }
}
