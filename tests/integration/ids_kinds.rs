//! Attack kinds whose consequences differ (docs/model.md §8.2): probe follow-ups against their Poisson rate,
//! reconnaissance evasion against the thinned closed form, insiders that mimic doctor accesses against their
//! closed form, distributed attacks' "at least one / all sources detected" against 1 − (1 − P_D)^S and P_D^S, and
//! scenarios that do not use these keys keep their files.

use std::path::Path;

use cloudletsim::ids::analytic::{any_and_all_detected, expected, expected_follow_ups, fused, fused_with_evasion};
use cloudletsim::ids::optimize::wilson;
use cloudletsim::ids::AttackKind;
use cloudletsim::output::Summary;
use cloudletsim::scenario;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::common::run;

/// The Wilson interval of k successes in n trials at the two-sided level 1 − 0.05/`tests` (Bonferroni: `tests`
/// such intervals in one test all hold with at least 95 %).
fn wilson_bonferroni(k: u64, n: u64, tests: u32) -> (f64, f64) {
    use statrs::distribution::Normal;
    let z = Normal::standard().inverse_cdf(1.0 - 0.025 / tests as f64);
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    (centre - half, centre + half)
}

/// A ring of 6 cloudlets, 3 IDS nodes inspecting every item (mesh scope, any), no blocking: probes whose
/// undetected ones are all followed up by campaigns of 3 record reads.
const RECON: &str = r#"
name = "ids-recon"
seed = 23
[simulation]
duration_s = 600.0
warmup_s = 20.0
[wearables]
count = 12
sensors = ["temperature"]
[cloudlets]
count = 6
mesh = "ring"
wan_gateways = [0]
[crypto]
scheme = "none"
[attacks.probe]
rate_per_s = 4.0
follow_up_prob = 0.5
follow_up_delay_s = 5.0
recon_window_s = 300.0
[attacks.unauthorized_access]
campaign_size = 3
campaign_gap_s = 2.0
[ids]
count = 3
scope = "mesh"
block_s = 0.0
[ids.bernoulli]
false_alarm_prob = 0.02
[ids.bernoulli.detection_prob]
probe = 0.3
unauthorized_access = 0.4
"#;

fn load(text: &str, sets: &[&str]) -> scenario::ModelConfig {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match scenario::load_str(text, Path::new("kinds.toml"), &sets) {
        Ok(s) => s.config,
        Err(e) => panic!("{e}"),
    }
}

/// The exact (Garwood) 95% interval of a Poisson mean from one count `k`.
fn poisson_interval(k: u64) -> (f64, f64) {
    let lo = if k == 0 { 0.0 } else { ChiSquared::new(2.0 * k as f64).unwrap().inverse_cdf(0.025) / 2.0 };
    let hi = ChiSquared::new(2.0 * (k + 1) as f64).unwrap().inverse_cdf(0.975) / 2.0;
    (lo, hi)
}

#[test]
fn undetected_probes_are_followed_up_at_the_closed_form_rate() {
    for q in ["0.5", "0.2"] {
        let cfg = load(RECON, &[&format!("attacks.probe.follow_up_prob={q}")]);
        let r = run(&cfg, false);
        let s = Summary::from_run(&r).ids;
        let f = s.follow_ups.expect("follow-ups are reported when configured");
        let p_d = fused(&cfg, 3, Some(AttackKind::Probe));
        // Probes arrive as a Poisson process over the counted 580 s; each is undetected with 1 − P_D and then
        // followed up with q, independently: the follow-up count is Poisson with this mean.
        let mean = expected_follow_ups(&cfg, p_d, 580.0);
        let (lo, hi) = poisson_interval(f.campaigns);
        assert!(lo <= mean && mean <= hi, "q = {q}: {} follow-ups, mean {mean} not in [{lo}, {hi}]", f.campaigns);
        let probes = s.by_kind["probe"].attacks;
        let (lo, hi) = wilson(f.probes_undetected, probes);
        assert!(lo <= 1.0 - p_d && 1.0 - p_d <= hi, "q = {q}: undetected share {} not in [{lo}, {hi}]", 1.0 - p_d);
        // Every follow-up campaign is 3 reads, but at the edges: campaigns of probes from the 20 s warm-up have
        // counted reads, campaigns near the end are cut (about 20 s of probes each, so a few percent).
        let per_campaign = f.attacks as f64 / f.campaigns as f64;
        assert!((per_campaign - 3.0).abs() < 0.1, "{f:?}");
        assert_eq!(s.by_kind["unauthorized_access"].attacks, f.attacks, "the only reads are follow-ups");
    }
}

#[test]
fn follow_ups_draw_from_their_own_stream() {
    // Turning follow-ups on leaves the probes (their own stream) exactly as they were.
    let off = Summary::from_run(&run(&load(RECON, &["attacks.probe.follow_up_prob=0"]), false)).ids;
    let on = Summary::from_run(&run(&load(RECON, &[]), false)).ids;
    assert_eq!(off.by_kind["probe"].attacks, on.by_kind["probe"].attacks);
    assert_eq!(off.by_kind["unauthorized_access"].attacks, 0);
    assert!(on.by_kind["unauthorized_access"].attacks > 500);
    assert!(off.follow_ups.is_none() && on.follow_ups.is_some());
}

#[test]
fn reconnaissance_evasion_thins_every_nodes_alarms() {
    // Bernoulli: 1 − (1 − p·(1 − e))³; score (ρ = 0.5): the latent-factor integral with p(z)·(1 − e).
    for (e, detector) in [("0.6", "bernoulli"), ("0.3", "bernoulli"), ("0.6", "score")] {
        let sets = [
            &format!("attacks.probe.recon_evasion={e}")[..],
            &format!("ids.detector={detector}"),
            "attacks.probe.follow_up_prob=1.0",
            "ids.score.correlation=0.5",
            "ids.score.attack_mean.probe=1.0",
        ];
        let cfg = load(RECON, &sets);
        let s = Summary::from_run(&run(&cfg, false)).ids;
        let f = s.follow_ups.expect("reported");
        let evasion: f64 = e.parse().unwrap();
        let thinned = fused_with_evasion(&cfg, 3, AttackKind::UnauthorizedAccess, evasion);
        let plain = fused(&cfg, 3, Some(AttackKind::UnauthorizedAccess));
        assert!(f.recon_attacks > 1_500, "{e} {detector}: too few {}", f.recon_attacks);
        let (lo, hi) = wilson(f.recon_detected, f.recon_attacks);
        assert!(lo <= thinned && thinned <= hi, "{e} {detector}: thinned {thinned} not in [{lo}, {hi}]");
        assert!(hi < plain, "{e} {detector}: evasion must lower detection below {plain}");
    }
    // The Bernoulli closed form by hand: p = 0.4, e = 0.6, three nodes.
    let cfg = load(RECON, &[]);
    let by_hand = 1.0 - (1.0 - 0.4 * (1.0 - 0.6f64)).powi(3);
    assert!((fused_with_evasion(&cfg, 3, AttackKind::UnauthorizedAccess, 0.6) - by_hand).abs() < 1e-12);
}

/// Insiders that look like doctor accesses, among doctor accesses, uploads and probes.
const INSIDER: &str = r#"
name = "ids-insider"
seed = 31
[simulation]
duration_s = 400.0
[wearables]
count = 20
sensors = ["heart_rate"]
[cloudlets]
count = 6
mesh = "ring"
wan_gateways = [0]
[crypto]
scheme = "none"
[benign]
doctor_access_per_s = 5.0
[attacks.probe]
rate_per_s = 2.0
[attacks.insider]
rate_per_s = 8.0
mimics_benign = true
detection_lift = 0.3
[ids]
count = 3
block_s = 0.0
[ids.bernoulli]
false_alarm_prob = 0.05
[ids.bernoulli.detection_prob]
probe = 0.5
insider = 0.6
"#;

#[test]
fn insiders_that_mimic_benign_items_match_their_closed_form() {
    // Bernoulli: each node alarms with f + λ(p − f) = 0.05 + 0.3·0.55 = 0.215, so three nodes with `any` detect
    // 1 − 0.785³; the same through `expected` with route scope; and the score detector's mixture integral.
    let by_hand = 1.0 - (1.0 - 0.215f64).powi(3);
    let cfg = load(INSIDER, &["ids.scope=mesh"]);
    assert!((fused(&cfg, 3, Some(AttackKind::Insider)) - by_hand).abs() < 1e-12);
    let plain = load(INSIDER, &["ids.scope=mesh", "attacks.insider.mimics_benign=false"]);
    assert!(fused(&plain, 3, Some(AttackKind::Insider)) > by_hand + 0.2, "mimicry must hide insiders");
    for sets in [
        &["ids.scope=mesh"][..],
        &["ids.scope=route", "ids.count=4"],
        &["ids.detector=score", "ids.score.correlation=0.4", "ids.scope=mesh"],
        &["ids.fusion=k_of_n", "ids.k=2", "ids.scope=mesh", "attacks.insider.detection_lift=0.8"],
    ] {
        let cfg = load(INSIDER, sets);
        let r = run(&cfg, false);
        let s = Summary::from_run(&r).ids;
        let n = s.count;
        let k = &s.by_kind["insider"];
        assert!(k.attacks > 2_500, "{sets:?}: too few insiders {}", k.attacks);
        // Seven intervals in this test (three insider rates, four whole mixes): each at 1 − 0.05/7.
        if sets.contains(&"ids.scope=mesh") {
            let p = fused(&cfg, n, Some(AttackKind::Insider));
            let (lo, hi) = wilson_bonferroni(k.detected, k.attacks, 7);
            assert!(lo <= p && p <= hi, "{sets:?}: insider detection {p} not in [{lo}, {hi}]");
        }
        // The whole mix (probes and insiders), by the closed form `expected` uses.
        let nodes: Vec<u32> = r.model.ids().nodes().iter().map(|c| c.get()).collect();
        let e = expected(&cfg, &r.topology, &nodes);
        let (lo, hi) = wilson_bonferroni(s.detected, s.attacks, 7);
        assert!(lo <= e.detection_rate && e.detection_rate <= hi, "{sets:?}: {} not in [{lo}, {hi}]", e.detection_rate);
    }
}

const DISTRIBUTED: &str = r#"
name = "ids-distributed"
seed = 47
[simulation]
duration_s = 900.0
[wearables]
count = 6
sensors = ["temperature"]
[cloudlets]
count = 6
mesh = "ring"
wan_gateways = [0]
[crypto]
scheme = "none"
[attacks.distributed]
rate_per_s = 1.0
sources = 4
spread = "distinct"
[ids]
count = 2
scope = "mesh"
block_s = 0.0
[ids.bernoulli.detection_prob]
distributed = 0.3
"#;

#[test]
fn at_least_one_source_of_a_distributed_attack_is_detected_as_the_closed_form_says() {
    for sets in [&[][..], &["attacks.distributed.spread=random", "attacks.distributed.sources=3"]] {
        let cfg = load(DISTRIBUTED, sets);
        let s = Summary::from_run(&run(&cfg, false)).ids;
        let d = s.distributed.clone().expect("reported when distributed attacks are configured");
        let sources = cfg.attacks[AttackKind::Distributed].sources;
        let p_d = fused(&cfg, 2, Some(AttackKind::Distributed)); // 1 − 0.7² = 0.51
        let (any, all) = any_and_all_detected(p_d, sources);
        assert!(d.attacks > 800, "{sets:?}: {}", d.attacks);
        for (what, rate, p) in [("any", d.any_source_detected_rate, any), ("all", d.all_sources_detected_rate, all)] {
            let k = (rate * d.attacks as f64).round() as u64;
            let (lo, hi) = wilson(k, d.attacks);
            assert!(lo <= p && p <= hi, "{sets:?}: {what} {p} not in [{lo}, {hi}]");
        }
        // Damage is per source item: every item is a read or prevented (but the few whose impact falls after the
        // end), and every missed one is a read.
        let (items, detected) = (s.by_kind["distributed"].attacks, s.by_kind["distributed"].detected);
        let (read, prevented) = (s.damage.records_read, s.damage.prevented);
        assert!(read + prevented <= items && read + prevented + 10 >= items, "{read} + {prevented} vs {items}");
        assert!(read + 10 >= items - detected, "{read} reads, {} missed", items - detected);
    }
}

#[test]
fn scenarios_that_do_not_use_the_kind_keys_keep_their_files() {
    let new_keys = [
        "spread",
        "follow_up_kind",
        "follow_up_prob",
        "follow_up_delay_s",
        "recon_window_s",
        "recon_evasion",
        "mimics_benign",
        "detection_lift",
    ];
    for name in ["chen2016-ids", "quickstart"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(format!("{name}.toml"));
        let loaded = scenario::load(&path, &[]).expect("a shipped scenario loads");
        let resolved = loaded.resolved_toml().expect("resolves");
        assert!(resolved.contains("\n[attacks.probe]\n"), "{name}: {resolved}");
        for key in new_keys {
            assert!(!resolved.contains(&format!("\n{key} =")), "{name}: the resolved scenario gains {key}");
        }
    }
    let s = Summary::from_run(&run(&load(RECON, &["attacks.probe.follow_up_prob=0"]), false)).ids;
    assert!(s.follow_ups.is_none() && s.distributed.is_none());
}
