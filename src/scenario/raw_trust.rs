//! The `[trust]`, `[records]` and `[care]` tables: trust-based sharing inside cloudlets, the three-part medical record
//! in the remote cloud, and the people (patients, doctors, the key distribution centre) who use them.
//!
//! All three are off by default. The papers give no formulas; the model is ours, built on the beta reputation system
//! (Jøsang & Ismail 2002), k-anonymity (Sweeney 2002) and vertical partitioning of records (Li et al. 2015), and is
//! documented in `docs/model.md`, "Trust, records and care".

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How the similarity of two patients' profiles is measured.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SimilarityMeasure {
    /// |A ∩ B| / sqrt(|A| · |B|) of the two sets of conditions and symptoms (0 if either is empty).
    Cosine,
    /// |A ∩ B| / |A ∪ B| (0 if both are empty).
    Jaccard,
}

/// `[trust.conditions.<name>]`: one condition of the patient profiles.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    /// Probability that a patient has this condition, in [0, 1]; conditions are drawn independently (a patient may
    /// have several, or none). Built in: `hypertension` 0.5, `diabetes` 0.3, `heart_failure` 0.2, `copd` 0.2,
    /// `depression` 0.2, `asthma` 0.1. A table with a built-in name changes only the keys it gives; any other name
    /// adds a condition, and then needs its prevalence.
    pub prevalence: Option<f64>,
    /// Symptoms a patient with this condition may show, each with probability `trust.symptom_prob`; a symptom named
    /// by several conditions is one feature of the profile. Built in: `hypertension` headache, dizziness; `diabetes`
    /// fatigue, thirst; `heart_failure` breathlessness, fatigue, oedema; `copd` breathlessness, cough; `depression`
    /// fatigue, insomnia; `asthma` breathlessness, wheeze. Empty for a new condition unless given.
    pub symptoms: Option<Vec<String>>,
}

/// `[trust]`: trust-based data sharing between patients of the same cloudlet.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawTrust {
    /// Turn the trust model on: patients ask peers of their cloudlet for their data, and a peer shares when its
    /// trust in the requester reaches `threshold`.
    pub enabled: bool,
    /// `cosine` or `jaccard` similarity of two patients' profiles (sets of conditions and symptoms).
    pub similarity: SimilarityMeasure,
    /// Weight w of similarity in trust = w · similarity + (1 − w) · reputation, in [0, 1].
    pub similarity_weight: f64,
    /// A patient shares with a requester whose trust is at least this, in [0, 1].
    pub threshold: f64,
    /// Aging factor λ of the beta reputation, in (0, 1]: before each new outcome about a patient, its good (r) and
    /// bad (s) evidence are multiplied by λ; 1 keeps all evidence.
    pub aging: f64,
    /// Share requests each patient makes per second (Poisson process), each to a peer of its cloudlet drawn
    /// uniformly (>= 0).
    pub request_rate_per_s: f64,
    /// Probability that a patient is malicious, in [0, 1] (each patient independently).
    pub malicious_fraction: f64,
    /// Probability that a malicious patient leaks or misuses a share it receives, in [0, 1].
    pub malicious_misuse_prob: f64,
    /// Probability that an honest patient misuses a share it receives, in [0, 1].
    pub honest_misuse_prob: f64,
    /// A share to an honest patient is useful when their similarity is at least this, in [0, 1].
    pub useful_similarity: f64,
    /// Length of one row of `trust_timeseries.csv`, in seconds (> 0).
    pub interval_s: f64,
    /// Probability that a patient with a condition shows each of its symptoms, in [0, 1].
    pub symptom_prob: f64,
    /// Conditions of the patient profiles, by name, added to or changing the built-in ones. Profiles are drawn
    /// whenever `trust` or `records` is on (records take their diagnoses from them).
    pub conditions: BTreeMap<String, RawCondition>,
}

impl Default for RawTrust {
    fn default() -> Self {
        RawTrust {
            enabled: false,
            similarity: SimilarityMeasure::Cosine,
            similarity_weight: 0.5,
            threshold: 0.5,
            aging: 1.0,
            request_rate_per_s: 0.01,
            malicious_fraction: 0.1,
            malicious_misuse_prob: 0.8,
            honest_misuse_prob: 0.02,
            useful_similarity: 0.3,
            interval_s: 60.0,
            symptom_prob: 0.7,
            conditions: BTreeMap::new(),
        }
    }
}

/// The built-in conditions: (name, prevalence, symptoms). Ours, illustrative, for a cohort of chronically ill
/// patients under remote monitoring (not population prevalences).
pub fn builtin_conditions() -> Vec<(&'static str, f64, &'static [&'static str])> {
    vec![
        ("asthma", 0.1, &["breathlessness", "wheeze"]),
        ("copd", 0.2, &["breathlessness", "cough"]),
        ("depression", 0.2, &["fatigue", "insomnia"]),
        ("diabetes", 0.3, &["fatigue", "thirst"]),
        ("heart_failure", 0.2, &["breathlessness", "fatigue", "oedema"]),
        ("hypertension", 0.5, &["headache", "dizziness"]),
    ]
}

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
        }
    }
}

/// How a doctor gets the key to a patient's record.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AccessRule {
    /// The key distribution centre checks the doctor's credentials and hands over the key.
    Kdc,
    /// The key distribution centre asks the owner patient, who approves or denies.
    Owner,
}

/// How step latencies are drawn.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StepLatency {
    /// Every step takes exactly its configured time.
    Fixed,
    /// Every step takes an exponential time with the configured mean.
    Exponential,
}

/// `[care]`: appointments. A patient requests one at its cloudlet; the cloudlet assigns a free doctor (first come,
/// first served); the doctor asks the key distribution centre (KDC) for the record's key; the KDC checks the doctor
/// (or asks the owner) and hands over the key or denies; the doctor fetches the record, consults and sends a
/// prescription; the patient acknowledges. Each step is an event with its own latency.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawCare {
    /// Turn appointments on.
    pub enabled: bool,
    /// Doctors at each cloudlet (>= 1); a doctor handles one appointment at a time, from assignment to prescription.
    pub doctors_per_cloudlet: u64,
    /// Appointment requests each patient makes per second (Poisson process) (>= 0).
    pub appointment_rate_per_s: f64,
    /// `kdc` (the KDC checks the doctor) or `owner` (the owner patient approves).
    pub access: AccessRule,
    /// `fixed` or `exponential` step latencies.
    pub latency: StepLatency,
    /// Patient → cloudlet: the appointment request, in seconds (>= 0).
    pub request_s: f64,
    /// The cloudlet assigns a free doctor, in seconds (>= 0).
    pub assign_s: f64,
    /// Doctor → KDC: the key request, in seconds (>= 0).
    pub key_request_s: f64,
    /// The KDC checks the doctor and returns the key (or the denial), in seconds (>= 0).
    pub kdc_check_s: f64,
    /// With `access = "owner"`: the owner patient's decision, in seconds (>= 0).
    pub owner_approval_s: f64,
    /// The doctor fetches the record from the remote cloud and decrypts it, in seconds (>= 0).
    pub record_fetch_s: f64,
    /// The consultation, from record to prescription, in seconds (>= 0).
    pub consult_s: f64,
    /// Doctor → patient: the prescription, in seconds (>= 0).
    pub prescription_s: f64,
    /// The patient's acknowledgement, in seconds (>= 0).
    pub ack_s: f64,
    /// Probability that the KDC cannot verify the requesting doctor and denies the key, in [0, 1].
    pub unverified_doctor_prob: f64,
    /// With `access = "owner"`: probability that the owner denies the key, in [0, 1].
    pub owner_deny_prob: f64,
}

impl Default for RawCare {
    fn default() -> Self {
        RawCare {
            enabled: false,
            doctors_per_cloudlet: 2,
            appointment_rate_per_s: 0.0005,
            access: AccessRule::Kdc,
            latency: StepLatency::Exponential,
            request_s: 0.05,
            assign_s: 0.01,
            key_request_s: 0.05,
            kdc_check_s: 0.02,
            owner_approval_s: 30.0,
            record_fetch_s: 0.1,
            consult_s: 300.0,
            prescription_s: 0.05,
            ack_s: 60.0,
            unverified_doctor_prob: 0.02,
            owner_deny_prob: 0.05,
        }
    }
}
