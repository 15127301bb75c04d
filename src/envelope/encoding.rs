//! Key encodings: PKCS#8 and SubjectPublicKeyInfo (RFC 5208/5958, RFC 5280) in DER and PEM.
//!
//! Public keys have one canonical DER form per algorithm (fixed prefix + raw key; EC points
//! uncompressed), so that the key id, the SHA-256 of that form, is the same whoever computes it.

use pkcs8::der::Decode;
use zeroize::Zeroizing;

use crate::{Error, ErrorKind, Result};

/// The kinds of public key this module knows, by their SPKI algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SpkiKind {
    /// id-Ed25519 (RFC 8410), 32-byte key.
    Ed25519,
    /// id-X25519 (RFC 8410), 32-byte key.
    X25519,
    /// id-ecPublicKey on prime256v1 (RFC 5480), 65-byte uncompressed point.
    P256,
    /// id-ecPublicKey on the SM2 curve (GB/T 32918, OID 1.2.156.10197.1.301), 65-byte point.
    Sm2,
}

const OID_ED25519: &str = "1.3.101.112";
const OID_X25519: &str = "1.3.101.110";
const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_SM2: &str = "1.2.156.10197.1.301";

const PREFIX_ED25519: &[u8] = &[0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
const PREFIX_X25519: &[u8] = &[0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00];
const PREFIX_P256: &[u8] = &[
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
    0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];
const PREFIX_SM2: &[u8] = &[
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf,
    0x55, 0x01, 0x82, 0x2d, 0x03, 0x42, 0x00,
];
/// PKCS#8 v1 of an Ed25519 private key, up to the 32 seed bytes (RFC 8410 section 10.3).
const PKCS8_PREFIX_ED25519: &[u8] =
    &[0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
/// PKCS#8 v1 of an X25519 private key, up to the 32 key bytes (RFC 8410 section 10.3).
const PKCS8_PREFIX_X25519: &[u8] =
    &[0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20];

impl SpkiKind {
    fn prefix(self) -> &'static [u8] {
        match self {
            SpkiKind::Ed25519 => PREFIX_ED25519,
            SpkiKind::X25519 => PREFIX_X25519,
            SpkiKind::P256 => PREFIX_P256,
            SpkiKind::Sm2 => PREFIX_SM2,
        }
    }
}

fn bad_key(what: &str) -> Error {
    Error::new(ErrorKind::InvalidInput, format!("not a valid {what}"))
}

/// The canonical SubjectPublicKeyInfo DER of a raw public key.
pub(crate) fn spki_der(kind: SpkiKind, raw: &[u8]) -> Vec<u8> {
    let mut der = kind.prefix().to_vec();
    der.extend_from_slice(raw);
    der
}

/// The algorithm of an EC key, from its AlgorithmIdentifier parameters (a named curve).
fn ec_curve(params: Option<pkcs8::der::AnyRef<'_>>) -> Result<SpkiKind> {
    let oid: pkcs8::ObjectIdentifier =
        params.ok_or_else(|| bad_key("EC key (no named curve)"))?.decode_as().map_err(|_| bad_key("EC key"))?;
    match oid.to_string().as_str() {
        OID_P256 => Ok(SpkiKind::P256),
        OID_SM2 => Ok(SpkiKind::Sm2),
        _ => Err(Error::new(ErrorKind::UnsupportedAlgorithm, format!("unsupported elliptic curve {oid}"))),
    }
}

fn kind_of(oid: pkcs8::ObjectIdentifier, params: Option<pkcs8::der::AnyRef<'_>>) -> Result<SpkiKind> {
    match oid.to_string().as_str() {
        OID_ED25519 => Ok(SpkiKind::Ed25519),
        OID_X25519 => Ok(SpkiKind::X25519),
        OID_EC_PUBLIC_KEY => ec_curve(params),
        _ => Err(Error::new(ErrorKind::UnsupportedAlgorithm, format!("unsupported key algorithm {oid}"))),
    }
}

/// Parses a SubjectPublicKeyInfo: its kind and raw key (EC points uncompressed and on the curve).
pub(crate) fn parse_spki(der: &[u8]) -> Result<(SpkiKind, Vec<u8>)> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|_| bad_key("SubjectPublicKeyInfo (DER)"))?;
    let kind = kind_of(spki.algorithm.oid, spki.algorithm.parameters)?;
    let raw = spki.subject_public_key.as_bytes().ok_or_else(|| bad_key("public key bit string"))?;
    let raw = match kind {
        SpkiKind::Ed25519 | SpkiKind::X25519 => {
            if raw.len() != 32 || spki.algorithm.parameters.is_some() {
                return Err(bad_key("RFC 8410 public key"));
            }
            raw.to_vec()
        }
        SpkiKind::P256 => {
            let pk = p256::PublicKey::from_sec1_bytes(raw).map_err(|_| bad_key("P-256 point"))?;
            p256::elliptic_curve::sec1::ToSec1Point::to_sec1_point(&pk, false).as_bytes().to_vec()
        }
        SpkiKind::Sm2 => {
            let pk = sm2::PublicKey::from_sec1_bytes(raw).map_err(|_| bad_key("SM2 point"))?;
            sm2::elliptic_curve::sec1::ToSec1Point::to_sec1_point(&pk, false).as_bytes().to_vec()
        }
    };
    Ok((kind, raw))
}

/// The kind of key a PKCS#8 document holds (the document itself is parsed by the caller).
pub(crate) fn pkcs8_kind(der: &[u8]) -> Result<SpkiKind> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|_| bad_key("PKCS#8 private key (DER)"))?;
    kind_of(info.algorithm.oid, info.algorithm.parameters)
}

/// The 32-byte X25519 private key inside a PKCS#8 document (v1 or v2).
pub(crate) fn pkcs8_x25519(der: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|_| bad_key("PKCS#8 private key (DER)"))?;
    // The private key field holds a DER OCTET STRING of the 32 key bytes (CurvePrivateKey).
    let inner = info.private_key.as_bytes();
    match inner {
        [0x04, 0x20, key @ ..] if key.len() == 32 => {
            let mut out = Zeroizing::new([0u8; 32]);
            out.copy_from_slice(key);
            Ok(out)
        }
        _ => Err(bad_key("X25519 private key")),
    }
}

/// PKCS#8 v1 DER of a 32-byte RFC 8410 private key (X25519 key or Ed25519 seed). v1, not ring's
/// v2: OpenSSL 3.0 does not read ring's v2 documents.
pub(crate) fn rfc8410_pkcs8(kind: SpkiKind, key: &[u8; 32]) -> Zeroizing<Vec<u8>> {
    let prefix = if kind == SpkiKind::Ed25519 { PKCS8_PREFIX_ED25519 } else { PKCS8_PREFIX_X25519 };
    let mut der = Zeroizing::new(prefix.to_vec());
    der.extend_from_slice(key);
    der
}

/// DER from PEM with the expected label (`PRIVATE KEY` or `PUBLIC KEY`).
pub(crate) fn pem_to_der(pem: &str, label: &str) -> Result<Zeroizing<Vec<u8>>> {
    let (found, der) = pem_rfc7468::decode_vec(pem.trim().as_bytes())
        .map_err(|_| Error::new(ErrorKind::InvalidInput, format!("not a PEM \"{label}\" block")))?;
    let der = Zeroizing::new(der);
    if found != label {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("PEM label is \"{found}\", expected \"{label}\" (convert with `openssl pkey`)"),
        ));
    }
    Ok(der)
}

/// PEM of `der` under `label`, lines ending in LF.
pub(crate) fn der_to_pem(der: &[u8], label: &str) -> Zeroizing<String> {
    Zeroizing::new(
        pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
            .expect("PEM encoding of a short DER document cannot fail"),
    )
}

/// Re-encodes a PKCS#8 document the EC crates produced (kept for its exact bytes).
pub(crate) fn secret_document(doc: pkcs8::SecretDocument) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(doc.as_bytes().to_vec())
}
