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
    /// Attack items (simulated: pooled over replications; analytic: 0).
    pub attacks: u64,
    /// Benign items (simulated: pooled; analytic: 0).
    pub benign: u64,
    /// Can alarm at all (with `k_of_n`, n >= k) and meets the detection and false-alarm targets.
    pub feasible: bool,
    /// The chosen branch of its method.
    pub optimal: bool,
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
    /// The simulated optimum (minimum simulated cost among simulated-feasible branches).
    pub simulated_ids_count: Option<u32>,
    /// Its simulated detection rate.
    pub simulated_detection_rate: f64,
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
