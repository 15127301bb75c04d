//! The cipher classes: one per scheme, mirroring the core's types (`privshare::fle`).
//!
//! One class per scheme rather than one `FieldCipher(scheme=...)`: the schemes differ in what they
//! take and give (randomized binds a record; format-preserving ciphers take and return text of the
//! same shape; tokens are one-way), so separate classes keep each signature exact for type
//! checkers and each docstring about one thing.

use crate::column::{self, Out};
use crate::errors::{self, IntoPy};
use crate::keyset::PyKeyset;
use crate::values::{bytes_of, record_of, str_of};
use privshare::fle::{
    Alphabet, BankCardCipher, DateRange, DeterministicCipher, Encoding, Ff1Cipher, MobileCipher, RandomizedCipher,
    ResidentIdCipher, Tokenizer,
};
use privshare::{ErrorKind, KeyId, Values};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use zeroize::Zeroizing;

fn encoding(py: Python<'_>, name: &str) -> PyResult<Encoding> {
    match name {
        "text" => Ok(Encoding::Text),
        "binary" => Ok(Encoding::Binary),
        _ => Err(errors::core(py, ErrorKind::InvalidArgument, "encoding must be \"text\" or \"binary\"")),
    }
}

/// The encoding of ciphertexts to decrypt: as given, or `str` -> text form, `bytes` -> binary.
fn decrypt_encoding(py: Python<'_>, name: Option<&str>, input_is_text: bool) -> PyResult<Encoding> {
    match name {
        Some(n) => encoding(py, n),
        None if input_is_text => Ok(Encoding::Text),
        None => Ok(Encoding::Binary),
    }
}

/// A decrypted value as `bytes`, or as `str` (`NotUtf8` if it is not UTF-8). Our copy is wiped.
fn plaintext_out<'py>(py: Python<'py>, pt: Vec<u8>, as_str: bool) -> PyResult<Bound<'py, PyAny>> {
    let pt = Zeroizing::new(pt);
    if as_str {
        let s = std::str::from_utf8(&pt)
            .map_err(|_| errors::core(py, ErrorKind::NotUtf8, "the decrypted value is not valid UTF-8"))?;
        Ok(PyString::new(py, s).into_any())
    } else {
        Ok(PyBytes::new(py, &pt).into_any())
    }
}

/// One ciphertext to decrypt: its bytes, and whether it was given as `str`.
fn ciphertext_of<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<(std::borrow::Cow<'a, [u8]>, bool)> {
    Ok((bytes_of(obj, "ciphertext")?, obj.is_instance_of::<PyString>()))
}

/// Decrypts one ciphertext in `enc` with `bin` (binary) or `text` (text form).
fn decrypt_one(
    py: Python<'_>,
    ct: &[u8],
    enc: Encoding,
    bin: impl FnOnce(&[u8]) -> privshare::Result<Vec<u8>>,
    text: impl FnOnce(&str) -> privshare::Result<Vec<u8>>,
) -> PyResult<Vec<u8>> {
    match enc {
        Encoding::Binary => bin(ct),
        Encoding::Text => match std::str::from_utf8(ct) {
            Ok(s) => text(s),
            Err(_) => Err(privshare::Error::new(ErrorKind::MalformedCiphertext, "not a text-form ciphertext")),
        },
    }
    .py_err(py)
}

fn out_for(enc: Encoding) -> Out {
    match enc {
        Encoding::Text => Out::Text,
        Encoding::Binary => Out::Bytes,
    }
}

/// Randomized encryption (AES-256-GCM or SM4-GCM, by the primary version's suite) of one field of
/// one dataset. Every value gets a fresh nonce; equal values give different ciphertexts. A value
/// can be bound to its record (``record=``): it then decrypts only with the same record id.
///
/// >>> import privshare
/// >>> ks = privshare.Keyset.generate("aes")
/// >>> c = privshare.RandomizedCipher(ks, "tax-2026", "name")
/// >>> ct = c.encrypt("Zhang San", record="row-17")
/// >>> ct.startswith("ps1:")
/// True
/// >>> c.decrypt(ct, record="row-17")
/// b'Zhang San'
/// >>> c.decrypt(ct, record="row-18")
/// Traceback (most recent call last):
/// ...
/// privshare.AuthenticationFailed: decryption or verification failed (code 200)
/// >>> cts = c.encrypt_column(["a", "b"])
/// >>> c.decrypt_column(cts, as_str=True)
/// ['a', 'b']
#[pyclass(frozen, module = "privshare", name = "RandomizedCipher")]
pub struct PyRandomized {
    inner: RandomizedCipher,
    dataset: String,
    field: String,
}

#[pymethods]
impl PyRandomized {
    #[new]
    fn new(py: Python<'_>, keyset: &Bound<'_, PyKeyset>, dataset: &str, field: &str) -> PyResult<Self> {
        let inner = keyset.get().with_read(py, |ks| RandomizedCipher::new(ks, dataset, field)).py_err(py)?;
        Ok(PyRandomized { inner, dataset: dataset.to_string(), field: field.to_string() })
    }

    /// The key version new ciphertexts are made under.
    #[getter]
    fn primary_id(&self) -> KeyId {
        self.inner.primary_id()
    }

    /// The dataset name bound into every ciphertext.
    #[getter]
    fn dataset(&self) -> &str {
        &self.dataset
    }

    /// The field name bound into every ciphertext.
    #[getter]
    fn field(&self) -> &str {
        &self.field
    }

    /// Encrypts one value (``str`` as UTF-8, or ``bytes``). Returns the text form (``str``,
    /// ``ps1:...``) or, with ``encoding="binary"``, the binary layout (``bytes``).
    #[pyo3(signature = (plaintext, record = None, *, encoding = "text"))]
    fn encrypt<'py>(
        &self,
        py: Python<'py>,
        plaintext: &Bound<'py, PyAny>,
        record: Option<&Bound<'py, PyAny>>,
        encoding: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let enc = self::encoding(py, encoding)?;
        let pt = bytes_of(plaintext, "plaintext")?;
        let rec = record_of(record)?;
        match enc {
            Encoding::Text => {
                Ok(PyString::new(py, &self.inner.encrypt_text(rec.as_deref(), &pt).py_err(py)?).into_any())
            }
            Encoding::Binary => Ok(PyBytes::new(py, &self.inner.encrypt(rec.as_deref(), &pt).py_err(py)?).into_any()),
        }
    }

    /// Decrypts one ciphertext made for the same dataset, field and record. The encoding is the
    /// text form for a ``str`` and the binary layout for ``bytes`` unless ``encoding`` says.
    /// Returns ``bytes``, or ``str`` with ``as_str=True``.
    #[pyo3(signature = (ciphertext, record = None, *, encoding = None, as_str = false))]
    fn decrypt<'py>(
        &self,
        py: Python<'py>,
        ciphertext: &Bound<'py, PyAny>,
        record: Option<&Bound<'py, PyAny>>,
        encoding: Option<&str>,
        as_str: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (ct, is_text) = ciphertext_of(ciphertext)?;
        let enc = decrypt_encoding(py, encoding, is_text)?;
        let rec = record_of(record)?;
        let r = rec.as_deref();
        let pt = decrypt_one(py, &ct, enc, |b| self.inner.decrypt(r, b), |t| self.inner.decrypt_text(r, t))?;
        plaintext_out(py, pt, as_str)
    }

    /// Encrypts a column: a list (or tuple, or iterable) of ``str``/``bytes``, or a pyarrow
    /// string/binary array; ``records``, if given, has one record id per value. Returns a list, or
    /// a pyarrow array for pyarrow input. Runs without the GIL.
    #[pyo3(signature = (values, records = None, *, encoding = "text"))]
    fn encrypt_column<'py>(
        &self,
        values: &Bound<'py, PyAny>,
        records: Option<&Bound<'py, PyAny>>,
        encoding: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let enc = self::encoding(values.py(), encoding)?;
        column::run(values, records, out_for(enc), |v, r, _| {
            self.inner.encrypt_column(v, r.map(|r| r as &dyn Values), enc)
        })
    }

    /// Decrypts a column (see ``encrypt_column``). ``encoding`` defaults to the text form for
    /// ``str`` values / Arrow string arrays and the binary layout otherwise. An error names the
    /// failing ``row``.
    #[pyo3(signature = (ciphertexts, records = None, *, encoding = None, as_str = false))]
    fn decrypt_column<'py>(
        &self,
        ciphertexts: &Bound<'py, PyAny>,
        records: Option<&Bound<'py, PyAny>>,
        encoding: Option<&str>,
        as_str: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = ciphertexts.py();
        if let Some(e) = encoding {
            self::encoding(py, e)?;
        }
        column::run(ciphertexts, records, if as_str { Out::Str } else { Out::Bytes }, |v, r, text| {
            let enc = match encoding {
                Some("binary") => Encoding::Binary,
                Some(_) => Encoding::Text,
                None if text => Encoding::Text,
                None => Encoding::Binary,
            };
            self.inner.decrypt_column(v, r.map(|r| r as &dyn Values), enc)
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "<privshare.RandomizedCipher dataset={:?} field={:?} primary_id={}>",
            self.dataset,
            self.field,
            self.primary_id()
        )
    }
}

/// Deterministic encryption (AES-SIV or SM4-SIV) of one field of one dataset, for equality joins:
/// equal values in the same dataset and field give equal ciphertexts (no record binding).
///
/// >>> import privshare
/// >>> ks = privshare.Keyset.generate("sm")
/// >>> c = privshare.DeterministicCipher(ks, "tax-2026", "id_number")
/// >>> c.encrypt("110101199003074573") == c.encrypt(b"110101199003074573")
/// True
/// >>> c.decrypt(c.encrypt("x"), as_str=True)
/// 'x'
#[pyclass(frozen, module = "privshare", name = "DeterministicCipher")]
pub struct PyDeterministic {
    inner: DeterministicCipher,
    dataset: String,
    field: String,
}

#[pymethods]
impl PyDeterministic {
    #[new]
    fn new(py: Python<'_>, keyset: &Bound<'_, PyKeyset>, dataset: &str, field: &str) -> PyResult<Self> {
        let inner = keyset.get().with_read(py, |ks| DeterministicCipher::new(ks, dataset, field)).py_err(py)?;
        Ok(PyDeterministic { inner, dataset: dataset.to_string(), field: field.to_string() })
    }

    /// The key version new ciphertexts are made under.
    #[getter]
    fn primary_id(&self) -> KeyId {
        self.inner.primary_id()
    }

    /// The dataset name bound into every ciphertext.
    #[getter]
    fn dataset(&self) -> &str {
        &self.dataset
    }

    /// The field name bound into every ciphertext.
    #[getter]
    fn field(&self) -> &str {
        &self.field
    }

    /// Encrypts one value; text form (``str``) or, with ``encoding="binary"``, ``bytes``.
    #[pyo3(signature = (plaintext, *, encoding = "text"))]
    fn encrypt<'py>(
        &self,
        py: Python<'py>,
        plaintext: &Bound<'py, PyAny>,
        encoding: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let enc = self::encoding(py, encoding)?;
        let pt = bytes_of(plaintext, "plaintext")?;
        match enc {
            Encoding::Text => Ok(PyString::new(py, &self.inner.encrypt_text(&pt).py_err(py)?).into_any()),
            Encoding::Binary => Ok(PyBytes::new(py, &self.inner.encrypt(&pt).py_err(py)?).into_any()),
        }
    }

    /// Decrypts one ciphertext (text form for ``str``, binary for ``bytes``, unless ``encoding``).
    #[pyo3(signature = (ciphertext, *, encoding = None, as_str = false))]
    fn decrypt<'py>(
        &self,
        py: Python<'py>,
        ciphertext: &Bound<'py, PyAny>,
        encoding: Option<&str>,
        as_str: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (ct, is_text) = ciphertext_of(ciphertext)?;
        let enc = decrypt_encoding(py, encoding, is_text)?;
        let pt = decrypt_one(py, &ct, enc, |b| self.inner.decrypt(b), |t| self.inner.decrypt_text(t))?;
        plaintext_out(py, pt, as_str)
    }

    /// Encrypts a column (list or pyarrow array); runs without the GIL.
    #[pyo3(signature = (values, *, encoding = "text"))]
    fn encrypt_column<'py>(&self, values: &Bound<'py, PyAny>, encoding: &str) -> PyResult<Bound<'py, PyAny>> {
        let enc = self::encoding(values.py(), encoding)?;
        column::run(values, None, out_for(enc), |v, _, _| self.inner.encrypt_column(v, enc))
    }

    /// Decrypts a column (list or pyarrow array); runs without the GIL.
    #[pyo3(signature = (ciphertexts, *, encoding = None, as_str = false))]
    fn decrypt_column<'py>(
        &self,
        ciphertexts: &Bound<'py, PyAny>,
        encoding: Option<&str>,
        as_str: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Some(e) = encoding {
            self::encoding(ciphertexts.py(), e)?;
        }
        column::run(ciphertexts, None, if as_str { Out::Str } else { Out::Bytes }, |v, _, text| {
            let enc = match encoding {
                Some("binary") => Encoding::Binary,
                Some(_) => Encoding::Text,
                None if text => Encoding::Text,
                None => Encoding::Binary,
            };
            self.inner.decrypt_column(v, enc)
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "<privshare.DeterministicCipher dataset={:?} field={:?} primary_id={}>",
            self.dataset,
            self.field,
            self.primary_id()
        )
    }
}

/// The calls every format-preserving cipher answers.
trait Fpe: Send + Sync {
    fn enc(&self, v: &str) -> privshare::Result<String>;
    fn dec(&self, v: &str) -> privshare::Result<String>;
    fn enc_col(&self, v: &privshare::Packed<'_>) -> privshare::Result<privshare::Column>;
    fn dec_col(&self, v: &privshare::Packed<'_>) -> privshare::Result<privshare::Column>;
}

macro_rules! impl_fpe {
    ($($t:ty),*) => {$(
        impl Fpe for $t {
            fn enc(&self, v: &str) -> privshare::Result<String> { self.encrypt(v) }
            fn dec(&self, v: &str) -> privshare::Result<String> { self.decrypt(v) }
            fn enc_col(&self, v: &privshare::Packed<'_>) -> privshare::Result<privshare::Column> { self.encrypt_column(v) }
            fn dec_col(&self, v: &privshare::Packed<'_>) -> privshare::Result<privshare::Column> { self.decrypt_column(v) }
        }
    )*};
}
impl_fpe!(Ff1Cipher, ResidentIdCipher, MobileCipher, BankCardCipher);

fn fpe_one(py: Python<'_>, c: &dyn Fpe, value: &Bound<'_, PyAny>, encrypt: bool) -> PyResult<String> {
    let v = str_of(value, "value")?;
    if encrypt { c.enc(&v) } else { c.dec(&v) }.py_err(py)
}

fn fpe_column<'py>(c: &dyn Fpe, values: &Bound<'py, PyAny>, encrypt: bool) -> PyResult<Bound<'py, PyAny>> {
    column::run(values, None, Out::Text, |v, _, _| if encrypt { c.enc_col(v) } else { c.dec_col(v) })
}

/// The `#[pymethods]` block of a format-preserving class: its own items plus the shared methods.
macro_rules! fpe_pymethods {
    ($ty:ident { $($own:tt)* }) => {
        #[pymethods]
        impl $ty {
        $($own)*
        /// The key version in use (format-preserving values carry no key id).
        #[getter]
        fn key_id(&self) -> KeyId {
            self.inner.key_id()
        }

        /// The dataset name the key is derived for.
        #[getter]
        fn dataset(&self) -> &str {
            &self.dataset
        }

        /// The field name the key is derived for.
        #[getter]
        fn field(&self) -> &str {
            &self.field
        }

        /// Encrypts one value (``str``, or UTF-8 ``bytes``) into a ``str`` of the same format.
        fn encrypt(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
            fpe_one(py, &self.inner, value, true)
        }

        /// Decrypts one value.
        fn decrypt(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
            fpe_one(py, &self.inner, value, false)
        }

        /// Encrypts a column (list or pyarrow array); runs without the GIL. An error names the
        /// ``row`` and, where it applies, the byte ``offset`` within the value.
        fn encrypt_column<'py>(&self, values: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
            fpe_column(&self.inner, values, true)
        }

        /// Decrypts a column (list or pyarrow array); runs without the GIL.
        fn decrypt_column<'py>(&self, values: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
            fpe_column(&self.inner, values, false)
        }
        }
    };
}

/// The digits ``0-9``.
pub const DIGITS: &str = "0123456789";
/// ``0-9A-Za-z``.
pub const ALPHANUMERIC: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn alphabet(py: Python<'_>, chars: &str) -> PyResult<Alphabet> {
    match chars {
        DIGITS => Ok(Alphabet::digits()),
        ALPHANUMERIC => Ok(Alphabet::alphanumeric()),
        _ => Alphabet::custom(chars).py_err(py),
    }
}

/// Format-preserving encryption (FF1 over AES or SM4) of values made of the characters of
/// ``alphabet`` (a string of distinct characters; ``privshare.DIGITS`` by default). The output has
/// the same length and alphabet. The domain (radix ** length) must be at least 1,000,000.
///
/// >>> import privshare
/// >>> ks = privshare.Keyset.generate("aes")
/// >>> c = privshare.Ff1Cipher(ks, "tax-2026", "account")
/// >>> out = c.encrypt("0123456789")
/// >>> len(out), out.isdigit(), c.decrypt(out)
/// (10, True, '0123456789')
/// >>> c.encrypt("01234x6789")
/// Traceback (most recent call last):
/// ...
/// privshare.OutsideAlphabet: ...
#[pyclass(frozen, module = "privshare", name = "Ff1Cipher")]
pub struct PyFf1 {
    inner: Ff1Cipher,
    dataset: String,
    field: String,
    alphabet: String,
}

fpe_pymethods!(PyFf1 {
#[new]
#[pyo3(signature = (keyset, dataset, field, alphabet = "0123456789", *, key_id = None))]
fn new(
    py: Python<'_>,
    keyset: &Bound<'_, PyKeyset>,
    dataset: &str,
    field: &str,
    alphabet: &str,
    key_id: Option<KeyId>,
) -> PyResult<Self> {
    let a = self::alphabet(py, alphabet)?;
    let inner = keyset
        .get()
        .with_read(py, |ks| match key_id {
            None => Ff1Cipher::new(ks, dataset, field, a),
            Some(id) => Ff1Cipher::with_version(ks, id, dataset, field, a),
        })
        .py_err(py)?;
    Ok(PyFf1 { inner, dataset: dataset.into(), field: field.into(), alphabet: alphabet.into() })
}

/// The characters values are made of.
#[getter]
fn alphabet(&self) -> &str {
    &self.alphabet
}

/// The number of characters in the alphabet (FF1's radix).
#[getter]
fn radix(&self) -> usize {
    self.alphabet.chars().count()
}


fn __repr__(&self) -> String {
    format!("<privshare.Ff1Cipher dataset={:?} field={:?} radix={} key_id={}>", self.dataset, self.field, self.radix(), self.key_id())
}});

/// A date as `(year, month, day)` from a `datetime.date` or a 3-tuple.
fn date_of(obj: &Bound<'_, PyAny>) -> PyResult<(u16, u8, u8)> {
    if let Ok(t) = obj.extract::<(u16, u8, u8)>() {
        return Ok(t);
    }
    let get = |n: &str| obj.getattr(n).and_then(|v| v.extract::<u16>());
    match (get("year"), get("month"), get("day")) {
        (Ok(y), Ok(m), Ok(d)) => Ok((y, m as u8, d as u8)),
        _ => Err(PyTypeError::new_err("a birth date must be a datetime.date or a (year, month, day) tuple")),
    }
}

/// Structure-aware format-preserving encryption of 18-character resident identity numbers
/// (GB 11643): the region code is kept, the birth date becomes another real date within
/// ``birth_dates`` (a ``(first, last)`` pair of ``datetime.date`` or ``(y, m, d)``; default
/// 1900-01-01 to 2099-12-31), the sequence keeps its sex parity and the check character is
/// recomputed, so the output is itself a valid number.
///
/// >>> import privshare
/// >>> ks = privshare.Keyset.generate("aes")
/// >>> c = privshare.ResidentIdCipher(ks, "census", "id_number")
/// >>> out = c.encrypt("11010519491231002X")
/// >>> out[:6], len(out), c.decrypt(out)
/// ('110105', 18, '11010519491231002X')
#[pyclass(frozen, module = "privshare", name = "ResidentIdCipher")]
pub struct PyResidentId {
    inner: ResidentIdCipher,
    dataset: String,
    field: String,
}

fpe_pymethods!(PyResidentId {
#[new]
#[pyo3(signature = (keyset, dataset, field, *, birth_dates = None, key_id = None))]
fn new(
    py: Python<'_>,
    keyset: &Bound<'_, PyKeyset>,
    dataset: &str,
    field: &str,
    birth_dates: Option<(Bound<'_, PyAny>, Bound<'_, PyAny>)>,
    key_id: Option<KeyId>,
) -> PyResult<Self> {
    let range = match birth_dates {
        None => DateRange::default(),
        Some((a, b)) => DateRange { start: date_of(&a)?, end: date_of(&b)? },
    };
    let inner = keyset
        .get()
        .with_read(py, |ks| match key_id {
            None => ResidentIdCipher::new(ks, dataset, field, range),
            Some(id) => ResidentIdCipher::with_version(ks, id, dataset, field, range),
        })
        .py_err(py)?;
    Ok(PyResidentId { inner, dataset: dataset.into(), field: field.into() })
}


fn __repr__(&self) -> String {
    format!("<privshare.ResidentIdCipher dataset={:?} field={:?} key_id={}>", self.dataset, self.field, self.key_id())
}});

/// Structure-aware format-preserving encryption of 11-digit mainland mobile numbers: the carrier
/// prefix is kept, the other 8 digits are encrypted.
///
/// >>> import privshare
/// >>> ks = privshare.Keyset.generate("sm")
/// >>> c = privshare.MobileCipher(ks, "census", "phone")
/// >>> out = c.encrypt("13812345678")
/// >>> out[:3], len(out), c.decrypt(out)
/// ('138', 11, '13812345678')
#[pyclass(frozen, module = "privshare", name = "MobileCipher")]
pub struct PyMobile {
    inner: MobileCipher,
    dataset: String,
    field: String,
}

fpe_pymethods!(PyMobile {
#[new]
#[pyo3(signature = (keyset, dataset, field, *, key_id = None))]
fn new(
    py: Python<'_>,
    keyset: &Bound<'_, PyKeyset>,
    dataset: &str,
    field: &str,
    key_id: Option<KeyId>,
) -> PyResult<Self> {
    let inner = keyset
        .get()
        .with_read(py, |ks| match key_id {
            None => MobileCipher::new(ks, dataset, field),
            Some(id) => MobileCipher::with_version(ks, id, dataset, field),
        })
        .py_err(py)?;
    Ok(PyMobile { inner, dataset: dataset.into(), field: field.into() })
}


fn __repr__(&self) -> String {
    format!("<privshare.MobileCipher dataset={:?} field={:?} key_id={}>", self.dataset, self.field, self.key_id())
}});

/// Structure-aware format-preserving encryption of bank card numbers (16 to 19 digits): the
/// 6-digit issuer prefix is kept and the Luhn check digit recomputed.
///
/// >>> import privshare
/// >>> ks = privshare.Keyset.generate("aes")
/// >>> c = privshare.BankCardCipher(ks, "census", "card")
/// >>> out = c.encrypt("6222020200112233446")
/// >>> out[:6], len(out), c.decrypt(out)
/// ('622202', 19, '6222020200112233446')
#[pyclass(frozen, module = "privshare", name = "BankCardCipher")]
pub struct PyBankCard {
    inner: BankCardCipher,
    dataset: String,
    field: String,
}

fpe_pymethods!(PyBankCard {
#[new]
#[pyo3(signature = (keyset, dataset, field, *, key_id = None))]
fn new(
    py: Python<'_>,
    keyset: &Bound<'_, PyKeyset>,
    dataset: &str,
    field: &str,
    key_id: Option<KeyId>,
) -> PyResult<Self> {
    let inner = keyset
        .get()
        .with_read(py, |ks| match key_id {
            None => BankCardCipher::new(ks, dataset, field),
            Some(id) => BankCardCipher::with_version(ks, id, dataset, field),
        })
        .py_err(py)?;
    Ok(PyBankCard { inner, dataset: dataset.into(), field: field.into() })
}


fn __repr__(&self) -> String {
    format!("<privshare.BankCardCipher dataset={:?} field={:?} key_id={}>", self.dataset, self.field, self.key_id())
}});

/// Keyed linkage tokens (HMAC-SHA-256 or HMAC-SM3) for one purpose: the same value gives the same
/// token in every dataset under the same key version and purpose; different purposes give
/// unlinkable tokens. One-way: there is no decrypt.
///
/// >>> import privshare
/// >>> ks = privshare.Keyset.generate("aes")
/// >>> t = privshare.Tokenizer(ks, "link-health-tax")
/// >>> t.token_text("110101199003074573") == t.token_text(b"110101199003074573")
/// True
/// >>> len(t.token("x"))
/// 32
#[pyclass(frozen, module = "privshare", name = "Tokenizer")]
pub struct PyTokenizer {
    inner: Tokenizer,
    purpose: String,
}

#[pymethods]
impl PyTokenizer {
    #[new]
    #[pyo3(signature = (keyset, purpose, *, key_id = None))]
    fn new(py: Python<'_>, keyset: &Bound<'_, PyKeyset>, purpose: &str, key_id: Option<KeyId>) -> PyResult<Self> {
        let inner = keyset
            .get()
            .with_read(py, |ks| match key_id {
                None => Tokenizer::new(ks, purpose),
                Some(id) => Tokenizer::with_version(ks, id, purpose),
            })
            .py_err(py)?;
        Ok(PyTokenizer { inner, purpose: purpose.into() })
    }

    /// The key version tokens are made under.
    #[getter]
    fn key_id(&self) -> KeyId {
        self.inner.key_id()
    }

    /// The purpose tokens are made for.
    #[getter]
    fn purpose(&self) -> &str {
        &self.purpose
    }

    /// The 32-byte token of one value (``str`` or ``bytes``).
    fn token<'py>(&self, py: Python<'py>, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
        let v = bytes_of(value, "value")?;
        Ok(PyBytes::new(py, &self.inner.token(&v).py_err(py)?))
    }

    /// The token of one value in text form (``str``).
    fn token_text(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
        let v = bytes_of(value, "value")?;
        self.inner.token_text(&v).py_err(py)
    }

    /// Text-form tokens of a column (list or pyarrow array); runs without the GIL.
    fn token_column<'py>(&self, values: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        column::run(values, None, Out::Text, |v, _, _| self.inner.token_column(v))
    }

    fn __repr__(&self) -> String {
        format!("<privshare.Tokenizer purpose={:?} key_id={}>", self.purpose, self.key_id())
    }
}
