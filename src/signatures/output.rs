//! The `signatures` section of `summary.json`: signatures made, verified and failed by what is signed, tampering
//! caught by verification and its time to detection, and the energy and latency signatures added.

use serde::Serialize;

use crate::stats::LatencySummary;

use super::state::SignaturesState;

/// `summary.json` → `signatures` (present when signatures are on). Counts cover the whole run.
#[derive(Debug, Clone, Serialize)]
pub struct SignaturesSummary {
    /// The scheme (`signatures.scheme`).
    pub scheme: String,
    /// Bytes of one signature on the wire.
    pub signature_bytes: u32,
    /// Signatures made, by what is signed.
    pub made: Made,
    /// Signatures verified, by what is signed and where.
    pub verified: Verified,
    /// Verifications that failed, as `verified`.
    pub failures: Verified,
    /// Tampered records caught by a failed verification (doctors' reads and audits), independent of the IDS.
    pub tampering_caught: u64,
    /// First undetected modification of a record → the failed verification that caught it, in seconds.
    pub detection_delay_s: LatencySummary,
    /// Energy signatures added, by who paid it, in joules.
    pub energy_j: EnergyAdded,
    /// Latency signatures added, in seconds.
    pub latency_added_s: LatencyAdded,
}

/// Signatures made.
#[derive(Debug, Clone, Serialize)]
pub struct Made {
    /// Prescriptions, by doctors.
    pub prescriptions: u64,
    /// Record updates, by doctors.
    pub record_updates: u64,
    /// Records, by the registrar when created.
    pub records_at_creation: u64,
    /// Uploads, by patients.
    pub uploads: u64,
}

/// Signatures verified (or failed).
#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    /// Prescriptions, at the patients' gateways.
    pub prescriptions: u64,
    /// Records, by doctors who read them.
    pub records_on_read: u64,
    /// Records, by integrity audits.
    pub records_at_audit: u64,
    /// Uploads, at the cloudlets.
    pub uploads: u64,
}

/// Energy added, J.
#[derive(Debug, Clone, Serialize)]
pub struct EnergyAdded {
    /// Wearables signing uploads.
    pub wearable: f64,
    /// Gateways signing uploads and verifying prescriptions.
    pub gateway: f64,
    /// Cloudlets verifying uploads.
    pub cloudlet: f64,
    /// Doctors' devices signing and verifying.
    pub doctor: f64,
    /// The remote cloud: the registrar's signatures and audits' verifications.
    pub cloud: f64,
}

/// Latency added, s.
#[derive(Debug, Clone, Serialize)]
pub struct LatencyAdded {
    /// Record fetch: the doctor verifies the record.
    pub record_fetch: f64,
    /// Consultation: the doctor signs the prescription and the record update.
    pub consultation: f64,
    /// Acknowledgement: the patient's gateway verifies the prescription.
    pub acknowledgement: f64,
    /// One appointment, request to acknowledgement: the three above.
    pub per_appointment: f64,
    /// Signing an upload at its sender (waiting for the processor included).
    pub upload_sign: LatencySummary,
    /// Verifying an upload at its cloudlet, beyond its opening.
    pub upload_verify: LatencySummary,
}

/// The `signatures` section, or `None` when signatures are off.
pub fn signatures_summary(s: &SignaturesState) -> Option<SignaturesSummary> {
    if !s.enabled() {
        return None;
    }
    let m = &s.metrics;
    let up = s.uploads.as_ref().map(|u| u.metrics.clone()).unwrap_or_default();
    let care = s.care_added();
    let secs = |t: crate::kernel::SimTime| t.as_secs_f64();
    Some(SignaturesSummary {
        scheme: s.spec().profile.name.clone(),
        signature_bytes: s.spec().profile.signature_bytes,
        made: Made {
            prescriptions: m.prescriptions_signed,
            record_updates: m.record_updates_signed,
            records_at_creation: m.records_signed_at_creation,
            uploads: up.made,
        },
        verified: Verified {
            prescriptions: m.prescriptions_verified,
            records_on_read: m.records_verified_on_read,
            records_at_audit: m.records_verified_at_audit,
            uploads: up.verified,
        },
        failures: Verified {
            prescriptions: m.prescription_failures,
            records_on_read: m.failures_on_read,
            records_at_audit: m.failures_at_audit,
            uploads: up.failures,
        },
        tampering_caught: m.tampering_caught,
        detection_delay_s: m.detection_delay.summary(),
        energy_j: EnergyAdded {
            wearable: up.wearable_j,
            gateway: up.gateway_j + m.gateway_j,
            cloudlet: up.cloudlet_j,
            doctor: m.doctor_j,
            cloud: m.cloud_j,
        },
        latency_added_s: LatencyAdded {
            record_fetch: secs(care.record_read),
            consultation: secs(care.prescription_sent),
            acknowledgement: secs(care.acknowledged),
            per_appointment: secs(care.record_read + care.prescription_sent + care.acknowledged),
            upload_sign: up.sign_delay.summary(),
            upload_verify: up.verify_delay.summary(),
        },
    })
}
