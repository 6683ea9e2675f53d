//! Validated record-store configuration (see [`super::raw`] for the meaning of each key).

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
    /// Provable audits (`[records.audit]`), when asked for (docs/model.md, section 17).
    pub audit: Option<super::audit_keys::AuditSpec>,
}

impl RecordsSpec {
    /// AES-GCM cycles for one message of `bytes` plaintext bytes.
    pub fn aead_cycles(&self, bytes: usize) -> f64 {
        self.aead_cycles_per_message + self.aead_cycles_per_byte * bytes as f64
    }
}
