"""Tokenizer: keyed, one-way, linkable within a purpose only."""

import pytest

import privshare


def test_tokens(keyset):
    t = privshare.Tokenizer(keyset, "link-health-tax")
    assert (t.purpose, t.key_id) == ("link-health-tax", keyset.primary_id)
    tok = t.token("110101199003074573")
    assert isinstance(tok, bytes) and len(tok) == 32
    assert t.token(b"110101199003074573") == tok
    text = t.token_text("110101199003074573")
    assert isinstance(text, str) and "110101199003074573" not in text
    assert t.token_column(["110101199003074573", "x"]) == [text, t.token_text("x")]
    assert privshare.Tokenizer(keyset, "other").token("110101199003074573") != tok
    # the same keyset and purpose link across datasets (and across loads of the keyset)
    again = privshare.Keyset.from_insecure_plaintext_json(keyset.to_insecure_plaintext_json())
    assert privshare.Tokenizer(again, "link-health-tax").token("110101199003074573") == tok
    assert privshare.Tokenizer(privshare.Keyset.generate(), "link-health-tax").token("x") != t.token("x")


def test_token_errors_and_versions():
    ks = privshare.Keyset.generate("sm")
    old = ks.primary_id
    t_old = privshare.Tokenizer(ks, "p").token("v")
    ks.rotate()
    assert privshare.Tokenizer(ks, "p").token("v") != t_old
    assert privshare.Tokenizer(ks, "p", key_id=old).token("v") == t_old
    with pytest.raises(privshare.UnknownKey):
        privshare.Tokenizer(ks, "p", key_id=3)
    t = privshare.Tokenizer(ks, "p")
    with pytest.raises(privshare.EmptyValue):
        t.token("")
    with pytest.raises(privshare.EmptyValue) as info:
        t.token_column(["a", ""])
    assert info.value.row == 1
    with pytest.raises(TypeError):
        t.token(5)
