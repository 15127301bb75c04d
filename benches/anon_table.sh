#!/usr/bin/env bash
# Prints one table of the anonymization yardsticks (whole process: load CSV + hierarchies, search,
# report, output CSV), measured with /usr/bin/time. Warm figures: `cargo bench --bench anon`.
# Usage: benches/anon_table.sh [path/to/adult/dir]   (default ../shared/data/adult)
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:-../shared/data/adult}
[ -f "$D/adult.csv" ] || D=../../shared/data/adult
[ -f "$D/adult.csv" ] || { echo "adult data not found (pass its directory)"; exit 0; }
cargo build --release --example anonymize -q
B=${CARGO_TARGET_DIR:-target}/release/examples/anonymize
H="$D/adult_hierarchy_{}.csv"
QA=age,education,marital-status,native-country,race,salary-class,sex,workclass
QB=sex,age,race,marital-status,education,native-country,workclass,occupation
OUT=$(mktemp -d)
run() { # name, args...
  local name=$1; shift
  local log="$OUT/log"
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$B" --data "$D/adult.csv" --hierarchies "$H" --out "$OUT/out.csv" "$@" >"$log" 2>&1
  read -r secs kb <"$OUT/time"
  local loss supp search
  loss=$(grep -o 'generalized information loss [0-9.]*' "$log" | awk '{print $4}')
  supp=$(grep -o 'suppressed [0-9]* records' "$log" | awk '{print $2}')
  search=$(grep -o 'search: .*' "$log" | sed 's/search: //')
  printf '| %s | %s s | %s MB | %s | %s | %s |\n' "$name" "$secs" "$((kb / 1024))" "$loss" "$supp" "$search"
}
echo "| configuration | whole process | peak RSS | loss (arith.) | suppressed | search |"
echo "|---|---|---|---|---|---|"
run "A: 8 QIs, k=5, no suppression, entropy" --qi $QA --k 5 --suppression 0 --metric entropy
run "B: 8 QIs, k=5, 4 % suppression, loss" --qi $QB --k 5 --suppression 0.04 --metric loss
run "B, unlimited suppression, loss" --qi $QB --k 5 --suppression 1 --metric loss
run "B, Mondrian" --qi $QB --k 5 --mondrian
rm -rf "$OUT"
