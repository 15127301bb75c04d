//! Version of the library, as macros in the header and as a string at run time.

use crate::boundary::ffi_value_boundary;
use std::ffi::c_char;

/// Major version (a test checks these three against Cargo.toml).
pub const PRIVSHARE_VERSION_MAJOR: u32 = 0;
/// Minor version.
pub const PRIVSHARE_VERSION_MINOR: u32 = 1;
/// Patch version.
pub const PRIVSHARE_VERSION_PATCH: u32 = 0;

/// cbindgen:ignore
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library's version, e.g. "0.1.0": a static NUL-terminated string (never free it). Compare it
/// with the PRIVSHARE_VERSION_* macros to detect a header / library mismatch.
#[no_mangle]
pub unsafe extern "C" fn privshare_version() -> *const c_char {
    ffi_value_boundary!(c"".as_ptr(), VERSION.as_ptr().cast::<c_char>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_matches_cargo_toml_and_the_core() {
        let parts: Vec<u32> = env!("CARGO_PKG_VERSION").split('.').map(|p| p.parse().unwrap()).collect();
        assert_eq!(parts, [PRIVSHARE_VERSION_MAJOR, PRIVSHARE_VERSION_MINOR, PRIVSHARE_VERSION_PATCH]);
        // The C library is released with the core: same version.
        let core_toml = include_str!("../../../Cargo.toml");
        assert!(core_toml.contains(&format!("\nversion = \"{}\"\n", env!("CARGO_PKG_VERSION"))));
        // SAFETY: a static NUL-terminated string.
        let s = unsafe { std::ffi::CStr::from_ptr(privshare_version()) };
        assert_eq!(s.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    }
}
