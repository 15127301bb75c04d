"""The baseline of `benches/protect.sh`: what `privshare protect` does with `benches/protect.toml`,
written the way an analyst would with pandas and the `cryptography` package.

    python benches/protect_pandas.py citizens.csv out.csv [ROWS]

Per column, the same work: AES-256-GCM with a random nonce, bound to the record id (`name`);
AES-SIV (`diagnosis`); FF1 over AES-256 on the 17 digits of the resident ID with its check
character recomputed (`id_number`); an HMAC-SHA-256 token (`bank_card`); masks of the mobile
number and the address; birth dates truncated to the year; the other named columns kept, the rest
dropped. Keys are random (derivation is not timed by either side). Prints rows per second.
"""

import base64
import hashlib
import hmac
import os
import sys
import time

import pandas as pd
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESSIV

KEPT = ["record_id", "name", "sex", "id_number", "mobile", "bank_card", "province", "address",
        "occupation", "diagnosis", "income", "birth_date"]


def b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


class FF1Digits:
    """FF1 (NIST SP 800-38G) over AES-256, radix 10, for one fixed length."""

    def __init__(self, key: bytes) -> None:
        self.ecb = Cipher(algorithms.AES(key), modes.ECB()).encryptor()

    def prf(self, block: bytes) -> bytes:
        y = bytes(16)
        for i in range(0, len(block), 16):
            y = self.ecb.update(bytes(a ^ b for a, b in zip(y, block[i:i + 16])))
        return y

    def encrypt(self, x: str, tweak: bytes = b"") -> str:
        n = len(x)
        u, v = n // 2, n - n // 2
        a, b = x[:u], x[u:]
        bb = (v * 3322 // 1000 + 8) // 8  # ceil(v * log2(10) / 8)
        d = 4 * ((bb + 3) // 4) + 4
        p = bytes([1, 2, 1, 0, 0, 10, 10, u % 256]) + n.to_bytes(4, "big") + len(tweak).to_bytes(4, "big")
        for i in range(10):
            m = u if i % 2 == 0 else v
            num_b = int(b) if b else 0
            q = tweak + bytes((-len(tweak) - bb - 1) % 16) + bytes([i]) + num_b.to_bytes(bb, "big")
            r = self.prf(p + q)
            s = r
            j = 1
            while len(s) < d:
                s += self.ecb.update(bytes(x ^ y for x, y in zip(r, j.to_bytes(16, "big"))))
                j += 1
            y = int.from_bytes(s[:d], "big")
            c = (int(a) + y) % (10 ** m)
            a, b = b, str(c).zfill(m)
        return a + b


def check_char(digits17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(digits17, weights)) % 11]


def main() -> None:
    src, dst = sys.argv[1], sys.argv[2]
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else None
    gcm, siv = AESGCM(os.urandom(32)), AESSIV(os.urandom(64))
    ff1, token_key = FF1Digits(os.urandom(32)), os.urandom(32)
    start = time.perf_counter()
    df = pd.read_csv(src, dtype=str, keep_default_na=False, nrows=rows)[KEPT]

    def encrypt_name(row: "pd.Series") -> str:
        nonce = os.urandom(12)
        aad = b"citizens|name|" + row["record_id"].encode()
        return "ps1:" + b64(nonce + gcm.encrypt(nonce, row["name"].encode(), aad))

    df["name"] = df.apply(encrypt_name, axis=1)
    df["diagnosis"] = ["ps1:" + b64(siv.encrypt(v.encode(), [b"citizens|diagnosis"])) for v in df["diagnosis"]]
    ids = []
    for v in df["id_number"]:
        d = ff1.encrypt(v[:17])
        ids.append(d + check_char(d))
    df["id_number"] = ids
    df["bank_card"] = ["pt1:" + b64(hmac.new(token_key, v.encode(), hashlib.sha256).digest()) for v in df["bank_card"]]
    df["mobile"] = df["mobile"].str.slice(0, 3) + "****" + df["mobile"].str.slice(7)
    df["address"] = df["address"].str.slice(0, 6) + "****"
    df["birth_date"] = df["birth_date"].str.slice(0, 4)
    df.to_csv(dst, index=False)
    elapsed = time.perf_counter() - start
    print(f"pandas + cryptography: {len(df)} rows in {elapsed:.2f} s ({len(df) / elapsed:,.0f} rows/s)")


if __name__ == "__main__":
    main()
