"""Masker.apply_column throughput from Python: 1M mobile numbers (validate + mask), as a list and as
a pyarrow string array, against a pure-Python loop doing the display masking without validation.
CPU time of the process, best of --runs. Not a test."""

import argparse
import random
import time

import privshare


def best(fn, runs):
    times = []
    for _ in range(runs):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    rng = random.Random(1)
    values = [f"138{rng.randrange(10**8):08d}" for _ in range(a.n)]
    m = privshare.Masker({"rule": "mobile"})
    t_list = best(lambda: m.apply_column(values), a.runs)
    print(f"apply_column list[str] -> list[str]: {t_list / a.n * 1e9:.0f} ns/value")
    try:
        import pyarrow as pa

        arr = pa.array(values)
        t_arrow = best(lambda: m.apply_column(arr), a.runs)
        print(f"apply_column pyarrow string -> string: {t_arrow / a.n * 1e9:.0f} ns/value")
    except ImportError:
        pass
    t_py = best(lambda: [v[:3] + "****" + v[7:] for v in values], a.runs)
    print(f"Python list comprehension (no validation): {t_py / a.n * 1e9:.0f} ns/value")


if __name__ == "__main__":
    main()
