"""Format-preserving ciphers: FF1 over alphabets and the structure-aware identifier ciphers."""

import datetime
import random

import pytest

import privshare
from conftest import luhn_ok, resident_id_ok


def test_ff1_digits_round_trip_and_shape(keyset):
    c = privshare.Ff1Cipher(keyset, "tax", "account", key_id=keyset.primary_id)
    assert (c.alphabet, c.radix, c.key_id) == (privshare.DIGITS, 10, keyset.primary_id)
    rng = random.Random(1)
    for n in (6, 7, 10, 19, 40):
        v = "".join(rng.choice("0123456789") for _ in range(n))
        out = c.encrypt(v)
        assert len(out) == n and out.isdigit()
        assert c.decrypt(out) == v
        assert c.encrypt(v.encode()) == out  # bytes accepted, str returned
    assert privshare.Ff1Cipher(keyset, "tax", "other", key_id=keyset.primary_id).encrypt("0123456789") != c.encrypt("0123456789")


def test_ff1_alphanumeric_and_custom(keyset):
    c = privshare.Ff1Cipher(keyset, "d", "f", privshare.ALPHANUMERIC, key_id=keyset.primary_id)
    assert c.radix == 62
    out = c.encrypt("AbC123xyz")
    assert len(out) == 9 and out.isalnum() and c.decrypt(out) == "AbC123xyz"
    hexa = privshare.Ff1Cipher(keyset, "d", "f", "0123456789abcdef", key_id=keyset.primary_id)
    out = hexa.encrypt("deadbeef")
    assert set(out) <= set("0123456789abcdef") and hexa.decrypt(out) == "deadbeef"
    # non-ASCII alphabets work on characters, not bytes
    han = privshare.Ff1Cipher(keyset, "d", "f", "甲乙丙丁戊己庚辛壬癸", key_id=keyset.primary_id)
    out = han.encrypt("甲乙丙丁戊己庚")
    assert len(out) == 7 and set(out) <= set("甲乙丙丁戊己庚辛壬癸") and han.decrypt(out) == "甲乙丙丁戊己庚"
    assert "radix=10" in repr(han)


def test_ff1_errors(keyset):
    c = privshare.Ff1Cipher(keyset, "d", "f", key_id=keyset.primary_id)
    with pytest.raises(privshare.EmptyValue):
        c.encrypt("")
    with pytest.raises(privshare.DomainTooSmall):
        c.encrypt("12345")  # 10**5 < 1,000,000
    with pytest.raises(privshare.OutsideAlphabet) as info:
        c.encrypt("0123x56789")
    assert info.value.offset == 4 and info.value.row is None
    with pytest.raises(privshare.OutsideAlphabet):
        c.decrypt("０１２３４５６７")  # full-width digits are not ASCII digits
    with pytest.raises(privshare.NotUtf8):
        c.encrypt(b"\xff123456")
    for bad in ("", "a", "aa", "abca"):
        with pytest.raises(privshare.InvalidArgument):
            privshare.Ff1Cipher(keyset, "d", "f", bad, key_id=keyset.primary_id)
    with pytest.raises(privshare.UnknownKey):
        privshare.Ff1Cipher(keyset, "d", "f", key_id=1)
    with pytest.raises(TypeError):  # no default version: format-preserving values carry none
        privshare.Ff1Cipher(keyset, "d", "f")
    for bad in (None, 123456, ["1"]):
        with pytest.raises(TypeError):
            c.encrypt(bad)


def test_ff1_key_version_pinning():
    ks = privshare.Keyset.generate("aes")
    old = ks.primary_id
    out = privshare.Ff1Cipher(ks, "d", "f", key_id=ks.primary_id).encrypt("0123456789")
    ks.rotate()
    assert privshare.Ff1Cipher(ks, "d", "f", key_id=ks.primary_id).decrypt(out) != "0123456789"  # new primary
    pinned = privshare.Ff1Cipher(ks, "d", "f", key_id=old)
    assert pinned.key_id == old and pinned.decrypt(out) == "0123456789"
    ks.disable(old)
    with pytest.raises(privshare.KeyDisabled):
        privshare.Ff1Cipher(ks, "d", "f", key_id=old)
    ks.destroy(old)
    with pytest.raises(privshare.KeyDestroyed):
        privshare.Ff1Cipher(ks, "d", "f", key_id=old)


def test_ff1_columns_name_row_and_offset(keyset):
    c = privshare.Ff1Cipher(keyset, "d", "f", key_id=keyset.primary_id)
    values = ["1234567", "00000000", "9999999999"]
    out = c.encrypt_column(values)
    assert [len(o) for o in out] == [7, 8, 10] and c.decrypt_column(out) == values
    assert out == [c.encrypt(v) for v in values]
    with pytest.raises(privshare.OutsideAlphabet) as info:
        c.encrypt_column(["1234567", "1234567", "12-34567"])
    assert (info.value.row, info.value.offset) == (2, 2)
    with pytest.raises(privshare.NotUtf8) as info:
        c.encrypt_column(["1234567", b"\xff234567"])
    assert info.value.row == 1


# The range resident IDs are encrypted in here: required, recorded with the key version.
BIRTHS = ((1900, 1, 1), (2099, 12, 31))

RESIDENT_IDS = ["11010519491231002X", "440524198001010013", "110101199003074573"]


def test_resident_id(keyset):
    c = privshare.ResidentIdCipher(keyset, "census", "id", key_id=keyset.primary_id, birth_dates=BIRTHS)
    for v in RESIDENT_IDS:
        assert resident_id_ok(v)
        out = c.encrypt(v)
        assert len(out) == 18 and out[:6] == v[:6] and resident_id_ok(out)
        born = datetime.date(int(out[6:10]), int(out[10:12]), int(out[12:14]))  # a real date
        assert datetime.date(1900, 1, 1) <= born <= datetime.date(2099, 12, 31)
        assert int(out[16]) % 2 == int(v[16]) % 2  # sex parity kept
        assert c.decrypt(out) == v
    assert c.decrypt_column(c.encrypt_column(RESIDENT_IDS)) == RESIDENT_IDS


def test_resident_id_birth_date_range(keyset):
    c = privshare.ResidentIdCipher(
        keyset, "census", "id", key_id=keyset.primary_id, birth_dates=(datetime.date(1940, 1, 1), (2010, 12, 31))
    )
    for v in RESIDENT_IDS:
        out = c.encrypt(v)
        assert 1940 <= int(out[6:10]) <= 2010 and c.decrypt(out) == v
    with pytest.raises(privshare.InvalidArgument):
        privshare.ResidentIdCipher(keyset, "d", "f", key_id=keyset.primary_id, birth_dates=((2000, 1, 1), (1999, 1, 1)))
    with pytest.raises(privshare.DomainTooSmall):
        privshare.ResidentIdCipher(keyset, "d", "f", key_id=keyset.primary_id, birth_dates=((2000, 1, 1), (2000, 1, 2)))
    with pytest.raises(TypeError):
        privshare.ResidentIdCipher(keyset, "d", "f", birth_dates=("2000-01-01", "2001-01-01"), key_id=keyset.primary_id)


def test_resident_id_errors(keyset):
    c = privshare.ResidentIdCipher(keyset, "census", "id", key_id=keyset.primary_id, birth_dates=BIRTHS)
    cases = [
        ("110105194912310021", 17),  # wrong check character
        ("11010519491331002X", 6),  # month 13
        ("1101051949123100", None),  # too short
    ]
    for v, offset in cases:
        with pytest.raises(privshare.InvalidIdentifier) as info:
            c.encrypt(v)
        if offset is not None:
            assert info.value.offset == offset
    with pytest.raises(privshare.EmptyValue):
        c.encrypt("")
    with pytest.raises(privshare.InvalidIdentifier) as info:
        c.encrypt_column([RESIDENT_IDS[0], "110105194912310021"])
    assert (info.value.row, info.value.offset) == (1, 17)


def test_mobile(keyset):
    c = privshare.MobileCipher(keyset, "census", "phone", key_id=keyset.primary_id)
    for v in ["13812345678", "15900000000", "18699999999"]:
        out = c.encrypt(v)
        assert len(out) == 11 and out[:3] == v[:3] and out.isdigit() and c.decrypt(out) == v
    with pytest.raises(privshare.InvalidIdentifier) as info:
        c.encrypt("10012345678")
    assert info.value.offset == 0
    with pytest.raises(privshare.InvalidIdentifier):
        c.encrypt("1381234567")
    with pytest.raises(privshare.InvalidIdentifier) as info:
        c.encrypt_column(["13812345678", "138123x5678"])
    assert info.value.row == 1


def test_bank_card(keyset):
    c = privshare.BankCardCipher(keyset, "census", "card", key_id=keyset.primary_id)
    for v in ["6222020200112233446", "4111111111111111"]:
        assert luhn_ok(v)
        out = c.encrypt(v)
        assert len(out) == len(v) and out[:6] == v[:6] and luhn_ok(out) and c.decrypt(out) == v
    with pytest.raises(privshare.InvalidIdentifier) as info:
        c.encrypt("6222020200112233445")
    assert info.value.offset == 18
    with pytest.raises(privshare.InvalidIdentifier):
        c.encrypt("411111111111")


@pytest.mark.parametrize("cls", [privshare.ResidentIdCipher, privshare.MobileCipher, privshare.BankCardCipher])
def test_structured_key_versions(cls):
    ks = privshare.Keyset.generate("sm")
    old = ks.primary_id
    ks.rotate()
    extra = {"birth_dates": BIRTHS} if cls is privshare.ResidentIdCipher else {}
    c = cls(ks, "d", "f", key_id=old, **extra)
    assert c.key_id == old and cls(ks, "d", "f", key_id=ks.primary_id, **extra).key_id == ks.primary_id
    assert (c.dataset, c.field) == ("d", "f") and str(old) in repr(c)
    with pytest.raises(privshare.UnknownKey):
        cls(ks, "d", "f", key_id=12345, **extra)
    with pytest.raises(TypeError):
        cls(ks, "d", "f", **extra)
    if extra:
        with pytest.raises(TypeError):  # no default birth-date range either
            cls(ks, "d", "f", key_id=old)


def test_one_invalid_value_among_five_need_not_fail_the_column(keyset):
    """Issue 9's case: on_invalid="null" or "keep_marked" keeps the other values, naming the rows."""
    c = privshare.ResidentIdCipher(keyset, "census", "id", key_id=keyset.primary_id, birth_dates=BIRTHS)
    ids = ["11010519491231002X", "110105198001010016", "440524199005150026", "110105194912310021",
           "310104200002290030"]
    with pytest.raises(privshare.InvalidIdentifier) as info:
        c.encrypt_column(ids)
    assert info.value.row == 3
    out, rows = c.encrypt_column(ids, on_invalid="null", return_invalid=True)
    assert rows == [3] and out[3] is None and all(len(v) == 18 for i, v in enumerate(out) if i != 3)
    kept = c.encrypt_column(ids, on_invalid="keep_marked")
    assert kept[3] == ids[3] and kept[0] == out[0]
    back, rows = c.decrypt_column([v for v in out if v is not None] + [""], on_invalid="null", return_invalid=True)
    assert back[:4] == [ids[0], ids[1], ids[2], ids[4]] and back[4] is None and rows == [4]
    with pytest.raises(privshare.InvalidArgument):
        c.encrypt_column(ids, on_invalid="skip")
    assert isinstance(c, privshare.FormatPreservingCipher) and isinstance(c, privshare.FieldCipher)
    assert (c.scheme, c.binds_record, c.key_id) == ("resident_id", False, keyset.primary_id)
