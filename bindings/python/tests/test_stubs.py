"""The type stubs match the extension module (mypy's stubtest), and typed code using the package
type-checks."""

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("mypy")


def test_stubs_match_runtime():
    run = subprocess.run([sys.executable, "-m", "mypy.stubtest", "privshare._native"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_typed_usage_checks(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(textwrap.dedent('''
        import privshare
        ks: privshare.Keyset = privshare.Keyset.generate("sm")
        c = privshare.RandomizedCipher(ks, "d", "f")
        text: str = c.encrypt("v")
        raw: bytes = c.encrypt(b"v", encoding="binary")
        back: bytes = c.decrypt(text)
        s: str = c.decrypt(text, as_str=True)
        digits: str = privshare.Ff1Cipher(ks, "d", "f", privshare.DIGITS, key_id=ks.primary_id).encrypt("0123456789")
        tok: bytes = privshare.Tokenizer(ks, "p").token("x")
        m = privshare.Masker({"rule": "mobile"}, strict=True, column="phone")
        masked: str = m.apply("13812345678")
        col, invalid = m.apply_column(["13812345678"], return_invalid=True)
        n_bad: int = len(invalid)
        ok: bool = privshare.validate("mobile", "13812345678")
        report: "dict[str, object]" = privshare.scan(b"a\\n1\\n")
        out, rep = privshare.anonymize(b"a\\n1\\n", {"attributes": []})
        try:
            c.decrypt("x")
        except privshare.AuthenticationFailed as e:
            code: int = e.code
            row: "int | None" = e.row
    '''))
    bad = tmp_path / "bad.py"
    bad.write_text('import privshare\nn: int = privshare.RandomizedCipher(privshare.Keyset.generate(), "d", "f").encrypt("v")\n')
    ok = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(sample)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    wrong = subprocess.run([sys.executable, "-m", "mypy", str(bad)], capture_output=True, text=True)
    assert wrong.returncode != 0 and "incompatible" in wrong.stdout.lower(), wrong.stdout
