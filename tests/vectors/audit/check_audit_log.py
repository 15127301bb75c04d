#!/usr/bin/env python3
"""Independent check of tests/vectors/audit/audit-log.json, written from docs/formats/audit-log.md on
top of Python's hashlib and `cryptography` package (SM3, Ed25519): decodes the records, verifies the
logs (batch roots, tree heads, trusted heads), recomputes every root and proof from the RFC 9162
definitions, verifies the proofs with the RFC's algorithms, and checks that every attacked log fails
with the expected error. Usage: python3 tests/vectors/audit/check_audit_log.py [audit-log.json]"""
import hashlib
import json
import os
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

SUITES = {1: "aes", 2: "sm"}


def H(suite, data):
    if suite == "aes":
        return hashlib.sha256(data).digest()
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def leaf(suite, data):
    return H(suite, b"\x00" + data)


def node(suite, left, right):
    return H(suite, b"\x01" + left + right)


def largest_power_below(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(suite, d):
    if not d:
        return H(suite, b"")
    if len(d) == 1:
        return d[0]
    k = largest_power_below(len(d))
    return node(suite, mth(suite, d[:k]), mth(suite, d[k:]))


def path(suite, m, d):
    if len(d) <= 1:
        return []
    k = largest_power_below(len(d))
    if m < k:
        return path(suite, m, d[:k]) + [mth(suite, d[k:])]
    return path(suite, m - k, d[k:]) + [mth(suite, d[:k])]


def subproof(suite, m, d, b):
    if m == len(d):
        return [] if b else [mth(suite, d)]
    k = largest_power_below(len(d))
    if m <= k:
        return subproof(suite, m, d[:k], b) + [mth(suite, d[k:])]
    return subproof(suite, m - k, d[k:], False) + [mth(suite, d[:k])]


def verify_inclusion(suite, index, size, leaf_hash, proof, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(suite, p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(suite, r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(suite, first, second, proof, first_hash, second_hash):
    """RFC 9162 section 2.1.4.2, with the format's edge cases (section 5)."""
    if first == 0 or first > second:
        return False
    if first == second:
        return not proof and first_hash == second_hash
    if not proof:
        return False
    proof = ([first_hash] if first & (first - 1) == 0 else []) + list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node(suite, c, fr)
            sr = node(suite, c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node(suite, sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0


class Invalid(Exception):
    def __init__(self, kind, what):
        super().__init__(f"{kind}: {what}")
        self.kind = kind


def malformed(what):
    return Invalid("malformed_audit_log", what)


class Cursor:
    def __init__(self, b):
        self.b, self.pos = b, 0

    def take(self, n):
        if self.pos + n > len(self.b):
            raise malformed("record truncated")
        s = self.b[self.pos:self.pos + n]
        self.pos += n
        return s

    def int(self, n):
        return int.from_bytes(self.take(n), "big")

    def text(self, n):
        try:
            return self.take(n).decode("utf-8")
        except UnicodeDecodeError:
            raise malformed("text not UTF-8")


PART_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:")


def check_participant(p):
    parts = p.split("/")
    if len(parts) != 4 or not all(1 <= len(x) <= 63 and set(x) <= PART_CHARS for x in parts):
        raise malformed("bad participant id")


def decode_record(b):
    """Section 3: the record as the JSON form's dict."""
    c = Cursor(b)
    if c.int(1) != 1:
        raise malformed("record version")
    event, reason = c.int(1), c.int(4)
    names = {1: "sent", 2: "received", 3: "opened", 4: "rejected"}
    if event not in names or (event == 4) != (reason != 0):
        raise malformed("event or reason")
    r = {"time_ms": c.int(8), "event": names[event]}
    if event == 4:
        r["reason"] = reason
    flags = c.int(1)
    if flags & ~7:
        raise malformed("flags")
    if flags & 1:
        r["message_id"] = c.take(16).hex()
    if flags & 2:
        r["sender"] = c.text(c.int(1))
    n = c.int(2)
    if n > 256:
        raise malformed("recipients")
    r["recipients"] = [c.text(c.int(1)) for _ in range(n)]
    n = c.int(2)
    if n > 1024:
        raise malformed("purpose")
    r["purpose"] = c.text(n)
    if flags & 4:
        pid = c.text(c.int(1))
        r["policy"] = {"id": pid, "version": c.int(4), "hash": c.take(32).hex()}
        if not pid:
            raise malformed("policy id")
    r["payload_hash"] = c.take(32).hex()
    r["payload_len"] = c.int(8)
    if c.pos != len(b):
        raise malformed("trailing bytes")
    if event != 4 and ("message_id" not in r or "sender" not in r or not r["recipients"] or not r["purpose"]):
        raise malformed("a required field is missing")
    for p in ([r["sender"]] if "sender" in r else []) + r["recipients"]:
        check_participant(p)
    return r


LABEL = b"privshare/v1/audit-tree-head"


def decode_head(b):
    """Section 4."""
    if len(b) < 100 or b[0] != 1 or b[1] not in SUITES:
        raise malformed("tree head")
    sig_len = struct.unpack(">H", b[98:100])[0]
    if not 1 <= sig_len <= 512 or len(b) != 100 + sig_len:
        raise malformed("tree head length")
    return {"suite": SUITES[b[1]], "log_id": b[2:18], "size": struct.unpack(">Q", b[18:26])[0],
            "root": b[34:66], "key_id": b[66:98], "signed": b[:66], "signature": b[100:]}


def check_signature(head, keys):
    key = keys.get(head["key_id"])
    if key is None:
        raise Invalid("unknown_key", "tree head by an unknown key")
    try:
        key.verify(head["signature"], LABEL + head["signed"])
    except InvalidSignature:
        raise Invalid("authentication_failed", "bad tree head signature")


def verify_log(data, keys, trusted=()):
    """Sections 2, 4 and 8. Returns (suite, log id, leaf hashes, heads in the file)."""
    if len(data) < 58:
        raise malformed("shorter than the header")
    if data[:8] != b"PSAUDLOG":
        raise malformed("magic")
    if data[8] != 1:
        raise Invalid("unsupported_version", "version")
    if data[9] not in SUITES:
        raise malformed("suite")
    suite, log_id = SUITES[data[9]], data[10:26]
    if H(suite, data[:26]) != data[26:58]:
        raise malformed("header check")
    trusted_heads = []
    for t in trusted:
        h = decode_head(t)
        check_signature(h, keys)
        if h["log_id"] != log_id or h["suite"] != suite:
            raise Invalid("invalid_argument", "trusted head of another log")
        trusted_heads.append(h)
    leaves, heads, pos = [], [], 58
    while pos < len(data):
        if len(data) - pos < 5:
            raise Invalid("audit_log_torn_tail", "incomplete frame header")
        kind, length = data[pos], struct.unpack(">I", data[pos + 1:pos + 5])[0]
        end = pos + 5 + length + 32
        if end > len(data):
            raise Invalid("audit_log_torn_tail", "incomplete frame")
        last = end == len(data)
        if kind not in (0x42, 0x54) or not 1 <= length <= 1 << 24:
            raise Invalid("audit_log_torn_tail" if last else "malformed_audit_log", "frame type or length")
        if H(suite, data[pos:pos + 5 + length]) != data[end - 32:end]:
            raise Invalid("audit_log_torn_tail" if last else "audit_log_mismatch", "frame check")
        body = data[pos + 5:pos + 5 + length]
        if kind == 0x42:
            if len(body) < 44:
                raise malformed("batch")
            count, p, stop = struct.unpack(">I", body[:4])[0], 4, len(body) - 40
            if not 1 <= count <= 100000:
                raise malformed("batch count")
            for _ in range(count):
                if p + 4 > stop:
                    raise malformed("record length")
                n = struct.unpack(">I", body[p:p + 4])[0]
                if not 1 <= n <= 131072 or p + 4 + n > stop:
                    raise malformed("record length")
                decode_record(body[p + 4:p + 4 + n])
                leaves.append(leaf(suite, body[p + 4:p + 4 + n]))
                p += 4 + n
            if p != stop:
                raise malformed("bytes before the batch trailer")
            size, root = struct.unpack(">Q", body[stop:stop + 8])[0], body[stop + 8:]
            if size != len(leaves) or root != mth(suite, leaves):
                raise Invalid("audit_log_mismatch", "batch root")
        else:
            h = decode_head(body)
            if h["log_id"] != log_id or h["suite"] != suite or h["size"] != len(leaves) or h["root"] != mth(suite, leaves):
                raise Invalid("audit_log_mismatch", "tree head does not match the records before it")
            check_signature(h, keys)
            heads.append(h)
        pos = end
    # Section 8: trusted heads against the records.
    for t in sorted(trusted_heads, key=lambda h: h["size"]):
        if t["size"] > len(leaves):
            # A disagreement at a smaller trusted size is reported first (the loop is sorted).
            raise Invalid("audit_log_truncated", "shorter than a trusted head")
        if mth(suite, leaves[:t["size"]]) != t["root"]:
            if any(h["size"] >= t["size"] for h in heads):
                raise Invalid("audit_log_forked", "a trusted head and the log's own head disagree")
            raise Invalid("audit_log_mismatch", "records do not match a trusted head")
    return suite, log_id, leaves, heads


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    v = json.load(open(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "audit-log.json")))
    sk = v["signing_key"]
    public = bytes.fromhex(sk["public_key"])
    spki = bytes.fromhex("302a300506032b6570032100") + public
    assert hashlib.sha256(spki).hexdigest() == sk["key_id"]
    keys = {bytes.fromhex(sk["key_id"]): Ed25519PublicKey.from_public_bytes(public)}

    records = []
    for r in v["records"]:
        enc = bytes.fromhex(r["encoding"])
        assert decode_record(enc) == r["json"], r
        for suite in ("aes", "sm"):
            assert leaf(suite, enc).hex() == r["leaf_hash"][suite]
        records.append(enc)

    for lv in v["logs"]:
        data = bytes.fromhex(lv["file"])
        trusted = [bytes.fromhex(h) for h in lv["tree_heads"]]
        suite, log_id, leaves, heads = verify_log(data, keys, trusted)
        assert suite == lv["suite"] and log_id.hex() == lv["log_id"]
        assert leaves == [leaf(suite, r) for r in records]
        assert [h["size"] for h in heads] == [7, 10]
        assert [mth(suite, leaves[:n]).hex() for n in range(11)] == lv["roots"]
        for p in lv["inclusion"]:
            b = bytes.fromhex(p["proof"])
            m, n = p["leaf_index"], p["tree_size"]
            assert b[:3] == bytes([0x49, 1, 1 if suite == "aes" else 2]) and struct.unpack(">QQB", b[3:20]) == (m, n, (len(b) - 20) // 32)
            hs = [b[20 + 32 * i:52 + 32 * i] for i in range((len(b) - 20) // 32)]
            assert hs == path(suite, m, leaves[:n]), p
            assert verify_inclusion(suite, m, n, leaves[m], hs, mth(suite, leaves[:n]))
            assert not verify_inclusion(suite, m, n, leaf(suite, b"other"), hs, mth(suite, leaves[:n]))
        for p in lv["consistency"]:
            b = bytes.fromhex(p["proof"])
            m, n = p["old_size"], p["new_size"]
            assert b[0] == 0x43 and struct.unpack(">QQ", b[3:19]) == (m, n)
            hs = [b[20 + 32 * i:52 + 32 * i] for i in range(b[19])]
            assert len(b) == 20 + 32 * b[19]
            assert hs == ([] if m == n else subproof(suite, m, leaves[:n], True)), p
            assert verify_consistency(suite, m, n, hs, mth(suite, leaves[:m]), mth(suite, leaves[:n]))
            if m < n:
                assert not verify_consistency(suite, m, n, hs, mth(suite, leaves[:m - 1] + [leaf(suite, b"x")]), mth(suite, leaves[:n]))

    for case in v["invalid_logs"]:
        data = bytes.fromhex(case["file"])
        trusted = [bytes.fromhex(h) for h in case["trusted_heads"]]
        try:
            verify_log(data, keys, trusted)
        except Invalid as e:
            assert e.kind == case["error"], (case["name"], e.kind, case["error"])
        else:
            raise AssertionError(f"{case['name']}: accepted")
    print(f"ok: {len(v['records'])} records, {len(v['logs'])} logs, {len(v['invalid_logs'])} attacked logs")


if __name__ == "__main__":
    main()
