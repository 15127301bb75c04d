"""privshare.spark.anonymize on synthetic citizens in Spark local[2], end to end (group-by counts,
collect, search on the driver, release written to Spark's noop sink), against
privshare.anonymize on the same rows in one process (pandas). Wall clock; both must give the same
report. Issue 13's target: 10M rows in <= 60 s. Not a test.

    cargo run --release --example synth -- --rows 500000 --seed 42 > /tmp/citizens.csv
    PYSPARK_PYTHON=bindings/python/.venv/bin/python \\
        bindings/python/.venv/bin/python bindings/python/bench/spark_anonymize.py --csv /tmp/citizens.csv
"""

import argparse
import json
import time

import privshare
import privshare.spark as ps

SPEC = {
    "attributes": [
        {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "intervals", "origin": 0, "widths": [5, 10, 20]}},
        {"name": "sex", "role": "quasi_identifying", "hierarchy": {"type": "flat"}},
        {"name": "region_code", "role": "quasi_identifying", "hierarchy": {"type": "redaction", "keep": [4, 2]}},
        {"name": "education", "role": "quasi_identifying", "hierarchy": {"type": "flat"}},
        {"name": "marital_status", "role": "quasi_identifying", "hierarchy": {"type": "flat"}},
        {"name": "occupation", "role": "quasi_identifying", "hierarchy": {"type": "flat"}},
        {"name": "diagnosis", "role": "sensitive"},
    ],
    "models": [{"model": "k_anonymity", "k": 5}],
    "suppression_limit": 0.05,
}
COLUMNS = [a["name"] for a in SPEC["attributes"]] + ["income"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--partitions", type=int, default=8)
    args = ap.parse_args()
    import pandas as pd
    from pyspark.sql import SparkSession

    frame = pd.read_csv(args.csv, usecols=COLUMNS, dtype=str, keep_default_na=False)[COLUMNS]
    t = time.perf_counter()
    _, mem_report = privshare.anonymize(frame, SPEC)
    mem_s = time.perf_counter() - t
    print(f"in memory, one process: {mem_s:.2f} s for {len(frame)} rows")

    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.driver.memory", "2g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    df = spark.read.csv(args.csv, header=True).select(COLUMNS).repartition(args.partitions).cache()
    df.count()
    t = time.perf_counter()
    released, report = ps.anonymize(df, SPEC)
    searched = time.perf_counter() - t
    released.write.format("noop").mode("overwrite").save()
    spark_s = time.perf_counter() - t
    same = json.dumps({**report, "search_ms": 0}, sort_keys=True) == json.dumps({**mem_report, "search_ms": 0}, sort_keys=True)
    print(f"Spark local[2]: counts + search {searched:.2f} s, with the release {spark_s:.2f} s "
          f"({len(frame) / spark_s:,.0f} rows/s); {report['quality']['suppressed']} suppressed; "
          f"same report as in memory: {same}")
    spark.stop()


if __name__ == "__main__":
    main()
