//! The C ABI of privshare: `libprivshare.so` / `libprivshare.a`, declared by `include/privshare.h`
//! (generated from this crate by cbindgen; never edit the header by hand).
//!
//! Conventions (see `docs/c-abi.md`):
//! - every symbol starts with `privshare_` / `PRIVSHARE_`; methods are `privshare_<type>_<verb>`;
//! - opaque handles are made by `_generate` / `_load` / `_new_*` and released by `_free` (NULL is
//!   accepted); handles behind a `const *` are never mutated and may be used from many threads;
//! - every fallible function returns a [`privshare_status`] (0 = OK, otherwise the core's stable
//!   `ErrorKind` code, or one of the 1000+ codes of this layer) and takes an optional
//!   `privshare_error **err` out-parameter that receives the details on failure;
//! - outputs are written only on success; library-allocated bytes come back in a
//!   [`privshare_buffer`] or [`privshare_column`] and are zeroized when freed;
//! - no panic crosses the boundary and every pointer is checked for NULL.
//!
//! Pointer contract of every `unsafe extern "C"` function here (stated once instead of per
//! function): a non-NULL pointer must be valid for the access its type and length describe for the
//! duration of the call; handles must come from this library and not have been freed; input
//! buffers may be NULL only when their length is 0.
#![allow(non_camel_case_types)]
// The pointer contract above is the safety documentation of every exported function.
#![allow(clippy::missing_safety_doc)]

mod anon;
mod audit;
mod boundary;
mod buffer;
mod cipher;
mod error;
mod exchange;
mod handle;
mod identity;
mod keyset;
mod mask;
mod policy;
mod version;

pub use anon::*;
pub use audit::*;
pub use buffer::*;
pub use cipher::*;
pub use error::*;
pub use exchange::*;
pub use identity::*;
pub use keyset::*;
pub use mask::*;
pub use policy::*;
pub use version::*;
