//! The `[trust]` table: trust-based sharing between patients of a cloudlet (off by default).
//!
//! The papers give no formulas; the model is ours, built on the beta reputation system (Jøsang & Ismail 2002) and
//! profile similarity, documented in `docs/model.md`, "Trust, records and care".

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
