//! Masking, validators and PII scanning: `privshare_masker` (a rule given as JSON, compiled once,
//! applied to one value or a whole column), `privshare_validate*` and `privshare_scan_csv*`.

use crate::boundary::{bytes, c_str, ffi_boundary, out, packed};
use crate::buffer::{buffer_from_vec, column_from_core, privshare_buffer, privshare_column, Contents};
use crate::cipher::{check_caller_buffer, into_caller};
use crate::error::{privshare_error, privshare_status, Failure};
use crate::keyset::{privshare_keyset, read};
use privshare_core::mask::{scan_csv, scan_csv_path, Masker, PiiType, Rule, ScanOptions, ScanReport};
use privshare_core::Values;
use privshare_core::{Error, ErrorKind};
use std::ffi::c_char;
use std::sync::Arc;

/// A compiled masking rule, made by `privshare_masker_new` or `privshare_masker_new_keyed` and
/// released by `privshare_masker_free`. Immutable and thread-safe: share one per column.
pub struct privshare_masker {
    _private: [u8; 0],
}

/// Parses the rule JSON argument.
///
/// # Safety
/// `rule_json` is NULL or a NUL-terminated string.
unsafe fn rule(rule_json: *const c_char) -> Result<Rule, Failure> {
    // SAFETY: forwarded contract.
    let json = unsafe { c_str(rule_json, "rule_json")? };
    Ok(Rule::from_json(json)?)
}

/// Hands a new masker handle out through `*out_masker`.
///
/// # Safety
/// `out_masker` was checked non-NULL and is valid for writes.
unsafe fn hand_out(masker: Masker, out_masker: *mut *const privshare_masker) {
    let handle = Arc::into_raw(Arc::new(masker)).cast::<privshare_masker>();
    // SAFETY: checked non-NULL by the caller; valid for writes by the C caller's contract.
    unsafe { out_masker.write(handle) };
}

/// Borrows the masker behind a handle.
///
/// # Safety
/// `m` is NULL or a live handle made by `hand_out`.
unsafe fn masker<'a>(m: *const privshare_masker) -> Result<&'a Masker, Failure> {
    if m.is_null() {
        return Err(Failure::null("masker"));
    }
    // SAFETY: a non-NULL handle points into a live `Arc<Masker>` made by `hand_out`.
    Ok(unsafe { &*m.cast::<Masker>() })
}

/// Compiles a masking rule that needs no key, given as JSON (a NUL-terminated UTF-8 string such as
/// `{"rule":"mobile"}`; every rule and parameter is in docs/masking.md). In `strict` mode a value
/// that does not parse is an error (`PRIVSHARE_STATUS_INVALID_INPUT`, naming the row and the
/// column) instead of being masked completely. `column` (NULL = none) names the column in errors.
/// Bad JSON or a bad parameter gives `PRIVSHARE_STATUS_INVALID_ARGUMENT`, and so does a keyed
/// rule (`hash`, `date_shift`: use `privshare_masker_new_keyed`).
#[no_mangle]
pub unsafe extern "C" fn privshare_masker_new(
    rule_json: *const c_char,
    strict: bool,
    column: *const c_char,
    out_masker: *mut *const privshare_masker,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: C strings from the caller, per the crate's pointer contract.
        let (rule, column) =
            unsafe { (rule(rule_json)?, if column.is_null() { None } else { Some(c_str(column, "column")?) }) };
        let out_masker = out(out_masker, "out")?;
        let mut m = Masker::new(rule)?.strict(strict);
        if let Some(c) = column {
            m = m.with_column(c);
        }
        // SAFETY: `out_masker` is non-NULL.
        unsafe { hand_out(m, out_masker) };
        Ok(())
    })
}

/// Compiles a masking rule for column `field` of `dataset` with keys from `keyset`: the keyed rules
/// (`hash`: HMAC-SHA-256 or HMAC-SM3 by the primary's suite; `date_shift`) derive their key from
/// the keyset's primary version, once. Other rules are accepted too (they ignore the keyset). The
/// column name in errors is `field`.
#[no_mangle]
pub unsafe extern "C" fn privshare_masker_new_keyed(
    rule_json: *const c_char,
    keyset: *const privshare_keyset,
    dataset: *const c_char,
    field: *const c_char,
    strict: bool,
    out_masker: *mut *const privshare_masker,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: C strings and a handle from the caller, per the crate's pointer contract.
        let (rule, ks, dataset, field) =
            unsafe { (rule(rule_json)?, read(keyset, "keyset")?, c_str(dataset, "dataset")?, c_str(field, "field")?) };
        let out_masker = out(out_masker, "out")?;
        let m = Masker::with_keyset(rule, &ks, dataset, field)?.strict(strict);
        // SAFETY: `out_masker` is non-NULL.
        unsafe { hand_out(m, out_masker) };
        Ok(())
    })
}

/// Frees a masker (derived keys are zeroized). NULL is accepted.
#[no_mangle]
pub unsafe extern "C" fn privshare_masker_free(m: *const privshare_masker) {
    if m.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: a non-NULL handle was made by `hand_out` with `Arc::into_raw`; this releases the
        // one reference C holds.
        drop(unsafe { Arc::from_raw(m.cast::<Masker>()) });
    }));
}

/// Masks one value with the column semantics (non-UTF-8 counts as not parsing), without a row in
/// errors. Returns the masked bytes and whether the value parsed.
///
/// # Safety
/// Pointer arguments per the crate's pointer contract.
unsafe fn mask_one(
    m: *const privshare_masker,
    value: *const u8,
    value_len: usize,
    subject: *const u8,
    subject_len: usize,
) -> Result<(Vec<u8>, bool), Failure> {
    // SAFETY: forwarded contract.
    let (m, value) = unsafe { (masker(m)?, bytes(value, value_len, "value")?) };
    let subject = if subject.is_null() {
        None
    } else {
        // SAFETY: forwarded contract.
        Some(unsafe { bytes(subject, subject_len, "subject")? })
    };
    let values: [&[u8]; 1] = [value];
    let subjects: Option<[&[u8]; 1]> = subject.map(|s| [s]);
    let result = m.apply_column(&values, subjects.as_ref().map(|s| s as &dyn Values)).map_err(|e| {
        // One value: the column machinery's "row 0" means nothing to the caller.
        let mut single = Error::new(e.kind(), e.message());
        if let Some(c) = &e.position().column {
            single = single.at_column(c.clone());
        }
        single
    })?;
    let parsed = result.invalid == 0;
    let (data, _) = result.column.into_parts();
    Ok((data, parsed))
}

/// Writes the optional `parsed` out-parameter.
fn write_parsed(out_parsed: *mut bool, parsed: bool) {
    if !out_parsed.is_null() {
        // SAFETY: non-NULL and valid for a write by the caller's contract.
        unsafe { out_parsed.write(parsed) };
    }
}

/// Masks one value (`value_len` bytes of UTF-8) into a new `*out` buffer (free it with
/// `privshare_buffer_free`). `subject` (NULL = none) is the subject id the `date_shift` rule needs
/// (other rules ignore it). If `out_parsed` is not NULL it receives whether the value parsed: a
/// value that does not (or is not UTF-8) is masked completely, one mask character per character,
/// unless the masker is strict (`PRIVSHARE_STATUS_INVALID_INPUT` / `_NOT_UTF8`). Empty stays empty.
#[no_mangle]
pub unsafe extern "C" fn privshare_masker_apply(
    m: *const privshare_masker,
    value: *const u8,
    value_len: usize,
    subject: *const u8,
    subject_len: usize,
    out_buf: *mut privshare_buffer,
    out_parsed: *mut bool,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_buf = out(out_buf, "out")?;
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let (data, parsed) = unsafe { mask_one(m, value, value_len, subject, subject_len)? };
        // SAFETY: `out_buf` is non-NULL and valid for writes.
        unsafe { out_buf.write(buffer_from_vec(data)) };
        write_parsed(out_parsed, parsed);
        Ok(())
    })
}

/// As `privshare_masker_apply`, but into the caller's buffer `out` of `out_cap` bytes, the length
/// written to `*out_len`. If the buffer is too small, returns `PRIVSHARE_STATUS_BUFFER_TOO_SMALL`
/// with the length needed in `*out_len` and leaves `out` untouched.
#[no_mangle]
pub unsafe extern "C" fn privshare_masker_apply_into(
    m: *const privshare_masker,
    value: *const u8,
    value_len: usize,
    subject: *const u8,
    subject_len: usize,
    out_buf: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
    out_parsed: *mut bool,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        check_caller_buffer(out_buf, out_cap, out_len)?;
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        unsafe {
            let (mut data, parsed) = mask_one(m, value, value_len, subject, subject_len)?;
            let r = into_caller(&data, out_buf, out_cap, out_len);
            zeroize::Zeroize::zeroize(&mut data);
            r?;
            write_parsed(out_parsed, parsed);
        }
        Ok(())
    })
}

/// Masks a whole column: `count` values as one buffer `data` plus `count + 1` offsets. The optional
/// `subject_data` / `subject_offsets` column (NULL offsets = none) gives one subject id per value
/// for `date_shift`. The result goes to `*out` (free it with `privshare_column_free`), and, if
/// `out_invalid` is not NULL, the number of values that did not parse (masked completely) to
/// `*out_invalid`. A strict masker fails on the first such value, naming its row and column.
#[no_mangle]
pub unsafe extern "C" fn privshare_masker_apply_column(
    m: *const privshare_masker,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    subject_data: *const u8,
    subject_offsets: *const usize,
    out_col: *mut privshare_column,
    out_invalid: *mut u64,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let (m, values) = unsafe { (masker(m)?, packed(data, offsets, count, ("data", "offsets"))?) };
        let subjects = if subject_offsets.is_null() {
            None
        } else {
            // SAFETY: as above.
            Some(unsafe { packed(subject_data, subject_offsets, count, ("subject_data", "subject_offsets"))? })
        };
        let out_col = out(out_col, "out")?;
        let masked = m.apply_column(&values, subjects.as_ref().map(|s| s as &dyn Values))?;
        // SAFETY: `out_col` is non-NULL and valid for writes.
        unsafe { out_col.write(column_from_core(masked.column, Contents::Secret)) };
        if !out_invalid.is_null() {
            // SAFETY: non-NULL and valid for a write by the caller's contract.
            unsafe { out_invalid.write(masked.invalid) };
        }
        Ok(())
    })
}

/// The PII type named `name` (`"resident_id"`, `"mobile"`, ...).
///
/// # Safety
/// As for [`c_str`].
unsafe fn pii_type(name: *const c_char) -> Result<PiiType, Failure> {
    // SAFETY: forwarded contract.
    let name = unsafe { c_str(name, "pii_type")? };
    PiiType::from_name(name).ok_or_else(|| {
        Failure::core(
            ErrorKind::InvalidArgument,
            "unknown PII type (expected resident_id, uscc, bank_card, mobile, landline, email, ip_address, plate, \
             passport, name, address or date)",
        )
    })
}

/// Validates one value (`value_len` bytes) as PII type `pii_type` (`"resident_id"`, `"uscc"`,
/// `"bank_card"`, `"mobile"`, `"landline"`, `"email"`, `"ip_address"`, `"plate"`, `"passport"`,
/// `"name"`, `"address"`, `"date"`), check digits included; writes the answer to `*out_valid`.
/// A value that is not UTF-8 is invalid. An unknown type gives `PRIVSHARE_STATUS_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn privshare_validate(
    pii_type_name: *const c_char,
    value: *const u8,
    value_len: usize,
    out_valid: *mut bool,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let (t, value) = unsafe { (pii_type(pii_type_name)?, bytes(value, value_len, "value")?) };
        let out_valid = out(out_valid, "out_valid")?;
        let valid = std::str::from_utf8(value).is_ok_and(|s| t.validate(s));
        // SAFETY: non-NULL and valid for a write.
        unsafe { out_valid.write(valid) };
        Ok(())
    })
}

/// Validates a whole column (`count` values as `data` plus `count + 1` offsets) as `pii_type`;
/// writes 1 (valid) or 0 to each of the `count` bytes of the caller's `out_flags`.
#[no_mangle]
pub unsafe extern "C" fn privshare_validate_column(
    pii_type_name: *const c_char,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    out_flags: *mut u8,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let (t, values) = unsafe { (pii_type(pii_type_name)?, packed(data, offsets, count, ("data", "offsets"))?) };
        if count > 0 {
            let out_flags = out(out_flags, "out_flags")?;
            let flags = t.validate_column(&values);
            for (i, ok) in flags.into_iter().enumerate() {
                // SAFETY: `out_flags` is valid for `count` writes by the caller's contract, and
                // `validate_column` gives exactly `count` flags.
                unsafe { out_flags.add(i).write(u8::from(ok)) };
            }
        }
        Ok(())
    })
}

/// Parses the optional scan options JSON (NULL = defaults).
///
/// # Safety
/// As for [`c_str`].
unsafe fn scan_options(json: *const c_char) -> Result<ScanOptions, Failure> {
    if json.is_null() {
        return Ok(ScanOptions::default());
    }
    // SAFETY: forwarded contract.
    let json = unsafe { c_str(json, "options_json")? };
    serde_json::from_str(json)
        .map_err(|e| Failure::core(ErrorKind::InvalidArgument, format!("invalid scan options: {e}")))
}

fn report_json(report: &ScanReport) -> Result<Vec<u8>, Failure> {
    serde_json::to_vec(report).map_err(|_| Failure::core(ErrorKind::Internal, "scan report did not serialize"))
}

/// Scans a CSV (`csv_len` bytes, header row, comma-separated) for personal data and writes the
/// report as JSON (`{"rows_read":…, "columns":[{"name":…, "detected":"mobile", …}]}`, the serde
/// form of `privshare::mask::ScanReport`) to a new `*out_report` buffer. `options_json` (NULL =
/// defaults) holds `ScanOptions` fields, e.g. `{"sample_rows":1000,"min_values":5}`; unknown
/// fields or bad JSON give `PRIVSHARE_STATUS_INVALID_ARGUMENT`, malformed CSV
/// `PRIVSHARE_STATUS_INVALID_INPUT` with the line as row.
#[no_mangle]
pub unsafe extern "C" fn privshare_scan_csv(
    csv: *const u8,
    csv_len: usize,
    options_json: *const c_char,
    out_report: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let (csv, opts) = unsafe { (bytes(csv, csv_len, "csv")?, scan_options(options_json)?) };
        let out_report = out(out_report, "out")?;
        let json = report_json(&scan_csv(csv, &opts)?)?;
        // SAFETY: non-NULL and valid for writes.
        unsafe { out_report.write(buffer_from_vec(json)) };
        Ok(())
    })
}

/// As `privshare_scan_csv`, reading the CSV file at `path` (NUL-terminated UTF-8). A file that
/// cannot be read gives `PRIVSHARE_STATUS_IO`.
#[no_mangle]
pub unsafe extern "C" fn privshare_scan_csv_path(
    path: *const c_char,
    options_json: *const c_char,
    out_report: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: pointer arguments from the caller, per the crate's pointer contract.
        let (path, opts) = unsafe { (c_str(path, "path")?, scan_options(options_json)?) };
        let out_report = out(out_report, "out")?;
        let json = report_json(&scan_csv_path(path, &opts)?)?;
        // SAFETY: non-NULL and valid for writes.
        unsafe { out_report.write(buffer_from_vec(json)) };
        Ok(())
    })
}
