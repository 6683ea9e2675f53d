//! Hostile input (issue 10): plausible typos that would eat the machine, non-finite numbers, out-of-range indices,
//! mismatched lists, special files. `validate` must answer each within a memory limit (`prlimit --as`) and a time
//! limit (`timeout`), with exit status 2 and a message naming the key, never a panic, an abort or a hang; and no
//! value of any key may make the loader or the estimator panic.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use cloudletsim::estimate::{Budget, Estimate};
use cloudletsim::scenario::{keys, load_str};

use crate::common::{scratch, stderr};

/// Address space `validate` may use: a few hundred MB, as the issue asks (the binary itself maps about 20 MB).
const VALIDATE_ADDRESS_SPACE_BYTES: u64 = 512 << 20;
/// Seconds `validate` may take on any input (it takes milliseconds; the margin is for a loaded 2-core machine and a
/// debug-ish build).
const VALIDATE_SECONDS: u32 = 20;

/// Runs `cloudletsim validate` on `file` with `sets`, under the memory and time limits; `None` if `prlimit` or
/// `timeout` is missing.
fn limited_validate(dir: &Path, file: &str, sets: &[&str]) -> Option<Output> {
    let mut args: Vec<String> = vec![
        VALIDATE_SECONDS.to_string(),
        "prlimit".into(),
        format!("--as={VALIDATE_ADDRESS_SPACE_BYTES}"),
        env!("CARGO_BIN_EXE_cloudletsim").into(),
        "validate".into(),
        file.into(),
    ];
    for s in sets {
        args.extend(["--set".to_string(), s.to_string()]);
    }
    Command::new("timeout").args(&args).current_dir(dir).output().ok().filter(|o| o.status.code() != Some(127))
}

/// One hostile case: `--set` values on a small base scenario, and the key the refusal must name.
struct Case {
    what: &'static str,
    sets: &'static [&'static str],
    key: &'static str,
}

const BASE: &str = "name = \"base\"\n[simulation]\nduration_s = 60.0\n[wearables]\ncount = 100\n";

const CASES: &[Case] = &[
    Case {
        what: "a million cloudlets in a full mesh",
        sets: &["cloudlets.count=1000000", "cloudlets.mesh=\"full\""],
        key: "cloudlets.count",
    },
    Case {
        what: "an attack rate of 1e300 per second",
        sets: &["attacks.dos_flood.rate_per_s=1e300"],
        key: "attacks.dos_flood.rate_per_s",
    },
    Case {
        what: "an attack rate of 1e8 per second",
        sets: &["attacks.probe.rate_per_s=1e8"],
        key: "attacks.probe.rate_per_s",
    },
    Case { what: "four billion wearables", sets: &["wearables.count=4294967294"], key: "wearables.count" },
    Case { what: "four billion cloudlets", sets: &["cloudlets.count=4294967294"], key: "cloudlets.count" },
    Case {
        what: "a nanosecond sampling period",
        sets: &["sensors.heart_rate.period_s=1e-9", "sensors.heart_rate.sample_bytes=8"],
        key: "sensors.heart_rate.period_s",
    },
    Case { what: "a thousand years simulated", sets: &["simulation.duration_s=3e10"], key: "simulation.duration_s" },
    Case {
        what: "a billion seconds of a large scenario",
        sets: &["simulation.duration_s=1e9", "wearables.count=100000"],
        key: "simulation.duration_s",
    },
    Case {
        what: "doctor accesses at 1e12 per second",
        sets: &["benign.doctor_access_per_s=1e12"],
        key: "benign.doctor_access_per_s",
    },
    Case {
        what: "trust requests at 1e12 per second",
        sets: &["trust.enabled=true", "trust.request_rate_per_s=1e12"],
        key: "trust.request_rate_per_s",
    },
    Case { what: "a NaN duration", sets: &["simulation.duration_s=nan"], key: "simulation.duration_s" },
    Case { what: "an infinite loss probability", sets: &["links.ban.loss_prob=inf"], key: "links.ban.loss_prob" },
    Case {
        what: "an edge to a cloudlet that does not exist",
        sets: &["cloudlets.mesh=\"explicit\"", "cloudlets.edges=[[0, 4294967295]]"],
        key: "cloudlets.edges",
    },
    Case {
        what: "too few cloudlet positions",
        sets: &["cloudlets.positions_m=[[0.0, 0.0]]"],
        key: "cloudlets.positions_m",
    },
    Case { what: "a WAN gateway out of range", sets: &["cloudlets.wan_gateways=[99]"], key: "cloudlets.wan_gateways" },
    Case {
        what: "explicit IDS nodes that do not match the count",
        sets: &["ids.count=2", "ids.placement=\"explicit\"", "ids.nodes=[0]"],
        key: "ids.nodes",
    },
    Case {
        what: "an IDS node out of range",
        sets: &["ids.count=1", "ids.placement=\"explicit\"", "ids.nodes=[1000]"],
        key: "ids.nodes",
    },
    Case {
        what: "entry weights of the wrong length",
        sets: &["attacks.probe.rate_per_s=1", "attacks.probe.entry_weights=[1.0, 2.0]"],
        key: "attacks.probe.entry_weights",
    },
];

#[test]
fn validate_refuses_hostile_scenarios_within_bounded_memory_and_time() {
    let dir = scratch("hostile-validate");
    fs::write(dir.join("base.toml"), BASE).unwrap();
    let Some(ok) = limited_validate(&dir, "base.toml", &[]) else {
        eprintln!("skipped: needs prlimit and timeout (util-linux, coreutils)");
        return;
    };
    assert!(ok.status.success(), "the base scenario fails under the limits: {}", stderr(&ok));
    for case in CASES {
        let out = limited_validate(&dir, "base.toml", case.sets).unwrap();
        let err = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}: expected exit status 2 (124 is a time-out, 134 an abort from the memory limit), got {:?}:\n{err}",
            case.what,
            out.status
        );
        assert!(!err.contains("panicked"), "{}: panicked:\n{err}", case.what);
        assert!(
            err.contains(&format!("key `{}`", case.key)),
            "{}: the message does not name `{}`:\n{err}",
            case.what,
            case.key
        );
    }
}

#[test]
fn special_files_and_folders_in_the_way_are_refused_without_reading() {
    let dir = scratch("hostile-files");
    fs::create_dir_all(dir.join("a-folder.toml")).unwrap();
    let fifo = dir.join("pipe.toml");
    let made_fifo = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    let mut files = vec!["/dev/zero", "/dev/urandom", "a-folder.toml"];
    if made_fifo {
        files.push("pipe.toml");
    }
    fs::write(dir.join("binary.toml"), [0xff, 0xfe, 0x00, 0x80]).unwrap();
    files.push("binary.toml");
    for file in files {
        let Some(out) = limited_validate(&dir, file, &[]) else { return };
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{file}: {:?}\n{err}", out.status);
        assert!(err.contains(&format!("cannot read scenario file {file}")), "{file}: {err}");
        assert!(err.contains("allowed:"), "{file}: the message does not say what is allowed: {err}");
    }
    // A sweep whose base scenario is a device, and a check of a folder whose summary is a pipe.
    fs::write(dir.join("sweep.toml"), "scenario = \"/dev/zero\"\n").unwrap();
    let out = crate::common::cli(&dir, &["sweep", "sweep.toml", "--out", "s"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("sweep.toml:1: key `scenario`"), "{}", stderr(&out));
    assert!(!dir.join("s").exists());
    if made_fifo {
        fs::create_dir_all(dir.join("run")).unwrap();
        assert!(Command::new("mkfifo").arg(dir.join("run/summary.json")).status().unwrap().success());
        let out = crate::common::cli(&dir, &["check", "run", "--expect", "packets.generated > 0"]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    }
}

/// Values that have broken simulators: non-finite, huge, tiny, negative, out of every integer range.
const FLOATS: &[&str] = &["nan", "inf", "-inf", "1e308", "-1e308", "5e-324", "-0.0", "1e-300", "1e300"];
const INTEGERS: &[&str] = &["-1", "0", "4294967295", "4294967296", "9223372036854775807", "-9223372036854775808"];

#[test]
fn no_value_of_any_key_makes_the_loader_or_the_estimator_panic() {
    let budget = Budget::for_this_machine(cloudletsim::estimate::DEFAULT_MAX_EVENTS);
    let mut accepted = 0;
    let mut tried = 0;
    for key in keys::reference() {
        let path = key.path.replace("<name>", "heart_rate").replace("<kind>", "probe");
        let values: &[&str] = match key.ty.as_str() {
            "number" => FLOATS,
            "integer" => INTEGERS,
            _ => continue,
        };
        for v in values {
            tried += 1;
            let sets = vec![format!("{path}={v}")];
            let Ok(s) = load_str(BASE, Path::new("base.toml"), &sets) else { continue };
            accepted += 1;
            let e = Estimate::of(&s.config);
            assert!(e.events.is_finite() || e.events == f64::INFINITY, "{path}={v}: events {}", e.events);
            assert!(!e.events.is_nan() && e.events >= 0.0, "{path}={v}: events {}", e.events);
            let _ = cloudletsim::estimate::check(&e, &budget);
            let text = e.render();
            assert!(!text.contains("NaN"), "{path}={v}: estimate shows NaN:\n{text}");
        }
    }
    assert!(tried > 200 && accepted > 0, "tried {tried}, accepted {accepted}");
}
