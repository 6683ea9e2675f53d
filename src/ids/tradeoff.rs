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
    /// Attacks among inspected items.
    pub prevalence: f64,
    /// Attack items (simulated: pooled over replications; analytic: 0).
    pub attacks: u64,
    /// Benign items (simulated: pooled; analytic: 0).
    pub benign: u64,
    /// Meets the detection and false-alarm targets.
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
    /// Its simulated cost.
    pub simulated_cost: f64,
    /// Targets used.
    pub target_detection: f64,
    /// Targets used.
    pub max_false_alarm: f64,
}
