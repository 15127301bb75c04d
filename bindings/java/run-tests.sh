#!/usr/bin/env bash
# Builds libprivshare (cargo), compiles the Java facade and its test program with plain javac
# against Debian's JNA (/usr/share/java/jna.jar, package libjna-java) and runs the tests.
# Needs: a JDK (javac, java), libjna-java and python3 (to flatten the JSON test vectors). Env: PROFILE=release for the release library.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
profile="${PROFILE:-debug}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
jna="${JNA_JAR:-/usr/share/java/jna.jar}"
test -f "$jna" || { echo "JNA not found at $jna: apt-get install -y libjna-java"; exit 1; }

cd "$root"
if [ "$profile" = release ]; then cargo build -p privshare-ffi --release; else cargo build -p privshare-ffi; fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
javac -Xlint:all -Werror -cp "$jna" -d "$out" "$here"/src/org/privshare/*.java "$here"/test/org/privshare/*.java
python3 bindings/c/tests/vectors_to_tsv.py "$root" >"$out/vectors.tsv"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' bindings/c/Cargo.toml | head -1)"
java -cp "$jna:$out" -Djna.library.path="$target_dir/$profile" -Dprivshare.expectedVersion="$version" \
    -Dprivshare.vectors="$out/vectors.tsv" \
    org.privshare.PrivshareTest
