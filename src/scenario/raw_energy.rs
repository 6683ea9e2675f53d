//! The `[energy]` and `[crypto]` tables of a scenario file, and the built-in radio, processor and scheme profiles.
//!
//! Sources of every built-in figure are in `docs/model.md` ("Energy" and "Cryptography"); the short form is in the
//! doc comment of each catalogue entry below.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `[energy]`: radio, processor, idle and battery figures.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawEnergy {
    /// Radio profile (by name) used on each link class.
    pub radio: RawRadioChoice,
    /// Radio profiles by name. Built in: `first_order`, `two_ray`, `nrf2401a`, `cc2420`, `ble_1m`, `ieee802154`,
    /// `wifi_g`, `none`; a table here with a built-in name replaces it, any other name adds one.
    pub radios: BTreeMap<String, RawRadio>,
    /// Processor energy per cycle, by node kind.
    pub processor: RawProcessor,
    /// Idle (sleep) power, by node kind.
    pub idle: RawIdle,
    /// Battery capacity, by node kind.
    pub battery: RawBattery,
}

/// `[energy.radio]`: which radio profile each link class uses (the sender pays transmission, the receiver
/// reception, per attempt).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawRadioChoice {
    /// Profile on wearable → gateway links.
    pub ban: String,
    /// Profile on gateway → cloudlet links.
    pub access: String,
    /// Profile on cloudlet ↔ cloudlet links (wired by default: `none`).
    pub mesh: String,
    /// Profile on cloudlet ↔ remote cloud links (wired by default: `none`).
    pub wan: String,
}

impl Default for RawRadioChoice {
    fn default() -> Self {
        RawRadioChoice { ban: "ble_1m".into(), access: "wifi_g".into(), mesh: "none".into(), wan: "none".into() }
    }
}

/// Path-loss form of a radio profile.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RadioModel {
    /// E_tx = k·(tx_elec + amp·dⁿ), E_rx = k·rx_elec.
    Power,
    /// E_tx = k·(tx_elec + ε_fs·d²) below d0 = sqrt(ε_fs/ε_mp), k·(tx_elec + ε_mp·d⁴) above; E_rx = k·rx_elec.
    TwoRay,
}

/// `[energy.radios.<name>]`: a radio energy profile (k bits sent over d metres).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawRadio {
    /// `power` or `two_ray`.
    pub model: RadioModel,
    /// Transmitter electronics energy, in nJ per bit (>= 0).
    pub tx_elec_nj_per_bit: f64,
    /// Receiver electronics energy, in nJ per bit (>= 0).
    pub rx_elec_nj_per_bit: f64,
    /// `power` model: amplifier energy, in nJ per bit per metre^n (>= 0).
    #[serde(default)]
    pub amp_nj_per_bit_per_m_n: f64,
    /// `power` model: path-loss exponent n (>= 0).
    #[serde(default)]
    pub path_loss_exponent: f64,
    /// `two_ray` model: free-space amplifier energy ε_fs, in pJ per bit per m² (> 0).
    #[serde(default)]
    pub fs_pj_per_bit_per_m2: f64,
    /// `two_ray` model: multipath amplifier energy ε_mp, in pJ per bit per m⁴ (> 0).
    #[serde(default)]
    pub mp_pj_per_bit_per_m4: f64,
}

/// `[energy.processor]`: energy per CPU cycle. Cryptographic cycle counts are Cortex-M4 figures; servers are
/// charged per M4-equivalent cycle.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawProcessor {
    /// Wearable processor energy, in nJ per cycle (nRF52840 at 64 MHz, 3.2 mA, 3 V with DC/DC: 0.15).
    pub wearable_nj_per_cycle: f64,
    /// BAN gateway processor energy, in nJ per cycle (an nRF52840-class hub by default).
    pub gateway_nj_per_cycle: f64,
    /// Cloudlet server energy, in nJ per M4-equivalent cycle (ours, illustrative: ~100 W / 32 cores / 3 GHz).
    pub cloudlet_nj_per_cycle: f64,
}

impl Default for RawProcessor {
    fn default() -> Self {
        RawProcessor { wearable_nj_per_cycle: 0.15, gateway_nj_per_cycle: 0.15, cloudlet_nj_per_cycle: 1.0 }
    }
}

/// `[energy.idle]`: power drawn all the time a node is alive, whatever it does.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawIdle {
    /// Wearable sleep power, in watts (ours, illustrative: 3 µA at 3 V, a BLE SoC sleeping with RTC on).
    pub wearable_w: f64,
    /// BAN gateway idle power, in watts (ours, illustrative: 10 mW, radios in low-power listen).
    pub gateway_w: f64,
    /// Cloudlet idle power, in watts (mains powered; 0 leaves it out of the totals).
    pub cloudlet_w: f64,
}

impl Default for RawIdle {
    fn default() -> Self {
        RawIdle { wearable_w: 9.0e-6, gateway_w: 0.01, cloudlet_w: 0.0 }
    }
}

/// `[energy.battery]`: capacities. A node whose battery is empty dies: it stops sampling and forwarding.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawBattery {
    /// Wearable battery, in joules (> 0; CR2032 coin cell, 225 mAh at 3.0 V = 2430 J).
    pub wearable_j: f64,
    /// BAN gateway battery, in joules (> 0; ours, illustrative: 3000 mAh at 3.85 V = 41,580 J).
    pub gateway_j: f64,
}

impl Default for RawBattery {
    fn default() -> Self {
        RawBattery { wearable_j: 2_430.0, gateway_j: 41_580.0 }
    }
}

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
    /// Custom schemes by name (a built-in name replaces the built-in profile).
    pub schemes: BTreeMap<String, RawScheme>,
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
            schemes: BTreeMap::new(),
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

/// `[crypto.schemes.<name>]`: a scheme profile. Cycle counts are Cortex-M4 cycles.
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

/// The built-in radio profiles (sources: docs/model.md, "Energy").
pub fn builtin_radios() -> BTreeMap<String, RawRadio> {
    let power = |tx: f64, rx: f64, amp: f64, n: f64| RawRadio {
        model: RadioModel::Power,
        tx_elec_nj_per_bit: tx,
        rx_elec_nj_per_bit: rx,
        amp_nj_per_bit_per_m_n: amp,
        path_loss_exponent: n,
        fs_pj_per_bit_per_m2: 0.0,
        mp_pj_per_bit_per_m4: 0.0,
    };
    BTreeMap::from([
        // Heinzelman, Chandrakasan, Balakrishnan (HICSS 2000): E_elec 50 nJ/bit, ε_amp 100 pJ/bit/m², d².
        ("first_order".to_string(), power(50.0, 50.0, 0.1, 2.0)),
        // Heinzelman et al. (IEEE TWC 2002): ε_fs 10 pJ/bit/m², ε_mp 0.0013 pJ/bit/m⁴.
        (
            "two_ray".to_string(),
            RawRadio {
                model: RadioModel::TwoRay,
                tx_elec_nj_per_bit: 50.0,
                rx_elec_nj_per_bit: 50.0,
                amp_nj_per_bit_per_m_n: 0.0,
                path_loss_exponent: 0.0,
                fs_pj_per_bit_per_m2: 10.0,
                mp_pj_per_bit_per_m4: 0.0013,
            },
        ),
        // Javaid et al. 2013 (unverified): nRF2401A 16.7 / 36.1 nJ/bit, E_amp 1.97 nJ/bit/mⁿ, on-body LOS n = 3.38.
        ("nrf2401a".to_string(), power(16.7, 36.1, 1.97, 3.38)),
        // Javaid et al. 2013 (unverified): CC2420 96.9 / 172.8 nJ/bit, E_amp 271.97 nJ/bit/mⁿ, n = 3.38.
        ("cc2420".to_string(), power(96.9, 172.8, 271.97, 3.38)),
        // nRF52840 PS, 3 V DC/DC: BLE 1 Mbps TX 6.40 mA, RX 6.26 mA → 19.2 / 18.8 nJ/bit.
        ("ble_1m".to_string(), power(19.2, 18.8, 0.0, 0.0)),
        // nRF52840 PS, 3 V DC/DC: IEEE 802.15.4 250 kbps TX 6.40 mA, RX 6.53 mA → 76.8 / 78.4 nJ/bit.
        ("ieee802154".to_string(), power(76.8, 78.4, 0.0, 0.0)),
        // ESP32 datasheet (Espressif), 3.3 V: 802.11g 54 Mbit/s TX at 16 dBm 190 mA, RX 100 mA → 11.6 / 6.1 nJ/bit
        // at the PHY rate; fixed transmit power, so no distance term (not in MODEL-NOTES; see docs/model.md).
        ("wifi_g".to_string(), power(11.6, 6.1, 0.0, 0.0)),
        // Wired or uncounted links.
        ("none".to_string(), power(0.0, 0.0, 0.0, 0.0)),
    ])
}

/// The built-in scheme profiles (sources: docs/model.md, "Cryptography").
pub fn builtin_schemes() -> BTreeMap<String, RawScheme> {
    let kem = |keygen: f64, enc: f64, dec: f64, pk: u64, ct: u64, sk: u64| RawScheme {
        kind: SchemeKind::Kem,
        keygen_cycles: keygen,
        encaps_cycles: enc,
        decaps_cycles: dec,
        public_key_bytes: pk,
        ciphertext_bytes: ct,
        secret_key_bytes: sk,
    };
    let plain = |kind| RawScheme {
        kind,
        keygen_cycles: 0.0,
        encaps_cycles: 0.0,
        decaps_cycles: 0.0,
        public_key_bytes: 0,
        ciphertext_bytes: 0,
        secret_key_bytes: 0,
    };
    BTreeMap::from([
        // pqm4 (commit 3743a665, Cortex-M4, m4f): keygen / encaps / decaps cycles; pk / ct / sk bytes.
        ("ntru-hps2048509".to_string(), kem(2_867_040.0, 565_341.0, 538_297.0, 699, 699, 935)),
        ("ntru-hps2048677".to_string(), kem(4_599_942.0, 811_676.0, 804_287.0, 930, 930, 1234)),
        ("ntru-hrss701".to_string(), kem(4_210_467.0, 368_351.0, 860_213.0, 1138, 1138, 1450)),
        ("ntru-hps4096821".to_string(), kem(6_067_154.0, 1_010_199.0, 1_013_226.0, 1230, 1230, 1590)),
        ("sntrup761".to_string(), kem(7_951_328.0, 683_652.0, 538_141.0, 1158, 1039, 1763)),
        // RSA-2048 OAEP key transport, mbed TLS on Cortex-M4 (unverified): public op ≈ 4.4 M cycles, private op
        // ≈ 165 M cycles; ciphertext 256 B; public key = modulus 256 B; secret key = PKCS#1 DER (1190-1194 B).
        ("rsa-2048".to_string(), kem(0.0, 4_400_000.0, 165_000_000.0, 256, 256, 1192)),
        // ECIES over X25519: sender makes an ephemeral key and a shared secret (2 scalar mults of 548,873 cycles),
        // receiver one; ciphertext = the 32-byte ephemeral public key.
        ("ecies-x25519".to_string(), kem(548_873.0, 1_097_746.0, 548_873.0, 32, 32, 32)),
        // ECIES over P-256 on nRF52840: keygen 327k + ECDH 906k cycles to send, ECDH 906k to receive; ciphertext
        // = uncompressed SEC1 point (65 B).
        ("ecies-p256".to_string(), kem(327_000.0, 1_233_000.0, 906_000.0, 65, 65, 32)),
        ("aes-128-gcm".to_string(), plain(SchemeKind::Symmetric)),
        ("none".to_string(), plain(SchemeKind::None)),
    ])
}
