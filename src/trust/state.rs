//! Trust-based data sharing between patients of the same cloudlet.
//!
//! Every patient has a profile: a set of conditions, drawn independently with their prevalences, and of the symptoms
//! of those conditions (each shown with `symptom_prob`). Each patient asks peers of its own cloudlet for their data as
//! a Poisson process, one peer drawn uniformly per request. The peer trusts the requester by
//! `trust = w · similarity + (1 − w) · reputation` and shares when trust reaches the threshold. Similarity is the
//! cosine or Jaccard index of the two profiles; reputation is the beta reputation (Jøsang & Ismail 2002),
//! `(r + 1) / (r + s + 2)` after `r` good and `s` bad outcomes, kept by the cloudlet for each requester, with an
//! optional aging factor λ that discounts old evidence before each new outcome. A malicious requester misuses what it
//! receives with `malicious_misuse_prob`, an honest one with `honest_misuse_prob`; each granted share's outcome
//! updates the requester's reputation at once, so trust evolves during the run. See docs/model.md, "Trust, records
//! and care".

use rand::Rng;

use crate::kernel::{EntityRng, Scheduler, SimTime, StreamFactory};
use crate::scenario::ModelConfig;
use crate::trust::{ProfileSpec, SimilarityMeasure, TrustSpec};

use crate::chain::{topology::Topology, PatientId};
use crate::streams;

/// The beta reputation of one patient: good and bad evidence, possibly aged.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BetaReputation {
    /// Good evidence r.
    pub good: f64,
    /// Bad evidence s.
    pub bad: f64,
}

impl BetaReputation {
    /// The expected value of the beta distribution Beta(r + 1, s + 1): `(r + 1) / (r + s + 2)`.
    pub fn score(&self) -> f64 {
        (self.good + 1.0) / (self.good + self.bad + 2.0)
    }

    /// Adds one outcome after multiplying the old evidence by the aging factor λ (1 keeps it all).
    pub fn record(&mut self, good: bool, aging: f64) {
        self.good *= aging;
        self.bad *= aging;
        if good {
            self.good += 1.0;
        } else {
            self.bad += 1.0;
        }
    }
}

/// Similarity of two profiles (bit sets of conditions and symptoms): cosine `|A∩B| / sqrt(|A|·|B|)` (0 if either is
/// empty) or Jaccard `|A∩B| / |A∪B|` (0 if both are empty).
pub fn similarity(measure: SimilarityMeasure, a: u64, b: u64) -> f64 {
    let common = (a & b).count_ones() as f64;
    match measure {
        SimilarityMeasure::Cosine => {
            let (na, nb) = (a.count_ones() as f64, b.count_ones() as f64);
            if na == 0.0 || nb == 0.0 {
                0.0
            } else {
                common / (na * nb).sqrt()
            }
        }
        SimilarityMeasure::Jaccard => {
            let union = (a | b).count_ones() as f64;
            if union == 0.0 {
                0.0
            } else {
                common / union
            }
        }
    }
}

/// Trust of a patient in a requester: `w · similarity + (1 − w) · reputation`.
pub fn trust_value(similarity_weight: f64, similarity: f64, reputation: f64) -> f64 {
    similarity_weight * similarity + (1.0 - similarity_weight) * reputation
}

/// Whether a patient shares with a requester it trusts `trust`: `trust >= threshold`.
pub fn shares(trust: f64, threshold: f64) -> bool {
    trust >= threshold
}

/// Draws every patient's profile as a bit set: bit `i < conditions` for condition `i`, then one bit per symptom.
/// Every condition takes one draw for itself and one per symptom whether or not the patient has it, so changing a
/// prevalence changes only that condition's outcome.
pub fn draw_profiles(spec: &ProfileSpec, patients: u32, streams: &StreamFactory) -> Vec<u64> {
    let first_symptom = spec.conditions.len();
    (0..patients)
        .map(|p| {
            let mut rng = streams.stream(streams::PATIENT_PROFILE, p as u64);
            let mut mask = 0u64;
            for (i, c) in spec.conditions.iter().enumerate() {
                let has = rng.random::<f64>() < c.prevalence;
                if has {
                    mask |= 1 << i;
                }
                for &s in &c.symptoms {
                    if rng.random::<f64>() < spec.symptom_prob && has {
                        mask |= 1 << (first_symptom + s as usize);
                    }
                }
            }
            mask
        })
        .collect()
}

/// An exponential gap with rate `rate_per_s` (never, for a rate of 0).
pub(crate) fn exp_gap(rng: &mut EntityRng, rate_per_s: f64) -> SimTime {
    if rate_per_s <= 0.0 {
        return SimTime::MAX;
    }
    let u: f64 = rng.random::<f64>();
    SimTime::try_from_secs_f64(-(1.0 - u).ln() / rate_per_s).unwrap_or(SimTime::MAX)
}

/// Counters of share requests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrustCounts {
    /// Share requests (with a peer to ask).
    pub requests: u64,
    /// Requests granted.
    pub granted: u64,
    /// Requests refused.
    pub refused: u64,
    /// Shares granted to malicious patients.
    pub leaks: u64,
    /// Granted shares misused by malicious patients.
    pub misuses_malicious: u64,
    /// Granted shares misused by honest patients.
    pub misuses_honest: u64,
    /// Shares granted to honest patients at least `useful_similarity` alike.
    pub useful_shares: u64,
    /// Requests by honest patients at least `useful_similarity` alike (the useful shares possible).
    pub useful_requests: u64,
    /// Requests by malicious patients.
    pub malicious_requests: u64,
    /// Requests by a patient alone in its cloudlet (no peer to ask).
    pub no_peer: u64,
}

/// One interval of the time series: its counts and the mean reputations at its end.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TrustBin {
    /// Counts of requests made in the interval.
    pub counts: TrustCounts,
    /// Mean reputation of honest patients and of malicious patients at the interval's end (NaN without any).
    pub mean_reputation: Option<(f64, f64)>,
}

/// The trust model's state.
pub struct TrustState {
    spec: TrustSpec,
    profiles: Vec<u64>,
    malicious: Vec<bool>,
    reputation: Vec<BetaReputation>,
    rngs: Vec<EntityRng>,
    cloudlet_of: Vec<u32>,
    peers: Vec<Vec<u32>>,
    slot: Vec<u32>,
    warmup: SimTime,
    end: SimTime,
    bins: Vec<TrustBin>,
    /// Requests made after the warm-up.
    pub metrics: TrustCounts,
}

impl TrustState {
    /// The trust model of `cfg` on `topo`; empty (and never scheduled) when it is off.
    pub fn new(cfg: &ModelConfig, topo: &Topology, streams: &StreamFactory) -> Self {
        let spec = cfg.trust.clone();
        let mut s = TrustState {
            profiles: Vec::new(),
            malicious: Vec::new(),
            reputation: Vec::new(),
            rngs: Vec::new(),
            cloudlet_of: Vec::new(),
            peers: Vec::new(),
            slot: Vec::new(),
            warmup: cfg.warmup,
            end: cfg.duration,
            bins: Vec::new(),
            metrics: TrustCounts::default(),
            spec,
        };
        if !s.spec.enabled {
            return s;
        }
        let n = topo.patients;
        s.profiles = draw_profiles(&s.spec.profiles, n, streams);
        s.rngs = (0..n).map(|p| streams.stream(streams::TRUST_PATIENT, p as u64)).collect();
        s.malicious = s.rngs.iter_mut().map(|r| r.random::<f64>() < s.spec.malicious_fraction).collect();
        s.reputation = vec![BetaReputation::default(); n as usize];
        s.cloudlet_of = topo.cloudlet_of_patient.clone();
        s.peers = vec![Vec::new(); topo.cloudlets as usize];
        s.slot = Vec::with_capacity(n as usize);
        for (p, &c) in s.cloudlet_of.iter().enumerate() {
            s.slot.push(s.peers[c as usize].len() as u32);
            s.peers[c as usize].push(p as u32);
        }
        s.bins.push(TrustBin::default());
        s
    }

    /// Whether the trust model is on.
    pub fn enabled(&self) -> bool {
        self.spec.enabled
    }

    /// The configuration.
    pub fn spec(&self) -> &TrustSpec {
        &self.spec
    }

    /// End of request generation (the scenario's duration).
    pub fn end(&self) -> SimTime {
        self.end
    }

    /// Every patient's profile bit set.
    pub fn profiles(&self) -> &[u64] {
        &self.profiles
    }

    /// Whether each patient is malicious.
    pub fn malicious(&self) -> &[bool] {
        &self.malicious
    }

    /// Every patient's reputation now.
    pub fn reputations(&self) -> &[BetaReputation] {
        &self.reputation
    }

    /// Mean reputation of honest and of malicious patients now (NaN for a group with no patient).
    pub fn mean_reputations(&self) -> (f64, f64) {
        let (mut sum, mut n) = ([0.0f64; 2], [0u32; 2]);
        for (rep, &bad) in self.reputation.iter().zip(&self.malicious) {
            sum[bad as usize] += rep.score();
            n[bad as usize] += 1;
        }
        let mean = |i: usize| if n[i] == 0 { f64::NAN } else { sum[i] / n[i] as f64 };
        (mean(0), mean(1))
    }

    /// The time series up to the end of request generation: one bin per `trust.interval_s`, every request made in
    /// it counted (warm-up included), with the mean reputations at its end.
    pub fn bins(&self) -> Vec<TrustBin> {
        if !self.spec.enabled {
            return Vec::new();
        }
        let interval = self.spec.interval.as_nanos().max(1);
        let n = self.end.as_nanos().div_ceil(interval).max(1) as usize;
        let now = self.mean_reputations();
        let mut out = self.bins.clone();
        out.resize(n.max(out.len()), TrustBin::default());
        for b in &mut out {
            b.mean_reputation.get_or_insert(now);
        }
        out
    }

    /// Closes every bin before the one holding `now` (the state has not changed since the last request, so the
    /// reputations now are those at their ends).
    fn advance_bins(&mut self, now: SimTime) {
        let b = (now.as_nanos() / self.spec.interval.as_nanos().max(1)) as usize;
        if b + 1 > self.bins.len() {
            let snapshot = self.mean_reputations();
            for bin in &mut self.bins {
                bin.mean_reputation.get_or_insert(snapshot);
            }
            self.bins.resize(b + 1, TrustBin { counts: TrustCounts::default(), mean_reputation: Some(snapshot) });
            self.bins[b].mean_reputation = None;
        }
    }

    /// One request by `requester`: draws its peer and its misuse draw, decides, updates reputation; returns the
    /// counts it adds.
    fn request(&mut self, requester: u32) -> TrustCounts {
        let mut add = TrustCounts::default();
        let cloudlet = self.cloudlet_of[requester as usize] as usize;
        let peers = self.peers[cloudlet].len() as u32;
        let rng = &mut self.rngs[requester as usize];
        let pick = if peers > 1 { rng.random_range(0..peers - 1) } else { 0 };
        let u: f64 = rng.random::<f64>();
        if peers < 2 {
            add.no_peer = 1;
            return add;
        }
        let pick = if pick >= self.slot[requester as usize] { pick + 1 } else { pick };
        let owner = self.peers[cloudlet][pick as usize];
        let sim = similarity(self.spec.similarity, self.profiles[owner as usize], self.profiles[requester as usize]);
        let bad = self.malicious[requester as usize];
        let useful = !bad && sim >= self.spec.useful_similarity;
        add.requests = 1;
        add.malicious_requests = bad as u64;
        add.useful_requests = useful as u64;
        let rep = &mut self.reputation[requester as usize];
        if !shares(trust_value(self.spec.similarity_weight, sim, rep.score()), self.spec.threshold) {
            add.refused = 1;
            return add;
        }
        add.granted = 1;
        add.leaks = bad as u64;
        add.useful_shares = useful as u64;
        let misuse = u < if bad { self.spec.malicious_misuse_prob } else { self.spec.honest_misuse_prob };
        if misuse {
            if bad {
                add.misuses_malicious = 1;
            } else {
                add.misuses_honest = 1;
            }
        }
        rep.record(!misuse, self.spec.aging);
        add
    }
}

impl TrustCounts {
    fn add(&mut self, o: &TrustCounts) {
        self.requests += o.requests;
        self.granted += o.granted;
        self.refused += o.refused;
        self.leaks += o.leaks;
        self.misuses_malicious += o.misuses_malicious;
        self.misuses_honest += o.misuses_honest;
        self.useful_shares += o.useful_shares;
        self.useful_requests += o.useful_requests;
        self.malicious_requests += o.malicious_requests;
        self.no_peer += o.no_peer;
    }
}

/// The trust model's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustEvent {
    /// Patient `patient` asks to share data with another patient of its cloudlet.
    ShareRequest {
        /// Patient index.
        patient: PatientId,
    },
}

impl TrustState {
    /// Schedules every patient's first share request.
    pub(crate) fn schedule_first_events(&mut self, sched: &mut impl FnMut(SimTime, TrustEvent)) {
        if !self.enabled() {
            return;
        }
        let rate = self.spec.request_rate_per_s;
        for p in 0..self.rngs.len() {
            let t = exp_gap(&mut self.rngs[p], rate);
            if t < self.end {
                sched(t, TrustEvent::ShareRequest { patient: PatientId(p as u32) });
            }
        }
    }

    /// Patient `patient` asks to share data with another patient of its cloudlet.
    pub(crate) fn on_share_request<E: From<TrustEvent>>(&mut self, patient: PatientId, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let t = self;
        let next = now.saturating_add(exp_gap(&mut t.rngs[patient.index()], t.spec.request_rate_per_s));
        if next < t.end {
            sched.schedule_at(next, TrustEvent::ShareRequest { patient });
        }
        t.advance_bins(now);
        let add = t.request(patient.get());
        if let Some(bin) = t.bins.last_mut() {
            bin.counts.add(&add);
        }
        if now >= t.warmup {
            t.metrics.add(&add);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_reputation_matches_hand_computed_values() {
        let mut r = BetaReputation::default();
        assert_eq!(r.score(), 0.5); // (0 + 1) / (0 + 0 + 2)
        r.record(true, 1.0);
        r.record(true, 1.0);
        r.record(false, 1.0);
        assert_eq!((r.good, r.bad), (2.0, 1.0));
        assert!((r.score() - 3.0 / 5.0).abs() < 1e-15); // (2 + 1) / (2 + 1 + 2)
                                                        // Aging 0.5: r = 0.5·2 = 1, s = 0.5·1 + 1 = 1.5 → (1 + 1) / (1 + 1.5 + 2) = 2 / 4.5.
        r.record(false, 0.5);
        assert_eq!((r.good, r.bad), (1.0, 1.5));
        assert!((r.score() - 2.0 / 4.5).abs() < 1e-15);
    }

    #[test]
    fn similarity_of_bit_sets() {
        let (a, b) = (0b0111u64, 0b0110u64); // |A| = 3, |B| = 2, |A∩B| = 2, |A∪B| = 3
        assert!((similarity(SimilarityMeasure::Cosine, a, b) - 2.0 / 6f64.sqrt()).abs() < 1e-15);
        assert!((similarity(SimilarityMeasure::Jaccard, a, b) - 2.0 / 3.0).abs() < 1e-15);
        assert_eq!(similarity(SimilarityMeasure::Cosine, a, a), 1.0);
        assert_eq!(similarity(SimilarityMeasure::Cosine, 0, a), 0.0);
        assert_eq!(similarity(SimilarityMeasure::Jaccard, 0, 0), 0.0);
        assert_eq!(similarity(SimilarityMeasure::Jaccard, 0b1000, 0b0001), 0.0);
    }

    #[test]
    fn trust_decision_matches_hand_computed_values() {
        // w = 0.6, similarity 0.5, reputation 3/5: 0.6·0.5 + 0.4·0.6 = 0.30 + 0.24 = 0.54.
        let t = trust_value(0.6, 0.5, 3.0 / 5.0);
        assert!((t - 0.54).abs() < 1e-15);
        assert!(shares(t, 0.54 - 1e-12));
        assert!(!shares(t, 0.55));
        // A newcomer (reputation 1/2) with no similarity under w = 0.5 reaches 0.25 exactly.
        assert!(shares(trust_value(0.5, 0.0, 0.5), 0.25));
        assert!(!shares(trust_value(0.5, 0.0, 0.5), 0.2500001));
        // w = 1 ignores reputation, w = 0 ignores similarity.
        assert_eq!(trust_value(1.0, 0.3, 0.9), 0.3);
        assert_eq!(trust_value(0.0, 0.3, 0.9), 0.9);
    }
}
