#!/usr/bin/env bash
# Fuzzes privshare's parsers and decoders with cargo-fuzz (libFuzzer, AddressSanitizer, debug
# assertions and overflow checks on): builds every target of fuzz/ once, seeds fuzz/corpus/ from
# the test vectors (fuzz/seed.sh) and runs each target for SECONDS (default 20), one target per
# core at a time (FUZZ_JOBS to change that).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      (all targets when none is named)
#
# Prints, per target, the executions and the result; exits non-zero if any target crashed,
# panicked, timed out or ran out of memory (the input is kept in fuzz/artifacts/<target>/ and the
# log in fuzz/logs/<target>.log). cargo-fuzz needs nightly features: the stable toolchain is told
# to allow them with RUSTC_BOOTSTRAP=1. Installs cargo-fuzz into cargo's bin directory if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
seconds="${1:-20}"
[ $# -gt 0 ] && shift
case "$seconds" in '' | *[!0-9]*)
  echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
  exit 2
  ;;
esac

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
cargo_fuzz="$cargo_bin/cargo-fuzz"
if [ "$("$cargo_fuzz" --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  echo "== cargo install cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force --quiet
fi
export RUSTC_BOOTSTRAP=1

target_dir="${CARGO_TARGET_DIR:-$PWD/fuzz/target}"
case "$target_dir" in /*) ;; *) target_dir="$PWD/$target_dir" ;; esac
host="$(rustc -vV | sed -n 's/^host: //p')"
bin_dir="$target_dir/$host/release"

if [ $# -eq 0 ]; then
  mapfile -t targets < <("$cargo_fuzz" list --fuzz-dir fuzz)
else
  targets=("$@")
fi

echo "== cargo fuzz build (${#targets[@]} targets)"
build_start=$(date +%s)
if [ $# -eq 0 ]; then
  "$cargo_fuzz" build --fuzz-dir fuzz --target-dir "$target_dir"
else
  for t in "${targets[@]}"; do
    "$cargo_fuzz" build --fuzz-dir fuzz --target-dir "$target_dir" "$t"
  done
fi
echo "build: $(($(date +%s) - build_start)) s"

echo "== seeding fuzz/corpus"
fuzz/seed.sh >/dev/null

mkdir -p fuzz/logs
# One target per core at a time; each writes its result line to fuzz/logs/<target>.result.
jobs_max="${FUZZ_JOBS:-$(nproc)}"
run_one() {
  local t="$1" log="fuzz/logs/$1.log" start status=0 elapsed execs result artifact
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  start=$(date +%s)
  "$bin_dir/$t" "fuzz/corpus/$t" -artifact_prefix="fuzz/artifacts/$t/" -max_total_time="$seconds" \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 >"$log" 2>&1 || status=$?
  elapsed=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "$execs" ] || execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
  if [ "$status" -eq 0 ]; then
    result=ok
  else
    result="FAILED (exit $status)"
    grep -q 'ERROR: libFuzzer: timeout' "$log" && result="TIMEOUT"
    grep -q 'ERROR: libFuzzer: out-of-memory' "$log" && result="OUT OF MEMORY"
    grep -q 'ERROR: libFuzzer: deadly signal\|panicked at' "$log" && result="CRASH (panic)"
    grep -q 'ERROR: AddressSanitizer' "$log" && result="CRASH (AddressSanitizer)"
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    result="$result ${artifact:+input: $artifact} log: $log"
  fi
  printf '%-20s %8s %12s  %s\n' "$t" "$elapsed" "${execs:-?}" "$result" >"fuzz/logs/$t.result"
}
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
  run_one "$t" &
done
wait
failed=()
printf '%-20s %8s %12s  %s\n' target seconds executions result
for t in "${targets[@]}"; do
  cat "fuzz/logs/$t.result"
  grep -q '  ok$' "fuzz/logs/$t.result" || failed+=("$t")
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found failures in: ${failed[*]}" >&2
  for t in "${failed[@]}"; do
    echo "---- $t (fuzz/logs/$t.log, last lines)" >&2
    tail -n 40 "fuzz/logs/$t.log" >&2
  done
  exit 1
fi
echo "fuzzing: ${#targets[@]} targets, ${seconds} s each, no failure"
