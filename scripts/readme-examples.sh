#!/usr/bin/env bash
# Runs the README's examples exactly as printed: the C program (installed with cargo-c into a
# temporary prefix, compiled with the README's pkg-config line), the Python program (in the
# bindings' venv, after bindings/python/run-tests.sh), and the Java program (with the README's
# javac/java lines against bindings/java/build-jar.sh's jar). The Rust example runs as a doctest
# (src/lib.rs includes the README). Also checks that the README names every package the tests install.
# Needs what scripts/test.sh installs (cargo-c, pkg-config, a JDK, JNA, the Python venv).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
blocks() { python3 "$root/scripts/readme_blocks.py" "$root/README.md" "$@"; }
sh_line() { blocks sh | grep -E "^$1" ; } # the README's own command line starting with $1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The README's relative paths (bindings/java/build/...) resolve from the scratch folder too.
ln -s "$root/bindings" "$work/bindings"

echo "== README: every package the tests install is named"
for pkg in $(sed -e 's/#.*//' -e 's/[<>=,].*//' bindings/python/requirements-test.txt); do
    grep -q -- "$pkg" README.md || { echo "README.md does not name the Python test package $pkg"; exit 1; }
done
for tool in cbindgen cargo-c valgrind libjna-java pkg-config libssl-dev; do
    grep -q -- "$tool" README.md || { echo "README.md does not name $tool, which scripts/test.sh installs"; exit 1; }
done

echo "== README: C example (cargo cinstall, pkg-config)"
prefix="$work/prefix"
cargo_c_target="${CARGO_TARGET_DIR:-$root/target}"
cargo cinstall --release -p privshare-ffi --prefix "$prefix" --libdir "$prefix/lib" \
    --target-dir "$cargo_c_target"
# What docs/c-abi.md says cargo cinstall installs.
for f in include/privshare.h lib/libprivshare.so.0.1.0 lib/libprivshare.so.0.1 lib/libprivshare.so \
    lib/libprivshare.a lib/pkgconfig/privshare.pc; do
    [ -e "$prefix/$f" ] || { echo "cargo cinstall did not install $f"; exit 1; }
done
readelf -d "$prefix/lib/libprivshare.so.0.1.0" | grep -q 'SONAME.*\[libprivshare\.so\.0\.1\]' ||
    { echo "libprivshare.so.0.1.0 does not have the soname libprivshare.so.0.1"; exit 1; }
blocks c >"$work/app.c"
(cd "$work" && PKG_CONFIG_PATH="$prefix/lib/pkgconfig" LD_LIBRARY_PATH="$prefix/lib" \
    bash -euo pipefail -c "$(sh_line 'cc app.c')") | tee "$work/c.out"
grep -q '^11010519491231002X -> ps1:.* -> 11010519491231002X$' "$work/c.out"

echo "== README: Python example"
py="${PRIVSHARE_PY_VENV:-$root/bindings/python/.venv}/bin/python"
blocks python >"$work/app.py"
(cd "$work" && "$py" app.py) | tee "$work/py.out"
grep -q '^masked: 138\*\*\*\*5678$' "$work/py.out"

echo "== README: Java example (privshare.jar, no -Djna.library.path)"
blocks java >"$work/App.java"
# PROFILE=debug: the jar carries the debug library the C tests built (a release build is the
# default and takes minutes; the README's lines are otherwise run as printed).
(cd "$work" && PROFILE=debug bash -euo pipefail -c "$(sh_line 'bindings/java/build-jar.sh')
$(sh_line 'javac -cp')
$(sh_line 'java -cp')") \
    | tee "$work/java.out"
grep -q '^11010519491231002X -> ps1:.* -> 11010519491231002X$' "$work/java.out"
echo "README examples: all ran"
