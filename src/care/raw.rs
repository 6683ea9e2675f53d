//! The `[care]` table: appointments, doctors and the key distribution centre (off by default); documented in
//! `docs/model.md`, "Trust, records and care".

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    /// The key distribution centre as a server with a queue (off: the `kdc_check_s` step alone).
    #[serde(skip_serializing_if = "super::kdc::RawKdc::is_default")]
    pub kdc: super::kdc::RawKdc,
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
            kdc: Default::default(),
        }
    }
}
