//! `cloudletsim plot DIR`: the figures of a sweep folder or a run folder, into `DIR/plots/` (PNG and SVG).
//!
//! - **Sweep folder** (`summary.csv`): for every swept key with at least two numeric values, and every metric of
//!   interest that the sweep has ([`METRICS`]: latency, delivery ratio, energy per sample, and the IDS's detection
//!   rate, false-alarm rate and cost when present), the metric's mean against the key with its 95% confidence
//!   interval as error bars; one line per combination of the other swept keys. A metric whose optimum is its
//!   minimum (cost) has the best point ringed and labelled.
//! - **Run folder** (`latency_cdf.csv`): the CDF of end-to-end latency, with its 50th, 95th and 99th percentiles
//!   marked; with `timeseries.csv`, its figures too ([`crate::analysis::timeseries`]).
//!
//! Every figure's data is written beside it as `<stem>.data.csv` ([`crate::plot::data`]). With
//! [`Style::Paper`] (`plot --style paper`) the figures are one-column SVGs with serif text, and no PNG.
//!
//! The `plots/` folder is replaced whole each time.

use std::path::{Path, PathBuf};

pub use super::figures::PlotsError;
use super::figures::{read_csv, read_err, short};
use crate::output::{FolderKind, ResultsDir};
use crate::plot::{xy_figure_styled, Mark, Style, XyChart, XyPoint, XySeries};
use crate::sweep::store::read_manifest;
use crate::sweep::table::SUMMARY_CSV;

/// Which extreme of a metric is best.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Best {
    /// Smaller is better (cost).
    Min,
}

/// A metric worth a figure: its `summary.csv` name, its axis label with unit, the factor from its unit to the
/// label's, and which extreme to mark.
pub struct Metric {
    /// Metric name (columns `NAME.mean`, `NAME.ci95_low`, ...).
    pub name: &'static str,
    /// y-axis label, with unit.
    pub label: &'static str,
    /// Multiplier from the metric's unit to the label's.
    pub scale: f64,
    /// The extreme to ring, if any.
    pub best: Option<Best>,
}

/// The metrics drawn for a sweep, when present in its `summary.csv`.
pub const METRICS: [Metric; 7] = [
    Metric { name: "latency_s.mean", label: "mean end-to-end latency (ms)", scale: 1e3, best: None },
    Metric { name: "latency_s.p95", label: "95th-percentile latency (ms)", scale: 1e3, best: None },
    Metric { name: "packets.delivery_ratio", label: "delivery ratio", scale: 1.0, best: None },
    Metric {
        name: "energy.per_sample_j.total",
        label: "energy per sample, wearable + gateway (µJ)",
        scale: 1e6,
        best: None,
    },
    Metric { name: "ids.detection_rate", label: "detection rate", scale: 1.0, best: None },
    Metric { name: "ids.false_alarm_rate", label: "false-alarm rate", scale: 1.0, best: None },
    Metric { name: "ids.cost", label: "system cost (relative units)", scale: 1.0, best: Some(Best::Min) },
];

/// Draws the figures of the run or sweep folder `dir` into `dir/plots/` (a folder of kind
/// [`FolderKind::Plots`], replaced only as [`ResultsDir::create`] allows; `force` as there) in `style`; returns
/// the figure files written (each has its `.data.csv` beside it).
pub fn plot_dir(dir: &Path, force: bool, style: Style) -> Result<Vec<PathBuf>, PlotsError> {
    let out = ResultsDir::create(&dir.join("plots"), FolderKind::Plots, force)?;
    let files = if dir.join(SUMMARY_CSV).is_file() {
        sweep_figures(dir, out.staging(), style)?
    } else {
        run_figures(dir, out.staging(), style)?
    };
    let staging = out.staging().to_path_buf();
    let target = out.commit()?;
    Ok(files.iter().filter_map(|f| f.strip_prefix(&staging).ok()).map(|f| target.join(f)).collect())
}

/// An axis label for a swept key: its path, and the unit its suffix names.
pub fn key_label(key: &str) -> String {
    let units = [("_s", "s"), ("_m", "m"), ("_bps", "bit/s"), ("_bytes", "bytes"), ("_j", "J"), ("_w", "W")];
    match units.iter().find(|(suffix, _)| key.ends_with(suffix)) {
        Some((_, unit)) => format!("{key} ({unit})"),
        None if key.ends_with("_prob") => format!("{key} (probability)"),
        None => key.to_string(),
    }
}

/// `summary.csv` as read: the header and one row of text per point.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    fn num(row: &[String], i: usize) -> Option<f64> {
        row[i].parse().ok()
    }

    /// Whether column `k` holds at least two distinct numbers and nothing else.
    fn is_numeric_axis(&self, k: usize) -> bool {
        let mut xs: Vec<f64> = self.rows.iter().filter_map(|r| Self::num(r, k)).collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        xs.len() >= 2 && self.rows.iter().all(|r| Self::num(r, k).is_some())
    }

    /// Metric `m` against column `k`, one series per combination of the columns `lines` (in first-seen order).
    fn series(&self, k: usize, m: &Metric, lines: &[(&String, usize)]) -> Option<Vec<XySeries>> {
        let stat = |s: &str| self.col(&format!("{}.{s}", m.name));
        let (mean, lo, hi) = (stat("mean")?, stat("ci95_low")?, stat("ci95_high")?);
        let mut series: Vec<XySeries> = Vec::new();
        for r in &self.rows {
            let (Some(x), Some(y)) = (Self::num(r, k), Self::num(r, mean)) else { continue };
            let label = lines.iter().map(|(o, i)| format!("{o} = {}", r[*i])).collect::<Vec<_>>().join(", ");
            let ci = Self::num(r, lo).zip(Self::num(r, hi)).map(|(a, b)| (a * m.scale, b * m.scale));
            let point = XyPoint { x, y: y * m.scale, ci };
            match series.iter_mut().find(|s| s.label == label) {
                Some(s) => s.points.push(point),
                None => series.push(XySeries { label, points: vec![point] }),
            }
        }
        series.iter_mut().for_each(|s| s.points.sort_by(|a, b| a.x.total_cmp(&b.x)));
        // A metric that is 0 everywhere measured nothing here (the IDS's figures in a sweep without IDS).
        let nothing = series.iter().flat_map(|s| &s.points).all(|p| p.y == 0.0 && p.ci.is_none_or(|c| c == (0.0, 0.0)));
        (!nothing).then_some(series)
    }
}

fn sweep_figures(dir: &Path, staging: &Path, style: Style) -> Result<Vec<PathBuf>, PlotsError> {
    let keys = read_manifest(dir).map_err(|e| format!("{e:#}")).map_err(read_err(&dir.join("sweep.json")))?.keys;
    let (header, rows) = read_csv(&dir.join(SUMMARY_CSV))?;
    let table = Table { header, rows };
    let mut written = Vec::new();
    for key in &keys {
        let Some(k) = table.col(key).filter(|&k| table.is_numeric_axis(k)) else { continue };
        // The other keys that vary name the lines.
        let lines: Vec<(&String, usize)> = keys
            .iter()
            .filter(|o| *o != key)
            .filter_map(|o| table.col(o).map(|i| (o, i)))
            .filter(|(_, i)| table.rows.iter().any(|r| r[*i] != table.rows[0][*i]))
            .collect();
        for m in &METRICS {
            let Some(series) = table.series(k, m, &lines) else { continue };
            let best = match m.best {
                Some(Best::Min) => series.iter().flat_map(|s| &s.points).min_by(|a, b| a.y.total_cmp(&b.y)),
                None => None,
            };
            let marks: Vec<Mark> = best
                .map(|p| Mark { x: p.x, y: p.y, label: format!("minimum {} at {}", short(p.y), p.x) })
                .into_iter()
                .collect();
            let base = format!("{}_vs_{}", m.name.replace('.', "_"), key.replace('.', "_"));
            let (x_label, title) = (key_label(key), format!("{} vs {key} (mean, 95% CI)", m.name));
            let chart = XyChart {
                title: &title,
                x_label: &x_label,
                y_label: m.label,
                series: &series,
                log_x: false,
                markers: true,
                y_range: None,
                marks: &marks,
                dodge: 0.012,
            };
            written.extend(xy_figure_styled(&staging.join(&base), &chart, style)?);
        }
    }
    Ok(written)
}

fn run_figures(dir: &Path, staging: &Path, style: Style) -> Result<Vec<PathBuf>, PlotsError> {
    let path = dir.join("latency_cdf.csv");
    if !path.is_file() {
        return Err(PlotsError::Read {
            path,
            message: format!(
                "{} is neither a sweep folder (summary.csv) nor a run folder with latency_cdf.csv (run the scenario \
                 again with this version of cloudletsim)",
                dir.display()
            ),
        });
    }
    let (_, rows) = read_csv(&path)?;
    let points: Vec<XyPoint> = rows
        .iter()
        .filter_map(|r| {
            Some(XyPoint { x: r.first()?.parse::<f64>().ok()? * 1e3, y: r.get(1)?.parse().ok()?, ci: None })
        })
        .collect();
    let quantile = |q: f64| points.iter().find(|p| p.y >= q).map(|p| (p.x, p.y));
    let quantiles: Vec<(f64, f64, &str)> = [(0.5, "p50"), (0.95, "p95"), (0.99, "p99")]
        .iter()
        .filter_map(|(q, name)| quantile(*q).map(|(x, y)| (x, y, *name)))
        .collect();
    let marks: Vec<Mark> = quantiles.iter().map(|&(x, y, _)| Mark { x, y, label: String::new() }).collect();
    let label = quantiles.iter().map(|(x, _, name)| format!("{name} {} ms", short(*x))).collect::<Vec<_>>().join(", ");
    let (lo, hi) = points.iter().fold((f64::INFINITY, 0.0f64), |(a, b), p| (a.min(p.x), b.max(p.x)));
    let log_x = lo > 0.0 && hi / lo > 30.0;
    // A one-column paper figure has no room for the values in its legend: they are in the data file's marks.
    let label = match style {
        Style::Default => label,
        Style::Paper => quantiles.iter().map(|(_, _, name)| *name).collect::<Vec<_>>().join(", "),
    };
    let series = [XySeries { label: format!("CDF (ringed: {label})"), points }];
    let files = xy_figure_styled(
        &staging.join("latency_cdf"),
        &XyChart {
            title: "End-to-end latency of delivered samples",
            x_label: if log_x { "latency (ms, log scale)" } else { "latency (ms)" },
            y_label: "fraction of samples at or below",
            series: &series,
            log_x,
            markers: false,
            y_range: Some((0.0, 1.12)),
            marks: &marks,
            dodge: 0.0,
        },
        style,
    )?;
    let mut files = files;
    files.extend(crate::analysis::timeseries::timeseries_figures(dir, staging, style)?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_labels_carry_units() {
        assert_eq!(key_label("links.access.loss_prob"), "links.access.loss_prob (probability)");
        assert_eq!(key_label("simulation.duration_s"), "simulation.duration_s (s)");
        assert_eq!(key_label("links.ban.bandwidth_bps"), "links.ban.bandwidth_bps (bit/s)");
        assert_eq!(key_label("wearables.count"), "wearables.count");
    }
}
