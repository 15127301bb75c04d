//! Library-allocated outputs: one byte string ([`privshare_buffer`]) or a column
//! ([`privshare_column`]). Both are plain structs the caller owns and reads directly, released
//! (and zeroized: they may hold plaintext) by their `_free` function.

use privshare_core::Column;
use zeroize::Zeroize;

/// Bytes allocated by privshare. Read `data[0..len)`; release with `privshare_buffer_free`, which
/// zeroizes the bytes. `data` is NULL when `len` is 0.
#[repr(C)]
pub struct privshare_buffer {
    /// The bytes (NULL when `len` is 0).
    pub data: *mut u8,
    /// Number of bytes.
    pub len: usize,
}

/// A column allocated by privshare: value `i` is `data[offsets[i] .. offsets[i + 1])` for
/// `i < count`; `offsets` has `count + 1` entries and `offsets[count] == data_len`. Release with
/// `privshare_column_free`, which zeroizes the data.
#[repr(C)]
pub struct privshare_column {
    /// All values end to end (NULL when `data_len` is 0).
    pub data: *mut u8,
    /// Total bytes in `data`.
    pub data_len: usize,
    /// `count + 1` offsets into `data`.
    pub offsets: *mut usize,
    /// Number of values.
    pub count: usize,
}

/// Whether bytes handed to C may hold secrets (decrypted plaintext) or not (ciphertexts, tokens).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Contents {
    /// May hold plaintext: never let the allocator move it without zeroizing the old copy.
    Secret,
    /// Ciphertexts or tokens: the allocator may shrink the buffer in place or move it.
    Public,
}

/// Moves `bytes` into a new buffer (no copy when the vector is exactly sized).
pub(crate) fn buffer_from_vec(bytes: Vec<u8>) -> privshare_buffer {
    buffer_from(bytes, Contents::Secret)
}

fn buffer_from(mut bytes: Vec<u8>, contents: Contents) -> privshare_buffer {
    if bytes.is_empty() {
        bytes.zeroize();
        return privshare_buffer { data: std::ptr::null_mut(), len: 0 };
    }
    if bytes.capacity() != bytes.len() && contents == Contents::Secret {
        // Shrinking in place could leave a copy of plaintext in memory the allocator frees
        // without zeroizing; copy into an exact allocation and zeroize the original instead.
        let exact = bytes.as_slice().to_vec();
        bytes.zeroize();
        bytes = exact;
    }
    let mut boxed = bytes.into_boxed_slice();
    let len = boxed.len();
    let data = boxed.as_mut_ptr();
    std::mem::forget(boxed);
    privshare_buffer { data, len }
}

/// Moves a core column into the C representation. Public contents are handed over without a copy
/// (at most a shrink in place); secret contents are copied if the allocation is larger than the data.
pub(crate) fn column_from_core(col: Column, contents: Contents) -> privshare_column {
    let count = col.len();
    let (data, mut offsets) = col.into_parts();
    if offsets.is_empty() {
        offsets.push(0); // a never-written column: zero values
    }
    let buf = buffer_from(data, contents);
    let mut offsets = offsets.into_boxed_slice();
    let offsets_ptr = offsets.as_mut_ptr();
    std::mem::forget(offsets);
    privshare_column { data: buf.data, data_len: buf.len, offsets: offsets_ptr, count }
}

/// Zeroizes and frees the bytes of `buf`, then sets it to `{NULL, 0}`. NULL `buf` and an already
/// freed (`{NULL, 0}`) buffer are accepted.
#[no_mangle]
pub unsafe extern "C" fn privshare_buffer_free(buf: *mut privshare_buffer) {
    if buf.is_null() {
        return;
    }
    // SAFETY: `buf` is non-NULL and valid for reads and writes by the caller's contract.
    let b = unsafe { &mut *buf };
    free_bytes(b.data, b.len);
    b.data = std::ptr::null_mut();
    b.len = 0;
}

/// Zeroizes and frees a column, then sets it to all NULL / 0. NULL `col` and an already freed
/// column are accepted.
#[no_mangle]
pub unsafe extern "C" fn privshare_column_free(col: *mut privshare_column) {
    if col.is_null() {
        return;
    }
    // SAFETY: `col` is non-NULL and valid for reads and writes by the caller's contract.
    let c = unsafe { &mut *col };
    free_bytes(c.data, c.data_len);
    if !c.offsets.is_null() {
        // SAFETY: `offsets` was made by `column_from_core` from a boxed slice of `count + 1`
        // entries, and is freed once.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(c.offsets, c.count + 1)) });
    }
    *c = privshare_column { data: std::ptr::null_mut(), data_len: 0, offsets: std::ptr::null_mut(), count: 0 };
}

fn free_bytes(data: *mut u8, len: usize) {
    if data.is_null() || len == 0 {
        return;
    }
    // SAFETY: a non-NULL `data` with non-zero `len` was made by `buffer_from_vec` from a boxed
    // slice of exactly `len` bytes, and is freed once (double free is the caller's bug).
    let mut boxed = unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(data, len)) };
    wipe(&mut boxed);
}

/// Overwrites `bytes` with zeros in a way the compiler may not remove, eight bytes per volatile
/// store: as certain as `zeroize` (volatile writes) at a fraction of the cost of its byte-by-byte
/// loop, which matters for columns of many megabytes.
fn wipe(bytes: &mut [u8]) {
    // SAFETY: every bit pattern is a valid u64, and `align_to_mut` only splits the slice at
    // alignment boundaries, so the three parts cover `bytes` exactly once.
    let (head, words, tail) = unsafe { bytes.align_to_mut::<u64>() };
    for b in head.iter_mut().chain(tail.iter_mut()) {
        // SAFETY: `b` is a valid, aligned, exclusive reference.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
    for w in words {
        // SAFETY: `w` is a valid, aligned, exclusive reference.
        unsafe { std::ptr::write_volatile(w, 0) };
    }
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_round_trip_and_free_twice_safely_after_reset() {
        let mut b = buffer_from_vec(b"secret".to_vec());
        assert_eq!(b.len, 6);
        // SAFETY: `b` was made by `buffer_from_vec`.
        unsafe {
            assert_eq!(std::slice::from_raw_parts(b.data, b.len), b"secret");
            privshare_buffer_free(&mut b);
            assert!(b.data.is_null() && b.len == 0);
            privshare_buffer_free(&mut b); // reset to {NULL, 0}: a second free is a no-op
            privshare_buffer_free(std::ptr::null_mut());
        }
        let empty = buffer_from_vec(Vec::new());
        assert!(empty.data.is_null() && empty.len == 0);
    }

    #[test]
    fn wipe_clears_every_byte_at_any_alignment() {
        let mut v: Vec<u8> = (1..=40).collect();
        for start in 0..8 {
            v[start..].iter_mut().for_each(|b| *b = 0xAA);
            wipe(&mut v[start..start + 29]);
            assert!(v[start..start + 29].iter().all(|&b| b == 0));
            assert!(v[start + 29..].iter().all(|&b| b == 0xAA));
        }
    }

    #[test]
    fn columns_keep_their_shape() {
        let mut core = Column::with_capacity(3, 2);
        core.push(b"ab");
        core.push(b"");
        core.push(b"c");
        let mut c = column_from_core(core, Contents::Secret);
        assert_eq!((c.count, c.data_len), (3, 3));
        // SAFETY: `c` was made by `column_from_core`.
        unsafe {
            assert_eq!(std::slice::from_raw_parts(c.offsets, 4), &[0, 2, 2, 3]);
            privshare_column_free(&mut c);
            privshare_column_free(&mut c);
        }
        let mut e = column_from_core(Column::default(), Contents::Public);
        assert_eq!((e.count, e.data_len), (0, 0));
        // SAFETY: as above.
        unsafe { privshare_column_free(&mut e) };
    }
}
