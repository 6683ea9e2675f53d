//! The `[crypto]` table of a scenario file and the built-in scheme profiles.
//!
//! Sources of every built-in figure are in `docs/model.md` ("Cryptography"); the short form is in the doc comment
//! of each catalogue entry below.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where samples are encrypted.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CryptoAt {
    /// On the wearable, before the BAN hop.
    Wearable,
    /// On the BAN gateway, before the access hop.
    Gateway,
}

/// When key encapsulation happens.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CryptoMode {
    /// A KEM encapsulation for every sample, then AEAD of the sample under the fresh key.
    PerPacket,
    /// A KEM at session start and every `rekey_s`; AEAD per sample under the session key.
    Session,
    /// The gateway collects samples for `batch_s` and encrypts them together (one KEM, one AEAD).
    Batch,
}

/// `[crypto]`: how body data is protected between the sender and its cloudlet (decryption is at the cloudlet).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawCrypto {
    /// Scheme name: `ntru-hps2048509`, `ntru-hps2048677`, `ntru-hrss701`, `ntru-hps4096821`, `sntrup761`,
    /// `rsa-2048`, `ecies-x25519`, `ecies-p256`, `aes-128-gcm`, `none`, or a name from `[crypto.schemes]`.
    pub scheme: String,
    /// Where samples are encrypted: `wearable` or `gateway`.
    pub at: CryptoAt,
    /// `per_packet`, `session` or `batch` (`batch` needs `at = "gateway"`).
    pub mode: CryptoMode,
    /// `session` mode: seconds between two key encapsulations (> 0).
    pub rekey_s: f64,
    /// `batch` mode: seconds the gateway collects samples before encrypting them together (> 0).
    pub batch_s: f64,
    /// Bytes of framing a gateway batch adds (sample count and lengths), in bytes.
    pub batch_header_bytes: u64,
    /// AEAD (AES-128-GCM) nonce bytes carried per message.
    pub aead_nonce_bytes: u64,
    /// AEAD authentication tag bytes carried per message.
    pub aead_tag_bytes: u64,
    /// AEAD cycles per byte of plaintext (AES-128-CTR on Cortex-M4: 33.6; GHASH not included).
    pub aead_cycles_per_byte: f64,
    /// AEAD fixed cycles per message (AES-128 key expansion 255 + two blocks of 645 for the tag).
    pub aead_cycles_per_message: f64,
    /// AEAD server (x86-64) cycles per byte of plaintext, for opening at the cloudlet (see docs/model.md,
    /// "Processors").
    pub aead_server_cycles_per_byte: f64,
    /// AEAD server (x86-64) fixed cycles per message (see docs/model.md, "Processors").
    pub aead_server_cycles_per_message: f64,
    /// Session AEAD cipher: `aes-128-gcm` (default; its figures are the `aead_*` keys above), `aes-256-gcm`,
    /// `chacha20-poly1305`, `3des-cbc-hmac` or `blowfish-cbc-hmac` (docs/model.md §14).
    #[serde(skip_serializing_if = "is_default_cipher")]
    pub aead: String,
    /// Custom schemes by name (a built-in name replaces the built-in profile).
    pub schemes: BTreeMap<String, RawScheme>,
    /// Overrides of the cipher profiles by name (`[crypto.ciphers.<name>]`), used by `crypto.aead` and
    /// `records.cipher`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub ciphers: BTreeMap<String, crate::crypto::cipher::raw::RawCipher>,
}

/// Whether `name` is the default cipher (left out of `scenario.resolved.toml`, which stays as before).
pub(crate) fn is_default_cipher(name: &str) -> bool {
    name == crate::crypto::cipher::DEFAULT_CIPHER
}

impl RawCrypto {
    /// Protects samples with `scheme`, in `mode`, encrypting `at` the wearable or the gateway (the three keys
    /// `crypto-compare` varies).
    pub fn set_protection(&mut self, scheme: &str, mode: CryptoMode, at: CryptoAt) {
        self.scheme = scheme.to_string();
        self.mode = mode;
        self.at = at;
    }
}

impl Default for RawCrypto {
    fn default() -> Self {
        RawCrypto {
            scheme: "ntru-hps2048509".into(),
            at: CryptoAt::Wearable,
            mode: CryptoMode::PerPacket,
            rekey_s: 3_600.0,
            batch_s: 1.0,
            batch_header_bytes: 4,
            aead_nonce_bytes: 12,
            aead_tag_bytes: 16,
            aead_cycles_per_byte: 33.6,
            aead_cycles_per_message: 1_545.0,
            aead_server_cycles_per_byte: AEAD_SERVER_CYCLES_PER_BYTE,
            aead_server_cycles_per_message: AEAD_SERVER_CYCLES_PER_MESSAGE,
            aead: crate::crypto::cipher::DEFAULT_CIPHER.to_string(),
            schemes: BTreeMap::new(),
            ciphers: BTreeMap::new(),
        }
    }
}

/// What a scheme's key-establishment step is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SchemeKind {
    /// A key-encapsulation (or key-transport) step precedes the AEAD.
    Kem,
    /// A pre-shared key: AEAD only.
    Symmetric,
    /// No protection at all.
    None,
}

/// `[crypto.schemes.<name>]`: a scheme profile. `*_cycles` are Cortex-M4 cycles (wearables, gateways);
/// `server_*_cycles` are x86-64 cycles (cloudlets), and default to the Cortex-M4 figure when left out.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawScheme {
    /// `kem`, `symmetric` or `none`.
    pub kind: SchemeKind,
    /// Key-pair generation, in cycles.
    #[serde(default)]
    pub keygen_cycles: f64,
    /// Encapsulation (sender side), in cycles.
    #[serde(default)]
    pub encaps_cycles: f64,
    /// Decapsulation (receiver side), in cycles.
    #[serde(default)]
    pub decaps_cycles: f64,
    /// Key-pair generation on a server (x86-64), in cycles (default: `keygen_cycles`).
    #[serde(default)]
    pub server_keygen_cycles: Option<f64>,
    /// Encapsulation on a server (x86-64), in cycles (default: `encaps_cycles`).
    #[serde(default)]
    pub server_encaps_cycles: Option<f64>,
    /// Decapsulation on a server (x86-64), in cycles (default: `decaps_cycles`).
    #[serde(default)]
    pub server_decaps_cycles: Option<f64>,
    /// Public key, in bytes.
    #[serde(default)]
    pub public_key_bytes: u64,
    /// Ciphertext (encapsulated key) carried with the data, in bytes.
    #[serde(default)]
    pub ciphertext_bytes: u64,
    /// Secret key, in bytes.
    #[serde(default)]
    pub secret_key_bytes: u64,
}

/// The built-in scheme profiles (sources: docs/model.md, "Cryptography" and "Processors").
pub fn builtin_schemes() -> BTreeMap<String, RawScheme> {
    // Cortex-M4 keygen / encaps / decaps cycles, server (x86-64) keygen / encaps / decaps cycles, pk / ct / sk bytes.
    let kem = |m4: [f64; 3], server: [f64; 3], pk: u64, ct: u64, sk: u64| RawScheme {
        kind: SchemeKind::Kem,
        keygen_cycles: m4[0],
        encaps_cycles: m4[1],
        decaps_cycles: m4[2],
        server_keygen_cycles: Some(server[0]),
        server_encaps_cycles: Some(server[1]),
        server_decaps_cycles: Some(server[2]),
        public_key_bytes: pk,
        ciphertext_bytes: ct,
        secret_key_bytes: sk,
    };
    let plain = |kind| RawScheme {
        kind,
        keygen_cycles: 0.0,
        encaps_cycles: 0.0,
        decaps_cycles: 0.0,
        server_keygen_cycles: None,
        server_encaps_cycles: None,
        server_decaps_cycles: None,
        public_key_bytes: 0,
        ciphertext_bytes: 0,
        secret_key_bytes: 0,
    };
    // Cortex-M4: pqm4 (commit 3743a665, m4f) for the lattice KEMs. Server: measured once by `cargo bench --bench
    // crypto` (PQClean AVX2 code through pqcrypto 0.5/0.1, RustCrypto rsa 0.9, x25519-dalek 2, p256 0.13) on the CPU
    // named in docs/model.md, "Processors" (SERVER_CLOCK_HZ), as its `server_cycles` section prints them.
    BTreeMap::from([
        ("ntru-hps2048509".to_string(), kem([2_867_040.0, 565_341.0, 538_297.0], SERVER[0], 699, 699, 935)),
        ("ntru-hps2048677".to_string(), kem([4_599_942.0, 811_676.0, 804_287.0], SERVER[1], 930, 930, 1234)),
        ("ntru-hrss701".to_string(), kem([4_210_467.0, 368_351.0, 860_213.0], SERVER[2], 1138, 1138, 1450)),
        ("ntru-hps4096821".to_string(), kem([6_067_154.0, 1_010_199.0, 1_013_226.0], SERVER[3], 1230, 1230, 1590)),
        ("sntrup761".to_string(), kem([7_951_328.0, 683_652.0, 538_141.0], SERVER[4], 1158, 1039, 1763)),
        // RSA-2048 OAEP key transport, mbed TLS on Cortex-M4 (unverified): public op ≈ 4.4 M cycles, private op
        // ≈ 165 M cycles; ciphertext 256 B; public key = modulus 256 B; secret key = PKCS#1 DER (1190-1194 B).
        ("rsa-2048".to_string(), kem([0.0, 4_400_000.0, 165_000_000.0], SERVER[5], 256, 256, 1192)),
        // ECIES over X25519: sender makes an ephemeral key and a shared secret (2 scalar mults of 548,873 cycles),
        // receiver one; ciphertext = the 32-byte ephemeral public key.
        ("ecies-x25519".to_string(), kem([548_873.0, 1_097_746.0, 548_873.0], SERVER[6], 32, 32, 32)),
        // ECIES over P-256 on nRF52840: keygen 327k + ECDH 906k cycles to send, ECDH 906k to receive; ciphertext
        // = uncompressed SEC1 point (65 B).
        ("ecies-p256".to_string(), kem([327_000.0, 1_233_000.0, 906_000.0], SERVER[7], 65, 65, 32)),
        ("aes-128-gcm".to_string(), plain(SchemeKind::Symmetric)),
        ("none".to_string(), plain(SchemeKind::None)),
    ])
}

/// Server (x86-64) keygen / encaps / decaps cycles of the built-in KEMs, in the order of [`builtin_schemes`]
/// (ntru-hps2048509, ntru-hps2048677, ntru-hrss701, ntru-hps4096821, sntrup761, rsa-2048, ecies-x25519,
/// ecies-p256): measured once by `cargo bench --bench crypto` at SERVER_CLOCK_HZ (docs/model.md, "Processors").
/// Each figure is the least of three runs on a shared two-core virtual machine (the others were up to 2× slower).
/// ECIES key generation draws the secret scalar only (the public key is derived when first used).
const SERVER: [[f64; 3]; 8] = [
    [148_873.0, 40_853.0, 40_699.0],
    [249_286.0, 56_161.0, 56_602.0],
    [232_669.0, 41_664.0, 52_766.0],
    [328_365.0, 66_381.0, 73_122.0],
    [937_515.0, 58_700.0, 44_868.0],
    [433_451_259.0, 643_933.0, 6_203_694.0],
    [1_078.0, 343_622.0, 205_448.0],
    [884.0, 1_096_720.0, 453_538.0],
];

/// The clock of the CPU the server cycles were measured on, Hz: the default cloudlet clock.
pub const SERVER_CLOCK_HZ: f64 = 2.0e9;
/// AES-128-GCM opening on that CPU, cycles per byte (`aes-gcm` 0.10 with AES-NI and PCLMULQDQ).
pub const AEAD_SERVER_CYCLES_PER_BYTE: f64 = 2.016;
/// AES-128-GCM opening on that CPU, fixed cycles per message.
pub const AEAD_SERVER_CYCLES_PER_MESSAGE: f64 = 535.0;

#[cfg(test)]
mod tests {
    use super::*;

    /// The default cipher profile carries the AEAD defaults of `[crypto]` (docs/model.md §14).
    #[test]
    fn the_default_cipher_profile_is_the_aead_defaults() {
        let p = crate::crypto::cipher::profile::builtin(crate::crypto::cipher::DEFAULT_CIPHER).unwrap();
        let d = RawCrypto::default();
        assert_eq!(
            (p.server_cycles_per_byte, p.server_cycles_per_message),
            (d.aead_server_cycles_per_byte, d.aead_server_cycles_per_message)
        );
        assert_eq!(
            (p.wearable_cycles_per_byte, p.wearable_cycles_per_message),
            (d.aead_cycles_per_byte, d.aead_cycles_per_message)
        );
        assert_eq!((p.nonce_bytes as u64, p.tag_bytes as u64), (d.aead_nonce_bytes, d.aead_tag_bytes));
    }

    /// The measured server cycles (docs/model.md §7.15) against independent published x86-64 figures: generic
    /// implementations may be slower than the best published code, by a factor of a few, and not much faster.
    #[test]
    fn server_cycles_agree_with_published_x86_figures() {
        let s = builtin_schemes();
        let server = |name: &str| {
            let p = &s[name];
            (p.server_encaps_cycles.unwrap(), p.server_decaps_cycles.unwrap())
        };
        // NTRU-HRSS-KEM with AVX2 [Hülsing et al., CHES 2017]: encaps 48 646, decaps 67 338 cycles. ntru-hrss701 is
        // its round-3 successor on the same ring: the same order, within a factor 1.5 either way.
        let (enc, dec) = server("ntru-hrss701");
        for (ours, published) in [(enc, 48_646.0), (dec, 67_338.0)] {
            let r = ours / published;
            assert!((1.0 / 1.5..=1.5).contains(&r), "ntru-hrss701 {ours} vs {published}: ratio {r}");
        }
        // One X25519 shared secret: lib25519 on Skylake 88 082 cycles [lib25519 speed]; generic Rust within 1-4×.
        let r = server("ecies-x25519").1 / 88_082.0;
        assert!((1.0..=4.0).contains(&r), "x25519 ratio {r}");
        // AES-128-GCM with AES-NI and PCLMULQDQ: 0.64 cycles/byte [Drucker, Gueron, Krasnov] for the best code; 2.8
        // on Westmere [Gopal et al. 2010]. A non-stitched implementation on a recent core lies between 1× and 5×
        // the best.
        let r = AEAD_SERVER_CYCLES_PER_BYTE / 0.64;
        assert!((1.0..=5.0).contains(&r), "AES-GCM ratio {r}");
        // Every lattice KEM opens at least 5× faster on the server than on the 64 MHz Cortex-M4 in cycles, as
        // AVX2 code does (pqm4 decaps vs ours: 538 297 / 40 699 = 13 for hps2048509).
        for name in ["ntru-hps2048509", "ntru-hps2048677", "ntru-hrss701", "ntru-hps4096821", "sntrup761"] {
            let p = &s[name];
            assert!(p.decaps_cycles / p.server_decaps_cycles.unwrap() > 5.0, "{name}");
        }
    }
}
