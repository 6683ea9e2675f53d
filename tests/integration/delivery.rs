//! Delivery without loss: every sample arrives, never sooner than its route allows, and on a hand-worked network
//! the latencies come out exactly as computed on paper.

use cloudletsim::chain::topology::NodeKind;
use cloudletsim::chain::{CloudletIx, LinkClass, LinkSpec, NodeId, PatientId};
use cloudletsim::output::Summary;
use cloudletsim::run::RunResult;
use cloudletsim::stats::LatencySummary;

use crate::common::{config, run, without_crypto};

/// Whole nanoseconds of a summary figure in seconds (exact for the durations of these tests, well below 2^53 ns).
fn ns(secs: f64) -> u64 {
    (secs * 1e9).round() as u64
}

/// Serialisation time of `payload_bytes` on a link, rounded down, in integer arithmetic.
fn serialisation_floor_ns(spec: &LinkSpec, payload_bytes: u32) -> u64 {
    assert_eq!(spec.bandwidth_bps.fract(), 0.0, "test links use whole bits per second");
    let bits = 8 * (payload_bytes as u128 + spec.header_bytes as u128);
    (bits * 1_000_000_000 / spec.bandwidth_bps as u128) as u64
}

/// The link classes along wearable `w`'s route, checked to be BAN, access, mesh hops, then WAN.
fn route_classes(r: &RunResult, w: u32) -> Vec<LinkClass> {
    let topo = &r.topology;
    let path = topo.route_to_cloud(topo.wearable_node(w));
    assert_eq!(path.last(), Some(&topo.cloud_node()), "route ends at the cloud");
    let classes: Vec<LinkClass> = path
        .windows(2)
        .map(|hop| {
            let link = topo.find_link(hop[0], hop[1]).expect("a route follows links");
            topo.link(link).link.class
        })
        .collect();
    let n = classes.len();
    assert!(n >= 3, "wearable {w}: route too short: {classes:?}");
    assert_eq!(classes[..2], [LinkClass::Ban, LinkClass::Access], "wearable {w}");
    assert_eq!(classes[n - 1], LinkClass::Wan, "wearable {w}");
    assert!(classes[2..n - 1].iter().all(|&c| c == LinkClass::Mesh), "wearable {w}: {classes:?}");
    classes
}

/// The least time a sample of `payload_bytes` can take along wearable `w`'s route: each hop's latency and
/// serialisation, with no queueing.
fn route_floor_ns(r: &RunResult, w: u32, payload_bytes: u32) -> u64 {
    route_classes(r, w)
        .into_iter()
        .map(|c| {
            let spec = r.config.link(c);
            spec.latency.as_nanos() + serialisation_floor_ns(spec, payload_bytes)
        })
        .sum()
}

fn check_ordered(l: &LatencySummary, what: &str) {
    assert!(
        l.min <= l.mean && l.mean <= l.max && l.p50 <= l.p95 && l.p95 <= l.p99 && l.p99 <= l.max,
        "{what}: statistics out of order: {l:?}"
    );
}

fn lossless(mesh: &str, mesh_keys: &str, metric: &str, batch_interval_s: f64) -> String {
    format!(
        r#"
name = "lossless"
seed = 5

[simulation]
duration_s = 10.0
drain_s = 5.0

[wearables]
count = 24
per_patient = 3
sensors = ["heart_rate", "spo2", "ecg"]

[patients]
attach = "nearest"

[cloudlets]
count = 6
mesh = "{mesh}"
{mesh_keys}
wan_gateways = [0]
batch_interval_s = {batch_interval_s}

[routing]
metric = "{metric}"

[links.ban]
mac = "ideal"        # the hand computation is of the ideal MAC (docs/model.md §5.2, §5.6)
loss_model = "fixed"
latency_s = 0.0075
bandwidth_bps = 1000000.0
loss_prob = 0.0
buffer_packets = 100000

[links.access]
mac = "ideal"
latency_s = 0.002
bandwidth_bps = 10000000.0
loss_prob = 0.0
buffer_packets = 100000

[links.mesh]
latency_s = 0.001
bandwidth_bps = 100000000.0
loss_prob = 0.0
buffer_packets = 100000

[links.wan]
latency_s = 0.02
bandwidth_bps = 100000000.0
loss_prob = 0.0
buffer_packets = 100000
"#
    )
}

#[test]
fn without_loss_every_sample_arrives_no_sooner_than_its_route_allows() {
    let meshes = [
        ("ring", ""),
        ("full", ""),
        ("grid", "grid_columns = 3"),
        ("random_geometric", "radius_m = 1500.0"),
        ("explicit", "edges = [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]"),
    ];
    for (mesh, keys) in meshes {
        for (metric, batch_interval_s) in [("latency", 0.0), ("hops", 0.0), ("latency", 0.25)] {
            let label = format!("{mesh} mesh, {metric} routes, batch_interval_s {batch_interval_s}");
            let r = run(&config(&lossless(mesh, keys, metric, batch_interval_s)), false);
            let s = Summary::from_run(&r);
            let p = &s.packets;
            assert!(p.generated > 0, "{label}");
            assert_eq!(p.delivered, p.generated, "{label}: {p:?}");
            assert_eq!(p.dropped, 0, "{label}: {p:?}");
            assert_eq!(r.model.samples_in_flight(), 0, "{label}: {p:?}");
            assert_eq!(s.links.retransmissions, 0, "{label}");
            assert_eq!(s.latency_s.count, p.delivered, "{label}");
            check_ordered(&s.latency_s, &label);

            let smallest = r.config.sensors.iter().map(|x| x.sample_bytes).min().unwrap();
            let floor = (0..r.topology.wearables).map(|w| route_floor_ns(&r, w, smallest)).min().unwrap();
            assert!(
                ns(s.latency_s.min) >= floor,
                "{label}: a sample arrived in {} ns, sooner than the fastest route allows ({floor} ns)",
                ns(s.latency_s.min)
            );
            let hops = [
                (LinkClass::Ban, &s.hop_latency_s.ban),
                (LinkClass::Access, &s.hop_latency_s.access),
                (LinkClass::Mesh, &s.hop_latency_s.mesh),
                (LinkClass::Wan, &s.hop_latency_s.wan),
            ];
            for (class, hop) in hops {
                if hop.count == 0 {
                    continue;
                }
                let spec = r.config.link(class);
                let hop_floor = spec.latency.as_nanos() + serialisation_floor_ns(spec, smallest);
                assert!(
                    ns(hop.min) >= hop_floor,
                    "{label}: a {} hop took {} ns < {hop_floor} ns",
                    class.name(),
                    ns(hop.min)
                );
                check_ordered(hop, &format!("{label}, {} hop", class.name()));
            }

            // Nothing is lost or left anywhere: each node forwards exactly what it received.
            let c: Vec<_> = r.model.counters().iter().collect();
            for (id, n) in c.iter().enumerate() {
                match r.topology.node(NodeId(id as u32)).kind {
                    NodeKind::Wearable => assert_eq!(n.sent, n.generated, "{label}: node {id}"),
                    NodeKind::BanGateway => assert_eq!(n.sent, n.received, "{label}: node {id}"),
                    NodeKind::Cloudlet if batch_interval_s == 0.0 => {
                        assert_eq!(n.sent, n.received, "{label}: node {id}")
                    }
                    NodeKind::Cloudlet => {}
                    NodeKind::RemoteCloud => {
                        if batch_interval_s == 0.0 {
                            assert_eq!(n.received, p.delivered, "{label}")
                        }
                    }
                }
                assert_eq!(n.dropped, 0, "{label}: node {id}");
            }
        }
    }
}

/// A worked example. One wearable with one or two sensors "probe_*" (100-byte samples every second, no jitter)
/// on a patient attached to cloudlet 1; only cloudlet 0 reaches the remote cloud. Run through [`without_crypto`],
/// so that only the delivery chain's serialisation and latencies count:
///
/// ```text
///  wearable ──ban──▶ gateway ──access──▶ cloudlet 1 ══mesh══▶ cloudlet 0 ──wan──▶ remote cloud
/// ```
fn worked_example(sensors: &[&str]) -> String {
    let names: Vec<String> = sensors.iter().map(|s| format!("\"{s}\"")).collect();
    let tables: String = sensors
        .iter()
        .map(|s| format!("[sensors.{s}]\nperiod_s = 1.0\nsample_bytes = 100\njitter_s = 0.0\n"))
        .collect();
    format!(
        r#"
name = "worked"
seed = 11

[simulation]
duration_s = 3.0
drain_s = 1.0

[wearables]
count = 1
per_patient = 1
sensors = [{names}]

{tables}
[patients]
attach = "explicit"
cloudlet_of = [1]

[cloudlets]
count = 2
mesh = "explicit"
edges = [[0, 1]]
wan_gateways = [0]

[links.ban]
mac = "ideal"        # the hand computation is of the ideal MAC (docs/model.md §5.2, §5.6)
loss_model = "fixed"
latency_s = 0.0075
bandwidth_bps = 1000000.0
header_bytes = 14
loss_prob = 0.0

[links.access]
mac = "ideal"
latency_s = 0.003
bandwidth_bps = 10000000.0
header_bytes = 20
loss_prob = 0.0

[links.mesh]
latency_s = 0.0005
bandwidth_bps = 100000000.0
header_bytes = 50
loss_prob = 0.0

[links.wan]
latency_s = 0.02
bandwidth_bps = 50000000.0
header_bytes = 58
loss_prob = 0.0
"#,
        names = names.join(", ")
    )
}

/// The worked example's hops, by hand: serialisation 8·(100 + header) bits / bandwidth, plus latency, in ns.
const BAN_TX_NS: u64 = 912_000; // 8 · 114 bits / 1 Mbit/s = 912 µs
const BAN_HOP_NS: u64 = BAN_TX_NS + 7_500_000; // + 7.5 ms
const ACCESS_HOP_NS: u64 = 96_000 + 3_000_000; // 8 · 120 bits / 10 Mbit/s = 96 µs, + 3 ms
const MESH_HOP_NS: u64 = 12_000 + 500_000; // 8 · 150 bits / 100 Mbit/s = 12 µs, + 0.5 ms
const WAN_HOP_NS: u64 = 25_280 + 20_000_000; // 8 · 158 bits / 50 Mbit/s = 25.28 µs, + 20 ms
/// End to end: 8.412 + 3.096 + 0.512 + 20.02528 ms = 32.04528 ms.
const END_TO_END_NS: u64 = BAN_HOP_NS + ACCESS_HOP_NS + MESH_HOP_NS + WAN_HOP_NS;

#[test]
fn worked_example_latency_is_exact() {
    assert_eq!(END_TO_END_NS, 32_045_280);
    let r = run(&config(&without_crypto(&worked_example(&["probe"]))), false);
    assert_eq!(route_classes(&r, 0), [LinkClass::Ban, LinkClass::Access, LinkClass::Mesh, LinkClass::Wan]);
    let topo = &r.topology;
    let path = topo.route_to_cloud(NodeId(0));
    assert_eq!(path[2], topo.cloudlet_node(CloudletIx(1)), "attached to cloudlet 1");
    assert_eq!(path[3], topo.cloudlet_node(CloudletIx(0)), "leaves through cloudlet 0");
    // The hand-computed figures agree with the route's floor computed from the configuration.
    assert_eq!(route_floor_ns(&r, 0, 100), END_TO_END_NS);

    let s = Summary::from_run(&r);
    // Nominal instants phase, phase + 1 s, phase + 2 s with phase in [0, 1 s): three samples before 3 s.
    assert_eq!(s.packets.generated, 3);
    assert_eq!(s.packets.delivered, 3);
    let exact = END_TO_END_NS as f64 * 1e-9;
    assert_eq!(s.latency_s.min, exact, "{:?}", s.latency_s);
    assert_eq!(s.latency_s.mean, exact, "{:?}", s.latency_s);
    assert_eq!(s.latency_s.max, exact, "{:?}", s.latency_s);
    let hops = [
        (&s.hop_latency_s.ban, BAN_HOP_NS),
        (&s.hop_latency_s.access, ACCESS_HOP_NS),
        (&s.hop_latency_s.mesh, MESH_HOP_NS),
        (&s.hop_latency_s.wan, WAN_HOP_NS),
    ];
    for (hop, want_ns) in hops {
        assert_eq!(hop.count, 3);
        assert_eq!((hop.min, hop.max), (want_ns as f64 * 1e-9, want_ns as f64 * 1e-9));
    }
    // Bytes on the wire: three samples, each with its hop's header, at each sending node.
    let c: Vec<_> = r.model.counters().iter().collect();
    let senders = [
        (topo.wearable_node(0), 114),
        (topo.gateway_node(PatientId(0)), 120),
        (topo.cloudlet_node(CloudletIx(1)), 150),
        (topo.cloudlet_node(CloudletIx(0)), 158),
    ];
    for (node, wire_bytes) in senders {
        assert_eq!(c[node.index()].bytes_sent, 3 * wire_bytes, "node {node}");
        assert_eq!(c[node.index()].sent, 3, "node {node}");
    }
}

#[test]
fn worked_example_second_simultaneous_sample_waits_one_transmission() {
    // Two sensors with the same period and no jitter sample at the same instants. The BAN link sends one packet at
    // a time, so the second sample waits for the first's 912 µs transmission. It then stays 912 µs behind: every
    // later hop transmits in less than that, so the first has always left a link when the second reaches it.
    let r = run(&config(&without_crypto(&worked_example(&["probe_a", "probe_b"]))), false);
    let s = Summary::from_run(&r);
    assert_eq!(s.packets.generated, 6);
    assert_eq!(s.packets.delivered, 6);
    let l = &s.latency_s;
    assert_eq!(l.min, END_TO_END_NS as f64 * 1e-9, "{l:?}");
    assert_eq!(l.max, (END_TO_END_NS + BAN_TX_NS) as f64 * 1e-9, "{l:?}");
    // Three pairs: three samples at the worked latency, three one transmission later.
    let sum_ns = 3 * END_TO_END_NS + 3 * (END_TO_END_NS + BAN_TX_NS);
    assert_eq!(l.mean, (sum_ns as f64 / 6.0) * 1e-9, "{l:?}");
    // The wait is all on the BAN hop; the others see no queue.
    let ban = &s.hop_latency_s.ban;
    assert_eq!(ban.min, BAN_HOP_NS as f64 * 1e-9);
    assert_eq!(ban.max, (BAN_HOP_NS + BAN_TX_NS) as f64 * 1e-9);
    for (hop, want_ns) in [
        (&s.hop_latency_s.access, ACCESS_HOP_NS),
        (&s.hop_latency_s.mesh, MESH_HOP_NS),
        (&s.hop_latency_s.wan, WAN_HOP_NS),
    ] {
        assert_eq!((hop.min, hop.max), (want_ns as f64 * 1e-9, want_ns as f64 * 1e-9));
    }
}
