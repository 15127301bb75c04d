"""Issue 13's Spark target: protect six columns of synthetic citizens (randomized encryption,
deterministic encryption, FPE of the resident ID, a linkage token, two masks) with
privshare.spark.protect on Spark local[2], against (a) the same work through the single-process
pyarrow column paths and (b) a Spark pandas_udf per column doing comparable work with the
`cryptography` package (AES-GCM, AES-SIV, FF1 over AES written in Python, HMAC-SHA-256, and the
masks as Python string operations). Wall-clock seconds, best of --runs; rows per second.
Targets: Spark >= 0.5x the pyarrow path, >= 10x the pandas_udf. Not a test.

    cargo run --release --example synth -- --rows 500000 --seed 42 > /tmp/citizens.csv
    PYSPARK_PYTHON=bindings/python/.venv/bin/python \\
        bindings/python/.venv/bin/python bindings/python/bench/spark_protect.py --csv /tmp/citizens.csv

(--udf-rows runs the pandas_udf on a prefix only, since it is slow; its rate is per row all the same.)
"""

import argparse
import base64
import hashlib
import hmac
import math
import os
import time

import privshare
import privshare.spark as ps

COLUMNS = ["name", "address", "id_number", "mobile", "bank_card", "birth_date"]
BIRTH_DATES = ((1925, 1, 1), (2009, 12, 31))
DATASET = "bench"


def plan():
    return {
        "name": ps.encrypt(DATASET, "name"),
        "address": ps.encrypt_deterministic(DATASET, "address"),
        "id_number": ps.fpe("resident_id", DATASET, "id_number", birth_dates=BIRTH_DATES),
        "mobile": ps.token("linkage"),
        "bank_card": ps.mask({"rule": "keep_ends", "first": 6, "last": 4}),
        "birth_date": ps.mask({"rule": "date_truncate", "to": "year"}),
    }


def best(f, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def pyarrow_path(table, ks):
    """The single-process path: one column call per column, ciphers built once."""
    pk = ks.primary_id
    calls = {
        "name": privshare.RandomizedCipher(ks, DATASET, "name").encrypt_column,
        "address": privshare.DeterministicCipher(ks, DATASET, "address").encrypt_column,
        "id_number": privshare.ResidentIdCipher(ks, DATASET, "id_number", key_id=pk,
                                                birth_dates=BIRTH_DATES).encrypt_column,
        "mobile": privshare.Tokenizer(ks, "linkage").token_column,
        "bank_card": privshare.Masker({"rule": "keep_ends", "first": 6, "last": 4}).apply_column,
        "birth_date": privshare.Masker({"rule": "date_truncate", "to": "year"}).apply_column,
    }
    return lambda: [calls[c](table.column(c)) for c in COLUMNS]


def cryptography_udfs():
    """pandas_udfs doing comparable work with `cryptography` (keys in the closure: a baseline)."""
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    # Each function imports `cryptography` itself: its modules do not pickle into a closure.

    k_gcm, k_siv, k_ff1, k_tok = os.urandom(32), os.urandom(64), os.urandom(32), os.urandom(32)
    aad = DATASET.encode()

    def b64(b):
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

    @pandas_udf("string")
    def randomized(s: pd.Series) -> pd.Series:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        aead = AESGCM(k_gcm)

        def one(v):
            nonce = os.urandom(12)
            return "ps1:" + b64(nonce + aead.encrypt(nonce, v.encode(), aad))

        return s.map(one)

    @pandas_udf("string")
    def deterministic(s: pd.Series) -> pd.Series:
        from cryptography.hazmat.primitives.ciphers.aead import AESSIV

        siv = AESSIV(k_siv)
        return s.map(lambda v: "ps1:" + b64(siv.encrypt(v.encode(), [aad])))

    @pandas_udf("string")
    def fpe_id(s: pd.Series) -> pd.Series:
        # FF1 (NIST SP 800-38G, radix 10, empty tweak) on the 17 digits before the check
        # character, which is then recomputed: the shape of privshare's resident-ID mapping.
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        aes = algorithms.AES(k_ff1)

        def prf(data):
            enc = Cipher(aes, modes.CBC(bytes(16))).encryptor()
            return (enc.update(data) + enc.finalize())[-16:]

        def ff1(x):
            n = len(x)
            u, v = n // 2, n - n // 2
            a, b = x[:u], x[u:]
            blen = math.ceil(math.ceil(v * math.log2(10)) / 8)
            d = 4 * math.ceil(blen / 4) + 4
            p = bytes([1, 2, 1, 0, 0, 10, 10, u % 256]) + n.to_bytes(4, "big") + bytes(4)
            for i in range(10):
                q = bytes((-blen - 1) % 16) + bytes([i]) + int(b).to_bytes(blen, "big")
                y = int.from_bytes(prf(p + q)[:d], "big")
                m = u if i % 2 == 0 else v
                a, b = b, str((int(a) + y) % 10**m).zfill(m)
            return a + b

        def one(v):
            body = ff1(v[:17])
            return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]

        return s.map(one)

    @pandas_udf("string")
    def token(s: pd.Series) -> pd.Series:
        return s.map(lambda v: "pt1:" + b64(hmac.new(k_tok, v.encode(), hashlib.sha256).digest()))

    @pandas_udf("string")
    def keep_ends(s: pd.Series) -> pd.Series:
        return s.map(lambda v: v[:6] + "*" * (len(v) - 10) + v[-4:] if len(v) > 10 else "*" * len(v))

    @pandas_udf("string")
    def year(s: pd.Series) -> pd.Series:
        return s.str.slice(0, 4)

    return {"name": randomized, "address": deterministic, "id_number": fpe_id, "mobile": token,
            "bank_card": keep_ends, "birth_date": year}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True, help="synthetic citizens (cargo run --example synth)")
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--udf-rows", type=int, default=100_000)
    ap.add_argument("--driver-memory", default="2g", help="the DataFrame is built on the driver: 8g for 5M rows")
    args = ap.parse_args()

    import pyarrow as pa
    import pyarrow.csv as pacsv
    from pyspark.sql import SparkSession

    kek = os.urandom(32)
    os.environ["PRIVSHARE_BENCH_KEK"] = base64.b64encode(kek).decode()  # before the workers start
    ks = privshare.Keyset.generate("aes")
    keys = ps.Keys(ks.to_json(kek=kek), kek_env="PRIVSHARE_BENCH_KEK")

    strings = pacsv.ConvertOptions(column_types={c: pa.string() for c in COLUMNS}, include_columns=COLUMNS)
    table = pacsv.read_csv(args.csv, convert_options=strings)
    rows = table.num_rows
    single = best(pyarrow_path(table, ks), args.runs)
    print(f"pyarrow path, one process: {single:.2f} s, {rows / single:,.0f} rows/s ({rows} rows)")

    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.driver.memory", args.driver_memory).getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    df = spark.createDataFrame(table.to_pandas()).repartition(args.partitions).cache()
    df.count()

    def run_spark():
        ps.protect(df, plan(), keys).write.format("noop").mode("overwrite").save()

    spark_s = best(run_spark, args.runs)
    print(f"Spark local[2] privshare.spark.protect: {spark_s:.2f} s, {rows / spark_s:,.0f} rows/s "
          f"({spark_s / single:.2f}x the pyarrow path's time, {single / spark_s:.2f}x its throughput)")

    udfs = cryptography_udfs()
    prefix = df.limit(args.udf_rows).repartition(args.partitions).cache()
    n_udf = prefix.count()

    def run_udf():
        prefix.select([udfs[c](c).alias(c) for c in COLUMNS]).write.format("noop").mode("overwrite").save()

    udf_s = best(run_udf, 1)
    udf_rate = n_udf / udf_s
    print(f"Spark local[2] pandas_udf + cryptography: {udf_s:.2f} s for {n_udf} rows, {udf_rate:,.0f} rows/s "
          f"(privshare.spark {rows / spark_s / udf_rate:.1f}x faster)")
    spark.stop()


if __name__ == "__main__":
    main()
