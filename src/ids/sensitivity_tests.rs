use rand::{Rng, SeedableRng};

use super::*;
use crate::ids::analytic::expected;
use crate::ids::placement::placement;
use crate::run::build_topology;

fn branch(n: u32, detection: f64, false_alarm: f64) -> Branch {
    Branch { n, detection, false_alarm, feasible: true }
}

#[test]
fn relative_cost_and_optimum_by_hand() {
    // n = 2, P_D = 0.5, P_FA = 0.02, π = 0.1, r_miss = 6.6, r_node = 0.05:
    // 0.9 × 0.02 + 0.1 × 0.5 × 6.6 + 2 × 0.05 = 0.018 + 0.33 + 0.1 = 0.448.
    assert!((branch(2, 0.5, 0.02).relative_cost(0.1, 6.6, 0.05) - 0.448).abs() < 1e-12);
    // Two branches of equal cost: the one with fewer nodes wins; an infeasible one never does.
    let b = [branch(1, 0.0, 0.0), branch(2, 0.5, 0.0), Branch { feasible: false, ..branch(3, 1.0, 0.0) }];
    // π = 0.5, r_miss = 2, r_node = 0.5: C(1) = 1 + 0.5 = 1.5, C(2) = 0.5 + 1 = 1.5, C(3) would be 1.5 too.
    assert_eq!(optimal(&b, 0.5, 2.0, 0.5).map(|o| o.0), Some(1));
    assert_eq!(optimal(&b[2..], 0.5, 2.0, 0.5), None);
}

#[test]
fn the_axes_hold_the_scenario_s_point_and_span_four_decades() {
    let p = Point { prevalence: 0.1, miss: 6.6, node: 0.05 };
    let (pis, misses, nodes) = axes(p);
    // 0.1 × [0.1, 0.25, 0.5, 1, 2, 4] (10 × 0.1 = 1 is dropped).
    assert_eq!(pis.len(), 6);
    assert!(pis.contains(&0.1));
    assert_eq!((misses.len(), nodes.len()), (RATIO_POINTS, RATIO_POINTS));
    assert_eq!(misses[RATIO_POINTS / 2], 6.6);
    assert!((misses[0] / 6.6 - 0.01).abs() < 1e-12 && (misses[RATIO_POINTS - 1] / 6.6 - 100.0).abs() < 1e-9);
    assert!(misses.windows(2).all(|w| w[0] < w[1]) && nodes.windows(2).all(|w| w[0] < w[1]));
    let rows = map(p, &[branch(1, 0.3, 0.01), branch(2, 0.5, 0.02)], &[]);
    assert_eq!(rows.len(), 6 * RATIO_POINTS * RATIO_POINTS);
    assert_eq!(rows.iter().filter(|r| r.scenario).count(), 1);
    assert!(rows.iter().all(|r| r.simulated_optimal_n.is_none()));
}

/// The map re-weighs the branches' rates; the brute force rebuilds the scenario with the point's costs and attack
/// rates scaled to the point's prevalence, and evaluates the closed form of every branch anew.
#[test]
fn the_map_agrees_with_brute_force_closed_forms_at_random_points() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/chen2016-ids.toml");
    let cfg = crate::scenario::load(&path, &[]).unwrap().config;
    let topo = build_topology(&cfg).unwrap();
    let streams = crate::kernel::StreamFactory::new(cfg.seed, cfg.replication);
    let order = placement(&cfg.ids.placement, 8, &topo, &streams);
    let at = |c: &crate::scenario::ModelConfig| -> Vec<Branch> {
        (1..=8u32)
            .map(|n| {
                let e = expected(c, &topo, &order[..n as usize]);
                branch(n, e.detection_rate, e.false_alarm_rate)
            })
            .collect()
    };
    let base = at(&cfg);
    let pi0 = expected(&cfg, &topo, &order[..1]).prevalence;
    let mut rng = rand_pcg::Pcg32::seed_from_u64(13);
    let mut optima = std::collections::BTreeSet::new();
    for _ in 0..40 {
        let pi = pi0 * 10f64.powf(rng.random_range(-1.0..0.9));
        let miss = 10f64.powf(rng.random_range(-1.0..2.5));
        let node = 10f64.powf(rng.random_range(-4.0..-0.5));
        let mut c = cfg.clone();
        c.ids.cost = crate::ids::config::IdsCost { per_ids_node: node, per_missed_attack: miss, per_false_alarm: 1.0 };
        // Attack rates scaled by s: π' = sA / (sA + B), so s = π'(1 − π0) / (π0 (1 − π')).
        let s = pi * (1.0 - pi0) / (pi0 * (1.0 - pi));
        c.attacks.values_mut().for_each(|a| a.rate_per_s *= s);
        let brute: Vec<(u32, f64)> = (1..=8u32).map(|n| (n, expected(&c, &topo, &order[..n as usize]).cost)).collect();
        let want = brute.iter().min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0))).unwrap();
        let got = optimal(&base, pi, miss, node).unwrap();
        assert_eq!(got.0, want.0, "π {pi} r_miss {miss} r_node {node}: map {got:?}, brute force {want:?}");
        assert!((got.1 - want.1).abs() < 1e-9 * want.1.max(1e-12), "{got:?} vs {want:?}");
        optima.insert(want.0);
        // The rebuilt scenario's own rates are the base rates: the premise of the map.
        assert!(at(&c).iter().zip(&base).all(|(a, b)| (a.detection - b.detection).abs() < 1e-12));
    }
    assert!(optima.len() >= 3, "the random points should reach several optima: {optima:?}");
}

#[test]
fn robustness_follows_the_axes_through_the_scenario_s_point() {
    // One node detects little; the second doubles detection at a node's cost. With π = 0.1 and equal P_FA the two
    // cross where 0.1 × 0.4 × r_miss = r_node: at r_node = 0.05, r_miss = 1.25; at r_miss = 6.6, r_node = 0.264;
    // and along π (r_miss = 6.6, r_node = 0.05) where π × 0.4 × 6.6 = 0.05: π = 0.05 / 2.64.
    let b = [branch(1, 0.2, 0.01), branch(2, 0.6, 0.01)];
    let p = Point { prevalence: 0.1, miss: 6.6, node: 0.05 };
    let rows = map(p, &b, &b);
    let r = robustness(p, &b, &rows);
    assert_eq!(r.optimal_n, Some(2));
    let close = |x: f64, y: f64| (x - y).abs() < 1e-12 * y.max(1.0);
    let (lo, hi) = r.miss_cost_ratio_range.unwrap();
    assert!(close(lo, 1.25) && hi == f64::INFINITY, "{lo} {hi}");
    let (lo, hi) = r.node_cost_ratio_range.unwrap();
    assert!(lo == 0.0 && close(hi, 0.264), "{lo} {hi}");
    let (lo, hi) = r.prevalence_range.unwrap();
    assert!(close(lo, 0.05 / 2.64) && hi == 1.0, "{lo} {hi}");
    // Each range agrees with the grid: just inside it the optimum is 2 nodes, just outside 1.
    assert_eq!(optimal(&b, 0.1, 1.25 * 1.001, 0.05).unwrap().0, 2);
    assert_eq!(optimal(&b, 0.1, 1.25 * 0.999, 0.05).unwrap().0, 1);
    // Simulated rates equal to the closed form's: every coarse point agrees (5 × 5 per prevalence, 6 prevalences).
    assert_eq!(r.simulated_agrees, (150, 150));
    // An infeasible optimum has no range; a branch of equal slope and lower cost leaves none.
    assert_eq!(holds(&b, 3, (0.0, 1.0), |b| (b.n as f64, 1.0)), None);
    assert_eq!(holds(&b, 2, (0.0, 1.0), |b| (b.n as f64, 1.0)), None);
}

#[test]
fn the_tornado_re_optimises_each_end() {
    let b = [branch(1, 0.2, 0.01), branch(2, 0.6, 0.01)];
    let c = crate::ids::config::IdsCost { per_false_alarm: 1.0, per_missed_attack: 6.6, per_ids_node: 0.05 };
    let rows = tornado(&b, 0.1, c, Vec::new());
    let miss = rows.iter().find(|r| r.parameter == "cost per missed attack").unwrap();
    // C_miss × 1.5 = 9.9: 2 nodes, 0.9 × 0.01 + 0.1 × 0.4 × 9.9 + 0.1 = 0.505; × 0.5 = 3.3: 2 nodes, 0.241.
    assert!((miss.cost_high - 0.505).abs() < 1e-12 && (miss.cost_low - 0.241).abs() < 1e-12);
    assert_eq!((miss.optimal_n_low, miss.optimal_n_high), (Some(2), Some(2)));
    // Sorted by swing: the widest first.
    let swing = |r: &TornadoRow| (r.cost_high - r.cost_low).abs();
    assert!(rows.windows(2).all(|w| swing(&w[0]) >= swing(&w[1])));
}
