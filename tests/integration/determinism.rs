//! Determinism: the same scenario and seed give byte-identical results files (all but `timing.json`, which holds
//! wall-clock figures, and `manifest.json`, which records the start time and the command line); another seed gives
//! other results; the default folder is `results/<name>/`; library runs repeat exactly.

use std::fs;
use std::path::Path;

use serde_json::Value;

use cloudletsim::output::{to_json, Summary};

use crate::common::{cli, config, entries, run, scratch, stderr};

/// Small but random in every way the model is: phases, jitter, positions, losses, queues, batches.
const SCENARIO: &str = r#"
name = "determinism"
seed = 3

[simulation]
duration_s = 20.0
drain_s = 1.0

[wearables]
count = 40
per_patient = 2
sensors = ["heart_rate", "spo2", "ecg"]

[patients]
attach = "nearest"

[cloudlets]
count = 6
mesh = "random_geometric"
radius_m = 2000.0
wan_gateways = [0, 3]
batch_interval_s = 0.2

[links.ban]
loss_model = "fixed"  # attempts lost with loss_prob (the on-body channel is nearly lossless)
loss_prob = 0.1
max_retries = 0
buffer_packets = 2

[links.access]
bandwidth_bps = 100000.0
loss_prob = 0.05
"#;

fn run_cli(dir: &Path, out: &str, extra: &[&str]) {
    let mut args = vec!["run", "scenario.toml", "--quiet", "--out", out];
    args.extend_from_slice(extra);
    let o = cli(dir, &args);
    assert!(o.status.success(), "cloudletsim {args:?} failed: {}", stderr(&o));
}

fn read(dir: &Path, run: &str, file: &str) -> Vec<u8> {
    fs::read(dir.join(run).join(file)).unwrap_or_else(|e| panic!("{run}/{file}: {e}"))
}

/// Files every run writes (others may join them; all but `timing.json` and `manifest.json` must be deterministic).
const REQUIRED: [&str; 3] = ["nodes.csv", "summary.json", "timing.json"];

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

#[test]
fn same_seed_gives_byte_identical_results_and_another_seed_does_not() {
    let dir = scratch("determinism");
    fs::write(dir.join("scenario.toml"), SCENARIO).unwrap();
    run_cli(&dir, "a", &[]);
    run_cli(&dir, "b", &[]);
    run_cli(&dir, "seed7", &["--seed", "7"]);
    assert_eq!(entries(&dir), ["a", "b", "scenario.toml", "seed7"], "no staging folder is left behind");
    let files = entries(&dir.join("a"));
    for run in ["a", "b", "seed7"] {
        assert_eq!(entries(&dir.join(run)), files, "{run}: another set of files");
        for file in REQUIRED {
            assert!(files.iter().any(|f| f == file), "{run} lacks {file}: {files:?}");
        }
        let timing = json(&read(&dir, run, "timing.json"));
        for key in ["run_wall_s", "events_per_s"] {
            assert!(timing[key].is_number(), "{run}/timing.json lacks {key}: {timing}");
        }
    }

    // Every file but timing.json and manifest.json (which record the wall clock and the command line) is a pure
    // function of the scenario and the seed.
    for file in files.iter().filter(|f| *f != "timing.json" && *f != "manifest.json") {
        assert!(
            read(&dir, "a", file) == read(&dir, "b", file),
            "{file} differs between two runs of the same scenario and seed"
        );
    }

    let a = json(&read(&dir, "a", "summary.json"));
    let b = json(&read(&dir, "seed7", "summary.json"));
    assert_eq!(a["scenario"]["seed"], 3);
    assert_eq!(b["scenario"]["seed"], 7);
    let p = &a["packets"];
    for key in ["generated", "delivered", "dropped", "in_flight"] {
        assert!(p[key].is_u64(), "summary.json lacks packets.{key}: {a}");
    }
    for key in ["mean", "p95"] {
        assert!(a["latency_s"][key].is_number(), "summary.json lacks latency_s.{key}");
    }
    assert!(a["events_processed"].is_u64() && a["sim_time_s"].is_number());
    assert!(p["dropped"].as_u64() > Some(0), "the scenario should exercise losses: {p}");
    // Not only the seed field differs: the simulated outcome does.
    assert_ne!(a["packets"], b["packets"], "another seed, same packet counts");
    assert_ne!(a["latency_s"], b["latency_s"], "another seed, same latencies");
    assert!(read(&dir, "a", "nodes.csv") != read(&dir, "seed7", "nodes.csv"), "another seed, same nodes.csv");
}

#[test]
fn default_results_folder_is_results_slash_name() {
    let dir = scratch("default-out");
    fs::write(dir.join("scenario.toml"), SCENARIO).unwrap();
    let o = cli(&dir, &["run", "scenario.toml", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(entries(&dir.join("results")), ["determinism"]);
    let files = entries(&dir.join("results/determinism"));
    assert!(REQUIRED.iter().all(|f| files.iter().any(|g| g == f)), "{files:?}");
    // Running again replaces the folder whole, with the same deterministic content.
    let first = fs::read(dir.join("results/determinism/summary.json")).unwrap();
    let o = cli(&dir, &["run", "scenario.toml", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(entries(&dir.join("results")), ["determinism"]);
    assert!(first == fs::read(dir.join("results/determinism/summary.json")).unwrap());
}

#[test]
fn library_runs_are_repeatable() {
    let cfg = config(SCENARIO);
    let a = to_json(&Summary::from_run(&run(&cfg, false)));
    let b = to_json(&Summary::from_run(&run(&cfg, true)));
    assert!(a == b, "tracing samples, or running twice, changed the summary");
}
