//! The field ciphertext format (binary layout and text form); see docs/formats/field-ciphertext.md.
