//! The trust, records and care parts.

use proptest::prelude::*;

use super::*;

#[derive(Debug, Clone)]
pub(in crate::properties) struct Trust {
    pub(in crate::properties) jaccard: bool,
    pub(in crate::properties) weight: f64,
    pub(in crate::properties) threshold: f64,
    pub(in crate::properties) aging: f64,
    pub(in crate::properties) request_rate_per_s: f64,
    pub(in crate::properties) malicious_fraction: f64,
    pub(in crate::properties) misuse: (f64, f64),
    pub(in crate::properties) useful_similarity: f64,
    pub(in crate::properties) interval_s: f64,
    pub(in crate::properties) symptom_prob: f64,
    /// A new condition with its prevalence and symptoms (one shared with a built-in condition).
    pub(in crate::properties) custom_condition: Option<(f64, bool)>,
}

pub(in crate::properties) fn trust() -> impl Strategy<Value = Trust> {
    (
        (any::<bool>(), 0.0f64..=1.0, 0.0f64..=1.0, prop_oneof![Just(1.0f64), 0.05f64..=1.0]),
        (log_uniform(0.01, 3.0), 0.0f64..=1.0, (0.0f64..=1.0, 0.0f64..=0.3), 0.0f64..=1.0),
        (log_uniform(0.05, 3.0), 0.0f64..=1.0, prop::option::weighted(0.3, (0.0f64..=1.0, any::<bool>()))),
    )
        .prop_map(
            |(
                (jaccard, weight, threshold, aging),
                (request_rate_per_s, malicious_fraction, misuse, useful_similarity),
                (interval_s, symptom_prob, custom_condition),
            )| Trust {
                jaccard,
                weight,
                threshold,
                aging,
                request_rate_per_s,
                malicious_fraction,
                misuse,
                useful_similarity,
                interval_s,
                symptom_prob,
                custom_condition,
            },
        )
}

#[derive(Debug, Clone)]
pub(in crate::properties) struct Records {
    pub(in crate::properties) ei_plain: bool,
    pub(in crate::properties) qi_plain: bool,
    pub(in crate::properties) mi_encrypted: bool,
    /// Modulo the number of patients, plus 1.
    pub(in crate::properties) k: u8,
    pub(in crate::properties) max_suppression: f64,
    pub(in crate::properties) ages: (u8, u8),
    pub(in crate::properties) male_fraction: f64,
    pub(in crate::properties) postcode_digits: u8,
    pub(in crate::properties) audit_interval_s: f64,
}

pub(in crate::properties) fn records() -> impl Strategy<Value = Records> {
    (
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<u8>()),
        (0.0f64..=0.5, (0u8..=150, 0u8..=150), 0.0f64..=1.0, 1u8..=9, maybe_zero(0.3, 0.05, 2.0)),
    )
        .prop_map(
            |(
                (ei_plain, qi_plain, mi_encrypted, k),
                (max_suppression, ages, male_fraction, postcode_digits, audit_interval_s),
            )| Records {
                ei_plain,
                qi_plain,
                mi_encrypted,
                k,
                max_suppression,
                ages,
                male_fraction,
                postcode_digits,
                audit_interval_s,
            },
        )
}

#[derive(Debug, Clone)]
pub(in crate::properties) struct Care {
    pub(in crate::properties) doctors_per_cloudlet: u32,
    pub(in crate::properties) rate_per_s: f64,
    pub(in crate::properties) owner: bool,
    pub(in crate::properties) fixed: bool,
    /// request, assign, key request, KDC check, owner approval, record fetch, consult, prescription, ack.
    pub(in crate::properties) steps: Vec<f64>,
    pub(in crate::properties) unverified_prob: f64,
    pub(in crate::properties) owner_deny_prob: f64,
}

pub(in crate::properties) fn care() -> impl Strategy<Value = Care> {
    (
        1u32..4,
        log_uniform(0.01, 3.0),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(maybe_zero(0.2, 0.0, 0.4), 9),
        0.0f64..=1.0,
        0.0f64..=1.0,
    )
        .prop_map(|(doctors_per_cloudlet, rate_per_s, owner, fixed, steps, unverified_prob, owner_deny_prob)| {
            Care { doctors_per_cloudlet, rate_per_s, owner, fixed, steps, unverified_prob, owner_deny_prob }
        })
}
