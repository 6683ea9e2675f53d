//! `cloudletsim ids-optimize`: the decision tree over the number of IDS nodes.
//!
//! Decision node: how many IDS nodes (1 to `max_ids`). Chance nodes: the inspected item is an attack (probability
//! π, the prevalence) or benign; an attack is detected (P_D(n)) or missed; a benign item raises a false alarm
//! (P_FA(n)) or not. Each branch's expected cost per inspected item is
//! `C(n) = c_node·n + c_miss·π·(1 − P_D(n)) + c_fa·(1 − π)·P_FA(n)` (closed form, [`super::analytic`]); every
//! branch is also simulated (replications pooled, 95% intervals), and the minimum-cost branch that meets the
//! detection and false-alarm targets is chosen. With the score detector the optimiser also sweeps the threshold
//! for the chosen configuration: ROC curve, FPR and FNR, and the crossover error rate where they are equal.

use std::fmt::Write as _;
use std::path::Path;

use rayon::prelude::*;

use crate::analysis::error::AnalysisError;
use crate::chain::topology::Topology;
use crate::ids::analytic::{expected, Expected};
use crate::ids::placement::placement;
pub use crate::ids::tradeoff::{Optimum, TradeoffRow};
use crate::ids::Detector;
use crate::output::ResultsDir;
use crate::run::{build_topology, run, RunError, RunOptions};
use crate::scenario::{load_str, load_str_edited, ModelConfig};

/// z of a two-sided 95% normal interval.
const Z95: f64 = 1.959_963_984_540_054;

/// Options of an optimisation.
#[derive(Debug, Clone)]
pub struct OptimizeOptions {
    /// Largest IDS count tried (at most the number of cloudlets).
    pub max_ids: u32,
    /// Smallest acceptable detection rate.
    pub target_detection: f64,
    /// Largest acceptable false-alarm rate.
    pub max_false_alarm: f64,
    /// Replications simulated per branch.
    pub replications: u32,
}

/// Wilson score interval for `k` successes in `n` trials.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// What an optimisation found.
pub struct OptimizeResult {
    /// Analytic rows, then simulated rows, by IDS count.
    pub rows: Vec<TradeoffRow>,
    /// The chosen branch.
    pub optimum: Optimum,
    /// The base configuration.
    pub config: ModelConfig,
    /// Its network.
    pub topology: Topology,
    /// IDS placement order (the first n host the n-node configuration).
    pub placement: Vec<u32>,
}

impl OptimizeResult {
    /// The rows as a text table, one line per row under a header (what `cloudletsim ids-optimize` prints).
    pub fn table(&self) -> String {
        let mut s = format!(
            "{:>4} {:10} {:>9} {:>19} {:>9} {:>8} {:>19}\n",
            "IDS", "method", "detect", "95% interval", "false al", "cost", "95% interval"
        );
        for r in &self.rows {
            let _ = writeln!(
                s,
                "{:>4} {:10} {:>9.4} [{:>7.4}, {:>7.4}] {:>9.4} {:>8.5} [{:>7.5}, {:>7.5}]{}{}",
                r.ids_count,
                r.method,
                r.detection_rate,
                r.detection_rate_ci_low,
                r.detection_rate_ci_high,
                r.false_alarm_rate,
                r.cost,
                r.cost_ci_low,
                r.cost_ci_high,
                if r.feasible { "" } else { "  infeasible" },
                if r.optimal { "  <- optimum" } else { "" }
            );
        }
        s
    }
}

/// The analytic and simulated rows for every IDS count, and the optimum.
pub fn optimize(
    text: &str,
    file: &Path,
    sets: &[String],
    opts: &OptimizeOptions,
) -> Result<OptimizeResult, AnalysisError> {
    let base = load_str(text, file, sets)?;
    let cfg = &base.config;
    let topo = build_topology(cfg).map_err(RunError::from)?;
    if opts.max_ids == 0 || opts.max_ids > cfg.cloudlets.count {
        return Err(AnalysisError::Options(format!(
            "--max-ids must be from 1 to the number of cloudlets ({}) (got {})",
            cfg.cloudlets.count, opts.max_ids
        )));
    }
    let streams = crate::kernel::StreamFactory::new(cfg.seed, cfg.replication);
    let order = placement(&cfg.ids.placement, opts.max_ids, &topo, &streams);
    if order.len() < opts.max_ids as usize {
        return Err(AnalysisError::Options(format!(
            "ids.placement = \"explicit\" lists {} cloudlets in ids.nodes; --max-ids must not exceed that (got {})",
            order.len(),
            opts.max_ids
        )));
    }
    let analytic: Vec<Expected> = (1..=opts.max_ids).map(|n| expected(cfg, &topo, &order[..n as usize])).collect();
    let jobs: Vec<(u32, u32)> = (1..=opts.max_ids).flat_map(|n| (0..opts.replications).map(move |r| (n, r))).collect();
    let sims: Vec<(u32, crate::ids::state::IdsMetrics)> = jobs
        .par_iter()
        .map(|&(n, rep)| {
            let s = load_str_edited(text, file, sets, |raw| {
                raw.ids.set_count(u64::from(n));
                raw.simulation.replication = cfg.replication + u64::from(rep);
            })?;
            let r = run(&s.config, &RunOptions::default(), |_| {})?;
            Ok((n, r.model.ids().metrics.clone()))
        })
        .collect::<Result<_, AnalysisError>>()?;
    let mut rows = Vec::new();
    for e in &analytic {
        rows.push(TradeoffRow {
            ids_count: e.ids_count,
            method: "analytic",
            detection_rate: e.detection_rate,
            detection_rate_ci_low: e.detection_rate,
            detection_rate_ci_high: e.detection_rate,
            false_alarm_rate: e.false_alarm_rate,
            false_alarm_rate_ci_low: e.false_alarm_rate,
            false_alarm_rate_ci_high: e.false_alarm_rate,
            cost: e.cost,
            cost_ci_low: e.cost,
            cost_ci_high: e.cost,
            prevalence: e.prevalence,
            attacks: 0,
            benign: 0,
            feasible: e.detection_rate >= opts.target_detection && e.false_alarm_rate <= opts.max_false_alarm,
            optimal: false,
        });
    }
    let c = &cfg.ids.cost;
    for n in 1..=opts.max_ids {
        let (mut attacks, mut detected, mut benign, mut fa) = (0u64, 0u64, 0u64, 0u64);
        for (_, m) in sims.iter().filter(|(k, _)| *k == n) {
            attacks += m.attacks;
            detected += m.detected;
            benign += m.benign;
            fa += m.false_alarms;
        }
        let items = (attacks + benign).max(1) as f64;
        let missed = (attacks - detected) as f64;
        // Per-item cost values: c_miss for a missed attack, c_fa for a false alarm, 0 otherwise.
        let mean = (c.per_missed_attack * missed + c.per_false_alarm * fa as f64) / items;
        let second = (c.per_missed_attack.powi(2) * missed + c.per_false_alarm.powi(2) * fa as f64) / items;
        let se = ((second - mean * mean).max(0.0) / items).sqrt();
        let base_cost = c.per_ids_node * n as f64;
        let dr = if attacks > 0 { detected as f64 / attacks as f64 } else { 0.0 };
        let far = if benign > 0 { fa as f64 / benign as f64 } else { 0.0 };
        let (dl, dh) = wilson(detected, attacks);
        let (fl, fh) = wilson(fa, benign);
        rows.push(TradeoffRow {
            ids_count: n,
            method: "simulated",
            detection_rate: dr,
            detection_rate_ci_low: dl,
            detection_rate_ci_high: dh,
            false_alarm_rate: far,
            false_alarm_rate_ci_low: fl,
            false_alarm_rate_ci_high: fh,
            cost: base_cost + mean,
            cost_ci_low: base_cost + mean - Z95 * se,
            cost_ci_high: base_cost + mean + Z95 * se,
            prevalence: attacks as f64 / items,
            attacks,
            benign,
            feasible: dr >= opts.target_detection && far <= opts.max_false_alarm,
            optimal: false,
        });
    }
    let pick = |rows: &[TradeoffRow], method: &str| {
        rows.iter()
            .enumerate()
            .filter(|(_, r)| r.method == method && r.feasible)
            .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost).then(a.1.ids_count.cmp(&b.1.ids_count)))
            .map(|(i, _)| i)
    };
    let best_a = pick(&rows, "analytic");
    let best_s = pick(&rows, "simulated");
    for i in [best_a, best_s].into_iter().flatten() {
        rows[i].optimal = true;
    }
    let a = best_a.map(|i| rows[i].clone());
    let s = best_s.map(|i| rows[i].clone());
    let optimum = Optimum {
        ids_count: a.as_ref().map(|r| r.ids_count),
        detection_rate: a.as_ref().map_or(0.0, |r| r.detection_rate),
        false_alarm_rate: a.as_ref().map_or(0.0, |r| r.false_alarm_rate),
        cost: a.as_ref().map_or(0.0, |r| r.cost),
        simulated_ids_count: s.as_ref().map(|r| r.ids_count),
        simulated_detection_rate: s.as_ref().map_or(0.0, |r| r.detection_rate),
        simulated_cost: s.as_ref().map_or(0.0, |r| r.cost),
        target_detection: opts.target_detection,
        max_false_alarm: opts.max_false_alarm,
    };
    Ok(OptimizeResult { rows, optimum, config: base.config, topology: topo, placement: order })
}

/// The decision tree as Graphviz DOT, with the chosen branch in bold.
pub fn decision_tree_dot(rows: &[TradeoffRow]) -> String {
    let mut s = String::from(
        "digraph ids_decision_tree {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n  \
         decide [label=\"IDS nodes?\", shape=box];\n",
    );
    for r in rows.iter().filter(|r| r.method == "analytic") {
        let n = r.ids_count;
        let style = if r.optimal { ", penwidth=3, color=darkgreen" } else { "" };
        let _ = writeln!(
            s,
            "  decide -> item{n} [label=\"n = {n}\"{style}];\n  item{n} [shape=circle, label=\"item\\nC = {:.5}{}\"{style}];",
            r.cost,
            if r.feasible { "" } else { "\\n(infeasible)" }
        );
        let pi = r.prevalence;
        let _ = writeln!(s, "  item{n} -> atk{n} [label=\"attack {pi:.3}\"];\n  atk{n} [shape=circle, label=\"\"];");
        let _ = writeln!(
            s,
            "  item{n} -> ben{n} [label=\"benign {:.3}\"];\n  ben{n} [shape=circle, label=\"\"];",
            1.0 - pi
        );
        let _ = writeln!(
            s,
            "  atk{n} -> det{n} [label=\"detected {:.4}\"];\n  det{n} [shape=plaintext, label=\"no loss\"];",
            r.detection_rate
        );
        let _ = writeln!(
            s,
            "  atk{n} -> miss{n} [label=\"missed {:.4}\"];\n  miss{n} [shape=plaintext, label=\"c_miss\"];",
            1.0 - r.detection_rate
        );
        let _ = writeln!(
            s,
            "  ben{n} -> fa{n} [label=\"false alarm {:.4}\"];\n  fa{n} [shape=plaintext, label=\"c_fa\"];",
            r.false_alarm_rate
        );
        let _ = writeln!(
            s,
            "  ben{n} -> ok{n} [label=\"quiet {:.4}\"];\n  ok{n} [shape=plaintext, label=\"no loss\"];",
            1.0 - r.false_alarm_rate
        );
    }
    s.push_str("}\n");
    s
}

/// Writes `ids_tradeoff.csv`, `optimum.json`, `decision_tree.dot` and the trade-off figure (and, with the score
/// detector, `roc.csv` and its figure) into `dir`.
pub fn write(dir: &ResultsDir, result: &OptimizeResult) -> Result<(), AnalysisError> {
    let (rows, optimum, cfg) = (&result.rows, &result.optimum, &result.config);
    dir.write_csv("ids_tradeoff.csv", rows)?;
    dir.write("optimum.json", &crate::output::to_json(optimum))?;
    dir.write("decision_tree.dot", decision_tree_dot(rows).as_bytes())?;
    crate::ids::plots::tradeoff_figure(&dir.staging().join("ids_tradeoff"), rows, optimum)?;
    if let Detector::Score { .. } = cfg.ids.detector {
        let n = (optimum.ids_count.unwrap_or(cfg.ids.count.max(1)) as usize).min(result.placement.len());
        let roc = crate::ids::plots::roc(cfg, &result.topology, &result.placement[..n]);
        dir.write_csv("roc.csv", &roc.points)?;
        dir.write("cer.json", &crate::output::to_json(&roc.cer))?;
        crate::ids::plots::roc_figure(&dir.staging().join("roc"), &roc)?;
    }
    Ok(())
}
