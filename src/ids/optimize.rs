//! `cloudletsim ids-optimize`: the decision tree over the number of IDS nodes.
//!
//! Decision node: how many IDS nodes (1 to `max_ids`). Chance nodes: the inspected item is an attack (probability
//! π, the prevalence) or benign; an attack is detected (P_D(n)) or missed; a benign item raises a false alarm
//! (P_FA(n)) or not. Each branch's expected cost per inspected item is
//! `C(n) = (1 − π)·P_FA(n)·C_FA + π·(1 − P_D(n))·C_miss + n·C_node` (closed form, [`super::analytic`]; the cost
//! form of Gaffney & Ulvila and Cárdenas et al., [`crate::ids::IdsCost`]); every branch is also simulated in R
//! replications with common random numbers ([`super::replicated`]: Student-t intervals across replications, and a
//! paired interval for every step C(n) − C(n − 1)), and the minimum-cost branch that meets the detection and
//! false-alarm targets is chosen, with whether it beats its neighbours with confidence. With `k_of_n` fusion the
//! branches n < k cannot alarm and are infeasible. With the score detector the optimiser also sweeps the threshold
//! for the chosen configuration: ROC curve, FPR and FNR, and the crossover error rate where they are equal.

use std::fmt::Write as _;
use std::path::Path;

use rayon::prelude::*;

use crate::analysis::error::AnalysisError;
use crate::chain::topology::Topology;
use crate::ids::analytic::{expected, node_false_alarm_prob, Expected};
use crate::ids::curves_sim::{
    closed_form_at, simulate as simulate_curve, sweepable, thresholds as curve_thresholds, SimulatedCurve, SweepPlan,
};
use crate::ids::placement::placement;
use crate::ids::plots::Roc;
pub use crate::ids::replicated::BranchRun;
use crate::ids::replicated::{beats_neighbours, simulated_rows, step_into};
pub use crate::ids::tradeoff::{Optimum, PairedStep, TradeoffRow};
use crate::ids::IdsCost;
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
    /// Replications simulated per branch (at least 2, for an interval across replications).
    pub replications: u32,
    /// Thresholds at which the swept configuration is simulated for the detection-error curves, each in
    /// `replications` replications (detectors with a threshold only; 0: closed form only).
    pub curve_points: u32,
}

/// Wilson score interval for `k` successes in `n` independent trials (95%): for the rates of a single run, whose
/// items are independent when nothing responds to alarms (the integration tests use it); `ids-optimize` itself
/// gives intervals across replications.
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
    /// Every simulated run, by IDS count then replication.
    pub runs: Vec<BranchRun>,
    /// The chosen branch.
    pub optimum: Optimum,
    /// The base configuration.
    pub config: ModelConfig,
    /// Its network.
    pub topology: Topology,
    /// IDS placement order (the first n host the n-node configuration).
    pub placement: Vec<u32>,
    /// With a detector that has a threshold: its closed-form sweep for the optimum's n (or `ids.count`, at least 1,
    /// when no branch is feasible), and its simulated points.
    pub curves: Option<(Roc, Option<SimulatedCurve>)>,
}

impl OptimizeResult {
    /// The rows as a text table, one line per row under a header (what `cloudletsim ids-optimize` prints).
    pub fn table(&self) -> String {
        let mut s = format!(
            "{:>4} {:10} {:>9} {:>19} {:>9} {:>8} {:>19} {:>9} {:>21}\n",
            "IDS",
            "method",
            "detect",
            "95% interval",
            "false al",
            "cost",
            "95% interval",
            "C(n)-C(n-1)",
            "paired 95% interval"
        );
        for r in &self.rows {
            let diff = match (r.cost_diff_prev, r.cost_diff_prev_ci_low, r.cost_diff_prev_ci_high) {
                (Some(d), Some(l), Some(h)) => format!("{d:>+11.5} [{l:>+9.5}, {h:>+9.5}]"),
                _ => format!("{:>11} {:21}", "", ""),
            };
            let _ = writeln!(
                s,
                "{:>4} {:10} {:>9.4} [{:>7.4}, {:>7.4}] {:>9.4} {:>8.5} [{:>7.5}, {:>7.5}] {diff}{}{}",
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
    if opts.replications < 2 {
        return Err(AnalysisError::Options(format!(
            "--replications must be at least 2 (an interval across replications needs two) (got {})",
            opts.replications
        )));
    }
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
    let fusion = cfg.ids.fusion;
    let feasible = |n: u32, detection: f64, false_alarms: f64| {
        crate::ids::tradeoff::feasible(fusion, n, detection, false_alarms, opts.target_detection, opts.max_false_alarm)
    };
    let mut rows: Vec<TradeoffRow> = (1..=opts.max_ids)
        .map(|n| {
            let slots = &order[..n as usize];
            let mut row = analytic_row(&expected(cfg, &topo, slots), &feasible);
            let latency = crate::ids::collab::expected_detection_latency(cfg, &topo, slots);
            (row.detection_latency_mean_s, row.detection_latency_mean_s_ci_low, row.detection_latency_mean_s_ci_high) =
                (latency, latency, latency);
            row.collaboration_bytes_per_item = (!cfg.ids.collaboration.packets()).then_some(0.0);
            row.node_false_alarm_prob = node_false_alarm_prob(cfg, &topo, slots);
            row
        })
        .collect();
    for i in 1..rows.len() {
        let d = rows[i].cost - rows[i - 1].cost;
        (rows[i].cost_diff_prev, rows[i].cost_diff_prev_ci_low, rows[i].cost_diff_prev_ci_high) =
            (Some(d), Some(d), Some(d));
    }
    let runs = simulate(text, file, sets, cfg, opts)?;
    // Each simulated branch runs at the operating point chosen for its nodes, the analytic row's.
    let node_fpr: Vec<f64> = rows.iter().map(|r| r.node_false_alarm_prob).collect();
    rows.extend(simulated_rows(&runs, &feasible).into_iter().map(|mut r| {
        r.node_false_alarm_prob = node_fpr[r.ids_count as usize - 1];
        r
    }));
    let optimum = choose(&mut rows, opts, &cfg.ids.cost);
    let n = optimum.ids_count.unwrap_or(cfg.ids.count.max(1)).min(opts.max_ids);
    let slots = &order[..n as usize];
    let curves = if let Some(roc) = crate::ids::plots::roc(cfg, &topo, slots).filter(|_| sweepable(&cfg.ids.detector)) {
        let sim = if opts.curve_points > 0 {
            let at = |t: f64| closed_form_at(cfg, &topo, slots, t);
            let thresholds = curve_thresholds(&roc, opts.curve_points as usize);
            let plan = SweepPlan { ids_count: n, thresholds, replications: opts.replications };
            Some(simulate_curve(text, file, sets, cfg, &plan, &at)?)
        } else {
            None
        };
        Some((roc, sim))
    } else {
        None
    };
    Ok(OptimizeResult { rows, runs, optimum, config: base.config, topology: topo, placement: order, curves })
}

/// Simulates every branch n = 1..`max_ids` in replications 0..R (in parallel; the order of the result is by n, then
/// by replication, whatever the thread count). Replication r of every n uses the same replication index: common
/// random numbers. With `k_of_n` fusion and n < k the run keeps k (the scenario's check wants k <= `ids.count`, so
/// it is loaded with k = n and given k back): such an IDS inspects and never alarms.
fn simulate(
    text: &str,
    file: &Path,
    sets: &[String],
    cfg: &ModelConfig,
    opts: &OptimizeOptions,
) -> Result<Vec<BranchRun>, AnalysisError> {
    let jobs: Vec<(u32, u32)> = (1..=opts.max_ids).flat_map(|n| (0..opts.replications).map(move |r| (n, r))).collect();
    jobs.par_iter()
        .map(|&(n, rep)| {
            let mut s = load_str_edited(text, file, sets, |raw| {
                raw.ids.set_count(u64::from(n));
                raw.ids.k = raw.ids.k.min(u64::from(n));
                raw.simulation.replication = cfg.replication + u64::from(rep);
            })?;
            s.config.ids.fusion = cfg.ids.fusion;
            let r = run(&s.config, &RunOptions::default(), |_| {})?;
            Ok(BranchRun::new(rep, &s.config.ids, &r.model.ids().metrics, r.model.ids().exchange_metrics()))
        })
        .collect()
}

/// The analytic row of one branch.
fn analytic_row(e: &Expected, feasible: &dyn Fn(u32, f64, f64) -> bool) -> TradeoffRow {
    TradeoffRow {
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
        cost_diff_prev: None,
        cost_diff_prev_ci_low: None,
        cost_diff_prev_ci_high: None,
        prevalence: e.prevalence,
        bayesian_detection_rate: crate::ids::tradeoff::bayesian_detection_rate(
            e.prevalence,
            e.detection_rate,
            e.false_alarm_rate,
        ),
        attacks: 0,
        benign: 0,
        feasible: feasible(e.ids_count, e.detection_rate, e.false_alarm_rate),
        optimal: false,
        detection_latency_mean_s: None,
        detection_latency_mean_s_ci_low: None,
        detection_latency_mean_s_ci_high: None,
        detection_latency_p95_s: None,
        collaboration_bytes_per_item: None,
        node_false_alarm_prob: f64::NAN,
    }
}

/// Marks the optimum of each method (the feasible branch of least cost, ties to fewer nodes) and describes it,
/// with the paired steps around the simulated one.
fn choose(rows: &mut [TradeoffRow], opts: &OptimizeOptions, cost: &IdsCost) -> Optimum {
    let pick = |rows: &[TradeoffRow], method: &str| {
        rows.iter()
            .enumerate()
            .filter(|(_, r)| r.method == method && r.feasible)
            .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost).then(a.1.ids_count.cmp(&b.1.ids_count)))
            .map(|(i, _)| i)
    };
    let best_a = pick(rows, "analytic");
    let best_s = pick(rows, "simulated");
    for i in [best_a, best_s].into_iter().flatten() {
        rows[i].optimal = true;
    }
    let a = best_a.map(|i| &rows[i]);
    let s = best_s.map(|i| &rows[i]);
    let below = s.and_then(|s| step_into(rows, s.ids_count));
    let above = s.and_then(|s| step_into(rows, s.ids_count + 1));
    let ratios = cost.ratios();
    Optimum {
        ids_count: a.map(|r| r.ids_count),
        detection_rate: a.map_or(0.0, |r| r.detection_rate),
        false_alarm_rate: a.map_or(0.0, |r| r.false_alarm_rate),
        cost: a.map_or(0.0, |r| r.cost),
        bayesian_detection_rate: a.and_then(|r| r.bayesian_detection_rate),
        simulated_ids_count: s.map(|r| r.ids_count),
        simulated_detection_rate: s.map_or(0.0, |r| r.detection_rate),
        simulated_bayesian_detection_rate: s.and_then(|r| r.bayesian_detection_rate),
        simulated_cost: s.map_or(0.0, |r| r.cost),
        simulated_cost_ci_low: s.map_or(0.0, |r| r.cost_ci_low),
        simulated_cost_ci_high: s.map_or(0.0, |r| r.cost_ci_high),
        simulated_step_below: below,
        simulated_step_above: above,
        simulated_beats_neighbours: s.map(|_| beats_neighbours(below.as_ref(), above.as_ref())),
        replications: opts.replications,
        miss_cost_ratio: ratios.map(|r| r.0),
        node_cost_ratio: ratios.map(|r| r.1),
        target_detection: opts.target_detection,
        max_false_alarm: opts.max_false_alarm,
    }
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
/// and roc detectors, `roc.csv`, `cer.json` and the ROC figure) into `dir`.
pub fn write(dir: &ResultsDir, result: &OptimizeResult) -> Result<(), AnalysisError> {
    let (rows, optimum, cfg) = (&result.rows, &result.optimum, &result.config);
    dir.write_csv("ids_tradeoff.csv", rows)?;
    dir.write("optimum.json", &crate::output::to_json(optimum))?;
    dir.write("decision_tree.dot", decision_tree_dot(rows).as_bytes())?;
    crate::ids::plots::tradeoff_figure(&dir.staging().join("ids_tradeoff"), rows, optimum)?;
    if let Some((roc, sim)) = &result.curves {
        dir.write_csv("roc.csv", &roc.points)?;
        dir.write("cer.json", &crate::output::to_json(&roc.cer))?;
        crate::ids::plots::roc_figure(&dir.staging().join("roc"), roc)?;
        let prevalence = rows.first().map_or(0.0, |r| r.prevalence);
        crate::ids::curves_output::write(dir, roc, sim.as_ref(), prevalence, &cfg.ids.cost)?;
    }
    Ok(())
}
