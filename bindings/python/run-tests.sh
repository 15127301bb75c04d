#!/usr/bin/env bash
# Builds and installs the privshare Python package into a virtual environment under
# bindings/python/.venv (created if missing), installs the test dependencies from PyPI and runs the
# pytest suite. Exit status: pytest's, except that "no tests collected" (pytest's 5) is a failure.
#
#   bash bindings/python/run-tests.sh            # from anywhere
#   PYTHON=python3.12 bash bindings/python/run-tests.sh
#   PRIVSHARE_PY_VENV=/path/to/venv ...          # use another venv location
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
python="${PYTHON:-python3}"
venv="${PRIVSHARE_PY_VENV:-$here/.venv}"

if [ ! -x "$venv/bin/python" ]; then
    echo "== creating virtual environment $venv"
    "$python" -m venv "$venv" || rm -rf "$venv"
fi
if [ -x "$venv/bin/python" ]; then
    py="$venv/bin/python"
else
    # No venv module (e.g. Debian without python3-venv): use the interpreter itself.
    echo "== no virtual environment; installing into $("$python" -c 'import sys; print(sys.prefix)')"
    py="$python"
    export PIP_BREAK_SYSTEM_PACKAGES=1  # a distribution's Python may refuse pip installs otherwise
fi

echo "== installing build and test tools"
"$py" -m pip install --quiet --upgrade pip
"$py" -m pip install --quiet -r "$here/requirements-test.txt"

echo "== pip install of the source directory (pip fetches maturin in an isolated build)"
"$py" -m pip install --quiet --force-reinstall --no-deps "$here"
(cd /tmp && "$py" -c 'import privshare; assert privshare.Masker({"rule": "mobile"}).apply("13812345678") == "138****5678"')

echo "== the abi3 wheel (build-wheel.sh, the venv's own maturin), installed for the tests"
wheels="$(mktemp -d)"
trap 'rm -rf "$wheels"' EXIT
PYTHON="$py" WHEEL_DIR="$wheels" "$here/build-wheel.sh"
"$py" -m pip install --quiet --force-reinstall --no-deps "$wheels"/privshare-*-abi3-*.whl

echo "== pytest"
set +e
# Run from the tests directory so that the installed package (not the source tree) is imported.
(cd "$here/tests" && "$py" -m pytest -p no:cacheprovider -q -rs "$@" .)
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "run-tests.sh: pytest collected no tests; treating as failure" >&2
    exit 1
fi
exit "$status"
