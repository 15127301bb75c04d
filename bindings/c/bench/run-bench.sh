#!/usr/bin/env bash
# C ABI vs Rust: batch randomized encryption of N (default 1,000,000) 32-byte values, release builds.
# Usage: bindings/c/bench/run-bench.sh [N] [ROUNDS]   (defaults: 1000000 7)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
cd "$root"
cargo build --release -p privshare-ffi --lib --example rust_batch
gcc -std=c99 -O2 -Wall -Wextra -Werror -pedantic -Iinclude "$here/bench_column.c" \
    -L"$target_dir/release" -lprivshare -Wl,-rpath,"$target_dir/release" -o "$target_dir/release/bench_column"
# Alternate the two programs a few times: on a shared machine single runs vary a lot; compare the
# on-CPU figures (the thread's CPU time), which waiting for a core does not inflate.
for _ in 1 2 3; do
    "$target_dir/release/examples/rust_batch" "${1:-1000000}" "${2:-7}"
    "$target_dir/release/bench_column" "${1:-1000000}" "${2:-7}"
done
