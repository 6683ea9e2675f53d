//! The `[signatures]` table (off by default) and the built-in signature profiles.
//!
//! Sources of every built-in figure are in `docs/model.md`, section 15 ("Signatures for non-repudiation"); the short
//! form is in the doc comment of each catalogue entry in [`builtin_profiles`].

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `[signatures]`: digital signatures for non-repudiation. Doctors sign prescriptions and record updates (and every
/// record is signed when it is created); patients may sign their uploads where they are sealed (`crypto.at`), after
/// sealing; receivers verify: the patient a prescription, the reader of a record (a doctor, or an audit) the
/// record's signature, the cloudlet an upload.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawSignatures {
    /// Turn signatures on.
    pub enabled: bool,
    /// Signature scheme: `ecdsa-p256`, `ed25519`, or a name from `[signatures.profiles]`.
    pub scheme: String,
    /// Doctors sign their prescriptions; the patient's gateway verifies each on delivery (needs `care.enabled`).
    pub prescriptions: bool,
    /// Doctors sign their record updates (and each record is signed when created); every read of a record by a
    /// doctor, and every integrity audit, verifies it (needs `records.enabled`).
    pub record_updates: bool,
    /// Patients sign every upload where it is sealed (`crypto.at`: the wearable or the gateway), after sealing; the
    /// cloudlet verifies it on arrival. Not with `crypto.mode = "batch"`.
    pub uploads: bool,
    /// Integrity audits (`records.audit_interval_s`) verify every record's signature at the remote cloud.
    pub verify_at_audits: bool,
    /// Clock of a doctor's device, in Hz (> 0): an x86-64 workstation that runs the profiles' `server_*` cycle
    /// counts (ours: the 2.0 GHz reference clock of the server figures, docs/model.md §7.15).
    pub doctor_clock_hz: f64,
    /// Energy of a doctor's device, in nJ per server cycle (>= 0; ours: as `energy.processor.cloudlet_nj_per_cycle`).
    pub doctor_nj_per_cycle: f64,
    /// Bytes of a prescription as signed (>= 1; ours, illustrative). Sizes do not change the cycle counts, which are
    /// per signature of a short message.
    pub prescription_bytes: u64,
    /// Signature profiles by name; a built-in name takes the built-in figures for the keys left out.
    pub profiles: BTreeMap<String, RawSignatureProfile>,
}

impl Default for RawSignatures {
    fn default() -> Self {
        RawSignatures {
            enabled: false,
            scheme: "ed25519".into(),
            prescriptions: true,
            record_updates: true,
            uploads: false,
            verify_at_audits: true,
            doctor_clock_hz: crate::crypto::raw::SERVER_CLOCK_HZ,
            doctor_nj_per_cycle: crate::energy::raw::CLOUDLET_NJ_PER_CYCLE,
            prescription_bytes: 120,
            profiles: BTreeMap::new(),
        }
    }
}

impl RawSignatures {
    /// Whether the table is as if absent (every key at its default): then `scenario.resolved.toml` leaves it out,
    /// so that results of scenarios without it stay byte-identical.
    pub fn is_default(&self) -> bool {
        *self == RawSignatures::default()
    }
}

/// `[signatures.profiles.<name>]`: one signature scheme's costs and sizes. `sign_cycles` and `verify_cycles` are
/// Cortex-M4 cycles (wearables, gateways); `server_*` are x86-64 cycles (cloudlets, the remote cloud, doctors).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawSignatureProfile {
    /// Signing one message on a Cortex-M4, in cycles (>= 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_cycles: Option<f64>,
    /// Verifying one signature on a Cortex-M4, in cycles (>= 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_cycles: Option<f64>,
    /// Signing one message on a server (x86-64), in cycles (>= 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_sign_cycles: Option<f64>,
    /// Verifying one signature on a server (x86-64), in cycles (>= 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_verify_cycles: Option<f64>,
    /// Signature as carried on the wire, in bytes (1 to 1024).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_bytes: Option<u64>,
    /// Public key, in bytes (1 to 4096; not sent in the model: keys are distributed out of band).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key_bytes: Option<u64>,
}

/// Clock of the MK66FN2M0 (Cortex-M4F) that SEGGER's emCrypt benchmarks ran on, Hz: their milliseconds × this clock
/// are the built-in Cortex-M4 cycle counts.
pub const SEGGER_M4_CLOCK_HZ: f64 = 168e6;

fn profile(m4_ms: [f64; 2], server: [f64; 2], sig: u64, pk: u64) -> RawSignatureProfile {
    RawSignatureProfile {
        sign_cycles: Some((m4_ms[0] * 1e-3 * SEGGER_M4_CLOCK_HZ).round()),
        verify_cycles: Some((m4_ms[1] * 1e-3 * SEGGER_M4_CLOCK_HZ).round()),
        server_sign_cycles: Some(server[0]),
        server_verify_cycles: Some(server[1]),
        signature_bytes: Some(sig),
        public_key_bytes: Some(pk),
    }
}

/// The built-in signature profiles (sources: docs/model.md §15).
///
/// Cortex-M4: SEGGER emCrypt 2.34 on an NXP MK66FN2M0 (Cortex-M4F, 168 MHz, gcc 8.2.1), SEGGER Knowledge Base pages
/// "ECDSA Sign Verify MK66FN2M0" (secp256r1: sign 89.32 ms, verify 82.91 ms) and "EdDSA Sign Verify MK66FN2M0"
/// (Ed25519: sign 77.36 ms, verify 175.49 ms), converted at 168 MHz. Server: Ed25519 from the lib25519 speed table
/// (lib25519-20241004 `doc/speed.md`, OpenSSL 3.3.2 on Golden Cove: sign 96 222, verify 320 673 cycles); ECDSA
/// P-256 measured once with the `p256` crate on this project's reference machine (docs/model.md §7.15 and §15).
/// Sizes: Ed25519 64-byte signature, 32-byte key (RFC 8032); ECDSA P-256 as the fixed 64-byte r ‖ s (IEEE P1363)
/// on the wire, 33-byte compressed SEC1 key.
pub fn builtin_profiles() -> BTreeMap<String, RawSignatureProfile> {
    BTreeMap::from([
        ("ecdsa-p256".to_string(), profile([89.32, 82.91], P256_SERVER_CYCLES, 64, 33)),
        ("ed25519".to_string(), profile([77.36, 175.49], [96_222.0, 320_673.0], 64, 32)),
    ])
}

/// ECDSA P-256 sign and verify on the reference server, cycles: `p256` 0.13 (RustCrypto, no assembly), mean wall
/// time of 2 000 operations × 2.0 GHz, least of three runs of the code of the ignored test
/// `signatures::real::tests::measure_server_cycles` (2026-12-04; the runs spread by up to 35%).
pub const P256_SERVER_CYCLES: [f64; 2] = [847_676.0, 1_287_078.0];
