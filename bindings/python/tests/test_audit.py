"""The audit log from Python: append, sign, verify, proofs, recovery, attacks and the vectors."""

import json
import threading

import pytest

import privshare
from conftest import REPO


def record(i, event="sent"):
    r = {"time_ms": 1760000000000 + i, "event": event, "payload_hash": f"{i:064x}", "payload_len": i}
    if event == "rejected":
        r["reason"] = 500
    else:
        r.update(message_id=f"{i:032x}", sender="EE/GOV/70000001/tax", recipients=["EE/GOV/70000002/health"],
                 purpose="eligibility")
    return r


@pytest.fixture
def signer():
    return privshare.AuditSigner(privshare.AuditSigner.generate_pkcs8())


def test_append_sign_verify_and_prove(tmp_path, suite, signer):
    path = tmp_path / "log"
    log = privshare.AuditLog.create(path, suite)
    assert (log.suite, log.size, len(log.log_id)) == (suite, 0, 16)
    assert log.append([record(0), record(1), record(2, "rejected")]) == (0, 3)
    head3 = log.sign_tree_head(signer)
    assert log.append(json.dumps([record(3), record(4)])) == (3, 5)
    head5 = log.sign_tree_head(signer)
    assert log.latest_tree_head == head5
    fields = privshare.parse_tree_head(head3)
    assert (fields["tree_size"], fields["root"], fields["suite"]) == (3, log.root(3), suite)
    assert fields["key_id"] == signer.key_id and fields["log_id"] == log.log_id

    leaf = privshare.audit_leaf_hash(record(4), suite)
    privshare.verify_inclusion_proof(log.inclusion_proof(4, 5), leaf, log.root())
    with pytest.raises(privshare.AuthenticationFailed):
        privshare.verify_inclusion_proof(log.inclusion_proof(4, 5), leaf, log.root(3))
    proof = log.consistency_proof(3, 5)
    privshare.verify_consistency_proof(proof, log.root(3), log.root(5))
    with pytest.raises(privshare.AuthenticationFailed):
        privshare.verify_consistency_proof(proof, log.root(5), log.root(5))
    with pytest.raises(privshare.MalformedAuditLog):
        privshare.verify_consistency_proof(proof[:-1], log.root(3), log.root(5))

    v = privshare.AuditVerifier([signer.public_key], [head3])
    report = v.verify_file(path)
    assert (report["records"], report["batches"], report["tree_heads"]) == (5, 2, 2)
    assert (report["signed_records"], report["unsigned_records"], report["root"]) == (5, 0, log.root())
    v.verify_tree_head(head5)
    v.check_consistency(head3, head5, proof)
    with pytest.raises(privshare.InvalidArgument):
        v.check_consistency(head3, head5)  # a proof is needed for different sizes

    again = privshare.AuditLog.open(path)
    assert again.size == 5 and again.root() == log.root()


@pytest.mark.parametrize("algorithm", ["ed25519", "ecdsa-p256-sha256", "sm2-sm3"])
def test_every_signature_algorithm_signs_tree_heads(tmp_path, algorithm):
    log = privshare.AuditLog.create(tmp_path / "log", "sm" if algorithm == "sm2-sm3" else "aes")
    log.append([record(0)])
    signer = privshare.AuditSigner(privshare.AuditSigner.generate_pkcs8(algorithm))
    head = log.sign_tree_head(signer)
    privshare.AuditVerifier([signer.public_key]).verify_tree_head(head)
    other = privshare.AuditSigner(privshare.AuditSigner.generate_pkcs8(algorithm))
    with pytest.raises(privshare.UnknownKey):
        privshare.AuditVerifier([other.public_key]).verify_tree_head(head)
    with pytest.raises(privshare.InvalidArgument):
        privshare.AuditSigner.generate_pkcs8("rsa")
    with pytest.raises(privshare.InvalidInput):
        privshare.AuditSigner(b"not a key")


def test_bad_records_are_refused_whole(tmp_path):
    log = privshare.AuditLog.create(tmp_path / "log")
    bad = record(1)
    bad["recipients"] = ["not-a-participant"]
    with pytest.raises(privshare.InvalidArgument) as e:
        log.append([record(0), bad])
    assert e.value.row == 1
    with pytest.raises(privshare.InvalidArgument):
        log.append([])
    with pytest.raises(privshare.InvalidArgument):
        log.append([{**record(0), "payload": "the data itself"}])  # no field can hold a payload
    assert log.size == 0
    with pytest.raises(privshare.IoError):
        privshare.AuditLog.create(tmp_path / "log")


def test_attacks_are_detected(tmp_path, signer):
    path = tmp_path / "log"
    log = privshare.AuditLog.create(path)
    log.append([record(i) for i in range(4)])
    head = log.sign_tree_head(signer)
    log.append([record(i) for i in range(4, 8)])
    last = log.sign_tree_head(signer)
    data = path.read_bytes()
    v = privshare.AuditVerifier([signer.public_key], [last])
    changed = tmp_path / "changed"
    b = bytearray(data)
    b[100] ^= 1
    changed.write_bytes(bytes(b))
    with pytest.raises(privshare.AuditLogMismatch):
        v.verify_file(changed)
    # Cut after the first head: a valid shorter log, but not against the trusted last head.
    cut = tmp_path / "cut"
    cut.write_bytes(data[: data.index(head) + len(head) + 32])
    assert privshare.AuditVerifier([signer.public_key]).verify_file(cut)["records"] == 4
    with pytest.raises(privshare.AuditLogTruncated):
        v.verify_file(cut)
    other = privshare.AuditSigner(privshare.AuditSigner.generate_pkcs8())
    with pytest.raises(privshare.UnknownKey):
        privshare.AuditVerifier([other.public_key]).verify_file(path)


def test_torn_tail_refused_then_recovered(tmp_path):
    path = tmp_path / "log"
    log = privshare.AuditLog.create(path, "sm")
    log.append([record(0)])
    log.append([record(1), record(2)])
    del log
    data = path.read_bytes()
    path.write_bytes(data[:-7])
    with pytest.raises(privshare.AuditLogTornTail) as e:
        privshare.AuditLog.open(path)
    assert e.value.offset is not None
    moved = privshare.AuditLog.recover(path)
    assert moved > 0 and privshare.AuditLog.recover(path) == 0
    assert privshare.AuditLog.open(path).size == 1
    assert (tmp_path / f"log.torn-{e.value.offset}").read_bytes() == data[e.value.offset : -7]


def test_threads_share_one_log(tmp_path):
    log = privshare.AuditLog.create(tmp_path / "log")
    errors = []

    def work(t):
        try:
            for b in range(10):
                log.append([record(t * 1000 + b * 10 + i) for i in range(10)])
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and log.size == 400


def test_vectors(tmp_path):
    v = json.loads((REPO / "tests/vectors/audit/audit-log.json").read_text())
    spki = bytes.fromhex("302a300506032b6570032100" + v["signing_key"]["public_key"])
    for case in v["records"]:
        for suite in ("aes", "sm"):
            assert privshare.audit_leaf_hash(case["json"], suite).hex() == case["leaf_hash"][suite]
    for log in v["logs"]:
        heads = [bytes.fromhex(h) for h in log["tree_heads"]]
        verifier = privshare.AuditVerifier([spki], heads)
        for p in log["consistency"]:
            proof = bytes.fromhex(p["proof"])
            roots = [bytes.fromhex(r) for r in log["roots"]]
            privshare.verify_consistency_proof(proof, roots[p["old_size"]], roots[p["new_size"]])
        verifier.check_consistency(heads[0], heads[1], bytes.fromhex(log["consistency"][1]["proof"]))
    classes = {cls.kind: cls for cls in vars(privshare).values() if isinstance(cls, type) and hasattr(cls, "kind")}
    for case in v["invalid_logs"]:
        trusted = [bytes.fromhex(h) for h in case["trusted_heads"]]
        path = tmp_path / case["name"]
        path.write_bytes(bytes.fromhex(case["file"]))
        with pytest.raises(classes[case["error"]]):
            privshare.AuditVerifier([spki], trusted).verify_file(path)
