//! The `crypto` section of `summary.json`: which protection ran, and the real round trips checked.

use serde::Serialize;

use super::config::CryptoMode;

/// `summary.json` → `crypto`.
#[derive(Debug, Clone, Serialize)]
pub struct CryptoInfo {
    /// Scheme name.
    pub scheme: String,
    /// `per_packet`, `session` or `batch`.
    pub mode: String,
    /// `wearable` or `gateway`.
    pub at: String,
    /// Whether real cryptography ran (`--real-crypto`).
    pub real: bool,
    /// Real mode: packets really decrypted and compared at cloudlets.
    pub real_checked: u64,
    /// Real mode: round trips that failed or did not match (must be 0).
    pub real_errors: u64,
    /// The processors the sealing and opening occupied: jobs, busy time, utilisation, waits.
    pub processor: super::processor::ProcessorSummary,
    /// The session AEAD's cipher and the rekeys its data limit forced (present when `crypto.aead` is not the
    /// default or `[crypto.ciphers.<it>]` is given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cipher: Option<CipherInfo>,
}

/// `summary.json` → `crypto.cipher`.
#[derive(Debug, Clone, Serialize)]
pub struct CipherInfo {
    /// Cipher name (`crypto.aead`).
    pub name: String,
    /// Block size, bits.
    pub block_bits: u32,
    /// Nonce or IV bytes per message.
    pub nonce_bytes: u32,
    /// Tag bytes per message.
    pub tag_bytes: u32,
    /// `none` or `pkcs7`.
    pub padding: &'static str,
    /// Bytes one key may encrypt before a rekey is forced (null: no limit).
    pub max_bytes_per_key: Option<u64>,
    /// Rekeys forced by that limit (each a fresh key of the scheme in use, charged like one).
    pub forced_rekeys: u64,
}

/// The `crypto.cipher` section, or `None` when the default AEAD runs as before.
pub fn cipher_info(state: &super::sealing::CryptoState) -> Option<CipherInfo> {
    let spec = &state.spec;
    spec.aead_explicit.then(|| CipherInfo {
        name: spec.aead.name.clone(),
        block_bits: spec.aead.block_bits,
        nonce_bytes: spec.aead.nonce_bytes,
        tag_bytes: spec.aead.tag_bytes,
        padding: match spec.aead.padding {
            super::cipher::Padding::None => "none",
            super::cipher::Padding::Pkcs7 => "pkcs7",
        },
        max_bytes_per_key: spec.aead.max_bytes_per_key,
        forced_rekeys: state.forced_rekeys,
    })
}

/// The scenario-file name of a crypto mode.
pub fn crypto_mode_name(m: CryptoMode) -> &'static str {
    match m {
        CryptoMode::PerPacket => "per_packet",
        CryptoMode::Session => "session",
        CryptoMode::Batch => "batch",
    }
}
