//! A symmetric cipher profile: what it adds on the wire, what it costs on each processor class, and how much data one
//! key may protect. The built-in catalogue and its sources (`docs/model.md` §14 has the table and the derivations).
//!
//! Cycles are charged on the *encrypted* length: the plaintext for the AEADs, the plaintext padded to whole blocks
//! for the CBC profiles (PKCS#7 always adds 1 to `block` bytes, so the ciphertext length is a closed form).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The default cipher, in transit and at rest: today's AES-128-GCM figures.
pub const DEFAULT_CIPHER: &str = "aes-128-gcm";

/// The built-in cipher names, in the order tables list them.
pub const CIPHER_NAMES: [&str; 5] =
    ["aes-128-gcm", "aes-256-gcm", "chacha20-poly1305", "3des-cbc-hmac", "blowfish-cbc-hmac"];

/// How the plaintext is padded before encryption.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Padding {
    /// A stream (or counter-mode) cipher: the ciphertext is as long as the plaintext.
    None,
    /// PKCS#7 (RFC 5652 §6.3): 1 to `block` bytes, so the padded length is ⌊b / block⌋·block + block.
    Pkcs7,
}

/// A validated cipher profile.
#[derive(Debug, Clone, PartialEq)]
pub struct CipherProfile {
    /// Name (one of [`CIPHER_NAMES`]).
    pub name: String,
    /// Block size of the underlying cipher, bits (ChaCha20: its 512-bit block).
    pub block_bits: u32,
    /// Key bytes (encryption key plus, for CBC with HMAC, the MAC key).
    pub key_bytes: u32,
    /// Nonce or IV bytes carried per message.
    pub nonce_bytes: u32,
    /// Authentication tag bytes carried per message.
    pub tag_bytes: u32,
    /// Padding rule.
    pub padding: Padding,
    /// Wearable class (Cortex-M4) cycles per encrypted byte.
    pub wearable_cycles_per_byte: f64,
    /// Wearable class fixed cycles per message.
    pub wearable_cycles_per_message: f64,
    /// Wearable class cycles to set up a fresh key (key schedule, HMAC pads).
    pub wearable_key_setup_cycles: f64,
    /// Server class (x86-64) cycles per encrypted byte.
    pub server_cycles_per_byte: f64,
    /// Server class fixed cycles per message.
    pub server_cycles_per_message: f64,
    /// Server class cycles to set up a fresh key.
    pub server_key_setup_cycles: f64,
    /// Bytes one key may encrypt before it must be replaced (the birthday bound of a 64-bit block), if limited.
    pub max_bytes_per_key: Option<u64>,
}

impl CipherProfile {
    /// Bytes actually encrypted for `plaintext` bytes (padded to whole blocks under PKCS#7).
    pub fn encrypted_bytes(&self, plaintext: u64) -> u64 {
        match self.padding {
            Padding::None => plaintext,
            Padding::Pkcs7 => {
                let block = (self.block_bits as u64 / 8).max(1);
                (plaintext / block + 1) * block
            }
        }
    }

    /// Bytes of the sealed message: nonce or IV ‖ (padded) ciphertext ‖ tag.
    pub fn ciphertext_bytes(&self, plaintext: u64) -> u64 {
        self.nonce_bytes as u64 + self.encrypted_bytes(plaintext) + self.tag_bytes as u64
    }

    /// Bytes sealing adds to `plaintext` bytes.
    pub fn overhead_bytes(&self, plaintext: u64) -> u64 {
        self.ciphertext_bytes(plaintext) - plaintext
    }

    /// Wearable class cycles to seal or open one message of `plaintext` bytes (key setup not included).
    pub fn wearable_cycles(&self, plaintext: u64) -> f64 {
        self.wearable_cycles_per_message + self.wearable_cycles_per_byte * self.encrypted_bytes(plaintext) as f64
    }

    /// Server class cycles to seal or open one message of `plaintext` bytes (key setup not included).
    pub fn server_cycles(&self, plaintext: u64) -> f64 {
        self.server_cycles_per_message + self.server_cycles_per_byte * self.encrypted_bytes(plaintext) as f64
    }
}

/// The built-in profile `name`, or `None` for a name that is not one of [`CIPHER_NAMES`].
///
/// Wearable class: Cortex-M4 cycles. Server class: reference cycles (wall time × 2.0 GHz) on the x86-64 machine of
/// `docs/model.md` §14, like the server cycles of §7.15. Every figure's source and derivation is in §14.
pub fn builtin(name: &str) -> Option<CipherProfile> {
    // (block bits, key, nonce, tag, padding, wearable [per byte, per message, key setup], server [...], limit)
    let p = |block, key, nonce, tag, padding, w: [f64; 3], s: [f64; 3], limit| CipherProfile {
        name: name.to_string(),
        block_bits: block,
        key_bytes: key,
        nonce_bytes: nonce,
        tag_bytes: tag,
        padding,
        wearable_cycles_per_byte: w[0],
        wearable_cycles_per_message: w[1],
        wearable_key_setup_cycles: w[2],
        server_cycles_per_byte: s[0],
        server_cycles_per_message: s[1],
        server_key_setup_cycles: s[2],
        max_bytes_per_key: limit,
    };
    Some(match name {
        // Schwabe & Stoffelen (SAC 2016): AES-128-CTR 33.6 cycles/byte on a Cortex-M4; 255 (key expansion) + 2 × 645
        // (two block encryptions: hash key and tag mask) per message; GHASH not included. Server: §7.15.
        "aes-128-gcm" => p(
            128,
            16,
            12,
            16,
            Padding::None,
            [33.6, 1_545.0, 0.0],
            // `crypto::raw::AEAD_SERVER_CYCLES_PER_*` (a test there checks they agree).
            [2.016, 535.0, 0.0],
            None,
        ),
        // Derived from the same source by the round count, 14 / 10: 47.04 cycles/byte; per message the key
        // expansion grows with the words it makes (60 / 44 × 255 = 348) and two blocks of 14 rounds (2 × 903).
        // Server: AES-128-GCM's figure scaled by AES-256 / AES-128 as measured on one machine (1.484 / 1.422 per
        // byte, 173 / 160 per message), so that the two AES rows share a basis.
        "aes-256-gcm" => p(128, 32, 12, 16, Padding::None, [47.04, 2_154.0, 0.0], [2.104, 578.0, 0.0], None),
        // wolfSSL 4.4.1 on an STM32WB55 (Cortex-M4, 64 MHz, no crypto hardware, -Os): ChaCha20-Poly1305 1.061 MB/s
        // and ChaCha20 1.581 MB/s on 1 KiB messages. Per message: one ChaCha20 block for the Poly1305 key,
        // 64 × 38.61 = 2 471; per byte: (58 911 − 2 471) / 1 024 = 55.12.
        "chacha20-poly1305" => p(512, 32, 12, 16, Padding::None, [55.12, 2_471.0, 0.0], [1.722, 2_485.0, 0.0], None),
        // 3DES (mbed TLS 3.6.0 on a Cortex-M33, software: 385.54 cycles/byte; no Cortex-M4 figure found) plus
        // HMAC-SHA-256 (wolfSSL on the STM32WB55: SHA-256 63.50 cycles/byte) over IV ‖ ciphertext ‖ AL; per message
        // two SHA-256 blocks (inner padding, outer hash) and the 16 bytes of IV and AL: 8 128 + 1 016; key setup the
        // HMAC pads (two blocks, 8 128). 192-bit key + 256-bit MAC key; 8-byte IV; tag truncated to 16 bytes.
        // Limit: 2^20 blocks per key (NIST SP 800-67 Rev. 2).
        "3des-cbc-hmac" => p(
            64,
            56,
            8,
            16,
            Padding::Pkcs7,
            [449.04, 9_144.0, 8_128.0],
            [141.4, 193.0, 706.0],
            Some(SP800_67_TDEA_BYTES_PER_KEY),
        ),
        // Blowfish (mbed TLS 2.26 on a Cortex-M33, software: 127.58 cycles/byte) plus HMAC-SHA-256 as above. Key
        // setup: Blowfish's schedule runs 521 block encryptions (Schneier 1993), 521 × 8 × 127.58 = 531 753, plus the
        // HMAC pads. 128-bit key + 256-bit MAC key. Limit: as 3DES (the same birthday bound; our choice).
        "blowfish-cbc-hmac" => p(
            64,
            48,
            8,
            16,
            Padding::Pkcs7,
            [191.08, 9_144.0, 539_881.0],
            [15.32, 582.0, 53_884.0],
            Some(SP800_67_TDEA_BYTES_PER_KEY),
        ),
        _ => return None,
    })
}

/// NIST SP 800-67 Rev. 2 (2017), §3.3.2: a TDEA key bundle shall encrypt at most 2^20 64-bit blocks: 8 MiB.
pub const SP800_67_TDEA_BYTES_PER_KEY: u64 = (1 << 20) * 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_lengths_are_the_closed_form() {
        let tdes = builtin("3des-cbc-hmac").unwrap();
        // PKCS#7 always pads: 0 → 8, 7 → 8, 8 → 16, 9 → 16.
        for (b, enc) in [(0, 8), (7, 8), (8, 16), (9, 16), (1024, 1032)] {
            assert_eq!(tdes.encrypted_bytes(b), enc, "{b}");
            assert_eq!(tdes.ciphertext_bytes(b), 8 + enc + 16, "{b}");
        }
        let gcm = builtin("aes-128-gcm").unwrap();
        assert_eq!(gcm.ciphertext_bytes(13), 13 + 12 + 16);
        assert_eq!(gcm.overhead_bytes(1000), 28);
    }

    #[test]
    fn cycles_by_hand() {
        // An 8-byte sample under 3DES-CBC-HMAC on the wearable: 9 144 + 449.04 × 16 (padded to two blocks).
        let tdes = builtin("3des-cbc-hmac").unwrap();
        assert!((tdes.wearable_cycles(8) - (9_144.0 + 449.04 * 16.0)).abs() < 1e-9);
        // The default profile is today's AES-128-GCM: 1 545 + 33.6 × b.
        let gcm = builtin("aes-128-gcm").unwrap();
        assert_eq!(gcm.wearable_cycles(8), 1_545.0 + 33.6 * 8.0);
        // 64-bit blocks and only they carry a data limit, the SP 800-67 figure of 8 MiB.
        for name in CIPHER_NAMES {
            let p = builtin(name).unwrap();
            assert_eq!(p.max_bytes_per_key.is_some(), p.block_bits == 64, "{name}");
        }
        assert_eq!(SP800_67_TDEA_BYTES_PER_KEY, 8 * 1024 * 1024);
        assert!(builtin("rot13").is_none());
    }
}
