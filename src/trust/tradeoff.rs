//! `cloudletsim trust-tradeoff`: the leak-versus-utility trade-off of the trust threshold.
//!
//! The scenario is run with the trust model on at every threshold of a list, for several replications each (in
//! parallel; replication r uses `simulation.replication` = the scenario's + r, so every threshold sees the same
//! profiles, malicious patients and request times: common random numbers). Per threshold: the leak ratio (shares to
//! malicious patients / their requests) and the utility (useful shares / useful requests), averaged over
//! replications with Student-t 95% intervals. Written: `trust_tradeoff.csv`, `trust_tradeoff.png` / `.svg` (utility
//! against leak ratio, one point per threshold) and `trust_threshold.png` / `.svg` (both against the threshold).

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::error::AnalysisError;
use crate::output::ResultsDir;
use crate::plot::{xy_figure, Mark, PlotError, XyChart, XyPoint, XySeries};
use crate::run::{run, RunOptions};
use crate::scenario::{load_str, load_str_edited};
use crate::sweep::stats::{mean_ci, LEVEL};

/// One row of `trust_tradeoff.csv`: one threshold, averaged over replications.
#[derive(Debug, Clone, Serialize)]
pub struct TradeoffRow {
    /// The sharing threshold.
    pub threshold: f64,
    /// Replications.
    pub replications: u32,
    /// Mean leak ratio (leaks / malicious requests).
    pub leak_ratio: f64,
    /// Its 95% interval, low end.
    pub leak_ratio_ci_low: f64,
    /// Its 95% interval, high end.
    pub leak_ratio_ci_high: f64,
    /// Mean utility (useful shares / useful requests).
    pub utility: f64,
    /// Its 95% interval, low end.
    pub utility_ci_low: f64,
    /// Its 95% interval, high end.
    pub utility_ci_high: f64,
    /// Mean leaks per run.
    pub leaks: f64,
    /// Mean useful shares per run.
    pub useful_shares: f64,
    /// Mean grant rate (granted / requests).
    pub grant_rate: f64,
}

/// Most thresholds `--thresholds` may give.
pub const MAX_THRESHOLDS: usize = 1_000;

/// Parses thresholds: `a,b,c` or `from:to:step` (both ends included), each in [0, 1].
pub fn parse_thresholds(text: &str) -> Result<Vec<f64>, AnalysisError> {
    let bad = |m: String| AnalysisError::Options(format!("--thresholds {text:?}: {m}"));
    let num = |s: &str| s.trim().parse::<f64>().map_err(|e| bad(format!("{s:?} is not a number ({e})")));
    let list: Vec<f64> = if let [from, to, step] = text.split(':').collect::<Vec<_>>()[..] {
        let (from, to, step) = (num(from)?, num(to)?, num(step)?);
        if !(step > 0.0 && step.is_finite() && to >= from) {
            return Err(bad("needs from <= to and a step > 0".into()));
        }
        // Count before making the list: a tiny step (`0:1:1e-300`) must be an error, not a huge allocation.
        let n = ((to - from) / step + 1e-9).floor();
        if n.is_nan() || n >= MAX_THRESHOLDS as f64 {
            return Err(bad(format!("gives {n:e} thresholds; allowed: 1 to {MAX_THRESHOLDS}")));
        }
        (0..=n as usize).map(|i| from + i as f64 * step).map(|x| (x * 1e9).round() / 1e9).collect()
    } else {
        text.split(',').map(num).collect::<Result<_, _>>()?
    };
    if list.is_empty() || list.len() > MAX_THRESHOLDS {
        return Err(bad(format!("needs 1 to {MAX_THRESHOLDS} thresholds")));
    }
    if let Some(x) = list.iter().find(|x| !(0.0..=1.0).contains(*x)) {
        return Err(bad(format!("{x} is not in [0, 1]")));
    }
    Ok(list)
}

/// Runs the scenario in `text` (from `file`, with `sets` applied, trust switched on) at every threshold for
/// `replications` replications.
pub fn tradeoff(
    text: &str,
    file: &Path,
    sets: &[String],
    thresholds: &[f64],
    replications: u32,
) -> Result<Vec<TradeoffRow>, AnalysisError> {
    if replications == 0 {
        return Err(AnalysisError::Options("--replications must be at least 1".into()));
    }
    let base = load_str(text, file, sets)?.config;
    let jobs: Vec<(usize, u32)> = (0..thresholds.len()).flat_map(|t| (0..replications).map(move |r| (t, r))).collect();
    let runs: Vec<(usize, [f64; 5])> = jobs
        .par_iter()
        .map(|&(t, rep)| {
            let s = load_str_edited(text, file, sets, |raw| {
                raw.trust.enabled = true;
                raw.trust.threshold = thresholds[t];
                raw.simulation.replication = base.replication + u64::from(rep);
            })?;
            let r = run(&s.config, &RunOptions::default(), |_| {})?;
            let m = &r.model.trust().metrics;
            let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
            Ok((
                t,
                [
                    ratio(m.leaks, m.malicious_requests),
                    ratio(m.useful_shares, m.useful_requests),
                    m.leaks as f64,
                    m.useful_shares as f64,
                    ratio(m.granted, m.requests),
                ],
            ))
        })
        .collect::<Result<_, AnalysisError>>()?;
    Ok(thresholds
        .iter()
        .enumerate()
        .map(|(t, &threshold)| {
            let column = |k: usize| -> Vec<f64> { runs.iter().filter(|(i, _)| *i == t).map(|(_, v)| v[k]).collect() };
            let stat = |k: usize| {
                let m = mean_ci(&column(k), LEVEL).expect("at least one replication");
                let (lo, hi) = m.ci.unwrap_or((m.mean, m.mean));
                (m.mean, lo, hi)
            };
            let (leak_ratio, leak_ratio_ci_low, leak_ratio_ci_high) = stat(0);
            let (utility, utility_ci_low, utility_ci_high) = stat(1);
            TradeoffRow {
                threshold,
                replications,
                leak_ratio,
                leak_ratio_ci_low,
                leak_ratio_ci_high,
                utility,
                utility_ci_low,
                utility_ci_high,
                leaks: stat(2).0,
                useful_shares: stat(3).0,
                grant_rate: stat(4).0,
            }
        })
        .collect())
}

/// Writes `trust_tradeoff.csv` and the two figures into `dir`.
pub fn write(dir: &ResultsDir, rows: &[TradeoffRow]) -> Result<(), AnalysisError> {
    dir.write_csv("trust_tradeoff.csv", rows)?;
    figures(dir.staging(), rows)?;
    Ok(())
}

/// Threshold labels on the trade-off curve: a point is labelled unless a labelled one is within a label's width
/// (a quarter of the x axis) and height (a tenth of the y axis) of it; points that coincide with the last labelled
/// one extend its label to a range (`θ = 0.8–1`).
fn labelled(rows: &[TradeoffRow]) -> Vec<Mark> {
    let span = |f: fn(&TradeoffRow) -> f64| {
        let (lo, hi) = rows.iter().map(f).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        (hi - lo).max(1e-9)
    };
    let (sx, sy) = (span(|r| r.leak_ratio), span(|r| r.utility));
    let mut marks: Vec<(Mark, f64, f64)> = Vec::new();
    for r in rows {
        let near = |m: &Mark| (((m.x - r.leak_ratio) / sx).abs() / 0.25).max(((m.y - r.utility) / sy).abs() / 0.1);
        if let Some((last, first, _)) = marks.last_mut().filter(|(m, _, _)| near(m) < 1e-9) {
            *first = first.min(r.threshold);
            last.label = format!("θ = {}–{}", first, r.threshold);
            continue;
        }
        if marks.iter().all(|(m, _, _)| near(m) > 1.0) {
            let mark = Mark { x: r.leak_ratio, y: r.utility, label: format!("θ = {}", r.threshold) };
            marks.push((mark, r.threshold, r.threshold));
        }
    }
    marks.into_iter().map(|(m, _, _)| m).collect()
}

fn figures(staging: &Path, rows: &[TradeoffRow]) -> Result<(), PlotError> {
    let curve = XySeries {
        label: String::new(),
        points: rows
            .iter()
            .map(|r| XyPoint { x: r.leak_ratio, y: r.utility, ci: Some((r.utility_ci_low, r.utility_ci_high)) })
            .collect(),
    };
    let marks = labelled(rows);
    xy_figure(
        &staging.join("trust_tradeoff"),
        &XyChart {
            title: "Leak vs utility over the trust threshold",
            x_label: "leak ratio (shares to malicious / their requests)",
            y_label: "utility (useful shares / useful requests)",
            series: std::slice::from_ref(&curve),
            log_x: false,
            markers: true,
            y_range: Some((0.0, 1.05)),
            marks: &marks,
            dodge: 0.0,
        },
    )?;
    let by_threshold = |label: &str, get: fn(&TradeoffRow) -> (f64, f64, f64)| XySeries {
        label: label.to_string(),
        points: rows
            .iter()
            .map(|r| {
                let (y, lo, hi) = get(r);
                XyPoint { x: r.threshold, y, ci: Some((lo, hi)) }
            })
            .collect(),
    };
    let series = [
        by_threshold("utility", |r| (r.utility, r.utility_ci_low, r.utility_ci_high)),
        by_threshold("leak ratio", |r| (r.leak_ratio, r.leak_ratio_ci_low, r.leak_ratio_ci_high)),
    ];
    xy_figure(
        &staging.join("trust_threshold"),
        &XyChart {
            title: "Utility and leaks against the trust threshold",
            x_label: "trust threshold θ",
            y_label: "fraction of requests granted",
            series: &series,
            log_x: false,
            markers: true,
            y_range: Some((0.0, 1.3)),
            marks: &[],
            dodge: 0.0,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_parse_as_a_list_or_a_range() {
        assert_eq!(parse_thresholds("0.2, 0.5,0.9").unwrap(), vec![0.2, 0.5, 0.9]);
        assert_eq!(parse_thresholds("0:1:0.25").unwrap(), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(parse_thresholds("0:1:0.1").unwrap().len(), 11);
        assert_eq!(parse_thresholds("0:1:0.1").unwrap()[3], 0.3);
        assert!(parse_thresholds("0:1:0").is_err());
        // A tiny step or infinite ends are refused before any list is made.
        for tiny in ["0:1:1e-300", "0:1:0.0001", "-inf:1:0.5", "0:1:5e-324"] {
            let e = parse_thresholds(tiny).unwrap_err().to_string();
            assert!(e.contains("allowed: 1 to 1000") || e.contains("not in [0, 1]"), "{tiny}: {e}");
        }
        assert!(parse_thresholds("1.5").unwrap_err().to_string().contains("not in [0, 1]"));
        assert!(parse_thresholds("x").is_err());
    }
}
