#!/usr/bin/env bash
# Runs every test of privshare: Rust (unit, integration, doc), the C ABI tests (header diff,
# AddressSanitizer + UBSan, valgrind), the Java test program, pytest, and the independent
# Python decoders of the format documents. Installs what a fresh machine lacks (apt, cargo, pip).
# This is the README's test command and what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."

CBINDGEN_VERSION=0.29.4
CARGO_C_VERSION=0.10.24

# --- tools a fresh machine lacks -----------------------------------------------------------------
missing=()
command -v valgrind >/dev/null || missing+=(valgrind)
command -v javac >/dev/null || missing+=(default-jdk-headless)
[ -f /usr/share/java/jna.jar ] || missing+=(libjna-java)
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v pkg-config >/dev/null || missing+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || missing+=(libssl-dev) # cargo-c builds against OpenSSL
command -v openssl >/dev/null || missing+=(openssl) # the envelope tests load keys openssl makes
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  sudo_=""
  [ "$(id -u)" -eq 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ "$(cbindgen --version 2>/dev/null | awk '{print $2}')" != "$CBINDGEN_VERSION" ]; then
  echo "== cargo install cbindgen $CBINDGEN_VERSION"
  cargo install cbindgen --version "$CBINDGEN_VERSION" --locked --force --quiet
fi
if [ "$(cargo cinstall --version 2>/dev/null | awk '{print $2}' | cut -d+ -f1)" != "$CARGO_C_VERSION" ]; then
  echo "== cargo install cargo-c $CARGO_C_VERSION"
  # A debug build: cargo-c compiles all of cargo, which is much slower to build optimized; its own
  # speed hardly matters (it drives one `cargo build --release`).
  cargo install cargo-c --version "$CARGO_C_VERSION" --locked --force --quiet --debug
fi

# --- Rust ---------------------------------------------------------------------------------------
echo "== Rust tests (at ${SECONDS}s)"
cargo test --workspace --all-targets
cargo test --workspace --doc

# --- bindings -----------------------------------------------------------------------------------
echo "== C ABI tests (at ${SECONDS}s)"
bindings/c/run-tests.sh
echo "== Java tests (at ${SECONDS}s)"
bindings/java/run-tests.sh
echo "== Python tests (at ${SECONDS}s)"
bash bindings/python/run-tests.sh

echo "== the README's examples, exactly as printed (at ${SECONDS}s)"
scripts/readme-examples.sh

# --- the format documents, checked by decoders written only from them ------------------------------
echo "== independent decoders of docs/formats (at ${SECONDS}s)"
py=bindings/python/.venv/bin/python
[ -x "$py" ] || py=python3
"$py" tests/vectors/fle/check_field_ciphertext.py
"$py" tests/vectors/fle/check_token.py
"$py" tests/vectors/audit/check_audit_log.py
"$py" tests/vectors/envelope/check_envelope.py
echo "all test suites passed"
