//! Ownership of the opaque handles, fixed per type in one place.
//!
//! Every opaque C type implements [`Handle`]: the Rust value behind it (`Inner`) and whether C
//! holds it as a `Box` (one owner; [`Boxed`]) or an `Arc` (immutable, shareable across threads;
//! [`Shared`]). Handles are made, borrowed and freed only through the functions here, which check
//! for NULL and pick the right `from_raw` for the type, so no module casts a handle by hand and a
//! `Box` can never be freed as an `Arc` (the compiler refuses the mismatch).
//!
//! | C type | `Inner` | held as |
//! |---|---|---|
//! | `privshare_keyset` | `RwLock<Keyset>` | `Box` (mutated through `*mut`, read through `const *`) |
//! | `privshare_cipher` | [`Cipher`](crate::cipher::Cipher) | `Arc` |
//! | `privshare_masker` | `Masker` | `Arc` |
//! | `privshare_plan` | `privshare::policy::Plan` | `Arc` |
//! | `privshare_error` | [`ErrorDetails`](crate::error::ErrorDetails) | `Box` |
//! | `privshare_signing_key`, `privshare_recipient_key` | the envelope identity keys | `Box` |
//! | `privshare_trust_registry` | `RwLock<TrustRegistry>` | `Box` |
//! | `privshare_replay_store`, `privshare_sealer` | `ReplayStore`, `Sealer` | `Box` (the sealer mutated through `*mut`) |
//! | `privshare_audit_log`, `privshare_audit_signer`, `privshare_audit_verifier` | `AuditLog`, `SigningKey`, the verifier's keys and trusted heads | `Box` |

use crate::error::Failure;

/// C holds the value as a `Box`: one owner, freed once.
pub(crate) struct Boxed;
/// C holds the value as an `Arc`: immutable, usable from many threads.
pub(crate) struct Shared;

/// An opaque C handle type: what it points to and how it is owned.
pub(crate) trait Handle {
    /// [`Boxed`] or [`Shared`].
    type Ownership;
    /// The Rust value behind the handle.
    type Inner;
}

/// A new `Box` handle for `inner`.
pub(crate) fn boxed<H: Handle<Ownership = Boxed>>(inner: H::Inner) -> *mut H {
    Box::into_raw(Box::new(inner)).cast::<H>()
}

/// A new `Arc` handle for `inner`.
pub(crate) fn shared<H: Handle<Ownership = Shared>>(inner: H::Inner) -> *const H {
    std::sync::Arc::into_raw(std::sync::Arc::new(inner)).cast::<H>()
}

/// The value behind a handle, or `None` for NULL.
///
/// # Safety
/// `ptr` is NULL or a live handle of type `H` made by [`boxed`] or [`shared`], not freed during `'a`.
pub(crate) unsafe fn get<'a, H: Handle>(ptr: *const H) -> Option<&'a H::Inner> {
    // SAFETY: a non-NULL handle points to a live `H::Inner` (inside its Box or Arc allocation) by
    // the caller's contract.
    (!ptr.is_null()).then(|| unsafe { &*ptr.cast::<H::Inner>() })
}

/// The value behind a handle; a NULL handle is the `NULL_ARGUMENT` failure naming `what`.
///
/// # Safety
/// As for [`get`].
pub(crate) unsafe fn borrow<'a, H: Handle>(ptr: *const H, what: &str) -> Result<&'a H::Inner, Failure> {
    // SAFETY: forwarded contract.
    unsafe { get(ptr) }.ok_or_else(|| Failure::null(what))
}

/// The value behind a `Box` handle, mutably; a NULL handle is the `NULL_ARGUMENT` failure.
///
/// # Safety
/// As for [`get`], and no other reference to the value is live during `'a`.
pub(crate) unsafe fn borrow_mut<'a, H: Handle<Ownership = Boxed>>(
    ptr: *mut H,
    what: &str,
) -> Result<&'a mut H::Inner, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: a non-NULL handle points to a live `H::Inner` in its Box, used by one caller.
    Ok(unsafe { &mut *ptr.cast::<H::Inner>() })
}

/// Frees a `Box` handle; NULL is accepted. A panic in a destructor is caught (nothing unwinds
/// into C).
///
/// # Safety
/// `ptr` is NULL or a live handle made by [`boxed`], freed once.
pub(crate) unsafe fn free_boxed<H: Handle<Ownership = Boxed>>(ptr: *mut H) {
    if ptr.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: made by `boxed` with `Box::into_raw` and freed once, by the caller's contract.
        drop(unsafe { Box::from_raw(ptr.cast::<H::Inner>()) });
    }));
}

/// Releases the reference C holds on an `Arc` handle; NULL is accepted.
///
/// # Safety
/// `ptr` is NULL or a live handle made by [`shared`], freed once.
pub(crate) unsafe fn free_shared<H: Handle<Ownership = Shared>>(ptr: *const H) {
    if ptr.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: made by `shared` with `Arc::into_raw`; this releases C's one reference.
        drop(unsafe { std::sync::Arc::from_raw(ptr.cast::<H::Inner>()) });
    }));
}

/// Writes a new handle to the caller's out-parameter.
///
/// # Safety
/// `out` was checked non-NULL and is valid for a pointer write.
pub(crate) unsafe fn hand_out<P>(out: *mut P, handle: P) {
    // SAFETY: forwarded contract.
    unsafe { out.write(handle) };
}

/// Writes a new `Box` handle owning `inner` to the caller's out-parameter.
///
/// # Safety
/// As for [`hand_out`].
pub(crate) unsafe fn hand_out_boxed<H: Handle<Ownership = Boxed>>(out: *mut *mut H, inner: H::Inner) {
    // SAFETY: forwarded contract.
    unsafe { hand_out(out, boxed::<H>(inner)) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static DROPS: AtomicUsize = AtomicUsize::new(0);

    struct Counted;
    impl Drop for Counted {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::SeqCst);
        }
    }

    struct BoxedHandle;
    impl Handle for BoxedHandle {
        type Ownership = Boxed;
        type Inner = Counted;
    }
    struct SharedHandle;
    impl Handle for SharedHandle {
        type Ownership = Shared;
        type Inner = Counted;
    }

    #[test]
    fn handles_are_made_borrowed_and_freed_once() {
        let before = DROPS.load(Ordering::SeqCst);
        let b = boxed::<BoxedHandle>(Counted);
        let s = shared::<SharedHandle>(Counted);
        // SAFETY: live handles made just above, each freed once; NULL is accepted.
        unsafe {
            assert!(borrow(b.cast_const(), "b").is_ok() && get(s).is_some());
            assert_eq!(borrow::<SharedHandle>(std::ptr::null(), "x").err().map(|f| f.code()), Some(1000));
            free_boxed(b);
            free_shared(s);
            free_boxed::<BoxedHandle>(std::ptr::null_mut());
            free_shared::<SharedHandle>(std::ptr::null());
        }
        assert_eq!(DROPS.load(Ordering::SeqCst) - before, 2);
    }
}
