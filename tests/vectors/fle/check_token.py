#!/usr/bin/env python3
"""Independent check of tests/vectors/fle/token.json, written from docs/formats/token.md on top of
Python's `cryptography` package. Usage: python3 tests/vectors/fle/check_token.py [token.json]"""
import base64
import json
import os
import struct
import sys

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def u16(b):
    return struct.pack(">H", len(b)) + b


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    v = json.load(open(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "token.json")))
    roots = {k["key_id"]: (k["suite"], bytes.fromhex(k["root_key"])) for k in v["keys"]}
    for t in v["valid"]:
        suite, root = roots[t["key_id"]]
        h = hashes.SHA256 if suite == "aes" else hashes.SM3
        info = (b"privshare/v1/derive" + bytes([1 if suite == "aes" else 2]) + u16(b"token") + b"\x02"
                + u16(t["purpose"].encode()) + u16(b""))
        key = HKDF(algorithm=h(), length=32, salt=None, info=info).derive(root)
        assert key.hex() == t["derived_key"], t
        m = hmac.HMAC(key, h())
        m.update(bytes.fromhex(t["value"]))
        token = m.finalize()
        assert token.hex() == t["token"], t
        text = "pt1:" + base64.urlsafe_b64encode(struct.pack(">I", t["key_id"]) + token).decode().rstrip("=")
        assert text == t["text"] and len(text) == 52, t
    print(f"ok: {len(v['valid'])} token vectors")


if __name__ == "__main__":
    main()
