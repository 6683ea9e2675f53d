//! `cloudletsim audit-compare`: full scans against spot checks of the outsourced records (docs/model.md, section
//! 17.6).
//!
//! The scenario is run with the record store on and HMAC tags (`records.audit.integrity = "hmac"`), once with full
//! scans and once per challenge count c of `--challenges` with spot checks, each for several replications
//! (`simulation.replication` = the scenario's + r: common random numbers). Per configuration: what the audits cost
//! (bytes moved, auditor cycles, energy, per audit) and the time from a modification to the audit that finds it
//! (mean with its Student-t 95% interval over replications, p95), beside the closed form T · (1/p − 1/2) averaged
//! over the records (p = 1 − C(n − t, c)/C(n, c) for each record's n blocks). Written: `audit_compare.csv` and
//! `audit_compare.png` / `.svg` (mean time to detect against bytes per audit, one point per configuration).

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::audit::{detection_prob, mean_time_to_detect_s};
use super::audit_keys::{AuditMode, Integrity};
use crate::analysis::error::AnalysisError;
use crate::output::ResultsDir;
use crate::plot::{xy_figure, Mark, PlotError, XyChart, XyPoint, XySeries};
use crate::run::{run, RunOptions};
use crate::scenario::{load_str, load_str_edited};
use crate::sweep::stats::{mean_ci, LEVEL};

/// One row of `audit_compare.csv`: one audit configuration, averaged over replications.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRow {
    /// `full` or `spot_check`.
    pub mode: &'static str,
    /// Blocks challenged per record (full: 0, every block).
    pub challenges: u32,
    /// Replications.
    pub replications: u32,
    /// Mean blocks per record.
    pub blocks_per_record: f64,
    /// Audits per run.
    pub audits: f64,
    /// Bytes moved per audit (all records).
    pub bytes_per_audit: f64,
    /// Auditor cycles per audit (x86).
    pub auditor_cycles_per_audit: f64,
    /// Energy per audit, joules.
    pub energy_j_per_audit: f64,
    /// Modifications per run.
    pub tamperings: f64,
    /// Found by audits per run.
    pub detections: f64,
    /// Mean time to detect, seconds (mean over replications).
    pub detection_delay_s: f64,
    /// Its 95% interval, low end.
    pub detection_delay_ci_low_s: f64,
    /// Its 95% interval, high end.
    pub detection_delay_ci_high_s: f64,
    /// 95th percentile of the time to detect, seconds (mean over replications).
    pub detection_delay_p95_s: f64,
    /// The closed form T · (1/p − 1/2), averaged over the records.
    pub predicted_delay_s: f64,
}

/// Parses `--challenges`: a comma-separated list of integers >= 1.
pub fn parse_challenges(text: &str) -> Result<Vec<u32>, AnalysisError> {
    let bad = |m: String| AnalysisError::Options(format!("--challenges {text:?}: {m}"));
    let list: Vec<u32> = text
        .split(',')
        .map(|s| s.trim().parse::<u32>().map_err(|e| bad(format!("{s:?} is not a whole number ({e})"))))
        .collect::<Result<_, _>>()?;
    if list.is_empty() || list.len() > 100 || list.contains(&0) {
        return Err(bad("needs 1 to 100 whole numbers >= 1".into()));
    }
    Ok(list)
}

/// Runs the scenario in `text` (from `file`, with `sets`) with full scans and with spot checks of each count of
/// `challenges`, `replications` times each.
pub fn compare(
    text: &str,
    file: &Path,
    sets: &[String],
    challenges: &[u32],
    replications: u32,
) -> Result<Vec<AuditRow>, AnalysisError> {
    if replications == 0 {
        return Err(AnalysisError::Options("--replications must be at least 1".into()));
    }
    let base = load_str(text, file, sets)?.config;
    let configs: Vec<Option<u32>> = std::iter::once(None).chain(challenges.iter().copied().map(Some)).collect();
    let jobs: Vec<(usize, u32)> = (0..configs.len()).flat_map(|k| (0..replications).map(move |r| (k, r))).collect();
    let runs: Vec<(usize, [f64; 10])> = jobs
        .par_iter()
        .map(|&(k, rep)| {
            let s = load_str_edited(text, file, sets, |raw| {
                raw.records.enabled = true;
                raw.records.audit.integrity = Integrity::Hmac;
                raw.records.audit.mode = if configs[k].is_some() { AuditMode::SpotCheck } else { AuditMode::Full };
                raw.records.audit.challenges = u64::from(configs[k].unwrap_or(1));
                raw.simulation.replication = base.replication + u64::from(rep);
            })?;
            let r = run(&s.config, &RunOptions::default(), |_| {})?;
            let recs = r.model.records();
            let a = recs.auditor().ok_or_else(|| AnalysisError::Options("records.audit is off".into()))?;
            let (m, spec) = (&a.metrics, a.spec());
            let interval = s.config.records.audit_interval.map_or(0.0, |t| t.as_secs_f64());
            let blocks: Vec<u32> = (0..recs.len() as u32).map(|p| recs.audit_blocks(p)).collect();
            let c = configs[k].unwrap_or(u32::MAX);
            let predicted = blocks
                .iter()
                .map(|&n| mean_time_to_detect_s(interval, detection_prob(n, spec.tampered_blocks, c)))
                .sum::<f64>()
                / blocks.len().max(1) as f64;
            let per = |x: f64| x / (m.audits.max(1) as f64);
            let summary = a.summary();
            let d = m.detection_delay.summary();
            Ok((
                k,
                [
                    blocks.iter().map(|&b| b as f64).sum::<f64>() / blocks.len().max(1) as f64,
                    m.audits as f64,
                    per(m.bytes as f64),
                    per(m.auditor_cycles),
                    per(summary.energy_j),
                    recs.metrics.tamperings as f64,
                    m.detections as f64,
                    d.mean,
                    d.p95,
                    predicted,
                ],
            ))
        })
        .collect::<Result<_, AnalysisError>>()?;
    Ok(configs
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let column = |i: usize| -> Vec<f64> { runs.iter().filter(|(j, _)| *j == k).map(|(_, v)| v[i]).collect() };
            let stat = |i: usize| {
                let m = mean_ci(&column(i), LEVEL).expect("at least one replication");
                let (lo, hi) = m.ci.unwrap_or((m.mean, m.mean));
                (m.mean, lo, hi)
            };
            let (delay, lo, hi) = stat(7);
            AuditRow {
                mode: if c.is_some() { "spot_check" } else { "full" },
                challenges: c.unwrap_or(0),
                replications,
                blocks_per_record: stat(0).0,
                audits: stat(1).0,
                bytes_per_audit: stat(2).0,
                auditor_cycles_per_audit: stat(3).0,
                energy_j_per_audit: stat(4).0,
                tamperings: stat(5).0,
                detections: stat(6).0,
                detection_delay_s: delay,
                detection_delay_ci_low_s: lo,
                detection_delay_ci_high_s: hi,
                detection_delay_p95_s: stat(8).0,
                predicted_delay_s: stat(9).0,
            }
        })
        .collect())
}

/// Writes `audit_compare.csv` and its figure into `dir`.
pub fn write(dir: &ResultsDir, rows: &[AuditRow]) -> Result<(), AnalysisError> {
    dir.write_csv("audit_compare.csv", rows)?;
    figure(dir.staging(), rows)?;
    Ok(())
}

fn figure(staging: &Path, rows: &[AuditRow]) -> Result<(), PlotError> {
    // Drawn in order of cost, so that the lines join neighbours.
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| a.bytes_per_audit.total_cmp(&b.bytes_per_audit));
    let rows = &rows[..];
    let point = |r: &AuditRow| XyPoint {
        x: r.bytes_per_audit,
        y: r.detection_delay_s,
        ci: Some((r.detection_delay_ci_low_s, r.detection_delay_ci_high_s)),
    };
    let series = [
        XySeries { label: "simulated".into(), points: rows.iter().map(point).collect() },
        XySeries {
            label: "T · (1/p − 1/2)".into(),
            points: rows.iter().map(|r| XyPoint { x: r.bytes_per_audit, y: r.predicted_delay_s, ci: None }).collect(),
        },
    ];
    let marks: Vec<Mark> = rows
        .iter()
        .map(|r| Mark {
            x: r.bytes_per_audit,
            y: r.detection_delay_s,
            label: if r.challenges == 0 { "full".into() } else { format!("c = {}", r.challenges) },
        })
        .collect();
    xy_figure(
        &staging.join("audit_compare"),
        &XyChart {
            title: "Audit cost against time to detect a modification",
            x_label: "bytes moved per audit (all records)",
            y_label: "mean time to detect (s)",
            series: &series,
            log_x: true,
            markers: true,
            y_range: None,
            marks: &marks,
            dodge: 0.0,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_parse() {
        assert_eq!(parse_challenges("1, 2,8").unwrap(), vec![1, 2, 8]);
        assert!(parse_challenges("0").is_err());
        assert!(parse_challenges("x").is_err());
        assert!(parse_challenges("").is_err());
    }
}
