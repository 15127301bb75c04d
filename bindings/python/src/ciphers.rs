//! The cipher classes. Every one holds the core's `dyn FieldCipher` in the common base class
//! `privshare.FieldCipher` (scheme, key version, what it binds); the subclasses only translate
//! their Python signatures (one class per scheme, so that each signature is exact for type
//! checkers: randomized binds a record, format-preserving ciphers map `str` to `str`, tokens are
//! one-way). Every rule about which scheme allows what is the core's.

use crate::column::{self, Out};
use crate::errors::{self, IntoPy};
use crate::keyset::PyKeyset;
use crate::values::{bytes_of, record_of, str_of};
use privshare::fle::{
    Alphabet, BankCardCipher, DateRange, DeterministicCipher, Encoding, Ff1Cipher, FieldCipher, MobileCipher, Padding,
    RandomizedCipher, ResidentIdCipher, Tokenizer,
};
use privshare::keys::DerivationContext;
use privshare::{ErrorKind, KeyId, Keyset, OnInvalid, Values};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use pyo3::{PyClass, PyClassInitializer};
use zeroize::Zeroizing;

fn encoding(py: Python<'_>, name: &str) -> PyResult<Encoding> {
    match name {
        "text" => Ok(Encoding::Text),
        "binary" => Ok(Encoding::Binary),
        _ => Err(errors::core(py, ErrorKind::InvalidArgument, "encoding must be \"text\" or \"binary\"")),
    }
}

/// The encoding of ciphertexts to decrypt: as given, or the text form for `str` input.
fn decrypt_encoding(py: Python<'_>, name: Option<&str>, input_is_text: bool) -> PyResult<Encoding> {
    match name {
        Some(n) => encoding(py, n),
        None if input_is_text => Ok(Encoding::Text),
        None => Ok(Encoding::Binary),
    }
}

/// The `on_invalid` argument of column methods (`None`: an error).
fn on_invalid(py: Python<'_>, name: Option<&str>) -> PyResult<OnInvalid> {
    name.map(OnInvalid::from_name).transpose().py_err(py).map(Option::unwrap_or_default)
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

/// An output of the core that is text by construction (text-form ciphertexts, tokens, FPE values).
fn text_out<'py>(py: Python<'py>, bytes: Vec<u8>, enc: Encoding) -> PyResult<Bound<'py, PyAny>> {
    match enc {
        Encoding::Binary => Ok(PyBytes::new(py, &bytes).into_any()),
        Encoding::Text => {
            let s =
                String::from_utf8(bytes).map_err(|_| errors::core(py, ErrorKind::Internal, "output is not text"))?;
            Ok(PyString::new(py, &s).into_any())
        }
    }
}

/// Builds a cipher from the keyset (keys derived with the GIL released) into the base class.
fn base(
    py: Python<'_>,
    keyset: &Bound<'_, PyKeyset>,
    build: impl FnOnce(&Keyset) -> privshare::Result<Box<dyn FieldCipher>> + Send,
) -> PyResult<PyClassInitializer<PyFieldCipher>> {
    let inner = keyset.get().with_read(py, build).py_err(py)?;
    Ok(PyClassInitializer::from(PyFieldCipher { inner }))
}

/// What every cipher has: its scheme, the key version it makes outputs under, and what it binds.
/// Not made directly: use one of the scheme classes.
///
/// >>> import privshare
/// >>> ks = privshare.Keyset.generate("aes")
/// >>> c = privshare.MobileCipher(ks, "census", "phone", key_id=ks.primary_id)
/// >>> isinstance(c, privshare.FieldCipher), c.scheme, c.binds_record, (c.dataset, c.field)
/// (True, 'mobile', False, ('census', 'phone'))
#[pyclass(subclass, frozen, module = "privshare", name = "FieldCipher")]
pub struct PyFieldCipher {
    inner: Box<dyn FieldCipher>,
}

impl PyFieldCipher {
    /// Runs a column call of the core and returns the output (or `(output, invalid rows)`).
    #[allow(clippy::too_many_arguments)] // the column call's parts, passed through
    fn column<'py>(
        &self,
        values: &Bound<'py, PyAny>,
        records: Option<&Bound<'py, PyAny>>,
        out: Out,
        encoding: Option<Encoding>,
        on_invalid: Option<&str>,
        return_invalid: bool,
        encrypt: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let choice = self::on_invalid(values.py(), on_invalid)?;
        let c = &*self.inner;
        column::run(values, records, out, choice == OnInvalid::Null, |v, r, text| {
            // Decryption without an explicit encoding reads `str` values as the text form.
            let enc = encoding.unwrap_or(if text { Encoding::Text } else { Encoding::Binary });
            let r = r.map(|r| r as &dyn Values);
            if encrypt {
                c.encrypt_column(v, r, enc, choice)
            } else {
                c.decrypt_column(v, r, enc, choice)
            }
        })?
        .into_py(return_invalid)
    }

    fn field_name(&self, dataset: bool) -> Option<&str> {
        match self.inner.binding().context {
            DerivationContext::Field { dataset: d, field: f } => Some(if dataset { d } else { f }),
            DerivationContext::Purpose(_) => None,
        }
    }
}

#[pymethods]
impl PyFieldCipher {
    /// The scheme: ``"randomized"``, ``"deterministic"``, ``"ff1"``, ``"resident_id"``,
    /// ``"mobile"``, ``"bank_card"`` or ``"token"``.
    #[getter]
    fn scheme(&self) -> &'static str {
        self.inner.scheme().name()
    }

    /// The key version outputs are made under (format-preserving outputs do not carry it:
    /// record it to decrypt).
    #[getter]
    fn key_id(&self) -> KeyId {
        self.inner.key_id()
    }

    /// True when values can be bound to a record id (the randomized scheme only).
    #[getter]
    fn binds_record(&self) -> bool {
        self.inner.binding().record
    }

    /// How new ciphertexts are padded: ``"none"``, ``"padme"`` or ``"block:N"`` (always
    /// ``"none"`` for format-preserving ciphers and tokens).
    #[getter]
    fn padding(&self) -> String {
        self.inner.padding().to_string()
    }

    /// The dataset the cipher is made for (``None`` for tokens).
    #[getter]
    fn dataset(&self) -> Option<&str> {
        self.field_name(true)
    }

    /// The field the cipher is made for (``None`` for tokens).
    #[getter]
    fn field(&self) -> Option<&str> {
        self.field_name(false)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let name = slf.get_type().name()?;
        let c = &slf.get().inner;
        let context = match c.binding().context {
            DerivationContext::Field { dataset, field } => format!("dataset={dataset:?} field={field:?}"),
            DerivationContext::Purpose(p) => format!("purpose={p:?}"),
        };
        Ok(format!("<privshare.{name} {context} key_id={}>", c.key_id()))
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
///
/// ``padding`` hides the value's exact length: ``"none"`` (the default), ``"padme"`` or
/// ``"block:N"`` (N from 2 to 4096); ciphertexts of any padding decrypt.
///
/// >>> p = privshare.RandomizedCipher(ks, "tax-2026", "note", padding="block:32")
/// >>> len(p.encrypt("", encoding="binary")) == len(p.encrypt("x" * 31, encoding="binary")), p.padding
/// (True, 'block:32')
#[pyclass(extends = PyFieldCipher, frozen, module = "privshare", name = "RandomizedCipher")]
pub struct PyRandomized;

#[pymethods]
impl PyRandomized {
    #[new]
    #[pyo3(signature = (keyset, dataset, field, *, padding = "none"))]
    fn new(
        py: Python<'_>,
        keyset: &Bound<'_, PyKeyset>,
        dataset: &str,
        field: &str,
        padding: &str,
    ) -> PyResult<PyClassInitializer<Self>> {
        let padding = Padding::parse(padding).py_err(py)?;
        let init = base(py, keyset, |ks| Ok(Box::new(RandomizedCipher::with_padding(ks, dataset, field, padding)?)))?;
        Ok(init.add_subclass(PyRandomized))
    }

    /// The key version new ciphertexts are made under (``key_id``).
    #[getter]
    fn primary_id(slf: &Bound<'_, Self>) -> KeyId {
        slf.as_super().get().inner.key_id()
    }

    /// Encrypts one value (``str`` as UTF-8, or ``bytes``). Returns the text form (``str``,
    /// ``ps1:...``) or, with ``encoding="binary"``, the binary layout (``bytes``).
    #[pyo3(signature = (plaintext, record = None, *, encoding = "text"))]
    fn encrypt<'py>(
        slf: &Bound<'py, Self>,
        plaintext: &Bound<'py, PyAny>,
        record: Option<&Bound<'py, PyAny>>,
        encoding: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let enc = self::encoding(py, encoding)?;
        let (pt, rec) = (bytes_of(plaintext, "plaintext")?, record_of(record)?);
        let ct = slf.as_super().get().inner.encrypt_value(rec.as_deref(), &pt, enc).py_err(py)?;
        text_out(py, ct, enc)
    }

    /// Decrypts one ciphertext made for the same dataset, field and record. The encoding is the
    /// text form for a ``str`` and the binary layout for ``bytes`` unless ``encoding`` says.
    /// Returns ``bytes``, or ``str`` with ``as_str=True``.
    #[pyo3(signature = (ciphertext, record = None, *, encoding = None, as_str = false))]
    fn decrypt<'py>(
        slf: &Bound<'py, Self>,
        ciphertext: &Bound<'py, PyAny>,
        record: Option<&Bound<'py, PyAny>>,
        encoding: Option<&str>,
        as_str: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let enc = decrypt_encoding(py, encoding, ciphertext.is_instance_of::<PyString>())?;
        let (ct, rec) = (bytes_of(ciphertext, "ciphertext")?, record_of(record)?);
        let pt = slf.as_super().get().inner.decrypt_value(rec.as_deref(), &ct, enc).py_err(py)?;
        plaintext_out(py, pt, as_str)
    }

    /// Encrypts a column: a list (or tuple, or iterable) of ``str``/``bytes``, or a pyarrow
    /// string/binary array; ``records``, if given, has one record id per value. Returns a list, or
    /// a pyarrow array for pyarrow input. Runs without the GIL. ``on_invalid`` and
    /// ``return_invalid`` as for ``decrypt_column``.
    #[pyo3(signature = (values, records = None, *, encoding = "text", on_invalid = None, return_invalid = false))]
    fn encrypt_column<'py>(
        slf: &Bound<'py, Self>,
        values: &Bound<'py, PyAny>,
        records: Option<&Bound<'py, PyAny>>,
        encoding: &str,
        on_invalid: Option<&str>,
        return_invalid: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let enc = self::encoding(values.py(), encoding)?;
        let out = if enc == Encoding::Text { Out::Text } else { Out::Bytes };
        slf.as_super().get().column(values, records, out, Some(enc), on_invalid, return_invalid, true)
    }

    /// Decrypts a column (see ``encrypt_column``). ``encoding`` defaults to the text form for
    /// ``str`` values / Arrow string arrays and the binary layout otherwise. A ciphertext that
    /// does not decrypt raises, naming its ``row``, unless ``on_invalid`` is ``"null"`` (``None``
    /// in its place; a null in a pyarrow array) or ``"keep_marked"`` (the ciphertext kept).
    /// ``return_invalid=True`` returns ``(values, invalid_rows)``.
    #[pyo3(signature = (ciphertexts, records = None, *, encoding = None, as_str = false, on_invalid = None, return_invalid = false))]
    #[allow(clippy::too_many_arguments)] // the keyword arguments of the Python method
    fn decrypt_column<'py>(
        slf: &Bound<'py, Self>,
        ciphertexts: &Bound<'py, PyAny>,
        records: Option<&Bound<'py, PyAny>>,
        encoding: Option<&str>,
        as_str: bool,
        on_invalid: Option<&str>,
        return_invalid: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let enc = encoding.map(|e| self::encoding(ciphertexts.py(), e)).transpose()?;
        let out = if as_str { Out::Str } else { Out::Bytes };
        slf.as_super().get().column(ciphertexts, records, out, enc, on_invalid, return_invalid, false)
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
#[pyclass(extends = PyFieldCipher, frozen, module = "privshare", name = "DeterministicCipher")]
pub struct PyDeterministic;

#[pymethods]
impl PyDeterministic {
    #[new]
    #[pyo3(signature = (keyset, dataset, field, *, padding = "none"))]
    fn new(
        py: Python<'_>,
        keyset: &Bound<'_, PyKeyset>,
        dataset: &str,
        field: &str,
        padding: &str,
    ) -> PyResult<PyClassInitializer<Self>> {
        let padding = Padding::parse(padding).py_err(py)?;
        let init =
            base(py, keyset, |ks| Ok(Box::new(DeterministicCipher::with_padding(ks, dataset, field, padding)?)))?;
        Ok(init.add_subclass(PyDeterministic))
    }

    /// The key version new ciphertexts are made under (``key_id``).
    #[getter]
    fn primary_id(slf: &Bound<'_, Self>) -> KeyId {
        slf.as_super().get().inner.key_id()
    }

    /// Encrypts one value; text form (``str``) or, with ``encoding="binary"``, ``bytes``.
    #[pyo3(signature = (plaintext, *, encoding = "text"))]
    fn encrypt<'py>(
        slf: &Bound<'py, Self>,
        plaintext: &Bound<'py, PyAny>,
        encoding: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let enc = self::encoding(py, encoding)?;
        let ct = slf.as_super().get().inner.encrypt_value(None, &bytes_of(plaintext, "plaintext")?, enc).py_err(py)?;
        text_out(py, ct, enc)
    }

    /// Decrypts one ciphertext (text form for ``str``, binary for ``bytes``, unless ``encoding``).
    #[pyo3(signature = (ciphertext, *, encoding = None, as_str = false))]
    fn decrypt<'py>(
        slf: &Bound<'py, Self>,
        ciphertext: &Bound<'py, PyAny>,
        encoding: Option<&str>,
        as_str: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let enc = decrypt_encoding(py, encoding, ciphertext.is_instance_of::<PyString>())?;
        let pt =
            slf.as_super().get().inner.decrypt_value(None, &bytes_of(ciphertext, "ciphertext")?, enc).py_err(py)?;
        plaintext_out(py, pt, as_str)
    }

    /// Encrypts a column (list or pyarrow array); runs without the GIL.
    #[pyo3(signature = (values, *, encoding = "text", on_invalid = None, return_invalid = false))]
    fn encrypt_column<'py>(
        slf: &Bound<'py, Self>,
        values: &Bound<'py, PyAny>,
        encoding: &str,
        on_invalid: Option<&str>,
        return_invalid: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let enc = self::encoding(values.py(), encoding)?;
        let out = if enc == Encoding::Text { Out::Text } else { Out::Bytes };
        slf.as_super().get().column(values, None, out, Some(enc), on_invalid, return_invalid, true)
    }

    /// Decrypts a column (list or pyarrow array); runs without the GIL. ``on_invalid`` and
    /// ``return_invalid`` as for ``RandomizedCipher.decrypt_column``.
    #[pyo3(signature = (ciphertexts, *, encoding = None, as_str = false, on_invalid = None, return_invalid = false))]
    fn decrypt_column<'py>(
        slf: &Bound<'py, Self>,
        ciphertexts: &Bound<'py, PyAny>,
        encoding: Option<&str>,
        as_str: bool,
        on_invalid: Option<&str>,
        return_invalid: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let enc = encoding.map(|e| self::encoding(ciphertexts.py(), e)).transpose()?;
        let out = if as_str { Out::Str } else { Out::Bytes };
        slf.as_super().get().column(ciphertexts, None, out, enc, on_invalid, return_invalid, false)
    }
}

/// What every format-preserving cipher does: ``str`` in, ``str`` of the same format out, under the
/// key version it was made for (``key_id``, required, because the output does not carry it:
/// another version or configuration decrypts to a wrong but valid value, not an error).
#[pyclass(extends = PyFieldCipher, subclass, frozen, module = "privshare", name = "FormatPreservingCipher")]
pub struct PyFpe;

#[pymethods]
impl PyFpe {
    /// Encrypts one value (``str``, or UTF-8 ``bytes``) into a ``str`` of the same format.
    fn encrypt(slf: &Bound<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<String> {
        Self::one(slf, value, true)
    }

    /// Decrypts one value.
    fn decrypt(slf: &Bound<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<String> {
        Self::one(slf, value, false)
    }

    /// Encrypts a column (list or pyarrow array); runs without the GIL. A value that cannot be
    /// encrypted raises, naming the ``row`` and where it applies the byte ``offset``, unless
    /// ``on_invalid`` is ``"null"`` (``None`` in its place; a null in a pyarrow array) or
    /// ``"keep_marked"`` (the value kept as it was: to find bad data, not for release).
    /// ``return_invalid=True`` returns ``(values, invalid_rows)``.
    #[pyo3(signature = (values, *, on_invalid = None, return_invalid = false))]
    fn encrypt_column<'py>(
        slf: &Bound<'py, Self>,
        values: &Bound<'py, PyAny>,
        on_invalid: Option<&str>,
        return_invalid: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        slf.as_super().get().column(values, None, Out::Text, Some(Encoding::Text), on_invalid, return_invalid, true)
    }

    /// Decrypts a column (list or pyarrow array); runs without the GIL; ``on_invalid`` and
    /// ``return_invalid`` as for ``encrypt_column``.
    #[pyo3(signature = (values, *, on_invalid = None, return_invalid = false))]
    fn decrypt_column<'py>(
        slf: &Bound<'py, Self>,
        values: &Bound<'py, PyAny>,
        on_invalid: Option<&str>,
        return_invalid: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        slf.as_super().get().column(values, None, Out::Text, Some(Encoding::Text), on_invalid, return_invalid, false)
    }
}

impl PyFpe {
    fn one(slf: &Bound<'_, Self>, value: &Bound<'_, PyAny>, encrypt: bool) -> PyResult<String> {
        let py = slf.py();
        let v = str_of(value, "value")?;
        let c = &slf.as_super().get().inner;
        let out = if encrypt {
            c.encrypt_value(None, v.as_bytes(), Encoding::Text)
        } else {
            c.decrypt_value(None, v.as_bytes(), Encoding::Text)
        };
        String::from_utf8(out.py_err(py)?).map_err(|_| errors::core(py, ErrorKind::Internal, "output is not text"))
    }

    /// A format-preserving cipher built from the keyset, as the subclass `sub`.
    fn init<T: PyClass<BaseType = PyFpe>>(
        py: Python<'_>,
        keyset: &Bound<'_, PyKeyset>,
        sub: T,
        build: impl FnOnce(&Keyset) -> privshare::Result<Box<dyn FieldCipher>> + Send,
    ) -> PyResult<PyClassInitializer<T>> {
        Ok(base(py, keyset, build)?.add_subclass(PyFpe).add_subclass(sub))
    }
}

/// Format-preserving encryption (FF1 over AES or SM4) of values made of the characters of
/// ``alphabet`` (a string of distinct characters; ``privshare.DIGITS`` by default). The output has
/// the same length and alphabet. The domain (radix ** length) must be at least 1,000,000.
/// ``key_id`` is required: format-preserving values carry no key id, so the version must be
/// recorded and given again to decrypt (another version gives a wrong but valid value, no error).
///
/// >>> import privshare
/// >>> ks = privshare.Keyset.generate("aes")
/// >>> v = ks.primary_id  # record it: decryption needs the same version
/// >>> c = privshare.Ff1Cipher(ks, "tax-2026", "account", key_id=v)
/// >>> out = c.encrypt("0123456789")
/// >>> len(out), out.isdigit(), c.decrypt(out)
/// (10, True, '0123456789')
/// >>> c.encrypt("01234x6789")
/// Traceback (most recent call last):
/// ...
/// privshare.OutsideAlphabet: ...
#[pyclass(extends = PyFpe, frozen, module = "privshare", name = "Ff1Cipher")]
pub struct PyFf1 {
    alphabet: String,
}

#[pymethods]
impl PyFf1 {
    #[new]
    #[pyo3(signature = (keyset, dataset, field, alphabet = "0123456789", *, key_id))]
    fn new(
        py: Python<'_>,
        keyset: &Bound<'_, PyKeyset>,
        dataset: &str,
        field: &str,
        alphabet: &str,
        key_id: KeyId,
    ) -> PyResult<PyClassInitializer<Self>> {
        let a = Alphabet::custom(alphabet).py_err(py)?;
        PyFpe::init(py, keyset, PyFf1 { alphabet: alphabet.into() }, |ks| {
            Ok(Box::new(Ff1Cipher::new(ks, key_id, dataset, field, a)?))
        })
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

    fn __repr__(slf: &Bound<'_, Self>) -> String {
        let c = &slf.as_super().as_super().get().inner;
        let b = c.binding().context;
        format!("<privshare.Ff1Cipher {b:?} radix={} key_id={}>", slf.get().radix(), c.key_id())
    }
}

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
/// ``birth_dates`` (a ``(first, last)`` pair of ``datetime.date`` or ``(y, m, d)``; required,
/// recorded with ``key_id``: another range decrypts to a wrong but valid ID; end it at the latest
/// real birth date, or encrypted IDs get future birth dates), the sequence keeps its sex parity and
/// the check character is recomputed, so the output is itself a valid number.
///
/// >>> import privshare
/// >>> ks = privshare.Keyset.generate("aes")
/// >>> births = ((1900, 1, 1), (2025, 12, 31))
/// >>> c = privshare.ResidentIdCipher(ks, "census", "id_number", key_id=ks.primary_id, birth_dates=births)
/// >>> out = c.encrypt("11010519491231002X")
/// >>> out[:6], len(out), c.decrypt(out)
/// ('110105', 18, '11010519491231002X')
#[pyclass(extends = PyFpe, frozen, module = "privshare", name = "ResidentIdCipher")]
pub struct PyResidentId;

#[pymethods]
impl PyResidentId {
    #[new]
    #[pyo3(signature = (keyset, dataset, field, *, key_id, birth_dates))]
    fn new(
        py: Python<'_>,
        keyset: &Bound<'_, PyKeyset>,
        dataset: &str,
        field: &str,
        key_id: KeyId,
        birth_dates: (Bound<'_, PyAny>, Bound<'_, PyAny>),
    ) -> PyResult<PyClassInitializer<Self>> {
        let range = DateRange { start: date_of(&birth_dates.0)?, end: date_of(&birth_dates.1)? };
        PyFpe::init(py, keyset, PyResidentId, |ks| {
            Ok(Box::new(ResidentIdCipher::new(ks, key_id, dataset, field, range)?))
        })
    }
}

/// Structure-aware format-preserving encryption of 11-digit mainland mobile numbers: the carrier
/// prefix is kept, the other 8 digits are encrypted.
///
/// >>> import privshare
/// >>> ks = privshare.Keyset.generate("sm")
/// >>> c = privshare.MobileCipher(ks, "census", "phone", key_id=ks.primary_id)
/// >>> out = c.encrypt("13812345678")
/// >>> out[:3], len(out), c.decrypt(out)
/// ('138', 11, '13812345678')
#[pyclass(extends = PyFpe, frozen, module = "privshare", name = "MobileCipher")]
pub struct PyMobile;

#[pymethods]
impl PyMobile {
    #[new]
    #[pyo3(signature = (keyset, dataset, field, *, key_id))]
    fn new(
        py: Python<'_>,
        keyset: &Bound<'_, PyKeyset>,
        dataset: &str,
        field: &str,
        key_id: KeyId,
    ) -> PyResult<PyClassInitializer<Self>> {
        PyFpe::init(py, keyset, PyMobile, |ks| Ok(Box::new(MobileCipher::new(ks, key_id, dataset, field)?)))
    }
}

/// Structure-aware format-preserving encryption of bank card numbers (16 to 19 digits): the
/// 6-digit issuer prefix is kept and the Luhn check digit recomputed.
///
/// >>> import privshare
/// >>> ks = privshare.Keyset.generate("aes")
/// >>> c = privshare.BankCardCipher(ks, "census", "card", key_id=ks.primary_id)
/// >>> out = c.encrypt("6222020200112233446")
/// >>> out[:6], len(out), c.decrypt(out)
/// ('622202', 19, '6222020200112233446')
#[pyclass(extends = PyFpe, frozen, module = "privshare", name = "BankCardCipher")]
pub struct PyBankCard;

#[pymethods]
impl PyBankCard {
    #[new]
    #[pyo3(signature = (keyset, dataset, field, *, key_id))]
    fn new(
        py: Python<'_>,
        keyset: &Bound<'_, PyKeyset>,
        dataset: &str,
        field: &str,
        key_id: KeyId,
    ) -> PyResult<PyClassInitializer<Self>> {
        PyFpe::init(py, keyset, PyBankCard, |ks| Ok(Box::new(BankCardCipher::new(ks, key_id, dataset, field)?)))
    }
}

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
#[pyclass(extends = PyFieldCipher, frozen, module = "privshare", name = "Tokenizer")]
pub struct PyTokenizer {
    purpose: String,
}

#[pymethods]
impl PyTokenizer {
    #[new]
    #[pyo3(signature = (keyset, purpose, *, key_id = None))]
    fn new(
        py: Python<'_>,
        keyset: &Bound<'_, PyKeyset>,
        purpose: &str,
        key_id: Option<KeyId>,
    ) -> PyResult<PyClassInitializer<Self>> {
        // The text form names the version, so tokens may default to the primary.
        let init = base(py, keyset, |ks| {
            Ok(Box::new(Tokenizer::with_version(ks, key_id.unwrap_or(ks.primary_id()), purpose)?))
        })?;
        Ok(init.add_subclass(PyTokenizer { purpose: purpose.into() }))
    }

    /// The purpose tokens are made for.
    #[getter]
    fn purpose(&self) -> &str {
        &self.purpose
    }

    /// The 32-byte token of one value (``str`` or ``bytes``).
    fn token<'py>(slf: &Bound<'py, Self>, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let t =
            slf.as_super().get().inner.encrypt_value(None, &bytes_of(value, "value")?, Encoding::Binary).py_err(py)?;
        text_out(py, t, Encoding::Binary)
    }

    /// The token of one value in text form (``str``).
    fn token_text<'py>(slf: &Bound<'py, Self>, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let t =
            slf.as_super().get().inner.encrypt_value(None, &bytes_of(value, "value")?, Encoding::Text).py_err(py)?;
        text_out(py, t, Encoding::Text)
    }

    /// Tokens of a column (list or pyarrow array): text form, or 32 bytes each with
    /// ``encoding="binary"``; runs without the GIL. An empty value raises (naming its ``row``)
    /// unless ``on_invalid`` is ``"null"`` or ``"keep_marked"``; ``return_invalid=True`` returns
    /// ``(tokens, invalid_rows)``.
    #[pyo3(signature = (values, *, encoding = "text", on_invalid = None, return_invalid = false))]
    fn token_column<'py>(
        slf: &Bound<'py, Self>,
        values: &Bound<'py, PyAny>,
        encoding: &str,
        on_invalid: Option<&str>,
        return_invalid: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let enc = self::encoding(values.py(), encoding)?;
        let out = if enc == Encoding::Text { Out::Text } else { Out::Bytes };
        slf.as_super().get().column(values, None, out, Some(enc), on_invalid, return_invalid, true)
    }
}
