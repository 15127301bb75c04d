#!/usr/bin/env bash
# Builds bindings/java/build/privshare.jar: the org.privshare classes plus libprivshare.so as a
# resource in JNA's platform folder (linux-x86-64/, ...), so that `java -cp privshare.jar:jna.jar`
# finds the native library with no -Djna.library.path or LD_LIBRARY_PATH.
# Needs a JDK and JNA (/usr/share/java/jna.jar from Debian's libjna-java, or JNA_JAR=...).
# Env: PROFILE=debug to package the debug library (default: release); CARGO_TARGET_DIR is honoured.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd -P)"
root="$(cd "$here/../.." && pwd)"
profile="${PROFILE:-release}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
jna="${JNA_JAR:-/usr/share/java/jna.jar}"
test -f "$jna" || { echo "JNA not found at $jna: apt-get install -y libjna-java" >&2; exit 1; }

# JNA's resource prefix for this platform (com.sun.jna.Platform.RESOURCE_PREFIX).
case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) platform=linux-x86-64 ;;
    Linux-aarch64) platform=linux-aarch64 ;;
    Linux-riscv64) platform=linux-riscv64 ;;
    *) echo "build-jar.sh: no JNA platform folder known for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

cd "$root"
if [ "$profile" = release ]; then cargo build -q -p privshare-ffi --release; else cargo build -q -p privshare-ffi; fi

build="$here/build"
rm -rf "$build/classes"
mkdir -p "$build/classes/$platform"
javac -Xlint:all -Werror -cp "$jna" -d "$build/classes" "$here"/src/org/privshare/*.java
cp "$target_dir/$profile/libprivshare.so" "$build/classes/$platform/libprivshare.so"
jar --create --file "$build/privshare.jar.tmp" -C "$build/classes" .
mv "$build/privshare.jar.tmp" "$build/privshare.jar"
echo "$build/privshare.jar ($platform/libprivshare.so, $profile)"
