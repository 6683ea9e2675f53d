//! Attacks and the collaborative IDS (issue 4): simulated rates against the closed forms, correlation, signature
//! sharing, blocking of a detected flood (the chen2016 optimum and `ids-optimize`'s statistics: [`super::ids_decision`]).

use std::path::Path;

use cloudletsim::ids::analytic::expected;
use cloudletsim::ids::optimize::wilson;
use cloudletsim::output::Summary;
use cloudletsim::scenario;

use crate::common::run;

/// A small mesh with attacks from every record-attack kind and benign uploads; no blocking, no sharing (also the
/// base of [`super::ids_decision`]'s parameter sets).
pub(crate) const BASE: &str = r#"
name = "ids-base"
seed = 11
[simulation]
duration_s = 300.0
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
rate_per_s = 4.0
[attacks.unauthorized_access]
rate_per_s = 3.0
[attacks.insider]
rate_per_s = 3.0
[ids]
count = 3
block_s = 0.0
[ids.bernoulli]
false_alarm_prob = 0.05
[ids.bernoulli.detection_prob]
probe = 0.5
unauthorized_access = 0.4
insider = 0.2
"#;

fn load(text: &str, sets: &[&str]) -> scenario::ModelConfig {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match scenario::load_str(text, Path::new("ids.toml"), &sets) {
        Ok(s) => s.config,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn simulated_rates_agree_with_the_closed_form_for_every_fusion_rule_and_scope() {
    let cases: [&[&str]; 6] = [
        &["ids.fusion=any", "ids.scope=mesh"],
        &["ids.fusion=k_of_n", "ids.k=2", "ids.scope=mesh"],
        &["ids.fusion=majority", "ids.count=4", "ids.scope=mesh"],
        &["ids.fusion=any", "ids.scope=route"],
        &["ids.fusion=majority", "ids.scope=route", "ids.count=5"],
        &["ids.fusion=k_of_n", "ids.k=3", "ids.count=5", "ids.scope=route", "ids.placement=degree"],
    ];
    for sets in cases {
        let cfg = load(BASE, sets);
        let r = run(&cfg, false);
        let m = &r.model.ids().metrics;
        let nodes: Vec<u32> = r.model.ids().nodes().iter().map(|c| c.get()).collect();
        let e = expected(&cfg, &r.topology, &nodes);
        assert!(m.attacks > 2_000 && m.benign > 10_000, "{sets:?}: too few items {} {}", m.attacks, m.benign);
        // Items are independent given the scenario's fixed traffic, so the pooled counts are binomial: the 95%
        // Wilson interval of each simulated rate must contain the closed-form value.
        let (lo, hi) = wilson(m.detected, m.attacks);
        assert!(
            lo <= e.detection_rate && e.detection_rate <= hi,
            "{sets:?}: detection {} not in [{lo}, {hi}]",
            e.detection_rate
        );
        let (lo, hi) = wilson(m.false_alarms, m.benign);
        assert!(
            lo <= e.false_alarm_rate && e.false_alarm_rate <= hi,
            "{sets:?}: false alarms {} not in [{lo}, {hi}]",
            e.false_alarm_rate
        );
        let prevalence = m.attacks as f64 / (m.attacks + m.benign) as f64;
        assert!((prevalence - e.prevalence).abs() < 0.01, "{sets:?}: prevalence {prevalence} vs {}", e.prevalence);
    }
}

/// Detection rate of the score detector with `n` nodes and correlation `rho`.
fn score_detection(n: u32, rho: f64) -> f64 {
    let cfg = load(
        BASE,
        &[
            "ids.detector=score",
            &format!("ids.count={n}"),
            &format!("ids.score.correlation={rho}"),
            "ids.score.threshold=2.0",
        ],
    );
    let r = run(&cfg, false);
    let s = Summary::from_run(&r);
    s.ids.detection_rate
}

#[test]
fn correlated_detectors_gain_less_from_more_nodes() {
    let gain_independent = score_detection(5, 0.0) - score_detection(1, 0.0);
    let gain_correlated = score_detection(5, 0.8) - score_detection(1, 0.8);
    assert!(gain_independent > 0.2, "independent nodes should gain a lot: {gain_independent}");
    assert!(gain_correlated < 0.6 * gain_independent, "correlated gain {gain_correlated} vs {gain_independent}");
}

#[test]
fn signature_sharing_raises_detection_of_later_attacks_in_a_campaign() {
    let text = r#"
name = "campaigns"
seed = 5
[simulation]
duration_s = 600.0
[wearables]
count = 10
sensors = ["temperature"]
[cloudlets]
count = 6
mesh = "ring"
[crypto]
scheme = "none"
[attacks.probe]
rate_per_s = 0.5
campaign_size = 20
campaign_gap_s = 2.0
[ids]
count = 3
scope = "route"
block_s = 0.0
signature_detection_prob = 0.95
[ids.bernoulli.detection_prob]
probe = 0.2
"#;
    let without = Summary::from_run(&run(&load(text, &["ids.signature_sharing=false"]), false)).ids;
    let with = Summary::from_run(&run(&load(text, &["ids.signature_sharing=true"]), false)).ids;
    assert_eq!(without.signatures_shared, 0);
    assert!(with.signatures_shared > 0);
    assert!(
        with.detection_rate > without.detection_rate + 0.2,
        "sharing {} vs none {}",
        with.detection_rate,
        without.detection_rate
    );
}

#[test]
fn signatures_never_help_attacks_of_other_campaigns() {
    // One attack per campaign: a shared signature can never apply to a later attack, so sharing must change
    // nothing (campaign numbers are never reused, even after a campaign ends).
    let off = Summary::from_run(&run(&load(BASE, &["ids.signature_sharing=false"]), false)).ids;
    let on = Summary::from_run(&run(&load(BASE, &["ids.signature_sharing=true"]), false)).ids;
    assert!(on.signatures_shared > 0);
    assert_eq!((on.attacks, on.detected), (off.attacks, off.detected));
}

#[test]
fn a_detected_and_blocked_flood_stops_harming_delivery() {
    let text = r#"
name = "flood"
seed = 9
[simulation]
duration_s = 120.0
drain_s = 2.0
[wearables]
count = 60
sensors = ["heart_rate", "spo2"]
[cloudlets]
count = 4
mesh = "ring"
wan_gateways = [0]
[links.mesh]
bandwidth_bps = 2.0e6
buffer_packets = 50
[links.wan]
bandwidth_bps = 2.0e6
buffer_packets = 50
[crypto]
scheme = "none"
[benign]
inspect_uploads = false
[attacks.dos_flood]
rate_per_s = 0.1
entry = "explicit"
entry_cloudlet = 2
flood_packets = 4000
flood_packet_bytes = 1200
flood_rate_pps = 400.0
[ids]
count = 2
block_s = 1000.0
"#;
    let undetected = run(&load(text, &["ids.bernoulli.detection_prob.dos_flood=0.0"]), false);
    let detected = run(&load(text, &["ids.bernoulli.detection_prob.dos_flood=1.0"]), false);
    let (u, d) = (Summary::from_run(&undetected), Summary::from_run(&detected));
    assert!(u.ids.attacks > 0 && u.ids.detected == 0);
    assert_eq!(d.ids.detected, d.ids.attacks);
    assert!(d.ids.blocked.flood_packets > 0, "blocking must stop flood packets");
    assert!(u.ids.flood_packets.sent > 10 * d.ids.flood_packets.sent.max(1));
    // The flood congests the mesh and WAN: legitimate samples are dropped and delayed unless it is blocked.
    assert!(u.packets.dropped_by_cause.buffer_full > 0, "the undetected flood must overflow buffers");
    assert!(d.packets.dropped_by_cause.buffer_full < u.packets.dropped_by_cause.buffer_full / 10);
    assert!(d.latency_s.p95 < u.latency_s.p95, "p95 {} vs {}", d.latency_s.p95, u.latency_s.p95);
    // Conservation counts samples only: flood packets are never samples.
    for r in [&undetected, &detected] {
        let m = r.model.metrics();
        assert_eq!(m.generated, m.delivered + m.dropped_total() + r.model.samples_in_flight());
    }
}

#[test]
fn undetected_record_attacks_do_damage_and_detected_ones_are_prevented() {
    let none = Summary::from_run(&run(&load(BASE, &["ids.count=0"]), false)).ids;
    assert_eq!(none.detected, 0);
    assert_eq!(none.uninspected, none.attacks + none.benign);
    assert!(none.damage.records_read > 0);
    let all = Summary::from_run(&run(
        &load(
            BASE,
            &["ids.bernoulli.detection_prob.unauthorized_access=1.0", "ids.bernoulli.detection_prob.insider=1.0"],
        ),
        false,
    ))
    .ids;
    // Verdicts arrive within the mesh round trip, before a read crosses the WAN to the record store.
    assert_eq!(all.damage.records_read, 0, "{:?}", all.damage);
    assert!(all.damage.prevented > 0);
    assert!(all.alerts.patient > 0 && all.alerts.cloudlet >= all.alerts.patient);
}
