//! `ids.collaboration.mode = "packets"`: summaries and verdicts as packets on the mesh, inspections on the cloudlet
//! cores, fusion timeouts (docs/model.md §8.5; docs/validation.md). The latency mode's byte-identity with earlier
//! builds is checked by comparing release binaries' outputs (docs/validation.md), not here.

use std::path::Path;

use cloudletsim::chain::link::LinkParams;
use cloudletsim::chain::{CoreIx, LinkClass};
use cloudletsim::ids::analytic::binomial_tail;
use cloudletsim::ids::optimize::wilson;
use cloudletsim::kernel::SimTime;
use cloudletsim::scenario;

use crate::common::run;

/// A ring of six cloudlets with no encryption (the cores do nothing but inspect), one slow wearable (almost no
/// upload traffic on the mesh) and rare probes entering at cloudlet 0: an uncongested mesh on which every detected
/// attack's latency has a closed form.
const RING: &str = r#"
name = "ids-exchange"
seed = 5
[simulation]
duration_s = 400.0
[wearables]
count = 1
sensors = ["heart_rate"]
[cloudlets]
count = 6
mesh = "ring"
wan_gateways = [0]
[crypto]
scheme = "none"
[benign]
inspect_uploads = false
[attacks.probe]
rate_per_s = 1.0
entry = "explicit"
entry_cloudlet = 0
[ids]
placement = "explicit"
scope = "mesh"
fusion = "any"
block_s = 0.0
processing_s = 0.002
[ids.bernoulli.detection_prob]
probe = 0.5
[ids.collaboration]
mode = "packets"
"#;

fn load(text: &str, sets: &[&str]) -> scenario::ModelConfig {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match scenario::load_str(text, Path::new("ids-exchange.toml"), &sets) {
        Ok(s) => s.config,
        Err(e) => panic!("{e}"),
    }
}

/// Shortest hop count between cloudlets `a` and `b` on a ring of `c`.
fn ring_hops(a: u32, b: u32, c: u32) -> u32 {
    let d = a.abs_diff(b);
    d.min(c - d)
}

#[test]
fn on_an_uncongested_ring_detection_latency_is_the_closed_form() {
    // IDS nodes at 1, 2, 3 (then 0, the entry itself): the farthest node is h = 1, 2, 3, 3 hops from the entry.
    let order = [1u32, 2, 3, 0];
    let mut means = Vec::new();
    for n in 1..=order.len() {
        let nodes: Vec<String> = order[..n].iter().map(|c| c.to_string()).collect();
        let (count, list) = (format!("ids.count={n}"), format!("ids.nodes=[{}]", nodes.join(", ")));
        let cfg = load(RING, &[&count, &list]);
        let mesh = LinkParams::new(cfg.links[LinkClass::Mesh].clone());
        let x = &cfg.ids.collaboration;
        // One inspection: cycles ÷ clock (rounded to the nanosecond, as the processors do).
        let cpu = SimTime::from_nanos((x.inspection_cycles / cfg.energy.processor.cloudlet_hz * 1e9).round() as u64);
        let (tx_s, tx_v) = (mesh.tx_time(x.summary_bytes), mesh.tx_time(x.verdict_bytes));
        let h = order[..n].iter().map(|&c| ring_hops(0, c, 6)).max().unwrap();
        let per_hop = mesh.spec.latency.saturating_mul(2) + tx_s + tx_v;
        // Closed form: the farthest node's summary crosses h hops (tx + latency each), it inspects, its verdict
        // crosses h hops back, and the decision takes processing_s.
        let t = (cfg.ids.processing + cpu + per_hop.saturating_mul(u64::from(h))).as_secs_f64();
        // The only queueing on an idle mesh is an item's own packets behind each other on a shared first or last
        // hop: at most (n − 1) summaries and (n − 1) verdicts ahead, each at most a transmission time.
        let slack = ((tx_s + tx_v).saturating_mul(n as u64 - 1)).as_secs_f64();
        let r = run(&cfg, false);
        let l = r.model.ids().metrics.detection_latency.summary();
        assert!(l.count > 100, "n = {n}: too few detections ({})", l.count);
        // The histogram's min is exact; its quantiles are to three digits, the mean is exact.
        assert!(l.min >= t - 1e-12, "n = {n}: fastest detection {} below the closed form {t}", l.min);
        assert!(l.mean <= t + slack + 1e-12, "n = {n}: mean {} above the closed form {t} + {slack}", l.mean);
        let xm = r.model.ids().exchange_metrics();
        assert_eq!(xm.fusion_timeouts, 0, "n = {n}: a timeout on an idle mesh");
        means.push(l.mean);
    }
    // n = 4 adds the entry's own node: the farthest stays 3 hops away, so no slower than n = 3 beyond the slack.
    assert!(means[0] < means[1] && means[1] < means[2], "latency grows with the farthest node: {means:?}");
}

#[test]
fn a_tiny_fusion_timeout_leaves_only_the_local_verdict() {
    // Random entries on the ring; a timeout longer than one inspection but far shorter than one mesh hop: only an
    // IDS node at the entry cloudlet is heard, so the fused detection is P(entry hosts a node) · P(Bin(1, p) >= 1).
    let sets = [
        "attacks.probe.entry=random",
        "ids.placement=explicit",
        "ids.count=3",
        "ids.nodes=[0, 2, 4]",
        "ids.collaboration.fusion_timeout_s=0.0001",
    ];
    let cfg = load(RING, &sets);
    let r = run(&cfg, false);
    let m = &r.model.ids().metrics;
    let p = 0.5;
    let expected = 3.0 / 6.0 * binomial_tail(1, p, 1);
    let (lo, hi) = wilson(m.detected, m.attacks);
    assert!(m.attacks > 300, "too few attacks {}", m.attacks);
    assert!(lo <= expected && expected <= hi, "detection {}/{}: [{lo}, {hi}] misses {expected}", m.detected, m.attacks);
    // Every item times out (there is always a remote node) and every remote verdict that arrives is late.
    let x = r.model.ids().exchange_metrics();
    assert_eq!(x.fusion_timeouts, m.attacks, "every item should time out");
    assert_eq!(x.late_verdicts, x.verdict_delivered, "every verdict packet arrives after its fusion");
    // With the default timeout, the full three-node detection returns: 1 − (1 − p)^3.
    let cfg = load(RING, &sets[..4]);
    let r = run(&cfg, false);
    let m = &r.model.ids().metrics;
    let (lo, hi) = wilson(m.detected, m.attacks);
    let full = binomial_tail(3, p, 1);
    assert!(lo <= full && full <= hi, "full detection {}/{} misses {full}", m.detected, m.attacks);
}

#[test]
fn ids_packets_are_conserved_and_lost_verdicts_time_out() {
    // A lossy mesh without retries drops summaries and verdicts: sent = delivered + dropped + in flight, per kind,
    // and every item with a lost packet is fused at its timeout.
    let sets = [
        "attacks.probe.entry=random",
        "ids.count=4",
        "ids.nodes=[0, 1, 3, 5]",
        "links.mesh.loss_prob=0.2",
        "links.mesh.max_retries=0",
        "simulation.duration_s=100",
    ];
    let cfg = load(RING, &sets);
    let r = run(&cfg, false);
    let x = r.model.ids().exchange_metrics();
    let dropped = r.model.metrics().ids_packets_dropped;
    let in_flight = r.model.chain().ids_packets_in_flight();
    assert!(dropped[0] > 0 && dropped[1] > 0, "the lossy mesh dropped nothing: {dropped:?}");
    assert_eq!(x.summary_packets, x.summary_delivered + dropped[0] + in_flight[0], "summaries");
    assert_eq!(x.verdict_packets, x.verdict_delivered + dropped[1] + in_flight[1], "verdicts");
    // A delivered summary is inspected and answered (unless the run ends first).
    assert!(x.verdict_packets <= x.summary_delivered && x.summary_delivered - x.verdict_packets <= 8);
    assert!(x.fusion_timeouts > 0, "lost verdicts must make fusions time out");
    let bytes = x.summary_packets * u64::from(cfg.ids.collaboration.summary_bytes)
        + x.verdict_packets * u64::from(cfg.ids.collaboration.verdict_bytes);
    assert_eq!(x.bytes, bytes, "collaboration bytes");
}

#[test]
fn detection_latency_grows_with_n_on_chen2016_in_packets_mode() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/chen2016-ids.toml")).unwrap();
    let mut means = Vec::new();
    for n in 1..=8 {
        let count = format!("ids.count={n}");
        let sets = [count.as_str(), "ids.collaboration.mode=packets", "simulation.duration_s=120"];
        let cfg = load(&text, &sets);
        let r = run(&cfg, false);
        means.push(r.model.ids().metrics.detection_latency.summary().mean);
    }
    assert!(means.windows(2).all(|w| w[0] < w[1]), "detection latency by n = 1..8: {means:?}");
}

#[test]
fn the_latency_mode_closed_form_matches_the_simulated_mean_on_chen2016() {
    // Latency mode, mesh scope: each detected attack's latency is processing_s + 2 × (route latency to the farthest
    // node) for its entry e, entries uniform; the simulated mean must lie within 4 standard errors of the closed
    // form, the standard error computed from the closed form's own spread over entries.
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/chen2016-ids.toml")).unwrap();
    let cfg = load(&text, &["simulation.duration_s=200"]);
    let r = run(&cfg, false);
    let nodes: Vec<u32> = r.model.ids().nodes().iter().map(|c| c.get()).collect();
    let t = cloudletsim::ids::collab::expected_detection_latency(&cfg, &r.topology, &nodes).expect("a closed form");
    let v: Vec<f64> = (0..r.topology.cloudlets)
        .map(|e| {
            let far = nodes.iter().map(|&s| r.topology.core.latency(CoreIx(e), CoreIx(s))).max().unwrap();
            (cfg.ids.processing + far.saturating_mul(2)).as_secs_f64()
        })
        .collect();
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    assert!((mean - t).abs() < 1e-12, "uniform entries: {mean} vs {t}");
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64;
    let l = r.model.ids().metrics.detection_latency.summary();
    let se = (var / l.count as f64).sqrt();
    assert!((l.mean - t).abs() <= 4.0 * se, "simulated {} vs closed form {t} (se {se})", l.mean);
    // No closed form in packets mode or with route scope.
    let packets = load(&text, &["ids.collaboration.mode=packets"]);
    assert!(cloudletsim::ids::collab::expected_detection_latency(&packets, &r.topology, &nodes).is_none());
}

#[test]
fn bad_collaboration_keys_are_named() {
    let cases = [
        ("ids.collaboration.summary_bytes=0", "ids.collaboration.summary_bytes"),
        ("ids.collaboration.verdict_bytes=0", "ids.collaboration.verdict_bytes"),
        ("ids.collaboration.inspection_cycles=-1", "ids.collaboration.inspection_cycles"),
        ("ids.collaboration.fusion_timeout_s=0", "ids.collaboration.fusion_timeout_s"),
        ("ids.collaboration.mode=\"gossip\"", "ids.collaboration.mode"),
    ];
    for (set, key) in cases {
        let sets = vec![set.to_string()];
        match scenario::load_str(RING, Path::new("ids-exchange.toml"), &sets) {
            Ok(_) => panic!("{set} was accepted"),
            Err(e) => assert!(e.to_string().contains(key), "{set}: the error does not name {key}: {e}"),
        }
    }
}
