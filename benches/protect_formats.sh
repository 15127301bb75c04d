#!/usr/bin/env bash
# `privshare protect` with benches/protect.toml on the same synthetic citizens as CSV, JSON Lines
# and Parquet (converted with pyarrow from the venv of bindings/python/run-tests.sh: numbers as
# numbers, strings as strings), one after the other; wall time, rows per second, peak memory.
#
#   benches/protect_formats.sh [ROWS]      (default 1,000,000)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows=${1:-1000000}
target="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release -q -p privshare-cli --manifest-path "$root/Cargo.toml"
cargo build --release -q -p privshare --example synth --manifest-path "$root/Cargo.toml"
bin="$target/release/privshare"
py="$root/bindings/python/.venv/bin/python"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
export PRIVSHARE_PASSPHRASE="bench passphrase"
"$bin" keys new --suite aes -o keyset.json >/dev/null
version=$("$bin" --json keys show keyset.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["versions"][0]["version"])')
sed "s/KEY_VERSION/$version/" "$root/benches/protect.toml" >policy.toml
"$target/release/examples/synth" --rows "$rows" --seed 1 --out citizens.csv 2>/dev/null
"$py" - <<'PY'
import pyarrow.csv as pc, pyarrow.json  # noqa: F401
import pyarrow.parquet as pq
import json
table = pc.read_csv("citizens.csv")
pq.write_table(table, "citizens.parquet")
with open("citizens.jsonl", "w", encoding="utf-8") as out:
    for batch in table.to_batches(65536):
        for row in batch.to_pylist():
            out.write(json.dumps({k: (str(v) if hasattr(v, "isoformat") else v) for k, v in row.items()},
                                 ensure_ascii=False) + "\n")
PY
for f in citizens.csv citizens.jsonl citizens.parquet; do
    out="protected.${f#*.}"
    /usr/bin/time -f "%e %M" -o time.txt "$bin" protect --policy policy.toml --keyset keyset.json "$f" -o "$out" >/dev/null
    read -r wall kb <time.txt
    printf '%-18s %6d MB in  %6.2f s  %8.0f rows/s  peak %4.0f MB  %5d MB out\n' "$f" "$(( $(stat -c %s "$f") >> 20 ))" \
        "$wall" "$(echo "$rows / $wall" | bc -l)" "$(echo "$kb / 1024" | bc -l)" "$(( $(stat -c %s "$out") >> 20 ))"
    rm -f "$out"
done
