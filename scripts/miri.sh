#!/usr/bin/env bash
# Runs sm4-ct's portable (bitsliced) path under miri, which checks that safe code never hits
# undefined behaviour: the S-box circuit, the key schedule and a few blocks through every entry
# point of the cipher traits. A small subset: miri interprets every instruction (~1 minute here).
# Installs nightly's miri component when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! cargo +nightly miri --version >/dev/null 2>&1; then
  rustup +nightly component add miri rust-src
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/miri"
# Under miri the tests run only the bitsliced path (the x86-64 kernels are intrinsics, checked
# by the differential tests on real hardware instead).
cargo +nightly miri test -p sm4-ct --lib --test differential --test vectors
