//! The simulated branches of `ids-optimize`, summarised across replications (`docs/model.md` §8.14).
//!
//! Replication r of every branch n runs with `simulation.replication` = base + r: the replications are independent
//! (their streams are derived from (seed, replication, entity)), and branches share **common random numbers**: every
//! entity draws from its own stream (attack kinds, benign accesses, wearables, links, and each IDS node keyed by the
//! cloudlet hosting it), so adding an IDS node adds that node's stream and shifts no other. Without a response that
//! changes the traffic (blocking, signature sharing), replication r of every n sees the same items, and a node on a
//! given cloudlet makes the same draws on them.
//!
//! Each replication is one observation: its detection rate D/A, false-alarm rate F/B and cost per inspected item
//! (the run's `ids.cost` of `summary.json`). A row holds their mean and the Student-t 95% interval across
//! replications, computed by [`mean_ci`], the method `sweep` uses. The step C(n) − C(n − 1) is observed per
//! replication (the same r on both sides), so its interval is a paired one and much narrower than the two costs'
//! intervals suggest.

use serde::Serialize;

use crate::ids::collab::ExchangeMetrics;
use crate::ids::output::cost;
use crate::ids::state::IdsMetrics;
use crate::ids::tradeoff::{PairedStep, TradeoffRow};
use crate::ids::IdsSpec;
use crate::sweep::stats::{mean_ci, LEVEL};

/// One simulated run of one branch: replication `replication` (counted from the scenario's own) with `ids_count`
/// nodes.
#[derive(Debug, Clone, Serialize)]
pub struct BranchRun {
    /// IDS nodes.
    pub ids_count: u32,
    /// Replication index, 0 to R − 1 (added to the scenario's `simulation.replication`).
    pub replication: u32,
    /// Attack items counted.
    pub attacks: u64,
    /// Of which detected.
    pub detected: u64,
    /// Benign items counted.
    pub benign: u64,
    /// False alarms among them.
    pub false_alarms: u64,
    /// Cost per inspected item (`summary.json`'s `ids.cost`).
    pub cost: f64,
    /// Mean and 95th percentile of the detection latency, s (`None` without a detection).
    pub detection_latency_s: Option<(f64, f64)>,
    /// Payload bytes of summary and verdict packets sent, and items whose verdicts were gathered (`packets` mode;
    /// zeros otherwise).
    pub collaboration: (u64, u64),
}

impl BranchRun {
    /// The observation of a run of `spec` (whose `count` is the branch's n) with counters `m`.
    pub fn new(replication: u32, spec: &IdsSpec, m: &IdsMetrics, x: &ExchangeMetrics) -> Self {
        let l = m.detection_latency.summary();
        BranchRun {
            detection_latency_s: (l.count > 0).then_some((l.mean, l.p95)),
            collaboration: (x.bytes, x.items),
            ids_count: spec.count,
            replication,
            attacks: m.attacks,
            detected: m.detected,
            benign: m.benign,
            false_alarms: m.false_alarms,
            cost: cost(spec, m),
        }
    }
}

/// Rates lie in [0, 1].
const RATE: (f64, f64) = (0.0, 1.0);
/// Costs are not negative.
const COST: (f64, f64) = (0.0, f64::INFINITY);
/// Latencies are not negative.
const LATENCY: (f64, f64) = (0.0, f64::INFINITY);
/// Differences of costs may have either sign.
const DIFF: (f64, f64) = (f64::NEG_INFINITY, f64::INFINITY);

/// Mean, low and high of `xs` across replications (95%, Student t), the interval clipped to the quantity's
/// `domain` (with few replications a t interval of a rate can pass 0 or 1); for rates without two observations (no
/// replication saw an attack, say) the interval is [0, 1] and the mean 0 when there is none.
fn across(xs: &[f64], domain: (f64, f64)) -> (f64, f64, f64) {
    match mean_ci(xs, LEVEL) {
        None => (0.0, 0.0, 1.0),
        Some(s) => {
            let (lo, hi) = s.ci.unwrap_or((0.0, 1.0));
            (s.mean, lo.max(domain.0), hi.min(domain.1))
        }
    }
}

/// The runs of branch `n`, by replication.
fn branch(runs: &[BranchRun], n: u32) -> impl Iterator<Item = &BranchRun> {
    runs.iter().filter(move |r| r.ids_count == n)
}

/// The per-replication differences C(n) − C(n − 1), paired by replication index.
fn step_diffs(runs: &[BranchRun], n: u32) -> Vec<f64> {
    branch(runs, n)
        .filter_map(|now| branch(runs, n - 1).find(|p| p.replication == now.replication).map(|p| now.cost - p.cost))
        .collect()
}

/// The simulated rows, one per IDS count in `runs` (in increasing order), with `feasible(n, detection, false
/// alarms)` deciding feasibility.
pub fn simulated_rows(runs: &[BranchRun], feasible: &dyn Fn(u32, f64, f64) -> bool) -> Vec<TradeoffRow> {
    let mut counts: Vec<u32> = runs.iter().map(|r| r.ids_count).collect();
    counts.dedup();
    counts
        .into_iter()
        .map(|n| {
            let of = |f: &dyn Fn(&BranchRun) -> Option<f64>| -> Vec<f64> { branch(runs, n).filter_map(f).collect() };
            let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
            let (dr, dl, dh) = across(&of(&|r| ratio(r.detected, r.attacks)), RATE);
            let (far, fl, fh) = across(&of(&|r| ratio(r.false_alarms, r.benign)), RATE);
            let (c, cl, ch) = across(&of(&|r| Some(r.cost)), COST);
            let diff = (n > 1).then(|| across(&step_diffs(runs, n), DIFF));
            let latencies = of(&|r| r.detection_latency_s.map(|l| l.0));
            let latency = (!latencies.is_empty()).then(|| {
                let (m, lo, hi) = across(&latencies, LATENCY);
                // With one replication holding a detection there is no interval: report the value alone.
                if latencies.len() < 2 {
                    (m, m, m)
                } else {
                    (m, lo, hi)
                }
            });
            let attacks: u64 = branch(runs, n).map(|r| r.attacks).sum();
            let benign: u64 = branch(runs, n).map(|r| r.benign).sum();
            TradeoffRow {
                ids_count: n,
                method: "simulated",
                detection_rate: dr,
                detection_rate_ci_low: dl,
                detection_rate_ci_high: dh,
                false_alarm_rate: far,
                false_alarm_rate_ci_low: fl,
                false_alarm_rate_ci_high: fh,
                cost: c,
                cost_ci_low: cl,
                cost_ci_high: ch,
                cost_diff_prev: diff.map(|d| d.0),
                cost_diff_prev_ci_low: diff.map(|d| d.1),
                cost_diff_prev_ci_high: diff.map(|d| d.2),
                prevalence: attacks as f64 / (attacks + benign).max(1) as f64,
                bayesian_detection_rate: {
                    let detected: u64 = branch(runs, n).map(|r| r.detected).sum();
                    let alarms = detected + branch(runs, n).map(|r| r.false_alarms).sum::<u64>();
                    (alarms > 0).then(|| detected as f64 / alarms as f64)
                },
                attacks,
                benign,
                feasible: feasible(n, dr, far),
                optimal: false,
                detection_latency_mean_s: latency.map(|l| l.0),
                detection_latency_mean_s_ci_low: latency.map(|l| l.1),
                detection_latency_mean_s_ci_high: latency.map(|l| l.2),
                detection_latency_p95_s: {
                    let p95 = of(&|r| r.detection_latency_s.map(|l| l.1));
                    (!p95.is_empty()).then(|| p95.iter().sum::<f64>() / p95.len() as f64)
                },
                collaboration_bytes_per_item: {
                    let (bytes, items) =
                        branch(runs, n).fold((0, 0), |a, r| (a.0 + r.collaboration.0, a.1 + r.collaboration.1));
                    Some(if items == 0 { 0.0 } else { bytes as f64 / items as f64 })
                },
                node_false_alarm_prob: f64::NAN, // set by the optimiser, which knows the placement
            }
        })
        .collect()
}

/// The paired step from n − 1 to n among the simulated `rows`, if both rows exist.
pub fn step_into(rows: &[TradeoffRow], n: u32) -> Option<PairedStep> {
    let row = |k: u32| rows.iter().find(|r| r.method == "simulated" && r.ids_count == k);
    let (prev, now) = (row(n.checked_sub(1)?)?, row(n)?);
    Some(PairedStep {
        from_ids: prev.ids_count,
        to_ids: now.ids_count,
        cost_diff: now.cost_diff_prev?,
        ci_low: now.cost_diff_prev_ci_low?,
        ci_high: now.cost_diff_prev_ci_high?,
        both_feasible: prev.feasible && now.feasible,
    })
}

/// Whether n* beats its neighbours with confidence, given the steps into and out of it: each step to a feasible
/// neighbour must have its interval on the optimum's side of 0 (an infeasible neighbour is excluded anyway).
pub fn beats_neighbours(below: Option<&PairedStep>, above: Option<&PairedStep>) -> bool {
    below.is_none_or(|s| !s.both_feasible || s.ci_high < 0.0)
        && above.is_none_or(|s| !s.both_feasible || s.ci_low > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(n: u32, r: u32, cost: f64) -> BranchRun {
        BranchRun {
            ids_count: n,
            replication: r,
            attacks: 10,
            detected: n as u64,
            benign: 90,
            false_alarms: 0,
            cost,
            detection_latency_s: None,
            collaboration: (0, 0),
        }
    }

    #[test]
    fn the_step_is_paired_by_replication() {
        // Costs that vary a lot between replications but move by exactly −0.1 from n = 1 to n = 2: the paired
        // interval is the single point −0.1, while each cost's own interval is wide.
        let runs: Vec<BranchRun> =
            (0..4).flat_map(|r| [run(1, r, 1.0 + r as f64), run(2, r, 0.9 + r as f64)]).collect();
        let mut runs = runs;
        runs.sort_by_key(|r| (r.ids_count, r.replication));
        let rows = simulated_rows(&runs, &|_, _, _| true);
        assert_eq!(rows[0].cost_diff_prev, None);
        let d = rows[1].cost_diff_prev.unwrap();
        assert!((d + 0.1).abs() < 1e-12);
        assert!((rows[1].cost_diff_prev_ci_high.unwrap() - rows[1].cost_diff_prev_ci_low.unwrap()).abs() < 1e-12);
        assert!(rows[1].cost_ci_high - rows[1].cost_ci_low > 2.0);
        let s = step_into(&rows, 2).unwrap();
        assert!(beats_neighbours(Some(&s), None), "n = 2 is cheaper than n = 1 with confidence");
        assert!(!beats_neighbours(None, Some(&s)), "so n = 1 is not cheaper than n = 2");
    }
}
