//! Sweep results do not depend on `--jobs`, on sharding or on interruptions, byte for byte; a folder of another
//! sweep is refused.

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{cli, entries, stderr};

use super::{assert_same_sweep, ok, read, setup, BASE, SWEEP};

#[test]
fn jobs_and_shards_give_byte_identical_tables() {
    let dir = setup("sweep-jobs-shards", SWEEP);
    let out = ok(&dir, &["sweep", "sweep.toml", "--out", "one", "--jobs", "1"]);
    assert!(out.contains("6 points × 3 replications: 18 runs made, 0 already stored"), "{out}");
    ok(&dir, &["sweep", "sweep.toml", "--out", "two", "--jobs", "2"]);
    assert_same_sweep(&dir.join("one"), &dir.join("two"));
    assert_eq!(entries(&dir.join("one/runs")).len(), 18);

    for i in 0..3 {
        let out = ok(&dir, &["sweep", "sweep.toml", "--out", &format!("shard{i}"), "--shard", &format!("{i}/3")]);
        assert!(out.contains("6 runs made"), "{out}");
        assert!(!dir.join(format!("shard{i}/runs.csv")).exists(), "a shard alone has no tables");
    }
    let out = ok(&dir, &["merge", "shard2", "shard0", "shard1", "--out", "merged"]);
    assert!(out.contains("merged 18 runs"), "{out}");
    assert_same_sweep(&dir.join("one"), &dir.join("merged"));

    // A missing shard is named, and nothing is tabulated.
    let o = cli(&dir, &["merge", "shard0", "shard1", "--out", "partial"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("6 of 18 runs are in none of the shards (first: point 0 replication 2"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.join("partial/runs.csv").exists());

    // Runs of different points and replications are different runs; replications have distinct seeds per point.
    let runs = String::from_utf8(read(&dir.join("one"), "runs.csv")).unwrap();
    let mut lines = runs.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[..5], ["point", "replication", "seed", "wearables.count", "links.ban.loss_prob"]);
    assert_eq!(header[5], "cloudlets.batch_interval_s");
    assert!(header.contains(&"packets.delivery_ratio") && header.contains(&"energy.per_sample_j.total"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 18);
    assert_eq!((rows[4][0], rows[4][1], rows[4][3], rows[4][4]), ("1", "1", "10", "0.2"));
    let delivered = header.iter().position(|h| *h == "packets.delivered").unwrap();
    let distinct: std::collections::HashSet<&str> = rows[..3].iter().map(|r| r[delivered]).collect();
    assert!(distinct.len() > 1, "replications of one point gave identical results: {distinct:?}");
}

#[test]
fn an_interrupted_sweep_resumes_to_the_same_tables() {
    let dir = setup("sweep-resume", SWEEP);
    ok(&dir, &["sweep", "sweep.toml", "--out", "whole", "--jobs", "2"]);
    ok(&dir, &["sweep", "sweep.toml", "--out", "cut", "--jobs", "2"]);
    let runs = dir.join("cut/runs");
    for f in ["p000000-r0000.json", "p000003-r0001.json", "p000005-r0002.json"] {
        fs::remove_file(runs.join(f)).unwrap();
    }
    fs::write(runs.join("p000002-r0000.json"), "{\"point\": 2, \"repl").unwrap(); // as if torn
    fs::write(runs.join(".p000001-r0001.json.tmp-99999"), "half a file").unwrap(); // a dead writer's leftover
    fs::remove_file(dir.join("cut/summary.csv")).unwrap();
    let o = cli(&dir, &["sweep", "sweep.toml", "--out", "cut", "--jobs", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("4 runs made, 14 already stored"), "{out}");
    assert!(stderr(&o).contains("p000002-r0000.json was unreadable or made with other settings"), "{}", stderr(&o));
    for file in ["runs.csv", "summary.csv", "sweep.json"] {
        assert!(read(&dir.join("whole"), file) == read(&dir.join("cut"), file), "{file} differs after resuming");
    }
    // Rerunning a complete sweep runs nothing and rewrites the same tables.
    let out = ok(&dir, &["sweep", "sweep.toml", "--out", "cut"]);
    assert!(out.contains("0 runs made, 18 already stored"), "{out}");
    assert!(read(&dir.join("whole"), "runs.csv") == read(&dir.join("cut"), "runs.csv"));
}

#[test]
fn a_killed_sweep_resumes_to_the_same_tables() {
    // Long enough runs (tens of milliseconds each in test builds) that the kill lands mid-sweep.
    let sweep = "scenario = \"base.toml\"\nseed = 3\nreplications = 10\n[vary]\n\"wearables.count\" = [400, 600]\n\
                 \"simulation.duration_s\" = 120.0\n";
    let dir = setup("sweep-kill", sweep);
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudletsim"))
        .args(["sweep", "sweep.toml", "--out", "killed", "--jobs", "1"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let runs = dir.join("killed/runs");
    let started = Instant::now();
    let stored = || {
        fs::read_dir(&runs).map_or(0, |d| {
            d.filter(|e| e.as_ref().is_ok_and(|e| !e.file_name().to_string_lossy().starts_with('.'))).count()
        })
    };
    while stored() < 3 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    let at_kill = stored();
    assert!((3..20).contains(&at_kill), "the kill should land mid-sweep ({at_kill} of 20 runs stored)");
    assert!(!dir.join("killed/runs.csv").exists());
    let out = ok(&dir, &["sweep", "sweep.toml", "--out", "killed", "--jobs", "2"]);
    let made = 20 - at_kill;
    let runs = if made == 1 { "run" } else { "runs" };
    assert!(out.contains(&format!("{made} {runs} made, {at_kill} already stored")), "{out}");
    ok(&dir, &["sweep", "sweep.toml", "--out", "whole", "--jobs", "2"]);
    assert_same_sweep(&dir.join("whole"), &dir.join("killed"));
}

#[test]
fn a_folder_of_another_sweep_is_refused() {
    let dir = setup("sweep-other", SWEEP);
    ok(&dir, &["sweep", "sweep.toml", "--out", "s"]);
    fs::write(dir.join("sweep.toml"), SWEEP.replace("seed = 11", "seed = 12")).unwrap();
    let o = cli(&dir, &["sweep", "sweep.toml", "--out", "s"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("holds results of another sweep (seed 11 vs 12)"), "{}", stderr(&o));
    fs::write(dir.join("base.toml"), BASE.replace("count = 20", "count = 22")).unwrap();
    fs::write(dir.join("sweep.toml"), SWEEP).unwrap();
    let o = cli(&dir, &["sweep", "sweep.toml", "--out", "s"]);
    assert!(stderr(&o).contains("the base scenario differs"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    // --force starts the folder over: the old sweep's listed files go, a user's file stays, and the tables are
    // those of a fresh folder.
    fs::write(dir.join("s/notes.txt"), "mine").unwrap();
    ok(&dir, &["sweep", "sweep.toml", "--out", "s", "--force"]);
    ok(&dir, &["sweep", "sweep.toml", "--out", "fresh"]);
    assert_eq!(fs::read_to_string(dir.join("s/notes.txt")).unwrap(), "mine");
    assert_same_sweep(&dir.join("fresh"), &dir.join("s"));
}
