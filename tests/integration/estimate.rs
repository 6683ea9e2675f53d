//! The resource estimate against real runs, and the validation limits it relies on (issue 10, section 2).
//!
//! - Every shipped scenario, shortened, runs within a factor of 2 of the events [`Estimate::of`] expects.
//! - Rates the nanosecond clock cannot represent, periods below a nanosecond and non-finite numbers in any number
//!   key are refused by the loader with a located message naming the key.

use std::path::{Path, PathBuf};

use cloudletsim::estimate::Estimate;
use cloudletsim::scenario::{self, keys};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Shortened shipped scenarios: (file, overrides). Short enough for a test build, long enough that every part of
/// each scenario (batches, attacks, shares, appointments, audits) happens many times.
const SHORT: &[(&str, &[&str])] = &[
    ("quickstart.toml", &["simulation.duration_s=20"]),
    ("city.toml", &["simulation.duration_s=10", "simulation.drain_s=2"]),
    ("crypto-compare.toml", &["simulation.duration_s=60"]),
    ("chen2016-ids.toml", &["simulation.duration_s=60"]),
    ("ids-attack-kinds.toml", &["simulation.duration_s=60"]),
    ("roc-ids.toml", &["simulation.duration_s=60"]),
    ("roc-library-ids.toml", &["simulation.duration_s=60"]),
    ("trust-records.toml", &["simulation.duration_s=900"]),
    ("audits-kdc.toml", &["simulation.duration_s=900", "simulation.drain_s=60"]),
    ("ban-energy.toml", &["simulation.duration_s=120"]),
    ("timeseries.toml", &["simulation.duration_s=300"]),
    ("channel.toml", &["simulation.duration_s=20"]),
    ("signatures.toml", &["simulation.duration_s=300"]),
    ("ciphers.toml", &["simulation.duration_s=300"]),
    ("mobility.toml", &["simulation.duration_s=20", "patients.attach=min_delay"]),
    ("phone-cloudlets.toml", &["simulation.duration_s=60"]),
];

#[test]
fn every_shipped_scenario_runs_within_a_factor_of_two_of_the_estimate() {
    let dir = scenarios_dir();
    let shipped: Vec<String> = std::fs::read_dir(&dir)
        .expect("scenarios/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml") && !n.starts_with("sweep-"))
        .collect();
    for name in &shipped {
        assert!(SHORT.iter().any(|(f, _)| f == name), "add {name} to SHORT");
    }
    for (file, sets) in SHORT {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let cfg = scenario::load(&dir.join(file), &sets).expect("shipped scenario loads").config;
        let est = Estimate::of(&cfg);
        let run = cloudletsim::run::run(&cfg, &Default::default(), |_| {}).expect("shipped scenario runs");
        let ratio = est.events / run.events_processed as f64;
        assert!(
            (0.5..=2.0).contains(&ratio),
            "{file}: estimated {} events, ran {} ({ratio:.3})\n{}",
            est.events,
            run.events_processed,
            est.render()
        );
    }
}

fn load_err(sets: &[&str]) -> String {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match scenario::load_str("name = \"t\"\n", Path::new("t.toml"), &sets) {
        Ok(_) => panic!("{sets:?} should be refused"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn rates_beyond_one_per_nanosecond_are_refused() {
    for key in [
        "attacks.dos_flood.rate_per_s",
        "attacks.insider.rate_per_s",
        "attacks.probe.flood_rate_pps",
        "benign.doctor_access_per_s",
        "trust.request_rate_per_s",
        "care.appointment_rate_per_s",
    ] {
        for v in ["1e300", "2e9"] {
            let e = load_err(&[&format!("{key}={v}")]);
            assert!(e.contains(&format!("(--set): key `{key}`: must be at most 1e9 per second")), "{key}={v}: {e}");
        }
        let ok: Vec<String> = vec![format!("{key}=1e9")];
        assert!(scenario::load_str("name = \"t\"\n", Path::new("t.toml"), &ok).is_ok(), "{key}=1e9");
    }
}

#[test]
fn periods_below_a_nanosecond_and_huge_durations_are_refused() {
    let e = load_err(&[
        "sensors.heart_rate.period_s=1e-10",
        "sensors.heart_rate.sample_bytes=8",
        "sensors.heart_rate.jitter_s=0",
    ]);
    assert!(e.contains("key `sensors.heart_rate.period_s`: must be at least 1e-9 s"), "{e}");
    let e = load_err(&["attacks.probe.campaign_gap_s=4e-10"]);
    assert!(e.contains("key `attacks.probe.campaign_gap_s`: must be at least 1e-9 s"), "{e}");
    for sets in [
        ["simulation.duration_s=1e300", "simulation.drain_s=0"],
        ["simulation.duration_s=1e9", "simulation.drain_s=1e300"],
    ] {
        let e = load_err(&sets);
        assert!(e.contains("must be at most 1e9 s"), "{e}");
    }
    // The longest allowed run ends well inside the clock.
    let sets = vec!["simulation.duration_s=1e9".to_string(), "simulation.drain_s=1e9".to_string()];
    let cfg = scenario::load_str("name = \"t\"\n", Path::new("t.toml"), &sets).unwrap().config;
    assert_eq!(cfg.end_time().as_secs_f64(), 2e9);
}

/// Every number key of the reference, set to NaN or an infinity, is refused and named; table names (`<name>`) are
/// filled in with a new custom entry, which validation checks even though nothing selects it.
#[test]
fn no_non_finite_number_passes_for_any_number_key() {
    // Keys under a user-named table (`<name>`) need the table's other fields; those are left to the fuzzing tests.
    let numbers: Vec<String> = keys::reference()
        .into_iter()
        .filter(|k| k.ty == "number" && !k.path.contains("<name>"))
        .map(|k| k.path)
        .collect();
    assert!(numbers.len() > 40, "{numbers:?}");
    for path in &numbers {
        let key = path.replace("<name>", "custom");
        for v in ["nan", "inf", "-inf"] {
            let mut sets = vec![format!("{key}={v}")];
            if key.starts_with("trust.conditions.custom.") && !key.ends_with("prevalence") {
                sets.push("trust.conditions.custom.prevalence=0.1".into());
            }
            let refs: Vec<&str> = sets.iter().map(String::as_str).collect();
            let e = load_err(&refs);
            assert!(e.contains(&format!("key `{key}`")), "{key}={v}: {e}");
        }
    }
}
