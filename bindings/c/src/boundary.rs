//! The boundary: panic catching and the checked conversion of C arguments.

use crate::error::{Failure, PRIVSHARE_STATUS_OK};
use privshare_core::ErrorKind;
use std::ffi::{c_char, CStr};

/// Runs `$body` (a block evaluating to `Result<(), Failure>`) with panics caught, and turns the
/// outcome into a status, storing the details into `$err` (a `*mut *mut privshare_error`) on
/// failure. Every exported function that returns a status goes through this macro.
macro_rules! ffi_boundary {
    ($err:expr, $body:block) => {{
        let err_out: *mut *mut $crate::error::privshare_error = $err;
        let outcome = ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(
            || -> ::std::result::Result<(), $crate::error::Failure> { $body },
        ));
        $crate::boundary::finish(err_out, outcome)
    }};
}
pub(crate) use ffi_boundary;

/// Runs `$body` (an expression of type `$t`) with panics caught; a panic yields `$default`.
/// For the few exported functions that return a value instead of a status.
macro_rules! ffi_value_boundary {
    ($default:expr, $body:expr) => {{
        ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)).unwrap_or($default)
    }};
}
pub(crate) use ffi_value_boundary;

/// The second half of [`ffi_boundary!`]: a status from the outcome, with the error reported.
pub(crate) fn finish(
    err: *mut *mut crate::error::privshare_error,
    outcome: std::thread::Result<Result<(), Failure>>,
) -> crate::error::privshare_status {
    let failure = match outcome {
        Ok(Ok(())) => return PRIVSHARE_STATUS_OK,
        Ok(Err(f)) => f,
        Err(_) => Failure::panic(),
    };
    let code = failure.code();
    // Reporting allocates; should even that panic, the status still gets out.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: `err` comes straight from the exported function's `err` argument: NULL or valid
        // for a pointer write by the caller's contract.
        unsafe { crate::error::report(err, failure) }
    }))
    .unwrap_or(code)
}

/// A NUL-terminated UTF-8 string argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn c_str<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    let s = unsafe { CStr::from_ptr(ptr) };
    s.to_str().map_err(|e| {
        Failure::Core(
            privshare_core::Error::new(ErrorKind::NotUtf8, format!("argument `{what}` is not UTF-8"))
                .at_offset(e.valid_up_to() as u64),
        )
    })
}

/// A NUL-terminated string argument taken as bytes (no encoding required), without the NUL.
///
/// # Safety
/// As for [`c_str`].
pub(crate) unsafe fn c_bytes<'a>(ptr: *const c_char, what: &str) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    Ok(unsafe { CStr::from_ptr(ptr) }.to_bytes())
}

/// A byte-string argument given as pointer and length; NULL is allowed only with length 0.
///
/// # Safety
/// `ptr` is NULL or valid for reads of `len` bytes for `'a`.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a [u8], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    if len > isize::MAX as usize {
        return Err(Failure::core(ErrorKind::InvalidArgument, format!("argument `{what}` is too long")));
    }
    // SAFETY: non-NULL, valid for `len` bytes by the caller's contract, and `len <= isize::MAX`.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// An optional byte-string argument given as pointer and length: NULL with length 0 is "none";
/// NULL with a non-zero length is a NULL argument (the caller meant to pass something); a non-NULL
/// pointer is a byte string of `len` bytes (possibly empty).
///
/// # Safety
/// As for [`bytes`].
pub(crate) unsafe fn optional_bytes<'a>(ptr: *const u8, len: usize, what: &str) -> Result<Option<&'a [u8]>, Failure> {
    match (ptr.is_null(), len) {
        (true, 0) => Ok(None),
        (true, _) => Err(Failure::Ffi(
            crate::error::PRIVSHARE_STATUS_NULL_ARGUMENT,
            format!("argument `{what}` is NULL with a non-zero length"),
        )),
        // SAFETY: forwarded contract.
        (false, _) => Ok(Some(unsafe { bytes(ptr, len, what)? })),
    }
}

/// A CSV delimiter argument: 0 means `','`; otherwise ASCII other than a quote or a line break.
pub(crate) fn delimiter(d: u8) -> Result<u8, Failure> {
    let d = if d == 0 { b',' } else { d };
    if !d.is_ascii() || d == b'"' || d == b'\n' || d == b'\r' {
        return Err(Failure::core(
            ErrorKind::InvalidArgument,
            "delimiter must be an ASCII character other than a quote or a line break",
        ));
    }
    Ok(d)
}

/// A caller array of `n` elements (NULL allowed only when `n` is 0).
///
/// # Safety
/// `ptr` is NULL or valid for `n` reads.
pub(crate) unsafe fn array<'a, T>(ptr: *const T, n: usize, what: &str) -> Result<&'a [T], Failure> {
    if n == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    if n > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(Failure::core(ErrorKind::InvalidArgument, format!("array `{what}` is too long")));
    }
    // SAFETY: non-NULL, valid for `n` reads by the caller's contract, and the size fits isize.
    Ok(unsafe { std::slice::from_raw_parts(ptr, n) })
}

/// A required output pointer.
pub(crate) fn out<T>(ptr: *mut T, what: &str) -> Result<*mut T, Failure> {
    if ptr.is_null() {
        Err(Failure::null(what))
    } else {
        Ok(ptr)
    }
}

/// A column (or record list) given as `data` plus `count + 1` offsets; `names` are the two
/// parameters' names, for messages.
///
/// # Safety
/// `offsets` is NULL or valid for `count + 1` reads; `data` is NULL or valid for
/// `offsets[count]` bytes; both outlive `'a`.
pub(crate) unsafe fn packed<'a>(
    data: *const u8,
    offsets: *const usize,
    count: usize,
    names: (&str, &str),
) -> Result<privshare_core::Packed<'a>, Failure> {
    let (data_name, offsets_name) = names;
    if offsets.is_null() {
        return Err(Failure::null(offsets_name));
    }
    let n = count
        .checked_add(1)
        .filter(|&n| n <= isize::MAX as usize / std::mem::size_of::<usize>())
        .ok_or_else(|| Failure::core(ErrorKind::InvalidArgument, "`count` is too large"))?;
    // SAFETY: non-NULL and valid for `count + 1` reads by the caller's contract; the size fits isize.
    let offsets = unsafe { std::slice::from_raw_parts(offsets, n) };
    let total = offsets[count];
    // SAFETY: `data` is valid for `offsets[count]` bytes by the caller's contract.
    let data = unsafe { bytes(data, total, data_name)? };
    Ok(privshare_core::Packed::new(data, offsets)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{privshare_error, PRIVSHARE_STATUS_PANIC};

    fn panicking(err: *mut *mut privshare_error) -> u32 {
        ffi_boundary!(err, {
            let v: Vec<u8> = Vec::new();
            let _ = v[3]; // index out of bounds: a panic, like a bug in the core would raise
            Ok(())
        })
    }

    #[test]
    fn panics_become_a_status_and_an_error() {
        let mut err: *mut privshare_error = std::ptr::null_mut();
        assert_eq!(panicking(&mut err), PRIVSHARE_STATUS_PANIC);
        // SAFETY: `err` was made by the boundary.
        unsafe {
            assert_eq!(crate::error::privshare_error_code(err), PRIVSHARE_STATUS_PANIC);
            crate::error::privshare_error_free(err);
        }
        assert_eq!(panicking(std::ptr::null_mut()), PRIVSHARE_STATUS_PANIC);
        assert_eq!(ffi_value_boundary!(7u32, { panic!("x") }), 7);
    }

    #[test]
    fn arguments_are_checked() {
        // SAFETY: NULL pointers and valid locals only.
        unsafe {
            assert_eq!(c_str(std::ptr::null(), "s").unwrap_err().code(), 1000);
            assert_eq!(c_str(c"\xff".as_ptr(), "s").unwrap_err().code(), 103);
            assert_eq!(bytes(std::ptr::null(), 0, "b").unwrap(), b"");
            assert_eq!(bytes(std::ptr::null(), 1, "b").unwrap_err().code(), 1000);
            assert_eq!(optional_bytes(std::ptr::null(), 0, "r").unwrap(), None);
            assert_eq!(optional_bytes(std::ptr::null(), 5, "r").unwrap_err().code(), 1000);
            assert_eq!(optional_bytes(b"".as_ptr(), 0, "r").unwrap(), Some(&b""[..]));
            let offs = [0usize, 2, 1];
            assert_eq!(packed(b"ab".as_ptr(), offs.as_ptr(), 2, ("d", "o")).unwrap_err().code(), 100);
            assert_eq!(packed(b"ab".as_ptr(), std::ptr::null(), 2, ("d", "o")).unwrap_err().code(), 1000);
            assert_eq!(packed(b"ab".as_ptr(), offs.as_ptr(), usize::MAX, ("d", "o")).unwrap_err().code(), 100);
        }
    }
}
