//! Anonymization as a JSON configuration says: `privshare_anonymize_csv` (CSV bytes in) and
//! `privshare_anonymize_columns` (named columns in, each packed as the column calls take them)
//! return the anonymized CSV and the report JSON; `privshare_anonymize_csv_file` reads a file too
//! large for memory and writes the output file.

use crate::boundary::{self, array, bytes, c_str, ffi_boundary, out, packed};
use crate::buffer::{buffer_from_vec, privshare_buffer};
use crate::error::{privshare_error, privshare_status, Failure};
use privshare_core::anon::spec::{anonymize_csv, anonymize_csv_file, anonymize_table, ConfigSpec};
use privshare_core::anon::Table;
use privshare_core::Values;
use std::ffi::c_char;

/// Writes the two outputs (both checked non-NULL).
///
/// # Safety
/// `out_csv` and `out_report` are non-NULL and valid for writes.
unsafe fn hand_out(out_csv: *mut privshare_buffer, out_report: *mut privshare_buffer, csv: Vec<u8>, report: String) {
    // SAFETY: forwarded contract.
    unsafe {
        out_csv.write(buffer_from_vec(csv));
        out_report.write(buffer_from_vec(report.into_bytes()));
    }
}

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
/// error message names the least suppression possible and its levels. Neither buffer is written in
/// that case (no table that misses what was asked); with the optimal search,
/// `privshare_error_details(*err)` holds the full report (JSON) of the best transformation possible.
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
        let delimiter = boundary::delimiter(delimiter)?;
        let (data, report) = anonymize_csv(csv, delimiter, config)?;
        // SAFETY: both are non-NULL and valid for writes by the caller's contract.
        unsafe { hand_out(out_csv, out_report, data, report) };
        Ok(())
    })
}

/// Anonymizes the CSV file at `input_path` into a new file at `output_path` (NUL-terminated UTF-8
/// paths; fields separated by `delimiter`, 0 meaning `','`), as `config_json` says, reading the
/// file twice instead of loading it: memory grows with the distinct combinations of
/// quasi-identifier values, not the rows (three reads when the configuration derives a hierarchy
/// from a column's values). The output is what `privshare_anonymize_csv` gives for the same bytes;
/// it appears only on success (written beside `output_path` and renamed) and may not be the input.
/// The report JSON goes to a new `*out_report` buffer (free it with `privshare_buffer_free`).
///
/// Errors, besides those of `privshare_anonymize_csv` (file lines named): `"method": "mondrian"`,
/// `PRIVSHARE_STATUS_INVALID_ARGUMENT` (it needs the rows); the file changed between the reads,
/// `PRIVSHARE_STATUS_INVALID_INPUT`; a file that cannot be read or written, `PRIVSHARE_STATUS_IO`.
#[no_mangle]
pub unsafe extern "C" fn privshare_anonymize_csv_file(
    input_path: *const c_char,
    output_path: *const c_char,
    delimiter: u8,
    config_json: *const c_char,
    out_report: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: C strings from the caller, per the crate's pointer contract.
        let (input, output, config) = unsafe {
            (c_str(input_path, "input_path")?, c_str(output_path, "output_path")?, c_str(config_json, "config_json")?)
        };
        let out_report = out(out_report, "out_report")?;
        let report = anonymize_csv_file(input, output, boundary::delimiter(delimiter)?, config)?;
        // SAFETY: non-NULL and valid for writes by the caller's contract.
        unsafe { out_report.write(buffer_from_vec(report.into_bytes())) };
        Ok(())
    })
}

/// Adds the column name to a failure that concerns one column's values or offsets.
fn in_column(f: Failure, name: &str) -> Failure {
    match f {
        Failure::Core(e) if e.position().column.is_none() => Failure::Core(e.at_column(name)),
        f => f,
    }
}

/// The caller's columns as a table, every value checked to be UTF-8.
///
/// # Safety
/// The arrays are NULL or valid for `column_count` reads; column `i` follows the pointer contract
/// of a packed column (`offsets[i]` valid for `counts[i] + 1` reads, `data[i]` for
/// `offsets[i][counts[i]]` bytes).
unsafe fn table_from_columns(
    names: *const *const c_char,
    column_count: usize,
    data: *const *const u8,
    offsets: *const *const usize,
    counts: *const usize,
) -> Result<Table, Failure> {
    // SAFETY: forwarded contract.
    let (names, data, offsets, counts) = unsafe {
        (
            array(names, column_count, "names")?,
            array(data, column_count, "data")?,
            array(offsets, column_count, "offsets")?,
            array(counts, column_count, "counts")?,
        )
    };
    let (mut column_names, mut columns) = (Vec::with_capacity(column_count), Vec::with_capacity(column_count));
    for i in 0..column_count {
        // SAFETY: forwarded contract, per column.
        let name = unsafe { c_str(names[i], &format!("names[{i}]"))? };
        // SAFETY: as above.
        let values =
            unsafe { packed(data[i], offsets[i], counts[i], (&format!("data[{i}]"), &format!("offsets[{i}]"))) }
                .map_err(|f| in_column(f, name))?;
        column_names.push(name);
        columns.push(values);
    }
    let columns: Vec<&dyn Values> = columns.iter().map(|c| c as &dyn Values).collect();
    Ok(Table::from_value_columns(&column_names, &columns)?)
}

/// Anonymizes named columns as `config_json` says, like `privshare_anonymize_csv` without the CSV:
/// column `i` is named `names[i]` (NUL-terminated UTF-8) and holds `counts[i]` values packed as in
/// the column calls, value `r` being `data[i][offsets[i][r] .. offsets[i][r + 1])` (UTF-8 text;
/// `offsets[i]` has `counts[i] + 1` entries, starts at 0 and never decreases). Every column must
/// have the same number of values (the rows). The four arrays have `column_count` entries and may be
/// NULL only when it is 0. The output is the anonymized table as CSV with a header row, fields
/// separated by `delimiter` (0 means `','`), in a new `*out_csv` buffer, and the report JSON in a
/// new `*out_report` buffer; free both with `privshare_buffer_free`.
///
/// Errors, besides those of `privshare_anonymize_csv` (same codes, 600 when infeasible):
/// `PRIVSHARE_STATUS_NULL_ARGUMENT` naming the array or element (`names[2]`, `offsets[0]`);
/// offsets that do not start at 0 or decrease, `PRIVSHARE_STATUS_INVALID_ARGUMENT` naming the
/// column (and the row where they decrease); a value that is not UTF-8, `PRIVSHARE_STATUS_NOT_UTF8` naming row, column and
/// byte offset; columns of different lengths, an empty or repeated name,
/// `PRIVSHARE_STATUS_INVALID_INPUT` naming the column.
#[no_mangle]
pub unsafe extern "C" fn privshare_anonymize_columns(
    names: *const *const c_char,
    column_count: usize,
    data: *const *const u8,
    offsets: *const *const usize,
    counts: *const usize,
    delimiter: u8,
    config_json: *const c_char,
    out_csv: *mut privshare_buffer,
    out_report: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let config = unsafe { c_str(config_json, "config_json")? };
        let (out_csv, out_report) = (out(out_csv, "out_csv")?, out(out_report, "out_report")?);
        let delimiter = boundary::delimiter(delimiter)?;
        let spec = ConfigSpec::from_json(config)?;
        // SAFETY: as above.
        let table = unsafe { table_from_columns(names, column_count, data, offsets, counts)? };
        let result = anonymize_table(&table, &spec)?;
        drop(table);
        let mut csv = Vec::new();
        result.table.write_csv(&mut csv, delimiter)?;
        // SAFETY: both are non-NULL and valid for writes by the caller's contract.
        unsafe { hand_out(out_csv, out_report, csv, result.report.to_json()) };
        Ok(())
    })
}
