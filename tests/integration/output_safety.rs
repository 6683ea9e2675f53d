//! Never lose a user's data (issue 10): every command that writes a folder refuses a folder it did not write,
//! writes `manifest.json` (and `scenario.resolved.toml` when it runs a scenario), replaces only its own kind of
//! folder and deletes only what a manifest lists; SIGINT and SIGTERM leave no folder and the right exit status; a
//! file-size limit gives a clear error and no partial folder; `--quiet` silences every command; exit statuses are
//! 0, 1 (a `check` expectation failed) and 2 (an error).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{cli, entries, scratch, stderr};

/// A scenario that runs in well under a second.
const SMALL: &str = "name = \"small\"\nseed = 3\n[simulation]\nduration_s = 5.0\n[wearables]\ncount = 20\n\
                     [cloudlets]\ncount = 4\n";

/// A small IDS scenario (for `ids-optimize`).
const IDS: &str = "name = \"ids\"\n[simulation]\nduration_s = 5.0\n[wearables]\ncount = 10\n[cloudlets]\ncount = 4\n\
                   [ids]\ncount = 2\n";

/// A small trust scenario (for `trust-tradeoff`).
const TRUST: &str = "name = \"trust\"\n[simulation]\nduration_s = 20.0\n[wearables]\ncount = 20\n[cloudlets]\n\
                     count = 2\n[trust]\nenabled = true\n";

/// A sweep of SMALL: 2 points × 2 replications.
const SWEEP: &str = "scenario = \"small.toml\"\nseed = 5\nreplications = 2\n[vary]\n\"wearables.count\" = [10, 20]\n";

/// What a user keeps in a folder.
const USER_FILE: &str = "notes.txt";
const USER_TEXT: &str = "my notes: do not lose\n";

fn ok(out: &Output, what: &str) {
    assert!(out.status.success(), "{what} failed ({:?}): {}", out.status, stderr(out));
}

fn refused(out: &Output, what: &str) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{what}: expected exit status 2, got {:?}; stderr:\n{err}", out.status);
    assert!(!err.contains("panicked"), "{what} panicked:\n{err}");
    err
}

/// A folder holding a user's file.
fn user_folder(dir: &Path, name: &str) -> PathBuf {
    let d = dir.join(name);
    fs::create_dir_all(&d).unwrap();
    fs::write(d.join(USER_FILE), USER_TEXT).unwrap();
    d
}

fn user_file_intact(folder: &Path) {
    assert_eq!(fs::read_to_string(folder.join(USER_FILE)).unwrap(), USER_TEXT, "the user's file changed");
}

/// No hidden staging or temporary entry is left in `dir`.
fn no_hidden_leftovers(dir: &Path) {
    let hidden: Vec<String> = entries(dir).into_iter().filter(|n| n.starts_with('.')).collect();
    assert!(hidden.is_empty(), "left behind in {}: {hidden:?}", dir.display());
}

fn manifest(folder: &Path) -> serde_json::Value {
    let text = fs::read_to_string(folder.join("manifest.json")).expect("manifest.json written");
    serde_json::from_str(&text).expect("manifest.json parses")
}

fn listed(folder: &Path) -> Vec<String> {
    manifest(folder)["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect()
}

fn setup(dir: &Path) {
    fs::write(dir.join("small.toml"), SMALL).unwrap();
    fs::write(dir.join("ids.toml"), IDS).unwrap();
    fs::write(dir.join("trust.toml"), TRUST).unwrap();
    fs::write(dir.join("sweep.toml"), SWEEP).unwrap();
}

/// Each folder-writing command, as arguments with `OUT` where the folder goes, and the kind it writes.
fn commands() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("run", vec!["run", "small.toml", "--out", "OUT"]),
        ("ids-optimize", vec!["ids-optimize", "ids.toml", "--max-ids", "2", "--replications", "2", "--out", "OUT"]),
        ("crypto-compare", vec!["crypto-compare", "small.toml", "--out", "OUT"]),
        (
            "trust-tradeoff",
            vec!["trust-tradeoff", "trust.toml", "--thresholds", "0.2,0.8", "--replications", "2", "--out", "OUT"],
        ),
        ("sweep", vec!["sweep", "sweep.toml", "--out", "OUT"]),
    ]
}

fn with_out<'a>(args: &[&'a str], out: &'a str) -> Vec<&'a str> {
    args.iter().map(|a| if *a == "OUT" { out } else { a }).collect()
}

#[test]
fn every_command_refuses_a_folder_holding_a_users_file_and_force_keeps_it() {
    let dir = scratch("safety-user-folder");
    setup(&dir);
    for (kind, args) in commands() {
        let folder = user_folder(&dir, &format!("user-{kind}"));
        let out_name = format!("user-{kind}");
        let out = cli(&dir, &with_out(&args, &out_name));
        let err = refused(&out, kind);
        assert!(err.contains("did not write") && err.contains("--force"), "{kind}: unclear refusal:\n{err}");
        assert_eq!(entries(&folder), [USER_FILE], "{kind} wrote into a refused folder");
        user_file_intact(&folder);
        no_hidden_leftovers(&dir);

        // With --force it writes beside the user's file, and says in its manifest what it wrote.
        let mut forced = with_out(&args, &out_name);
        forced.push("--force");
        ok(&cli(&dir, &forced), kind);
        user_file_intact(&folder);
        let m = manifest(&folder);
        assert_eq!(m["tool"], "cloudletsim");
        assert_eq!(m["kind"], kind, "{kind}: kind");
        assert!(m["command_line"].as_array().unwrap().iter().any(|a| a == "--force"), "{kind}: command line");
        assert!(m["started_at"].as_str().unwrap().ends_with('Z'), "{kind}: start time");
        assert!(m["version"].as_str().is_some_and(|v| !v.is_empty()));
        let files = listed(&folder);
        assert!(!files.contains(&USER_FILE.to_string()), "{kind}: the manifest claims the user's file");
        assert!(files.contains(&"scenario.resolved.toml".to_string()), "{kind}: no resolved scenario: {files:?}");
        for f in &files {
            if kind != "sweep" {
                assert!(folder.join(f).is_file(), "{kind}: listed {f} is missing");
            }
        }
        // Again, now that the folder is its own kind: replaced without --force, the user's file kept.
        ok(&cli(&dir, &with_out(&args, &out_name)), kind);
        user_file_intact(&folder);
        no_hidden_leftovers(&dir);
    }
}

#[test]
fn a_folder_of_another_kind_is_refused_and_only_listed_files_are_deleted() {
    let dir = scratch("safety-kinds");
    setup(&dir);
    ok(&cli(&dir, &["run", "small.toml", "--out", "r"]), "run");
    let run_files = listed(&dir.join("r"));
    let err = refused(&cli(&dir, &["crypto-compare", "small.toml", "--out", "r"]), "crypto-compare into a run");
    assert!(err.contains("cloudletsim run folder") && err.contains("not a crypto-compare folder"), "{err}");
    assert_eq!(listed(&dir.join("r")), run_files, "the run folder changed");

    // The user adds a file to the run folder: a rerun replaces the run's files and keeps it.
    fs::write(dir.join("r").join(USER_FILE), USER_TEXT).unwrap();
    fs::write(dir.join("small.toml"), SMALL.replace("count = 20", "count = 30")).unwrap();
    ok(&cli(&dir, &["run", "small.toml", "--out", "r"]), "rerun");
    user_file_intact(&dir.join("r"));
    let summary = fs::read_to_string(dir.join("r/summary.json")).unwrap();
    assert!(summary.contains("\"wearables\": 30"), "not replaced:\n{summary}");

    // Forced into the run folder, crypto-compare deletes the run's listed files and nothing else.
    ok(&cli(&dir, &["crypto-compare", "small.toml", "--out", "r", "--force"]), "forced crypto-compare");
    user_file_intact(&dir.join("r"));
    assert!(!dir.join("r/nodes.csv").exists(), "a listed file of the old folder stayed");
    assert_eq!(manifest(&dir.join("r"))["kind"], "crypto-compare");

    // A file the new folder would overwrite, which no manifest lists, is never overwritten, even with --force.
    fs::write(dir.join("r/nodes.csv"), "user's own nodes.csv").unwrap();
    let err = refused(&cli(&dir, &["run", "small.toml", "--out", "r", "--force"]), "clash");
    assert!(err.contains("nodes.csv") && err.contains("would overwrite"), "{err}");
    assert_eq!(fs::read_to_string(dir.join("r/nodes.csv")).unwrap(), "user's own nodes.csv");
    no_hidden_leftovers(&dir);
}

#[test]
fn a_tampered_manifest_cannot_delete_outside_its_folder() {
    let dir = scratch("safety-tampered");
    setup(&dir);
    ok(&cli(&dir, &["run", "small.toml", "--out", "r"]), "run");
    fs::write(dir.join("precious.txt"), USER_TEXT).unwrap();
    let path = dir.join("r/manifest.json");
    let text = fs::read_to_string(&path).unwrap();
    let text = text.replace("\"energy.csv\"", "\"../precious.txt\", \"/etc/hostname\", \"energy.csv\"");
    fs::write(&path, text).unwrap();
    ok(&cli(&dir, &["run", "small.toml", "--out", "r"]), "rerun");
    assert_eq!(fs::read_to_string(dir.join("precious.txt")).unwrap(), USER_TEXT);
    assert!(Path::new("/etc/hostname").exists());
}

#[test]
fn plot_merge_and_topology_respect_users_files() {
    let dir = scratch("safety-plot-merge");
    setup(&dir);
    ok(&cli(&dir, &["run", "small.toml", "--out", "r"]), "run");
    let plots = user_folder(&dir.join("r"), "plots");
    let err = refused(&cli(&dir, &["plot", "r"]), "plot into a user's plots/");
    assert!(err.contains("did not write"), "{err}");
    assert_eq!(entries(&plots), [USER_FILE]);
    ok(&cli(&dir, &["plot", "r", "--force"]), "forced plot");
    user_file_intact(&plots);
    assert_eq!(manifest(&plots)["kind"], "plots");
    ok(&cli(&dir, &["plot", "r"]), "plot again");
    user_file_intact(&plots);

    // merge: shards into a user's folder.
    for i in 0..2 {
        let shard = format!("{i}/2");
        ok(&cli(&dir, &["sweep", "sweep.toml", "--shard", &shard, "--out", &format!("s{i}")]), "shard");
    }
    let m = user_folder(&dir, "m");
    refused(&cli(&dir, &["merge", "s0", "s1", "--out", "m"]), "merge into a user's folder");
    assert_eq!(entries(&m), [USER_FILE]);
    ok(&cli(&dir, &["merge", "s0", "s1", "--out", "m", "--force"]), "forced merge");
    user_file_intact(&m);
    assert!(m.join("summary.csv").is_file() && m.join("scenario.resolved.toml").is_file());
    assert_eq!(manifest(&m)["kind"], "sweep");

    // topology --out: never over a file cloudletsim did not write.
    fs::write(dir.join("graph.dot"), USER_TEXT).unwrap();
    let err = refused(&cli(&dir, &["topology", "small.toml", "--out", "graph.dot"]), "topology over a user's file");
    assert!(err.contains("did not write"), "{err}");
    assert_eq!(fs::read_to_string(dir.join("graph.dot")).unwrap(), USER_TEXT);
    ok(&cli(&dir, &["topology", "small.toml", "--out", "g.dot"]), "topology");
    ok(&cli(&dir, &["topology", "small.toml", "--out", "g.dot", "--core"]), "topology over its own file");
}

#[test]
fn default_folders_under_results_behave_the_same() {
    let dir = scratch("safety-default");
    setup(&dir);
    let folder = user_folder(&dir.join("results"), "small");
    refused(&cli(&dir, &["run", "small.toml"]), "run into results/small holding a user's file");
    assert_eq!(entries(&folder), [USER_FILE]);
    ok(&cli(&dir, &["run", "small.toml", "--force"]), "forced");
    user_file_intact(&folder);
    ok(&cli(&dir, &["run", "small.toml"]), "rerun");
    user_file_intact(&folder);
}

#[test]
fn the_resolved_scenario_reproduces_every_shipped_scenario_byte_for_byte() {
    let dir = scratch("safety-resolved");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut shipped: Vec<PathBuf> = fs::read_dir(root.join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".toml") && !name.starts_with("sweep-")
        })
        .collect();
    shipped.sort();
    assert!(shipped.len() >= 4, "{shipped:?}");
    for file in &shipped {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let file_s = file.to_string_lossy().into_owned();
        // Short and small, with an override, so that the resolved file must carry it.
        let first = format!("{name}-1");
        let sets = ["--set", "simulation.duration_s=20", "--set", "wearables.count=40", "--seed", "11"];
        let mut args = vec!["run", file_s.as_str(), "--out", first.as_str(), "--quiet"];
        args.extend(sets);
        ok(&cli(&dir, &args), &name);
        let resolved = dir.join(&first).join("scenario.resolved.toml");
        let resolved_s = resolved.to_string_lossy().into_owned();
        let second = format!("{name}-2");
        ok(&cli(&dir, &["run", &resolved_s, "--out", &second, "--quiet"]), &format!("{name} resolved"));
        for f in listed(&dir.join(&first)) {
            if f == "timing.json" {
                continue;
            }
            let a = fs::read(dir.join(&first).join(&f)).unwrap();
            let b = fs::read(dir.join(&second).join(&f)).unwrap();
            if f == "scenario.resolved.toml" {
                // The header names the file it came from; the body is the same.
                let body = |t: &[u8]| {
                    String::from_utf8_lossy(t).lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n")
                };
                assert_eq!(body(&a), body(&b), "{name}: resolving a resolved scenario changed it");
            } else {
                assert!(a == b, "{name}: {f} differs when run from scenario.resolved.toml");
            }
        }
    }
}

/// Spawns the binary with `args` in `cwd`, output discarded.
fn spawn(cwd: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_cloudletsim"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the cloudletsim binary starts")
}

fn signal(child: &std::process::Child, sig: &str) {
    let status = Command::new("kill").args(["-s", sig, &child.id().to_string()]).status().expect("kill runs");
    assert!(status.success());
}

/// Waits until the staging folder of `name` appears in `dir` (the run has started), at most 60 s.
/// Waits until the run has made its staging folder and marked it as its own (a process killed between the two
/// leaves an unmarked folder, which no later run may remove: the kill must come after the marker).
fn wait_for_staging(dir: &Path, name: &str) {
    let start = Instant::now();
    let marked =
        |e: &String| e.starts_with(&format!(".{name}.partial-")) && dir.join(e).join(".cloudletsim-staging").is_file();
    while !entries(dir).iter().any(marked) {
        assert!(start.elapsed() < Duration::from_secs(60), "the run never started");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A run long enough to be interrupted (minutes at this size), and the arguments that start it.
const LONG: &str = "name = \"long\"\n[simulation]\nduration_s = 100000.0\n[wearables]\ncount = 2000\n";

#[test]
fn sigint_and_sigterm_stop_a_run_cleanly_and_a_killed_runs_staging_is_cleaned_up() {
    let dir = scratch("safety-signals");
    fs::write(dir.join("long.toml"), LONG).unwrap();
    for (sig, code) in [("INT", 130), ("TERM", 143)] {
        let child = spawn(&dir, &["run", "long.toml", "--out", "long"]);
        wait_for_staging(&dir, "long");
        std::thread::sleep(Duration::from_millis(300));
        signal(&child, sig);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(code), "SIG{sig}: {}", stderr(&out));
        assert!(stderr(&out).contains(&format!("interrupted by SIG{sig}")), "{}", stderr(&out));
        assert_eq!(entries(&dir), ["long.toml"], "SIG{sig} left something behind");
    }
    // A killed process leaves its staging folder; the next run into the same place removes it.
    let mut child = spawn(&dir, &["run", "long.toml", "--out", "long"]);
    wait_for_staging(&dir, "long");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(entries(&dir).iter().any(|e| e.starts_with(".long.partial-")));
    fs::write(dir.join("long.toml"), LONG.replace("100000.0", "1.0").replace("2000", "10")).unwrap();
    ok(&cli(&dir, &["run", "long.toml", "--out", "long"]), "run after a kill");
    assert_eq!(entries(&dir), ["long", "long.toml"]);
}

#[test]
fn an_interrupted_sweep_keeps_its_finished_runs_and_resumes_to_the_same_tables() {
    let dir = scratch("safety-sweep-signal");
    fs::write(dir.join("small.toml"), SMALL.replace("duration_s = 5.0", "duration_s = 400.0")).unwrap();
    let sweep =
        "scenario = \"small.toml\"\nseed = 5\nreplications = 3\n[vary]\n\"wearables.count\" = [100, 200, 300, 400]\n";
    fs::write(dir.join("sweep.toml"), sweep).unwrap();
    let child = spawn(&dir, &["sweep", "sweep.toml", "--out", "s", "--jobs", "1"]);
    let start = Instant::now();
    while fs::read_dir(dir.join("s/runs")).map_or(0, |d| d.count()) < 2 {
        assert!(start.elapsed() < Duration::from_secs(120), "no run finished");
        std::thread::sleep(Duration::from_millis(10));
    }
    signal(&child, "INT");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    let kept = fs::read_dir(dir.join("s/runs")).unwrap().count();
    assert!((2..12).contains(&kept), "{kept} runs kept");
    assert!(!dir.join("s/summary.csv").exists(), "tables written by an interrupted sweep");
    no_hidden_leftovers(&dir.join("s/runs"));
    ok(&cli(&dir, &["sweep", "sweep.toml", "--out", "s"]), "resume");
    ok(&cli(&dir, &["sweep", "sweep.toml", "--out", "whole"]), "uninterrupted");
    for f in ["runs.csv", "summary.csv"] {
        assert_eq!(fs::read(dir.join("s").join(f)).unwrap(), fs::read(dir.join("whole").join(f)).unwrap(), "{f}");
    }
}

#[test]
fn a_file_size_limit_gives_a_clear_error_and_no_folder() {
    let dir = scratch("safety-fsize");
    setup(&dir);
    let Ok(out) = Command::new("prlimit")
        .args(["--fsize=2000", env!("CARGO_BIN_EXE_cloudletsim"), "run", "small.toml", "--out", "r"])
        .current_dir(&dir)
        .output()
    else {
        eprintln!("skipped: prlimit (util-linux) is not installed");
        return;
    };
    let err = refused(&out, "run under a 2000-byte file-size limit");
    assert!(err.contains("File too large"), "{err}");
    assert!(!dir.join("r").exists());
    no_hidden_leftovers(&dir);
}

#[test]
fn quiet_silences_every_command_and_exit_statuses_are_0_1_2() {
    let dir = scratch("safety-quiet");
    setup(&dir);
    let runs: Vec<Vec<&str>> = vec![
        vec!["run", "small.toml", "--out", "r", "--quiet"],
        vec!["validate", "small.toml", "-q"],
        vec!["--quiet", "sweep", "sweep.toml", "--out", "s"],
        vec!["plot", "r", "--quiet"],
        vec!["check", "r", "--expect", "packets.generated > 0", "--quiet"],
        vec!["crypto-compare", "small.toml", "--out", "c", "--quiet"],
        vec!["ids-optimize", "ids.toml", "--max-ids", "2", "--replications", "2", "--out", "i", "--quiet"],
        vec!["trust-tradeoff", "trust.toml", "--thresholds", "0.5", "--replications", "2", "--out", "t", "-q"],
    ];
    for args in &runs {
        let out = cli(&dir, args);
        ok(&out, &args.join(" "));
        assert!(out.stdout.is_empty(), "{args:?} printed:\n{}", String::from_utf8_lossy(&out.stdout));
        assert!(out.stderr.is_empty(), "{args:?} printed on stderr:\n{}", stderr(&out));
    }
    let failed = cli(&dir, &["check", "r", "--expect", "packets.generated < 0", "--quiet"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(failed.stdout.is_empty() && failed.stderr.is_empty());
    let failed = cli(&dir, &["check", "r", "--expect", "packets.generated < 0"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(stderr(&failed).contains("1 of 1 expectations failed"));
    refused(&cli(&dir, &["check", "r", "--expect", "packets.generated <<< 0"]), "bad expectation");
    refused(&cli(&dir, &["run", "missing.toml"]), "missing file");
    refused(&cli(&dir, &["no-such-command"]), "usage error");
}
