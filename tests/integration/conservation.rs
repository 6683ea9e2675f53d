//! Conservation of samples: every sample generated is, at the end, delivered, dropped (by exactly one cause) or
//! still in flight, counted independently from the packet store. Checked on networks lossy and congested enough
//! that every term is non-zero, with and without cloudlet batching, and against the per-node counters.

use cloudletsim::chain::topology::NodeKind;
use cloudletsim::chain::{NodeId, PatientId};
use cloudletsim::output::Summary;
use cloudletsim::run::RunResult;

use crate::common::{config, run};

/// Lossy (30% per attempt on the first hops, one retry), congested (tens of kbit/s behind the cloudlets, buffers of
/// one or two packets) and cut off with no drain, so that drops of both causes and samples in flight all occur.
fn lossy_congested(seed: u64, batch_interval_s: f64) -> String {
    format!(
        r#"
name = "lossy-congested"
seed = {seed}

[simulation]
duration_s = 8.0
drain_s = 0.0

[wearables]
count = 60
per_patient = 2
sensors = ["heart_rate", "spo2", "ecg"]

[patients]
attach = "nearest"

[cloudlets]
count = 4
mesh = "ring"
wan_gateways = [0]
batch_interval_s = {batch_interval_s}

[links.ban]
loss_prob = 0.3
max_retries = 1
buffer_packets = 1

[links.access]
bandwidth_bps = 40000.0
loss_prob = 0.3
max_retries = 1
buffer_packets = 2

[links.mesh]
bandwidth_bps = 100000.0
loss_prob = 0.2
max_retries = 1
buffer_packets = 2

[links.wan]
bandwidth_bps = 200000.0
loss_prob = 0.2
max_retries = 2
buffer_packets = 4
"#
    )
}

/// Checks the whole-run balance and that each of its terms is exercised.
fn check_balance(r: &RunResult, label: &str) {
    let s = Summary::from_run(r);
    let p = &s.packets;
    let in_flight = r.model.samples_in_flight();
    assert!(p.generated > 0, "{label}: no sample generated");
    assert!(p.delivered > 0, "{label}: nothing delivered: {p:?}");
    assert!(p.dropped_by_cause.buffer_full > 0, "{label}: no buffer-full drop: {p:?}");
    assert!(p.dropped_by_cause.lost > 0, "{label}: no loss drop: {p:?}");
    assert!(in_flight > 0, "{label}: nothing in flight at the end: {p:?}");
    // Summed over every cause the summary lists (as JSON, so that causes added later are counted too).
    let by_cause = serde_json::to_value(&p.dropped_by_cause).expect("drops serialise");
    let by_cause: u64 = by_cause.as_object().expect("a table of causes").values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(p.dropped, by_cause, "{label}: drops by cause do not add up: {:?}", p.dropped_by_cause);
    assert_eq!(
        p.generated,
        p.delivered + p.dropped + in_flight,
        "{label}: generated != delivered + dropped + in flight ({in_flight} counted in the packet store)"
    );
    assert_eq!(p.in_flight, in_flight, "{label}: summary's in_flight");
    assert!(s.links.retransmissions > 0, "{label}: lossy links but no retransmission");
}

/// Checks the per-node counters against the whole-run counters and against each other.
fn check_counters(r: &RunResult, label: &str) {
    let topo = &r.topology;
    let m = r.model.metrics();
    let c: Vec<_> = r.model.counters().iter().collect();
    assert_eq!(c.len(), topo.node_count(), "{label}: one counter set per node");
    let kind = |id: usize| topo.node(NodeId(id as u32)).kind;
    let of_kind = |k: NodeKind| (0..c.len()).filter(move |&id| kind(id) == k);

    let generated: u64 = of_kind(NodeKind::Wearable).map(|id| c[id].generated).sum();
    assert_eq!(generated, m.generated, "{label}: wearables' samples_generated");
    assert!(
        (0..c.len()).all(|id| kind(id) == NodeKind::Wearable || c[id].generated == 0),
        "{label}: a node other than a wearable generated samples"
    );
    let dropped: u64 = c.iter().map(|n| n.dropped).sum();
    assert_eq!(dropped, m.dropped_total(), "{label}: nodes' samples_dropped");
    let cloud = topo.cloud_node().index();
    assert_eq!(c[cloud].dropped, 0, "{label}: the cloud sends nothing");
    assert_eq!(c[cloud].sent, 0, "{label}: the cloud sends nothing");

    // Wearables: a sample is sent, dropped or still on the wearable's link, so the shortfall is in flight.
    let mut on_ban_links = 0;
    for w in of_kind(NodeKind::Wearable) {
        let n = &c[w];
        assert!(n.generated >= n.sent + n.dropped, "{label}: wearable {w} sent + dropped exceeds generated: {n:?}");
        on_ban_links += n.generated - n.sent - n.dropped;
    }
    assert!(
        on_ban_links <= r.model.samples_in_flight(),
        "{label}: more samples left on BAN links ({on_ban_links}) than in flight"
    );

    // A gateway receives what its wearables sent, less what is still on the air.
    for p in (0..topo.patients).map(PatientId) {
        let gw = topo.gateway_node(p).index();
        let sent_by_wearables: u64 =
            (0..topo.wearables).filter(|&w| topo.patient_of(w) == p).map(|w| c[w as usize].sent).sum();
        assert!(
            c[gw].received <= sent_by_wearables,
            "{label}: gateway {p} received {} but its wearables sent {sent_by_wearables}",
            c[gw].received
        );
        assert!(
            c[gw].sent + c[gw].dropped <= c[gw].received,
            "{label}: gateway {p} forwarded more than it received: {:?}",
            c[gw]
        );
    }

    // The cloud receives one packet per sample, or one per batch.
    if r.config.cloudlets.batch.is_none() {
        assert_eq!(c[cloud].received, m.delivered, "{label}: cloud's packets_received");
        for cl in of_kind(NodeKind::Cloudlet) {
            assert!(
                c[cl].sent + c[cl].dropped <= c[cl].received,
                "{label}: cloudlet node {cl} forwarded more than it received: {:?}",
                c[cl]
            );
        }
    } else {
        assert!(
            c[cloud].received <= m.delivered,
            "{label}: cloud received {} batches for {} samples",
            c[cloud].received,
            m.delivered
        );
    }
}

#[test]
fn generated_equals_delivered_plus_dropped_plus_in_flight() {
    for seed in [1, 2, 3] {
        for batch_interval_s in [0.0, 0.5] {
            let label = format!("seed {seed}, batch_interval_s {batch_interval_s}");
            let r = run(&config(&lossy_congested(seed, batch_interval_s)), false);
            check_balance(&r, &label);
            check_counters(&r, &label);
        }
    }
}

#[test]
fn balance_holds_at_several_cut_off_times() {
    // The same network stopped at several instants: whatever the moment, every sample is accounted for once.
    for duration_s in [0.3, 1.7, 4.05] {
        let text = lossy_congested(9, 0.2).replace("duration_s = 8.0", &format!("duration_s = {duration_s}"));
        let r = run(&config(&text), false);
        let m = r.model.metrics();
        assert_eq!(
            m.generated,
            m.delivered + m.dropped_total() + r.model.samples_in_flight(),
            "cut off at {duration_s} s"
        );
        check_counters(&r, &format!("cut off at {duration_s} s"));
    }
}
