//! Validated trust configuration (see [`super::raw`] for the meaning of each key).

use crate::kernel::SimTime;

pub use super::raw::SimilarityMeasure;

/// One condition of the patient profiles.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// Name.
    pub name: String,
    /// Probability that a patient has it.
    pub prevalence: f64,
    /// Indices of its symptoms in [`ProfileSpec::symptoms`].
    pub symptoms: Vec<u8>,
}

/// How patient profiles are drawn: conditions, then each condition's symptoms.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileSpec {
    /// Conditions, in name order (profile features `0..conditions.len()`).
    pub conditions: Vec<Condition>,
    /// Distinct symptom names, in order of first mention (profile features after the conditions).
    pub symptoms: Vec<String>,
    /// Probability of showing each symptom of a condition one has.
    pub symptom_prob: f64,
}

impl ProfileSpec {
    /// Features of a profile: conditions and symptoms (at most 64, so a profile fits a `u64` bit set).
    pub fn features(&self) -> usize {
        self.conditions.len() + self.symptoms.len()
    }
}

/// The trust model.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustSpec {
    /// On or off.
    pub enabled: bool,
    /// Similarity measure.
    pub similarity: SimilarityMeasure,
    /// Weight of similarity, w.
    pub similarity_weight: f64,
    /// Sharing threshold.
    pub threshold: f64,
    /// Aging factor λ in (0, 1].
    pub aging: f64,
    /// Requests per patient per second.
    pub request_rate_per_s: f64,
    /// Probability that a patient is malicious.
    pub malicious_fraction: f64,
    /// Misuse probability of a malicious patient.
    pub malicious_misuse_prob: f64,
    /// Misuse probability of an honest patient.
    pub honest_misuse_prob: f64,
    /// Similarity from which a share to an honest patient is useful.
    pub useful_similarity: f64,
    /// Time-series interval.
    pub interval: SimTime,
    /// Patient profiles (also used by the records when they are on).
    pub profiles: ProfileSpec,
}
