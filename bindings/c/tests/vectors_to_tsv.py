#!/usr/bin/env python3
"""Turns the repository's JSON test vectors into one tab-separated line per case for test_vectors.c
(C has no JSON parser in its standard library; this keeps the C side to a line reader).

Usage: vectors_to_tsv.py REPO_ROOT > vectors.tsv. Nulls become "-"; bytes are hex; text stays text.
Line kinds (first field):
  keyset NAME JSON                      an insecure-plaintext keyset, referenced by NAME below
  stored PATH KIND SECRET PRIMARY COUNT a stored keyset file; KIND kek|passphrase; SECRET hex|text
  fle_valid KS SCHEME DATASET FIELD RECORD CT TEXT PT PADDING   PADDING: none|block:N|padme
  fle_invalid KS SCHEME DATASET FIELD RECORD CT TEXT CODE OFFSET
  token_valid KS KEY_ID PURPOSE VALUE TOKEN TEXT
  token_invalid KS KEY_ID PURPOSE VALUE CODE
  fpe KS CIPHER DATASET FIELD PARAM PT CT   PARAM: alphabet (ff1), "y m d y m d" (resident_id), "-"
  mask RULE_JSON INPUT EXPECTED PARSED     validate TYPE VALUE VALID
  mask_keyed KEYSET_JSON RULE_JSON DATASET FIELD INPUT EXPECTED (computed in this script)
  audit_log SUITE FILE SPKI ROOT HEADS      a valid audit log; HEADS: its signed heads, comma-separated
  audit_invalid NAME FILE SPKI TRUSTED CODE an attacked audit log, the trusted heads, the status expected
"""
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
vec = os.path.join(root, "tests", "vectors")


def load(*parts):
    with open(os.path.join(vec, *parts), encoding="utf-8") as f:
        return json.load(f)


def field(v):
    if v is None:
        return "-"
    s = str(v)
    assert "\t" not in s and "\n" not in s and s != "-", s
    return s


def emit(*fields):
    print("\t".join(field(f) for f in fields))


def keyset(name, keys, primary):
    doc = {
        "format": "privshare-keyset-insecure-plaintext",
        "version": 1,
        "primary": primary,
        "versions": [
            {"id": k["key_id"], "suite": k["suite"], "status": "enabled", "created_at": 0, "root_key_hex": k["root_key"]}
            for k in keys
        ],
    }
    emit("keyset", name, json.dumps(doc, separators=(",", ":")))


# Stored keysets: every wrapping of the one keyset of tests/vectors/keyset, in format version 2 and
# in the frozen version 1 files (which must keep loading).
keks = load("keyset", "keks.json")
plain = load("keyset", "plaintext.json")
primary, count = plain["primary"], len(plain["versions"])
for version_dir in ["", "v1"]:
    for file, kind, secret in [
        ("wrapped_raw_aes.json", "kek", keks["kek_hex"]),
        ("wrapped_raw_sm4.json", "kek", keks["sm4_kek_hex"]),
        ("wrapped_passphrase.json", "passphrase", keks["passphrase"]),
    ]:
        emit("stored", os.path.join(vec, "keyset", version_dir, file), kind, secret, primary, count)

# Field ciphertexts: one keyset per key id, with that id as primary (deterministic outputs are exact).
fc = load("field-ciphertext.json")
for k in fc["keys"]:
    keyset("fle-%d" % k["key_id"], fc["keys"], k["key_id"])
first = "fle-%d" % fc["keys"][0]["key_id"]
for v in fc["valid"]:
    emit("fle_valid", "fle-%d" % v["key_id"], v["scheme"], v["dataset"], v["field"], v["record"], v["ciphertext"],
         v["text"], v["plaintext"], v["padding"])
for v in fc["invalid"]:
    emit("fle_invalid", first, v["scheme"], v["dataset"], v["field"], v["record"], v["ciphertext"], v["text"],
         v["error_code"], v["offset"])

# Tokens.
tk = load("fle", "token.json")
keyset("token", tk["keys"], tk["keys"][0]["key_id"])
for v in tk["valid"]:
    emit("token_valid", "token", v["key_id"], v["purpose"], v["value"], v["token"], v["text"])
for v in tk["invalid"]:
    emit("token_invalid", "token", v["key_id"], v["purpose"], v["value"], v["error_code"])

# Format-preserving encryption: one root key under one id, once per suite.
fp = load("fpe", "keyed.json")
for suite in ("aes", "sm"):
    keyset("fpe-" + suite, [{"key_id": fp["key_id"], "suite": suite, "root_key": fp["root_key"]}], fp["key_id"])
for v in fp["vectors"]:
    if v["cipher"] == "ff1":
        param = v["alphabet"]
    elif v["cipher"] == "resident_id":
        param = " ".join(str(x) for d in v["range"] for x in d)
    else:
        param = None
    emit("fpe", "fpe-" + v["suite"], v["cipher"], v["dataset"], v["field"], param, v["pt"], v["ct"])

# Masking rules (tests/vectors/mask/rules.json): one line per value.
#   mask RULE_JSON INPUT EXPECTED PARSED(1|0)
for case in load("mask", "rules.json")["cases"]:
    rule = json.dumps(case["rule"], separators=(",", ":"), ensure_ascii=False)
    for inp, expected, parsed in case["values"]:
        emit("mask", rule, inp, expected, 1 if parsed else 0)

# Validators (tests/vectors/mask/validators.json).
#   validate TYPE VALUE VALID(1|0)
vd = load("mask", "validators.json")
for name, sets in vd.items():
    if name == "description":
        continue
    for valid in ("valid", "invalid"):
        for v in sets.get(valid, []):
            emit("validate", name, v, 1 if valid == "valid" else 0)

# Keyed hash known answers, computed here from docs/formats/keyset.md ("Key derivation") and
# docs/masking.md independently of the Rust code: HKDF (empty salt) with the suite's hash over the
# length-prefixed info, then HMAC of the value, hex, cut to the rule's length.
#   mask_keyed KEYSET_JSON RULE_JSON DATASET FIELD INPUT EXPECTED
import hashlib  # noqa: E402
import hmac  # noqa: E402
import struct  # noqa: E402


def hkdf(hash_name, ikm, info, length):
    prk = hmac.new(b"\0" * hashlib.new(hash_name).digest_size, ikm, hash_name).digest()
    out, block, i = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([i]), hash_name).digest()
        out += block
        i += 1
    return out[:length]


def derive(suite, root, label, dataset, field):
    suite_id, hash_name = {"aes": (1, "sha256"), "sm": (2, "sm3")}[suite]
    lp = lambda b: struct.pack(">H", len(b)) + b  # noqa: E731
    info = b"privshare/v1/derive" + bytes([suite_id]) + lp(label.encode()) + b"\x01" + lp(dataset.encode()) + lp(
        field.encode())
    return hkdf(hash_name, root, info, 32), hash_name


# The derivation itself must reproduce the repository's derivation vectors before it is trusted.
dv = load("keyset", "derivation.json")
roots = {v["id"]: v["root_key_hex"] for v in load("keyset", dv["keyset"])["versions"] if "root_key_hex" in v}
checked = 0
for c in dv["cases"]:
    ctx = c["context"]
    if "dataset" in ctx and len(c["okm_hex"]) >= 64 and (c["suite"] == "aes" or "sm3" in hashlib.algorithms_available):
        okm, _ = derive(c["suite"], bytes.fromhex(roots[c["key_id"]]), c["key_use"], ctx["dataset"], ctx["field"])
        assert okm.hex() == c["okm_hex"][:64], c
        checked += 1
assert checked >= 3, "derivation vectors not checked: %d" % checked

if hasattr(hashlib, "algorithms_available") and "sm3" in hashlib.algorithms_available:
    suites = ("aes", "sm")
else:
    suites = ("aes",)
root = bytes.fromhex(fp["root_key"])
for suite in suites:
    doc = {
        "format": "privshare-keyset-insecure-plaintext",
        "version": 1,
        "primary": fp["key_id"],
        "versions": [{"id": fp["key_id"], "suite": suite, "status": "enabled", "created_at": 0,
                      "root_key_hex": fp["root_key"]}],
    }
    key, hash_name = derive(suite, root, "mask-hash", "citizens", "phone")
    for value, length in (("13800138000", 16), ("欧阳娜娜", 64)):
        tag = hmac.new(key, value.encode(), hash_name).hexdigest()[:length]
        emit("mask_keyed", json.dumps(doc, separators=(",", ":")), json.dumps({"rule": "hash", "length": length}),
             "citizens", "phone", value, tag)

# Audit logs: the valid logs and the attacked ones, with the key that signs their heads.
audit = load("audit", "audit-log.json")
spki = "302a300506032b6570032100" + audit["signing_key"]["public_key"]
codes = {"malformed_audit_log": 700, "audit_log_torn_tail": 701, "audit_log_mismatch": 702,
         "audit_log_truncated": 703, "audit_log_forked": 704, "authentication_failed": 200, "unknown_key": 300}
for log in audit["logs"]:
    emit("audit_log", log["suite"], log["file"], spki, log["root"], ",".join(log["tree_heads"]))
for case in audit["invalid_logs"]:
    emit("audit_invalid", case["name"], case["file"], spki, ",".join(case["trusted_heads"]) or None, codes[case["error"]])
