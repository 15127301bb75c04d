#!/usr/bin/env python3
"""Independent check of tests/vectors/field-ciphertext.json.

Written from docs/formats/field-ciphertext.md only, on top of Python's `cryptography` package
(no privshare code): derives every key, rebuilds every AAD, decrypts every valid vector (and
re-encrypts it with its nonce), and checks that the structural negative vectors fail the documented
check. Usage: python3 tests/vectors/fle/check_field_ciphertext.py [path/to/field-ciphertext.json]
"""
import base64
import json
import os
import struct
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESSIV
from cryptography.hazmat.primitives.cmac import CMAC
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ALGS = {1: ("aes-256-gcm", "aes", False, 32), 2: ("sm4-gcm", "sm", False, 16),
        3: ("aes-256-siv", "aes", True, 64), 4: ("sm4-siv", "sm", True, 32)}
MAX_PT = 1 << 24
PREFIX = {1: "ps1:", 2: "ps2:"}


# --- padding (section 2 of the document) -----------------------------------------------------------

def padme(length):
    e = length.bit_length() - 1
    s = e.bit_length()
    mask = (1 << (e - s)) - 1
    return (length + mask) & ~mask


def padded_length(padding, n):
    """Section 2: the padded length of an n-byte value; padding is None, "padme" or a block size."""
    if padding is None:
        return n
    if padding == "padme":
        return padme(n + 1)
    return -(-(n + 1) // padding) * padding


def padding_of(field):
    """The u16 padding field of a version 2 header; None for a reserved value."""
    if field == 0:
        return "padme"
    if 2 <= field <= 4096:
        return field
    return None


def is_padded_length(padding, length):
    if padding == "padme":
        return length > 0 and padme(length) == length
    return length > 0 and length % padding == 0


def pad(padding, value):
    if padding is None:
        return value
    p = padded_length(padding, len(value))
    return value + b"\x80" + b"\x00" * (p - len(value) - 1)


def unpad(padding, plain):
    if padding is None:
        return plain
    n = len(plain.rstrip(b"\x00")) - 1
    if n < 0 or plain[n] != 0x80 or padded_length(padding, n) != len(plain):
        raise ValueError("malformed_ciphertext")
    return plain[:n]


def padding_name(padding):
    return {None: "none", "padme": "padme"}.get(padding, "block:%s" % padding)


def u16(b):
    assert len(b) <= 0xFFFF
    return struct.pack(">H", len(b)) + b


def derive(root, suite, deterministic, dataset, field, length):
    label = b"deterministic" if deterministic else b"randomized"
    info = (b"privshare/v1/derive" + bytes([1 if suite == "aes" else 2]) + u16(label) + b"\x01"
            + u16(dataset.encode()) + u16(field.encode()))
    h = hashes.SHA256() if suite == "aes" else hashes.SM3()
    return HKDF(algorithm=h, length=length, salt=None, info=info).derive(root)


def aad(header, dataset, field, record):
    a = header + u16(b"privshare/field-ciphertext/v1") + u16(dataset.encode()) + u16(field.encode())
    return a + (b"\x00" if record is None else b"\x01" + u16(record))


def block(suite, key):
    return algorithms.AES(key) if suite == "aes" else algorithms.SM4(key)


def dbl(x):
    n = int.from_bytes(x, "big") << 1
    if n >> 128:
        n = (n ^ 0x87) & ((1 << 128) - 1)
    return n.to_bytes(16, "big")


def xor(a, b):
    return bytes(p ^ q for p, q in zip(a, b))


def cmac(suite, key, msg):
    c = CMAC(block(suite, key))
    c.update(msg)
    return c.finalize()


def s2v(suite, k1, headers, msg):
    d = cmac(suite, k1, b"\x00" * 16)
    for h in headers:
        d = xor(dbl(d), cmac(suite, k1, h))
    if len(msg) >= 16:
        t = msg[:-16] + xor(msg[-16:], d)
    else:
        padded = msg + b"\x80" + b"\x00" * (15 - len(msg))
        t = xor(dbl(d), padded)
    return cmac(suite, k1, t)


def ctr(suite, k2, v, data):
    q = bytearray(v)
    q[8] &= 0x7F
    q[12] &= 0x7F
    e = Cipher(block(suite, k2), modes.CTR(bytes(q))).encryptor()
    return e.update(data) + e.finalize()


def siv_seal(suite, key, ad, pt):
    k1, k2 = key[: len(key) // 2], key[len(key) // 2:]
    v = s2v(suite, k1, [ad], pt)
    return v + ctr(suite, k2, v, pt)


def siv_open(suite, key, ad, body):
    k1, k2 = key[: len(key) // 2], key[len(key) // 2:]
    v, c = body[:16], body[16:]
    pt = ctr(suite, k2, v, c)
    if s2v(suite, k1, [ad], pt) != v:
        raise ValueError("authentication_failed")
    return pt


def gcm_seal(suite, key, nonce, ad, pt):
    e = Cipher(block(suite, key), modes.GCM(nonce)).encryptor()
    e.authenticate_additional_data(ad)
    c = e.update(pt) + e.finalize()
    return c + e.tag


def gcm_open(suite, key, nonce, ad, body):
    c, tag = body[:-16], body[-16:]
    d = Cipher(block(suite, key), modes.GCM(nonce, tag)).decryptor()
    d.authenticate_additional_data(ad)
    try:
        return d.update(c) + d.finalize()
    except Exception:
        raise ValueError("authentication_failed")


def from_text(text):
    if text[:4] not in ("ps1:", "ps2:"):
        raise ValueError("malformed_ciphertext")
    body = text[4:]
    if "=" in body or len(body) % 4 == 1 or any(ch in "+/ \n\r\t" for ch in body):
        raise ValueError("malformed_ciphertext")
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    if base64.urlsafe_b64encode(raw).decode().rstrip("=") != body:  # non-canonical trailing bits
        raise ValueError("malformed_ciphertext")
    if raw and PREFIX.get(raw[0], "ps1:") != text[:4]:  # the prefix names the version
        raise ValueError("malformed_ciphertext")
    return raw


def to_text(raw):
    return PREFIX.get(raw[0], "ps1:") + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def header_len(ct):
    return 8 if ct[0] == 2 else 6


def decrypt(keys, scheme, dataset, field, record, ct):
    """Section 6 of the format document, in order."""
    if len(ct) == 0:
        raise ValueError("malformed_ciphertext")
    if ct[0] not in (1, 2):
        raise ValueError("unsupported_version")
    if len(ct) < 2:
        raise ValueError("malformed_ciphertext")
    if ct[1] not in ALGS:
        raise ValueError("unsupported_algorithm")
    if len(ct) < 6:
        raise ValueError("malformed_ciphertext")
    name, suite, det, klen = ALGS[ct[1]]
    padding = None
    if ct[0] == 2:
        if len(ct) < 8:
            raise ValueError("malformed_ciphertext")
        padding = padding_of(struct.unpack(">H", ct[6:8])[0])
        if padding is None:
            raise ValueError("malformed_ciphertext")
    hl = header_len(ct)
    minimum = hl + (16 if det else 28)
    if len(ct) < minimum or len(ct) > minimum + padded_length(padding, MAX_PT):
        raise ValueError("malformed_ciphertext")
    if padding is not None and not is_padded_length(padding, len(ct) - minimum):
        raise ValueError("malformed_ciphertext")
    if det != (scheme == "deterministic"):
        raise ValueError("unsupported_algorithm")
    key_id = struct.unpack(">I", ct[2:6])[0]
    if key_id not in keys:
        raise ValueError("unknown_key")
    if keys[key_id][0] != suite:
        raise ValueError("unsupported_algorithm")
    key = derive(keys[key_id][1], suite, det, dataset, field, klen)
    ad = aad(ct[:hl], dataset, field, record)
    if det:
        plain = siv_open(suite, key, ad, ct[hl:])
    else:
        plain = gcm_open(suite, key, ct[hl:hl + 12], ad, ct[hl + 12:])
    return unpad(padding, plain)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "field-ciphertext.json")
    v = json.load(open(path))
    keys = {k["key_id"]: (k["suite"], bytes.fromhex(k["root_key"])) for k in v["keys"]}
    unhex = lambda s: None if s is None else bytes.fromhex(s)
    for t in v["valid"]:
        ct, pt, record = unhex(t["ciphertext"]), unhex(t["plaintext"]), unhex(t["record"])
        name, suite, det, klen = ALGS[ct[1]]
        assert name == t["algorithm"], t["name"]
        hl = header_len(ct)
        padding = padding_of(struct.unpack(">H", ct[6:8])[0]) if ct[0] == 2 else None
        assert padding_name(padding) == t["padding"], t["name"]
        assert padded_length(padding, len(pt)) == t["padded_length"], t["name"]
        key = derive(keys[t["key_id"]][1], suite, det, t["dataset"], t["field"], klen)
        assert key.hex() == t["derived_key"], t["name"]
        ad = aad(ct[:hl], t["dataset"], t["field"], record)
        assert ad.hex() == t["aad"], t["name"]
        assert to_text(ct) == t["text"] and from_text(t["text"]) == ct, t["name"]
        assert decrypt(keys, t["scheme"], t["dataset"], t["field"], record, ct) == pt, t["name"]
        padded = pad(padding, pt)
        assert len(ct) == hl + (16 if det else 28) + len(padded), t["name"]
        if det:
            assert ct[:hl] + siv_seal(suite, key, ad, padded) == ct, t["name"]
            if suite == "aes":  # and the same through the library's own AES-SIV
                assert AESSIV(key).encrypt(padded, [ad]) == ct[hl:], t["name"]
        else:
            nonce = unhex(t["nonce"])
            assert ct[:hl] + nonce + gcm_seal(suite, key, nonce, ad, padded) == ct, t["name"]
            if suite == "aes":
                assert AESGCM(key).encrypt(nonce, padded, ad) == ct[hl + 12:], t["name"]
    # Section 2's buckets, independently of the vectors.
    for n in range(0, 5000):
        for padding in ("padme", 2, 16, 32, 4096):
            p = padded_length(padding, n)
            assert p > n and is_padded_length(padding, p) and unpad(padding, pad(padding, b"v" * n)) == b"v" * n
            if padding == "padme":
                assert p - (n + 1) <= 0.12 * (n + 1)
            else:
                assert p % padding == 0 and p <= n + padding
    for t in v["invalid"]:
        try:
            ct = unhex(t["ciphertext"]) if t["ciphertext"] is not None else from_text(t["text"])
            decrypt(keys, t["scheme"], t["dataset"], t["field"], unhex(t["record"]), ct)
            got = "ok"
        except ValueError as e:
            got = str(e)
        assert got == t["error"], (t["name"], got, t["error"])
    print(f"ok: {len(v['valid'])} valid and {len(v['invalid'])} invalid vectors")


if __name__ == "__main__":
    main()
