#!/usr/bin/env bash
# `privshare protect` / `share` / `open` on synthetic citizens with benches/protect.toml (a mixed
# row-wise policy over 12 of the 20 columns: encryption, deterministic encryption, FPE of resident
# IDs, tokens, masks, drops), against benches/protect_pandas.py doing the same work with pandas
# and `cryptography` on a prefix of the same file (it is too slow for the whole file).
#
#   benches/protect.sh [ROWS] [BASELINE_ROWS] [BIG_ROWS]
#
# Defaults: 1,000,000 rows, a 100,000-row baseline, and a 10,000,000-row file for the peak-memory
# comparison (BIG_ROWS=0 skips it). Needs the Python venv of bindings/python/run-tests.sh.
# Prints wall time, rows per second and peak memory of each step, and the ratios.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows=${1:-1000000}
baseline_rows=${2:-100000}
big_rows=${3:-10000000}
target="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release -q -p privshare-cli --manifest-path "$root/Cargo.toml"
cargo build --release -q -p privshare --example synth --manifest-path "$root/Cargo.toml"
bin="$target/release/privshare"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
export PRIVSHARE_PASSPHRASE="bench passphrase"
"$bin" keys new --suite aes -o keyset.json >/dev/null
version=$("$bin" --json keys show keyset.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["versions"][0]["version"])')
sed "s/KEY_VERSION/$version/" "$root/benches/protect.toml" >policy.toml
"$bin" keys signing --algorithm ed25519 -o office >/dev/null
"$bin" keys recipient --algorithm x25519 -o bureau >/dev/null
"$bin" keys trust --registry trust.json --participant CN/GOV/bench/office --key office.pub >/dev/null
printf 'sender = "CN/GOV/bench/office"\nrecipients = ["CN/GOV/bench/bureau"]\n' | cat - policy.toml >share.toml

# step NAME ROWS COMMAND...: prints "NAME: wall s, rows/s, peak MB" and keeps the wall time.
step() {
    local name=$1 n=$2
    shift 2
    /usr/bin/time -f "%e %M" -o time.txt "$@" >/dev/null
    read -r wall kb <time.txt
    printf '%-28s %8.2f s  %10.0f rows/s  peak %5.0f MB\n' "$name" "$wall" "$(echo "$n / $wall" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
    echo "$wall" >"$name.wall"
}

"$target/release/examples/synth" --rows "$rows" --seed 1 --out citizens.csv 2>/dev/null
step protect "$rows" "$bin" protect --policy policy.toml --keyset keyset.json citizens.csv -o protected.csv
step share "$rows" "$bin" share --policy share.toml --keyset keyset.json --sign office.key --to bureau.pub citizens.csv -o package.pse
step open "$rows" "$bin" open package.pse --key bureau.key --trust trust.json -o opened.csv
head -n $((baseline_rows + 1)) citizens.csv >prefix.csv
py="$root/bindings/python/.venv/bin/python"
step pandas "$baseline_rows" "$py" "$root/benches/protect_pandas.py" prefix.csv pandas.csv
rate() { echo "$2 / $(cat "$1.wall")" | bc -l; }
printf 'protect / pandas + cryptography: %.1fx\n' "$(echo "$(rate protect "$rows") / $(rate pandas "$baseline_rows")" | bc -l)"
printf 'open / protect: %.2fx\n' "$(echo "$(cat protect.wall) / $(cat open.wall)" | bc -l)"
if [ "$big_rows" -gt 0 ]; then
    rm -f citizens.csv protected.csv package.pse opened.csv
    "$target/release/examples/synth" --rows "$big_rows" --seed 1 --out big.csv 2>/dev/null
    step "protect ($big_rows rows)" "$big_rows" "$bin" protect --policy policy.toml --keyset keyset.json big.csv -o big-protected.csv
fi
