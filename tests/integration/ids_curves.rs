//! The detection-error curves of `ids-optimize` (docs/model.md §8.15): the simulated points of a correlated score
//! detector against the closed form (numerical integration over the shared latent factor), the simulated crossover
//! error rate's interval against the closed-form one, and the files and figures the CLI writes.

use std::path::Path;

use cloudletsim::ids::optimize::{optimize, OptimizeOptions};
use cloudletsim::sweep::stats::t_quantile;

use super::common;
use super::ids::BASE;

/// `ids-optimize` on [`BASE`] with a score detector of correlation 0.4, `fusion`, and the curves simulated at 8
/// thresholds in 6 replications.
fn curves(fusion: &[&str]) -> cloudletsim::ids::optimize::OptimizeResult {
    let mut sets: Vec<String> = [
        "ids.detector=score",
        "ids.score.correlation=0.4",
        "ids.score.attack_mean.probe=2.5",
        "ids.score.attack_mean.unauthorized_access=2.0",
        "ids.score.attack_mean.insider=1.2",
        "simulation.duration_s=200",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    sets.extend(fusion.iter().map(|s| s.to_string()));
    let opts =
        OptimizeOptions { max_ids: 3, target_detection: 0.0, max_false_alarm: 1.0, replications: 6, curve_points: 8 };
    optimize(BASE, Path::new("ids.toml"), &sets, &opts).unwrap()
}

#[test]
fn simulated_curve_points_and_crossover_agree_with_the_closed_form() {
    for fusion in [&["ids.fusion=any"][..], &["ids.fusion=k_of_n", "ids.k=2"], &["ids.fusion=majority"]] {
        let result = curves(fusion);
        let (closed, sim) = result.curves.as_ref().expect("the score detector has curves");
        let sim = sim.as_ref().expect("curve_points > 0 simulates");
        assert_eq!(sim.points.len(), 8, "{fusion:?}: 7 target FPRs and the crossover");
        // Mesh scope and no response: the closed form is exact. The points share their replications (common random
        // numbers: the same items and latent factors at every threshold), so their misses are correlated and cannot
        // be counted as independent trials; each of the 16 intervals is widened to the Bonferroni level
        // 1 − 0.05/16 (the t quantile ratio, replications − 1 degrees of freedom), which holds whatever the
        // correlation.
        let mut misses = 0;
        for p in &sim.points {
            let scale = t_quantile(1.0 - 0.05 / 32.0, f64::from(p.replications - 1))
                / t_quantile(0.975, f64::from(p.replications - 1));
            let inside = |x: f64, mean: f64, lo: f64, hi: f64| (x - mean).abs() <= scale * (hi - lo) / 2.0;
            let fpr_in = inside(p.closed_form_fpr, p.fpr, p.fpr_ci_low, p.fpr_ci_high);
            let fnr_in = inside(p.closed_form_fnr, p.fnr, p.fnr_ci_low, p.fnr_ci_high);
            misses += u32::from(!(p.closed_form_fpr >= p.fpr_ci_low && p.closed_form_fpr <= p.fpr_ci_high));
            misses += u32::from(!(p.closed_form_fnr >= p.fnr_ci_low && p.closed_form_fnr <= p.fnr_ci_high));
            eprintln!(
                "{fusion:?} θ {:.3}: FPR {:.5} [{:.5}, {:.5}] vs {:.5}; FNR {:.5} [{:.5}, {:.5}] vs {:.5}",
                p.threshold,
                p.fpr,
                p.fpr_ci_low,
                p.fpr_ci_high,
                p.closed_form_fpr,
                p.fnr,
                p.fnr_ci_low,
                p.fnr_ci_high,
                p.closed_form_fnr
            );
            assert!(fpr_in && fnr_in, "{fusion:?}: the closed form lies outside the Bonferroni interval at {p:?}");
        }
        eprintln!("{fusion:?}: {misses} of 16 plain 95% intervals miss the closed form");
        // The simulated crossover error rate: every replication crosses on the simulated thresholds (they bracket
        // the closed-form crossover), and its interval across replications contains the closed-form rate.
        let cer = sim.cer.expect("the rates cross");
        assert_eq!(cer.replications, 6, "{fusion:?}");
        let (lo, hi) = (cer.rate_ci_low.unwrap(), cer.rate_ci_high.unwrap());
        eprintln!("{fusion:?}: CER {:.5} [{lo:.5}, {hi:.5}] vs closed form {:.5}", cer.rate, closed.cer.rate);
        assert!((lo..=hi).contains(&closed.cer.rate), "{fusion:?}: {cer:?} vs {:?}", closed.cer);
    }
}

#[test]
fn cli_writes_the_curve_files_and_figures() {
    let dir = common::scratch("ids-curves");
    std::fs::write(dir.join("ids.toml"), BASE).unwrap();
    let args = ["-q", "ids-optimize", "ids.toml", "--max-ids", "2", "--replications", "2"];
    let score = ["--set", "ids.detector=score", "--set", "simulation.duration_s=60", "--curve-points", "3"];
    let out = common::cli(&dir, &[&args[..], &score, &["--out", "score"]].concat());
    assert!(out.status.success(), "{}", common::stderr(&out));
    let score = dir.join("score");
    for f in ["det.csv", "cost_curve.csv", "roc_simulated.csv", "curves.json", "roc_det.png", "cost_curve.svg"] {
        assert!(score.join(f).is_file(), "{f} missing");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(score.join("curves.json")).unwrap()).unwrap();
    let auc = summary["auc"].as_f64().unwrap();
    assert!((0.5..1.0).contains(&auc), "{auc}");
    assert_eq!(summary["simulated_points"], 3);
    // Without a threshold to sweep (Bernoulli detector) there are no curves, and --curve-points costs nothing.
    let out = common::cli(&dir, &[&args[..], &["--set", "simulation.duration_s=60", "--out", "bernoulli"]].concat());
    assert!(out.status.success(), "{}", common::stderr(&out));
    let out = dir.join("bernoulli");
    assert!(!out.join("curves.json").exists());
}
