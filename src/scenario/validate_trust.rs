//! Validation of `[trust]`, `[records]` and `[care]` (see [`super::validate`]).
//!
//! Ranges are checked whether or not a part is on, so that a file is valid or not independently of its switches;
//! checks against the population (k at most the number of patients) only apply when the part is on.

use super::config_trust::{CareLatencies, CareSpec, Condition, ProfileSpec, RecordsSpec, TrustSpec};
use super::raw_trust::{builtin_conditions, RawCare, RawRecords, RawTrust};
use super::validate::Checker;
use crate::kernel::SimTime;

/// Most profile features (conditions plus distinct symptoms): a profile is a `u64` bit set.
const MAX_FEATURES: usize = 64;
/// Oldest allowed age, in years.
const MAX_AGE_YEARS: u64 = 150;
/// Most postcode digits (a postcode is a `u32`).
const MAX_POSTCODE_DIGITS: u64 = 9;

fn probability(c: &mut Checker, key: &str, p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        c.fail(key, format!("must be a probability in [0, 1] (got {})", super::validate::shown(p)));
    }
    p
}

fn weight(c: &mut Checker, key: &str, w: f64) -> f64 {
    if !(0.0..=1.0).contains(&w) {
        c.fail(key, format!("must be in [0, 1] (got {})", super::validate::shown(w)));
    }
    w
}

fn profiles(c: &mut Checker, raw: &RawTrust) -> ProfileSpec {
    let mut merged: Vec<(String, Option<f64>, Vec<String>)> = builtin_conditions()
        .into_iter()
        .map(|(n, p, s)| (n.to_string(), Some(p), s.iter().map(|x| x.to_string()).collect()))
        .collect();
    for (name, rc) in &raw.conditions {
        match merged.iter_mut().find(|(n, _, _)| n == name) {
            Some(entry) => {
                if let Some(p) = rc.prevalence {
                    entry.1 = Some(p);
                }
                if let Some(s) = &rc.symptoms {
                    entry.2 = s.clone();
                }
            }
            None => merged.push((name.clone(), rc.prevalence, rc.symptoms.clone().unwrap_or_default())),
        }
    }
    merged.sort_by(|a, b| a.0.cmp(&b.0));
    let mut symptoms: Vec<String> = Vec::new();
    let mut conditions = Vec::new();
    for (name, prevalence, names) in merged {
        let key = |k: &str| format!("trust.conditions.{name}.{k}");
        let prevalence = match prevalence {
            Some(p) => probability(c, &key("prevalence"), p),
            None => {
                c.fail(
                    &key("prevalence"),
                    "is required for a condition that is not built in (a probability in [0, 1])",
                );
                0.0
            }
        };
        let mut ids: Vec<u8> = Vec::new();
        for (i, s) in names.iter().enumerate() {
            if s.trim().is_empty() {
                c.fail(&key("symptoms"), "has an empty symptom name");
                continue;
            }
            if names[..i].contains(s) {
                c.fail(&key("symptoms"), format!("lists {s:?} twice"));
                continue;
            }
            let at = symptoms.iter().position(|x| x == s).unwrap_or_else(|| {
                symptoms.push(s.clone());
                symptoms.len() - 1
            });
            ids.push(at.min(u8::MAX as usize) as u8);
        }
        conditions.push(Condition { name, prevalence, symptoms: ids });
    }
    let features = conditions.len() + symptoms.len();
    if features > MAX_FEATURES {
        c.fail(
            "trust.conditions",
            format!(
                "give {} conditions and {} distinct symptoms ({features} profile features); at most {MAX_FEATURES} are \
                 allowed",
                conditions.len(),
                symptoms.len()
            ),
        );
    }
    ProfileSpec { conditions, symptoms, symptom_prob: probability(c, "trust.symptom_prob", raw.symptom_prob) }
}

pub(super) fn trust(c: &mut Checker, raw: &RawTrust) -> TrustSpec {
    if !(raw.aging > 0.0 && raw.aging <= 1.0) {
        c.fail("trust.aging", format!("must be in (0, 1]; 1 keeps all evidence (got {})", raw.aging));
    }
    TrustSpec {
        enabled: raw.enabled,
        similarity: raw.similarity,
        similarity_weight: weight(c, "trust.similarity_weight", raw.similarity_weight),
        threshold: weight(c, "trust.threshold", raw.threshold),
        aging: raw.aging,
        request_rate_per_s: c.rate("trust.request_rate_per_s", raw.request_rate_per_s, false),
        malicious_fraction: probability(c, "trust.malicious_fraction", raw.malicious_fraction),
        malicious_misuse_prob: probability(c, "trust.malicious_misuse_prob", raw.malicious_misuse_prob),
        honest_misuse_prob: probability(c, "trust.honest_misuse_prob", raw.honest_misuse_prob),
        useful_similarity: weight(c, "trust.useful_similarity", raw.useful_similarity),
        interval: c.time("trust.interval_s", raw.interval_s, true),
        profiles: profiles(c, raw),
    }
}

pub(super) fn records(c: &mut Checker, raw: &RawRecords, patients: u32) -> RecordsSpec {
    let k = c.count("records.k", raw.k, 1);
    if raw.enabled && k > patients {
        c.fail(
            "records.k",
            format!("must be at most the number of patients ({patients}), or no generalisation reaches it (got {k})"),
        );
    }
    if raw.age_max_years > MAX_AGE_YEARS {
        c.fail("records.age_max_years", format!("must be at most {MAX_AGE_YEARS} (got {})", raw.age_max_years));
    }
    if raw.age_min_years > raw.age_max_years {
        c.fail(
            "records.age_min_years",
            format!("must be at most records.age_max_years = {} (got {})", raw.age_max_years, raw.age_min_years),
        );
    }
    if !(1..=MAX_POSTCODE_DIGITS).contains(&raw.postcode_digits) {
        c.fail(
            "records.postcode_digits",
            format!("must be an integer from 1 to {MAX_POSTCODE_DIGITS} (got {})", raw.postcode_digits),
        );
    }
    let audit = c.time("records.audit_interval_s", raw.audit_interval_s, false);
    RecordsSpec {
        enabled: raw.enabled,
        ei: raw.ei,
        qi: raw.qi,
        mi: raw.mi,
        k,
        max_suppression: probability(c, "records.max_suppression", raw.max_suppression),
        age_min_years: raw.age_min_years.min(MAX_AGE_YEARS) as u8,
        age_max_years: raw.age_max_years.min(MAX_AGE_YEARS) as u8,
        male_fraction: probability(c, "records.male_fraction", raw.male_fraction),
        postcode_digits: raw.postcode_digits.clamp(1, MAX_POSTCODE_DIGITS) as u8,
        audit_interval: (audit > SimTime::ZERO).then_some(audit),
        aead_cycles_per_byte: c.non_negative("records.aead_cycles_per_byte", raw.aead_cycles_per_byte),
        aead_cycles_per_message: c.non_negative("records.aead_cycles_per_message", raw.aead_cycles_per_message),
        generalise_cycles_per_record: c
            .non_negative("records.generalise_cycles_per_record", raw.generalise_cycles_per_record),
    }
}

pub(super) fn care(c: &mut Checker, raw: &RawCare, cloudlets: u32) -> CareSpec {
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
    let owner_deny_prob = probability(c, "care.owner_deny_prob", raw.owner_deny_prob);
    CareSpec {
        enabled: raw.enabled,
        doctors_per_cloudlet,
        appointment_rate_per_s: c.rate("care.appointment_rate_per_s", raw.appointment_rate_per_s, false),
        access: raw.access,
        latency: raw.latency,
        steps,
        unverified_doctor_prob: probability(c, "care.unverified_doctor_prob", raw.unverified_doctor_prob),
        owner_deny_prob,
    }
}
