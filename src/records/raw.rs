//! The `[records]` table: one synthetic three-part medical record per patient in the remote cloud (off by
//! default).
//!
//! The model is ours, built on k-anonymity (Sweeney 2002) and vertical partitioning of records (Li et al. 2015),
//! documented in `docs/model.md`, "Trust, records and care".

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How the explicit identifiers (name, ID, phone) are stored.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EiProtection {
    /// AES-128-GCM under the owner patient's key, held by the key distribution centre.
    Encrypted,
    /// In plain text (a breach re-identifies the patient).
    Plain,
}

/// How the quasi-identifiers (age, sex, postcode) are stored.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum QiProtection {
    /// Generalised (age bands, postcode prefix, sex withheld) until every combination is shared by at least
    /// `records.k` records, suppressing at most `records.max_suppression` of them.
    Generalised,
    /// As they are.
    Plain,
}

/// How the medical information (diagnoses, symptoms, prescriptions) is stored.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MiProtection {
    /// In plain text, for search and statistics.
    Plain,
    /// AES-128-GCM under the owner patient's key.
    Encrypted,
}

/// `[records]`: one synthetic three-part medical record per patient in the remote cloud.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawRecords {
    /// Turn the record store on: records are generated, protected per part, exposed by undetected
    /// `unauthorized_access` attacks and modified by undetected `data_tampering` attacks.
    pub enabled: bool,
    /// Explicit identifiers: `encrypted` or `plain`.
    pub ei: EiProtection,
    /// Quasi-identifiers: `generalised` or `plain`.
    pub qi: QiProtection,
    /// Medical information: `plain` or `encrypted`.
    pub mi: MiProtection,
    /// k of k-anonymity: each generalised QI combination must be shared by at least k records (>= 1, at most the
    /// number of patients).
    pub k: u64,
    /// Largest fraction of records whose QI may be suppressed entirely to reach k, in [0, 1].
    pub max_suppression: f64,
    /// Youngest patient, in years (ages are drawn uniformly in [age_min_years, age_max_years]).
    pub age_min_years: u64,
    /// Oldest patient, in years (>= age_min_years, <= 150).
    pub age_max_years: u64,
    /// Probability that a patient is male, in [0, 1].
    pub male_fraction: f64,
    /// Digits of a postcode (1 to 9): digit i is the cell, in a 3 × 3 split of the level-(i−1) cell, that holds the
    /// patient's position, so nearby patients share prefixes.
    pub postcode_digits: u64,
    /// Seconds between integrity audits of all stored records (SHA-256 digests); 0 = no audits (>= 0).
    pub audit_interval_s: f64,
    /// AES-GCM cycles per byte at the remote cloud, in Cortex-M4-equivalent cycles (as `crypto.aead_cycles_per_byte`)
    /// (>= 0).
    pub aead_cycles_per_byte: f64,
    /// AES-GCM fixed cycles per message at the remote cloud (as `crypto.aead_cycles_per_message`) (>= 0).
    pub aead_cycles_per_message: f64,
    /// Cycles to generalise one record's quasi-identifiers (>= 0).
    pub generalise_cycles_per_record: f64,
    /// Cipher of the encrypted parts: `aes-128-gcm` (default; its cycles are `records.aead_*`), `aes-256-gcm`,
    /// `chacha20-poly1305`, `3des-cbc-hmac` or `blowfish-cbc-hmac`, with `[crypto.ciphers]` overrides
    /// (docs/model.md §14).
    #[serde(skip_serializing_if = "crate::crypto::raw::is_default_cipher")]
    pub cipher: String,
    /// Provable audits: keyed tags, spot checks and their cost (docs/model.md, section 17).
    #[serde(skip_serializing_if = "super::audit_keys::RawAudit::is_default")]
    pub audit: super::audit_keys::RawAudit,
}

impl Default for RawRecords {
    fn default() -> Self {
        RawRecords {
            enabled: false,
            ei: EiProtection::Encrypted,
            qi: QiProtection::Generalised,
            mi: MiProtection::Plain,
            k: 5,
            max_suppression: 0.02,
            age_min_years: 18,
            age_max_years: 90,
            male_fraction: 0.5,
            postcode_digits: 4,
            audit_interval_s: 300.0,
            aead_cycles_per_byte: 33.6,
            aead_cycles_per_message: 1_545.0,
            generalise_cycles_per_record: 200.0,
            cipher: crate::crypto::cipher::DEFAULT_CIPHER.to_string(),
            audit: Default::default(),
        }
    }
}
