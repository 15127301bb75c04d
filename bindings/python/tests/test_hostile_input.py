"""Hostile input never crashes the interpreter: every call either succeeds or raises a
privshare.Error (or TypeError for a wrong Python type), whatever the bytes."""

import random

import pytest

import privshare


def _garbage(rng, good):
    kind = rng.randrange(6)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 80)))
    if kind == 1:
        return "ps1:" + "".join(rng.choice("ABCxyz019-_=+/ \n\u00e9") for _ in range(rng.randrange(0, 80)))
    if kind == 2:  # a valid ciphertext with a few bytes changed, cut or extended
        b = bytearray(good)
        for _ in range(rng.randrange(1, 4)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b[: rng.randrange(len(b) + 1)]) if rng.random() < 0.3 else bytes(b)
    if kind == 3:
        return good + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 5)))
    if kind == 4:
        return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(0, 30)))
    return "".join(rng.choice("0123456789X") for _ in range(rng.randrange(0, 25)))


@pytest.mark.parametrize("suite", ["aes", "sm"])
def test_random_garbage_everywhere(suite):
    rng = random.Random(20261127)
    ks = privshare.Keyset.generate(suite)
    r = privshare.RandomizedCipher(ks, "d", "f")
    d = privshare.DeterministicCipher(ks, "d", "f")
    good = {"r": r.encrypt(b"value", encoding="binary"), "d": d.encrypt(b"value", encoding="binary")}
    fpe = [privshare.Ff1Cipher(ks, "d", "f", key_id=ks.primary_id), privshare.Ff1Cipher(ks, "d", "f", privshare.ALPHANUMERIC, key_id=ks.primary_id),
           privshare.ResidentIdCipher(ks, "d", "f", key_id=ks.primary_id, birth_dates=((1900, 1, 1), (2099, 12, 31))), privshare.MobileCipher(ks, "d", "f", key_id=ks.primary_id),
           privshare.BankCardCipher(ks, "d", "f", key_id=ks.primary_id)]
    outcomes = {"ok": 0, "error": 0}
    for _ in range(3000):
        which = rng.randrange(4)
        g = _garbage(rng, good["r" if which == 0 else "d"])
        try:
            if which == 0:
                r.decrypt(g, record=rng.choice([None, b"x"]))
            elif which == 1:
                d.decrypt(g, as_str=rng.random() < 0.5)
            elif which == 2:
                c = rng.choice(fpe)
                (c.encrypt if rng.random() < 0.5 else c.decrypt)(g)
            else:
                r.decrypt_column([g, g], encoding=rng.choice([None, "text", "binary"]))
            outcomes["ok"] += 1
        except privshare.Error as e:
            assert isinstance(e.code, int) and e.code != 0
            outcomes["error"] += 1
    # Both outcomes occur (FPE accepts some random digit strings), so the loop exercised both paths.
    assert outcomes["error"] > 1000 and outcomes["ok"] > 0


def test_keyset_json_garbage():
    rng = random.Random(7)
    base = privshare.Keyset.generate().to_json(kek=bytes(32))
    # Only bytes outside JSON white space change, at distinct places, each to a different value: a mutation that
    # leaves the document's meaning unchanged (a byte replaced by itself, a space by a tab) would
    # rightly load, and made this test fail once in a few hundred runs.
    meaningful = [i for i, c in enumerate(base.encode()) if c not in b" \t\r\n"]
    for _ in range(300):
        b = bytearray(base.encode())
        for i in rng.sample(meaningful, rng.randrange(1, 4)):
            b[i] = (b[i] + rng.randrange(1, 256)) % 256
        with pytest.raises(privshare.Error):
            privshare.Keyset.from_json(bytes(b), kek=bytes(32))
