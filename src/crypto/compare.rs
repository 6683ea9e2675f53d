//! `cloudletsim crypto-compare`: every cryptographic scheme × mode on the same workload.
//!
//! The base scenario is run once per (scheme, mode, where) combination, in parallel; each run uses the scenario's
//! own seed, so every combination sees the same sample times and link losses (common random numbers). Written:
//! `crypto_compare.csv` (one row per combination) and `crypto_compare.png` / `.svg` (energy per sample split into
//! crypto and radio, and projected battery lifetime, per scheme and mode, at the scenario's own BLE connection
//! interval). When the BAN hop runs BLE, every combination also runs at each of a list of connection intervals
//! ([`DEFAULT_INTERVALS_S`] unless given), and `crypto_lifetime_vs_interval.png` / `.svg` draws the projected
//! wearable lifetime against the interval, per scheme, for per-packet and session encryption at the wearable.

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::output::crypto_mode_name;
use super::raw::builtin_schemes;
use super::{CryptoAt, CryptoMode};
use crate::analysis::error::AnalysisError;
use crate::output::{ResultsDir, Summary};
use crate::plot::{bar_figure, xy_figure, BarPanel, PlotError, XyChart, XyPoint, XySeries};
use crate::run::{run, RunOptions};
use crate::scenario::load_str_edited;

/// The (mode, where) variants compared.
pub const VARIANTS: [(CryptoMode, CryptoAt); 5] = [
    (CryptoMode::PerPacket, CryptoAt::Wearable),
    (CryptoMode::Session, CryptoAt::Wearable),
    (CryptoMode::PerPacket, CryptoAt::Gateway),
    (CryptoMode::Session, CryptoAt::Gateway),
    (CryptoMode::Batch, CryptoAt::Gateway),
];

/// The scenario-file name of a place of encryption (`crypto.at`), as written in `crypto_compare.csv`.
fn at_name(at: CryptoAt) -> &'static str {
    match at {
        CryptoAt::Wearable => "wearable",
        CryptoAt::Gateway => "gateway",
    }
}

/// Connection intervals compared by default under BLE, s: the shortest the specification allows, three between,
/// and the longest (Core v5.3 Vol 6 Part B §4.5.1).
pub const DEFAULT_INTERVALS_S: [f64; 5] = [0.0075, 0.05, 0.4, 1.0, 4.0];

/// Seconds per day, for lifetimes in days.
const DAY_S: f64 = 86_400.0;

/// One row of `crypto_compare.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct CompareRow {
    /// Scheme name.
    pub scheme: String,
    /// `per_packet`, `session` or `batch`.
    pub mode: String,
    /// `wearable` or `gateway`.
    pub at: String,
    /// BLE connection interval of the BAN hop, s (empty with `links.ban.mac = "ideal"`).
    pub connection_interval_s: Option<f64>,
    /// Wearable crypto energy per sample, J.
    pub wearable_crypto_j_per_sample: f64,
    /// Wearable radio energy per sample, J.
    pub wearable_radio_j_per_sample: f64,
    /// Gateway crypto energy per sample, J.
    pub gateway_crypto_j_per_sample: f64,
    /// Gateway radio energy per sample, J.
    pub gateway_radio_j_per_sample: f64,
    /// Cloudlet decryption energy per sample, J.
    pub cloudlet_crypto_j_per_sample: f64,
    /// Projected wearable battery lifetime (mean over wearables), days.
    pub wearable_lifetime_days: f64,
    /// Projected gateway battery lifetime (mean over gateways), days.
    pub gateway_lifetime_days: f64,
    /// Delivered / generated.
    pub delivery_ratio: f64,
    /// Mean end-to-end latency, s.
    pub latency_mean_s: f64,
    /// 95th percentile end-to-end latency, s.
    pub latency_p95_s: f64,
    /// Mean processor time of one sealing at the sender (wearable or gateway), s.
    pub sender_cpu_s_per_sealing: f64,
    /// Utilisation of the senders' processors (model section 7.15).
    pub sender_cpu_utilisation: f64,
    /// Utilisation of the cloudlets' cores.
    pub cloudlet_cpu_utilisation: f64,
}

/// How many runs [`compare`] makes: every built-in scheme × [`VARIANTS`] × `intervals` (at least one).
pub fn run_count(intervals: usize) -> usize {
    builtin_schemes().len() * VARIANTS.len() * intervals.max(1)
}

/// Runs every built-in scheme × [`VARIANTS`] on the scenario in `text` (from `file`, with `sets` applied first), at
/// each BLE connection interval of `intervals_s` (the scenario's own when empty).
pub fn compare(
    text: &str,
    file: &Path,
    sets: &[String],
    intervals_s: &[f64],
) -> Result<Vec<CompareRow>, AnalysisError> {
    let schemes: Vec<String> = builtin_schemes().into_keys().collect();
    let intervals: Vec<Option<f64>> =
        if intervals_s.is_empty() { vec![None] } else { intervals_s.iter().copied().map(Some).collect() };
    let intervals = &intervals;
    let jobs: Vec<(&String, CryptoMode, CryptoAt, Option<f64>)> = schemes
        .iter()
        .flat_map(|s| VARIANTS.iter().flat_map(move |&(m, a)| intervals.iter().map(move |&ci| (s, m, a, ci))))
        .collect();
    jobs.par_iter()
        .map(|&(scheme, mode, at, interval)| {
            let scenario = load_str_edited(text, file, sets, |raw| {
                raw.crypto.set_protection(scheme, mode, at);
                if let Some(ci) = interval {
                    raw.links.ban.ble.connection_interval_s = ci;
                }
            })?;
            let ble = scenario.config.link(crate::chain::LinkClass::Ban).ble.as_ref();
            let r = run(&scenario.config, &RunOptions::default(), |_| {})?;
            let s = Summary::from_run(&r);
            let e = &s.energy;
            let generated = r.model.metrics().generated.max(1) as f64;
            let cpu = &s.crypto.processor;
            let sender = if at == CryptoAt::Wearable { &cpu.wearable } else { &cpu.gateway };
            Ok(CompareRow {
                scheme: scheme.clone(),
                mode: crypto_mode_name(mode).to_string(),
                at: at_name(at).to_string(),
                connection_interval_s: ble.map(|b| b.interval.as_secs_f64()),
                wearable_crypto_j_per_sample: e.wearable_per_sample_j.crypto,
                wearable_radio_j_per_sample: e.wearable_per_sample_j.radio,
                gateway_crypto_j_per_sample: e.gateway_per_sample_j.crypto,
                gateway_radio_j_per_sample: e.gateway_per_sample_j.radio,
                cloudlet_crypto_j_per_sample: e.cloudlet_crypto_j / generated,
                wearable_lifetime_days: e.lifetime.projected.wearable_mean_s / DAY_S,
                gateway_lifetime_days: e.lifetime.projected.gateway_mean_s / DAY_S,
                delivery_ratio: s.packets.delivery_ratio,
                latency_mean_s: s.latency_s.mean,
                latency_p95_s: s.latency_s.p95,
                sender_cpu_s_per_sealing: if sender.jobs > 0 { sender.busy_s / sender.jobs as f64 } else { 0.0 },
                sender_cpu_utilisation: sender.utilisation,
                cloudlet_cpu_utilisation: cpu.cloudlet.utilisation,
            })
        })
        .collect()
}

/// Writes the table and the figures into `dir`; the bar figure shows the rows at connection interval `own_s` (the
/// scenario's own; `None` without BLE).
pub fn write(dir: &ResultsDir, staging: &Path, rows: &[CompareRow], own_s: Option<f64>) -> Result<(), AnalysisError> {
    dir.write_csv("crypto_compare.csv", rows)?;
    let near = |r: &&CompareRow| match (r.connection_interval_s, own_s) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
        _ => true,
    };
    let own: Vec<CompareRow> = rows.iter().filter(near).cloned().collect();
    figure(&staging.join("crypto_compare"), if own.is_empty() { rows } else { &own })?;
    let intervals: Vec<f64> = {
        let mut v: Vec<f64> = rows.iter().filter_map(|r| r.connection_interval_s).collect();
        v.sort_by(f64::total_cmp);
        v.dedup();
        v
    };
    if intervals.len() > 1 {
        lifetime_figure(&staging.join("crypto_lifetime_vs_interval"), rows)?;
    }
    Ok(())
}

/// Projected wearable lifetime against the BLE connection interval, one line per scheme and wearable-side mode.
fn lifetime_figure(base: &Path, rows: &[CompareRow]) -> Result<(), PlotError> {
    let mut schemes: Vec<String> = rows.iter().map(|r| r.scheme.clone()).collect();
    schemes.dedup();
    let mut series = Vec::new();
    for mode in [CryptoMode::PerPacket, CryptoMode::Session] {
        for s in &schemes {
            let mut points: Vec<XyPoint> = rows
                .iter()
                .filter(|r| &r.scheme == s && r.mode == crypto_mode_name(mode) && r.at == "wearable")
                .filter_map(|r| r.connection_interval_s.map(|x| XyPoint { x, y: r.wearable_lifetime_days, ci: None }))
                .collect();
            points.sort_by(|a, b| a.x.total_cmp(&b.x));
            series.push(XySeries { label: format!("{s} {}", crypto_mode_name(mode)), points });
        }
    }
    xy_figure(
        base,
        &XyChart {
            title: "Projected wearable lifetime against the BLE connection interval (encryption at the wearable)",
            x_label: "connection interval (s, log)",
            y_label: "lifetime (days)",
            series: &series,
            log_x: true,
            markers: true,
            y_range: None,
            marks: &[],
            dodge: 0.0,
        },
    )
}

fn figure(base: &Path, rows: &[CompareRow]) -> Result<(), PlotError> {
    let mut schemes: Vec<String> = rows.iter().map(|r| r.scheme.clone()).collect();
    schemes.dedup();
    let series: Vec<String> =
        VARIANTS.iter().map(|&(m, a)| format!("{} @ {}", crypto_mode_name(m), at_name(a))).collect();
    let cell = |f: &dyn Fn(&CompareRow) -> Vec<f64>| -> Vec<Vec<Vec<f64>>> {
        schemes
            .iter()
            .map(|s| {
                VARIANTS
                    .iter()
                    .map(|&(m, a)| {
                        rows.iter()
                            .find(|r| &r.scheme == s && r.mode == crypto_mode_name(m) && r.at == at_name(a))
                            .map_or(vec![f64::NAN], f)
                    })
                    .collect()
            })
            .collect()
    };
    let energy = cell(&|r| {
        vec![
            (r.wearable_crypto_j_per_sample + r.gateway_crypto_j_per_sample) * 1e6,
            (r.wearable_radio_j_per_sample + r.gateway_radio_j_per_sample) * 1e6,
        ]
    });
    let life = cell(&|r| vec![r.wearable_lifetime_days]);
    bar_figure(
        base,
        &[
            BarPanel {
                title: "Energy per sample on wearable + BAN gateway",
                y_label: "energy per sample (µJ, log)",
                groups: &schemes,
                series: &series,
                parts: &["crypto", "radio"],
                values: &energy,
                log_y: true,
            },
            BarPanel {
                title: "Projected wearable battery lifetime",
                y_label: "lifetime (days, log)",
                groups: &schemes,
                series: &series,
                parts: &["lifetime"],
                values: &life,
                log_y: true,
            },
        ],
    )
}
