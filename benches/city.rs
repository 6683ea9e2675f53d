//! City benchmark: whole runs of `scenarios/city.toml` on one thread, with their speed and peak heap memory.
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

use cloudletsim::run::{build_topology, run_on, RunOptions};
use cloudletsim::scenario;

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// What one run measured.
struct Measure {
    wearables: u64,
    events: u64,
    setup_wall_s: f64,
    loop_wall_s: f64,
    /// Peak heap bytes of the whole run (load, topology, model, event loop), above the heap in use before it.
    peak_bytes: usize,
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

/// Loads `scenarios/city.toml` with `overrides`, runs it and measures.
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
    let peak_bytes = ALLOCATOR.max_allocated().saturating_sub(before);
    Ok(Measure {
        wearables: u64::from(cfg.wearables),
        events: result.events_processed,
        setup_wall_s: total_wall_s - result.run_wall_s,
        loop_wall_s: result.run_wall_s,
        peak_bytes,
        topology_bytes,
        cpu_s,
    })
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
        "{:>7} wearables: {} events in {:.2} s of event loop (+{:.2} s setup): {:.2} M events/s{cpu}",
        m.wearables,
        m.events,
        m.loop_wall_s,
        m.setup_wall_s,
        m.events_per_s() / 1e6,
    );
    println!(
        "{:>7}            peak heap {:.1} MB = {:.0} bytes/wearable (topology alone {:.0} bytes/wearable)",
        "",
        m.peak_bytes as f64 / 1e6,
        m.bytes_per_wearable(),
        m.topology_bytes as f64 / m.wearables as f64,
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
    let marginal = (full.peak_bytes as f64 - half.peak_bytes as f64) / (full.wearables as f64 - half.wearables as f64);
    println!(
        "marginal peak heap {marginal:.0} bytes/wearable (from {} to {} wearables)",
        half.wearables, full.wearables
    );
    Ok(())
}
