"""privshare: field-level encryption, format-preserving encryption and linkage tokens with
managed, rotatable keysets (AES and Chinese SM suites), masking, PII detection and anonymization,
for sharing government data.

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

>>> privshare.Masker({"rule": "resident_id"}).apply("11010519491231002X")
'110105********002X'
"""

from . import _errors
from ._errors import *  # noqa: F401,F403  (the exception hierarchy)
from ._native import ALPHANUMERIC as ALPHANUMERIC
from ._native import DIGITS as DIGITS
from ._native import AuditLog as AuditLog
from ._native import AuditSigner as AuditSigner
from ._native import AuditVerifier as AuditVerifier
from ._native import BankCardCipher as BankCardCipher
from ._native import DeterministicCipher as DeterministicCipher
from ._native import Ff1Cipher as Ff1Cipher
from ._native import FieldCipher as FieldCipher
from ._native import FormatPreservingCipher as FormatPreservingCipher
from ._native import Generalizer as Generalizer
from ._anon import anonymize as anonymize
from ._anon import anonymize_csv_file as anonymize_csv_file
from ._policy import Plan as Plan
from ._policy import check_policy as check_policy
from ._envelope import open as open  # noqa: A001
from ._envelope import seal as seal
from ._mask import PII_TYPES as PII_TYPES
from ._mask import scan as scan
from ._mask import validate as validate
from ._mask import validate_column as validate_column
from ._native import KeyVersion as KeyVersion
from ._native import Keyset as Keyset
from ._native import Masker as Masker
from ._native import RecipientKey as RecipientKey
from ._native import ReplayStore as ReplayStore
from ._native import SigningKey as SigningKey
from ._native import TrustRegistry as TrustRegistry
from ._native import verify_signature as verify_signature
from ._native import MobileCipher as MobileCipher
from ._native import RandomizedCipher as RandomizedCipher
from ._native import ResidentIdCipher as ResidentIdCipher
from ._native import Tokenizer as Tokenizer
from ._native import __version__ as __version__
from ._native import audit_leaf_hash as audit_leaf_hash
from ._native import parse_tree_head as parse_tree_head
from ._native import verify_consistency_proof as verify_consistency_proof
from ._native import verify_inclusion_proof as verify_inclusion_proof

__all__ = [
    "__version__",
    "SigningKey",
    "RecipientKey",
    "TrustRegistry",
    "ReplayStore",
    "verify_signature",
    "seal",  # `open` is left out of star-imports: it would shadow the builtin
    "Keyset",
    "KeyVersion",
    "RandomizedCipher",
    "DeterministicCipher",
    "FieldCipher",
    "FormatPreservingCipher",
    "Ff1Cipher",
    "ResidentIdCipher",
    "MobileCipher",
    "BankCardCipher",
    "Tokenizer",
    "Masker",
    "validate",
    "validate_column",
    "PII_TYPES",
    "scan",
    "anonymize",
    "anonymize_csv_file",
    "Generalizer",
    "Plan",
    "check_policy",
    "DIGITS",
    "ALPHANUMERIC",
    "AuditLog",
    "AuditSigner",
    "AuditVerifier",
    "audit_leaf_hash",
    "verify_inclusion_proof",
    "verify_consistency_proof",
    "parse_tree_head",
]
__all__ += _errors.__all__
