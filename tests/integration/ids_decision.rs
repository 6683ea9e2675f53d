//! The decision analysis of `ids-optimize` (issue 13, section 1): the chen2016 headline by closed form and by
//! simulation with the paired steps around it, common random numbers across branches, the closed form inside the
//! simulated intervals for any / k-of-n / majority on parameter sets of our own, and `k_of_n` with a fixed k across
//! n = 1..max (n < k infeasible, not an error).

use std::path::Path;
use std::sync::OnceLock;

use cloudletsim::ids::optimize::{optimize, OptimizeOptions, OptimizeResult, TradeoffRow};
use cloudletsim::ids::state::placement;
use cloudletsim::sweep::stats::{mean_ci, t_quantile};

use super::ids::BASE;

/// `ids-optimize scenarios/chen2016-ids.toml --max-ids 8 --replications 10` (the CLI's default replications), run
/// once for every test that reads it.
fn chen2016() -> &'static OptimizeResult {
    static RESULT: OnceLock<OptimizeResult> = OnceLock::new();
    RESULT.get_or_init(|| {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/chen2016-ids.toml");
        let text = std::fs::read_to_string(&file).unwrap();
        let opts = OptimizeOptions {
            max_ids: 8,
            target_detection: 0.0,
            max_false_alarm: 1.0,
            replications: 10,
            curve_points: 0,
        };
        optimize(&text, &file, &[], &opts).unwrap()
    })
}

fn row<'a>(rows: &'a [TradeoffRow], method: &str, n: u32) -> &'a TradeoffRow {
    rows.iter().find(|r| r.method == method && r.ids_count == n).unwrap()
}

#[test]
fn chen2016_optimum_is_four_nodes_75_percent_cost_0_02_and_beats_its_neighbours() {
    let result = chen2016();
    let o = &result.optimum;
    assert_eq!(o.ids_count, Some(4), "analytic optimum");
    assert!((o.detection_rate - 0.75).abs() <= 0.01, "analytic detection {}", o.detection_rate);
    assert!((o.cost - 0.020).abs() <= 0.001, "analytic cost {}", o.cost);
    assert_eq!(o.simulated_ids_count, Some(4), "simulated optimum");
    assert!((o.simulated_detection_rate - 0.75).abs() <= 0.01, "simulated detection {}", o.simulated_detection_rate);
    assert!((o.simulated_cost - 0.020).abs() <= 0.001, "simulated cost {}", o.simulated_cost);
    // The closed form's steps: C(4) − C(3) = −0.00048 and C(5) − C(4) = +0.00052 (docs/model.md §8.16).
    let exact = |n| row(&result.rows, "analytic", n).cost_diff_prev.unwrap();
    assert!((exact(4) + 0.000_48).abs() < 1e-5 && (exact(5) - 0.000_52).abs() < 1e-5, "{} {}", exact(4), exact(5));
    // The paired intervals of the simulated steps exclude 0 on the closed form's side and (measured: [−0.00050,
    // −0.00035] and [+0.00044, +0.00065]) hold the closed form's difference.
    let below = o.simulated_step_below.expect("a step into n = 4");
    let above = o.simulated_step_above.expect("a step out of n = 4");
    eprintln!("C(4) − C(3): {below:?}\nC(5) − C(4): {above:?}");
    assert!(below.ci_high < 0.0 && above.ci_low > 0.0, "{below:?} {above:?}");
    assert!(below.ci_low <= exact(4) && exact(4) <= below.ci_high, "{below:?}");
    assert!(above.ci_low <= exact(5) && exact(5) <= above.ci_high, "{above:?}");
    assert_eq!(o.simulated_beats_neighbours, Some(true));
    // The Bayesian detection rate at the optimum: 0.1 × 0.75 / (0.075 + 0.9 × P_FA(4) = 0.0394...) ≈ 0.68. The
    // simulated one pools about 66,000 alarms (10 replications × 4,500 detections and 2,100 false alarms), a
    // standard error of √(0.68 × 0.32 / 66,000) ≈ 0.002; 0.02 leaves room for the replications' prevalence, which
    // moves it by about 0.003 per 0.001 of π.
    let bdr = o.bayesian_detection_rate.unwrap();
    assert!((bdr - 0.075 / (0.075 + 0.9 * o.false_alarm_rate)).abs() < 1e-12 && (bdr - 0.68).abs() < 0.01, "{bdr}");
    let sim = o.simulated_bayesian_detection_rate.unwrap();
    assert!((sim - bdr).abs() < 0.02, "simulated {sim} vs {bdr}");
    // The placement order nests: the 4-node configuration is the first four of the 8-node ranking.
    let streams = cloudletsim::kernel::StreamFactory::new(result.config.seed, 0);
    let order = placement(&result.config.ids.placement, 8, &result.topology, &streams);
    assert_eq!(order, result.placement);
}

#[test]
fn chen2016_branches_share_common_random_numbers_so_the_paired_step_is_narrower() {
    let result = chen2016();
    // Without blocking or signatures, replication r of every n sees the same items (adding a node adds its own
    // stream and shifts no other), and the n-node IDS alarms on a superset of the (n − 1)-node one's items (fusion
    // "any", mesh scope, each node's draws fixed by its cloudlet).
    for r in 0..10 {
        let of_rep: Vec<_> = result.runs.iter().filter(|b| b.replication == r).collect();
        assert_eq!(of_rep.len(), 8);
        for w in of_rep.windows(2) {
            assert_eq!((w[0].attacks, w[0].benign), (w[1].attacks, w[1].benign), "replication {r}");
            assert!(w[1].detected >= w[0].detected && w[1].false_alarms >= w[0].false_alarms, "replication {r}");
        }
    }
    // The paired interval of C(n) − C(n − 1) against the unpaired one the two rows' own intervals give,
    // √(h(n)² + h(n − 1)²) (the Welch-style interval with the same t quantile): CRN must make it narrower.
    // Measured at n = 4: paired half-width 0.000078, unpaired 0.00032.
    for n in 2..=8 {
        let (now, prev) = (row(&result.rows, "simulated", n), row(&result.rows, "simulated", n - 1));
        let half = |r: &TradeoffRow| (r.cost_ci_high - r.cost_ci_low) / 2.0;
        let unpaired = (half(now).powi(2) + half(prev).powi(2)).sqrt();
        let paired = (now.cost_diff_prev_ci_high.unwrap() - now.cost_diff_prev_ci_low.unwrap()) / 2.0;
        eprintln!("n = {n}: paired half-width {paired:.6}, unpaired {unpaired:.6}");
        assert!(paired < 0.5 * unpaired, "n = {n}: paired {paired} vs unpaired {unpaired}");
    }
}

/// `ids-optimize` on the small mesh of [`BASE`] (40 wearables, probes, reads and insiders, mesh scope, no response)
/// with `sets`.
fn optimize_own(sets: &[&str], max_ids: u32, replications: u32) -> OptimizeResult {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let opts = OptimizeOptions { max_ids, target_detection: 0.0, max_false_alarm: 1.0, replications, curve_points: 0 };
    optimize(BASE, Path::new("ids.toml"), &sets, &opts).unwrap()
}

#[test]
fn closed_form_lies_in_the_simulated_intervals_for_any_k_of_n_and_majority() {
    // Three parameter sets of ours (independent Bernoulli nodes, mesh scope): uniform detectors; unequal per-kind
    // detectors with many false alarms; weak detectors over a longer run. Not route scope: there the closed form
    // uses the base replication's attachments of patients to cloudlets, which the other replications redraw
    // (docs/model.md §8.13); in a trial on a 30-wearable variant with weak detectors in route scope its
    // false-alarm rate at n = 3, 0.0749, lay outside the simulated 0.0889 ± 0.0131.
    let params: [&[&str]; 3] = [
        &[
            "ids.bernoulli.detection_prob.probe=0.3",
            "ids.bernoulli.detection_prob.unauthorized_access=0.3",
            "ids.bernoulli.detection_prob.insider=0.3",
            "ids.bernoulli.false_alarm_prob=0.02",
        ],
        &[
            "ids.bernoulli.detection_prob.probe=0.7",
            "ids.bernoulli.detection_prob.unauthorized_access=0.45",
            "ids.bernoulli.detection_prob.insider=0.1",
            "ids.bernoulli.false_alarm_prob=0.1",
        ],
        &[
            "ids.bernoulli.detection_prob.probe=0.15",
            "ids.bernoulli.detection_prob.unauthorized_access=0.2",
            "ids.bernoulli.detection_prob.insider=0.05",
            "ids.bernoulli.false_alarm_prob=0.05",
            "simulation.duration_s=500.0",
        ],
    ];
    let fusions: [&[&str]; 3] = [&["ids.fusion=any"], &["ids.fusion=k_of_n", "ids.k=2"], &["ids.fusion=majority"]];
    const REPLICATIONS: u32 = 10;
    const MAX_IDS: u32 = 4;
    // Each replication's rate is an average of a few hundred to a few thousand independent items, so nearly
    // normal, and replications are independent: the Student-t interval across them is exact enough. 72 intervals
    // (3 sets × 3 rules × 4 counts × 2 rates) are checked, so each must hold the closed form at the Bonferroni
    // level 1 − 0.05/72 (a 95% guarantee for the whole family); and at least 90% of the plain 95% intervals must
    // (expected 95%; with 72 intervals 90% is about 2 standard deviations below).
    let family = (params.len() * fusions.len()) as f64 * f64::from(MAX_IDS) * 2.0;
    let wide_t = t_quantile(1.0 - 0.025 / family, f64::from(REPLICATIONS - 1));
    let (mut checked, mut inside95) = (0, 0);
    for p in params {
        for f in fusions {
            let sets: Vec<&str> = p.iter().chain(f.iter()).copied().collect();
            let result = optimize_own(&sets, MAX_IDS, REPLICATIONS);
            for n in 1..=MAX_IDS {
                let exact = row(&result.rows, "analytic", n);
                let obs: Vec<_> = result.runs.iter().filter(|b| b.ids_count == n).collect();
                let rates = [
                    (
                        exact.detection_rate,
                        obs.iter().map(|b| b.detected as f64 / b.attacks as f64).collect::<Vec<_>>(),
                    ),
                    (exact.false_alarm_rate, obs.iter().map(|b| b.false_alarms as f64 / b.benign as f64).collect()),
                ];
                let sim = row(&result.rows, "simulated", n);
                for (i, (value, xs)) in rates.into_iter().enumerate() {
                    let s = mean_ci(&xs, 0.95).unwrap();
                    let wide = wide_t * s.std.unwrap() / f64::from(REPLICATIONS).sqrt();
                    checked += 1;
                    let (lo, hi) = s.ci.unwrap();
                    if lo <= value && value <= hi {
                        inside95 += 1;
                    }
                    // The row's interval is this one, clipped to [0, 1] (docs/model.md §8.14).
                    let (rlo, rhi) = if i == 0 {
                        (sim.detection_rate_ci_low, sim.detection_rate_ci_high)
                    } else {
                        (sim.false_alarm_rate_ci_low, sim.false_alarm_rate_ci_high)
                    };
                    assert_eq!((lo.max(0.0), hi.min(1.0)), (rlo, rhi));
                    assert!(
                        (s.mean - value).abs() <= wide,
                        "{sets:?} n = {n} rate {i}: closed form {value} vs simulated {} ± {wide}",
                        s.mean
                    );
                }
            }
        }
    }
    eprintln!("closed form inside {inside95} of {checked} plain 95% intervals");
    assert!(inside95 as f64 >= 0.9 * checked as f64, "{inside95} of {checked}");
}

#[test]
fn k_of_n_with_a_fixed_k_makes_smaller_ids_counts_infeasible_not_an_error() {
    let result = optimize_own(&["ids.fusion=k_of_n", "ids.k=3", "ids.count=3"], 4, 2);
    for r in &result.rows {
        let values = [r.detection_rate, r.false_alarm_rate, r.cost, r.cost_ci_low, r.cost_ci_high, r.prevalence];
        assert!(values.iter().all(|v| v.is_finite()), "{r:?}");
        if r.ids_count < 3 {
            // Fewer nodes than alarms needed: the IDS inspects and never alarms.
            assert!(!r.feasible, "{r:?}");
            assert_eq!((r.detection_rate, r.false_alarm_rate), (0.0, 0.0), "{r:?}");
        } else {
            assert!(r.feasible && r.detection_rate > 0.0, "{r:?}");
        }
    }
    // The analytic cost of a branch that never alarms is n·C_node + π·C_miss.
    let c = &result.config.ids.cost;
    let one = row(&result.rows, "analytic", 1);
    assert!((one.cost - (c.per_ids_node + one.prevalence * c.per_missed_attack)).abs() < 1e-12);
    assert!(result.optimum.ids_count.is_some_and(|n| n >= 3) && result.optimum.simulated_ids_count >= Some(3));
}

/// The robustness map of the chen2016 result (docs/model.md §8.17): four nodes hold in a narrow band around the
/// scenario's costs and prevalence, and the simulated rates give the same optimum on the coarse grid.
#[test]
fn chen2016_four_nodes_hold_only_near_the_calibrated_costs() {
    let s = cloudletsim::ids::sensitivity::analyse(chen2016()).unwrap();
    let r = &s.robustness;
    assert_eq!(r.optimal_n, Some(4));
    // Exact crossings with the 3- and 5-node branches (closed form): C_miss/C_FA 5.67–8.01, C_node/C_FA
    // 0.0397–0.0596, π 0.086–0.121, each around the scenario's 6.6, 0.05, 0.1.
    let within = |range: Option<(f64, f64)>, lo: f64, hi: f64| {
        let (a, b) = range.unwrap();
        (a - lo).abs() < 0.01 * lo && (b - hi).abs() < 0.01 * hi
    };
    assert!(within(r.miss_cost_ratio_range, 5.672, 8.009), "{:?}", r.miss_cost_ratio_range);
    assert!(within(r.node_cost_ratio_range, 0.0397, 0.0596), "{:?}", r.node_cost_ratio_range);
    assert!(within(r.prevalence_range, 0.0861, 0.1209), "{:?}", r.prevalence_range);
    assert!(r.share_at_prevalence < 0.1, "share {}", r.share_at_prevalence);
    // The simulated optimum may differ from the closed form's only where two branches nearly tie: measured 150 of
    // 150 coarse points agree; at least 90% must.
    let (agree, all) = r.simulated_agrees;
    assert_eq!(all, 150);
    assert!(agree * 10 >= all * 9, "{agree} of {all}");
    // The tornado's cost-ratio rows move the optimum as the exact intervals say: C_miss ±50% leaves [5.67, 8.01].
    let miss = s.tornado.iter().find(|t| t.parameter == "cost per missed attack").unwrap();
    assert_eq!((miss.optimal_n_low, miss.optimal_n_high), (Some(2), Some(5)));
}

#[test]
fn a_map_it_cannot_draw_stops_before_writing_anything() {
    let dir = crate::common::scratch("sensitivity_without_false_alarm_cost");
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/chen2016-ids.toml");
    let out = crate::common::cli(
        &dir,
        &[
            "ids-optimize",
            file.to_str().unwrap(),
            "--sensitivity",
            "--max-ids",
            "2",
            "--replications",
            "2",
            "--set",
            "simulation.duration_s=20",
            "--set",
            "ids.cost.per_false_alarm=0",
            "--out",
            "res",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", crate::common::stderr(&out));
    assert!(crate::common::stderr(&out).contains("ids.cost.per_false_alarm must be > 0"));
    assert!(!dir.join("res").exists() || crate::common::entries(&dir.join("res")).is_empty());
}
