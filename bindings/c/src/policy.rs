//! Sharing policies (docs/policy.md): `privshare_plan`, a policy compiled with a keyset, which
//! protects CSV and JSON Lines files, reveals them for a keyset holder and shares them as signed
//! packages; `privshare_package_open_file` opens such a package on the recipient's side.

use std::ffi::c_char;

use crate::boundary::{self, array, bytes, c_str, ffi_boundary, out};
use crate::buffer::privshare_buffer;
use crate::error::{privshare_error, privshare_status, Failure};
use crate::exchange::{open_args, participant, privshare_replay_store, privshare_trust_registry};
use crate::handle::{borrow, free_shared, hand_out, shared, Handle, Shared};
use crate::identity::{give, privshare_recipient_key, privshare_signing_key, recipient_public_key};
use crate::keyset::{self, privshare_keyset};
use privshare_core::envelope::{Padding, SigningKey};
use privshare_core::policy::{open_package_file, DataFormat, Format, Plan, Policy, ShareOptions};
use privshare_core::ErrorKind;

/// The policy text is TOML.
pub const PRIVSHARE_POLICY_TOML: u32 = 1;
/// The policy text is JSON.
pub const PRIVSHARE_POLICY_JSON: u32 = 2;

/// A data file in CSV (its delimiter given beside it).
pub const PRIVSHARE_DATA_CSV: u32 = 1;
/// A data file in JSON Lines (one object per line; docs/policy.md says how values are treated).
pub const PRIVSHARE_DATA_JSONL: u32 = 2;

/// A package's data is not padded: its length shows in the envelope header.
pub const PRIVSHARE_PAD_NONE: u32 = 0;
/// A package's data is padded to the next power of two (at least 1 KiB).
pub const PRIVSHARE_PAD_POWER_OF_TWO: u32 = 1;
/// A package's data is padded to the next multiple of `pad_multiple` bytes.
pub const PRIVSHARE_PAD_MULTIPLE: u32 = 2;

/// The data format named by `format` (`PRIVSHARE_DATA_*`) with `delimiter` (0 means `','`).
fn data_format(format: u32, delimiter: u8) -> Result<DataFormat, Failure> {
    match format {
        PRIVSHARE_DATA_CSV => Ok(DataFormat::Csv { delimiter: boundary::delimiter(delimiter)? }),
        PRIVSHARE_DATA_JSONL => Ok(DataFormat::JsonLines),
        _ => {
            Err(Failure::core(ErrorKind::InvalidArgument, "format must be PRIVSHARE_DATA_CSV or PRIVSHARE_DATA_JSONL"))
        }
    }
}

/// The padding named by `padding` (`PRIVSHARE_PAD_*`) and `multiple`.
fn padding(padding: u32, multiple: u64) -> Result<Padding, Failure> {
    match padding {
        PRIVSHARE_PAD_NONE => Ok(Padding::None),
        PRIVSHARE_PAD_POWER_OF_TWO => Ok(Padding::PowerOfTwo),
        PRIVSHARE_PAD_MULTIPLE if multiple >= 1 => Ok(Padding::Multiple(multiple)),
        _ => Err(Failure::core(
            ErrorKind::InvalidArgument,
            "padding must be PRIVSHARE_PAD_NONE, _POWER_OF_TWO, or _MULTIPLE with a multiple of at least 1",
        )),
    }
}

/// A sharing policy compiled with a keyset: one ready transformer per column, keys derived once.
/// Made by `privshare_plan_new`, released by `privshare_plan_free`. Immutable: may be used from
/// many threads at once, and keeps working after its keyset is freed or rotated.
pub struct privshare_plan {
    _private: [u8; 0],
}

impl Handle for privshare_plan {
    type Ownership = Shared;
    type Inner = Plan;
}

/// Parses `policy_text` (NUL-terminated UTF-8; `format` is `PRIVSHARE_POLICY_TOML` or
/// `PRIVSHARE_POLICY_JSON`) and compiles it with `keyset`, deriving every column's keys once.
/// On success `*out_plan` receives a new plan (free it with `privshare_plan_free`).
///
/// A policy with problems (syntax, unknown keys, bad actions or parameters, a suite the keyset's
/// primary is not of, a key version the keyset cannot use) gives `PRIVSHARE_STATUS_POLICY`; the
/// error message lists every problem (with its line in a TOML policy) and
/// `privshare_error_details(err)` is the list as JSON:
/// `[{"line": 3, "path": "columns.age", "message": "..."}]` (`line` is null when unknown).
/// An unknown `format` is `PRIVSHARE_STATUS_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn privshare_plan_new(
    policy_text: *const c_char,
    format: u32,
    keyset: *const privshare_keyset,
    out_plan: *mut *const privshare_plan,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_plan = out(out_plan, "out_plan")?;
        // SAFETY: a NUL-terminated string and a keyset handle (or NULL), by the pointer contract.
        let (text, keyset) = unsafe { (c_str(policy_text, "policy_text")?, keyset::read(keyset, "keyset")?) };
        let format = match format {
            PRIVSHARE_POLICY_TOML => Format::Toml,
            PRIVSHARE_POLICY_JSON => Format::Json,
            _ => return Err(Failure::core(ErrorKind::InvalidArgument, format!("unknown policy format {format}"))),
        };
        let plan = Plan::compile(&Policy::parse(text, format)?, &keyset)?;
        // SAFETY: `out_plan` is non-NULL.
        unsafe { hand_out(out_plan, shared::<privshare_plan>(plan)) };
        Ok(())
    })
}

/// Frees a plan (its derived keys are zeroized). NULL is accepted.
#[no_mangle]
pub unsafe extern "C" fn privshare_plan_free(plan: *const privshare_plan) {
    // SAFETY: NULL or a handle of this module, not used afterwards.
    unsafe { free_shared(plan) }
}

/// Protects the CSV file `input_path` (a header line, then records separated by `delimiter`; 0
/// means `','`) into a new file `output_path` as the plan says, streaming (a second read first
/// when the policy generalizes columns). The output appears only on success (written beside
/// `output_path` and renamed) and may not be the input. The report (JSON: policy, version,
/// dataset, rows, what was done to each column and how many values were invalid, the
/// anonymization's report) goes to a new `*out_report_json` buffer.
///
/// Errors name the file line, the data row and the column, never a value: a data column the
/// policy does not name (unless its default is `drop`) or a policy column missing from the data,
/// `PRIVSHARE_STATUS_POLICY` (every problem in the message, the list in the error details, as for
/// `privshare_plan_new`); malformed CSV `PRIVSHARE_STATUS_INVALID_INPUT`; a value an action cannot
/// take under `on_invalid = "error"`, that action's status (e.g. `PRIVSHARE_STATUS_INVALID_IDENTIFIER`);
/// no transformation meeting the privacy models, `PRIVSHARE_STATUS_ANONYMIZATION_INFEASIBLE`; a
/// file that cannot be read or written, `PRIVSHARE_STATUS_IO`.
#[no_mangle]
pub unsafe extern "C" fn privshare_plan_protect_csv_file(
    plan: *const privshare_plan,
    input_path: *const c_char,
    output_path: *const c_char,
    delimiter: u8,
    out_report_json: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    // SAFETY: the caller's pointers, passed on under the same contract.
    unsafe {
        privshare_plan_protect_file(plan, input_path, output_path, PRIVSHARE_DATA_CSV, delimiter, out_report_json, err)
    }
}

/// Protects the file `input_path` in `format` (`PRIVSHARE_DATA_CSV` with `delimiter`, 0 meaning
/// `','`, or `PRIVSHARE_DATA_JSONL`, where `delimiter` is ignored) into a new file `output_path`
/// in the same format, as `privshare_plan_protect_csv_file` does, with its errors. An unknown
/// `format` is `PRIVSHARE_STATUS_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn privshare_plan_protect_file(
    plan: *const privshare_plan,
    input_path: *const c_char,
    output_path: *const c_char,
    format: u32,
    delimiter: u8,
    out_report_json: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    // SAFETY: the caller's pointers, passed on under the same contract.
    unsafe {
        file_call(plan, input_path, output_path, format, delimiter, out_report_json, err, |p, i, o, f| {
            p.protect_file(i, o, f)
        })
    }
}

/// The body of `privshare_plan_protect_file` and `privshare_plan_reveal_file`: `call` on the plan,
/// the paths and the format, its report to `*out_report_json`.
///
/// # Safety
/// As for those functions.
#[allow(clippy::too_many_arguments)]
unsafe fn file_call(
    plan: *const privshare_plan,
    input_path: *const c_char,
    output_path: *const c_char,
    format: u32,
    delimiter: u8,
    out_report_json: *mut privshare_buffer,
    err: *mut *mut privshare_error,
    call: fn(&Plan, &str, &str, DataFormat) -> privshare_core::Result<privshare_core::policy::Report>,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a plan handle (or NULL) and NUL-terminated paths, by the pointer contract.
        let (plan, input, output): (&Plan, _, _) =
            unsafe { (borrow(plan, "plan")?, c_str(input_path, "input_path")?, c_str(output_path, "output_path")?) };
        let out_report = out(out_report_json, "out_report_json")?;
        let report = call(plan, input, output, data_format(format, delimiter)?)?;
        give(report.to_json().into_bytes(), out_report)
    })
}

/// For a holder of the plan's keyset: decrypts the `encrypt`, `encrypt_deterministic` and `fpe`
/// columns of the file `input_path` (in `format`, as for `privshare_plan_protect_file`) that the
/// plan's policy protected, into a new file `output_path`; tokens, masks and generalized values
/// are copied as they are. Every column of the input must be one the policy writes
/// (`PRIVSHARE_STATUS_POLICY` otherwise); a value that does not decrypt gives the cipher's
/// status under `on_invalid = "error"`. The output appears only on success; the report JSON goes
/// to a new `*out_report_json` buffer.
#[no_mangle]
pub unsafe extern "C" fn privshare_plan_reveal_file(
    plan: *const privshare_plan,
    input_path: *const c_char,
    output_path: *const c_char,
    format: u32,
    delimiter: u8,
    out_report_json: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    // SAFETY: the caller's pointers, passed on under the same contract.
    unsafe {
        file_call(plan, input_path, output_path, format, delimiter, out_report_json, err, |p, i, o, f| {
            p.reveal_file(i, o, f)
        })
    }
}

/// Protects the CSV file `input_path` as `privshare_plan_protect_csv_file` does and seals the
/// result with its report into the package file `output_path` (an envelope signed by `signer` as
/// the policy's sender, with the policy's id, version and hash and each column's key version in
/// its signed header), for the policy's recipients. `recipient_ids[i]` (a participant id,
/// `INSTANCE/CLASS/MEMBER/SUBSYSTEM`) has the public key `recipient_keys[i]`
/// (SubjectPublicKeyInfo PEM or DER, `recipient_key_lens[i]` bytes); the three arrays have
/// `recipient_count` entries. Every recipient the policy names needs a key, and no other may be
/// given. The package expires `lifetime_secs` seconds after it is made (0: the default 7 days).
/// The output appears only on success; the report JSON goes to a new `*out_report_json` buffer.
///
/// Errors, besides those of `privshare_plan_protect_csv_file`: a policy without sender or
/// recipients, `PRIVSHARE_STATUS_POLICY`; a recipient without a key, or a key for a participant
/// the policy does not name, `PRIVSHARE_STATUS_INVALID_ARGUMENT`; a NULL array or element,
/// `PRIVSHARE_STATUS_NULL_ARGUMENT` naming it (`recipient_keys[1]`).
#[no_mangle]
pub unsafe extern "C" fn privshare_plan_share_csv_file(
    plan: *const privshare_plan,
    input_path: *const c_char,
    output_path: *const c_char,
    delimiter: u8,
    signer: *const privshare_signing_key,
    recipient_ids: *const *const c_char,
    recipient_keys: *const *const u8,
    recipient_key_lens: *const usize,
    recipient_count: usize,
    lifetime_secs: u64,
    out_report_json: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    // SAFETY: the caller's pointers, passed on under the same contract.
    unsafe {
        privshare_plan_share_file(
            plan,
            input_path,
            output_path,
            PRIVSHARE_DATA_CSV,
            delimiter,
            signer,
            recipient_ids,
            recipient_keys,
            recipient_key_lens,
            recipient_count,
            lifetime_secs,
            PRIVSHARE_PAD_NONE,
            0,
            out_report_json,
            err,
        )
    }
}

/// `privshare_plan_share_csv_file` for a file in `format` (as for `privshare_plan_protect_file`),
/// with the package's data padded as `padding` says (`PRIVSHARE_PAD_NONE`, `_POWER_OF_TWO`, or
/// `_MULTIPLE` of `pad_multiple` bytes; `pad_multiple` is ignored otherwise), so that its size
/// does not reveal the row count exactly. An unknown `format` or `padding`, or a multiple of 0,
/// is `PRIVSHARE_STATUS_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn privshare_plan_share_file(
    plan: *const privshare_plan,
    input_path: *const c_char,
    output_path: *const c_char,
    format: u32,
    delimiter: u8,
    signer: *const privshare_signing_key,
    recipient_ids: *const *const c_char,
    recipient_keys: *const *const u8,
    recipient_key_lens: *const usize,
    recipient_count: usize,
    lifetime_secs: u64,
    padding: u32,
    pad_multiple: u64,
    out_report_json: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: handles of this crate (or NULL), NUL-terminated paths and arrays valid for
        // `recipient_count` reads, by the pointer contract.
        let (plan, signer, input, output, ids, keys, lens): (&Plan, &SigningKey, _, _, _, _, _) = unsafe {
            (
                borrow(plan, "plan")?,
                borrow(signer, "signer")?,
                c_str(input_path, "input_path")?,
                c_str(output_path, "output_path")?,
                array(recipient_ids, recipient_count, "recipient_ids")?,
                array(recipient_keys, recipient_count, "recipient_keys")?,
                array(recipient_key_lens, recipient_count, "recipient_key_lens")?,
            )
        };
        let out_report = out(out_report_json, "out_report_json")?;
        let mut recipients = Vec::with_capacity(recipient_count);
        for i in 0..recipient_count {
            // SAFETY: element `i` is a key valid for `lens[i]` bytes, by the pointer contract.
            let key = unsafe { bytes(keys[i], lens[i], &format!("recipient_keys[{i}]"))? };
            recipients.push((participant(ids[i], &format!("recipient_ids[{i}]"))?, recipient_public_key(key)?));
        }
        let mut options = ShareOptions { padding: self::padding(padding, pad_multiple)?, ..Default::default() };
        if lifetime_secs != 0 {
            options.lifetime_secs = lifetime_secs;
        }
        let format = data_format(format, delimiter)?;
        let shared = plan.share_file(input, output, format, signer, &recipients, &options)?;
        give(shared.report.to_json().into_bytes(), out_report)
    })
}

/// Opens the package file `input_path` addressed to `recipient_id` holding `recipient_key`, with
/// every check of `privshare_envelope_open_file` (sender in `registry`, signature, times: `now`
/// in Unix seconds, 0 = the system clock, `clock_skew` seconds; recipient; replay, recorded in
/// `replay_store`; integrity), and writes the protected data to `output_path`, which appears only
/// when everything checked and may not be the input. On success the sender's report goes to a new
/// `*out_report_json` buffer and the authenticated envelope header (JSON, as
/// `privshare_envelope_open_file` gives it: `sender`, `policy` with its `id`, `version` and
/// `hash`, `purpose`, `created`, `expires`, `column_key_versions`, ...) to a new
/// `*out_header_json` buffer.
///
/// Errors: those of `privshare_envelope_open_file` (each check its own status: 500 to 507); an
/// envelope that holds something other than a package, `PRIVSHARE_STATUS_INVALID_INPUT`; a
/// package payload without a well-formed report trailer, `PRIVSHARE_STATUS_MALFORMED_ENVELOPE`.
#[no_mangle]
pub unsafe extern "C" fn privshare_package_open_file(
    registry: *const privshare_trust_registry,
    recipient_id: *const c_char,
    recipient_key: *const privshare_recipient_key,
    replay_store: *const privshare_replay_store,
    now: u64,
    clock_skew: u64,
    input_path: *const c_char,
    output_path: *const c_char,
    out_report_json: *mut privshare_buffer,
    out_header_json: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_report = out(out_report_json, "out_report_json")?;
        let out_header = out(out_header_json, "out_header_json")?;
        // SAFETY: handles of this crate (or NULL) and NUL-terminated strings, by the pointer contract.
        let (args, input, output) = unsafe {
            (
                open_args(registry, recipient_id, recipient_key, replay_store)?,
                c_str(input_path, "input_path")?,
                c_str(output_path, "output_path")?,
            )
        };
        let opened = open_package_file(&args.opener(now, clock_skew), input, output)?;
        give(opened.report_json.into_bytes(), out_report)?;
        give(opened.header.to_json().into_bytes(), out_header)
    })
}
