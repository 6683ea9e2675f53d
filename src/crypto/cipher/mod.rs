//! Symmetric cipher profiles compared, in transit (the session AEAD of `[crypto]`, `crypto.aead`) and at rest (the
//! record store's encryption, `records.cipher`): AES-128-GCM (the default, whose figures are the `crypto.aead_*`
//! and `records.aead_*` keys), AES-256-GCM, ChaCha20-Poly1305, and the 64-bit block ciphers 3DES and Blowfish in CBC
//! mode with HMAC-SHA-256 (encrypt-then-MAC, as RFC 7518 §5.2).
//!
//! [`profile`]: the validated profile (sizes on the wire, cycles on the wearable and server classes, the data a key
//! may protect) and the built-in catalogue with its sources; [`raw`]: the `[crypto.ciphers.<name>]` overrides;
//! [`validate`]: resolving a name; [`rekey`]: the birthday-bound (Sweet32) rekeying rule; [`real`]: real round trips
//! with RustCrypto; [`at_rest`]: the `crypto-compare` at-rest table and figure. Sources: `docs/model.md` §14.

pub mod at_rest;
pub mod profile;
pub mod raw;
pub mod real;
pub mod rekey;
pub mod validate;

pub use profile::{CipherProfile, Padding, CIPHER_NAMES, DEFAULT_CIPHER};
