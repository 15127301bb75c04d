//! Anonymization of a CSV as a JSON configuration says: `privshare_anonymize_csv`.

use crate::boundary::{bytes, c_str, ffi_boundary, out};
use crate::buffer::{buffer_from_vec, privshare_buffer};
use crate::error::{privshare_error, privshare_status, Failure};
use privshare_core::anon::spec::anonymize_csv;
use privshare_core::ErrorKind;
use std::ffi::c_char;

/// Anonymizes a CSV (`csv_len` bytes with a header row, fields separated by `delimiter`; 0 means
/// `','`) as `config_json` says (a NUL-terminated UTF-8 JSON document: attributes with roles and
/// hierarchies, privacy models, suppression limit, metric, method; see docs/anonymization.md).
/// On success the anonymized CSV goes to a new `*out_csv` buffer and the report (JSON: the chosen
/// levels, suppressed records, classes, information loss, risks) to a new `*out_report` buffer;
/// free both with `privshare_buffer_free`.
///
/// Errors: bad JSON or configuration `PRIVSHARE_STATUS_INVALID_ARGUMENT` (naming the column);
/// malformed CSV `PRIVSHARE_STATUS_INVALID_INPUT`; when no transformation satisfies the privacy
/// models within the suppression limit, `PRIVSHARE_STATUS_ANONYMIZATION_INFEASIBLE` (600), whose
/// error message names the least suppression possible and its levels. No report is produced in
/// that case: the message carries what the best attempt achieved.
#[no_mangle]
pub unsafe extern "C" fn privshare_anonymize_csv(
    csv: *const u8,
    csv_len: usize,
    delimiter: u8,
    config_json: *const c_char,
    out_csv: *mut privshare_buffer,
    out_report: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let (csv, config) = unsafe { (bytes(csv, csv_len, "csv")?, c_str(config_json, "config_json")?) };
        let (out_csv, out_report) = (out(out_csv, "out_csv")?, out(out_report, "out_report")?);
        let delimiter = if delimiter == 0 { b',' } else { delimiter };
        if !delimiter.is_ascii() || delimiter == b'"' || delimiter == b'\n' || delimiter == b'\r' {
            return Err(Failure::core(
                ErrorKind::InvalidArgument,
                "delimiter must be an ASCII character other than a quote or a line break",
            ));
        }
        let (data, report) = anonymize_csv(csv, delimiter, config)?;
        // SAFETY: both are non-NULL and valid for writes by the caller's contract.
        unsafe {
            out_csv.write(buffer_from_vec(data));
            out_report.write(buffer_from_vec(report.into_bytes()));
        }
        Ok(())
    })
}
