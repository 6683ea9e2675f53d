//! The validated protection of body data (see [`super::raw`] for the meaning of each key).

use crate::crypto::cipher::CipherProfile;
use crate::kernel::SimTime;

pub use super::raw::{CryptoAt, CryptoMode, SchemeKind};

/// A cryptographic scheme profile (Cortex-M4 and server cycles, bytes).
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeProfile {
    /// Scheme name.
    pub name: String,
    /// Key establishment kind.
    pub kind: SchemeKind,
    /// Key-pair generation cycles.
    pub keygen_cycles: f64,
    /// Encapsulation cycles (sender).
    pub encaps_cycles: f64,
    /// Decapsulation cycles (receiver).
    pub decaps_cycles: f64,
    /// Key-pair generation on a server (x86-64), cycles.
    pub server_keygen_cycles: f64,
    /// Encapsulation on a server (x86-64), cycles.
    pub server_encaps_cycles: f64,
    /// Decapsulation on a server (x86-64), cycles.
    pub server_decaps_cycles: f64,
    /// Public key bytes.
    pub public_key_bytes: u32,
    /// Encapsulated-key bytes carried with data.
    pub ciphertext_bytes: u32,
    /// Secret key bytes.
    pub secret_key_bytes: u32,
}

/// The validated protection of body data.
#[derive(Debug, Clone, PartialEq)]
pub struct CryptoSpec {
    /// The scheme.
    pub scheme: SchemeProfile,
    /// Where encryption runs.
    pub at: CryptoAt,
    /// When key encapsulation happens.
    pub mode: CryptoMode,
    /// Session mode: time between encapsulations.
    pub rekey: SimTime,
    /// Batch mode: gateway collection interval.
    pub batch: SimTime,
    /// Batch framing bytes.
    pub batch_header_bytes: u32,
    /// AEAD nonce bytes per message.
    pub aead_nonce_bytes: u32,
    /// AEAD tag bytes per message.
    pub aead_tag_bytes: u32,
    /// AEAD cycles per plaintext byte.
    pub aead_cycles_per_byte: f64,
    /// AEAD fixed cycles per message.
    pub aead_cycles_per_message: f64,
    /// AEAD server cycles per plaintext byte.
    pub aead_server_cycles_per_byte: f64,
    /// AEAD server fixed cycles per message.
    pub aead_server_cycles_per_message: f64,
    /// The session AEAD's cipher profile (`crypto.aead`; for AES-128-GCM the figures above).
    pub aead: CipherProfile,
    /// Whether a cipher other than the default, or overrides of it, were asked for (the summary then reports it).
    pub aead_explicit: bool,
}

impl CryptoSpec {
    /// Whether samples are encrypted at all.
    pub fn encrypts(&self) -> bool {
        self.scheme.kind != SchemeKind::None
    }
    /// Whether a key encapsulation is part of the scheme.
    pub fn has_kem(&self) -> bool {
        self.scheme.kind == SchemeKind::Kem
    }
    /// AEAD cycles to encrypt or decrypt one message of `bytes` plaintext bytes.
    pub fn aead_cycles(&self, bytes: u64) -> f64 {
        if self.encrypts() {
            self.aead.wearable_cycles(bytes)
        } else {
            0.0
        }
    }
    /// AEAD server (x86-64) cycles to decrypt one message of `bytes` plaintext bytes.
    pub fn aead_server_cycles(&self, bytes: u64) -> f64 {
        if self.encrypts() {
            self.aead.server_cycles(bytes)
        } else {
            0.0
        }
    }
    /// Bytes AEAD adds to one message of `bytes` plaintext bytes (nonce or IV, padding, tag).
    pub fn aead_overhead_bytes(&self, bytes: u64) -> u32 {
        if self.encrypts() {
            self.aead.overhead_bytes(bytes).min(u32::MAX as u64) as u32
        } else {
            0
        }
    }
}
