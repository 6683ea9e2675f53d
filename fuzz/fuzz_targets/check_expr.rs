//! `check` expectations: parse each line of the input as an `--expect` expression and evaluate it against a small
//! fixed run folder (`summary.json`, flattened) and a small fixed sweep table (`summary.csv`). Any input must give
//! an outcome or a clear error, never a panic.

#![no_main]

use cloudletsim::check::{evaluate, report, Expectation, Results};
use libfuzzer_sys::fuzz_target;

fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

fn run() -> Results {
    let values = [
        ("packets.delivery_ratio", "0.995"),
        ("packets.generated", "12000"),
        ("latency_s.p95", "0.041"),
        ("crypto.scheme", "ntru-hps2048509"),
        ("ids.detection_rate", ""),
        ("energy.per_sample_j", "1.5e-4"),
        ("name", "quickstart"),
    ];
    Results::Run { values: values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() }
}

fn sweep() -> Results {
    let header =
        strings(&["point", "ids.count", "mesh", "ids.cost.mean", "ids.cost.n", "ids.detection_rate.mean", "x.mean"]);
    let rows = [
        ["0", "2", "ring", "0.05", "5", "0.5", ""],
        ["1", "4", "ring", "0.02", "5", "0.75", "NaN"],
        ["2", "6", "full", "0.03", "5", "0.9", "inf"],
        ["3", "8", "full", "0.02", "5", "0.95", "-1e308"],
    ];
    Results::Sweep { keys: strings(&["ids.count", "mesh"]), header, rows: rows.iter().map(|r| strings(r)).collect() }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (run, sweep) = (run(), sweep());
    let mut outcomes = Vec::new();
    for line in text.lines().take(16) {
        match line.parse::<Expectation>() {
            Ok(e) => {
                let _ = e.to_string();
                for results in [&run, &sweep] {
                    match evaluate(results, &e) {
                        Ok(o) => outcomes.push(o),
                        Err(err) => assert!(!err.to_string().is_empty()),
                    }
                }
            }
            Err(err) => assert!(!err.to_string().is_empty()),
        }
    }
    let _ = report(&outcomes);
});
