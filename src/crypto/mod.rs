//! Mechanism 1 of the papers, body-data protection: NTRU (or another KEM) plus AES-GCM at the wearable or gateway,
//! per packet, per session or per batch; opening at the cloudlet.
//!
//! Its scenario table ([`raw`], [`validate`], [`config`]), the sealing costs charged during a run ([`sealing`]), the processors the work occupies ([`processor`]), the
//! real implementations used by `--real-crypto` and by the record store ([`real`]), the `crypto` section of
//! `summary.json` ([`output`]) and the `crypto-compare` analysis ([`compare`]). Figures and sources:
//! `docs/model.md`, "Cryptography"; the symmetric cipher profiles
//! compared in transit and at rest are in [`cipher`] (`docs/model.md` §14).

pub mod channel;
pub mod cipher;
pub mod compare;
pub mod config;
pub mod output;
pub mod processor;
pub mod raw;
pub mod real;
pub mod sealing;
pub mod validate;

pub use config::{CryptoAt, CryptoMode, CryptoSpec, SchemeKind, SchemeProfile};
pub use real::{open, seal, CryptoError, Kem, RealSizes, AEAD_NONCE_BYTES, AEAD_TAG_BYTES};
