//! Stored keysets: JSON in which every root key is wrapped by a key-encryption key.
//! (Filled in by the keyset-storage work; see docs/formats/keyset.md.)
