"""Type stubs for the Rust extension module (re-exported by ``privshare``)."""

import datetime
import os
from typing import Any, Dict, Iterable, List, Literal, Optional, Sequence, Tuple, Union, final, overload

from typing_extensions import disjoint_base

__all__ = [
    "ALPHANUMERIC",
    "BankCardCipher",
    "DIGITS",
    "DeterministicCipher",
    "Ff1Cipher",
    "FieldCipher",
    "FormatPreservingCipher",
    "KeyVersion",
    "Keyset",
    "Masker",
    "MobileCipher",
    "RandomizedCipher",
    "ResidentIdCipher",
    "Tokenizer",
    "__version__",
    "_anonymize_columns",
    "_anonymize_csv",
    "_error_kinds",
    "_pii_types",
    "_scan_columns",
    "_scan_csv",
    "_scan_path",
    "_validate",
    "_validate_column",
]

__version__: str
DIGITS: str
ALPHANUMERIC: str

_Value = Union[str, bytes, bytearray]
"""A single value: ``str`` is encoded as UTF-8."""

_Suite = Literal["aes", "sm", "AES", "SM"]
_Encoding = Literal["text", "binary"]
_Date = Union[datetime.date, Tuple[int, int, int]]

# A column: a list / tuple / iterable of values, or a pyarrow (Chunked)Array of string or binary type.
# pyarrow in gives pyarrow out, so the column methods return ``Any`` for pyarrow input.
_Column = Union[List[str], List[bytes], List[_Value], Tuple[_Value, ...], Iterable[_Value], Any]

def _error_kinds() -> List[Tuple[int, str]]: ...
def _pii_types() -> List[str]: ...
def _validate(pii_type: str, value: _Value) -> bool: ...
def _validate_column(pii_type: str, values: _Column) -> List[bool]: ...
def _scan_path(path: Union[str, "os.PathLike[str]"], options_json: str) -> str: ...
def _scan_csv(data: bytes, options_json: str) -> str: ...
def _scan_columns(names: Sequence[str], columns: List[List[str]], options_json: str) -> str: ...
def _anonymize_csv(data: bytes, config_json: str, delimiter: str = ",") -> Tuple[bytes, str]: ...
def _anonymize_columns(
    names: Sequence[str], columns: List[List[str]], config_json: str
) -> Tuple[List[str], List[List[str]], str]: ...

@final
class KeyVersion:
    @property
    def id(self) -> int: ...
    @property
    def suite(self) -> str: ...
    @property
    def status(self) -> Literal["enabled", "disabled", "destroyed"]: ...
    @property
    def created_at(self) -> int: ...
    @property
    def primary(self) -> bool: ...

@final
class Keyset:
    @staticmethod
    def generate(suite: _Suite = "aes") -> "Keyset": ...
    @staticmethod
    def from_json(
        data: Union[str, bytes], *, kek: Optional[bytes] = None, passphrase: Optional[_Value] = None
    ) -> "Keyset": ...
    def to_json(
        self,
        *,
        kek: Optional[bytes] = None,
        passphrase: Optional[_Value] = None,
        argon2: Optional[Tuple[int, int, int]] = None,
    ) -> str: ...
    def to_insecure_plaintext_json(self) -> str: ...
    @staticmethod
    def from_insecure_plaintext_json(data: Union[str, bytes]) -> "Keyset": ...
    def rotate(self, suite: Optional[_Suite] = None) -> int: ...
    def set_primary(self, key_id: int) -> None: ...
    def disable(self, key_id: int) -> None: ...
    def enable(self, key_id: int) -> None: ...
    def destroy(self, key_id: int) -> None: ...
    @property
    def primary_id(self) -> int: ...
    @property
    def suite(self) -> str: ...
    @property
    def versions(self) -> List[KeyVersion]: ...
    def __len__(self) -> int: ...

_OnInvalid = Literal["error", "null", "keep_marked"]

@disjoint_base
class FieldCipher:
    """Base class of every cipher (not made directly)."""
    @property
    def scheme(self) -> str: ...
    @property
    def key_id(self) -> int: ...
    @property
    def binds_record(self) -> bool: ...
    @property
    def dataset(self) -> Optional[str]: ...
    @property
    def field(self) -> Optional[str]: ...

@final
class RandomizedCipher(FieldCipher):
    def __new__(cls, keyset: Keyset, dataset: str, field: str) -> "RandomizedCipher": ...
    @property
    def primary_id(self) -> int: ...
    @overload
    def encrypt(self, plaintext: _Value, record: Optional[_Value] = None, *, encoding: Literal["text"] = "text") -> str: ...
    @overload
    def encrypt(self, plaintext: _Value, record: Optional[_Value] = None, *, encoding: Literal["binary"]) -> bytes: ...
    @overload
    def decrypt(
        self, ciphertext: _Value, record: Optional[_Value] = None, *, encoding: Optional[_Encoding] = None,
        as_str: Literal[False] = False,
    ) -> bytes: ...
    @overload
    def decrypt(
        self, ciphertext: _Value, record: Optional[_Value] = None, *, encoding: Optional[_Encoding] = None,
        as_str: Literal[True],
    ) -> str: ...
    def encrypt_column(
        self, values: _Column, records: Optional[_Column] = None, *, encoding: _Encoding = "text",
        on_invalid: Optional[_OnInvalid] = None, return_invalid: bool = False,
    ) -> Any: ...
    def decrypt_column(
        self, ciphertexts: _Column, records: Optional[_Column] = None, *, encoding: Optional[_Encoding] = None,
        as_str: bool = False, on_invalid: Optional[_OnInvalid] = None, return_invalid: bool = False,
    ) -> Any: ...

@final
class DeterministicCipher(FieldCipher):
    def __new__(cls, keyset: Keyset, dataset: str, field: str) -> "DeterministicCipher": ...
    @property
    def primary_id(self) -> int: ...
    @overload
    def encrypt(self, plaintext: _Value, *, encoding: Literal["text"] = "text") -> str: ...
    @overload
    def encrypt(self, plaintext: _Value, *, encoding: Literal["binary"]) -> bytes: ...
    @overload
    def decrypt(self, ciphertext: _Value, *, encoding: Optional[_Encoding] = None, as_str: Literal[False] = False) -> bytes: ...
    @overload
    def decrypt(self, ciphertext: _Value, *, encoding: Optional[_Encoding] = None, as_str: Literal[True]) -> str: ...
    def encrypt_column(
        self, values: _Column, *, encoding: _Encoding = "text", on_invalid: Optional[_OnInvalid] = None,
        return_invalid: bool = False,
    ) -> Any: ...
    def decrypt_column(
        self, ciphertexts: _Column, *, encoding: Optional[_Encoding] = None, as_str: bool = False,
        on_invalid: Optional[_OnInvalid] = None, return_invalid: bool = False,
    ) -> Any: ...

class FormatPreservingCipher(FieldCipher):
    """Base class of the format-preserving ciphers (not made directly)."""
    def encrypt(self, value: _Value) -> str: ...
    def decrypt(self, value: _Value) -> str: ...
    def encrypt_column(
        self, values: _Column, *, on_invalid: Optional[_OnInvalid] = None, return_invalid: bool = False
    ) -> Any: ...
    def decrypt_column(
        self, values: _Column, *, on_invalid: Optional[_OnInvalid] = None, return_invalid: bool = False
    ) -> Any: ...

@final
class Ff1Cipher(FormatPreservingCipher):
    def __new__(
        cls, keyset: Keyset, dataset: str, field: str, alphabet: str = "0123456789", *, key_id: int
    ) -> "Ff1Cipher": ...
    @property
    def alphabet(self) -> str: ...
    @property
    def radix(self) -> int: ...

@final
class ResidentIdCipher(FormatPreservingCipher):
    def __new__(
        cls,
        keyset: Keyset,
        dataset: str,
        field: str,
        *,
        key_id: int,
        birth_dates: Tuple[_Date, _Date],
    ) -> "ResidentIdCipher": ...

@final
class MobileCipher(FormatPreservingCipher):
    def __new__(cls, keyset: Keyset, dataset: str, field: str, *, key_id: int) -> "MobileCipher": ...

@final
class BankCardCipher(FormatPreservingCipher):
    def __new__(cls, keyset: Keyset, dataset: str, field: str, *, key_id: int) -> "BankCardCipher": ...

@final
class Tokenizer(FieldCipher):
    def __new__(cls, keyset: Keyset, purpose: str, *, key_id: Optional[int] = None) -> "Tokenizer": ...
    @property
    def purpose(self) -> str: ...
    def token(self, value: _Value) -> bytes: ...
    def token_text(self, value: _Value) -> str: ...
    def token_column(
        self, values: _Column, *, encoding: _Encoding = "text", on_invalid: Optional[_OnInvalid] = None,
        return_invalid: bool = False,
    ) -> Any: ...

@final
class Masker:
    def __new__(
        cls,
        rule: Union[Dict[str, Any], str],
        *,
        keyset: Optional[Keyset] = None,
        key_id: Optional[int] = None,
        dataset: Optional[str] = None,
        field: Optional[str] = None,
        strict: bool = False,
        column: Optional[str] = None,
    ) -> "Masker": ...
    @property
    def rule(self) -> Dict[str, Any]: ...
    @property
    def key_id(self) -> Optional[int]: ...
    @property
    def strict(self) -> bool: ...
    @property
    def column(self) -> Optional[str]: ...
    def apply(self, value: _Value, subject: Optional[_Value] = None) -> str: ...
    @overload
    def apply_column(
        self, values: _Column, subjects: Optional[_Column] = None, *, on_invalid: Optional[_OnInvalid] = None,
        return_invalid: Literal[False] = False,
    ) -> Any: ...
    @overload
    def apply_column(
        self, values: _Column, subjects: Optional[_Column] = None, *, on_invalid: Optional[_OnInvalid] = None,
        return_invalid: Literal[True],
    ) -> Tuple[Any, List[int]]: ...
