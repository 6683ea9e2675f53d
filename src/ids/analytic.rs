//! Closed forms of the IDS model: expected detection rate, false-alarm rate and system cost of a configuration.
//!
//! With independent Bernoulli nodes, `m` inspecting nodes and a fusion rule needing `k` alarms, the fused alarm
//! probability is the binomial tail `P(Bin(m, p) ≥ k)`. With the score model, node scores share a latent factor
//! `Z`; given `Z = z` the nodes are independent with `p(z) = 1 − Φ((θ − μ − σ√ρ·z) / (σ√(1−ρ)))`, so the fused
//! probability is `∫ φ(z) · P(Bin(m, p(z)) ≥ k) dz`, computed numerically (composite Simpson rule on [−10, 10]).
//! Route scope mixes these over the number of IDS nodes on each (entry, target) route, weighted by how traffic
//! enters. Blocking, signature sharing and capacity limits are not in the closed form; the simulated rows show
//! their effect.

use std::borrow::Cow;

use enum_map::EnumMap;
use statrs::distribution::{Binomial, ContinuousCDF, DiscreteCDF, Normal};

use crate::chain::topology::Topology;
use crate::chain::CoreIx;
use crate::crypto::{CryptoAt, CryptoMode};
use crate::ids::roc::{self, OperatingRule, RocDetector};
use crate::ids::{AttackKind, Detector, Entry, Fusion, IdsScope, Target};
use crate::scenario::ModelConfig;

/// Expected rates and cost of one IDS configuration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expected {
    /// Number of IDS nodes.
    pub ids_count: u32,
    /// Share of inspected items that are attacks.
    pub prevalence: f64,
    /// Expected fraction of attacks detected.
    pub detection_rate: f64,
    /// Expected fraction of benign items raising an alarm.
    pub false_alarm_rate: f64,
    /// Expected system cost per inspected item.
    pub cost: f64,
}

/// `P(Bin(m, p) ≥ k)`, from `statrs`'s binomial survival function (accurate for `p` near 0 or 1).
pub fn binomial_tail(m: u32, p: f64, k: u32) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > m {
        return 0.0;
    }
    let p = p.clamp(0.0, 1.0);
    match Binomial::new(p, m as u64) {
        Ok(b) => b.sf(k as u64 - 1),
        Err(_) => f64::NAN,
    }
}

/// Fused alarm probability of `m` inspecting nodes for an item with per-node mean score `mean` (score model).
pub fn score_fused(m: u32, mean: f64, sd: f64, rho: f64, threshold: f64, needed: u32) -> f64 {
    if m == 0 {
        return 0.0;
    }
    let std = Normal::standard();
    let node = |z: f64| 1.0 - std.cdf((threshold - mean - sd * rho.sqrt() * z) / (sd * (1.0 - rho).sqrt()));
    const STEPS: usize = 4_000; // even
    let (a, b) = (-10.0, 10.0);
    let h = (b - a) / STEPS as f64;
    let f = |z: f64| {
        let phi = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
        phi * binomial_tail(m, node(z), needed)
    };
    let mut sum = f(a) + f(b);
    for i in 1..STEPS {
        let z = a + i as f64 * h;
        sum += f(z) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    (sum * h / 3.0).clamp(0.0, 1.0)
}

/// Fused alarm probability of `m` nodes for one class of item (an attack kind, or benign with `kind = None`).
pub fn fused(cfg: &ModelConfig, m: u32, kind: Option<AttackKind>) -> f64 {
    if m == 0 {
        return 0.0;
    }
    let needed = match cfg.ids.fusion {
        Fusion::KOfN(k) => k,
        other => other.needed(m),
    };
    if let Some(p) = kind.and_then(|k| mimic_fused(cfg, m, k, needed)) {
        return p;
    }
    match &cfg.ids.detector {
        Detector::Bernoulli { detection, false_alarm } => {
            binomial_tail(m, kind.map_or(*false_alarm, |k| detection[k]), needed)
        }
        Detector::Score { benign_mean, attack_mean, sd, correlation, threshold } => {
            let mean = kind.map_or(*benign_mean, |k| attack_mean[k]);
            score_fused(m, mean, *sd, *correlation, *threshold, needed)
        }
        // The copula of the roc detector is the score model with mean 0, sd 1 and threshold Φ⁻¹(1 − p).
        Detector::Roc(r) => score_fused(m, 0.0, 1.0, r.correlation, RocDetector::threshold(r.node_prob(kind)), needed),
    }
}

/// The prevalence π (attack share of inspected items) and the attack mix w_k (share of attack items of kind k),
/// as [`expected`] weighs them (by item rates; they do not depend on where the IDS nodes are).
pub fn attack_mix(cfg: &ModelConfig) -> (f64, EnumMap<AttackKind, f64>) {
    let rates: EnumMap<AttackKind, f64> = cfg
        .attacks
        .values()
        .map(|a| (a.kind, if a.rate_per_s > 0.0 { a.items_per_s() } else { 0.0 }))
        .fold(EnumMap::default(), |mut m, (k, r)| {
            m[k] = r;
            m
        });
    let attack_rate: f64 = rates.values().sum();
    let total = attack_rate + benign_items_per_s(cfg);
    let prevalence = if total > 0.0 { attack_rate / total } else { 0.0 };
    let weights = rates.map(|_, r| if attack_rate > 0.0 { r / attack_rate } else { 0.0 });
    (prevalence, weights)
}

/// `cfg` with the roc detector's operating point chosen for IDS nodes at `slots` (its rule applied once: `fixed`,
/// the slope rule from π and the attack mix, or the `system` rule from the fused closed-form cost of these nodes);
/// `cfg` itself for the other detectors.
pub fn resolve<'a>(cfg: &'a ModelConfig, topo: &Topology, slots: &[u32]) -> Cow<'a, ModelConfig> {
    let Detector::Roc(r) = &cfg.ids.detector else { return Cow::Borrowed(cfg) };
    let (prevalence, weights) = attack_mix(cfg);
    let (x, target) = match r.rule {
        OperatingRule::Fixed => (r.fixed_false_alarm, None),
        OperatingRule::Slope => {
            (roc::slope_point(r, &weights, prevalence, &cfg.ids.cost), roc::slope_target(prevalence, &cfg.ids.cost))
        }
        OperatingRule::System => {
            let c = std::cell::RefCell::new(cfg.clone());
            let cost = |x: f64| {
                let mut c = c.borrow_mut();
                if let Detector::Roc(d) = &mut c.ids.detector {
                    d.operate_at(x);
                }
                expected_as_configured(&c, topo, slots).cost
            };
            (roc::minimise(&cost, roc::SEARCH_GRID, &r.vertex_candidates(&weights)), None)
        }
    };
    let mut c = cfg.clone();
    if let Detector::Roc(d) = &mut c.ids.detector {
        d.operate_at(x);
        d.slope_target = target;
    }
    Cow::Owned(c)
}

/// The per-node false-alarm probability of `cfg` with IDS nodes at `slots`: the Bernoulli detector's f, the score
/// detector's 1 − Φ((θ − μ_b)/σ), the roc detector's chosen operating point.
pub fn node_false_alarm_prob(cfg: &ModelConfig, topo: &Topology, slots: &[u32]) -> f64 {
    match &cfg.ids.detector {
        Detector::Bernoulli { false_alarm, .. } => *false_alarm,
        Detector::Score { benign_mean, sd, threshold, .. } => {
            1.0 - Normal::standard().cdf((threshold - benign_mean) / sd)
        }
        Detector::Roc(_) => match &resolve(cfg, topo, slots).ids.detector {
            Detector::Roc(r) => r.node_false_alarm,
            _ => f64::NAN,
        },
    }
}

/// Benign items per second the IDS sees: uploads entering cloudlets and doctor accesses.
pub fn benign_items_per_s(cfg: &ModelConfig) -> f64 {
    let uploads = if !cfg.benign.inspect_uploads {
        0.0
    } else if cfg.crypto.mode == CryptoMode::Batch && cfg.crypto.at == CryptoAt::Gateway && cfg.crypto.encrypts() {
        cfg.patients() as f64 / cfg.crypto.batch.as_secs_f64()
    } else {
        cfg.wearables as f64 * cfg.sensors.iter().map(|s| 1.0 / s.period.as_secs_f64()).sum::<f64>()
    };
    uploads + cfg.benign.doctor_access_per_s
}

/// Distribution of the number of IDS nodes inspecting an item, as `weights[m]`, for items entering with
/// probabilities `entry[c]` and aimed at the targets drawn by `targets(entry)` (core index, probability).
fn participants(
    topo: &Topology,
    slots: &[u32],
    scope: IdsScope,
    entry: &[f64],
    targets: &dyn Fn(u32) -> Vec<(u32, f64)>,
) -> Vec<f64> {
    let mut weights = vec![0.0; slots.len() + 1];
    if scope == IdsScope::Mesh {
        weights[slots.len()] = 1.0;
        return weights;
    }
    for (e, &we) in entry.iter().enumerate().filter(|(_, w)| **w > 0.0) {
        for (t, wt) in targets(e as u32) {
            let path = topo.core_path(CoreIx(e as u32), CoreIx(t));
            let on_route = path.iter().filter(|c| slots.contains(&c.get())).count();
            weights[on_route] += we * wt;
        }
    }
    weights
}

fn entry_weights(entry: &Entry, cloudlets: u32) -> Vec<f64> {
    match entry {
        Entry::Random => vec![1.0 / cloudlets as f64; cloudlets as usize],
        Entry::Explicit(c) => (0..cloudlets).map(|i| if i == *c { 1.0 } else { 0.0 }).collect(),
        Entry::Weighted(w) => {
            let total: f64 = w.iter().sum();
            w.iter().map(|x| x / total).collect()
        }
    }
}

/// Expected rates and cost of `cfg` with its first `slots.len()` IDS nodes at cloudlets `slots` (the roc detector
/// at the operating point its rule chooses for these nodes, [`resolve`]).
pub fn expected(cfg: &ModelConfig, topo: &Topology, slots: &[u32]) -> Expected {
    expected_as_configured(&resolve(cfg, topo, slots), topo, slots)
}

/// Like [`expected`], with the roc detector at the operating point in force in `cfg` (no rule applied).
pub fn expected_as_configured(cfg: &ModelConfig, topo: &Topology, slots: &[u32]) -> Expected {
    let n = slots.len() as u32;
    let cloud = topo.cloudlets;
    let mix = |weights: &[f64], kind: Option<AttackKind>| -> f64 {
        // Counts that no item has (weight 0) are skipped: 0·P adds nothing, and P costs a quadrature.
        weights.iter().enumerate().map(|(m, w)| if *w == 0.0 { 0.0 } else { w * fused(cfg, m as u32, kind) }).sum()
    };
    // Attacks, weighted by their item rates.
    let (mut attack_rate, mut detected_rate) = (0.0, 0.0);
    // Per kind: (items per second, detection rate), for the per-kind cost factors.
    let mut by_kind: EnumMap<AttackKind, (f64, f64)> = EnumMap::default();
    for spec in cfg.attacks.values().filter(|a| a.rate_per_s > 0.0) {
        let targets = |e: u32| -> Vec<(u32, f64)> {
            match spec.target {
                Target::RemoteCloud => vec![(cloud, 1.0)],
                Target::Cloudlet(Some(c)) => vec![(c, 1.0)],
                Target::Cloudlet(None) => {
                    (0..cloud).filter(|&c| c != e).map(|c| (c, 1.0 / (cloud - 1) as f64)).collect()
                }
            }
        };
        // Each source of a distributed attack draws its own entry by the same rule.
        let entries = entry_weights(&spec.entry, cloud);
        let w = participants(topo, slots, cfg.ids.scope, &entries, &targets);
        let detected = mix(&w, Some(spec.kind));
        attack_rate += spec.items_per_s();
        detected_rate += spec.items_per_s() * detected;
        by_kind[spec.kind] = (spec.items_per_s(), detected);
    }
    // Benign items: uploads enter at their patients' cloudlets, doctor accesses anywhere; all go to the cloud.
    let uploads = benign_items_per_s(cfg) - cfg.benign.doctor_access_per_s;
    let mut upload_entry = vec![0.0; cloud as usize];
    for &c in &topo.cloudlet_of_patient {
        upload_entry[c as usize] += 1.0 / topo.patients as f64;
    }
    let to_cloud = |_: u32| vec![(cloud, 1.0)];
    let w_up = participants(topo, slots, cfg.ids.scope, &upload_entry, &to_cloud);
    let w_doc = participants(topo, slots, cfg.ids.scope, &vec![1.0 / cloud as f64; cloud as usize], &to_cloud);
    let benign_rate = uploads + cfg.benign.doctor_access_per_s;
    let fa_rate = uploads * mix(&w_up, None) + cfg.benign.doctor_access_per_s * mix(&w_doc, None);

    let total = attack_rate + benign_rate;
    let prevalence = if total > 0.0 { attack_rate / total } else { 0.0 };
    let detection_rate = if attack_rate > 0.0 { detected_rate / attack_rate } else { 0.0 };
    let false_alarm_rate = if benign_rate > 0.0 { fa_rate / benign_rate } else { 0.0 };
    let cost = match &cfg.ids.lee_cost {
        Some(lee) => {
            let (items, detected) = (by_kind.map(|_, x| x.0), by_kind.map(|_, x| x.1));
            lee.expected(n, cfg.ids.cost.per_ids_node, &items, &detected, benign_rate, false_alarm_rate)
        }
        None => cfg.ids.cost.expected(n, prevalence, detection_rate, false_alarm_rate),
    };
    Expected { ids_count: n, prevalence, detection_rate, false_alarm_rate, cost }
}

/// `P(fused alarm)` of `m` nodes needing `needed` alarms, when a node alarms with probability `node(z)` given the
/// latent factor `z ~ N(0, 1)` (nodes independent given z): `∫ φ(z) · P(Bin(m, node(z)) ≥ needed) dz`, by the same
/// Simpson rule as [`score_fused`].
fn latent_fused(m: u32, needed: u32, node: &dyn Fn(f64) -> f64) -> f64 {
    const STEPS: usize = 4_000; // even
    let (a, b) = (-10.0, 10.0);
    let h = (b - a) / STEPS as f64;
    let f = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt() * binomial_tail(m, node(z), needed);
    let inner: f64 = (1..STEPS).map(|i| f(a + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 }).sum();
    ((f(a) + f(b) + inner) * h / 3.0).clamp(0.0, 1.0)
}

/// One node's alarm probability on an item of `kind` (`None`: benign) given the latent factor z, with each alarm
/// kept with probability `keep` (1 − the reconnaissance evasion): `keep · p` for the Bernoulli detector,
/// `keep · (1 − Φ((θ − μ − σ√ρ·z) / (σ√(1−ρ))))` for the score detector (and the roc detector with μ = 0, σ = 1,
/// θ = Φ⁻¹(1 − p)); an insider with `mimics_benign` mixes
/// the benign and the insider's probabilities with its detection lift λ: `(1 − λ)·p_benign + λ·p_insider`.
fn node_probability(cfg: &ModelConfig, kind: Option<AttackKind>, keep: f64, z: f64) -> f64 {
    let lift = kind.and_then(|k| cfg.attacks[k].mimic_lift);
    let p = |kind: Option<AttackKind>| match &cfg.ids.detector {
        Detector::Bernoulli { detection, false_alarm } => kind.map_or(*false_alarm, |k| detection[k]),
        Detector::Score { benign_mean, attack_mean, sd, correlation, threshold } => {
            let mean = kind.map_or(*benign_mean, |k| attack_mean[k]);
            let spread = sd * (1.0 - correlation).sqrt();
            1.0 - Normal::standard().cdf((threshold - mean - sd * correlation.sqrt() * z) / spread)
        }
        // The roc detector's copula: the score model with mean 0, sd 1 and threshold Φ⁻¹(1 − p).
        Detector::Roc(r) => {
            let q = RocDetector::threshold(r.node_prob(kind));
            1.0 - Normal::standard().cdf((q - r.correlation.sqrt() * z) / (1.0 - r.correlation).sqrt())
        }
    };
    keep * lift.map_or_else(|| p(kind), |l| (1.0 - l) * p(None) + l * p(kind))
}

/// Fused alarm probability of `m` nodes needing `needed` alarms on an item of `kind`, each node's alarm kept with
/// probability `keep`: exact for both detectors (docs/model.md §8.13).
fn thinned(cfg: &ModelConfig, m: u32, kind: Option<AttackKind>, needed: u32, keep: f64) -> f64 {
    match &cfg.ids.detector {
        Detector::Bernoulli { .. } => binomial_tail(m, node_probability(cfg, kind, keep, 0.0), needed),
        Detector::Score { .. } | Detector::Roc(_) => latent_fused(m, needed, &|z| node_probability(cfg, kind, keep, z)),
    }
}

/// The fused alarm probability of an insider with `mimics_benign` (`None` for any other item): every node sees it
/// as benign except with probability λ (`detection_lift`), so one node alarms with `f + λ·(p − f)` (Bernoulli), or
/// with that mixture of the two score tails given z.
fn mimic_fused(cfg: &ModelConfig, m: u32, kind: AttackKind, needed: u32) -> Option<f64> {
    cfg.attacks[kind].mimic_lift.map(|_| thinned(cfg, m, Some(kind), needed, 1.0))
}

/// Fused alarm probability of `m` inspecting nodes on an attack of `kind` from a source inside its reconnaissance
/// window, each node's alarm suppressed with probability `evasion` (e): the detector's closed form with every
/// node's alarm probability p(z) replaced by p(z)·(1 − e).
pub fn fused_with_evasion(cfg: &ModelConfig, m: u32, kind: AttackKind, evasion: f64) -> f64 {
    if m == 0 {
        return 0.0;
    }
    let needed = match cfg.ids.fusion {
        Fusion::KOfN(k) => k,
        other => other.needed(m),
    };
    thinned(cfg, m, Some(kind), needed, 1.0 - evasion)
}

/// Probability that at least one of `sources` independent items, each detected with `p`, is detected:
/// `1 − (1 − p)^sources`; and that all are: `p^sources`.
pub fn any_and_all_detected(p: f64, sources: u32) -> (f64, f64) {
    (1.0 - (1.0 - p).powi(sources as i32), p.powi(sources as i32))
}

/// Expected number of follow-up campaigns in `seconds` of probes: `λ_probe · seconds · (1 − P_D,probe) · q`, with
/// λ_probe the probes' item rate, P_D,probe their fused detection probability and q = `follow_up_prob` (each
/// probe is followed up independently, so the count is Poisson with this mean).
pub fn expected_follow_ups(cfg: &ModelConfig, probe_detection: f64, seconds: f64) -> f64 {
    let probe = &cfg.attacks[AttackKind::Probe];
    let q = probe.follow_up.map_or(0.0, |f| f.prob);
    probe.items_per_s() * seconds * (1.0 - probe_detection) * q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_tail_matches_hand_values() {
        assert!((binomial_tail(4, 0.5, 1) - 15.0 / 16.0).abs() < 1e-12);
        assert!((binomial_tail(4, 0.5, 2) - 11.0 / 16.0).abs() < 1e-12);
        assert!((binomial_tail(3, 0.2, 3) - 0.008).abs() < 1e-12);
        assert_eq!(binomial_tail(3, 0.2, 4), 0.0);
        assert_eq!(binomial_tail(3, 1.0, 2), 1.0);
        // 1 − (1/√2)^4 = 0.75: the any-rule with four nodes of p = 1 − 1/√2.
        assert!((binomial_tail(4, 1.0 - 0.5f64.sqrt(), 1) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn score_model_without_correlation_is_the_binomial_tail() {
        let p = 1.0 - Normal::standard().cdf(2.0 - 1.0);
        for (m, k) in [(1, 1), (3, 1), (3, 2), (5, 3)] {
            let a = score_fused(m, 1.0, 1.0, 0.0, 2.0, k);
            assert!((a - binomial_tail(m, p, k)).abs() < 1e-9, "m {m} k {k}: {a}");
        }
    }

    #[test]
    fn full_correlation_gains_nothing_from_more_nodes() {
        // ρ → 1: every node sees the same score, so any-of-5 detects as often as one node.
        let one = score_fused(1, 1.0, 1.0, 0.999_999, 2.0, 1);
        let five = score_fused(5, 1.0, 1.0, 0.999_999, 2.0, 1);
        assert!((five - one).abs() < 2e-3, "{one} vs {five}");
        let five_indep = score_fused(5, 1.0, 1.0, 0.0, 2.0, 1);
        assert!(five_indep > five + 0.3);
    }
}
