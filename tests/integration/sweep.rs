//! Sweeps (issue 6) through the `cloudletsim` binary: results do not depend on `--jobs`, on sharding or on
//! interruptions, byte for byte; bad sweep files get located errors; `check` gates and `plot` draws; and the
//! Student-t interval of `summary.csv` covers a known mean 95% of the time.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand_distr::{Bernoulli, Distribution, Normal};
use rand_pcg::Pcg64;
use statrs::distribution::{Binomial, Discrete};

use cloudletsim::sweep::stats::{mean_ci, t_quantile, LEVEL};

use crate::common::{cli, entries, scratch, stderr};

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
fn summary_csv_is_the_t_interval_of_the_runs() {
    let dir = setup("sweep-summary", SWEEP);
    ok(&dir, &["sweep", "sweep.toml", "--out", "s"]);
    let table = |file: &str| {
        let mut r = csv::Reader::from_path(dir.join("s").join(file)).unwrap();
        let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect();
        (h, rows)
    };
    let (rh, runs) = table("runs.csv");
    let (sh, points) = table("summary.csv");
    assert_eq!(points.len(), 6);
    for metric in ["latency_s.mean", "packets.delivered", "energy.per_sample_j.total"] {
        let m = rh.iter().position(|h| h == metric).unwrap();
        let col = |stat: &str| sh.iter().position(|h| *h == format!("{metric}.{stat}")).unwrap();
        for p in &points {
            let xs: Vec<f64> = runs.iter().filter(|r| r[0] == p[0]).map(|r| r[m].parse().unwrap()).collect();
            let s = mean_ci(&xs, LEVEL).unwrap();
            assert_eq!(p[col("n")], "3");
            let num = |stat: &str| p[col(stat)].parse::<f64>().unwrap();
            assert_eq!(num("mean"), s.mean, "{metric} point {}", p[0]);
            assert_eq!(num("std"), s.std.unwrap());
            let half = t_quantile(0.975, 2.0) * s.std.unwrap() / 3f64.sqrt();
            assert!((num("ci95_low") - (s.mean - half)).abs() <= 1e-12 * (1.0 + s.mean.abs()));
            assert!((num("ci95_high") - (s.mean + half)).abs() <= 1e-12 * (1.0 + s.mean.abs()));
        }
    }
    assert!(!sh.iter().any(|h| h.starts_with("scenario.seed.")), "a run's seed is not a metric");
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

/// One bad sweep file and what its message must say.
struct Bad {
    name: &'static str,
    /// Lines after `scenario = "base.toml"`.
    text: &'static str,
    /// `sweep.toml:LINE: key `KEY`` where known.
    located: &'static str,
    says: &'static [&'static str],
}

const BAD: &[Bad] = &[
    Bad {
        name: "unknown-key",
        text: "[vary]\n\"wearables.cont\" = [1, 2]\n",
        located: "sweep.toml:3: key `vary.wearables.cont`",
        says: &["not a valid setting of the base scenario", "unknown field `cont`", "expected one of"],
    },
    Bad {
        name: "unknown-table",
        text: "[vary]\nwearable.count = [1, 2]\n",
        located: "sweep.toml:3: key `vary.wearable.count`",
        says: &["unknown field `wearable`"],
    },
    Bad {
        name: "empty-range",
        text: "[vary]\n\"wearables.count\" = { from = 50, to = 10, step = 10 }\n",
        located: "sweep.toml:3: key `vary.wearables.count`",
        says: &["empty range: from = 50 is above to = 10"],
    },
    Bad {
        name: "zero-step",
        text: "[vary]\n\"wearables.count\" = { from = 10, to = 50, step = 0 }\n",
        located: "sweep.toml:3: key `vary.wearables.count`",
        says: &["step is 0"],
    },
    Bad {
        name: "never-reaches-end",
        text: "\n[vary]\n\"links.ban.loss_prob\" = { from = 0.0, to = 0.5, step = 0.2 }\n",
        located: "sweep.toml:4: key `vary.links.ban.loss_prob`",
        says: &["never reaches its end", "goes to 0.4 then 0.6, passing to = 0.5"],
    },
    Bad {
        name: "empty-list",
        text: "[vary]\n\"wearables.count\" = []\n",
        located: "sweep.toml:3: key `vary.wearables.count`",
        says: &["empty list"],
    },
    Bad {
        name: "value-out-of-range",
        text: "[vary]\n\"links.ban.loss_prob\" = [0.1, 1.5]\n",
        located: "sweep.toml:3: key `vary.links.ban.loss_prob`",
        says: &["links.ban.loss_prob = 1.5", "must be a probability in [0, 1)"],
    },
    Bad {
        name: "range-typo",
        text: "[vary]\n\"wearables.count\" = { from = 10, to = 50, stp = 10 }\n",
        located: "sweep.toml:3: key `vary.wearables.count`",
        says: &["unknown field `stp`", "a range is written { from = 1, to = 5, step = 1 }"],
    },
    Bad {
        name: "zip-lengths",
        text: "[zip]\n\"wearables.count\" = [10, 20]\n\"cloudlets.count\" = [2, 3, 4]\n",
        located: "sweep.toml:4: key `zip.cloudlets.count`",
        says: &["has 3 values but `zip.wearables.count` has 2"],
    },
    Bad {
        name: "seed-swept",
        text: "[vary]\nseed = [1, 2]\n",
        located: "sweep.toml:3: key `vary.seed`",
        says: &["cannot be swept"],
    },
    Bad {
        name: "unknown-sweep-key",
        text: "replicatons = 3\n",
        located: "sweep.toml:2: key `replicatons`",
        says: &["unknown field `replicatons`", "expected one of"],
    },
    Bad {
        name: "no-replications",
        text: "replications = 0\n",
        located: "sweep.toml:2: key `replications`",
        says: &["must be 1 to"],
    },
];

#[test]
fn bad_sweep_files_get_located_errors_and_no_folder() {
    for case in BAD {
        let dir = setup(&format!("sweep-bad-{}", case.name), &format!("scenario = \"base.toml\"\n{}", case.text));
        let o = cli(&dir, &["sweep", "sweep.toml", "--out", "out"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{}: {err}", case.name);
        assert!(err.starts_with("error: invalid sweep sweep.toml (1 problem)"), "{}: {err}", case.name);
        assert!(err.contains(case.located), "{}: expected {:?} in: {err}", case.name, case.located);
        for s in case.says {
            assert!(err.contains(s), "{}: expected {s:?} in: {err}", case.name);
        }
        assert!(!err.contains("panicked"), "{}: {err}", case.name);
        assert!(!dir.join("out").exists(), "{}: a results folder appeared", case.name);
    }
    let dir = setup("sweep-bad-missing-base", "scenario = \"nowhere.toml\"\n");
    let err = stderr(&cli(&dir, &["sweep", "sweep.toml"]));
    assert!(err.contains("sweep.toml:1: key `scenario`: cannot read base scenario nowhere.toml"), "{err}");
}

#[test]
fn check_gates_on_sweep_and_run_folders() {
    let dir = setup("sweep-check", SWEEP);
    ok(&dir, &["sweep", "sweep.toml", "--out", "s"]);
    let out = ok(
        &dir,
        &[
            "check",
            "s",
            "--expect",
            "packets.delivery_ratio > 0.5",
            "--expect",
            "argmax(packets.generated) wearables.count == 30",
            "--expect",
            "any links.ban.loss_prob == 0.2",
            "--expect",
            "packets.generated.n == 3",
        ],
    );
    assert_eq!(out.lines().filter(|l| l.starts_with("ok")).count(), 4, "{out}");
    assert!(out.contains("argmax(packets.generated) is point ") && out.contains("(wearables.count=30, "), "{out}");

    let o = cli(
        &dir,
        &[
            "check",
            "s",
            "--expect",
            "packets.delivery_ratio > 0.5",
            "--expect",
            "argmin(packets.generated) wearables.count == 30",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("check: 1 of 2 expectations failed"), "{err}");
    assert!(
        err.contains(
            "expectation failed: `argmin(packets.generated) wearables.count == 30`: argmin(packets.generated) is point"
        ),
        "{err}"
    );
    assert!(err.contains("there wearables.count = 10"), "{err}");
    let err = stderr(&cli(&dir, &["check", "s", "--expect", "packets.delivery_ratio >= 0.999999"]));
    assert!(err.contains("fails at") && err.contains("packets.delivery_ratio.mean = 0."), "{err}");
    let err = stderr(&cli(&dir, &["check", "s", "--expect", "packets.delivery_rato > 0"]));
    assert!(err.contains("summary.csv has no column `packets.delivery_rato`"), "{err}");
    let err = stderr(&cli(&dir, &["check", "s", "--expect", "packets.delivery_ratio >> 0"]));
    assert!(err.contains("is not a number"), "{err}");

    ok(&dir, &["run", "base.toml", "--quiet", "--out", "r"]);
    ok(&dir, &["check", "r", "--expect", "packets.delivery_ratio > 0.5", "--expect", "scenario.mesh == ring"]);
    let o = cli(&dir, &["check", "r", "--expect", "packets.generated < 10"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("expectation failed: `packets.generated < 10`: packets.generated = "),
        "{}",
        stderr(&o)
    );
}

fn assert_figure(base: &Path) {
    let png = fs::read(base.with_extension("png")).unwrap_or_else(|e| panic!("{}.png: {e}", base.display()));
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{}: not a drawn PNG", base.display());
    let svg = fs::read_to_string(base.with_extension("svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("<polyline"), "{}: no lines in the SVG", base.display());
}

#[test]
fn plot_draws_sweep_and_run_figures() {
    let dir = setup("sweep-plot", SWEEP);
    ok(&dir, &["sweep", "sweep.toml", "--out", "s"]);
    let out = ok(&dir, &["plot", "s"]);
    for m in ["latency_s_mean", "latency_s_p95", "packets_delivery_ratio", "energy_per_sample_j_total"] {
        for k in ["wearables_count", "links_ban_loss_prob"] {
            assert_figure(&dir.join(format!("s/plots/{m}_vs_{k}")));
        }
    }
    assert!(!out.contains("cloudlets_batch_interval_s"), "a one-value key gets no figure: {out}");
    let svg = fs::read_to_string(dir.join("s/plots/latency_s_mean_vs_links_ban_loss_prob.svg")).unwrap();
    for text in ["links.ban.loss_prob (probability)", "mean end-to-end latency (ms)", "wearables.count = 20"] {
        assert!(svg.contains(text), "missing {text:?} in the figure");
    }

    ok(&dir, &["run", "base.toml", "--quiet", "--out", "r"]);
    ok(&dir, &["plot", "r"]);
    assert_figure(&dir.join("r/plots/latency_cdf"));

    // An IDS sweep's cost has its minimum ringed and labelled (a hand-written sweep folder).
    let ids = dir.join("ids");
    fs::create_dir_all(&ids).unwrap();
    let points: Vec<String> =
        (1..=6).map(|c| format!("{{\"index\": {}, \"seed\": {c}, \"values\": [\"{c}\"]}}", c - 1)).collect();
    fs::write(
        ids.join("sweep.json"),
        format!(
            "{{\"format\": 1, \"name\": \"ids\", \"scenario\": \"x.toml\", \"scenario_sha256\": \"0\", \"seed\": 1, \
             \"replications\": 2, \"warmup_s\": null, \"keys\": [\"ids.count\"], \"points\": [{}]}}",
            points.join(", ")
        ),
    )
    .unwrap();
    let mut csv =
        "point,ids.count,ids.cost.mean,ids.cost.std,ids.cost.ci95_low,ids.cost.ci95_high,ids.cost.n\n".to_string();
    for (i, cost) in [0.05, 0.031, 0.02, 0.024, 0.03, 0.04].iter().enumerate() {
        csv += &format!("{i},{},{cost},0.001,{},{},2\n", i + 1, cost - 0.002, cost + 0.002);
    }
    fs::write(ids.join("summary.csv"), csv).unwrap();
    ok(&dir, &["plot", "ids"]);
    assert_figure(&ids.join("plots/ids_cost_vs_ids_count"));
    let svg = fs::read_to_string(ids.join("plots/ids_cost_vs_ids_count.svg")).unwrap();
    assert!(svg.contains("minimum 0.02 at 3"), "the optimum is not labelled");
}

/// Trials of the coverage experiments, and the tolerance in binomial standard errors of the coverage estimate:
/// an exact 95% interval fails the check with probability 6e-5 (and the seeds are fixed, so it never flakes).
const TRIALS: usize = 4000;
const SE_TOLERANCE: f64 = 4.0;

fn coverage(mut sample: impl FnMut() -> Vec<f64>, mean: f64, interval: impl Fn(&[f64]) -> (f64, f64)) -> f64 {
    let hits = (0..TRIALS)
        .filter(|_| {
            let (lo, hi) = interval(&sample());
            lo <= mean && mean <= hi
        })
        .count();
    hits as f64 / TRIALS as f64
}

fn t_interval(xs: &[f64]) -> (f64, f64) {
    mean_ci(xs, LEVEL).unwrap().ci.unwrap()
}

#[test]
fn the_t_interval_covers_a_known_normal_mean_95_percent_of_the_time() {
    // Five replications: small enough that a normal (z) interval would be visibly too narrow.
    let mut rng = Pcg64::seed_from_u64(0x5eed_0006);
    let normal = Normal::new(3.0, 2.0).unwrap();
    let mut sample = || (0..5).map(|_| normal.sample(&mut rng)).collect::<Vec<f64>>();
    let se = (LEVEL * (1.0 - LEVEL) / TRIALS as f64).sqrt();
    let t_cov = coverage(&mut sample, 3.0, t_interval);
    assert!((t_cov - LEVEL).abs() <= SE_TOLERANCE * se, "t coverage {t_cov}, expected {LEVEL} ± {}", SE_TOLERANCE * se);
    // The check has power: the z interval (1.96 instead of t(4) = 2.78) covers about 88% and fails it.
    let z_cov = coverage(&mut sample, 3.0, |xs| {
        let s = mean_ci(xs, LEVEL).unwrap();
        let half = 1.959_964 * s.std.unwrap() / (xs.len() as f64).sqrt();
        (s.mean - half, s.mean + half)
    });
    assert!((z_cov - LEVEL).abs() > SE_TOLERANCE * se, "z coverage {z_cov} should fall outside the band");
    println!("normal data, n = 5: t coverage {t_cov}, z coverage {z_cov}, band {LEVEL} ± {:.4}", SE_TOLERANCE * se);
}

#[test]
fn the_t_interval_covers_a_bernoulli_detection_rate_as_its_exact_coverage_says() {
    // A detection rate measured over n = 40 Bernoulli(0.75) trials. With discrete data the coverage is not exactly
    // 95%: compute it exactly (sum of binomial probabilities of the counts whose interval covers p), require it
    // near 95%, and require the Monte-Carlo coverage to match it within the binomial error of the estimate.
    let (n, p) = (40u64, 0.75);
    let data = |k: u64| (0..n).map(|i| if i < k { 1.0 } else { 0.0 }).collect::<Vec<f64>>();
    let binomial = Binomial::new(p, n).unwrap();
    let exact: f64 = (0..=n)
        .filter(|&k| {
            let (lo, hi) = t_interval(&data(k));
            lo <= p && p <= hi
        })
        .map(|k| binomial.pmf(k))
        .sum();
    assert!((0.93..=0.96).contains(&exact), "exact coverage {exact} is not close to 95%");
    let mut rng = Pcg64::seed_from_u64(0x5eed_0007);
    let trial = Bernoulli::new(p).unwrap();
    let mut sample = || (0..n).map(|_| if trial.sample(&mut rng) { 1.0 } else { 0.0 }).collect::<Vec<f64>>();
    let mc = coverage(&mut sample, p, t_interval);
    let se = (exact * (1.0 - exact) / TRIALS as f64).sqrt();
    assert!(
        (mc - exact).abs() <= SE_TOLERANCE * se,
        "Monte-Carlo coverage {mc}, exact {exact} ± {}",
        SE_TOLERANCE * se
    );
    println!("Bernoulli(0.75), n = 40: exact coverage {exact:.4}, Monte-Carlo {mc}, band ± {:.4}", SE_TOLERANCE * se);
}
