//! Validated record-store configuration (see [`super::raw`] for the meaning of each key).

use crate::crypto::cipher::real::CipherKind;
use crate::crypto::cipher::CipherProfile;
use crate::kernel::SimTime;

pub use super::raw::{EiProtection, MiProtection, QiProtection};

/// The record store.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordsSpec {
    /// On or off.
    pub enabled: bool,
    /// Explicit identifiers' protection.
    pub ei: EiProtection,
    /// Quasi-identifiers' protection.
    pub qi: QiProtection,
    /// Medical information's protection.
    pub mi: MiProtection,
    /// k of k-anonymity.
    pub k: u32,
    /// Largest suppressed fraction.
    pub max_suppression: f64,
    /// Youngest age, years.
    pub age_min_years: u8,
    /// Oldest age, years.
    pub age_max_years: u8,
    /// Probability of male.
    pub male_fraction: f64,
    /// Postcode digits.
    pub postcode_digits: u8,
    /// Audit interval, if audits are on.
    pub audit_interval: Option<SimTime>,
    /// AES-GCM cycles per byte.
    pub aead_cycles_per_byte: f64,
    /// AES-GCM cycles per message.
    pub aead_cycles_per_message: f64,
    /// Cycles to generalise one record's QI.
    pub generalise_cycles_per_record: f64,
    /// The cipher of the encrypted parts (`records.cipher`; for AES-128-GCM its wearable-class cycles are the two
    /// figures above).
    pub cipher: CipherProfile,
    /// Provable audits (`[records.audit]`), when asked for (docs/model.md, section 17).
    pub audit: Option<super::audit_keys::AuditSpec>,
}

impl RecordsSpec {
    /// Cycles (Cortex-M4 equivalent) to seal or open one part of `bytes` plaintext bytes under its record's key:
    /// the cipher's cycles, and its key setup when it has one (AES-128-GCM's is in its per-message figure).
    pub fn aead_cycles(&self, bytes: usize) -> f64 {
        let c = self.cipher.wearable_cycles(bytes as u64);
        let setup = self.cipher.wearable_key_setup_cycles;
        if setup > 0.0 {
            c + setup
        } else {
            c
        }
    }

    /// The real implementation of the cipher.
    pub fn cipher_kind(&self) -> CipherKind {
        CipherKind::from_name(&self.cipher.name).unwrap_or(CipherKind::Aes128Gcm)
    }
}
