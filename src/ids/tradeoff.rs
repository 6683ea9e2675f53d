//! What `ids-optimize` finds, as data: the rows of `ids_tradeoff.csv` and the chosen optimum. Apart from
//! [`super::optimize`] (which computes them) and [`super::plots`] (which draws them), so neither imports the other
//! back.

use serde::Serialize;

/// One row of `ids_tradeoff.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct TradeoffRow {
    /// IDS nodes.
    pub ids_count: u32,
    /// `analytic` or `simulated`.
    pub method: &'static str,
    /// Detection rate.
    pub detection_rate: f64,
    /// 95% interval, low (simulated rows; equal to the value for analytic rows).
    pub detection_rate_ci_low: f64,
    /// 95% interval, high.
    pub detection_rate_ci_high: f64,
    /// False-alarm rate.
    pub false_alarm_rate: f64,
    /// 95% interval, low.
    pub false_alarm_rate_ci_low: f64,
    /// 95% interval, high.
    pub false_alarm_rate_ci_high: f64,
    /// Cost per inspected item, relative units.
    pub cost: f64,
    /// 95% interval, low.
    pub cost_ci_low: f64,
    /// 95% interval, high.
    pub cost_ci_high: f64,
    /// C(n) − C(n − 1): simulated rows, the mean over replications of the per-replication difference (common random
    /// numbers, so paired); analytic rows, the exact difference. `None` (empty) for n = 1.
    pub cost_diff_prev: Option<f64>,
    /// Paired Student-t 95% interval of `cost_diff_prev`, low (analytic rows: the value).
    pub cost_diff_prev_ci_low: Option<f64>,
    /// Its high end.
    pub cost_diff_prev_ci_high: Option<f64>,
    /// Attacks among inspected items.
    pub prevalence: f64,
    /// The Bayesian detection rate P(attack | alarm) (Axelsson 2000): analytic rows π·P_D / (π·P_D + (1 − π)·P_FA),
    /// simulated rows detected / (detected + false alarms) pooled over replications; empty when no alarm is
    /// expected or raised.
    pub bayesian_detection_rate: Option<f64>,
    /// Attack items (simulated: pooled over replications; analytic: 0).
    pub attacks: u64,
    /// Benign items (simulated: pooled; analytic: 0).
    pub benign: u64,
    /// Can alarm at all (with `k_of_n`, n >= k) and meets the detection and false-alarm targets.
    pub feasible: bool,
    /// The chosen branch of its method.
    pub optimal: bool,
    /// Mean detection latency (entry → fused alarm of a detected attack), s: simulated rows, the mean over
    /// replications of each replication's mean; analytic rows, the `latency`-mode closed form (mesh scope;
    /// [`crate::ids::collab::expected_detection_latency`]). Empty when there is none (no detection, route scope or
    /// `packets` mode for analytic rows).
    pub detection_latency_mean_s: Option<f64>,
    /// Student-t 95% interval across replications, low (analytic rows: the value).
    pub detection_latency_mean_s_ci_low: Option<f64>,
    /// Its high end.
    pub detection_latency_mean_s_ci_high: Option<f64>,
    /// 95th percentile of the detection latency, s: simulated rows, the mean over replications of each
    /// replication's p95; analytic rows empty.
    pub detection_latency_p95_s: Option<f64>,
    /// Payload bytes of summary and verdict packets per item whose verdicts were gathered: simulated rows pooled
    /// over replications (0 in `latency` mode, where nothing is sent); analytic rows 0 in `latency` mode, empty in
    /// `packets` mode.
    pub collaboration_bytes_per_item: Option<f64>,
    /// The per-node false-alarm probability of the branch: the Bernoulli detector's f, the score detector's
    /// 1 − Φ((θ − μ_b)/σ), the roc detector's operating point chosen for the branch's nodes.
    pub node_false_alarm_prob: f64,
}

/// The result of an optimisation.
#[derive(Debug, Clone, Serialize)]
pub struct Optimum {
    /// Chosen IDS count (analytic decision tree), if any branch is feasible.
    pub ids_count: Option<u32>,
    /// Its expected detection rate.
    pub detection_rate: f64,
    /// Its expected false-alarm rate.
    pub false_alarm_rate: f64,
    /// Its expected cost.
    pub cost: f64,
    /// Its Bayesian detection rate P(attack | alarm) (`None`: no alarm expected).
    pub bayesian_detection_rate: Option<f64>,
    /// The simulated optimum (minimum simulated cost among simulated-feasible branches).
    pub simulated_ids_count: Option<u32>,
    /// Its simulated detection rate.
    pub simulated_detection_rate: f64,
    /// Its simulated Bayesian detection rate (pooled over replications).
    pub simulated_bayesian_detection_rate: Option<f64>,
    /// Its simulated cost (mean over replications).
    pub simulated_cost: f64,
    /// Student-t 95% interval of the simulated cost across replications, low.
    pub simulated_cost_ci_low: f64,
    /// Its high end.
    pub simulated_cost_ci_high: f64,
    /// The paired step into the simulated optimum n*, C(n*) − C(n* − 1) (`None` when n* = 1).
    pub simulated_step_below: Option<PairedStep>,
    /// The paired step out of it, C(n* + 1) − C(n*) (`None` when n* is the largest count tried).
    pub simulated_step_above: Option<PairedStep>,
    /// Whether the simulated optimum beats its neighbours with 95% confidence: every feasible neighbour's paired
    /// interval excludes 0 on the optimum's side (`step_below` wholly below 0, `step_above` wholly above). `None`
    /// when no branch is feasible.
    pub simulated_beats_neighbours: Option<bool>,
    /// Replications per simulated branch.
    pub replications: u32,
    /// C_miss / C_FA, the missed-attack cost relative to a false alarm (`None` when C_FA = 0).
    pub miss_cost_ratio: Option<f64>,
    /// C_node / C_FA.
    pub node_cost_ratio: Option<f64>,
    /// Targets used.
    pub target_detection: f64,
    /// Targets used.
    pub max_false_alarm: f64,
}

/// A paired comparison of neighbouring branches, from the simulated replications (common random numbers).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PairedStep {
    /// The smaller IDS count, n − 1.
    pub from_ids: u32,
    /// The larger, n.
    pub to_ids: u32,
    /// Mean over replications of C(n) − C(n − 1).
    pub cost_diff: f64,
    /// Student-t 95% interval, low.
    pub ci_low: f64,
    /// Its high end.
    pub ci_high: f64,
    /// Both branches feasible.
    pub both_feasible: bool,
}

/// Whether a branch of `n` nodes with these rates is feasible: its fusion rule can alarm at all and it meets the
/// detection and false-alarm targets.
pub fn feasible(
    fusion: crate::ids::Fusion,
    n: u32,
    detection: f64,
    false_alarm: f64,
    target_detection: f64,
    max_false_alarm: f64,
) -> bool {
    fusion.can_alarm(n) && detection >= target_detection && false_alarm <= max_false_alarm
}

/// P(attack | alarm) for prevalence π, detection rate P_D and false-alarm rate P_FA (Bayes' rule; Axelsson's
/// base-rate fallacy, ACM CCS 1999 / TISSEC 2000): `None` when no alarm is expected.
pub fn bayesian_detection_rate(prevalence: f64, detection: f64, false_alarm: f64) -> Option<f64> {
    let alarms = prevalence * detection + (1.0 - prevalence) * false_alarm;
    (alarms > 0.0).then(|| prevalence * detection / alarms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bayesian_detection_rate_shows_the_base_rate_effect() {
        // Hand values: π = 0.1, P_D = 0.75, P_FA = 0.04: 0.075 / (0.075 + 0.036) = 0.675676.
        assert!((bayesian_detection_rate(0.1, 0.75, 0.04).unwrap() - 0.075 / 0.111).abs() < 1e-12);
        // Axelsson's base-rate setting: 2 intrusions in 100,000 items (π = 2e-5), perfect detection and one false
        // alarm in 100,000: P(attack | alarm) = 2e-5 / (2e-5 + 0.99998e-5) ≈ 2/3, however good P_D is.
        let p = bayesian_detection_rate(2e-5, 1.0, 1e-5).unwrap();
        assert!((p - 2e-5 / (2e-5 + 0.99998e-5)).abs() < 1e-12 && (p - 2.0 / 3.0).abs() < 1e-5, "{p}");
        // Ten times more false alarms: 2e-5 / (2e-5 + 9.9998e-5), about one in six.
        assert!((bayesian_detection_rate(2e-5, 1.0, 1e-4).unwrap() - 1.0 / 6.0).abs() < 1e-5);
        assert_eq!(bayesian_detection_rate(0.1, 0.0, 0.0), None);
        assert_eq!(bayesian_detection_rate(0.0, 0.5, 0.1), Some(0.0));
    }
}
