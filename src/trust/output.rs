//! The `trust` section of `summary.json` and `trust_timeseries.csv`: share requests, grants, leaks, useful shares
//! and how reputations form over the run.

use serde::Serialize;

use crate::trust::state::{TrustBin, TrustState};
use crate::trust::SimilarityMeasure;

/// `summary.json` → `trust` (present when the trust model is on). Counts cover requests made after the warm-up.
#[derive(Debug, Clone, Serialize)]
pub struct TrustSummary {
    /// `cosine` or `jaccard`.
    pub similarity: &'static str,
    /// Weight of similarity, w.
    pub similarity_weight: f64,
    /// Sharing threshold.
    pub threshold: f64,
    /// Patients.
    pub patients: u64,
    /// Malicious patients.
    pub malicious_patients: u64,
    /// Share requests with a peer to ask.
    pub requests: u64,
    /// Requests granted.
    pub granted: u64,
    /// Requests refused.
    pub refused: u64,
    /// granted / requests.
    pub grant_rate: f64,
    /// Requests by patients alone in their cloudlet.
    pub no_peer: u64,
    /// Requests by malicious patients.
    pub malicious_requests: u64,
    /// Shares granted to malicious patients.
    pub leaks: u64,
    /// leaks / malicious_requests: the share of malicious requests that got data.
    pub leak_ratio: f64,
    /// Granted shares misused.
    pub misuses: Misuses,
    /// Requests by honest patients at least `useful_similarity` alike.
    pub useful_requests: u64,
    /// Of those, granted.
    pub useful_shares: u64,
    /// useful_shares / useful_requests: the share of useful requests that got data.
    pub utility: f64,
    /// Leak ratio in the first interval of the time series (warm-up included).
    pub leak_ratio_first_interval: f64,
    /// Leak ratio in the last interval of the time series.
    pub leak_ratio_last_interval: f64,
    /// Mean reputation at the end of the run.
    pub mean_reputation: MeanReputation,
}

/// Misused shares by who misused them.
#[derive(Debug, Clone, Serialize)]
pub struct Misuses {
    /// By malicious patients.
    pub malicious: u64,
    /// By honest patients.
    pub honest: u64,
}

/// Mean reputations by group (null for a group with no patient).
#[derive(Debug, Clone, Serialize)]
pub struct MeanReputation {
    /// Honest patients.
    pub honest: f64,
    /// Malicious patients.
    pub malicious: f64,
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The `trust` section, or `None` when the trust model is off.
pub fn trust_summary(t: &TrustState) -> Option<TrustSummary> {
    if !t.enabled() {
        return None;
    }
    let m = &t.metrics;
    let spec = t.spec();
    let bins = t.bins();
    let bin_leaks = |b: Option<&TrustBin>| b.map_or(0.0, |b| ratio(b.counts.leaks, b.counts.malicious_requests));
    let (honest, malicious) = t.mean_reputations();
    Some(TrustSummary {
        similarity: match spec.similarity {
            SimilarityMeasure::Cosine => "cosine",
            SimilarityMeasure::Jaccard => "jaccard",
        },
        similarity_weight: spec.similarity_weight,
        threshold: spec.threshold,
        patients: t.malicious().len() as u64,
        malicious_patients: t.malicious().iter().filter(|&&b| b).count() as u64,
        requests: m.requests,
        granted: m.granted,
        refused: m.refused,
        grant_rate: ratio(m.granted, m.requests),
        no_peer: m.no_peer,
        malicious_requests: m.malicious_requests,
        leaks: m.leaks,
        leak_ratio: ratio(m.leaks, m.malicious_requests),
        misuses: Misuses { malicious: m.misuses_malicious, honest: m.misuses_honest },
        useful_requests: m.useful_requests,
        useful_shares: m.useful_shares,
        utility: ratio(m.useful_shares, m.useful_requests),
        leak_ratio_first_interval: bin_leaks(bins.first()),
        leak_ratio_last_interval: bin_leaks(bins.last()),
        mean_reputation: MeanReputation { honest, malicious },
    })
}

/// One row of `trust_timeseries.csv`: one interval of `trust.interval_s`.
#[derive(Debug, Clone, Serialize)]
pub struct TrustRow {
    /// Start of the interval, s.
    pub interval_start_s: f64,
    /// End of the interval, s.
    pub interval_end_s: f64,
    /// Share requests made in the interval (with a peer to ask).
    pub requests: u64,
    /// Granted.
    pub granted: u64,
    /// Refused.
    pub refused: u64,
    /// Granted to malicious patients.
    pub leaks: u64,
    /// Granted shares misused (by anyone).
    pub misuses: u64,
    /// Requests by malicious patients.
    pub malicious_requests: u64,
    /// leaks / malicious_requests (empty when there were none).
    pub leak_ratio: Option<f64>,
    /// Requests by honest patients at least `useful_similarity` alike.
    pub useful_requests: u64,
    /// Of those, granted.
    pub useful_shares: u64,
    /// useful_shares / useful_requests (empty when there were none).
    pub utility: Option<f64>,
    /// Mean reputation of honest patients at the interval's end.
    pub mean_reputation_honest: Option<f64>,
    /// Mean reputation of malicious patients at the interval's end (empty with none).
    pub mean_reputation_malicious: Option<f64>,
}

/// The rows of `trust_timeseries.csv` (empty when the trust model is off).
pub fn trust_rows(t: &TrustState) -> Vec<TrustRow> {
    let interval_s = t.spec().interval.as_secs_f64();
    let end_s = t.end().as_secs_f64();
    let some = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
    let finite = |x: f64| x.is_finite().then_some(x);
    t.bins()
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let c = &b.counts;
            let (honest, malicious) = b.mean_reputation.unwrap_or((f64::NAN, f64::NAN));
            TrustRow {
                interval_start_s: i as f64 * interval_s,
                interval_end_s: ((i + 1) as f64 * interval_s).min(end_s),
                requests: c.requests,
                granted: c.granted,
                refused: c.refused,
                leaks: c.leaks,
                misuses: c.misuses_malicious + c.misuses_honest,
                malicious_requests: c.malicious_requests,
                leak_ratio: some(c.leaks, c.malicious_requests),
                useful_requests: c.useful_requests,
                useful_shares: c.useful_shares,
                utility: some(c.useful_shares, c.useful_requests),
                mean_reputation_honest: finite(honest),
                mean_reputation_malicious: finite(malicious),
            }
        })
        .collect()
}
