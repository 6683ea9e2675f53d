//! Validated trust, record and care configuration (see [`super::raw_trust`] for the meaning of each key).

use crate::kernel::SimTime;

pub use super::raw_trust::{AccessRule, EiProtection, MiProtection, QiProtection, SimilarityMeasure, StepLatency};

/// One condition of the patient profiles.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// Name.
    pub name: String,
    /// Probability that a patient has it.
    pub prevalence: f64,
    /// Indices of its symptoms in [`ProfileSpec::symptoms`].
    pub symptoms: Vec<u8>,
}

/// How patient profiles are drawn: conditions, then each condition's symptoms.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileSpec {
    /// Conditions, in name order (profile features `0..conditions.len()`).
    pub conditions: Vec<Condition>,
    /// Distinct symptom names, in order of first mention (profile features after the conditions).
    pub symptoms: Vec<String>,
    /// Probability of showing each symptom of a condition one has.
    pub symptom_prob: f64,
}

impl ProfileSpec {
    /// Features of a profile: conditions and symptoms (at most 64, so a profile fits a `u64` bit set).
    pub fn features(&self) -> usize {
        self.conditions.len() + self.symptoms.len()
    }
}

/// The trust model.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustSpec {
    /// On or off.
    pub enabled: bool,
    /// Similarity measure.
    pub similarity: SimilarityMeasure,
    /// Weight of similarity, w.
    pub similarity_weight: f64,
    /// Sharing threshold.
    pub threshold: f64,
    /// Aging factor λ in (0, 1].
    pub aging: f64,
    /// Requests per patient per second.
    pub request_rate_per_s: f64,
    /// Probability that a patient is malicious.
    pub malicious_fraction: f64,
    /// Misuse probability of a malicious patient.
    pub malicious_misuse_prob: f64,
    /// Misuse probability of an honest patient.
    pub honest_misuse_prob: f64,
    /// Similarity from which a share to an honest patient is useful.
    pub useful_similarity: f64,
    /// Time-series interval.
    pub interval: SimTime,
    /// Patient profiles (also used by the records when they are on).
    pub profiles: ProfileSpec,
}

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
}

impl RecordsSpec {
    /// AES-GCM cycles for one message of `bytes` plaintext bytes.
    pub fn aead_cycles(&self, bytes: usize) -> f64 {
        self.aead_cycles_per_message + self.aead_cycles_per_byte * bytes as f64
    }
}

/// The latency of every workflow step, in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CareLatencies {
    /// Patient → cloudlet.
    pub request: SimTime,
    /// Doctor assignment.
    pub assign: SimTime,
    /// Doctor → KDC.
    pub key_request: SimTime,
    /// KDC check and reply.
    pub kdc_check: SimTime,
    /// Owner decision.
    pub owner_approval: SimTime,
    /// Record fetch and decryption.
    pub record_fetch: SimTime,
    /// Consultation.
    pub consult: SimTime,
    /// Prescription delivery.
    pub prescription: SimTime,
    /// Acknowledgement.
    pub ack: SimTime,
}

/// Appointments and access to records.
#[derive(Debug, Clone, PartialEq)]
pub struct CareSpec {
    /// On or off.
    pub enabled: bool,
    /// Doctors per cloudlet.
    pub doctors_per_cloudlet: u32,
    /// Appointment requests per patient per second.
    pub appointment_rate_per_s: f64,
    /// Key access rule.
    pub access: AccessRule,
    /// Fixed or exponential steps.
    pub latency: StepLatency,
    /// Step latencies (fixed values or means).
    pub steps: CareLatencies,
    /// Probability that the KDC denies an unverifiable doctor.
    pub unverified_doctor_prob: f64,
    /// Probability that the owner denies.
    pub owner_deny_prob: f64,
}
