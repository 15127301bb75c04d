#!/usr/bin/env bash
# Prints the cost table of docs/robustness.md: every case of `examples/hostile.rs` (a hostile input
# each), run in its own process under /usr/bin/time: outcome, wall time, peak resident memory.
# Usage: benches/hostile_table.sh [case...]   (default: every case)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --example hostile -q
B=${CARGO_TARGET_DIR:-target}/release/examples/hostile
T=$(mktemp)
trap 'rm -f "$T"' EXIT
cases=("$@")
[ ${#cases[@]} -gt 0 ] || mapfile -t cases < <("$B" | cut -f1)
echo "| input | outcome | time | peak RSS |"
echo "|---|---|---|---|"
for c in "${cases[@]}"; do
  line=$(/usr/bin/time -f "%e %M" -o "$T" "$B" "$c")
  read -r secs kb <"$T"
  IFS=$'\t' read -r _ what outcome _ <<<"$line"
  printf '| %s | %s | %s s | %s MB |\n' "$what" "$outcome" "$secs" "$((kb / 1024))"
done
