#!/usr/bin/env bash
# Builds the privshare wheel into bindings/python/dist: one abi3 wheel (cp310-abi3) that installs on
# every CPython >= 3.10 of this platform, with a stripped library. Uses the maturin of the Python it
# is given (PYTHON=..., default: the tests' venv bindings/python/.venv, else python3), installing it
# there if missing; never a maturin found on PATH.
#
#   bindings/python/build-wheel.sh && pip install bindings/python/dist/privshare-*.whl
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="${PYTHON:-}"
if [ -z "$py" ]; then
    py="$here/.venv/bin/python"
    [ -x "$py" ] || py=python3
fi
"$py" -m maturin --version >/dev/null 2>&1 || "$py" -m pip install --quiet "maturin>=1.9.4,<2"
out="${WHEEL_DIR:-$here/dist}"
mkdir -p "$out"
rm -f "$out"/privshare-*.whl
"$py" -m maturin build --quiet --release --strip --manifest-path "$here/Cargo.toml" --out "$out"
ls "$out"/privshare-*-abi3-*.whl
