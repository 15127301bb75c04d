"""Masker.apply_column throughput from Python: 1M mobile numbers (validate + mask), as a list, as a
pyarrow string array and as a chunked large_string array (what a pandas ArrowDtype column holds),
against a pure-Python `re` loop doing the same work (validate the allocated prefix, optional +86 /
0086, mask the middle four digits, mask invalid values completely), and for reference a loop that
only slices. CPU time of the process, best of --runs. Not a test.
Issue 4's target: apply_column at least 10x faster than the `re` loop."""

import argparse
import random
import re
import time

import privshare


# The allocated 3-digit mobile prefixes of privshare.mask.validators.mobile::PREFIXES.
MOBILE = re.compile(r"(?:\+86|0086)?(1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-35-8]|8\d|9[0-35-9]))(\d{4})(\d{4})")


def re_mask(v):
    m = MOBILE.fullmatch(v)
    if m is None:
        return "*" * len(v)
    return m.group(1) + "****" + m.group(3)


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
        assert m.apply_column(arr.slice(0, 1000)).to_pylist() == m.apply_column(values[:1000])
        t_arrow = best(lambda: m.apply_column(arr), a.runs)
        print(f"apply_column pyarrow string -> string: {t_arrow / a.n * 1e9:.0f} ns/value")
        # What a pandas ArrowDtype column holds: a ChunkedArray, here of large_string.
        chunked = pa.chunked_array([arr.slice(i, a.n // 8) for i in range(0, a.n, a.n // 8)]).cast(pa.large_string())
        t_chunked = best(lambda: m.apply_column(chunked), a.runs)
        print(f"apply_column pyarrow chunked large_string (8 chunks): {t_chunked / a.n * 1e9:.0f} ns/value")
    except ImportError:
        pass
    expected = m.apply_column(values[:1000])
    assert [re_mask(v) for v in values[:1000]] == expected, "the re baseline must do the same work"
    t_re = best(lambda: [re_mask(v) for v in values], a.runs)
    print(f"pure-Python re loop (validate + mask): {t_re / a.n * 1e9:.0f} ns/value")
    print(f"speed-up over the re loop: list {t_re / t_list:.1f}x", end="")
    if "t_arrow" in locals():
        print(f", pyarrow {t_re / t_arrow:.1f}x", end="")
    print(" (target >= 10x)")
    t_py = best(lambda: [v[:3] + "****" + v[7:] for v in values], a.runs)
    print(f"reference: Python slicing only, no validation: {t_py / a.n * 1e9:.0f} ns/value")


if __name__ == "__main__":
    main()
