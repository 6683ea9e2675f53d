//! `crypto-compare`'s at-rest table: the record store of the scenario (its `[records]` settings, turned on) sealed
//! with each cipher, on the server class (the remote cloud) and, for comparison, on the wearable class. Written:
//! `crypto_at_rest.csv` (one row per cipher and class) and `crypto_at_rest.png` / `.svg` (energy per record and
//! throughput per cipher). No simulation runs: the records are generated as a run would, then each encrypted part
//! is costed with the profile (cycles ÷ clock for time, cycles × J/cycle for energy; `docs/model.md` §14).

use std::path::Path;

use serde::Serialize;

use super::profile::{CipherProfile, CIPHER_NAMES};
use crate::analysis::error::AnalysisError;
use crate::kernel::StreamFactory;
use crate::output::ResultsDir;
use crate::plot::{bar_figure, BarPanel, PlotError};
use crate::records::state::RecordsState;
use crate::records::{EiProtection, MiProtection};
use crate::scenario::load_str_edited;

/// Bytes in a megabyte (10^6) for the per-MB columns.
const MB: f64 = 1e6;

/// One row of `crypto_at_rest.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct AtRestRow {
    /// Cipher name.
    pub cipher: String,
    /// `server` (the remote cloud, x86-64) or `wearable` (Cortex-M4, for comparison).
    pub class: String,
    /// Records stored (one per patient).
    pub records: u64,
    /// Parts stored encrypted (EI and/or MI per record).
    pub encrypted_parts: u64,
    /// Plaintext bytes of the encrypted parts.
    pub plaintext_bytes: u64,
    /// Bytes they take sealed (nonce or IV, padding, tag).
    pub sealed_bytes: u64,
    /// Sealing overhead per record, bytes.
    pub overhead_bytes_per_record: f64,
    /// Cycles to seal one record (key setup per part included).
    pub cycles_per_record: f64,
    /// Processor time to seal one record, s.
    pub time_s_per_record: f64,
    /// Energy to seal one record, J.
    pub energy_j_per_record: f64,
    /// Processor time per MB (10^6 bytes) of plaintext, s.
    pub time_s_per_mb: f64,
    /// Energy per MB of plaintext, J.
    pub energy_j_per_mb: f64,
    /// Plaintext sealed per second of one core, MB/s.
    pub throughput_mb_per_s: f64,
    /// Largest number of bytes one key encrypts (one record's key seals its own parts).
    pub max_bytes_under_one_key: u64,
    /// The cipher's data limit per key, bytes (empty: none).
    pub max_bytes_per_key: Option<u64>,
    /// Rekeys that limit forces at rest: ⌊(bytes under one key − 1) / limit⌋ summed over records.
    pub forced_rekeys: u64,
}

/// The at-rest rows of every built-in cipher for the scenario in `text` (with `sets`), its record store turned on.
pub fn at_rest(text: &str, file: &Path, sets: &[String]) -> Result<Vec<AtRestRow>, AnalysisError> {
    let mut rows = Vec::new();
    for name in CIPHER_NAMES {
        let scenario = load_str_edited(text, file, sets, |raw| {
            raw.records.enabled = true;
            raw.records.cipher = name.to_string();
        })?;
        let cfg = &scenario.config;
        let topo = crate::run::build_topology(cfg).map_err(|e| AnalysisError::Options(e.to_string()))?;
        let store = RecordsState::new(cfg, &topo, &StreamFactory::new(cfg.seed, cfg.replication));
        let spec = store.spec();
        let per_record: Vec<Vec<usize>> = (0..store.len() as u32)
            .map(|p| {
                let mut parts = Vec::new();
                if spec.ei == EiProtection::Encrypted {
                    parts.push(store.ei_plaintext(p).len());
                }
                if spec.mi == MiProtection::Encrypted {
                    parts.push(store.mi_plaintext(p).len());
                }
                parts
            })
            .collect();
        let p = &spec.cipher;
        let e = &cfg.energy;
        for (class, hz, j_per_cycle) in [
            ("server", e.processor.cloudlet_hz, e.cloudlet_j_per_cycle),
            ("wearable", e.processor.wearable_hz, e.wearable_j_per_cycle),
        ] {
            rows.push(row(p, class, hz, j_per_cycle, &per_record));
        }
    }
    Ok(rows)
}

/// One cipher on one processor class, for records whose encrypted parts have the plaintext lengths `per_record`.
pub fn row(p: &CipherProfile, class: &str, hz: f64, j_per_cycle: f64, per_record: &[Vec<usize>]) -> AtRestRow {
    let server = class == "server";
    let part_cycles = |b: usize| {
        let (c, setup) = if server {
            (p.server_cycles(b as u64), p.server_key_setup_cycles)
        } else {
            (p.wearable_cycles(b as u64), p.wearable_key_setup_cycles)
        };
        c + setup
    };
    let (mut parts, mut plain, mut sealed, mut cycles, mut max_key, mut rekeys) = (0u64, 0u64, 0u64, 0.0, 0u64, 0u64);
    for rec in per_record {
        let mut under_key = 0;
        for &b in rec {
            parts += 1;
            plain += b as u64;
            sealed += p.ciphertext_bytes(b as u64);
            cycles += part_cycles(b);
            under_key += p.encrypted_bytes(b as u64);
        }
        max_key = max_key.max(under_key);
        if let (Some(limit), true) = (p.max_bytes_per_key, under_key > 0) {
            rekeys += (under_key - 1) / limit;
        }
    }
    let n = per_record.len().max(1) as f64;
    let mb = (plain as f64 / MB).max(f64::MIN_POSITIVE);
    let time = cycles / hz;
    AtRestRow {
        cipher: p.name.clone(),
        class: class.to_string(),
        records: per_record.len() as u64,
        encrypted_parts: parts,
        plaintext_bytes: plain,
        sealed_bytes: sealed,
        overhead_bytes_per_record: (sealed - plain) as f64 / n,
        cycles_per_record: cycles / n,
        time_s_per_record: time / n,
        energy_j_per_record: cycles * j_per_cycle / n,
        time_s_per_mb: time / mb,
        energy_j_per_mb: cycles * j_per_cycle / mb,
        throughput_mb_per_s: if time > 0.0 { plain as f64 / MB / time } else { 0.0 },
        max_bytes_under_one_key: max_key,
        max_bytes_per_key: p.max_bytes_per_key,
        forced_rekeys: rekeys,
    }
}

/// Writes `crypto_at_rest.csv` and its figure into `dir`.
pub fn write(dir: &ResultsDir, staging: &Path, rows: &[AtRestRow]) -> Result<(), AnalysisError> {
    dir.write_csv("crypto_at_rest.csv", rows)?;
    figure(&staging.join("crypto_at_rest"), rows)?;
    Ok(())
}

fn figure(base: &Path, rows: &[AtRestRow]) -> Result<(), PlotError> {
    let groups: Vec<String> = CIPHER_NAMES.iter().map(|s| s.to_string()).collect();
    let series: Vec<String> = vec!["server (remote cloud)".into(), "wearable class".into()];
    let cell = |f: &dyn Fn(&AtRestRow) -> f64| -> Vec<Vec<Vec<f64>>> {
        groups
            .iter()
            .map(|g| {
                ["server", "wearable"]
                    .iter()
                    .map(|c| vec![rows.iter().find(|r| &r.cipher == g && r.class == *c).map_or(f64::NAN, f)])
                    .collect()
            })
            .collect()
    };
    let energy = cell(&|r| r.energy_j_per_record * 1e6);
    let throughput = cell(&|r| r.throughput_mb_per_s);
    bar_figure(
        base,
        &[
            BarPanel {
                title: "Energy to seal one record at rest",
                y_label: "energy per record (µJ, log)",
                groups: &groups,
                series: &series,
                parts: &["seal"],
                values: &energy,
                log_y: true,
            },
            BarPanel {
                title: "Sealing throughput of one core",
                y_label: "throughput (MB/s, log)",
                groups: &groups,
                series: &series,
                parts: &["throughput"],
                values: &throughput,
                log_y: true,
            },
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::cipher::profile::builtin;

    #[test]
    fn a_row_by_hand() {
        // Two records, each with EI (60 B) and MI (30 B) encrypted, 3DES-CBC-HMAC on the server at 2 GHz, 1 nJ/cycle.
        let p = builtin("3des-cbc-hmac").unwrap();
        let r = row(&p, "server", 2.0e9, 1e-9, &[vec![60, 30], vec![60, 30]]);
        // Padded: 64 and 32 bytes; sealed: 8 + 64 + 16 and 8 + 32 + 16.
        assert_eq!((r.plaintext_bytes, r.sealed_bytes, r.encrypted_parts), (180, 2 * (88 + 56), 4));
        let per_record = 2.0 * (193.0 + 706.0) + 141.4 * (64.0 + 32.0);
        assert!((r.cycles_per_record - per_record).abs() < 1e-6);
        assert!((r.time_s_per_record - per_record / 2.0e9).abs() < 1e-15);
        assert!((r.energy_j_per_record - per_record * 1e-9).abs() < 1e-15);
        assert!((r.throughput_mb_per_s - 180.0 / 1e6 / (2.0 * per_record / 2.0e9)).abs() < 1e-9);
        // One record's key seals 96 bytes: far below 8 MiB, no rekey at rest.
        assert_eq!((r.max_bytes_under_one_key, r.forced_rekeys), (96, 0));
    }
}
