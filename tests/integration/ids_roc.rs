//! The `roc` detector: simulated fused rates of correlated nodes against the copula closed form, the copula integral
//! against independent computations (binomial tail at ρ = 0, the bivariate normal by Owen's T at n = 2), the roc
//! detector against the score detector it generalises, and the `system` operating point against brute force.

use std::path::Path;

use cloudletsim::ids::analytic::{expected, expected_as_configured, fused, resolve, score_fused};
use cloudletsim::ids::Detector;
use cloudletsim::scenario;
use statrs::distribution::{Binomial, ContinuousCDF, DiscreteCDF, Normal};

use crate::common::run;

/// A small mesh (every node inspects every item), two attack kinds with roc curves, benign uploads; nothing
/// responds to alarms (no blocking, no signature sharing), so items are independent of each other.
const ROC: &str = r#"
name = "ids-roc"
seed = 23
[simulation]
duration_s = 120.0
[wearables]
count = 40
sensors = ["heart_rate"]
[cloudlets]
count = 6
mesh = "ring"
wan_gateways = [0]
[crypto]
scheme = "none"
[attacks.probe]
rate_per_s = 20.0
[attacks.unauthorized_access]
rate_per_s = 20.0
[ids]
count = 3
scope = "mesh"
detector = "roc"
block_s = 0.0
[ids.roc]
correlation = 0.3
operating_point = "fixed"
false_alarm_prob = 0.08
[ids.roc.curve.probe]
binormal = { a = 1.2, b = 0.8 }
[ids.roc.curve.unauthorized_access]
points = [[0.02, 0.2], [0.1, 0.45], [0.3, 0.7]]
fit = "hull"
"#;

fn load(text: &str, sets: &[String]) -> scenario::ModelConfig {
    match scenario::load_str(text, Path::new("ids-roc.toml"), sets) {
        Ok(s) => s.config,
        Err(e) => panic!("{e}"),
    }
}

/// Wilson score interval for k successes in n trials with normal quantile `z`.
fn wilson_z(k: u64, n: u64, z: f64) -> (f64, f64) {
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    (centre - half, centre + half)
}

#[test]
fn simulated_rates_of_correlated_nodes_match_the_copula_closed_form() {
    let mut cases: Vec<(f64, u32, &str)> = Vec::new();
    for rho in [0.3, 0.7] {
        for n in 1..=5 {
            cases.push((rho, n, "any"));
            cases.push((rho, n, "majority"));
            if n >= 2 {
                cases.push((rho, n, "k_of_n"));
            }
        }
    }
    // Two rates per case: a simultaneous 95% level over all of them (Bonferroni), so that the test as a whole
    // fails by chance with probability at most 5%.
    let comparisons = 2 * cases.len();
    let z = Normal::standard().inverse_cdf(1.0 - 0.05 / (2.0 * comparisons as f64));
    for (rho, n, fusion) in cases {
        let sets = vec![format!("ids.roc.correlation={rho}"), format!("ids.count={n}"), format!("ids.fusion={fusion}")];
        let mut sets = sets;
        sets.push("ids.k=2".into());
        let cfg = load(ROC, &sets);
        let r = run(&cfg, false);
        let m = &r.model.ids().metrics;
        let nodes: Vec<u32> = r.model.ids().nodes().iter().map(|c| c.get()).collect();
        let e = expected(&cfg, &r.topology, &nodes);
        assert!(m.attacks > 4_000 && m.benign > 4_000, "{sets:?}: too few items {} {}", m.attacks, m.benign);
        assert_eq!(m.uninspected, 0, "{sets:?}");
        for (what, k, total, closed) in [
            ("detection", m.detected, m.attacks, e.detection_rate),
            ("false alarms", m.false_alarms, m.benign, e.false_alarm_rate),
        ] {
            let (lo, hi) = wilson_z(k, total, z);
            assert!(
                lo <= closed && closed <= hi,
                "{sets:?}: {what} closed form {closed} not in [{lo}, {hi}] ({k}/{total})"
            );
        }
    }
}

/// Owen's T(h, a) = (1/2π) ∫₀^a exp(−h²(1 + x²)/2) / (1 + x²) dx, by composite Simpson (a smooth integrand on a
/// short interval; a different integral from the copula's integral over the latent factor).
fn owens_t(h: f64, a: f64) -> f64 {
    let steps = 2_000;
    let dx = a / steps as f64;
    let f = |x: f64| (-0.5 * h * h * (1.0 + x * x)).exp() / (1.0 + x * x);
    let mut s = f(0.0) + f(a);
    for i in 1..steps {
        s += f(i as f64 * dx) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    s * dx / 3.0 / (2.0 * std::f64::consts::PI)
}

/// Φ₂(h, h; ρ) = Φ(h) − 2·T(h, √((1 − ρ)/(1 + ρ))), for h ≠ 0 (Owen 1956).
fn bivariate_diagonal(h: f64, rho: f64) -> f64 {
    Normal::standard().cdf(h) - 2.0 * owens_t(h, ((1.0 - rho) / (1.0 + rho)).sqrt())
}

#[test]
fn the_copula_integral_against_independent_computations() {
    let std = Normal::standard();
    for p in [0.01, 0.2, 0.7] {
        let q = -std.inverse_cdf(p); // alarm iff the latent score exceeds q = Φ⁻¹(1 − p)
                                     // ρ = 0 (and nearly 0): the binomial tail, from statrs directly.
        for (m, k) in [(1, 1), (3, 1), (4, 2), (5, 3)] {
            let tail = Binomial::new(p, m as u64).unwrap().sf(k as u64 - 1);
            for rho in [0.0, 1e-9] {
                let c = score_fused(m, 0.0, 1.0, rho, q, k);
                assert!((c - tail).abs() < 1e-7, "p {p} m {m} k {k} ρ {rho}: {c} vs {tail}");
            }
        }
        // n = 2: any = 1 − Φ₂(q, q; ρ); both (k = 2, and majority of 2) = Φ₂(−q, −q; ρ).
        for rho in [0.1, 0.3, 0.7, 0.95] {
            let any = 1.0 - bivariate_diagonal(q, rho);
            let both = bivariate_diagonal(-q, rho);
            assert!((score_fused(2, 0.0, 1.0, rho, q, 1) - any).abs() < 1e-8, "p {p} ρ {rho}: any");
            assert!((score_fused(2, 0.0, 1.0, rho, q, 2) - both).abs() < 1e-8, "p {p} ρ {rho}: both");
        }
    }
}

#[test]
fn the_roc_detector_with_binormal_curves_of_slope_one_is_the_score_detector() {
    // Score detector: benign N(0, 1), attacks N(μ_k, 1), threshold θ. Its node rates are x = 1 − Φ(θ) and
    // TPR_k = Φ(μ_k − θ) = Φ(μ_k + Φ⁻¹(x)): the binormal curve with a = μ_k, b = 1 at x.
    let theta = 1.7;
    let x = 1.0 - Normal::standard().cdf(theta);
    for rho in [0.0, 0.4, 0.8] {
        let score = load(
            ROC,
            &[
                "ids.detector=score".into(),
                format!("ids.score.correlation={rho}"),
                format!("ids.score.threshold={theta}"),
                "ids.score.attack_mean.probe=1.2".into(),
                "ids.score.attack_mean.unauthorized_access=2.5".into(),
            ],
        );
        let text = ROC.replace("a = 1.2, b = 0.8", "a = 1.2, b = 1.0").replace(
            "points = [[0.02, 0.2], [0.1, 0.45], [0.3, 0.7]]\nfit = \"hull\"",
            "binormal = { a = 2.5, b = 1.0 }",
        );
        assert!(text.contains("a = 2.5"));
        let roc = load(&text, &[format!("ids.roc.correlation={rho}"), format!("ids.roc.false_alarm_prob={x}")]);
        for m in 1..=5 {
            for kind in [
                None,
                Some(cloudletsim::ids::AttackKind::Probe),
                Some(cloudletsim::ids::AttackKind::UnauthorizedAccess),
            ] {
                let (s, r) = (fused(&score, m, kind), fused(&roc, m, kind));
                assert!((s - r).abs() < 1e-9, "ρ {rho} m {m} {kind:?}: score {s} roc {r}");
            }
        }
    }
}

#[test]
fn the_system_operating_point_agrees_with_brute_force() {
    for (fusion, rho) in [("any", 0.3), ("majority", 0.5), ("k_of_n", 0.0)] {
        let sets = vec![
            "ids.roc.operating_point=system".to_string(),
            format!("ids.fusion={fusion}"),
            format!("ids.roc.correlation={rho}"),
            "ids.count=4".into(),
            "ids.k=2".into(),
        ];
        let cfg = load(ROC, &sets);
        let topo = cloudletsim::run::build_topology(&cfg).unwrap();
        for n in [2usize, 4] {
            let slots: Vec<u32> = (0..n as u32).collect();
            let chosen = resolve(&cfg, &topo, &slots);
            let Detector::Roc(d) = &chosen.ids.detector else { panic!("roc detector") };
            let x = d.node_false_alarm;
            let cost_at = |x: f64| {
                let mut c = cfg.clone();
                if let Detector::Roc(d) = &mut c.ids.detector {
                    d.operate_at(x);
                }
                expected_as_configured(&c, &topo, &slots).cost
            };
            // Brute force: 300 points evenly spaced in log10(x) over [1e-6, 0.5] and in log10(1 − x) over [0.5, 1).
            let grid: Vec<f64> = (0..=150)
                .flat_map(|i| {
                    let v = 10f64.powf(-6.0 + (6.0 - 2f64.log10()) * i as f64 / 150.0);
                    [v, 1.0 - v]
                })
                .collect();
            let (xb, cb) =
                grid.iter()
                    .map(|&g| (g, cost_at(g)))
                    .fold((f64::NAN, f64::INFINITY), |b, p| if p.1 < b.1 { p } else { b });
            let c = cost_at(x);
            assert!(c <= cb + 1e-12, "{fusion} n {n}: cost {c} at {x} above brute force {cb} at {xb}");
            // Within the grid's resolution (a step of 0.04 in log10 x) where the cost is not flat.
            assert!((x.log10() - xb.log10()).abs() < 0.04 || (c - cb).abs() < 1e-9, "{fusion} n {n}: x {x} vs {xb}");
        }
    }
}
