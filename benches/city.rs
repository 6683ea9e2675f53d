//! City benchmark: whole runs of `scenarios/city.toml` on one thread, with their speed and peak heap memory.
//!
//! Each run takes the path `cloudletsim run` takes: load the scenario, build the topology and the model, run the event
//! loop, and write the results folder (into a temporary folder, removed afterwards). The peak heap of that whole path
//! is the figure per wearable; the peak reached before the results are written shows beside it.
//!
//! The scenario runs at two sizes, 50,000 wearables (through the `wearables.count` override) and then its own
//! 100,000, so that the marginal memory per wearable (difference of peaks over difference of wearables) shows beside
//! the total per wearable. Heap bytes are counted by the `cap` crate as this binary's global allocator; its peak never
//! resets, so the sizes run in increasing order and each peak is read after its run.
//!
//! `cargo bench --bench city` passes `--bench` and gets the full runs. Without it (`cargo test --benches`), a
//! 2,000-wearable, 10-second version runs once as a smoke test.

use std::alloc::System;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use cap::Cap;

use cloudletsim::output::{self, ResultsDir};
use cloudletsim::run::{build_topology, run_on, RunOptions, RunResult};
use cloudletsim::scenario;

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// What one run measured.
struct Measure {
    wearables: u64,
    events: u64,
    setup_wall_s: f64,
    loop_wall_s: f64,
    /// Seconds spent writing the results folder.
    write_wall_s: f64,
    /// Peak heap bytes of the whole run (load, topology, model, event loop, results written), above the heap in use
    /// before it.
    peak_bytes: usize,
    /// Peak heap bytes before the results were written (load, topology, model, event loop).
    run_peak_bytes: usize,
    /// Heap bytes held by the topology alone, just after it was built.
    topology_bytes: usize,
    /// Seconds this thread spent on a CPU during `run_on` (model setup and event loop), when the OS tells.
    cpu_s: Option<f64>,
}

impl Measure {
    fn events_per_s(&self) -> f64 {
        self.events as f64 / self.loop_wall_s
    }
    fn bytes_per_wearable(&self) -> f64 {
        self.peak_bytes as f64 / self.wearables as f64
    }
}

/// Loads `scenarios/city.toml` with `overrides`, runs it, writes its results and measures.
fn run_city(overrides: &[String]) -> Result<Measure> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/city.toml");
    let before = ALLOCATOR.allocated();
    let start = Instant::now();
    let scenario = scenario::load(&path, overrides)?;
    let cfg = scenario.config;
    let topology = build_topology(&cfg).context("building the city's network")?;
    let topology_bytes = ALLOCATOR.allocated().saturating_sub(before);
    let cpu_before = cpu_time_s();
    let result = run_on(&cfg, topology, &RunOptions::default(), |_| {})?;
    let cpu_s = cpu_time_s().zip(cpu_before).map(|(after, before)| after - before);
    let total_wall_s = start.elapsed().as_secs_f64();
    let run_peak_bytes = ALLOCATOR.max_allocated().saturating_sub(before);
    let write_start = Instant::now();
    let out = std::env::temp_dir().join(format!("cloudletsim-bench-city-{}-{}", std::process::id(), cfg.wearables));
    write_results(&out, &result)?;
    let write_wall_s = write_start.elapsed().as_secs_f64();
    let peak_bytes = ALLOCATOR.max_allocated().saturating_sub(before);
    std::fs::remove_dir_all(&out).with_context(|| format!("removing {}", out.display()))?;
    Ok(Measure {
        wearables: u64::from(cfg.wearables),
        events: result.events_processed,
        setup_wall_s: total_wall_s - result.run_wall_s,
        loop_wall_s: result.run_wall_s,
        write_wall_s,
        peak_bytes,
        run_peak_bytes,
        topology_bytes,
        cpu_s,
    })
}

/// Writes `result` as `cloudletsim run` does: into a staging folder, moved onto `out` when complete.
fn write_results(out: &Path, result: &RunResult) -> Result<()> {
    let dir = ResultsDir::create(out, cloudletsim::output::FolderKind::Run, false)?;
    output::write_run(&dir, result)?;
    dir.commit()?;
    Ok(())
}

/// Time the main thread has spent on a CPU, in seconds (Linux: `/proc/self/schedstat`), or `None`.
///
/// On a shared machine the wall clock also counts the time other processes held the CPU; this does not.
fn cpu_time_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 * 1e-9)
}

fn report(m: &Measure) {
    let cpu = m.cpu_s.map_or(String::new(), |cpu_s| {
        format!(" ({:.2} M events per CPU-second of run_on, setup included)", m.events as f64 / cpu_s / 1e6)
    });
    println!(
        "{:>7} wearables: {} events in {:.2} s of event loop (+{:.2} s setup, +{:.2} s writing results): \
         {:.2} M events/s{cpu}",
        m.wearables,
        m.events,
        m.loop_wall_s,
        m.setup_wall_s,
        m.write_wall_s,
        m.events_per_s() / 1e6,
    );
    let per_wearable = |bytes: usize| bytes as f64 / m.wearables as f64;
    println!(
        "{:>7}            peak heap {:.1} MB = {:.0} bytes/wearable with results written ({:.0} before \
         writing; topology alone {:.0})",
        "",
        m.peak_bytes as f64 / 1e6,
        m.bytes_per_wearable(),
        per_wearable(m.run_peak_bytes),
        per_wearable(m.topology_bytes),
    );
}

fn main() -> Result<()> {
    // `cargo bench` passes `--bench`; every other argument (a filter, for instance) is ignored.
    if !std::env::args().any(|a| a == "--bench") {
        let smoke = ["wearables.count=2000", "simulation.duration_s=10"].map(String::from);
        report(&run_city(&smoke)?);
        return Ok(());
    }
    println!("scenarios/city.toml, one thread:");
    let half = run_city(&["wearables.count=50000".to_string()])?;
    report(&half);
    let full = run_city(&[])?;
    report(&full);
    let marginal = |peak: fn(&Measure) -> usize| {
        (peak(&full) as f64 - peak(&half) as f64) / (full.wearables as f64 - half.wearables as f64)
    };
    println!(
        "marginal peak heap {:.0} bytes/wearable with results written ({:.0} before writing; from {} to {} wearables)",
        marginal(|m| m.peak_bytes),
        marginal(|m| m.run_peak_bytes),
        half.wearables,
        full.wearables
    );
    Ok(())
}
