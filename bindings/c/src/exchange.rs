//! Exchanges: `privshare_trust_registry`, `privshare_replay_store`, `privshare_sealer` and the
//! opening functions.

use std::ffi::c_char;
use std::sync::RwLock;

use crate::boundary::{bytes, c_str, ffi_boundary, out};
use crate::buffer::{buffer_from_vec, privshare_buffer};
use crate::error::{privshare_error, privshare_status, Failure};
use crate::handle::{borrow, borrow_mut, free_boxed, hand_out_boxed, Boxed, Handle};
use crate::identity::{give, privshare_recipient_key, privshare_signing_key, recipient_public_key, verifying_key};
use privshare_core::envelope::{
    Opener, Padding, ParticipantId, PublicKeyId, RecipientKey, ReplayStore, Sealer, SigningKey, TrustRegistry,
};
use privshare_core::ErrorKind;

/// No padding.
pub const PRIVSHARE_PADDING_NONE: u32 = 0;
/// Pad up to a multiple of a given number of bytes.
pub const PRIVSHARE_PADDING_MULTIPLE: u32 = 1;
/// Pad up to the next power of two (at least 1 KiB).
pub const PRIVSHARE_PADDING_POWER_OF_TWO: u32 = 2;

/// Which participant owns which signing keys, and when. Functions taking a `const *` only read
/// and may run concurrently; `privshare_trust_registry_add` takes a write lock.
pub struct privshare_trust_registry {
    _private: [u8; 0],
}

impl Handle for privshare_trust_registry {
    type Ownership = Boxed;
    type Inner = Registry;
}

/// Remembers opened envelopes (in memory, or in a file that survives restarts). Shared by
/// concurrent openers of one process.
pub struct privshare_replay_store {
    _private: [u8; 0],
}

impl Handle for privshare_replay_store {
    type Ownership = Boxed;
    type Inner = ReplayStore;
}

/// The header fields and recipients of envelopes to seal. Setters need exclusive use; sealing
/// only reads.
pub struct privshare_sealer {
    _private: [u8; 0],
}

impl Handle for privshare_sealer {
    type Ownership = Boxed;
    type Inner = Sealer;
}

/// cbindgen:ignore
type Registry = RwLock<TrustRegistry>;

pub(crate) fn participant(ptr: *const c_char, what: &str) -> Result<ParticipantId, Failure> {
    // SAFETY: NULL or a NUL-terminated string by the caller's contract.
    Ok(ParticipantId::parse(unsafe { c_str(ptr, what)? })?)
}

/// An empty trust registry.
#[no_mangle]
pub unsafe extern "C" fn privshare_trust_registry_new(
    out_registry: *mut *mut privshare_trust_registry,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_registry = out(out_registry, "out_registry")?;
        // SAFETY: non-NULL.
        unsafe { hand_out_boxed(out_registry, Registry::new(TrustRegistry::new())) };
        Ok(())
    })
}

/// Loads a trust registry from its JSON form (`json_len` bytes; see docs/formats/envelope.md).
#[no_mangle]
pub unsafe extern "C" fn privshare_trust_registry_load_json(
    json: *const u8,
    json_len: usize,
    out_registry: *mut *mut privshare_trust_registry,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_registry = out(out_registry, "out_registry")?;
        // SAFETY: valid for `json_len` bytes by the caller's contract.
        let json = unsafe { bytes(json, json_len, "json")? };
        let json =
            std::str::from_utf8(json).map_err(|_| Failure::core(ErrorKind::NotUtf8, "registry JSON is not UTF-8"))?;
        let registry = TrustRegistry::from_json(json)?;
        // SAFETY: non-NULL.
        unsafe { hand_out_boxed(out_registry, Registry::new(registry)) };
        Ok(())
    })
}

/// Registers a signing public key (SubjectPublicKeyInfo PEM or DER) for `participant`
/// (`INSTANCE/CLASS/MEMBER/SUBSYSTEM`), valid from `not_before` until `not_after` (Unix seconds,
/// exclusive; 0 for no end).
#[no_mangle]
pub unsafe extern "C" fn privshare_trust_registry_add(
    registry: *const privshare_trust_registry,
    participant_id: *const c_char,
    public_key: *const u8,
    public_key_len: usize,
    not_before: u64,
    not_after: u64,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a handle of this module or NULL; the key is valid for its length.
        let (registry, key): (&Registry, _) =
            unsafe { (borrow(registry, "registry")?, bytes(public_key, public_key_len, "public_key")?) };
        let (who, key) = (participant(participant_id, "participant_id")?, verifying_key(key)?);
        let mut r = registry.write().unwrap_or_else(|p| p.into_inner());
        Ok(r.add(who, key, not_before, (not_after != 0).then_some(not_after))?)
    })
}

/// The registry as JSON.
#[no_mangle]
pub unsafe extern "C" fn privshare_trust_registry_to_json(
    registry: *const privshare_trust_registry,
    out_json: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a handle of this module or NULL.
        let registry: &Registry = unsafe { borrow(registry, "registry")? };
        let json = registry.read().unwrap_or_else(|p| p.into_inner()).to_json();
        give(json.into_bytes(), out_json)
    })
}

/// Verifies `signature` over `message` by key `key_id` (32 bytes) of `participant_id`, which
/// must be registered to it and valid at `at_time` (Unix seconds), with the registered key's
/// algorithm. Unknown participant or key: `PRIVSHARE_STATUS_UNKNOWN_SENDER`; a wrong signature:
/// `PRIVSHARE_STATUS_AUTHENTICATION_FAILED`.
#[no_mangle]
pub unsafe extern "C" fn privshare_trust_registry_verify(
    registry: *const privshare_trust_registry,
    participant_id: *const c_char,
    key_id: *const u8,
    at_time: u64,
    message: *const u8,
    message_len: usize,
    signature: *const u8,
    signature_len: usize,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a handle of this module or NULL; each buffer valid for its length.
        let (registry, key_id, message, signature): (&Registry, _, _, _) = unsafe {
            (
                borrow(registry, "registry")?,
                bytes(key_id, 32, "key_id")?,
                bytes(message, message_len, "message")?,
                bytes(signature, signature_len, "signature")?,
            )
        };
        let who = participant(participant_id, "participant_id")?;
        let id = PublicKeyId(key_id.try_into().expect("32 bytes"));
        let r = registry.read().unwrap_or_else(|p| p.into_inner());
        Ok(r.verify(&who, &id, &[at_time], message, signature)?)
    })
}

/// Frees a registry. NULL is accepted.
#[no_mangle]
pub unsafe extern "C" fn privshare_trust_registry_free(registry: *mut privshare_trust_registry) {
    // SAFETY: NULL or a handle of this module, not used afterwards.
    unsafe { free_boxed(registry) }
}

/// Opens (or creates) a replay store file at `path`. One process may share it between threads;
/// two processes must not open the same file. With `path` NULL, a store in memory only.
#[no_mangle]
pub unsafe extern "C" fn privshare_replay_store_open(
    path: *const c_char,
    out_store: *mut *mut privshare_replay_store,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_store = out(out_store, "out_store")?;
        let store = if path.is_null() {
            ReplayStore::in_memory()
        } else {
            // SAFETY: a NUL-terminated string by the caller's contract.
            ReplayStore::open(unsafe { c_str(path, "path")? })?
        };
        // SAFETY: non-NULL.
        unsafe { hand_out_boxed(out_store, store) };
        Ok(())
    })
}

/// Frees a replay store (its file stays). NULL is accepted.
#[no_mangle]
pub unsafe extern "C" fn privshare_replay_store_free(store: *mut privshare_replay_store) {
    // SAFETY: NULL or a handle of this module, not used afterwards.
    unsafe { free_boxed(store) }
}

/// A sealer for envelopes from `sender_id`; set the header fields, add recipients, then seal.
#[no_mangle]
pub unsafe extern "C" fn privshare_sealer_new(
    sender_id: *const c_char,
    out_sealer: *mut *mut privshare_sealer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_sealer = out(out_sealer, "out_sealer")?;
        let sealer = Sealer::new(participant(sender_id, "sender_id")?);
        // SAFETY: non-NULL.
        unsafe { hand_out_boxed(out_sealer, sealer) };
        Ok(())
    })
}

/// Applies one builder step to the sealer behind the handle.
fn update(sealer: *mut privshare_sealer, step: impl FnOnce(Sealer) -> Result<Sealer, Failure>) -> Result<(), Failure> {
    // SAFETY: a handle of this module or NULL, used by one thread during the call.
    let s: &mut Sealer = unsafe { borrow_mut(sealer, "sealer")? };
    *s = step(s.clone())?;
    Ok(())
}

/// Adds a recipient: its participant id and public key (SubjectPublicKeyInfo PEM or DER).
#[no_mangle]
pub unsafe extern "C" fn privshare_sealer_add_recipient(
    sealer: *mut privshare_sealer,
    participant_id: *const c_char,
    public_key: *const u8,
    public_key_len: usize,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: valid for `public_key_len` bytes by the caller's contract.
        let key = recipient_public_key(unsafe { bytes(public_key, public_key_len, "public_key")? })?;
        let who = participant(participant_id, "participant_id")?;
        update(sealer, |s| Ok(s.recipient(who, &key)))
    })
}

/// Sets a text field of the header: `field` is one of `"purpose"`, `"legal_basis"`,
/// `"content_type"`.
#[no_mangle]
pub unsafe extern "C" fn privshare_sealer_set_text(
    sealer: *mut privshare_sealer,
    field: *const c_char,
    value: *const c_char,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: NUL-terminated strings by the caller's contract.
        let (field, value) = unsafe { (c_str(field, "field")?, c_str(value, "value")?.to_string()) };
        update(sealer, |s| match field {
            "purpose" => Ok(s.purpose(value)),
            "legal_basis" => Ok(s.legal_basis(value)),
            "content_type" => Ok(s.content_type(value)),
            _ => Err(Failure::core(ErrorKind::InvalidArgument, format!("unknown text field {field:?}"))),
        })
    })
}

/// Sets the sharing policy (id, version, hash) and the schema hash (either hash may be empty).
#[no_mangle]
pub unsafe extern "C" fn privshare_sealer_set_policy(
    sealer: *mut privshare_sealer,
    policy_id: *const c_char,
    policy_version: u32,
    policy_hash: *const u8,
    policy_hash_len: usize,
    schema_hash: *const u8,
    schema_hash_len: usize,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a NUL-terminated string and buffers valid for their lengths.
        let (id, hash, schema) = unsafe {
            (
                c_str(policy_id, "policy_id")?.to_string(),
                bytes(policy_hash, policy_hash_len, "policy_hash")?,
                bytes(schema_hash, schema_hash_len, "schema_hash")?,
            )
        };
        update(sealer, |s| Ok(s.policy(id, policy_version, hash).schema_hash(schema)))
    })
}

/// Records the keyset key version used for `column` (the column key versions extension).
#[no_mangle]
pub unsafe extern "C" fn privshare_sealer_add_column_key_version(
    sealer: *mut privshare_sealer,
    column: *const c_char,
    key_version: u32,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: a NUL-terminated string by the caller's contract.
        let column = unsafe { c_str(column, "column")?.to_string() };
        update(sealer, |s| Ok(s.column_key_version(column, key_version)))
    })
}

/// Sets the times (Unix seconds; `created_at` 0 = the clock at sealing; `lifetime` 0 = the
/// default 7 days), the padding (`PRIVSHARE_PADDING_*`, `multiple` for `_MULTIPLE`) and the chunk
/// size (0 = the default 64 KiB).
#[no_mangle]
pub unsafe extern "C" fn privshare_sealer_set_options(
    sealer: *mut privshare_sealer,
    created_at: u64,
    lifetime: u64,
    padding: u32,
    multiple: u64,
    chunk_size: u32,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let padding = match padding {
            PRIVSHARE_PADDING_NONE => Padding::None,
            PRIVSHARE_PADDING_MULTIPLE => Padding::Multiple(multiple),
            PRIVSHARE_PADDING_POWER_OF_TWO => Padding::PowerOfTwo,
            _ => return Err(Failure::core(ErrorKind::InvalidArgument, format!("unknown padding {padding}"))),
        };
        update(sealer, |mut s| {
            if created_at != 0 {
                s = s.created_at(created_at);
            }
            if lifetime != 0 {
                s = s.lifetime(lifetime);
            }
            if chunk_size != 0 {
                s = s.chunk_size(chunk_size);
            }
            Ok(s.padding(padding))
        })
    })
}

/// Seals `payload` into a new envelope signed by `signer`.
#[no_mangle]
pub unsafe extern "C" fn privshare_sealer_seal(
    sealer: *const privshare_sealer,
    signer: *const privshare_signing_key,
    payload: *const u8,
    payload_len: usize,
    out_envelope: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: handles of this crate or NULL; `payload` valid for `payload_len` bytes.
        let (sealer, signer, payload): (&Sealer, &SigningKey, _) =
            unsafe { (borrow(sealer, "sealer")?, borrow(signer, "signer")?, bytes(payload, payload_len, "payload")?) };
        let out_envelope = out(out_envelope, "out_envelope")?;
        let envelope = sealer.seal(signer, payload)?;
        // SAFETY: non-NULL and writable.
        unsafe { out_envelope.write(buffer_from_vec(envelope)) };
        Ok(())
    })
}

/// Seals the file `input_path` into `output_path` (written atomically: on error no output file).
#[no_mangle]
pub unsafe extern "C" fn privshare_sealer_seal_file(
    sealer: *const privshare_sealer,
    signer: *const privshare_signing_key,
    input_path: *const c_char,
    output_path: *const c_char,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        // SAFETY: handles of this crate or NULL; NUL-terminated paths.
        let (sealer, signer, input, output): (&Sealer, &SigningKey, _, _) = unsafe {
            (
                borrow(sealer, "sealer")?,
                borrow(signer, "signer")?,
                c_str(input_path, "input_path")?,
                c_str(output_path, "output_path")?,
            )
        };
        sealer.seal_file(signer, input.as_ref(), output.as_ref())?;
        Ok(())
    })
}

/// Frees a sealer. NULL is accepted.
#[no_mangle]
pub unsafe extern "C" fn privshare_sealer_free(sealer: *mut privshare_sealer) {
    // SAFETY: NULL or a handle of this module, not used afterwards.
    unsafe { free_boxed(sealer) }
}

/// The opener of one call: `now` 0 means the system clock.
pub(crate) struct OpenArgs<'a> {
    registry: std::sync::RwLockReadGuard<'a, TrustRegistry>,
    me: ParticipantId,
    key: &'a RecipientKey,
    store: &'a ReplayStore,
}

/// # Safety
/// Handles of this crate or NULL; `me` NULL or NUL-terminated.
pub(crate) unsafe fn open_args<'a>(
    registry: *const privshare_trust_registry,
    me: *const c_char,
    key: *const privshare_recipient_key,
    store: *const privshare_replay_store,
) -> Result<OpenArgs<'a>, Failure> {
    // SAFETY: by this function's contract.
    let (registry, key, store): (&Registry, &RecipientKey, &ReplayStore) =
        unsafe { (borrow(registry, "registry")?, borrow(key, "recipient_key")?, borrow(store, "replay_store")?) };
    Ok(OpenArgs {
        registry: registry.read().unwrap_or_else(|p| p.into_inner()),
        me: participant(me, "recipient_id")?,
        key,
        store,
    })
}

impl OpenArgs<'_> {
    pub(crate) fn opener(&self, now: u64, clock_skew: u64) -> Opener<'_> {
        let o = Opener::new(&self.registry, &self.me, self.key, self.store).clock_skew(clock_skew);
        if now == 0 {
            o
        } else {
            o.at(now)
        }
    }
}

/// Opens an envelope addressed to `recipient_id` holding `recipient_key`: checks, in order,
/// structure, sender (in `registry`), signature, times (`now` in Unix seconds, 0 = the system
/// clock; `clock_skew` seconds, 300 is the usual), recipient, replay (recorded in `replay_store`),
/// content; each failure has its own status (504, 503, 505, 506/501, 502, 500, 507). On success
/// writes the payload and the authenticated header as JSON.
#[no_mangle]
pub unsafe extern "C" fn privshare_envelope_open(
    registry: *const privshare_trust_registry,
    recipient_id: *const c_char,
    recipient_key: *const privshare_recipient_key,
    replay_store: *const privshare_replay_store,
    now: u64,
    clock_skew: u64,
    envelope: *const u8,
    envelope_len: usize,
    out_payload: *mut privshare_buffer,
    out_header_json: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let (out_payload, out_header) = (out(out_payload, "out_payload")?, out(out_header_json, "out_header_json")?);
        // SAFETY: by this function's contract.
        let (args, envelope) = unsafe {
            (
                open_args(registry, recipient_id, recipient_key, replay_store)?,
                bytes(envelope, envelope_len, "envelope")?,
            )
        };
        let opened = args.opener(now, clock_skew).open(envelope)?;
        // SAFETY: both non-NULL and writable.
        unsafe {
            out_header.write(buffer_from_vec(opened.header.to_json().into_bytes()));
            out_payload.write(buffer_from_vec(opened.payload));
        }
        Ok(())
    })
}

/// As `privshare_envelope_open`, from the file `input_path` into the file `output_path`, which
/// appears (by rename) only when every check passed. Writes the header as JSON.
#[no_mangle]
pub unsafe extern "C" fn privshare_envelope_open_file(
    registry: *const privshare_trust_registry,
    recipient_id: *const c_char,
    recipient_key: *const privshare_recipient_key,
    replay_store: *const privshare_replay_store,
    now: u64,
    clock_skew: u64,
    input_path: *const c_char,
    output_path: *const c_char,
    out_header_json: *mut privshare_buffer,
    err: *mut *mut privshare_error,
) -> privshare_status {
    ffi_boundary!(err, {
        let out_header = out(out_header_json, "out_header_json")?;
        // SAFETY: by this function's contract.
        let (args, input, output) = unsafe {
            (
                open_args(registry, recipient_id, recipient_key, replay_store)?,
                c_str(input_path, "input_path")?,
                c_str(output_path, "output_path")?,
            )
        };
        let opened = args.opener(now, clock_skew).open_file(input.as_ref(), output.as_ref())?;
        give(opened.header.to_json().into_bytes(), out_header)
    })
}
