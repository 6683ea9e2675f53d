//! `[output] interval_s` and `timeseries.csv`: sums over intervals equal the run's totals in `summary.json` and
//! `energy.csv`; interval boundaries exact in integer ns with a partial last interval; samples generated per
//! interval against the closed form; turning the series on changes no other file; `plot` and `warmup` on it.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{cli, config, run, scratch, stderr};

/// A small scenario where every column moves: losses (drops), attacks against the IDS, trust leaks, and wearable
/// batteries that run out at about 60 s. 123 s is not a multiple of the 7 s interval: the last row lasts 4 s.
const BASE: &str = r#"
name = "ts"
seed = 3
[simulation]
duration_s = 120.0
drain_s = 3.0
[wearables]
count = 60
per_patient = 2
sensors = ["heart_rate", "spo2", "temperature"]
[cloudlets]
count = 2
mesh = "ring"
wan_gateways = [0]
batch_interval_s = 0.5
[links.access]
loss_prob = 0.3
max_retries = 0
[energy.battery]
wearable_j = 0.03
[attacks.unauthorized_access]
rate_per_s = 0.5
[attacks.data_tampering]
rate_per_s = 0.3
[ids]
count = 2
block_s = 0.0
[trust]
enabled = true
request_rate_per_s = 0.2
malicious_fraction = 0.3
[records]
enabled = true
"#;

const INTERVAL_NS: u64 = 7_000_000_000;
const END_NS: u64 = 123_000_000_000;

fn read_rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path).unwrap().records().map(|r| r.unwrap()).collect()
}

fn header(path: &Path) -> csv::StringRecord {
    csv::Reader::from_path(path).unwrap().headers().unwrap().clone()
}

/// Column `name` of `rows` as numbers (empty cells as `None`).
fn column(path: &Path, name: &str) -> Vec<Option<f64>> {
    let i = header(path).iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    read_rows(path).iter().map(|r| (!r[i].is_empty()).then(|| r[i].parse().unwrap())).collect()
}

fn sum(path: &Path, name: &str) -> f64 {
    column(path, name).iter().map(|v| v.unwrap_or(0.0)).sum()
}

/// Runs `text` through the CLI into `dir/out`.
fn run_cli(dir: &Path, text: &str, out: &str) {
    fs::write(dir.join(format!("{out}.toml")), text).unwrap();
    let o = cli(dir, &["run", &format!("{out}.toml"), "--out", out, "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn with_interval(text: &str, secs: &str) -> String {
    format!("{text}\n[output]\ninterval_s = {secs}\n")
}

#[test]
fn sums_over_intervals_equal_the_run_totals_and_boundaries_are_exact() {
    let dir = scratch("timeseries-sums");
    run_cli(&dir, &with_interval(BASE, "7.0"), "on");
    let run = dir.join("on");
    let ts = run.join("timeseries.csv");
    let s: Value = serde_json::from_slice(&fs::read(run.join("summary.json")).unwrap()).unwrap();
    let total = |path: &str| path.split('.').fold(&s, |v, k| &v[k]).as_f64().unwrap_or_else(|| panic!("{path}"));

    // Boundaries: row k is [k·7 s, (k+1)·7 s), exact in ns; the last, partial one ends at the run's end.
    let (starts, ends) = (column(&ts, "interval_start_s"), column(&ts, "interval_end_s"));
    assert_eq!(starts.len() as u64, END_NS.div_ceil(INTERVAL_NS), "one row per interval, the last one partial");
    for (k, (a, b)) in starts.iter().zip(&ends).enumerate() {
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!((a * 1e9).round() as u64, k as u64 * INTERVAL_NS, "row {k} starts at k·interval");
        assert_eq!(a, (k as u64 * INTERVAL_NS) as f64 / 1e9, "row {k}: the start is the ns value, not a float sum");
        let expected_end = ((k as u64 + 1) * INTERVAL_NS).min(END_NS);
        assert_eq!((b * 1e9).round() as u64, expected_end, "row {k} end");
        if let Some(next) = starts.get(k + 1) {
            assert_eq!(Some(b), *next, "row {k} ends where row {} starts", k + 1);
        }
    }
    assert_eq!(ends.last().unwrap().unwrap(), 123.0);

    // Counts: sums over intervals equal summary.json's totals (and are not vacuous).
    for (col, key) in [
        ("generated", "packets.generated"),
        ("delivered", "packets.delivered"),
        ("dropped", "packets.dropped"),
        ("attacks", "ids.attacks"),
        ("detected", "ids.detected"),
        ("trust_leaks", "trust.leaks"),
    ] {
        let (got, want) = (sum(&ts, col), total(key));
        assert_eq!(got, want, "sum of {col} over intervals against {key}");
        assert!(want > 0.0, "{key} is 0: the check would be vacuous");
    }

    // Energy by node kind against energy.csv's spent_j, summed by kind.
    let energy = dir.join("on/energy.csv");
    let (kinds, spent) = (header(&energy), read_rows(&energy));
    let (kind_i, spent_i) =
        (kinds.iter().position(|h| h == "kind").unwrap(), kinds.iter().position(|h| h == "spent_j").unwrap());
    for (col, kind) in [
        ("energy_wearable_j", "wearable"),
        ("energy_gateway_j", "ban_gateway"),
        ("energy_cloudlet_j", "cloudlet"),
        ("energy_cloud_j", "remote_cloud"),
    ] {
        let want: f64 = spent.iter().filter(|r| &r[kind_i] == kind).map(|r| r[spent_i].parse::<f64>().unwrap()).sum();
        let got = sum(&ts, col);
        assert!((got - want).abs() <= 1e-9 * want.abs().max(1e-12), "{col}: {got} against energy.csv {want}");
    }
    assert!(total("energy.total_j") > 0.0);

    // Batteries: the last row's survivors are the nodes summary.json does not count dead; some died mid-run.
    let alive = column(&ts, "wearables_alive");
    let dead = total("energy.dead_wearables");
    assert!(dead > 0.0, "the scenario is meant to kill batteries");
    assert_eq!(alive.last().unwrap().unwrap(), 60.0 - dead);
    assert_eq!(alive.first().unwrap().unwrap(), 60.0);
    assert!(alive.windows(2).all(|w| w[1] <= w[0]), "the dead stay dead: {alive:?}");
    assert_eq!(column(&ts, "gateways_alive").last().unwrap().unwrap(), 30.0 - total("energy.dead_gateways"));

    // The latency columns: empty exactly where nothing was delivered, p50 <= p95 elsewhere.
    let (delivered, p50, p95) = (column(&ts, "delivered"), column(&ts, "latency_p50_s"), column(&ts, "latency_p95_s"));
    for k in 0..delivered.len() {
        assert_eq!(delivered[k] == Some(0.0), p50[k].is_none(), "row {k}");
        if let (Some(a), Some(b)) = (p50[k], p95[k]) {
            assert!(0.0 < a && a <= b, "row {k}: p50 {a}, p95 {b}");
        }
    }
    let manifest = fs::read_to_string(run.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"timeseries.csv\""), "the manifest lists timeseries.csv:\n{manifest}");
}

#[test]
fn turning_the_series_on_changes_no_other_file() {
    let dir = scratch("timeseries-unperturbed");
    run_cli(&dir, BASE, "off");
    run_cli(&dir, &with_interval(BASE, "7.0"), "on");
    run_cli(&dir, &with_interval(BASE, "0.25"), "fine");
    run_cli(&dir, &with_interval(BASE, "7.0"), "again");
    let files = |d: &str| {
        let mut v: Vec<String> =
            fs::read_dir(dir.join(d)).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        v.sort();
        v
    };
    let skip = ["timing.json", "manifest.json", "scenario.resolved.toml", "timeseries.csv"];
    let off = files("off");
    assert!(!off.contains(&"timeseries.csv".to_string()), "no series unless asked: {off:?}");
    assert!(!fs::read_to_string(dir.join("off/scenario.resolved.toml")).unwrap().contains("[output]"));
    for d in ["on", "fine"] {
        let mut expected = off.clone();
        expected.push("timeseries.csv".into());
        expected.sort();
        assert_eq!(files(d), expected, "{d}");
        for f in off.iter().filter(|f| !skip.contains(&f.as_str())) {
            assert!(
                fs::read(dir.join("off").join(f)).unwrap() == fs::read(dir.join(d).join(f)).unwrap(),
                "{d}/{f} differs"
            );
        }
    }
    let series = |d: &str| fs::read(dir.join(d).join("timeseries.csv")).unwrap();
    assert_eq!(series("on"), series("again"), "same scenario and seed, same series");
    assert_eq!(read_rows(&dir.join("fine/timeseries.csv")).len(), 492);
}

/// Samples generated per interval: with no jitter, a sensor of period T takes exactly I/T samples in every
/// interval of length I (a multiple of T) after time 0, since its phase is below T; with jitter J < T, each
/// wearable's sensor takes I/T − 1 to I/T + 1 (a window of length I − J holds at least I/T − 1 nominal instants, one
/// of I + J at most I/T + 1).
#[test]
fn generated_per_interval_matches_the_closed_form() {
    for jitter in [0.0, 0.2] {
        let text = format!(
            "name = \"cf\"\n[simulation]\nduration_s = 60.0\ndrain_s = 2.0\n[wearables]\ncount = 50\nsensors = [\"a\", \
             \"b\"]\n[sensors.a]\nperiod_s = 0.5\nsample_bytes = 8\njitter_s = {jitter}\n[sensors.b]\nperiod_s = \
             2.5\nsample_bytes = 8\njitter_s = {jitter}\n[output]\ninterval_s = 5.0\n"
        );
        let r = run(&config(&text), false);
        let rows = &r.timeseries;
        assert_eq!(rows.len(), 13, "12 intervals of 5 s, and 2 s of drain");
        let per_interval = 50 * (10 + 2); // wearables × (I/T_a + I/T_b)
        for (k, row) in rows.iter().enumerate().take(12) {
            if jitter == 0.0 {
                assert_eq!(row.generated, per_interval, "row {k}");
            } else {
                assert!(row.generated.abs_diff(per_interval) <= 50 * 2, "row {k}: {}", row.generated);
            }
        }
        assert_eq!(rows[12].generated, 0, "nothing is generated in the drain");
        assert_eq!(rows.iter().map(|r| r.generated).sum::<u64>(), r.model.metrics().generated);
    }
}

#[test]
fn plot_draws_the_series_and_warmup_reports_mser5() {
    let dir = scratch("timeseries-plot");
    run_cli(&dir, &with_interval(BASE, "1.0"), "on");
    let o = cli(&dir, &["plot", "on", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["timeseries_samples", "timeseries_latency", "timeseries_energy", "timeseries_alive", "timeseries_attacks"]
    {
        for ext in ["png", "svg"] {
            assert!(dir.join(format!("on/plots/{f}.{ext}")).is_file(), "{f}.{ext}");
        }
    }
    let o = cli(&dir, &["warmup", "on", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let metrics = doc["metrics"].as_array().unwrap();
    assert_eq!(metrics.len(), 5);
    // 120 whole intervals of 1 s end by the end of generation; the drain's 3 rows are left out.
    assert_eq!(metrics[0]["metric"], "generated");
    assert_eq!(metrics[0]["observations"], 120);
    let largest = doc["largest_warmup_s"].as_f64().unwrap();
    assert!((0.0..=60.0).contains(&largest), "MSER-5 searches the first half only: {largest}");
    let o = cli(&dir, &["warmup", "on", "--metric", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no column \"nope\"") && stderr(&o).contains("latency_p95_s"), "{}", stderr(&o));
    run_cli(&dir, BASE, "off");
    let o = cli(&dir, &["warmup", "off"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("output.interval_s"), "{}", stderr(&o));
}
