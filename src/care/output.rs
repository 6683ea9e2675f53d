//! The `care` section of `summary.json`: appointments, their turnaround, key requests, denials and alerts.

use serde::Serialize;

use crate::care::state::CareState;
use crate::care::AccessRule;
use crate::records::state::RecordsState;
use crate::stats::LatencySummary;

/// `summary.json` → `care` (present when appointments are on). Counts cover appointments requested after the
/// warm-up.
#[derive(Debug, Clone, Serialize)]
pub struct CareSummary {
    /// `kdc` or `owner`.
    pub access: &'static str,
    /// Doctors in all.
    pub doctors: u64,
    /// Appointments by fate.
    pub appointments: Appointments,
    /// Request → acknowledgement of completed appointments, in seconds.
    pub turnaround_s: LatencySummary,
    /// Key request sent → key received, in seconds.
    pub key_request_latency_s: LatencySummary,
    /// Request at the cloudlet → doctor assigned, in seconds.
    pub doctor_wait_s: LatencySummary,
    /// Key requests denied.
    pub denied: Denied,
    /// Key requests the owner approved (`access = "owner"`).
    pub owner_approvals: u64,
    /// Prescriptions sent.
    pub prescriptions: u64,
    /// Alerts to owners and cloudlets.
    pub alerts: CareAlerts,
    /// The finite key distribution centre (`[care.kdc]`; absent when it is off).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kdc: Option<crate::care::kdc::KdcSummary>,
}

/// Appointments by fate.
#[derive(Debug, Clone, Serialize)]
pub struct Appointments {
    /// Requested.
    pub requested: u64,
    /// Acknowledged.
    pub completed: u64,
    /// Ended by a key denial.
    pub denied: u64,
    /// Not finished at the end of the run (all, warm-up included).
    pub in_progress: u64,
}

/// Denials.
#[derive(Debug, Clone, Serialize)]
pub struct Denied {
    /// All.
    pub total: u64,
    /// By the KDC (doctor not verified).
    pub by_kdc: u64,
    /// By the owner.
    pub by_owner: u64,
}

/// Alerts. A denial alerts the owner; tampering found (by an audit or by a doctor's read, with the record store on)
/// alerts the owner and the cloudlet.
#[derive(Debug, Clone, Serialize)]
pub struct CareAlerts {
    /// Denied key requests reported to the owner.
    pub denied_access: u64,
    /// Tampered records found (all of the run, by audits and by doctors' reads).
    pub tampering_found: u64,
    /// Of those, found by a doctor's read (counted appointments only).
    pub tampering_found_on_access: u64,
    /// Alerts to patients.
    pub to_patient: u64,
    /// Alerts to cloudlets.
    pub to_cloudlet: u64,
}

/// The `care` section, or `None` when appointments are off.
pub fn care_summary(c: &CareState, records: &RecordsState) -> Option<CareSummary> {
    if !c.enabled() {
        return None;
    }
    let (spec, m) = (c.spec(), &c.metrics);
    let tampering = records.metrics.found_by_audit + records.metrics.found_on_access;
    Some(CareSummary {
        access: if spec.access == AccessRule::Owner { "owner" } else { "kdc" },
        doctors: c.doctors(),
        appointments: Appointments {
            requested: m.requested,
            completed: m.completed,
            denied: m.denied,
            in_progress: c.in_progress() as u64,
        },
        turnaround_s: m.turnaround.summary(),
        key_request_latency_s: m.key_latency.summary(),
        doctor_wait_s: m.doctor_wait.summary(),
        denied: Denied { total: m.denied, by_kdc: m.denied_by_kdc, by_owner: m.denied_by_owner },
        owner_approvals: m.owner_approvals,
        prescriptions: m.prescriptions,
        alerts: CareAlerts {
            denied_access: m.denied,
            tampering_found: tampering,
            tampering_found_on_access: m.tampering_found,
            to_patient: m.denied + tampering,
            to_cloudlet: tampering,
        },
        kdc: c.kdc_summary(),
    })
}
