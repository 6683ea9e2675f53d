//! Sweeps (issue 6) through the `cloudletsim` binary: results do not depend on `--jobs`, on sharding or on
//! interruptions, byte for byte; bad sweep files get located errors; `check` gates and `plot` draws; and the
//! Student-t interval of `summary.csv` covers a known mean 95% of the time.
//!
//! - [`reproducible`]: `--jobs`, shards and merging, interrupted and killed sweeps resumed, a folder of another
//!   sweep refused (and `--force`).
//! - [`bad_input`]: bad sweep files get located errors and no folder.
//! - [`check_plot`]: `check` gates and `plot` draws, on sweep and run folders.
//! - [`interval`]: `summary.csv` is the t interval of the runs, and the t interval covers 95%.

use std::fs;
use std::path::Path;

use crate::common::{cli, entries, scratch, stderr};

mod bad_input;
mod check_plot;
mod interval;
mod reproducible;

/// A small lossy network: runs take milliseconds even unoptimised, and replications differ.
const BASE: &str = r#"
name = "sweep-base"

[simulation]
duration_s = 8.0
drain_s = 1.0

[wearables]
count = 20
per_patient = 2

[cloudlets]
count = 4
mesh = "ring"
wan_gateways = [0]

[links.access]
loss_prob = 0.1
max_retries = 1
"#;

/// 3 × 2 points × 3 replications = 18 runs, with a range, a list, a one-value key and a warm-up.
const SWEEP: &str = r#"
scenario = "base.toml"
seed = 11
replications = 3
warmup_s = 1.0

[vary]
"wearables.count" = { from = 10, to = 30, step = 10 }
links.ban.loss_prob = [0.0, 0.2]
"cloudlets.batch_interval_s" = 0.2
"#;

fn setup(test: &str, sweep: &str) -> std::path::PathBuf {
    let dir = scratch(test);
    fs::write(dir.join("base.toml"), BASE).unwrap();
    fs::write(dir.join("sweep.toml"), sweep).unwrap();
    dir
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = cli(dir, args);
    assert!(o.status.success(), "cloudletsim {args:?} failed: {}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

/// Asserts that two sweep folders hold the same tables, manifest and run files, byte for byte.
fn assert_same_sweep(a: &Path, b: &Path) {
    for file in ["runs.csv", "summary.csv", "sweep.json"] {
        assert!(read(a, file) == read(b, file), "{file} differs between {} and {}", a.display(), b.display());
    }
    let runs = entries(&a.join("runs"));
    assert_eq!(runs, entries(&b.join("runs")), "run files differ");
    for f in &runs {
        assert!(read(&a.join("runs"), f) == read(&b.join("runs"), f), "runs/{f} differs");
    }
}
