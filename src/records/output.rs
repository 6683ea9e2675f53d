//! The `records` section of `summary.json`: the three-part record store's protection, storage and processing per
//! part, the k-anonymity the population reaches, breach exposure and integrity audits.

use serde::Serialize;

use crate::records::anonymity::AGE_BANDS_YEARS;
use crate::records::state::RecordsState;
use crate::records::{EiProtection, MiProtection, QiProtection};
use crate::stats::LatencySummary;

/// `summary.json` → `records` (present when the record store is on). Exposure and tampering count undetected attacks
/// after the warm-up.
#[derive(Debug, Clone, Serialize)]
pub struct RecordsSummary {
    /// Records stored (one per patient).
    pub records: u64,
    /// Protection of each part.
    pub protection: Protection,
    /// k-anonymity of the stored quasi-identifiers.
    pub anonymity: AnonymitySummary,
    /// Bytes stored per part, protection overhead included.
    pub storage_bytes: PerPart<u64>,
    /// Bytes of the parts in plain text (QI ungeneralised).
    pub plaintext_bytes: PerPart<u64>,
    /// Processing per part at the remote cloud (protection at store, decryption at doctors' reads), in
    /// Cortex-M4-equivalent cycles.
    pub processing_cycles: PerPart<f64>,
    /// What undetected reads exposed.
    pub breach: Breach,
    /// Tampering and audits.
    pub integrity: Integrity,
    /// Records read by doctors (care workflow).
    pub doctor_reads: u64,
    /// Doctor reads whose real decryption failed or differed from the original (must be 0).
    pub decrypt_failures: u64,
    /// Provable audits (`[records.audit]`; absent when it is as by default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<crate::records::audit::AuditSummary>,
}

/// Protection of each part.
#[derive(Debug, Clone, Serialize)]
pub struct Protection {
    /// `encrypted` or `plain`.
    pub ei: &'static str,
    /// `generalised` or `plain`.
    pub qi: &'static str,
    /// `plain` or `encrypted`.
    pub mi: &'static str,
}

/// One figure per part, with their total.
#[derive(Debug, Clone, Serialize)]
pub struct PerPart<T> {
    /// Explicit identifiers.
    pub ei: T,
    /// Quasi-identifiers.
    pub qi: T,
    /// Medical information.
    pub mi: T,
    /// Sum of the three (and, for storage, the 32-byte digests).
    pub total: T,
}

/// k-anonymity achieved.
#[derive(Debug, Clone, Serialize)]
pub struct AnonymitySummary {
    /// k configured.
    pub k: u32,
    /// Smallest class among the records not suppressed: the k the population reaches.
    pub k_achieved: u32,
    /// Classes of stored QI.
    pub classes: u32,
    /// Records whose QI is withheld entirely.
    pub suppressed: u32,
    /// Width of the stored age bands, in years (null: age withheld).
    pub age_band_years: Option<u8>,
    /// Postcode digits kept.
    pub postcode_digits_kept: u8,
    /// Whether sex is kept.
    pub sex_kept: bool,
    /// Sweeney's precision of the generalisation (1: none; 0: everything withheld).
    pub precision: f64,
}

/// Breach exposure.
#[derive(Debug, Clone, Serialize)]
pub struct Breach {
    /// Undetected record reads.
    pub exposures: u64,
    /// Distinct records exposed.
    pub records_exposed: u64,
    /// Exposures in which the owner's EI plaintext appears (0 whenever EI is encrypted).
    pub ei_plaintext_exposures: u64,
    /// Exposures with the medical information in plain text.
    pub mi_plaintext_exposures: u64,
    /// Expected number of re-identified patients: the sum over exposed records of 1 (EI plain) or 1 / (size of the
    /// record's QI class).
    pub expected_reidentified: f64,
    /// Largest re-identification risk of one exposed record.
    pub max_risk_per_record: f64,
    /// The bound 1 / k_achieved on that risk with encrypted EI (1 with plain EI).
    pub risk_bound: f64,
}

/// Tampering and audits.
#[derive(Debug, Clone, Serialize)]
pub struct Integrity {
    /// Undetected modifications.
    pub tamperings: u64,
    /// Tampered records found by audits.
    pub found_by_audit: u64,
    /// Tampered records found by a doctor reading them.
    pub found_on_access: u64,
    /// Tampered records not found by the end of the run.
    pub undetected_at_end: u64,
    /// First modification → discovery, in seconds.
    pub detection_delay_s: LatencySummary,
    /// Audits run.
    pub audits: u64,
    /// Bytes hashed by audits.
    pub audited_bytes: u64,
}

fn parts<T: Copy + std::ops::Add<Output = T>>(v: [T; 3], extra: T) -> PerPart<T> {
    PerPart { ei: v[0], qi: v[1], mi: v[2], total: v[0] + v[1] + v[2] + extra }
}

/// The `records` section, or `None` when the record store is off.
pub fn records_summary(r: &RecordsState) -> Option<RecordsSummary> {
    if !r.enabled() {
        return None;
    }
    let (spec, m, a) = (r.spec(), &r.metrics, r.anonymity());
    let g = a.generalisation;
    Some(RecordsSummary {
        records: r.len() as u64,
        protection: Protection {
            ei: if spec.ei == EiProtection::Encrypted { "encrypted" } else { "plain" },
            qi: if spec.qi == QiProtection::Generalised { "generalised" } else { "plain" },
            mi: if spec.mi == MiProtection::Encrypted { "encrypted" } else { "plain" },
        },
        anonymity: AnonymitySummary {
            k: spec.k,
            k_achieved: a.achieved_k,
            classes: a.classes,
            suppressed: a.suppressed,
            age_band_years: AGE_BANDS_YEARS.get(g.age_level as usize).copied(),
            postcode_digits_kept: spec.postcode_digits - g.postcode_level,
            sex_kept: g.sex_level == 0,
            precision: a.precision,
        },
        storage_bytes: parts(m.storage_bytes, m.digest_bytes),
        plaintext_bytes: parts(m.plaintext_bytes, 0),
        processing_cycles: parts(m.cycles, 0.0),
        breach: Breach {
            exposures: m.exposures,
            records_exposed: m.records_exposed,
            ei_plaintext_exposures: m.ei_plaintext_exposures,
            mi_plaintext_exposures: m.mi_plaintext_exposures,
            expected_reidentified: m.expected_reidentified,
            max_risk_per_record: m.max_risk,
            risk_bound: if spec.ei == EiProtection::Plain || a.achieved_k == 0 {
                1.0
            } else {
                1.0 / a.achieved_k as f64
            },
        },
        integrity: Integrity {
            tamperings: m.tamperings,
            found_by_audit: m.found_by_audit,
            found_on_access: m.found_on_access,
            undetected_at_end: r.undetected_tampered(),
            detection_delay_s: m.detection_delay.summary(),
            audits: m.audits,
            audited_bytes: m.audited_bytes,
        },
        doctor_reads: m.doctor_reads,
        decrypt_failures: m.decrypt_failures,
        audit: r.auditor().map(|a| a.summary()),
    })
}
