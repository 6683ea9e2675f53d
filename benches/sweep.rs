//! Sweep scaling: the same sweep of many short runs with 1 and with 2 worker threads, in one process.
//!
//! The sweep is 16 points × 4 replications = 64 runs of a small neighbourhood (200 to 500 wearables on 4
//! cloudlets, 20 simulated seconds), each a few tens of milliseconds, stored as run files and tabulated exactly as
//! `cloudletsim sweep` does. Rounds alternate 1 and 2 threads so that both see the same machine load; the best
//! round of each is kept, and each round's CPU time over wall time shows how many cores it really had (on a shared
//! machine, fewer than 2). The target (issue 6) is a 2-thread time at most 0.55 × the 1-thread time.
//!
//! Run: `cargo bench --bench sweep` (needs 2 free cores to mean anything).

use std::path::{Path, PathBuf};
use std::time::Instant;

use cloudletsim::sweep::store::Manifest;
use cloudletsim::sweep::table::write_tables;
use cloudletsim::sweep::{run_sweep, Sweep, SweepOptions};

/// Rounds per thread count.
const ROUNDS: usize = 5;
/// Target ratio of 2-thread to 1-thread time.
const TARGET: f64 = 0.55;

const BASE: &str = r#"
name = "bench-sweep"
[simulation]
duration_s = 20.0
drain_s = 1.0
[wearables]
count = 200
per_patient = 2
[cloudlets]
count = 4
mesh = "ring"
wan_gateways = [0]
[links.access]
loss_prob = 0.05
"#;

const SWEEP: &str = r#"
scenario = "base.toml"
seed = 1
replications = 4
[vary]
"wearables.count" = { from = 200, to = 500, step = 100 }
"links.access.loss_prob" = [0.0, 0.05, 0.1, 0.2]
"#;

/// CPU seconds (user + system) this process has used so far, from /proc (Linux; 0 elsewhere).
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Wall and CPU seconds of one sweep into a fresh `out`.
fn time_sweep(sweep: &Sweep, out: &Path, jobs: usize) -> (f64, f64) {
    let _ = std::fs::remove_dir_all(out);
    let opts = SweepOptions { out: out.to_path_buf(), jobs, shard: None, force: false, max_events: 0 };
    let (start, cpu) = (Instant::now(), cpu_s());
    let report = run_sweep(sweep, &opts, &|_| {}).expect("the bench sweep runs");
    let elapsed = start.elapsed().as_secs_f64();
    assert!(report.complete && report.ran == sweep.run_count());
    (elapsed, cpu_s() - cpu)
}

fn main() {
    let dir: PathBuf = std::env::temp_dir().join(format!("cloudletsim-bench-sweep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    std::fs::write(dir.join("base.toml"), BASE).expect("write base");
    std::fs::write(dir.join("sweep.toml"), SWEEP).expect("write sweep");
    let sweep = Sweep::load(&dir.join("sweep.toml")).expect("the bench sweep is valid");
    let _ = time_sweep(&sweep, &dir.join("warm-up"), 2);
    let (mut one, mut two) = (f64::INFINITY, f64::INFINITY);
    for round in 0..ROUNDS {
        let (a, a_cpu) = time_sweep(&sweep, &dir.join("one"), 1);
        let (b, b_cpu) = time_sweep(&sweep, &dir.join("two"), 2);
        // CPU time / wall time is the cores a round really had: below 2 with 2 threads, other processes took them.
        println!(
            "round {round}: 1 thread {a:.3} s ({:.2} cores busy), 2 threads {b:.3} s ({:.2} cores busy), ratio {:.3}",
            a_cpu / a,
            b_cpu / b,
            b / a
        );
        one = one.min(a);
        two = two.min(b);
    }
    let same = std::fs::read(dir.join("one/summary.csv")).ok() == std::fs::read(dir.join("two/summary.csv")).ok();
    let ratio = two / one;
    println!(
        "sweep of {} runs: best 1 thread {one:.3} s, best 2 threads {two:.3} s, ratio {ratio:.3} \
         (target <= {TARGET}: {})",
        sweep.run_count(),
        if ratio <= TARGET { "met" } else { "NOT met" }
    );
    println!("summary.csv identical for 1 and 2 threads: {same}");
    let start = Instant::now();
    write_tables(&dir.join("one"), &Manifest::of(&sweep)).expect("tables");
    println!("of which writing runs.csv and summary.csv from the run files: {:.3} s", start.elapsed().as_secs_f64());
    let _ = std::fs::remove_dir_all(&dir);
}
