//! The simulated points of the detection-error curves (`docs/model.md` §8.15): the configuration whose curve is
//! drawn (the optimum's n) is simulated at several thresholds, R replications each, with the replication indices
//! `ids-optimize` uses for its branches (common random numbers across thresholds: replication r sees the same
//! items at every threshold while nothing responds to alarms). Each point gives FPR and FNR with Student-t 95%
//! intervals across replications ([`mean_ci`], the method of `sweep`), and each replication its own crossover error
//! rate (interpolated between the thresholds that bracket it, [`crossover`]), summarised the same way.

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::error::AnalysisError;
use crate::chain::topology::Topology;
use crate::ids::curves::crossover;
use crate::ids::plots::{closed_form_point, node_false_alarm_at, Roc};
use crate::ids::raw::RocOperatingPoint;
use crate::ids::Detector;
use crate::run::{run, RunOptions};
use crate::scenario::raw::RawScenario;
use crate::scenario::{load_str_edited, ModelConfig};
use crate::sweep::stats::{mean_ci, LEVEL};

/// One simulated point of the sweep.
#[derive(Debug, Clone, Serialize)]
pub struct SimulatedPoint {
    /// The threshold simulated.
    pub threshold: f64,
    /// Replications with both attacks and benign items counted (the ones averaged).
    pub replications: u32,
    /// False positive rate: mean over replications.
    pub fpr: f64,
    /// Its Student-t 95% interval across replications, low.
    pub fpr_ci_low: f64,
    /// High.
    pub fpr_ci_high: f64,
    /// False negative rate (missed attacks): mean over replications.
    pub fnr: f64,
    /// Its interval, low.
    pub fnr_ci_low: f64,
    /// High.
    pub fnr_ci_high: f64,
    /// True positive rate, 1 − `fnr`.
    pub tpr: f64,
    /// Attack items, pooled over replications.
    pub attacks: u64,
    /// Benign items, pooled.
    pub benign: u64,
    /// The closed form's FPR at this threshold.
    pub closed_form_fpr: f64,
    /// The closed form's FNR at this threshold.
    pub closed_form_fnr: f64,
}

/// The crossover error rate of the simulated points.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SimulatedCer {
    /// Replications whose FPR and FNR cross within the simulated thresholds (the ones averaged).
    pub replications: u32,
    /// Crossover threshold: mean over replications.
    pub threshold: f64,
    /// Its Student-t 95% interval, low (empty with fewer than two replications).
    pub threshold_ci_low: Option<f64>,
    /// High.
    pub threshold_ci_high: Option<f64>,
    /// Crossover error rate: mean over replications.
    pub rate: f64,
    /// Its interval, low.
    pub rate_ci_low: Option<f64>,
    /// High.
    pub rate_ci_high: Option<f64>,
}

/// The simulated sweep.
#[derive(Debug, Clone, Serialize)]
pub struct SimulatedCurve {
    /// IDS nodes simulated.
    pub ids_count: u32,
    /// Points by the order of `thresholds`.
    pub points: Vec<SimulatedPoint>,
    /// The crossover, if the rates cross in every counted replication's sweep.
    pub cer: Option<SimulatedCer>,
}

/// Sets the swept threshold in a scenario's tables: the anomaly-score threshold of `score`; for `roc`, every node
/// at the fixed false-alarm probability the latent threshold gives.
fn set_threshold(raw: &mut RawScenario, threshold: f64) {
    raw.ids.score.threshold = threshold;
    raw.ids.roc.operating_point = RocOperatingPoint::Fixed;
    raw.ids.roc.false_alarm_prob = node_false_alarm_at(threshold);
}

/// Whether the detector has a threshold to sweep.
pub fn sweepable(detector: &Detector) -> bool {
    matches!(detector, Detector::Score { .. } | Detector::Roc(_))
}

/// The closed form's (FPR, FNR) of `cfg` with IDS nodes at `slots` and the threshold set to `threshold`.
pub fn closed_form_at(cfg: &ModelConfig, topo: &Topology, slots: &[u32], threshold: f64) -> (f64, f64) {
    let p = closed_form_point(cfg, topo, slots, threshold);
    (p.fpr, p.fnr)
}

/// `count` thresholds of the closed-form sweep `closed` to simulate: where the closed-form FPR equals targets spaced
/// evenly in log FPR from 10⁻³ to 0.5 (interpolated between the sweep's points), and the closed-form crossover,
/// sorted as `closed.points` is (by threshold).
pub fn thresholds(closed: &Roc, count: usize) -> Vec<f64> {
    let mut out = vec![closed.cer.threshold];
    let targets = count.saturating_sub(1);
    for i in 0..targets {
        let f = if targets == 1 { 0.5 } else { i as f64 / (targets - 1) as f64 };
        let target = 10f64.powf(-3.0 + f * (0.5f64.log10() + 3.0));
        let hit = closed.points.windows(2).find_map(|w| {
            let (a, b) = (w[0].fpr - target, w[1].fpr - target);
            (a * b <= 0.0 && a != b).then(|| w[0].threshold + a / (a - b) * (w[1].threshold - w[0].threshold))
        });
        out.extend(hit);
    }
    let ascending = closed.points.first().map(|p| p.threshold) <= closed.points.last().map(|p| p.threshold);
    out.sort_by(|a, b| if ascending { a.total_cmp(b) } else { b.total_cmp(a) });
    out.dedup();
    out
}

/// What to simulate: `ids_count` IDS nodes at each of `thresholds`, in `replications` replications.
#[derive(Debug, Clone)]
pub struct SweepPlan {
    /// IDS nodes.
    pub ids_count: u32,
    /// Thresholds, in sweep order.
    pub thresholds: Vec<f64>,
    /// Replications per threshold.
    pub replications: u32,
}

/// Simulates `cfg` as `plan` says (in parallel; the result does not depend on the thread count), and compares each
/// point with the closed form `closed` (threshold → (FPR, FNR)).
pub fn simulate(
    text: &str,
    file: &Path,
    sets: &[String],
    cfg: &ModelConfig,
    plan: &SweepPlan,
    closed: &dyn Fn(f64) -> (f64, f64),
) -> Result<SimulatedCurve, AnalysisError> {
    let (n, thresholds, replications) = (plan.ids_count, &plan.thresholds[..], plan.replications);
    let jobs: Vec<(usize, u32)> = (0..thresholds.len()).flat_map(|t| (0..replications).map(move |r| (t, r))).collect();
    let counts: Vec<[u64; 4]> = jobs
        .par_iter()
        .map(|&(t, rep)| {
            let mut s = load_str_edited(text, file, sets, |raw| {
                raw.ids.set_count(u64::from(n));
                raw.ids.k = raw.ids.k.min(u64::from(n));
                raw.simulation.replication = cfg.replication + u64::from(rep);
                set_threshold(raw, thresholds[t]);
            })?;
            s.config.ids.fusion = cfg.ids.fusion;
            let r = run(&s.config, &RunOptions::default(), |_| {})?;
            let m = &r.model.ids().metrics;
            Ok([m.attacks, m.detected, m.benign, m.false_alarms])
        })
        .collect::<Result<_, AnalysisError>>()?;
    let per_rep = |t: usize| &counts[t * replications as usize..(t + 1) * replications as usize];
    let rates =
        |c: &[u64; 4]| (c[0] > 0 && c[2] > 0).then(|| (c[3] as f64 / c[2] as f64, 1.0 - c[1] as f64 / c[0] as f64));
    let mut points = Vec::with_capacity(thresholds.len());
    for (t, &threshold) in thresholds.iter().enumerate() {
        let (fpr, fnr): (Vec<f64>, Vec<f64>) = per_rep(t).iter().filter_map(rates).unzip();
        let (f, m) = (mean_ci(&fpr, LEVEL), mean_ci(&fnr, LEVEL));
        let mean = |x: &Option<crate::sweep::stats::MeanCi>| x.as_ref().map_or(f64::NAN, |x| x.mean);
        let ci = |x: &Option<crate::sweep::stats::MeanCi>| {
            x.as_ref().and_then(|x| x.ci).map_or((f64::NAN, f64::NAN), |(l, h)| (l.clamp(0.0, 1.0), h.clamp(0.0, 1.0)))
        };
        let (cf_fpr, cf_fnr) = closed(threshold);
        points.push(SimulatedPoint {
            threshold,
            replications: fpr.len() as u32,
            fpr: mean(&f),
            fpr_ci_low: ci(&f).0,
            fpr_ci_high: ci(&f).1,
            fnr: mean(&m),
            fnr_ci_low: ci(&m).0,
            fnr_ci_high: ci(&m).1,
            tpr: 1.0 - mean(&m),
            attacks: per_rep(t).iter().map(|c| c[0]).sum(),
            benign: per_rep(t).iter().map(|c| c[2]).sum(),
            closed_form_fpr: cf_fpr,
            closed_form_fnr: cf_fnr,
        });
    }
    // Each replication's own crossover, over the thresholds in order.
    let mut crossings = (Vec::new(), Vec::new());
    for rep in 0..replications as usize {
        let rep_rates: Option<Vec<(f64, f64)>> =
            (0..thresholds.len()).map(|t| rates(&counts[t * replications as usize + rep])).collect();
        if let Some(r) = rep_rates {
            let (fpr, fnr): (Vec<f64>, Vec<f64>) = r.into_iter().unzip();
            if let Some((t, rate)) = crossover(thresholds, &fpr, &fnr) {
                crossings.0.push(t);
                crossings.1.push(rate);
            }
        }
    }
    let cer = (mean_ci(&crossings.0, LEVEL), mean_ci(&crossings.1, LEVEL));
    let cer = match cer {
        (Some(t), Some(r)) => Some(SimulatedCer {
            replications: t.n as u32,
            threshold: t.mean,
            threshold_ci_low: t.ci.map(|c| c.0),
            threshold_ci_high: t.ci.map(|c| c.1),
            rate: r.mean,
            rate_ci_low: r.ci.map(|c| c.0.max(0.0)),
            rate_ci_high: r.ci.map(|c| c.1.min(1.0)),
        }),
        _ => None,
    };
    Ok(SimulatedCurve { ids_count: n, points, cer })
}
