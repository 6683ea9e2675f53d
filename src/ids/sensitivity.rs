//! The robustness map of `ids-optimize --sensitivity`: where the optimal number of IDS nodes holds as the prevalence
//! and the cost ratios move, and how much the optimum's cost moves with each parameter (a tornado).
//!
//! The expected cost per inspected item (docs/model.md §8.12) divided by the false-alarm cost C_FA is
//!
//! `C(n)/C_FA = (1 − π)·P_FA(n) + π·(1 − P_D(n))·r_miss + n·r_node`, with `r_miss = C_miss/C_FA`, `r_node = C_node/C_FA`.
//!
//! P_D(n) and P_FA(n) depend on the detectors, the placement and the traffic mix, but not on the costs or on the
//! prevalence (a change of π is a change of the attack rate of every kind in proportion), so the map re-weighs the
//! branches' rates at every point without new closed forms: exactly, for the analytic rows; on a coarse sub-grid the
//! simulated rows' rates give a simulated optimum beside it. A branch that misses the run's detection or false-alarm
//! target (`feasible = false`) is never chosen; ties go to fewer nodes, as in the decision tree.

use serde::Serialize;

use crate::analysis::error::AnalysisError;
use crate::ids::analytic::expected;
use crate::ids::config::IdsCost;
use crate::ids::optimize::OptimizeResult;
use crate::ids::tradeoff::TradeoffRow;
use crate::ids::Detector;

/// Factors applied to the scenario's prevalence (clipped below 1).
pub const PREVALENCE_FACTORS: [f64; 7] = [0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 10.0];
/// Points of each cost-ratio axis: a log grid from 1/100 to 100 times the scenario's ratio (the middle point is it).
pub const RATIO_POINTS: usize = 41;
/// Decades the ratio axes span on each side of the scenario's ratio.
const RATIO_DECADES: f64 = 2.0;
/// Every `COARSE_STEP`-th point of each ratio axis also gets the simulated optimum (5 × 5 per prevalence).
pub const COARSE_STEP: usize = 10;
/// The relative change of each parameter in the tornado.
pub const TORNADO_CHANGE: f64 = 0.5;

/// One branch of the decision tree, as the map uses it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Branch {
    /// IDS nodes.
    pub n: u32,
    /// Detection rate P_D(n).
    pub detection: f64,
    /// False-alarm rate P_FA(n).
    pub false_alarm: f64,
    /// Whether it meets the run's targets.
    pub feasible: bool,
}

impl Branch {
    /// `C(n)/C_FA` at prevalence `pi` and cost ratios `miss`, `node`.
    pub fn relative_cost(&self, pi: f64, miss: f64, node: f64) -> f64 {
        self.cost(pi, IdsCost { per_ids_node: node, per_missed_attack: miss, per_false_alarm: 1.0 })
    }

    /// The expected cost per item at prevalence `pi` and costs `c` (docs/model.md §8.12).
    pub fn cost(&self, pi: f64, c: IdsCost) -> f64 {
        c.expected(self.n, pi, self.detection, self.false_alarm)
    }
}

/// The branches of `method` (`analytic` or `simulated`) among `rows`, by IDS count.
pub fn branches(rows: &[TradeoffRow], method: &str) -> Vec<Branch> {
    let mut b: Vec<Branch> = rows
        .iter()
        .filter(|r| r.method == method)
        .map(|r| Branch {
            n: r.ids_count,
            detection: r.detection_rate,
            false_alarm: r.false_alarm_rate,
            feasible: r.feasible,
        })
        .collect();
    b.sort_by_key(|b| b.n);
    b
}

/// The feasible branch of least cost at (`pi`, `miss`, `node`) (fewer nodes on ties), with its relative cost.
pub fn optimal(branches: &[Branch], pi: f64, miss: f64, node: f64) -> Option<(u32, f64)> {
    branches
        .iter()
        .filter(|b| b.feasible)
        .map(|b| (b.n, b.relative_cost(pi, miss, node)))
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
}

/// One point of `sensitivity.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct SensitivityRow {
    /// Share of inspected items that are attacks, π.
    pub prevalence: f64,
    /// C_miss / C_FA.
    pub miss_cost_ratio: f64,
    /// C_node / C_FA.
    pub node_cost_ratio: f64,
    /// The optimal number of IDS nodes by the closed form (empty if no branch meets the targets).
    pub optimal_n: Option<u32>,
    /// Its cost per inspected item over C_FA.
    pub optimal_relative_cost: Option<f64>,
    /// The optimum from the simulated rates, on the coarse sub-grid (empty elsewhere).
    pub simulated_optimal_n: Option<u32>,
    /// Whether this is the scenario's own point.
    pub scenario: bool,
}

/// The scenario's own point: prevalence and cost ratios, from its costs (C_FA must be > 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// π.
    pub prevalence: f64,
    /// C_miss / C_FA.
    pub miss: f64,
    /// C_node / C_FA.
    pub node: f64,
}

/// The axes of the map around `p`: prevalences (ascending, the scenario's included) and the two ratio grids.
pub fn axes(p: Point) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut prevalences: Vec<f64> =
        PREVALENCE_FACTORS.iter().map(|f| f * p.prevalence).filter(|x| *x > 0.0 && *x < 1.0).collect();
    prevalences.dedup();
    let grid = |centre: f64| -> Vec<f64> {
        let half = (RATIO_POINTS / 2) as f64;
        (0..RATIO_POINTS)
            .map(|i| {
                if i == RATIO_POINTS / 2 {
                    centre // exactly the scenario's, not a rounded power
                } else {
                    centre * 10f64.powf(RATIO_DECADES * (i as f64 - half) / half)
                }
            })
            .collect()
    };
    (prevalences, grid(p.miss), grid(p.node))
}

/// The whole map around `p`: every prevalence × miss ratio × node ratio, with the closed-form optimum from
/// `analytic` and, on the coarse sub-grid, the optimum from `simulated` (empty slice: none).
pub fn map(p: Point, analytic: &[Branch], simulated: &[Branch]) -> Vec<SensitivityRow> {
    let (prevalences, misses, nodes) = axes(p);
    let mut rows = Vec::with_capacity(prevalences.len() * misses.len() * nodes.len());
    for &pi in &prevalences {
        for (i, &miss) in misses.iter().enumerate() {
            for (j, &node) in nodes.iter().enumerate() {
                let best = optimal(analytic, pi, miss, node);
                let coarse = i % COARSE_STEP == 0 && j % COARSE_STEP == 0 && !simulated.is_empty();
                rows.push(SensitivityRow {
                    prevalence: pi,
                    miss_cost_ratio: miss,
                    node_cost_ratio: node,
                    optimal_n: best.map(|b| b.0),
                    optimal_relative_cost: best.map(|b| b.1),
                    simulated_optimal_n: if coarse { optimal(simulated, pi, miss, node).map(|b| b.0) } else { None },
                    scenario: pi == p.prevalence && miss == p.miss && node == p.node,
                });
            }
        }
    }
    rows
}

/// How far "the scenario's optimum" holds: along each axis through the scenario's point exactly (the cost of every
/// branch is linear in each of π, C_miss/C_FA and C_node/C_FA, so the optimum's region along one of them is an
/// interval bounded by crossings with other branches), and as a share of the map's grid.
#[derive(Debug, Clone, Serialize)]
pub struct Robustness {
    /// The scenario's optimum.
    pub optimal_n: Option<u32>,
    /// Share of the (miss ratio × node ratio) grid at the scenario's prevalence where it is optimal.
    pub share_at_prevalence: f64,
    /// The C_miss/C_FA interval, at the scenario's C_node/C_FA and π, where it stays optimal.
    pub miss_cost_ratio_range: Option<(f64, f64)>,
    /// The C_node/C_FA interval, at the scenario's C_miss/C_FA and π.
    pub node_cost_ratio_range: Option<(f64, f64)>,
    /// The prevalence interval, at the scenario's ratios.
    pub prevalence_range: Option<(f64, f64)>,
    /// Coarse points where the simulated optimum equals the closed form's, and coarse points in all.
    pub simulated_agrees: (u64, u64),
}

/// The interval of `x` in `domain` over which branch `best` stays optimal among the feasible `branches`, when each
/// branch's cost is `a + b·x` with `(a, b) = line(branch)`; ties go to fewer nodes, as in [`optimal`].
pub fn holds(
    branches: &[Branch],
    best: u32,
    domain: (f64, f64),
    line: impl Fn(&Branch) -> (f64, f64),
) -> Option<(f64, f64)> {
    let star = branches.iter().find(|b| b.n == best && b.feasible)?;
    let (a0, b0) = line(star);
    let (mut lo, mut hi) = domain;
    for other in branches.iter().filter(|b| b.feasible && b.n != best) {
        let (a, b) = line(other);
        // best wins where a0 + b0·x < a + b·x (or ties, if it has fewer nodes).
        if b == b0 {
            if a0 > a || (a0 == a && other.n < best) {
                return None;
            }
        } else {
            let x = (a - a0) / (b0 - b);
            if b0 > b {
                hi = hi.min(x);
            } else {
                lo = lo.max(x);
            }
        }
    }
    (lo <= hi).then_some((lo, hi))
}

/// The robustness of the scenario's optimum, from `branches` (closed form) and `rows` (from [`map`] around `p`).
pub fn robustness(p: Point, branches: &[Branch], rows: &[SensitivityRow]) -> Robustness {
    let own = optimal(branches, p.prevalence, p.miss, p.node).map(|o| o.0);
    let at_pi: Vec<&SensitivityRow> = rows.iter().filter(|r| r.prevalence == p.prevalence).collect();
    let share = at_pi.iter().filter(|r| r.optimal_n == own && own.is_some()).count() as f64 / at_pi.len().max(1) as f64;
    let n = |b: &Branch| b.n as f64;
    let coarse: Vec<&SensitivityRow> = rows.iter().filter(|r| r.simulated_optimal_n.is_some()).collect();
    let along = |domain, line: &dyn Fn(&Branch) -> (f64, f64)| own.and_then(|o| holds(branches, o, domain, line));
    Robustness {
        optimal_n: own,
        share_at_prevalence: share,
        // C/C_FA = [(1 − π)·P_FA + n·r_node] + [π·(1 − P_D)]·r_miss
        miss_cost_ratio_range: along((0.0, f64::INFINITY), &|b| {
            ((1.0 - p.prevalence) * b.false_alarm + n(b) * p.node, p.prevalence * (1.0 - b.detection))
        }),
        // = [(1 − π)·P_FA + π·(1 − P_D)·r_miss] + n·r_node
        node_cost_ratio_range: along((0.0, f64::INFINITY), &|b| {
            ((1.0 - p.prevalence) * b.false_alarm + p.prevalence * (1.0 - b.detection) * p.miss, n(b))
        }),
        // = [P_FA + n·r_node] + π·[(1 − P_D)·r_miss − P_FA]
        prevalence_range: along((0.0, 1.0), &|b| {
            (b.false_alarm + n(b) * p.node, (1.0 - b.detection) * p.miss - b.false_alarm)
        }),
        simulated_agrees: (
            coarse.iter().filter(|r| r.simulated_optimal_n == r.optimal_n).count() as u64,
            coarse.len() as u64,
        ),
    }
}

/// One bar of the tornado: the optimum's cost with one parameter at −50 % and at +50 %.
#[derive(Debug, Clone, Serialize)]
pub struct TornadoRow {
    /// The parameter changed.
    pub parameter: String,
    /// Its value in the scenario.
    pub base_value: f64,
    /// The optimum's cost per inspected item with the parameter 50 % lower (absolute cost units).
    pub cost_low: f64,
    /// The optimal IDS count there.
    pub optimal_n_low: Option<u32>,
    /// The same with the parameter 50 % higher (a prevalence is capped below 1, a probability at 1).
    pub cost_high: f64,
    /// The optimal IDS count there.
    pub optimal_n_high: Option<u32>,
}

/// The optimum's absolute cost per item, and its IDS count, for branches `b`, prevalence `pi` and costs `c`.
pub fn optimum_cost(b: &[Branch], pi: f64, c: IdsCost) -> (f64, Option<u32>) {
    let best = b
        .iter()
        .filter(|b| b.feasible)
        .map(|b| (b.n, b.cost(pi, c)))
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    (best.map_or(f64::NAN, |b| b.1), best.map(|b| b.0))
}

/// The tornado of the four cost-model parameters (π, C_FA, C_miss, C_node) around `pi`, `c`, on branches `b`, plus
/// the rows `detector` adds (each a parameter name, its base value, and the branches with it at −50 % and +50 %).
pub fn tornado(
    b: &[Branch],
    pi: f64,
    c: IdsCost,
    detector: Vec<(String, f64, Vec<Branch>, Vec<Branch>)>,
) -> Vec<TornadoRow> {
    let ends = |lo: (f64, Option<u32>), hi: (f64, Option<u32>), name: &str, base: f64| TornadoRow {
        parameter: name.to_string(),
        base_value: base,
        cost_low: lo.0,
        optimal_n_low: lo.1,
        cost_high: hi.0,
        optimal_n_high: hi.1,
    };
    let (down, up) = (1.0 - TORNADO_CHANGE, 1.0 + TORNADO_CHANGE);
    let pi_high = (pi * up).min(1.0 - 1e-9);
    let mut rows = vec![
        ends(optimum_cost(b, pi * down, c), optimum_cost(b, pi_high, c), "prevalence", pi),
        ends(
            optimum_cost(b, pi, IdsCost { per_false_alarm: c.per_false_alarm * down, ..c }),
            optimum_cost(b, pi, IdsCost { per_false_alarm: c.per_false_alarm * up, ..c }),
            "cost per false alarm",
            c.per_false_alarm,
        ),
        ends(
            optimum_cost(b, pi, IdsCost { per_missed_attack: c.per_missed_attack * down, ..c }),
            optimum_cost(b, pi, IdsCost { per_missed_attack: c.per_missed_attack * up, ..c }),
            "cost per missed attack",
            c.per_missed_attack,
        ),
        ends(
            optimum_cost(b, pi, IdsCost { per_ids_node: c.per_ids_node * down, ..c }),
            optimum_cost(b, pi, IdsCost { per_ids_node: c.per_ids_node * up, ..c }),
            "cost per IDS node",
            c.per_ids_node,
        ),
    ];
    for (name, base, low, high) in detector {
        rows.push(ends(optimum_cost(&low, pi, c), optimum_cost(&high, pi, c), &name, base));
    }
    // Widest swing first, as a tornado is drawn.
    let swing = |r: &TornadoRow| (r.cost_high - r.cost_low).abs();
    rows.sort_by(|a, b| swing(b).total_cmp(&swing(a)));
    rows
}

/// What `ids-optimize --sensitivity` finds.
#[derive(Debug, Clone)]
pub struct Sensitivity {
    /// The scenario's point.
    pub point: Point,
    /// `sensitivity.csv`.
    pub rows: Vec<SensitivityRow>,
    /// How far the scenario's optimum holds.
    pub robustness: Robustness,
    /// `tornado.csv`.
    pub tornado: Vec<TornadoRow>,
    /// The scenario's optimal cost per item (absolute units), the tornado's centre.
    pub base_cost: f64,
}

/// The map and the tornado of an optimisation's result, with the targets it used.
pub fn analyse(result: &OptimizeResult) -> Result<Sensitivity, AnalysisError> {
    let (cfg, o) = (&result.config, &result.optimum);
    let c = cfg.ids.cost;
    if cfg.ids.lee_cost.is_some() {
        return Err(AnalysisError::Options(
            "--sensitivity maps the standard cost form's ratios C_miss/C_FA and C_node/C_FA; with [ids.cost.lee] \
             (per-kind damage and response costs) there are no such two ratios: remove the table to map"
                .into(),
        ));
    }
    let Some((miss, node)) = c.ratios() else {
        return Err(AnalysisError::Options(
            "--sensitivity: the map is drawn in cost ratios to the false-alarm cost, so ids.cost.per_false_alarm must \
             be > 0"
                .into(),
        ));
    };
    let analytic = branches(&result.rows, "analytic");
    let simulated = branches(&result.rows, "simulated");
    let pi = result.rows.iter().find(|r| r.method == "analytic").map_or(0.0, |r| r.prevalence);
    if !(pi > 0.0 && pi < 1.0) {
        return Err(AnalysisError::Options(format!(
            "--sensitivity needs both attacks and benign items among the inspected ones (prevalence {pi})"
        )));
    }
    let point = Point { prevalence: pi, miss, node };
    let rows = map(point, &analytic, &simulated);
    let robustness = robustness(point, &analytic, &rows);
    // The detector's own parameters, ±50 %, through the closed form with the same placement and targets.
    let rebuilt = |edit: &dyn Fn(&mut Detector)| -> Vec<Branch> {
        let mut changed = cfg.clone();
        edit(&mut changed.ids.detector);
        (1..=result.placement.len() as u32)
            .map(|n| {
                let e = expected(&changed, &result.topology, &result.placement[..n as usize]);
                let (detection, false_alarm) = (e.detection_rate, e.false_alarm_rate);
                let feasible = crate::ids::tradeoff::feasible(
                    changed.ids.fusion,
                    n,
                    detection,
                    false_alarm,
                    o.target_detection,
                    o.max_false_alarm,
                );
                Branch { n, detection, false_alarm, feasible }
            })
            .collect()
    };
    let first_scaled = |f: f64| {
        move |d: &mut Detector| match d {
            Detector::Bernoulli { detection, .. } => detection.values_mut().for_each(|p| *p = (*p * f).min(1.0)),
            Detector::Score { correlation, .. } => *correlation = (*correlation * f).min(0.999),
            Detector::Roc(r) => r.correlation = (r.correlation * f).min(0.999),
        }
    };
    let second_scaled = |f: f64| {
        move |d: &mut Detector| match d {
            Detector::Bernoulli { false_alarm, .. } => *false_alarm = (*false_alarm * f).min(1.0),
            Detector::Score { sd, .. } => *sd *= f,
            Detector::Roc(r) => {
                r.fixed_false_alarm = (r.fixed_false_alarm * f).min(crate::ids::roc::X_MAX);
                r.node_false_alarm = r.fixed_false_alarm;
            }
        }
    };
    let (first, second) = match &cfg.ids.detector {
        Detector::Bernoulli { detection, false_alarm } => (
            (
                "node detection probability (every kind)".to_string(),
                detection.values().fold(0.0, |a: f64, b| a.max(*b)),
            ),
            ("node false-alarm probability".to_string(), *false_alarm),
        ),
        Detector::Score { correlation, sd, .. } => (
            ("score correlation between nodes".to_string(), *correlation),
            ("score standard deviation".to_string(), *sd),
        ),
        Detector::Roc(r) => (
            ("roc latent correlation between nodes".to_string(), r.correlation),
            ("roc fixed node false-alarm probability (fixed rule only)".to_string(), r.fixed_false_alarm),
        ),
    };
    let (down, up) = (1.0 - TORNADO_CHANGE, 1.0 + TORNADO_CHANGE);
    let detector = vec![
        (first.0, first.1, rebuilt(&first_scaled(down)), rebuilt(&first_scaled(up))),
        (second.0, second.1, rebuilt(&second_scaled(down)), rebuilt(&second_scaled(up))),
    ];
    Ok(Sensitivity {
        point,
        robustness,
        base_cost: optimum_cost(&analytic, pi, c).0,
        tornado: tornado(&analytic, pi, c, detector),
        rows,
    })
}

/// What the map says, in a few lines (printed by `ids-optimize --sensitivity`).
pub fn describe(s: &Sensitivity) -> String {
    let r = &s.robustness;
    let range = |x: Option<(f64, f64)>| x.map_or("-".to_string(), |(a, b)| format!("{a:.5} to {b:.5}"));
    let Some(n) = r.optimal_n else {
        return "sensitivity: no IDS count meets the targets at the scenario's point\n".to_string();
    };
    format!(
        "sensitivity: {n} nodes stay optimal for C_miss/C_FA {} (scenario {:.4}), C_node/C_FA {} (scenario {:.4}), \
         prevalence {} (scenario {:.4}); on {:.0}% of the cost-ratio grid at the scenario's prevalence; the simulated \
         optimum agrees with the closed form at {} of {} coarse points\n",
        range(r.miss_cost_ratio_range),
        s.point.miss,
        range(r.node_cost_ratio_range),
        s.point.node,
        range(r.prevalence_range),
        s.point.prevalence,
        100.0 * r.share_at_prevalence,
        r.simulated_agrees.0,
        r.simulated_agrees.1,
    )
}

#[cfg(test)]
#[path = "sensitivity_tests.rs"]
mod tests;
