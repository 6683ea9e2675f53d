//! The commands that read a results folder: `cloudletsim check` (expectations, exit status 1 when one fails) and
//! `cloudletsim plot` (the folder's figures), and `cloudletsim warmup` (MSER-5 on its time series).

use std::path::Path;

use anyhow::Result;

/// `check` found an expectation that does not hold (exit status 1, not 2).
#[derive(Debug, thiserror::Error)]
#[error("{failed} of {total} expectations failed")]
pub(crate) struct ChecksFailed {
    failed: usize,
    total: usize,
    /// One line per failed expectation, printed unless `--quiet`.
    pub(crate) detail: Option<String>,
}

/// `check`: the expectations `expect` on the run or sweep folder `dir`; [`ChecksFailed`] if one does not hold.
pub(crate) fn check(dir: &Path, expect: &[String], quiet: bool) -> Result<()> {
    let outcomes = cloudletsim::check::check(dir, expect)?;
    if !quiet {
        print!("{}", cloudletsim::check::report(&outcomes));
    }
    let failed: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| format!("expectation failed: `{}`: {}", o.expectation, o.detail))
        .collect();
    match failed.len() {
        0 => Ok(()),
        n => {
            let detail = (!quiet).then(|| failed.join("\n"));
            Err(ChecksFailed { failed: n, total: outcomes.len(), detail }.into())
        }
    }
}

/// `plot`: the figures of the run or sweep folder `dir`, into `dir/plots/`.
pub(crate) fn plot(dir: &Path, force: bool, quiet: bool) -> Result<()> {
    let files = cloudletsim::analysis::sweep_plots::plot_dir(dir, force)?;
    if !quiet {
        println!("{} figures in {}/ (PNG and SVG):", files.len(), dir.join("plots").display());
        for f in files {
            println!("  {}", f.display());
        }
    }
    Ok(())
}

/// `warmup`: MSER-5's warm-up for each metric of the run folder `dir`'s `timeseries.csv`, and the largest of them.
pub(crate) fn warmup(dir: &Path, metrics: &[String], json: bool) -> Result<()> {
    use cloudletsim::analysis::timeseries::{Series, DEFAULT_METRICS};
    let series = Series::read(dir)?;
    let names: Vec<String> =
        if metrics.is_empty() { DEFAULT_METRICS.iter().map(|m| m.to_string()).collect() } else { metrics.to_vec() };
    let found = names.iter().map(|m| series.warmup(m)).collect::<Result<Vec<_>, _>>()?;
    let largest =
        found.iter().filter_map(|w| w.warmup_s).fold(None, |a: Option<f64>, w| Some(a.map_or(w, |a| a.max(w))));
    if json {
        let doc = serde_json::json!({ "dir": dir, "metrics": found, "largest_warmup_s": largest });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    println!("MSER-5 warm-up (White 1997) from {}:", dir.join("timeseries.csv").display());
    for w in &found {
        println!("  {}", w.line());
    }
    match largest {
        Some(w) => println!("largest: {w} s; set simulation.warmup_s to at least this (docs/sweeps.md)"),
        None => println!("no metric has enough values: use a shorter output.interval_s or a longer run"),
    }
    Ok(())
}
