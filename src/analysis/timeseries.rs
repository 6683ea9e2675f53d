//! A run's `timeseries.csv` read back: its figures for `cloudletsim plot`, and MSER-5's warm-up for each metric
//! (`cloudletsim warmup`).
//!
//! The warm-up is looked for in the rows that end by the end of sample generation (`simulation.duration_s`, read
//! from the folder's `scenario.resolved.toml`) and span a whole interval: the drain after generation stops and a
//! shorter last interval are not steady state, whatever the model does. Empty cells (a latency in an interval with
//! no delivery) are left out of the metric's series.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::figures::{read_csv, short, PlotsError};
use crate::plot::{xy_figure_styled, Mark, Style, XyChart, XyPoint, XySeries};
use crate::timeseries::mser::{mser5, Truncation};

/// The time series file of a run folder.
pub const TIMESERIES_CSV: &str = "timeseries.csv";

/// The metrics `cloudletsim warmup` reports when none is named.
pub const DEFAULT_METRICS: [&str; 5] =
    ["generated", "delivered", "latency_p50_s", "latency_p95_s", "busiest_link_queue_packets"];

/// `timeseries.csv` as read: each column's numbers (`None` for an empty cell), and the intervals.
pub struct Series {
    path: PathBuf,
    header: Vec<String>,
    /// By column, by row.
    columns: Vec<Vec<Option<f64>>>,
    /// Rows used for the warm-up: whole intervals ending by the end of generation.
    steady_rows: usize,
}

impl Series {
    /// Reads `dir/timeseries.csv` (and `dir/scenario.resolved.toml` for the end of generation).
    pub fn read(dir: &Path) -> Result<Series, PlotsError> {
        let path = dir.join(TIMESERIES_CSV);
        if !path.is_file() {
            return Err(PlotsError::Read {
                path,
                message: "no time series in this folder: run the scenario with `[output] interval_s` (or --set \
                          output.interval_s=SECONDS)"
                    .into(),
            });
        }
        let (header, rows) = read_csv(&path)?;
        let mut columns = vec![Vec::with_capacity(rows.len()); header.len()];
        for (i, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let v = if cell.is_empty() {
                    None
                } else {
                    Some(cell.parse::<f64>().map_err(|_| PlotsError::Read {
                        path: path.clone(),
                        message: format!("line {}, column {}: {cell:?} is not a number", i + 2, header[c]),
                    })?)
                };
                columns[c].push(v);
            }
        }
        let resolved = dir.join(crate::output::manifest::RESOLVED_SCENARIO_FILE);
        let duration_s = crate::scenario::load(&resolved, &[])
            .map_err(|e| PlotsError::Read { path: resolved.clone(), message: e.to_string() })?
            .config
            .duration
            .as_secs_f64();
        let mut s = Series { path, header, columns, steady_rows: 0 };
        let (start, end) = (s.column("interval_start_s")?.to_vec(), s.column("interval_end_s")?.to_vec());
        let length = |i: usize| end[i].zip(start[i]).map(|(e, s)| e - s);
        let full = length(0).unwrap_or(0.0);
        s.steady_rows = (0..rows.len())
            .take_while(|&i| end[i].is_some_and(|e| e <= duration_s * (1.0 + 1e-12)) && length(i) == Some(full))
            .count();
        Ok(s)
    }

    /// Column `name`'s values.
    fn column(&self, name: &str) -> Result<&[Option<f64>], PlotsError> {
        match self.header.iter().position(|h| h == name) {
            Some(i) => Ok(&self.columns[i]),
            None => Err(PlotsError::Read {
                path: self.path.clone(),
                message: format!("no column {name:?}; the columns are: {}", self.header.join(", ")),
            }),
        }
    }

    /// MSER-5's warm-up for metric `name`.
    pub fn warmup(&self, name: &str) -> Result<Warmup, PlotsError> {
        if name.starts_with("interval_") {
            return Err(PlotsError::Read {
                path: self.path.clone(),
                message: format!("{name:?} is the time axis, not a metric"),
            });
        }
        let values = self.column(name)?;
        let starts = self.column("interval_start_s")?;
        let kept: Vec<(f64, f64)> = (0..self.steady_rows)
            .filter_map(|i| Some((starts[i]?, values[i]?)))
            .filter(|(_, v)| v.is_finite())
            .collect();
        let series: Vec<f64> = kept.iter().map(|p| p.1).collect();
        let truncation = mser5(&series);
        let warmup_s = truncation.map(|t| kept.get(t.observations_deleted).map_or(0.0, |p| p.0));
        Ok(Warmup { metric: name.to_string(), observations: series.len(), truncation, warmup_s })
    }
}

/// The warm-up MSER-5 suggests for one metric.
#[derive(Debug, Clone, Serialize)]
pub struct Warmup {
    /// Column of `timeseries.csv`.
    pub metric: String,
    /// Values the rule saw (whole intervals up to the end of generation, empty cells left out).
    pub observations: usize,
    /// MSER-5's answer (`None`: fewer than 20 values).
    pub truncation: Option<Truncation>,
    /// The suggested `simulation.warmup_s`: the start of the first interval kept, s (`None` as above).
    pub warmup_s: Option<f64>,
}

impl Warmup {
    /// One line of text for the terminal.
    pub fn line(&self) -> String {
        match (self.truncation, self.warmup_s) {
            (Some(t), Some(w)) => format!(
                "{}: warm-up {} s ({} of {} intervals deleted, MSER {}){}",
                self.metric,
                short(w),
                t.observations_deleted,
                self.observations,
                short(t.mser),
                if t.at_limit { " - not settled: the minimum is at the end of the search; run longer" } else { "" }
            ),
            _ => format!("{}: too few values ({}; MSER-5 needs at least 20)", self.metric, self.observations),
        }
    }
}

/// Draws the time-series figures of a run folder into `staging` in `style`, each with its `.data.csv`; returns the
/// figure files written (none without `timeseries.csv`).
pub fn timeseries_figures(dir: &Path, staging: &Path, style: Style) -> Result<Vec<PathBuf>, PlotsError> {
    if !dir.join(TIMESERIES_CSV).is_file() {
        return Ok(Vec::new());
    }
    let s = Series::read(dir)?;
    let (start, end) = (s.column("interval_start_s")?, s.column("interval_end_s")?);
    let mid: Vec<Option<f64>> = start.iter().zip(end).map(|(a, b)| Some((a.as_ref()? + b.as_ref()?) / 2.0)).collect();
    // (file, title, y label, scale, columns, the column whose warm-up is marked)
    type Figure = (&'static str, &'static str, &'static str, f64, &'static [&'static str], Option<&'static str>);
    const FIGURES: [Figure; 6] = [
        (
            "timeseries_samples",
            "Samples per interval",
            "samples",
            1.0,
            &["generated", "delivered", "dropped"],
            Some("delivered"),
        ),
        (
            "timeseries_latency",
            "Latency of the samples delivered in each interval",
            "latency (ms)",
            1e3,
            &["latency_p50_s", "latency_p95_s"],
            Some("latency_p95_s"),
        ),
        (
            "timeseries_queue",
            "Packets held by the busiest link at each interval's end",
            "packets",
            1.0,
            &["busiest_link_queue_packets"],
            Some("busiest_link_queue_packets"),
        ),
        (
            "timeseries_energy",
            "Energy spent per interval, by node kind",
            "energy (J)",
            1.0,
            &["energy_wearable_j", "energy_gateway_j", "energy_cloudlet_j", "energy_cloud_j"],
            None,
        ),
        ("timeseries_alive", "Battery-powered nodes alive", "nodes", 1.0, &["wearables_alive", "gateways_alive"], None),
        (
            "timeseries_attacks",
            "Attacks, detections and trust leaks per interval",
            "items",
            1.0,
            &["attacks", "detected", "trust_leaks"],
            None,
        ),
    ];
    let mut written = Vec::new();
    for (base, title, y_label, scale, cols, marked) in FIGURES {
        let mut series = Vec::new();
        for col in cols {
            let Ok(values) = s.column(col) else { continue };
            let points: Vec<XyPoint> = mid
                .iter()
                .zip(values)
                .filter_map(|(x, y)| Some(XyPoint { x: (*x)?, y: (*y)? * scale, ci: None }))
                .collect();
            // A column that is 0 or empty throughout measured nothing here (a mechanism that is off).
            if points.iter().any(|p| p.y != 0.0) {
                series.push(XySeries { label: col.to_string(), points });
            }
        }
        if series.is_empty() {
            continue;
        }
        let mut marks = Vec::new();
        let mut title = title.to_string();
        if let Some(w) = marked.and_then(|m| s.warmup(m).ok()) {
            if let (Some(t), Some(at)) = (w.truncation, w.warmup_s) {
                let y = series.iter().find(|x| x.label == w.metric).and_then(|x| x.points.iter().find(|p| p.x >= at));
                if let Some(p) = y {
                    marks.push(Mark {
                        x: p.x,
                        y: p.y,
                        label: format!("MSER-5 warm-up of {}: {} s", w.metric, short(at)),
                    });
                }
                if t.at_limit {
                    title.push_str(" (not settled)");
                }
            }
        }
        let chart = XyChart {
            title: &title,
            x_label: "simulated time, interval midpoint (s)",
            y_label,
            series: &series,
            log_x: false,
            markers: false,
            y_range: None,
            marks: &marks,
            dodge: 0.0,
        };
        written.extend(xy_figure_styled(&staging.join(base), &chart, style)?);
    }
    Ok(written)
}
