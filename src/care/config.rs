//! Validated care configuration (see [`super::raw`] for the meaning of each key).

use crate::kernel::SimTime;

pub use super::raw::{AccessRule, StepLatency};

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
    /// The finite KDC (`[care.kdc]`), when on (docs/model.md, section 18).
    pub kdc: Option<super::kdc::KdcSpec>,
}
