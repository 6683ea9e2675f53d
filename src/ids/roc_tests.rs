use super::*;
use enum_map::enum_map;

fn phi_inv(p: f64) -> f64 {
    Normal::standard().inverse_cdf(p)
}

fn phi(x: f64) -> f64 {
    Normal::standard().cdf(x)
}

#[test]
fn the_binormal_fit_recovers_a_and_b_from_exact_points() {
    for (a, b) in [(1.5, 1.0), (2.0, 0.6), (0.8, 1.7)] {
        let points: Vec<(f64, f64)> =
            [0.001, 0.01, 0.05, 0.2, 0.5].iter().map(|&x| (x, phi(a + b * phi_inv(x)))).collect();
        let (fa, fb) = fit_binormal(&points).unwrap();
        assert!((fa - a).abs() < 1e-9 && (fb - b).abs() < 1e-9, "({a}, {b}) fitted as ({fa}, {fb})");
    }
    // One point: b = 1 and the curve passes through it.
    let (a, b) = fit_binormal(&[(0.05, 0.8)]).unwrap();
    assert_eq!(b, 1.0);
    let back = RocCurve::Binormal { a, b }.tpr(0.05);
    // statrs's Φ⁻¹ then Φ round trip is good to about 2e-11 here (measured 1.9e-11).
    assert!((back - 0.8).abs() < 1e-10, "{back}");
}

#[test]
fn the_binormal_fit_refuses_what_it_cannot_fit() {
    let err = |p: &[(f64, f64)]| fit_binormal(p).unwrap_err();
    assert!(err(&[]).contains("at least one"));
    assert!(err(&[(0.0, 0.5)]).contains("outside (0, 1)"));
    assert!(err(&[(0.1, 1.0)]).contains("outside (0, 1)"));
    assert!(err(&[(0.1, 0.5), (0.1, 0.7)]).contains("same fpr"));
    assert!(err(&[(0.1, 0.9), (0.3, 0.6)]).contains("not > 0"));
}

#[test]
fn the_hull_is_monotone_concave_and_passes_through_its_points() {
    // (0.2, 0.5) lies under the chord from (0.1, 0.6) to (0.4, 0.9): not a vertex.
    let points = [(0.1, 0.6), (0.2, 0.5), (0.4, 0.9), (0.7, 0.97), (0.05, 0.2)];
    let h = hull(&points);
    assert_eq!(h, vec![(0.0, 0.0), (0.1, 0.6), (0.4, 0.9), (0.7, 0.97), (1.0, 1.0)]);
    // A point on a hull edge adds no vertex.
    assert_eq!(hull(&[(0.4, 0.9), (0.7, 0.95)]), vec![(0.0, 0.0), (0.4, 0.9), (1.0, 1.0)]);
    let curve = RocCurve::Hull(h.clone());
    for &(x, y) in &h {
        assert!((curve.tpr(x) - y).abs() < 1e-15, "vertex ({x}, {y})");
    }
    // Points under the hull are dominated: the curve is at or above every point.
    for &(x, y) in &points {
        assert!(curve.tpr(x) >= y - 1e-15, "({x}, {y}) above the hull");
    }
    let xs: Vec<f64> = (0..=1000).map(|i| i as f64 / 1000.0).collect();
    let ys: Vec<f64> = xs.iter().map(|&x| curve.tpr(x)).collect();
    assert!(ys.windows(2).all(|w| w[1] >= w[0]), "monotone");
    // Concave: every midpoint at or above the chord.
    for i in 0..xs.len() - 2 {
        assert!(ys[i + 1] >= 0.5 * (ys[i] + ys[i + 2]) - 1e-12, "concave at {}", xs[i + 1]);
    }
    // Linear between vertices: randomising between (0.1, 0.6) and (0.4, 0.9) half the time each.
    assert!((curve.tpr(0.25) - 0.75).abs() < 1e-12);
}

#[test]
fn latent_thresholds_give_the_alarm_probability() {
    for p in [1e-6, 0.01, 0.3, 0.5, 0.9] {
        assert!((1.0 - phi(RocDetector::threshold(p)) - p).abs() < 1e-9 * p.max(1e-3), "{p}");
    }
    assert_eq!(RocDetector::threshold(0.0), f64::INFINITY);
    assert_eq!(RocDetector::threshold(1.0), f64::NEG_INFINITY);
}

fn detector(curves: EnumMap<AttackKind, RocCurve>) -> RocDetector {
    RocDetector {
        curves,
        correlation: 0.0,
        rule: OperatingRule::Slope,
        fixed_false_alarm: 0.01,
        node_false_alarm: 0.01,
        slope_target: None,
    }
}

/// Brute force: the best of `n` points evenly spaced in log10(x) over [X_MIN, X_MAX] (and in log10(1 − x) near 1).
fn brute_force(f: &dyn Fn(f64) -> f64, n: usize) -> (f64, f64) {
    let mut best = (f64::NAN, f64::INFINITY);
    for i in 0..=n {
        let e = -6.0 + 6.0 * i as f64 / n as f64;
        for x in [10f64.powf(e).clamp(X_MIN, X_MAX), (1.0 - 10f64.powf(e)).clamp(X_MIN, X_MAX)] {
            let v = f(x);
            if v < best.1 {
                best = (x, v);
            }
        }
    }
    best
}

#[test]
fn the_slope_rule_agrees_with_brute_force_and_meets_the_target_slope() {
    let cost = IdsCost { per_ids_node: 0.0, per_missed_attack: 1.0, per_false_alarm: 0.05 };
    let weights = enum_map! { AttackKind::Probe => 0.4, AttackKind::Insider => 0.6, _ => 0.0 };
    let smooth = detector(enum_map! {
        AttackKind::Probe => RocCurve::Binormal { a: 2.0, b: 1.0 },
        AttackKind::Insider => RocCurve::Binormal { a: 1.0, b: 1.0 },
        _ => RocCurve::Binormal { a: 0.0, b: 1.0 },
    });
    let hull_det = detector(enum_map! {
        AttackKind::Probe => RocCurve::Hull(hull(&[(0.01, 0.4), (0.05, 0.7), (0.2, 0.9)])),
        AttackKind::Insider => RocCurve::Binormal { a: 1.0, b: 0.7 },
        _ => RocCurve::Binormal { a: 0.0, b: 1.0 },
    });
    for pi in [0.01, 0.1, 0.4] {
        for det in [&smooth, &hull_det] {
            let f =
                |x: f64| (1.0 - pi) * cost.per_false_alarm * x - pi * cost.per_missed_attack * det.mix_tpr(&weights, x);
            let x = slope_point(det, &weights, pi, &cost);
            let (xb, fb) = brute_force(&f, 20_000);
            // Never worse than the brute force's best, and at its x within the grid's resolution (a step of 3e-4
            // in log10 x) unless the objective is flat there.
            assert!(f(x) <= fb + 1e-12, "π {pi}: f({x}) = {} > brute force f({xb}) = {fb}", f(x));
            let close = (x.log10() - xb.log10()).abs() < 1e-3 || (f(x) - fb).abs() < 1e-9;
            assert!(close, "π {pi}: x {x} against brute force {xb}");
        }
        // On the smooth mix the optimum is interior here: the ROC slope equals (1 − π)·C_FA / (π·C_miss).
        let x = slope_point(&smooth, &weights, pi, &cost);
        let h = 1e-6 * x;
        let slope = (smooth.mix_tpr(&weights, x + h) - smooth.mix_tpr(&weights, x - h)) / (2.0 * h);
        let target = slope_target(pi, &cost).unwrap();
        assert!((slope / target - 1.0).abs() < 1e-4, "π {pi}: slope {slope} against target {target}");
    }
}

#[test]
fn the_slope_rule_on_hulls_alone_picks_a_vertex() {
    let cost = IdsCost { per_ids_node: 0.0, per_missed_attack: 1.0, per_false_alarm: 0.05 };
    let weights = enum_map! { AttackKind::Probe => 1.0, _ => 0.0 };
    let vertices = [(0.01, 0.4), (0.05, 0.7), (0.2, 0.9)];
    let det = detector(
        enum_map! { AttackKind::Probe => RocCurve::Hull(hull(&vertices)), _ => RocCurve::Binormal { a: 0.0, b: 1.0 } },
    );
    for pi in [0.005, 0.02, 0.1, 0.5] {
        let x = slope_point(&det, &weights, pi, &cost);
        let on_vertex = vertices.iter().any(|v| v.0 == x) || x == X_MIN || x == X_MAX;
        assert!(on_vertex, "π {pi}: x = {x} is not a vertex");
    }
}
