//! `cloudletsim run`: one scenario, with a progress bar on a terminal, into a run folder, and its summary.

use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cloudletsim::output::{self, FolderKind, Summary};
use cloudletsim::run::RunOptions;

use super::json::{self, OutputFormat};
use crate::{OutArgs, ScenarioArgs};

/// `run`: loads and builds the scenario, runs it (a progress bar on a terminal after a second), writes the run
/// folder and (unless `--quiet`) prints the summary.
/// With `--format json`, no progress bar and one document instead of the summary lines.
pub(crate) fn run(
    args: &ScenarioArgs,
    out: &OutArgs,
    quiet: bool,
    real_crypto: bool,
    format: OutputFormat,
) -> Result<()> {
    let json = format == OutputFormat::Json;
    let quiet = quiet || json;
    let (scenario, topology, _, _) = args.load()?;
    let cfg = &scenario.config;
    let dir = out.create(&cfg.name, FolderKind::Run)?;
    let bar = progress_bar(cfg.end_time().as_nanos(), quiet);
    let started = Instant::now();
    let mut shown = false;
    let opts = RunOptions { real_crypto, ..Default::default() };
    let result = cloudletsim::api::run_into(&scenario, topology, dir, &opts, |now| {
        if !shown && started.elapsed() > Duration::from_secs(1) && !quiet && std::io::stderr().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            shown = true;
        }
        bar.set_position(now.as_nanos());
    });
    bar.finish_and_clear();
    let (path, result) = result?;
    if json {
        // The summary as written, so that the document and summary.json cannot disagree.
        let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(path.join("summary.json"))?)?;
        let files = output::Manifest::read(&path).map(|m| m.files).unwrap_or_default();
        json::print(&serde_json::json!({
            "command": "run",
            "ok": true,
            "results": json::path(&path),
            "files": files,
            "summary": summary,
            "timing": output::Timing::from_run(&result),
        }));
    } else if !quiet {
        print_summary(&Summary::from_run(&result), &output::Timing::from_run(&result), &path);
    }
    Ok(())
}

/// A hidden progress bar over `len` nanoseconds of simulated time, styled unless `quiet`.
fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    if !quiet {
        bar.set_style(
            ProgressStyle::with_template("{spinner} simulating [{bar:40}] {percent:>3}% (ETA {eta})")
                .expect("valid template")
                .progress_chars("=> "),
        );
    }
    bar
}

/// The terminal summary of a run written to `path`.
fn print_summary(s: &Summary, t: &output::Timing, path: &Path) {
    let p = &s.packets;
    let ms = |x: f64| x * 1e3;
    println!(
        "{}: {} wearables, {} patients, {} cloudlets ({} mesh, {} links), {:.0} s simulated",
        s.scenario.name,
        s.scenario.wearables,
        s.scenario.patients,
        s.scenario.cloudlets,
        s.scenario.mesh,
        s.scenario.mesh_links,
        s.sim_time_s
    );
    println!(
        "  samples  generated {}, delivered {} ({:.2}%), dropped {} (buffer full {}, lost {}, dead node {}, blocked {}), in flight {}",
        p.generated,
        p.delivered,
        100.0 * p.delivery_ratio,
        p.dropped,
        p.dropped_by_cause.buffer_full,
        p.dropped_by_cause.lost,
        p.dropped_by_cause.dead_node,
        p.dropped_by_cause.blocked,
        p.in_flight
    );
    let l = &s.latency_s;
    println!(
        "  latency  mean {:.2} ms, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(l.mean),
        ms(l.p50),
        ms(l.p95),
        ms(l.p99),
        ms(l.max)
    );
    println!("  events   {} in {:.2} s ({:.2} M events/s)", s.events_processed, t.run_wall_s, t.events_per_s / 1e6);
    // The optional files, when written.
    let extra: String = ["trust_timeseries.csv", "timeseries.csv"]
        .iter()
        .filter(|f| path.join(f).is_file())
        .map(|f| format!("{f}, "))
        .collect();
    println!(
        "  results  {}/ (summary.json, nodes.csv, energy.csv, latency_cdf.csv, {extra}scenario.resolved.toml, \
         timing.json, manifest.json)",
        path.display()
    );
}
