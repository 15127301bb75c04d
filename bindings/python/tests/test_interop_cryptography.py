"""Proof that the format documents are complete: a randomized field ciphertext made by privshare is
decrypted here with ONLY the `cryptography` package, the layout of
docs/formats/field-ciphertext.md and the key derivation of docs/formats/keyset.md ("Key
derivation"), from a keyset exported with the insecure plaintext export. Nothing below calls
privshare to decrypt or derive."""

import base64
import json
import struct

import pytest

import privshare
from conftest import REPO

cryptography = pytest.importorskip("cryptography")
from cryptography.exceptions import InvalidTag  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from cryptography.hazmat.primitives.kdf.hkdf import HKDF  # noqa: E402

# Constants as the documents state them.
DERIVE_LABEL = b"privshare/v1/derive"  # keyset.md, "Key derivation"
AAD_LABEL = b"privshare/field-ciphertext/v1"  # field-ciphertext.md, section 3
SUITE_ID = {"aes": 1, "sm": 2}
KEY_LEN = {"aes": 32, "sm": 16}
HASH = {"aes": hashes.SHA256, "sm": hashes.SM3}


def test_the_documents_state_what_this_decoder_relies_on():
    field_doc = (REPO / "docs/formats/field-ciphertext.md").read_text()
    keyset_doc = (REPO / "docs/formats/keyset.md").read_text()
    for needle in ('"privshare/field-ciphertext/v1"', "ps1:", "0x01", "AES-256-GCM", "record part"):
        assert needle in field_doc, needle
    for needle in ('"privshare/v1/derive"', "randomized", "root_key_hex", "salt = empty"):
        assert needle in keyset_doc, needle


def u16(b: bytes) -> bytes:
    return struct.pack(">H", len(b)) + b


def info_bytes(suite: str, label: str, tag: int, a: str, b: str) -> bytes:
    return DERIVE_LABEL + bytes([SUITE_ID[suite]]) + u16(label.encode()) + bytes([tag]) + u16(a.encode()) + u16(b.encode())


def derive(root: bytes, suite: str, label: str, dataset: str, field: str, length=None) -> bytes:
    info = info_bytes(suite, label, 1, dataset, field)
    return HKDF(algorithm=HASH[suite](), length=length or KEY_LEN[suite], salt=None, info=info).derive(root)


def test_key_derivation_known_answers_with_cryptography_alone():
    """docs/formats/keyset.md's derivation, checked against tests/vectors/keyset/derivation.json."""
    path = REPO / "tests/vectors/keyset/derivation.json"
    cases = json.loads(path.read_text())["cases"]
    roots = {v["id"]: bytes.fromhex(v["root_key_hex"])
             for v in json.loads((path.parent / "plaintext.json").read_text())["versions"] if v.get("root_key_hex")}
    assert len(cases) >= 6
    for c in cases:
        ctx = c["context"]
        if "purpose" in ctx:
            info = info_bytes(c["suite"], c["key_use"], 2, ctx["purpose"], "")
        else:
            info = info_bytes(c["suite"], c["key_use"], 1, ctx["dataset"], ctx["field"])
        assert info.hex() == c["info_hex"], c
        okm = bytes.fromhex(c["okm_hex"])
        assert HKDF(HASH[c["suite"]](), len(okm), None, info).derive(roots[c["key_id"]]) == okm, c


def aad(header: bytes, dataset: str, field: str, record) -> bytes:
    rec = b"\x00" if record is None else b"\x01" + u16(record)
    return header + u16(AAD_LABEL) + u16(dataset.encode()) + u16(field.encode()) + rec


def from_text(text: str) -> bytes:
    assert text.startswith("ps1:")
    body = text[4:]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def decrypt_independently(keyset_json: str, ciphertext: bytes, dataset: str, field: str, record):
    doc = json.loads(keyset_json)
    assert doc["format"] == "privshare-keyset-insecure-plaintext"
    version, algorithm = ciphertext[0], ciphertext[1]
    (key_id,) = struct.unpack(">I", ciphertext[2:6])
    assert version == 1
    (v,) = [v for v in doc["versions"] if v["id"] == key_id]
    root = bytes.fromhex(v["root_key_hex"])
    key = derive(root, v["suite"], "randomized", dataset, field)
    nonce, body = ciphertext[6:18], ciphertext[18:]
    ad = aad(ciphertext[:6], dataset, field, record)
    if algorithm == 0x01:
        assert v["suite"] == "aes"
        return AESGCM(key).decrypt(nonce, body, ad)
    assert algorithm == 0x02 and v["suite"] == "sm"
    dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, body[-16:])).decryptor()
    dec.authenticate_additional_data(ad)
    return dec.update(body[:-16]) + dec.finalize()


@pytest.mark.parametrize("record", [None, b"row-0017", b""])
def test_aes_256_gcm_field_ciphertext_decrypts_with_cryptography_alone(record):
    ks = privshare.Keyset.generate("aes")
    ks.rotate("aes")  # decrypt under the primary, with an older version present
    exported = ks.to_insecure_plaintext_json()
    c = privshare.RandomizedCipher(ks, "tax-2026", "户籍地址")
    plaintext = "北京市东城区 No. 17".encode()
    binary = c.encrypt(plaintext, record=record, encoding="binary")
    assert decrypt_independently(exported, binary, "tax-2026", "户籍地址", record) == plaintext
    text = c.encrypt(plaintext, record=record)
    assert decrypt_independently(exported, from_text(text), "tax-2026", "户籍地址", record) == plaintext
    # and the independent decoder really checks the context
    with pytest.raises(InvalidTag):
        decrypt_independently(exported, binary, "tax-2026", "other", record)


def test_sm4_gcm_field_ciphertext_decrypts_with_cryptography_alone():
    ks = privshare.Keyset.generate("sm")
    c = privshare.RandomizedCipher(ks, "health", "diagnosis")
    ct = c.encrypt(b"J45.909", record=b"r1", encoding="binary")
    assert decrypt_independently(ks.to_insecure_plaintext_json(), ct, "health", "diagnosis", b"r1") == b"J45.909"


def test_a_ciphertext_made_by_cryptography_decrypts_in_privshare():
    ks = privshare.Keyset.generate("aes")
    doc = json.loads(ks.to_insecure_plaintext_json())
    (v,) = doc["versions"]
    key = derive(bytes.fromhex(v["root_key_hex"]), "aes", "randomized", "d", "f")
    header = bytes([1, 1]) + struct.pack(">I", v["id"])
    nonce = bytes(range(12))
    ct = header + nonce + AESGCM(key).encrypt(nonce, b"made elsewhere", aad(header, "d", "f", b"rec"))
    c = privshare.RandomizedCipher(ks, "d", "f")
    assert c.decrypt(ct, record=b"rec") == b"made elsewhere"
    text = "ps1:" + base64.urlsafe_b64encode(ct).decode().rstrip("=")
    assert c.decrypt(text, record="rec", as_str=True) == "made elsewhere"
