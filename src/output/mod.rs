//! Results on disk: `summary.json`, `nodes.csv`, `energy.csv`, `latency_cdf.csv`, `timing.json` (and, with the
//! trust model on, `trust_timeseries.csv`; with `output.interval_s`, `timeseries.csv`), written atomically into one folder.
//!
//! Every file but `timing.json` is a pure function of the scenario and seed, byte for byte.

pub mod atomic;
pub mod manifest;
pub mod summary;

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::run::RunResult;

pub use atomic::{OutputError, ResultsDir};
pub use manifest::{FolderKind, Manifest};
pub use summary::Summary;

/// `timing.json`: the only file with wall-clock figures.
#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    /// Seconds to build topology and model.
    pub setup_wall_s: f64,
    /// Seconds in the event loop.
    pub run_wall_s: f64,
    /// Events processed per wall-clock second of the event loop.
    pub events_per_s: f64,
    /// Simulated seconds per wall-clock second.
    pub speedup: f64,
    /// Peak resident memory of the process, in bytes (Linux; 0 elsewhere).
    pub peak_rss_bytes: u64,
}

impl Timing {
    /// Timing of a finished run.
    pub fn from_run(r: &RunResult) -> Timing {
        let per_s = |x: f64| {
            if r.run_wall_s > 0.0 {
                x / r.run_wall_s
            } else {
                0.0
            }
        };
        Timing {
            setup_wall_s: r.setup_wall_s,
            run_wall_s: r.run_wall_s,
            events_per_s: per_s(r.events_processed as f64),
            speedup: per_s(r.sim_time.as_secs_f64()),
            peak_rss_bytes: peak_rss_bytes(),
        }
    }
}

/// Peak resident set size of this process (VmHWM), in bytes; 0 where unknown.
pub fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// Pretty JSON with a trailing newline.
pub fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    let mut s = serde_json::to_vec_pretty(v).expect("summaries serialise");
    s.push(b'\n');
    s
}

/// Writes a run's results into `dir` (a staging folder already created). Per-node files are written row by row as
/// the rows are computed; `energy.csv` and the `energy` section of `summary.json` share one pass over the nodes.
pub fn write_run(dir: &ResultsDir, r: &RunResult) -> Result<(), OutputError> {
    dir.write_csv("nodes.csv", crate::chain::nodes::node_rows(r))?;
    let mut energy = crate::energy::output::EnergyTally::new(r);
    dir.write_csv("energy.csv", crate::energy::output::energy_rows(r).inspect(|row| energy.add(row)))?;
    dir.write("summary.json", &to_json(&Summary::from_run_with(r, energy.finish())))?;
    dir.write_with("latency_cdf.csv", |w| write_latency_cdf(w, r))?;
    if r.model.trust().enabled() {
        dir.write_csv("trust_timeseries.csv", crate::trust::output::trust_rows(r.model.trust()))?;
    }
    if !r.timeseries.is_empty() {
        dir.write_csv("timeseries.csv", &r.timeseries)?;
    }
    dir.write("timing.json", &to_json(&Timing::from_run(r)))
}

/// Writes `latency_cdf.csv` to `w`: the empirical CDF of end-to-end latency, one row per histogram bucket that holds
/// delivered samples (`latency_s`, the bucket's upper end; `fraction`, the share of samples at or below it).
pub fn write_latency_cdf(w: &mut dyn Write, r: &RunResult) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(w);
    w.write_record(["latency_s", "fraction"])?;
    for (latency_s, fraction) in r.model.metrics().end_to_end.cdf() {
        w.write_record([summary_number(latency_s), summary_number(fraction)])?;
    }
    w.flush()
}

/// A number as `summary.json` writes it.
fn summary_number(x: f64) -> String {
    serde_json::Number::from_f64(x).map_or_else(String::new, |n| n.to_string())
}

/// The default results folder of a scenario: `results/<name>/`.
pub fn default_out(name: &str) -> PathBuf {
    Path::new("results").join(name)
}
