#!/usr/bin/env python3
"""Independent check of tests/vectors/envelope/envelope.json, written from docs/formats/envelope.md
on top of Python's `cryptography` package only: parses every envelope, verifies its Ed25519 or
ECDSA P-256 signature, unwraps the content key (HPKE, RFC 9180, implemented here from the RFC with
cryptography's X25519 / P-256, HMAC and HKDF), checks the key commitment and decrypts the
AES-256-GCM chunks. The `sm` suite needs SM2, which `cryptography` lacks: those vectors are only
parsed and their body hash recomputed with SM3.

Usage: python3 tests/vectors/envelope/check_envelope.py [envelope.json]"""
import hashlib
import json
import os
import struct
import sys

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, x25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand


class Rejected(Exception):
    """The envelope fails a check; the argument is the error name of the spec (section 6)."""


# --- section 2: the header -----------------------------------------------------------------------
class Cursor:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise Rejected("malformed_envelope")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def int(self, n):
        return int.from_bytes(self.take(n), "big")

    def var(self, n, limit):
        length = self.int(n)
        if length > limit:
            raise Rejected("malformed_envelope")
        return self.take(length)


def parse(env):
    if len(env) < 10 or env[:4] != b"PSEV":
        raise Rejected("malformed_envelope")
    if env[4] != 1:
        raise Rejected("unsupported_version")
    if env[5] not in (1, 2):
        raise Rejected("malformed_envelope")
    hlen = struct.unpack(">I", env[6:10])[0]
    if not 10 <= hlen <= 1 << 20 or hlen > len(env):
        raise Rejected("malformed_envelope")
    c = Cursor(env[:hlen])
    c.pos = 10
    h = {"suite": "aes" if env[5] == 1 else "sm", "header": env[:hlen]}
    h["message_id"] = c.take(16)
    h["created"], h["expires"] = c.int(8), c.int(8)
    if h["expires"] <= h["created"]:
        raise Rejected("malformed_envelope")
    h["sender"] = c.var(1, 255).decode()
    h["sender_key_id"] = c.take(32)
    h["purpose"] = c.var(2, 1024).decode()
    h["legal_basis"] = c.var(2, 1024).decode()
    h["policy_id"] = c.var(1, 255).decode()
    h["policy_version"] = c.int(4)
    h["policy_hash"] = c.var(1, 64)
    h["schema_hash"] = c.var(1, 64)
    h["content_type"] = c.var(1, 255).decode()
    h["padded"] = c.int(8)
    h["chunk"] = c.int(4)
    if h["padded"] > 1 << 46 or not 1024 <= h["chunk"] <= 1 << 22:
        raise Rejected("malformed_envelope")
    h["commitment"] = c.take(32)
    flag = c.int(1)
    if flag not in (0, 1):
        raise Rejected("malformed_envelope")
    h["in_reply_to"] = c.take(16) if flag else None
    count = c.int(2)
    if not 1 <= count <= 1000:
        raise Rejected("malformed_envelope")
    h["recipients"] = []
    for _ in range(count):
        who = c.var(1, 255).decode()
        key_id = c.take(32)
        if any(r[1] == key_id for r in h["recipients"]):
            raise Rejected("malformed_envelope")
        h["recipients"].append((who, key_id, c.var(2, 1024)))
    h["columns"], previous = [], -1
    for _ in range(c.int(1)):
        kind, value = c.int(2), c.var(4, 1 << 16)
        if kind <= previous:
            raise Rejected("malformed_envelope")
        previous = kind
        if kind == 0x0001:
            v = Cursor(value)
            for _ in range(v.int(2)):
                h["columns"].append((v.var(1, 255).decode(), v.int(4)))
            if v.pos != len(value):
                raise Rejected("malformed_envelope")
        elif kind & 0x8000:
            raise Rejected("malformed_envelope")
    if c.pos != hlen:
        raise Rejected("malformed_envelope")
    # Section 3: the body length follows from the header; then the trailer, then nothing.
    plain = 8 + h["padded"]
    h["chunks"] = -(-plain // h["chunk"])
    body_len = plain + 16 * h["chunks"]
    if hlen + body_len + 2 > len(env):
        raise Rejected("malformed_envelope")
    h["body"] = env[hlen:hlen + body_len]
    sig_len = struct.unpack(">H", env[hlen + body_len:hlen + body_len + 2])[0]
    if not 1 <= sig_len <= 512 or hlen + body_len + 2 + sig_len != len(env):
        raise Rejected("malformed_envelope")
    h["signature"] = env[hlen + body_len + 2:]
    return h


def suite_hash(suite, data):
    if suite == "aes":
        return hashlib.sha256(data).digest()
    d = hashes.Hash(hashes.SM3())
    d.update(data)
    return d.finalize()


# --- section 5: the signature --------------------------------------------------------------------
def verify(h, spki):
    message = (b"privshare envelope v1 signature" + struct.pack(">I", len(h["header"])) + h["header"]
               + struct.pack(">Q", len(h["body"])) + suite_hash(h["suite"], h["body"]))
    if h["suite"] == "sm":
        return False  # SM2: not in `cryptography`
    key = serialization.load_der_public_key(spki)
    try:
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(h["signature"], message)
        elif isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1":
            sig = h["signature"]
            if len(sig) != 64:
                raise Rejected("bad_signature")
            der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
            key.verify(der, message, ec.ECDSA(hashes.SHA256()))
        else:
            raise Rejected("bad_signature")
    except InvalidSignature:
        raise Rejected("bad_signature")
    return True


# --- section 1: HPKE base mode (RFC 9180), single-shot open --------------------------------------
def extract(salt, ikm):
    m = hmac.HMAC(salt or b"\0" * 32, hashes.SHA256())
    m.update(ikm)
    return m.finalize()


def expand(prk, info, length):
    return HKDFExpand(hashes.SHA256(), length, info).derive(prk)


def labeled_extract(suite_id, salt, label, ikm):
    return extract(salt, b"HPKE-v1" + suite_id + label + ikm)


def labeled_expand(suite_id, prk, label, info, length):
    return expand(prk, struct.pack(">H", length) + b"HPKE-v1" + suite_id + label + info, length)


def hpke_open(private_key, kem_id, wrapped, info, aad):
    if kem_id == 0x0020:
        enc, ct = wrapped[:32], wrapped[32:]
        dh = private_key.exchange(x25519.X25519PublicKey.from_public_bytes(enc))
        pk = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    else:
        enc, ct = wrapped[:65], wrapped[65:]
        peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), enc)
        dh = private_key.exchange(ec.ECDH(), peer)
        pk = private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                   serialization.PublicFormat.UncompressedPoint)
    kem_suite = b"KEM" + struct.pack(">H", kem_id)
    eae_prk = labeled_extract(kem_suite, b"", b"eae_prk", dh)
    shared = labeled_expand(kem_suite, eae_prk, b"shared_secret", enc + pk, 32)
    suite_id = b"HPKE" + struct.pack(">HHH", kem_id, 0x0001, 0x0002)  # HKDF-SHA256, AES-256-GCM
    context = (b"\x00" + labeled_extract(suite_id, b"", b"psk_id_hash", b"")
               + labeled_extract(suite_id, b"", b"info_hash", info))
    secret = labeled_extract(suite_id, shared, b"secret", b"")
    key = labeled_expand(suite_id, secret, b"key", context, 32)
    nonce = labeled_expand(suite_id, secret, b"base_nonce", context, 12)
    return AESGCM(key).decrypt(nonce, ct, aad)


# --- sections 3, 4 and 6: open -------------------------------------------------------------------
def open_envelope(h, me, key_id, private_key, now):
    if h["created"] > now + 300:
        raise Rejected("not_yet_valid")
    if now >= h["expires"] + 300:
        raise Rejected("expired")
    entry = [r for r in h["recipients"] if r[0] == me and r[1] == key_id]
    if not entry:
        raise Rejected("not_recipient")
    kem_id = 0x0020 if isinstance(private_key, x25519.X25519PrivateKey) else 0x0010
    aad = h["message_id"] + h["sender_key_id"] + key_id
    try:
        content_key = hpke_open(private_key, kem_id, entry[0][2], b"privshare envelope v1 content key", aad)
    except (InvalidTag, ValueError):
        raise Rejected("corrupted_payload")
    bind = h["message_id"] + h["sender_key_id"]

    def hkdf(label, length):
        return HKDF(hashes.SHA256(), length, None, label + bind).derive(content_key)

    if hkdf(b"privshare envelope v1 key commitment", 32) != h["commitment"]:
        raise Rejected("corrupted_payload")
    aead = AESGCM(hkdf(b"privshare envelope v1 payload key", 32))
    aad = hashlib.sha256(h["header"]).digest()
    plain, pos, total = b"", 0, 8 + h["padded"]
    for i in range(h["chunks"]):
        n = min(h["chunk"], total - i * h["chunk"]) + 16
        nonce = struct.pack(">QI", i, 1 if i == h["chunks"] - 1 else 0)
        try:
            plain += aead.decrypt(nonce, h["body"][pos:pos + n], aad)
        except InvalidTag:
            raise Rejected("corrupted_payload")
        pos += n
    length = struct.unpack(">Q", plain[:8])[0]
    if length > h["padded"] or any(plain[8 + length:]):
        raise Rejected("corrupted_payload")
    return plain[8:8 + length]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    v = json.load(open(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "envelope.json")))
    keys = v["keys"]
    for k in keys.values():
        assert hashlib.sha256(bytes.fromhex(k["spki"])).hexdigest() == k["key_id"]
    registered = {bytes.fromhex(keys[n]["key_id"]): bytes.fromhex(keys[n]["spki"])
                  for n in ("sender-ed25519", "sender-p256", "sender-sm2")}
    passed = failed = skipped = 0

    def check(name, ok):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAILED: {name}")

    for t in v["valid"]:
        h = parse(bytes.fromhex(t["envelope"]))
        check(t["name"] + " fields", (h["purpose"], h["legal_basis"], h["sender"], h["created"])
              == (v["purpose"], v["legal_basis"], v["sender_id"], v["created"])
              and h["columns"] == [tuple(c) for c in t["column_key_versions"]])
        if not verify(h, registered[h["sender_key_id"]]):
            skipped += 1  # SM2 signature and unwrap: parsed only
            continue
        passed += 1
        for r in t["recipients"]:
            private = serialization.load_der_private_key(bytes.fromhex(keys[r["key"]]["pkcs8"]), None)
            if not isinstance(private, (x25519.X25519PrivateKey, ec.EllipticCurvePrivateKey)):
                skipped += 1
                continue
            payload = open_envelope(h, r["id"], bytes.fromhex(keys[r["key"]]["key_id"]), private, v["open_at"])
            check(f"{t['name']} opened by {r['id']}", payload == bytes.fromhex(t["payload"]))
    for t in v["invalid"]:
        private = serialization.load_der_private_key(bytes.fromhex(keys[t["open_as"]]["pkcs8"]), None)
        try:
            h = parse(bytes.fromhex(t["envelope"]))
            verify(h, registered[h["sender_key_id"]])
            open_envelope(h, "CN/GOV/222/stats", bytes.fromhex(keys[t["open_as"]]["key_id"]), private, t["open_at"])
            check(t["name"] + " rejected", False)
        except Rejected as e:
            check(f"{t['name']} rejected as {t['error']}", e.args[0] == t["error"])
    print(f"envelope: {passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
