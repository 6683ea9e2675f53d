//! `crypto-compare`'s channel table, `crypto_channel.csv`: the scenario with the cloudlet → cloud channel
//! unprotected, under TLS 1.3 and under DTLS 1.3 (exposure counted in each), on the same seed (common random
//! numbers), one row each: bytes added, cloudlet energy and latency per sample, and what a mesh or WAN intruder
//! could read. The scheme comparison's own files are untouched.

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::raw::Protection;
use crate::analysis::error::AnalysisError;
use crate::output::{ResultsDir, Summary};
use crate::run::{run, RunOptions};
use crate::scenario::load_str_edited;

/// The protections compared, in row order.
pub const PROTECTIONS: [Protection; 3] = [Protection::None, Protection::Tls13, Protection::Dtls13];

/// One row of `crypto_channel.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelRow {
    /// `none`, `tls13` or `dtls13`.
    pub protection: String,
    /// Records sealed (packets leaving their entry cloudlet).
    pub records: u64,
    /// Full handshakes.
    pub handshakes_full: u64,
    /// PSK resumptions.
    pub handshakes_resumed: u64,
    /// Handshake wire bytes on mesh and WAN links per sample generated.
    pub handshake_bytes_per_sample: f64,
    /// Record framing wire bytes on mesh and WAN links per sample generated.
    pub record_bytes_per_sample: f64,
    /// Both, per sample generated.
    pub bytes_added_per_sample: f64,
    /// Cloudlet energy of the channel's cycles (AEAD and handshakes) per sample generated, J.
    pub cloudlet_j_per_sample: f64,
    /// Cloud energy of the channel's cycles per sample generated, J (server class J/cycle).
    pub cloud_j_per_sample: f64,
    /// Mean handshake wait per record, s.
    pub handshake_wait_mean_s: f64,
    /// Mean end-to-end latency, s.
    pub latency_mean_s: f64,
    /// 95th percentile end-to-end latency, s.
    pub latency_p95_s: f64,
    /// Delivered / generated.
    pub delivery_ratio: f64,
    /// Sample crossings of mesh links readable by an intruder there.
    pub readable_mesh_samples: u64,
    /// Sample crossings of WAN links readable by an intruder there.
    pub readable_wan_samples: u64,
}

/// Runs the scenario in `text` (from `file`, `sets` applied first) under each of [`PROTECTIONS`].
pub fn compare(text: &str, file: &Path, sets: &[String]) -> Result<Vec<ChannelRow>, AnalysisError> {
    PROTECTIONS
        .par_iter()
        .map(|&protection| {
            let scenario = load_str_edited(text, file, sets, |raw| raw.channel.set_protection(protection))?;
            let r = run(&scenario.config, &RunOptions::default(), |_| {})?;
            let s = Summary::from_run(&r);
            let c = s.channel.ok_or_else(|| AnalysisError::Options("the channel section is missing".into()))?;
            let n = r.model.metrics().generated.max(1) as f64;
            let hs = (c.handshake_wire_bytes.mesh + c.handshake_wire_bytes.wan) as f64;
            let rec = (c.record_overhead_wire_bytes.mesh + c.record_overhead_wire_bytes.wan) as f64;
            Ok(ChannelRow {
                protection: protection.name().to_string(),
                records: c.records,
                handshakes_full: c.handshakes.full,
                handshakes_resumed: c.handshakes.resumed,
                handshake_bytes_per_sample: hs / n,
                record_bytes_per_sample: rec / n,
                bytes_added_per_sample: (hs + rec) / n,
                cloudlet_j_per_sample: c.cloudlet.energy_j / n,
                cloud_j_per_sample: c.cloud.energy_j / n,
                handshake_wait_mean_s: c.handshake_wait_s.mean_per_record,
                latency_mean_s: s.latency_s.mean,
                latency_p95_s: s.latency_s.p95,
                delivery_ratio: s.packets.delivery_ratio,
                readable_mesh_samples: c.readable.mesh.samples,
                readable_wan_samples: c.readable.wan.samples,
            })
        })
        .collect()
}

/// Writes `crypto_channel.csv` into `dir`.
pub fn write(dir: &ResultsDir, rows: &[ChannelRow]) -> Result<(), AnalysisError> {
    dir.write_csv("crypto_channel.csv", rows)?;
    Ok(())
}
