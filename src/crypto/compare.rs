//! `cloudletsim crypto-compare`: every cryptographic scheme × mode on the same workload.
//!
//! The base scenario is run once per (scheme, mode, where) combination, in parallel; each run uses the scenario's
//! own seed, so every combination sees the same sample times and link losses (common random numbers). Written:
//! `crypto_compare.csv` (one row per combination) and `crypto_compare.png` / `.svg` (energy per sample split into
//! crypto and radio, and projected battery lifetime, per scheme and mode).

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::output::crypto_mode_name;
use super::raw::builtin_schemes;
use super::{CryptoAt, CryptoMode};
use crate::analysis::error::AnalysisError;
use crate::output::{ResultsDir, Summary};
use crate::plot::{bar_figure, BarPanel, PlotError};
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
}

/// How many runs [`compare`] makes: every built-in scheme × [`VARIANTS`].
pub fn run_count() -> usize {
    builtin_schemes().len() * VARIANTS.len()
}

/// Runs every built-in scheme × [`VARIANTS`] on the scenario in `text` (from `file`, with `sets` applied first).
pub fn compare(text: &str, file: &Path, sets: &[String]) -> Result<Vec<CompareRow>, AnalysisError> {
    let schemes: Vec<String> = builtin_schemes().into_keys().collect();
    let jobs: Vec<(&String, CryptoMode, CryptoAt)> =
        schemes.iter().flat_map(|s| VARIANTS.iter().map(move |&(m, a)| (s, m, a))).collect();
    jobs.par_iter()
        .map(|&(scheme, mode, at)| {
            let scenario = load_str_edited(text, file, sets, |raw| raw.crypto.set_protection(scheme, mode, at))?;
            let r = run(&scenario.config, &RunOptions::default(), |_| {})?;
            let s = Summary::from_run(&r);
            let e = &s.energy;
            let generated = r.model.metrics().generated.max(1) as f64;
            Ok(CompareRow {
                scheme: scheme.clone(),
                mode: crypto_mode_name(mode).to_string(),
                at: at_name(at).to_string(),
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
            })
        })
        .collect()
}

/// Writes the table and the figure into `dir`.
pub fn write(dir: &ResultsDir, staging: &Path, rows: &[CompareRow]) -> Result<(), AnalysisError> {
    dir.write_csv("crypto_compare.csv", rows)?;
    figure(&staging.join("crypto_compare"), rows)?;
    Ok(())
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
