//! Opaque handles of one owned Rust value: made with `Box::into_raw`, borrowed while live,
//! released once by the type's `_free`.

use crate::error::Failure;

/// Writes a new handle owning `value` into `*out` (checked non-NULL by the caller).
///
/// # Safety
/// `out` is non-NULL and valid for a pointer write.
pub(crate) unsafe fn hand_out<T, H>(value: T, out: *mut *mut H) {
    let handle = Box::into_raw(Box::new(value)).cast::<H>();
    // SAFETY: non-NULL and writable by the caller's contract.
    unsafe { out.write(handle) };
}

/// Borrows the value behind a handle.
///
/// # Safety
/// `handle` is NULL or a live handle made by [`hand_out`] with the same `T`.
pub(crate) unsafe fn borrow<'a, T, H>(handle: *const H, what: &str) -> Result<&'a T, Failure> {
    if handle.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: a non-NULL handle points to a live `T` made by `hand_out`.
    Ok(unsafe { &*handle.cast::<T>() })
}

/// Borrows the value behind a handle mutably.
///
/// # Safety
/// As for [`borrow`], and no other reference to the value is live during the call.
pub(crate) unsafe fn borrow_mut<'a, T, H>(handle: *mut H, what: &str) -> Result<&'a mut T, Failure> {
    if handle.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: a non-NULL handle points to a live `T` made by `hand_out`, used by one caller.
    Ok(unsafe { &mut *handle.cast::<T>() })
}

/// Drops the value behind a handle; NULL is accepted. Panics in destructors are contained.
///
/// # Safety
/// `handle` is NULL or a live handle made by [`hand_out`] with the same `T`, not used afterwards.
pub(crate) unsafe fn release<T, H>(handle: *mut H) {
    if handle.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: made by `hand_out` with `Box::into_raw`, freed once by the caller's contract.
        drop(unsafe { Box::from_raw(handle.cast::<T>()) });
    }));
}
