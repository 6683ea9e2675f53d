//! `[channel]`: the cloudlet → cloud channel (TLS 1.3 / DTLS 1.3) on a tiny deterministic line — one wearable at
//! cloudlet 0, a mesh link to cloudlet 1, its WAN link to the cloud — against hand computations: the bytes the
//! channel adds on mesh and WAN links are records × (header + type + tag) plus the handshake's flights exactly; the
//! first record waits for the TCP and TLS round trips plus the public-key work on its critical path; resumptions
//! follow floor(time / resume_s); an intruder on a mesh or WAN link reads every sample without protection, none
//! with it.

use cloudletsim::chain::NodeId;
use cloudletsim::crypto::channel::ChannelSummary;
use cloudletsim::output::Summary;
use cloudletsim::run::RunResult;

use super::common;

/// One wearable sampling every second without jitter, loss-free ideal links, a two-hop path to the cloud.
const LINE: &str = r#"
name = "line"
seed = 3
[simulation]
duration_s = 10.0
drain_s = 2.0
[wearables]
count = 1
per_patient = 1
sensors = ["beat"]
[sensors.beat]
period_s = 1.0
sample_bytes = 8
jitter_s = 0.0
[patients]
attach = "explicit"
cloudlet_of = [0]
[cloudlets]
count = 2
mesh = "explicit"
edges = [[0, 1]]
wan_gateways = [1]
[links.ban]
mac = "ideal"
loss_prob = 0.0
[links.access]
mac = "ideal"
loss_prob = 0.0
"#;

fn run(extra: &str) -> (RunResult, ChannelSummary) {
    let r = common::run(&common::config(&format!("{LINE}\n[channel]\n{extra}\n")), false);
    let c = Summary::from_run(&r).channel.expect("the channel section is written");
    (r, c)
}

/// Bytes put on the wire by the cloudlets and the cloud (nodes 2 to 4: the mesh and WAN links' senders).
fn core_bytes(r: &RunResult) -> u64 {
    let counters = r.model.counters();
    (2..counters.len() as u32).map(|n| counters.get(NodeId(n)).bytes_sent).sum()
}

/// Wire bytes of a flight of `b` bytes on a mesh or WAN link (58 header bytes per frame of at most 1460).
fn wire(b: u64) -> u64 {
    b + b.div_ceil(1460).max(1) * 58
}

#[test]
fn added_bytes_are_records_times_overhead_plus_the_handshake() {
    let (off_run, off) = run("count_exposure = true");
    let (on_run, on) = run("protection = \"tls13\"");
    let delivered = on_run.model.metrics().delivered;
    assert_eq!(delivered, off_run.model.metrics().delivered);
    assert_eq!((on.records, delivered), (10, 10), "one record per sample, all delivered");
    // Each record crosses one mesh and one WAN link with 5 + 1 + 16 = 22 bytes more.
    assert_eq!(on.record_overhead_wire_bytes.mesh, 22 * delivered);
    assert_eq!(on.record_overhead_wire_bytes.wan, 22 * delivered);
    // One full handshake (no resumption in 12 s), on each of the two links: TCP's SYN and SYN-ACK (header only),
    // ClientHello 188, the server's flight 2803, the client's 2670, the ticket 239 (handshake::tests).
    assert_eq!((on.handshakes.full, on.handshakes.resumed), (1, 0));
    let per_link = 2 * wire(0) + wire(188) + wire(2803) + wire(2670) + wire(239);
    assert_eq!(on.handshake_wire_bytes.mesh, per_link);
    assert_eq!(on.handshake_wire_bytes.wan, per_link);
    assert_eq!(core_bytes(&on_run) - core_bytes(&off_run), 2 * per_link + 2 * 22 * delivered);
    assert_eq!(off.handshakes.full + off.records, 0);
}

#[test]
fn the_first_record_waits_for_the_round_trips_and_the_key_work() {
    let (_, tls) = run("protection = \"tls13\"");
    let (_, dtls) = run("protection = \"dtls13\"");
    // One flight of b bytes over the path: mesh 1 ms + wire(b)·8 ns at 1 Gbit/s, WAN 20 ms + wire(b)·80 ns.
    let path = |b: u64| 0.021 + wire(b) as f64 * (8e-9 + 80e-9);
    // Public-key work at 2 GHz (OpenSSL 3.1.1 on Skylake): the client's X25519 key pair; the server's key pair,
    // shared secret and signature; the client's shared secret, three verifications and its own signature.
    let (keygen, shared, sign, verify) = (134_236.0, 118_455.0, 125_875.0, 410_016.0);
    let work = (keygen + (keygen + shared + sign) + (shared + 3.0 * verify + sign)) / 2e9;
    let tcp = 2.0 * path(0);
    let expected_tls = tcp + path(188) + path(2803) + work;
    assert!((tls.handshake_wait_s.max - expected_tls).abs() < 1e-8, "{} vs {expected_tls}", tls.handshake_wait_s.max);
    // DTLS: no TCP; flights of 204 and 2863 bytes (RFC 9147 framing).
    let expected_dtls = path(183 + 8 + 13) + path((122 + 8 + 13) + (6 + 2540 + 72 + 36 + 32 + 20)) + work;
    assert!(
        (dtls.handshake_wait_s.max - expected_dtls).abs() < 1e-8,
        "{} vs {expected_dtls}",
        dtls.handshake_wait_s.max
    );
    // Only the first record waits: the handshake ends long before the next sample.
    assert_eq!((tls.handshake_wait_s.records_waited, dtls.handshake_wait_s.records_waited), (1, 1));
    // TLS over TCP pays one more path round trip than DTLS: 2 × 21 ms, give or take serialisation.
    let extra = tls.handshake_wait_s.max - dtls.handshake_wait_s.max;
    assert!((extra - 0.042).abs() < 1e-3, "{extra}");
}

#[test]
fn resumptions_follow_time_over_the_interval() {
    for resume_s in [1.0, 2.0, 3.0] {
        let (_, c) = run(&format!("protection = \"dtls13\"\nresume_s = {resume_s}"));
        // Records every 1 s at a fixed offset: a resumption at every record resume_s after the last handshake.
        let expected = (c.records - 1) / resume_s as u64;
        assert_eq!((c.handshakes.full, c.handshakes.resumed), (1, expected), "resume_s {resume_s}");
    }
}

#[test]
fn an_intruder_reads_every_mesh_and_wan_crossing_without_protection_and_none_with_it() {
    let (r, off) = run("count_exposure = true");
    let delivered = r.model.metrics().delivered;
    // Body data is sealed at the wearable (the default), so BAN and access links show nothing; each delivered
    // sample crossed one mesh link and one WAN link in plaintext (8 bytes each).
    assert_eq!((off.readable.ban.samples, off.readable.access.samples), (0, 0));
    assert_eq!((off.readable.mesh.samples, off.readable.mesh.bytes), (delivered, 8 * delivered));
    assert_eq!((off.readable.wan.samples, off.readable.wan.bytes), (delivered, 8 * delivered));
    let (_, on) = run("protection = \"tls13\"");
    assert_eq!(on.readable.mesh.samples + on.readable.wan.samples, 0);
    // Without body-data protection the first two hops are readable too.
    let text = common::without_crypto(&format!("{LINE}\n[channel]\ncount_exposure = true\n"));
    let r = common::run(&common::config(&text), false);
    let c = Summary::from_run(&r).channel.expect("written");
    let generated = r.model.metrics().generated;
    assert_eq!((c.readable.ban.samples, c.readable.access.samples), (generated, generated));
}
