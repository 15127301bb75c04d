#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seed inputs made from the repository's test vectors
# (tests/vectors) and a few small fixtures written here. Seeds are generated, never committed;
# files already in a corpus (what earlier runs found) are kept. Needs python3 (standard library).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'EOF'
import base64, hashlib, json, os

V = "tests/vectors"
OUT = "fuzz/corpus"


def load(path):
    with open(os.path.join(V, path), encoding="utf-8") as f:
        return json.load(f)


def seed(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def sel(byte, data):
    return bytes([byte]) + (data.encode() if isinstance(data, str) else data)


def pem(label, der):
    b = base64.b64encode(der).decode()
    lines = [b[i : i + 64] for i in range(0, len(b), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)


FF = b"\xff"

# --- field ciphertexts: 0/1 randomized (no record / "row-0001"), 2 deterministic, 3 inspect
fc = load("field-ciphertext.json")
for v in fc["valid"] + fc["invalid"]:
    if v.get("dataset") not in (None, "tax-2026") or v.get("field") not in (None, "id_number"):
        continue
    s = 2 if v.get("scheme") == "deterministic" else (1 if v.get("record") else 0)
    if v.get("ciphertext"):
        seed("fle_binary", sel(s, bytes.fromhex(v["ciphertext"])))
    if v.get("text"):
        seed("fle_text", sel(s, v["text"]))
seed("fle_binary", sel(3, bytes.fromhex(fc["valid"][0]["ciphertext"])))


def packed(values):
    out = b""
    for v in values:
        v = v.encode() if isinstance(v, str) else v
        if len(v) < 256:
            out += bytes([len(v)]) + v
    return out


# columns: selector (bits 0-1 cipher, bit 2 text, bits 4-5 on_invalid, bit 6 records), then
# values each with a length byte
cols = {}
for v in fc["valid"] + fc["invalid"]:
    if v.get("dataset") != "tax-2026" or v.get("field") != "id_number" or not v.get("ciphertext"):
        continue
    c = 1 if v.get("scheme") == "deterministic" else (0x40 if v.get("record") else 0)
    cols.setdefault(c, []).append(v)
for c, vs in cols.items():
    for on_invalid in (0, 0x10, 0x20):
        seed("fle_column", sel(c | on_invalid, packed(bytes.fromhex(v["ciphertext"]) for v in vs)))
        seed("fle_column", sel(c | on_invalid | 4, packed(v["text"] for v in vs if v.get("text"))))
seed("fle_column", sel(0x12, packed(["570835", "7035201446529954", "12345", "abcdef"])))
seed("fle_text", sel(3, fc["valid"][0]["text"]))

# --- tokens: 0 parse, 1/2 tokenize (AES / SM version)
tk = load("fle/token.json")
for v in tk["valid"]:
    seed("token_text", sel(0, v["text"]))
    if "value" in v:
        seed("token_text", sel(1 if v.get("suite") == "aes" else 2, v["value"]))
seed("token_text", sel(1, "11010519491231002X"))

# --- stored keysets: 0 AES KEK, 1 SM4 KEK, 2 insecure plaintext; passphrase
for sub in ("", "v1/"):
    for name, s in (("wrapped_raw_aes.json", 0), ("wrapped_raw_sm4.json", 1), ("plaintext.json", 2)):
        with open(os.path.join(V, "keyset", sub + name), "rb") as f:
            seed("keyset_kek", sel(s, f.read()))
    with open(os.path.join(V, "keyset", sub + "wrapped_passphrase.json"), "rb") as f:
        seed("keyset_passphrase", f.read())

# --- masking rules: rule JSON 0xFF value
mr = load("mask/rules.json")
for case in mr["cases"]:
    rule = json.dumps(case["rule"], ensure_ascii=False).encode()
    for value in case["values"][:2]:
        seed("mask_rule", rule + FF + value[0].encode())
for rule in ('{"rule":"hash","length":16}', '{"rule":"hash","encoding":"base32"}', '{"rule":"date_shift","max_days":30}'):
    seed("mask_rule", rule.encode() + FF + b"2024-02-29")
seed("mask_rule", b'{"rule":"regex","pattern":"(\\\\d{3})\\\\d+","replacement":"$1***"}' + FF + b"13800138000")

# Sharing policies: the benchmark's row-wise policy pinned to the fuzz keyset, and a small one.
bench_policy = open("benches/protect.toml", encoding="utf-8").read().replace("KEY_VERSION", "16909060")
citizens = b"record_id,name,sex,id_number,mobile,bank_card,province,address,occupation,diagnosis,income,birth_date\n" \
    b"P1,Li Lei,M,11010519491231002X,13812345678,6222021234567890128,Beijing,Haidian Road 1,teacher,flu,100,1949-12-31\n"
seed("policy", bench_policy.encode() + FF + citizens)
small = 'policy = "p"\nversion = 1\ndataset = "d"\npurpose = "x"\nsuite = "aes"\n[columns]\n' \
    'a = { action = "keep" }\nb = { action = "fpe", kind = "ff1", alphabet = "digits", key_version = 16909060 }\n'
seed("policy", small.encode() + FF + b"a,b\n1,123456\n2,\n")
seed("policy", small.encode() + FF + b'{"a": 1, "b": "123456"}\n{"a": [true], "b": null}\n\n{"b": "99"}\n')
seed("policy", json.dumps({"policy": "p", "version": 1, "dataset": "d", "purpose": "x", "suite": "aes",
                           "columns": {"a": {"action": "token", "purpose": "t"}}}).encode() + FF + b"a\nx\n")

# --- PII scan: CSV, or scan options JSON 0xFF CSV
with open("examples/c/people.csv", "rb") as f:
    people = f.read()
seed("mask_scan_csv", people)
seed("mask_scan_csv", b'{"sample_rows": 5, "min_values": 1}' + FF + people)
seed("mask_scan_csv", b'mobile;email;date\n13800138000;a@b.cn;2024-01-31\n"139 0013 8000";"x@y.org";2023-12-01\n')

# --- anonymization: spec JSON 0xFF CSV (comma-delimited); hierarchy CSV (first byte: delimiter)
csv = b"name,age,sex,zip\nAnn,31,F,100101\nBo,32,F,100102\nCy,33,M,100201\nDi,38,M,100202\nEd,45,M,100101\n"
specs = [
    {"attributes": [{"name": "name", "role": "identifying"},
                    {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "intervals", "origin": 0, "widths": [5, 10]}},
                    {"name": "sex", "role": "quasi_identifying", "hierarchy": {"type": "flat"}},
                    {"name": "zip", "role": "quasi_identifying", "hierarchy": {"type": "redaction"}}],
     "models": [{"model": "k_anonymity", "k": 2}], "drop_identifying": True, "method": "mondrian"},
    {"attributes": [{"name": "name", "role": "identifying"},
                    {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "intervals", "origin": 0, "widths": [10, 20]}},
                    {"name": "sex", "role": "sensitive"},
                    {"name": "zip", "role": "quasi_identifying", "hierarchy": {"type": "rows", "rows": [["100101", "1001*", "*"], ["100102", "1001*", "*"], ["100201", "1002*", "*"], ["100202", "1002*", "*"]]}}],
     "models": [{"model": "k_anonymity", "k": 2}, {"model": "distinct_l", "attribute": "sex", "l": 2}],
     "suppression_limit": 0.2, "drop_identifying": True, "method": "optimal"},
]
for s in specs:
    seed("anon_spec_csv", json.dumps(s).encode() + FF + csv)
seed("anon_hierarchy", b"," + b"100101,1001*,10*,*\n100102,1001*,10*,*\n200201,2002*,20*,*\n")
seed("anon_hierarchy", b";" + "北京;华北;*\n天津;华北;*\n广州;华南;*\n".encode())

# --- FPE: first byte = cipher (0 digits, 1 alphanumeric, 2 CJK, 3 resident ID, 4 mobile, 5 card),
# bit 6 SM version, bit 7 decrypt
kinds = {"f-digits": 0, "f-alphanumeric": 1, "f-custom": 2, "id": 3, "mobile": 4, "card": 5}
fv = load("fpe/keyed.json")
for v in fv["vectors"]:
    k = {"ff1": None, "resident_id": 3, "mobile": 4, "bank_card": 5}.get(v["cipher"])
    if k is None:
        k = kinds.get(v.get("field"))
        if k is None:
            continue
    sm = 0x40 if v.get("suite") == "sm" else 0
    seed("fpe", sel(k | sm, v["pt"]))
    seed("fpe", sel(k | sm | 0x80, v["ct"]))
    if v["cipher"] == "ff1":
        seed("fpe_alphabet", v["alphabet"].encode() + FF + v["pt"].encode())
seed("fpe", sel(4, "+86 138-0013-8000"))
seed("fpe", sel(5, "6222021234567890128"))
seed("fpe_alphabet", b"01" + FF + b"0110100111010100101011")

# --- envelopes: header, open (bits 0-1 recipient key, bit 7 streaming), re-signed
ev = load("envelope/envelope.json")
rk = {"recipient-x25519": 0, "recipient-p256": 1, "recipient-sm2": 2, "second-x25519": 3}
for v in ev["valid"] + ev["invalid"]:
    env = bytes.fromhex(v["envelope"])
    seed("envelope_header", env)
    key = v["recipients"][0]["key"] if "recipients" in v else v["open_as"]
    seed("envelope_open", sel(rk[key], env))
    seed("envelope_open", sel(rk[key] | 0x80, env))
    seed("envelope_resigned", sel(0, env))
    seed("envelope_resigned", sel(0x80, env))

# --- envelope keys and registry: first byte picks the parser (see envelope_keys.rs)
keys = ev["keys"]
reg = {"version": 1, "participants": []}
for name, k in keys.items():
    spki, pkcs8 = bytes.fromhex(k["spki"]), bytes.fromhex(k["pkcs8"])
    if "recipient" in name or name.startswith("second"):
        seed("envelope_keys", sel(7, pkcs8))
        seed("envelope_keys", sel(8, pem("PRIVATE KEY", pkcs8)))
        seed("envelope_keys", sel(9, spki))
        seed("envelope_keys", sel(10, pem("PUBLIC KEY", spki)))
    else:
        seed("envelope_keys", sel(3, spki))
        seed("envelope_keys", sel(4, pem("PUBLIC KEY", spki)))
        seed("envelope_keys", sel(5, pkcs8))
        seed("envelope_keys", sel(6, pem("PRIVATE KEY", pkcs8)))
        who = ev["other_id"] if name.startswith("other") else ev["sender_id"]
        reg["participants"].append({"id": who, "signing_keys": [{"public_key": pem("PUBLIC KEY", spki), "not_before": 0, "not_after": None}]})
    seed("envelope_keys", sel(2, k["key_id"]))
seed("envelope_keys", sel(0, json.dumps(reg)))
seed("envelope_keys", sel(1, ev["sender_id"]))
seed("envelope_keys", sel(1, "CN/GOV/222/stats"))

# --- audit log files; decoders: 0 record, 1 record JSON, 2 list JSON, 3 inclusion, 4 consistency, 5 tree head
al = load("audit/audit-log.json")
for log in al["logs"] + al["invalid_logs"]:
    seed("audit_log", bytes.fromhex(log["file"]))
    seed("audit_log_file", sel(0, bytes.fromhex(log["file"])))
    seed("audit_log_file", sel(1, bytes.fromhex(log["file"])))
for r in al["records"][:4]:
    seed("audit_decode", sel(0, bytes.fromhex(r["encoding"])))
    seed("audit_decode", sel(1, json.dumps(r["json"])))
seed("audit_decode", sel(2, json.dumps([r["json"] for r in al["records"][:3]])))
for log in al["logs"]:
    for p in log["inclusion"][:2]:
        seed("audit_decode", sel(3, bytes.fromhex(p["proof"])))
    for p in log["consistency"][:2]:
        seed("audit_decode", sel(4, bytes.fromhex(p["proof"])))
    for h in log["tree_heads"][:2]:
        seed("audit_decode", sel(5, bytes.fromhex(h if isinstance(h, str) else h["encoding"])))

for t in sorted(os.listdir(OUT)):
    print("%-20s %d files" % (t, len(os.listdir(os.path.join(OUT, t)))))
EOF
