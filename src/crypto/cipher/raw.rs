//! `[crypto.ciphers.<name>]`: overrides of a built-in cipher profile, used in transit (`crypto.aead`) and at rest
//! (`records.cipher`). Every key is optional: a key left out keeps the built-in figure (`docs/model.md` §14).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::profile::Padding;

/// `[crypto.ciphers.<name>]`, `<name>` one of `aes-128-gcm`, `aes-256-gcm`, `chacha20-poly1305`, `3des-cbc-hmac`,
/// `blowfish-cbc-hmac`. For `aes-128-gcm` the sizes and cycles are the `crypto.aead_*` keys (and `records.aead_*`
/// at rest), not these.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawCipher {
    /// Block size of the cipher, bits (> 0; 64 for 3DES and Blowfish).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_bits: Option<u64>,
    /// Key bytes (encryption key plus MAC key for the CBC profiles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_bytes: Option<u64>,
    /// Nonce or IV bytes carried per message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce_bytes: Option<u64>,
    /// Authentication tag bytes carried per message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_bytes: Option<u64>,
    /// `none` or `pkcs7` (pad to whole blocks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub padding: Option<Padding>,
    /// Wearable class (Cortex-M4) cycles per encrypted byte (>= 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wearable_cycles_per_byte: Option<f64>,
    /// Wearable class fixed cycles per message (>= 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wearable_cycles_per_message: Option<f64>,
    /// Wearable class cycles to set up a fresh key (>= 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wearable_key_setup_cycles: Option<f64>,
    /// Server class (x86-64) cycles per encrypted byte (>= 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_cycles_per_byte: Option<f64>,
    /// Server class fixed cycles per message (>= 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_cycles_per_message: Option<f64>,
    /// Server class cycles to set up a fresh key (>= 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_key_setup_cycles: Option<f64>,
    /// Bytes one key may encrypt before a rekey is forced, in bytes; 0 = no limit. Built-in: 8 MiB (2^20 blocks,
    /// NIST SP 800-67 Rev. 2) for the 64-bit block ciphers, none for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes_per_key: Option<u64>,
}

impl RawCipher {
    /// This table with every figure it leaves out taken from `p` (for `scenario.resolved.toml`, which writes out the
    /// built-in profile a scenario uses).
    pub fn filled(&self, p: &super::CipherProfile) -> RawCipher {
        RawCipher {
            block_bits: self.block_bits.or(Some(p.block_bits as u64)),
            key_bytes: self.key_bytes.or(Some(p.key_bytes as u64)),
            nonce_bytes: self.nonce_bytes.or(Some(p.nonce_bytes as u64)),
            tag_bytes: self.tag_bytes.or(Some(p.tag_bytes as u64)),
            padding: self.padding.or(Some(p.padding)),
            wearable_cycles_per_byte: self.wearable_cycles_per_byte.or(Some(p.wearable_cycles_per_byte)),
            wearable_cycles_per_message: self.wearable_cycles_per_message.or(Some(p.wearable_cycles_per_message)),
            wearable_key_setup_cycles: self.wearable_key_setup_cycles.or(Some(p.wearable_key_setup_cycles)),
            server_cycles_per_byte: self.server_cycles_per_byte.or(Some(p.server_cycles_per_byte)),
            server_cycles_per_message: self.server_cycles_per_message.or(Some(p.server_cycles_per_message)),
            server_key_setup_cycles: self.server_key_setup_cycles.or(Some(p.server_key_setup_cycles)),
            max_bytes_per_key: self.max_bytes_per_key.or(Some(p.max_bytes_per_key.unwrap_or(0))),
        }
    }
}
