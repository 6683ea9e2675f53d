//! Bad input through the `cloudletsim` binary: each problem gets one clear message naming the file, the key, the
//! line and what is allowed; the exit code is 2 (not a panic's 101); no results folder appears.

use std::fs;
use std::path::Path;
use std::process::Output;

use cloudletsim::scenario::keys;

use crate::common::{cli, entries, scratch, stderr};

/// One bad scenario and what its message must say.
struct Case {
    /// Test-case name (and scratch folder).
    name: &'static str,
    /// The scenario file.
    text: &'static str,
    /// The key and line the message must name: `scenario.toml:LINE: key `KEY``.
    key: &'static str,
    line: usize,
    /// Phrases of the message that say what is wrong and what is allowed.
    says: &'static [&'static str],
    /// Problems in the file.
    problems: usize,
}

const CASES: &[Case] = &[
    Case {
        name: "unknown-key",
        text: "name = \"bad\"\n[wearables]\ncont = 3\n",
        key: "wearables.cont",
        line: 3,
        says: &["unknown field `cont`", "expected one of", "`count`"],
        problems: 1,
    },
    Case {
        name: "wrong-type",
        text: "name = \"bad\"\n[wearables]\ncount = \"many\"\n",
        key: "wearables.count",
        line: 3,
        says: &["invalid type", "expected u64"],
        problems: 1,
    },
    Case {
        name: "negative-period",
        text: "name = \"bad\"\n[sensors.heart_rate]\nsample_bytes = 8\nperiod_s = -1\n",
        key: "sensors.heart_rate.period_s",
        line: 4,
        says: &["negative", "allowed: a positive number of seconds"],
        problems: 1,
    },
    Case {
        name: "zero-period",
        text: "name = \"bad\"\n[sensors.heart_rate]\nperiod_s = 0\nsample_bytes = 8\n",
        key: "sensors.heart_rate.period_s",
        line: 3,
        says: &["must be > 0 s", "allowed: a positive number of seconds"],
        problems: 1,
    },
    Case {
        name: "probability-above-one",
        text: "name = \"bad\"\n\n[links.access]\nloss_prob = 1.5\n",
        key: "links.access.loss_prob",
        line: 4,
        says: &["probability in [0, 1)", "1.5"],
        problems: 1,
    },
    Case {
        name: "negative-probability",
        text: "name = \"bad\"\n[links.wan]\nlatency_s = 0.01\nloss_prob = -0.1\n",
        key: "links.wan.loss_prob",
        line: 4,
        says: &["probability in [0, 1)", "-0.1"],
        problems: 1,
    },
    Case {
        name: "zero-cloudlets",
        text: "name = \"bad\"\n[cloudlets]\ncount = 0\n",
        key: "cloudlets.count",
        line: 3,
        says: &["must be an integer from 1 to"],
        problems: 1,
    },
    Case {
        name: "disconnected-explicit-mesh",
        text: "name = \"bad\"\n[cloudlets]\ncount = 3\nmesh = \"explicit\"\nedges = [[0, 1]]\nwan_gateways = [0]\n",
        key: "cloudlets.edges",
        line: 5,
        says: &["disconnected", "allowed: "],
        problems: 1,
    },
    Case {
        name: "disconnected-random-geometric-mesh",
        text: "name = \"bad\"\n[cloudlets]\ncount = 5\nmesh = \"random_geometric\"\nradius_m = 1.0\n",
        key: "cloudlets.radius_m",
        line: 5,
        says: &["disconnected", "allowed: a radius of at least"],
        problems: 1,
    },
    // Values in range for their type whose sums would overflow the 64-bit nanosecond clock during a run.
    Case {
        name: "endless-run",
        text: "name = \"bad\"\n[simulation]\nduration_s = 1e10\ndrain_s = 1e10\n",
        key: "simulation.duration_s",
        line: 3,
        says: &["must be at most 1e9 s"],
        problems: 2,
    },
    Case {
        name: "endless-period",
        text:
            "name = \"bad\"\n[wearables]\nsensors = [\"slow\"]\n[sensors.slow]\nperiod_s = 1.5e10\nsample_bytes = 8\n",
        key: "sensors.slow.period_s",
        line: 5,
        says: &["must be at most 1e9 s"],
        problems: 1,
    },
    Case {
        name: "endless-transmission",
        text: "name = \"bad\"\n[links.ban]\nbandwidth_bps = 1e-10\n",
        key: "links.ban.bandwidth_bps",
        line: 3,
        says: &["must be at least", "bit/s"],
        problems: 1,
    },
    Case {
        name: "too-many-retries",
        text: "name = \"bad\"\n[links.ban]\nloss_prob = 0.999\nmax_retries = 1000\n",
        key: "links.ban.max_retries",
        line: 4,
        says: &["from 0 to 255"],
        problems: 1,
    },
    Case {
        name: "probe-key-in-another-kind",
        text: "name = \"bad\"\n[attacks.insider]\nrate_per_s = 1.0\nfollow_up_prob = 0.5\n",
        key: "attacks.insider.follow_up_prob",
        line: 4,
        says: &["is only used in [attacks.probe]", "not in [attacks.insider]"],
        problems: 1,
    },
    Case {
        name: "follow-up-of-no-record-kind",
        text: "name = \"bad\"\n[attacks.probe]\nfollow_up_kind = \"dos_flood\"\n",
        key: "attacks.probe.follow_up_kind",
        line: 3,
        says: &["unknown variant `dos_flood`", "`unauthorized_access`", "`data_tampering`", "`insider`"],
        problems: 1,
    },
    Case {
        name: "distinct-spread-needs-random-entry",
        text: "name = \"bad\"\n[attacks.distributed]\nentry = \"explicit\"\nspread = \"distinct\"\n",
        key: "attacks.distributed.spread",
        line: 4,
        says: &["without replacement", "needs entry = \"random\""],
        problems: 1,
    },
    Case {
        name: "roc-correlation",
        text: "name = \"bad\"\n[ids]\ndetector = \"roc\"\n[ids.roc]\ncorrelation = 1.0\n",
        key: "ids.roc.correlation",
        line: 5,
        says: &["must be in [0, 1)", "got 1"],
        problems: 1,
    },
    Case {
        name: "roc-points-outside",
        text: "name = \"bad\"\n[ids.roc.curve.probe]\npoints = [[0.0, 0.4], [0.2, 0.8]]\n",
        key: "ids.roc.curve.probe.points",
        line: 3,
        says: &["[0, 0.4] is outside (0, 1)", "strictly between 0 and 1", "fit = \"hull\""],
        problems: 1,
    },
    Case {
        name: "roc-unknown-library",
        text: "name = \"bad\"\n[ids.roc.curve.insider]\nfit = \"hull\"\nlibrary = \"no_such_entry\"\n",
        key: "ids.roc.curve.insider.library",
        line: 4,
        says: &["\"no_such_entry\" is not in the library", "allowed: "],
        problems: 1,
    },
    Case {
        name: "roc-two-ways",
        text: "name = \"bad\"\n[ids.roc.curve.probe]\nbinormal = { a = 1.0, b = 1.0 }\npoints = [[0.1, 0.5]]\n",
        key: "ids.roc.curve.probe",
        line: 2,
        says: &["needs exactly one of"],
        problems: 1,
    },
    Case {
        name: "timeseries-interval-zero",
        text: "name = \"bad\"\n[output]\ninterval_s = 0.0\n",
        key: "output.interval_s",
        line: 3,
        says: &["must be > 0 s", "a positive number of seconds"],
        problems: 1,
    },
    Case {
        name: "timeseries-interval-nan",
        text: "name = \"bad\"\n[output]\ninterval_s = nan\n",
        key: "output.interval_s",
        line: 3,
        says: &["a positive number of seconds"],
        problems: 1,
    },
    Case {
        name: "timeseries-too-many-intervals",
        text: "name = \"bad\"\n[output]\ninterval_s = 1e-4\n",
        key: "output.interval_s",
        line: 3,
        says: &["600000 intervals", "more than the 100000 allowed", "interval_s >= 0.0006 s"],
        problems: 1,
    },
    Case {
        name: "roc-negative-slope",
        text: "name = \"bad\"\n[ids.roc.curve.probe]\nbinormal = { a = 1.0, b = -0.5 }\n",
        key: "ids.roc.curve.probe.binormal",
        line: 3,
        says: &["b must be a finite number > 0", "got -0.5"],
        problems: 1,
    },
];

/// Checks a failed command: exit code 2 (an error, as grep has it), no panic, the given phrases on standard error.
fn check_failure(out: &Output, what: &str, says: &[&str]) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{what}: expected exit code 2, got {:?}; stderr:\n{err}", out.status);
    assert!(!err.contains("panicked"), "{what}: panicked:\n{err}");
    assert!(err.starts_with("error: "), "{what}: stderr:\n{err}");
    for phrase in says {
        assert!(err.contains(phrase), "{what}: stderr lacks {phrase:?}:\n{err}");
    }
    err
}

#[test]
fn bad_scenarios_get_one_located_message_and_no_results() {
    let root = scratch("bad-scenarios");
    for case in CASES {
        let dir = root.join(case.name);
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("scenario.toml"), case.text).unwrap();
        let located = format!("scenario.toml:{}: key `{}`", case.line, case.key);
        for command in ["run", "validate", "topology"] {
            let what = format!("{} ({command})", case.name);
            let out = cli(&dir, &[command, "scenario.toml"]);
            let err = check_failure(&out, &what, case.says);
            assert!(err.contains(&located), "{what}: stderr lacks {located:?}:\n{err}");
            // Under the message: the gutter, the source line, and carets.
            let under: Vec<&str> = err[err.find(&located).unwrap()..].lines().skip(1).take(3).collect();
            let shown = under.get(1).is_some_and(|l| l.trim_start().starts_with(&format!("{} | ", case.line)));
            assert!(shown && under.get(2).is_some_and(|l| l.contains('^')), "{what}: no source line and caret:\n{err}");
            let count = match case.problems {
                1 => "(1 problem)".to_string(),
                n => format!("({n} problems)"),
            };
            assert!(
                err.contains(&format!("invalid scenario scenario.toml {count}")),
                "{what}: expected {count}:\n{err}"
            );
            assert!(out.stdout.is_empty(), "{what}: printed to stdout");
            assert_eq!(entries(&dir), ["scenario.toml"], "{what}: left files behind");
        }
    }
}

#[test]
fn every_problem_of_a_file_is_reported_in_one_pass() {
    let dir = scratch("many-problems");
    let text = "name = \"bad\"\n[simulation]\nduration_s = 0\n[cloudlets]\ncount = 0\n[links.ban]\nloss_prob = 2\n";
    fs::write(dir.join("scenario.toml"), text).unwrap();
    let out = cli(&dir, &["run", "scenario.toml"]);
    let err = check_failure(
        &out,
        "three problems",
        &[
            "(3 problems)",
            "scenario.toml:3: key `simulation.duration_s`",
            "scenario.toml:5: key `cloudlets.count`",
            "scenario.toml:7: key `links.ban.loss_prob`",
        ],
    );
    // In file order.
    let at = |s: &str| err.find(s).unwrap();
    assert!(at(":3:") < at(":5:") && at(":5:") < at(":7:"), "{err}");
    assert_eq!(entries(&dir), ["scenario.toml"]);
}

/// A scenario that loads and runs in a moment.
const GOOD: &str = "name = \"good\"\n[simulation]\nduration_s = 2.0\n[wearables]\ncount = 5\n";

#[test]
fn a_missing_file_is_named_once_with_its_reason() {
    let dir = scratch("missing-file");
    for command in ["run", "validate", "topology"] {
        let out = cli(&dir, &[command, "no-such-scenario.toml"]);
        let err = check_failure(&out, command, &["cannot read scenario file no-such-scenario.toml", "No such file"]);
        assert_eq!(err.matches("No such file").count(), 1, "{command}: the reason is repeated:\n{err}");
        assert!(entries(&dir).is_empty(), "{command}: created {:?}", entries(&dir));
    }
}

#[test]
fn an_unwritable_results_folder_fails_before_running_and_leaves_nothing() {
    let dir = scratch("unwritable-out");
    fs::write(dir.join("good.toml"), GOOD).unwrap();
    fs::write(dir.join("a-file"), "not a folder").unwrap();
    // /proc accepts no new folders, even for root.
    let out = cli(&dir, &["run", "good.toml", "--out", "/proc/cloudletsim-x"]);
    check_failure(&out, "--out in /proc", &["cannot write results to /proc/cloudletsim-x"]);
    assert!(!Path::new("/proc/cloudletsim-x").exists());
    // A path through a regular file.
    let out = cli(&dir, &["run", "good.toml", "--out", "a-file/run"]);
    check_failure(
        &out,
        "--out under a file",
        &["cannot write results to a-file/run", "a-file is a file, not a folder"],
    );
    assert!(Path::new(&dir.join("a-file")).is_file());
    assert_eq!(entries(&dir), ["a-file", "good.toml"], "left files behind");
    assert!(out.stdout.is_empty(), "the run started anyway");
}

#[test]
fn bad_overrides_are_reported_as_such() {
    let dir = scratch("bad-set");
    fs::write(dir.join("good.toml"), GOOD).unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("wearables.nope=1", &["good.toml (--set): key `wearables.nope`", "unknown field `nope`", "expected one of"]),
        ("no.such.table=1", &["good.toml (--set): key `no`", "unknown field `no`", "expected one of"]),
        ("links.ban.loss_prob=7", &["good.toml (--set): key `links.ban.loss_prob`", "probability in [0, 1)"]),
        ("nokey", &["--set nokey", "expected KEY=VALUE"]),
        ("a..b=1", &["--set a..b=1", "is not a dotted key path"]),
        ("name.first=1", &["--set name.first=1", "name holds a value, not a table"]),
    ];
    for (set, says) in cases {
        for command in ["run", "validate"] {
            let out = cli(&dir, &[command, "good.toml", "--set", set]);
            let err = check_failure(&out, &format!("--set {set} ({command})"), says);
            assert_eq!(entries(&dir), ["good.toml"], "--set {set}: left files behind");
            // No line of the file to show: said for a value from --set, and no snippet drawn.
            assert!(!err.contains(" | "), "--set {set}: a source line is drawn:\n{err}");
            if err.contains("(--set): key") {
                assert!(err.contains("(no source line to show: the value was given with --set"), "{err}");
            }
        }
    }
}

#[test]
fn validate_accepts_a_good_scenario_and_keys_lists_every_key() {
    let dir = scratch("validate-keys");
    fs::write(dir.join("good.toml"), GOOD).unwrap();
    let out = cli(&dir, &["validate", "good.toml", "--set", "wearables.count=7"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("good.toml: valid (7 wearables"), "{text}");
    assert_eq!(entries(&dir), ["good.toml"], "validate wrote something");

    // Values that once overflowed during topology building are valid, and build.
    let extremes: &[&[&str]] = &[
        &["cloudlets.mesh=grid", "cloudlets.grid_columns=4294967294"],
        &["links.mesh.latency_s=100000", "links.wan.latency_s=100000"],
    ];
    for sets in extremes {
        let mut args = vec!["validate", "good.toml"];
        for set in *sets {
            args.extend(["--set", set]);
        }
        let out = cli(&dir, &args);
        assert!(out.status.success(), "{sets:?}: {}", stderr(&out));
    }

    let out = cli(&dir, &["keys"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows = keys::reference();
    assert!(rows.len() > 30, "only {} keys", rows.len());
    for row in &rows {
        assert!(text.contains(&row.path), "`keys` lacks {}", row.path);
    }
    for key in ["simulation.duration_s", "links.ban.loss_prob", "cloudlets.mesh", "sensors.<name>.period_s"] {
        assert!(text.contains(key), "`keys` lacks {key}");
    }
    let out = cli(&dir, &["keys", "--markdown"]);
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("| `links.ban.loss_prob` |"), "{md}");
}
