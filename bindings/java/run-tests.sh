#!/usr/bin/env bash
# Builds privshare.jar (build-jar.sh: the facade plus libprivshare.so inside), compiles the test
# program against it and Debian's JNA (/usr/share/java/jna.jar, package libjna-java) and runs it.
# Needs: a JDK (javac, java), libjna-java and python3 (to flatten the JSON test vectors). Env: PROFILE=release for the release library.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
profile="${PROFILE:-debug}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
jna="${JNA_JAR:-/usr/share/java/jna.jar}"
test -f "$jna" || { echo "JNA not found at $jna: apt-get install -y libjna-java"; exit 1; }

cd "$root"
# The tests run against the jar a user gets (bindings/java/build-jar.sh), with no
# -Djna.library.path: JNA must find libprivshare.so inside the jar.
PROFILE="$profile" "$here/build-jar.sh"
jar="$here/build/privshare.jar"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
javac -Xlint:all -Werror -cp "$jna:$jar" -d "$out" "$here"/test/org/privshare/*.java
python3 bindings/c/tests/vectors_to_tsv.py "$root" >"$out/vectors.tsv"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' bindings/c/Cargo.toml | head -1)"
java -cp "$jna:$jar:$out" -Dprivshare.expectedVersion="$version" \
    -Dprivshare.vectors="$out/vectors.tsv" \
    org.privshare.PrivshareTest
