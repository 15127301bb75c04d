"""One keyset and its ciphers used from many threads at once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import privshare

THREADS = 8


def test_ciphers_shared_across_threads():
    ks = privshare.Keyset.generate("aes")
    r = privshare.RandomizedCipher(ks, "d", "f")
    d = privshare.DeterministicCipher(ks, "d", "f")
    f = privshare.Ff1Cipher(ks, "d", "f", key_id=ks.primary_id)
    t = privshare.Tokenizer(ks, "p")
    values = [f"{i:010d}" for i in range(2_000)]
    expected_det = d.encrypt_column(values)
    expected_ff1 = f.encrypt_column(values)
    expected_tok = t.token_column(values)

    def work(n):
        cts = r.encrypt_column(values, records=values)
        assert r.decrypt_column(cts, records=values, as_str=True) == values
        assert d.encrypt_column(values) == expected_det
        assert f.encrypt_column(values) == expected_ff1
        assert t.token_column(values) == expected_tok
        for v in values[n::97]:
            assert r.decrypt(r.encrypt(v, record=v), record=v, as_str=True) == v
        return n

    with ThreadPoolExecutor(THREADS) as pool:
        assert sorted(pool.map(work, range(THREADS * 2))) == list(range(THREADS * 2))


def test_keyset_mutated_while_other_threads_make_ciphers():
    ks = privshare.Keyset.generate("sm")
    stop = threading.Event()
    errors = []

    def rotate():
        try:
            while not stop.is_set():
                ks.rotate()
                ks.to_json(kek=bytes(16))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    def use():
        try:
            for _ in range(200):
                c = privshare.RandomizedCipher(ks, "d", "f")
                assert c.decrypt(c.encrypt("v")) == b"v"
                # every version the cipher was made with stays usable while enabled
                assert ks.primary_id != 0 and len(ks.versions) >= 1
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    rot = threading.Thread(target=rotate)
    users = [threading.Thread(target=use) for _ in range(4)]
    rot.start()
    for u in users:
        u.start()
    for u in users:
        u.join()
    stop.set()
    rot.join()
    assert errors == []
    assert len(ks.versions) > 1


def test_threads_see_errors_independently():
    ks = privshare.Keyset.generate("aes")
    c = privshare.RandomizedCipher(ks, "d", "f")
    good = c.encrypt_column(["a"] * 100)

    def bad(n):
        cts = list(good)
        cts[n] = "ps1:AAAAAAAA"
        try:
            c.decrypt_column(cts)
        except privshare.UnsupportedVersion as e:
            return e.row
        return None

    with ThreadPoolExecutor(THREADS) as pool:
        assert list(pool.map(bad, range(100))) == list(range(100))


def _encrypt_call():
    c = privshare.RandomizedCipher(privshare.Keyset.generate("aes"), "d", "f")
    values = [b"v" * 32] * 200_000
    return lambda: c.encrypt_column(values, encoding="binary")


def _mask_call():
    m = privshare.Masker({"rule": "resident_id"})
    values = ["11010519491231002X"] * 300_000
    return lambda: m.apply_column(values)


def _scan_call():
    data = b"id,phone\n" + b"11010519491231002X,13812345678\n" * 300_000
    return lambda: privshare.scan(data, sample_rows=100)


def _anonymize_call():
    rows = "".join(f"{20 + i % 60},{'FM'[i % 2]},{i % 7}\n" for i in range(100_000))
    data = ("age,sex,code\n" + rows).encode()
    config = {
        "attributes": [
            {"name": "age", "role": "quasi_identifying", "hierarchy": {"type": "intervals", "origin": 0, "widths": [5, 10, 20]}},
            {"name": "sex", "role": "quasi_identifying"},
        ],
        "models": [{"model": "k_anonymity", "k": 5}],
    }
    return lambda: privshare.anonymize(data, config)


@pytest.mark.parametrize("make_call", [_encrypt_call, _mask_call, _scan_call, _anonymize_call],
                         ids=["encrypt_column", "Masker.apply_column", "scan", "anonymize"])
def test_column_calls_let_other_python_threads_run(make_call):
    """A thread that becomes ready while the main thread is inside a column call gets to run
    before the call returns only if the call releases the GIL. The switch interval is made huge so
    that the interpreter never hands the GIL over on its own between the bytecodes around the
    call; the only hand-over is the call's own release."""
    import sys

    call = make_call()
    old = sys.getswitchinterval()
    progressed = False
    try:
        sys.setswitchinterval(1000.0)
        for _ in range(5):  # the helper may not be scheduled within one call on a busy machine
            ready = threading.Event()
            counter = [0]

            def bump():
                ready.wait()
                counter[0] += 1

            helper = threading.Thread(target=bump)
            helper.start()
            ready.set()
            call()
            seen = counter[0]
            helper.join()
            if seen:
                progressed = True
                break
    finally:
        sys.setswitchinterval(old)
    assert progressed
