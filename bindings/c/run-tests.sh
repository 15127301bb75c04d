#!/usr/bin/env bash
# Tests of the C ABI: header freshness (pinned cbindgen), header as C99 and C++, the C test suite
# under AddressSanitizer + UBSan (static library) and under valgrind (shared library), and the
# C example. Installs nothing; needs gcc, g++, valgrind and cbindgen 0.29.4 on PATH
# and python3 (CI: `apt-get install -y valgrind` and `cargo install cbindgen --version 0.29.4 --locked`).
#
# Usage: bindings/c/run-tests.sh [--regenerate]   (--regenerate rewrites include/privshare.h)
# Env:   PROFILE=release to test the release build (default: debug).
set -euo pipefail

CBINDGEN_VERSION=0.29.4
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
profile="${PROFILE:-debug}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
libdir="$target_dir/$profile"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step() { printf '\n== %s\n' "$*"; }

# --- the library -------------------------------------------------------------------------------
step "build privshare-ffi ($profile)"
if [ "$profile" = release ]; then cargo build -p privshare-ffi --release; else cargo build -p privshare-ffi; fi
test -f "$libdir/libprivshare.so" && test -f "$libdir/libprivshare.a"

# --- the header --------------------------------------------------------------------------------
step "header: regenerate with cbindgen $CBINDGEN_VERSION and compare"
command -v cbindgen >/dev/null || { echo "cbindgen not found: cargo install cbindgen --version $CBINDGEN_VERSION --locked"; exit 1; }
have="$(cbindgen --version | awk '{print $2}')"
if [ "$have" != "$CBINDGEN_VERSION" ]; then
    echo "cbindgen $have found, $CBINDGEN_VERSION required: cargo install cbindgen --version $CBINDGEN_VERSION --locked --force"
    exit 1
fi
cbindgen --quiet --config bindings/c/cbindgen.toml --crate privshare-ffi --output "$work/privshare.h" bindings/c
if [ "${1:-}" = "--regenerate" ]; then
    cp "$work/privshare.h" include/privshare.h
    echo "include/privshare.h regenerated"
fi
if ! diff -u include/privshare.h "$work/privshare.h"; then
    echo "include/privshare.h is stale: run bindings/c/run-tests.sh --regenerate and commit it"
    exit 1
fi

step "header compiles as C99 and as C++"
printf '#include "privshare.h"\nint main(void) { return privshare_version() == 0; }\n' >"$work/h.c"
gcc -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude -c "$work/h.c" -o "$work/h.o"
g++ -fsyntax-only -Wall -Wextra -Werror -pedantic -x c++ include/privshare.h

# --- the C tests -------------------------------------------------------------------------------
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' bindings/c/Cargo.toml | head -1)"
core_version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)"
if [ "$version" != "$core_version" ]; then
    echo "privshare-ffi version $version differs from the core's $core_version"
    exit 1
fi
cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -g -Iinclude "-DPRIVSHARE_EXPECTED_VERSION=\"$version\"")
sources=(bindings/c/tests/*.c)
native_libs=(-lpthread -ldl -lm -lrt -lutil)
status=0 # a failing run does not stop the others; the script fails at the end
totals_passed=0
totals_failed=0
record() { # the closing "N passed, N failed" line of one run
    local line
    line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -1)"
    [ -n "$line" ] || { echo "no closing line in $1 (crashed?)"; totals_failed=$((totals_failed + 1)); return; }
    totals_passed=$((totals_passed + $(echo "$line" | awk '{print $1}')))
    totals_failed=$((totals_failed + $(echo "$line" | awk '{print $3}')))
}

# The repository's JSON test vectors, flattened to one line per case for the C tests.
python3 bindings/c/tests/vectors_to_tsv.py "$root" >"$work/vectors.tsv"
export PRIVSHARE_VECTORS="$work/vectors.tsv"

step "C tests under AddressSanitizer + UBSan (static library)"
gcc "${cflags[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
    "${sources[@]}" "$libdir/libprivshare.a" "${native_libs[@]}" -o "$work/tests-asan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$work/tests-asan" | tee "$work/asan.out" || status=1
record "$work/asan.out"

step "C tests under valgrind (shared library)"
gcc "${cflags[@]}" "${sources[@]}" -L"$libdir" -lprivshare -Wl,-rpath,"$libdir" -lpthread -o "$work/tests-shared"
valgrind --quiet --leak-check=full --errors-for-leak-kinds=all --show-leak-kinds=all --error-exitcode=1 \
    --suppressions="$here/valgrind.supp" "$work/tests-shared" | tee "$work/valgrind.out" || status=1
record "$work/valgrind.out"

# --- the example -------------------------------------------------------------------------------
step "examples/c"
make -s -C examples/c LIBDIR="$libdir" clean all
(cd examples/c && ./csv_column "$work/keyset.json" people.csv >"$work/example.out")
cat "$work/example.out"
grep -q '^round trip ok' "$work/example.out"
make -s -C examples/c clean

printf '\nc-abi: %d passed, %d failed\n' "$totals_passed" "$totals_failed"
[ "$status" -eq 0 ] && [ "$totals_failed" -eq 0 ]
