"""Single-value call overhead of the Python binding over Rust.

Times RandomizedCipher.encrypt of one 32-byte value per call (binary and text form) through
Python, and the same call in Rust (bench/rust_baseline, built in release mode), and prints the
difference: what crossing into Python adds per call. Target: at most 1 microsecond.

    python bindings/python/bench/bench_single.py            # builds and runs the Rust baseline
    python bindings/python/bench/bench_single.py --rust-ns 650   # or give the Rust figure
"""

import argparse
import os
import pathlib
import subprocess
import time
import timeit

import privshare

HERE = pathlib.Path(__file__).resolve().parent


def rust_figures(n: int) -> dict:
    manifest = HERE / "rust_baseline" / "Cargo.toml"
    out = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "--manifest-path", str(manifest), str(n), "single"],
        check=True, capture_output=True, text=True,
    ).stdout
    return {k: float(v) for k, v in (line.split() for line in out.splitlines() if line.strip())}


def per_call_ns(stmt, number: int) -> float:
    # CPU time of this process, not wall time: the machine may be shared (the Rust side does the same).
    return min(timeit.repeat(stmt, number=number, repeat=5, timer=time.process_time)) / number * 1e9


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=50_000)
    ap.add_argument("--rounds", type=int, default=7, help="alternating Rust/Python rounds; the minimum of each is kept")
    ap.add_argument("--rust-ns", type=float, help="Rust per-value figure (binary); skips building the baseline")
    args = ap.parse_args()

    ks = privshare.Keyset.generate("aes")
    c = privshare.RandomizedCipher(ks, "bench", "value")
    value = os.urandom(16).hex().encode()  # 32 bytes
    text_value = value.decode()
    ct = c.encrypt(value)
    # The machine may be shared: alternate Rust and Python rounds and keep each side's minimum.
    inf = float("inf")
    py_bin = py_text = py_dec = inf
    rust = {"single_binary_ns": inf, "single_text_ns": inf}
    for _ in range(args.rounds):
        if args.rust_ns is None:
            r = rust_figures(args.calls)
            rust = {k: min(rust[k], r[k]) for k in rust}
        py_bin = min(py_bin, per_call_ns(lambda: c.encrypt(value, encoding="binary"), args.calls))
        py_text = min(py_text, per_call_ns(lambda: c.encrypt(text_value), args.calls))
        py_dec = min(py_dec, per_call_ns(lambda: c.decrypt(ct), args.calls))
    if args.rust_ns is not None:
        rust = {"single_binary_ns": args.rust_ns, "single_text_ns": float("nan")}
    # what an empty Python call costs, for reference
    noop = per_call_ns(lambda: None, args.calls)
    print(f"python call of an empty lambda (timeit overhead, included below): {noop:8.1f} ns")
    print(f"python encrypt(32 B, binary):  {py_bin:8.1f} ns/call   rust: {rust['single_binary_ns']:8.1f} ns"
          f"   added: {py_bin - rust['single_binary_ns']:7.1f} ns")
    print(f"python encrypt(32 B str, text): {py_text:7.1f} ns/call   rust: {rust['single_text_ns']:8.1f} ns"
          f"   added: {py_text - rust['single_text_ns']:7.1f} ns")
    print(f"python decrypt(text):          {py_dec:8.1f} ns/call")
    added = py_bin - rust["single_binary_ns"]
    print(f"target: added <= 1000 ns per call -> {'met' if added <= 1000 else 'NOT met'} ({added:.0f} ns)")


if __name__ == "__main__":
    main()
