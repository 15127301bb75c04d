#!/usr/bin/env bash
# C ABI vs Rust: batch randomized encryption of N (default 1,000,000) 32-byte values, release builds.
# Usage: bindings/c/bench/run-bench.sh [N] [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
cd "$root"
cargo build --release -p privshare-ffi --lib --example rust_batch
gcc -std=c99 -O2 -Wall -Wextra -Werror -pedantic -Iinclude "$here/bench_column.c" \
    -L"$target_dir/release" -lprivshare -Wl,-rpath,"$target_dir/release" -o "$target_dir/release/bench_column"
"$target_dir/release/examples/rust_batch" "${1:-1000000}" "${2:-5}"
"$target_dir/release/bench_column" "${1:-1000000}" "${2:-5}"
