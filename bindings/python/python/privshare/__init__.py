"""privshare: field-level encryption, format-preserving encryption and linkage tokens with
managed, rotatable keysets (AES and Chinese SM suites), for sharing government data.

The classes are thin wrappers over the Rust core; every error is a subclass of
:class:`privshare.Error` whose ``code`` is the core's stable error code (also the C ABI status).

>>> import privshare
>>> ks = privshare.Keyset.generate("aes")
>>> cipher = privshare.RandomizedCipher(ks, "tax-2026", "name")
>>> cipher.decrypt(cipher.encrypt("Li Si"), as_str=True)
'Li Si'
>>> try:
...     cipher.decrypt("not a ciphertext")
... except privshare.Error as e:
...     print(type(e).__name__, e.code)
MalformedCiphertext 201

Column methods (``encrypt_column`` and friends) take a list of ``str``/``bytes`` or a pyarrow
string/binary array, call the core once for the whole column with the GIL released, and return a
list or a pyarrow array.
"""

from ._errors import *  # noqa: F401,F403  (the exception hierarchy)
from ._errors import __all__ as _error_names
from ._native import (
    ALPHANUMERIC,
    DIGITS,
    BankCardCipher,
    DeterministicCipher,
    Ff1Cipher,
    KeyVersion,
    Keyset,
    MobileCipher,
    RandomizedCipher,
    ResidentIdCipher,
    Tokenizer,
    __version__,
)

__all__ = [
    "__version__",
    "Keyset",
    "KeyVersion",
    "RandomizedCipher",
    "DeterministicCipher",
    "Ff1Cipher",
    "ResidentIdCipher",
    "MobileCipher",
    "BankCardCipher",
    "Tokenizer",
    "DIGITS",
    "ALPHANUMERIC",
] + list(_error_names)
