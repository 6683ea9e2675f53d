//! Validation of `[care]` (see [`crate::scenario::validate`]). Ranges are checked whether or not care is on.

use super::config::{CareLatencies, CareSpec};
use super::raw::RawCare;
use crate::scenario::checker::Checker;

pub(crate) fn care(c: &mut Checker, raw: &RawCare, cloudlets: u32) -> CareSpec {
    let doctors_per_cloudlet = c.count("care.doctors_per_cloudlet", raw.doctors_per_cloudlet, 1);
    if raw.enabled && doctors_per_cloudlet as u64 * cloudlets as u64 > u32::MAX as u64 {
        c.fail(
            "care.doctors_per_cloudlet",
            format!("gives more than {} doctors over {cloudlets} cloudlets (got {doctors_per_cloudlet})", u32::MAX),
        );
    }
    let mut t = |k: &str, v: f64| c.time(&format!("care.{k}"), v, false);
    let steps = CareLatencies {
        request: t("request_s", raw.request_s),
        assign: t("assign_s", raw.assign_s),
        key_request: t("key_request_s", raw.key_request_s),
        kdc_check: t("kdc_check_s", raw.kdc_check_s),
        owner_approval: t("owner_approval_s", raw.owner_approval_s),
        record_fetch: t("record_fetch_s", raw.record_fetch_s),
        consult: t("consult_s", raw.consult_s),
        prescription: t("prescription_s", raw.prescription_s),
        ack: t("ack_s", raw.ack_s),
    };
    let owner_deny_prob = c.probability("care.owner_deny_prob", raw.owner_deny_prob);
    if raw.kdc.enabled && !raw.enabled {
        c.fail("care.kdc.enabled", "needs care.enabled = true: only the care workflow sends key requests");
    }
    CareSpec {
        enabled: raw.enabled,
        doctors_per_cloudlet,
        appointment_rate_per_s: c.rate("care.appointment_rate_per_s", raw.appointment_rate_per_s, false),
        access: raw.access,
        latency: raw.latency,
        steps,
        unverified_doctor_prob: c.probability("care.unverified_doctor_prob", raw.unverified_doctor_prob),
        owner_deny_prob,
        kdc: super::kdc::kdc(c, &raw.kdc),
    }
}
