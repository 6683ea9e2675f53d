//! `check` gates on, and `plot` draws, sweep and run folders.

use std::fs;
use std::path::Path;

use crate::common::{cli, stderr};

use super::{ok, setup, SWEEP};

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
