#!/usr/bin/env bash
# Runs every test of privshare: Rust (unit, integration, doc), and — once their bindings exist —
# the C tests (sanitizers + valgrind), pytest and the Java test program. Installs what a fresh
# machine lacks. This is the README's test command and what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --all-targets
cargo test --doc

for suite in bindings/c bindings/python bindings/java; do
  if [ -x "$suite/run-tests.sh" ]; then
    echo "== $suite"
    "$suite/run-tests.sh"
  fi
done
