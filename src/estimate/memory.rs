//! Bytes a run will hold: per-entity sizes from the model's own types plus the heap blocks they own, and the
//! structures that grow faster than the entity counts (route tables, dense meshes, doctors, the trust time series,
//! packets in flight, attack state).

use std::mem::size_of;

use super::render::count_text;
use super::{add, div, mul, Basis, Builder};
use crate::chain::cloudlet::BatchBuffer;
use crate::chain::link::{CoreLink, EdgeLink};
use crate::chain::packet::Packet;
use crate::chain::topology::{Link, Node};
use crate::chain::wearable::Wearable;
use crate::chain::LinkClass;
use crate::crypto::{CryptoAt, CryptoMode};
use crate::kernel::{EntityRng, SimTime};
use crate::model::Event;
use crate::scenario::ModelConfig;
use crate::trust::state::{BetaReputation, TrustBin};

/// Bytes allocated whatever the scenario (histograms, buffers, tables of the run), measured as the peak RSS of a
/// one-wearable run minus the process baseline: about 4 MB (`timing.json`, release build).
const FIXED_BYTES: f64 = 4.0e6;

/// Bytes of bookkeeping per heap block (glibc malloc: an 8-byte header, sizes rounded up to 16).
const HEAP_BLOCK_BYTES: f64 = 16.0;

/// Growth slack of a vector that grows by doubling (dimensionless): on average it holds 1.5 × its length.
const VEC_SLACK: f64 = 1.5;

/// Bytes of one pending kernel event: its time and event (16 bytes) plus its share of the 32-entry chunk's vector
/// header and link (`kernel/queue.rs`).
const QUEUE_ENTRY_BYTES: f64 = (size_of::<(u64, Event)>() + (size_of::<Vec<u8>>() + 8) / 32) as f64;

/// Bytes of a packet in the slab: the packet plus the slab entry's tag (rounded to the packet's alignment).
const PACKET_BYTES: f64 = (size_of::<Packet>() + 8) as f64;

/// Bytes of a record's text parts as the model writes them (`model/records.rs`): the explicit identifiers
/// (`name=… …;mrn=MRN…;phone=+1-555-…`, about 60 bytes, 28 more sealed: 12 nonce + 16 tag), the quasi-identifiers
/// (`age=…;sex=…;postcode=…`, about 30) and the medical information (`dx=…;sx=…;rx=…`, about 100 with two conditions);
/// each part is stored, the EI and MI plaintexts kept as well, each in its own heap block.
const RECORD_TEXT_BYTES: f64 = (60.0 + 28.0) + 30.0 + 100.0 + 60.0 + 100.0 + 5.0 * HEAP_BLOCK_BYTES;

/// Bytes of a record's fixed part: three vectors and a 32-byte digest, the two plaintext vectors, the 16-byte key,
/// the record's random stream, its tampering slot, its `seen` flag and its class size.
const RECORD_FIXED_BYTES: f64 = (5 * size_of::<Vec<u8>>() + 32 + 16 + size_of::<EntityRng>() + 32 + 1 + 4) as f64;

/// Bytes of one entry of a `HashMap`/`HashSet` of small keys: key and value plus a control byte, at the maximum load
/// factor of 7/8, doubled for the growth slack (hashbrown).
const fn hash_entry_bytes(payload: usize) -> f64 {
    (payload + 1) as f64 * 8.0 / 7.0 * VEC_SLACK
}

fn strings(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

/// Pushes every consumer of memory of `cfg` onto `b` (the caller sorts them).
pub(super) fn push_items(cfg: &ModelConfig, x: &Basis, b: &mut Builder) {
    let Basis {
        w,
        p,
        c,
        core,
        duration,
        edges,
        mesh_keys: ref mesh_key_list,
        ref mesh_text,
        directed_core,
        routes,
        ids_nodes,
        ref over,
        sample_rate,
        samples,
        crypto_batch,
        ..
    } = *x;
    let s = cfg.sensors.len() as f64;

    // ---- Memory. ----
    let rng = size_of::<EntityRng>() as f64;
    let kibam = cfg.energy.battery.model == crate::energy::raw::BatteryModel::Kibam;
    let session = cfg.crypto.mode == CryptoMode::Session;
    let per_wearable = size_of::<Wearable>() as f64
        + s * size_of::<SimTime>() as f64
        + size_of::<EdgeLink>() as f64
        + crate::chain::metrics::EDGE_COUNTERS_BYTES as f64
        + crate::energy::ledger::SPENT_BYTES[0] as f64
        + QUEUE_ENTRY_BYTES // its pending sample
        + if session && cfg.crypto.at == CryptoAt::Wearable { 8.0 } else { 0.0 }
        // Its BLE connection state (links.ban.mac = "ble"), and its KiBaM wells (energy.battery.model = "kibam").
        + if cfg.link(crate::chain::LinkClass::Ban).ble.is_some() {
            crate::chain::ble_link::BLE_LINK_BYTES as f64
        } else {
            0.0
        }
        + if kibam { crate::energy::ledger::KIBAM_NODE_BYTES as f64 } else { 0.0 };
    b.bytes(
        "wearables",
        strings(&["wearables.count", "wearables.sensors"]),
        mul(w, per_wearable),
        format!("wearables.count = {}: {per_wearable:.0} bytes each", cfg.wearables),
    );
    let mut per_patient = 4.0 + 16.0 // topology: cloudlet and position
        + 4.0 + 8.0 + size_of::<EdgeLink>() as f64 // links: cloudlet, access energy, access link
        + crate::chain::metrics::EDGE_COUNTERS_BYTES as f64
        + crate::energy::ledger::SPENT_BYTES[1] as f64
        + if kibam { crate::energy::ledger::KIBAM_NODE_BYTES as f64 } else { 0.0 };
    if crypto_batch {
        per_patient += size_of::<BatchBuffer>() as f64;
    }
    if session && cfg.crypto.at == CryptoAt::Gateway {
        per_patient += 8.0;
    }
    if cfg.crypto.encrypts() && cfg.crypto.at == CryptoAt::Gateway {
        per_patient += 8.0; // its processor's busy time (docs/model.md §7.15)
    }
    if cfg.trust.enabled {
        // Profile, malicious flag, reputation, stream, cloudlet, peer slot and place in its cloudlet's list, and
        // the pending request.
        per_patient +=
            (8 + 1 + size_of::<BetaReputation>() + size_of::<EntityRng>() + 4 + 4 + 4) as f64 + QUEUE_ENTRY_BYTES;
    }
    if cfg.care.enabled {
        per_patient += rng + 4.0 + QUEUE_ENTRY_BYTES;
    }
    b.bytes(
        "patients (BAN gateways)",
        strings(&["wearables.count", "wearables.per_patient"]),
        mul(p, per_patient),
        format!("{} patients: {per_patient:.0} bytes each", cfg.patients()),
    );
    if cfg.records.enabled {
        // Records, plus while they are built: the drafts and the k-anonymity class counts.
        let per_record = RECORD_FIXED_BYTES + RECORD_TEXT_BYTES + 2.0 * hash_entry_bytes(12);
        b.bytes(
            "medical records",
            strings(&["records.enabled", "wearables.count", "wearables.per_patient"]),
            mul(p, per_record),
            format!("{} records of about {per_record:.0} bytes", cfg.patients()),
        );
    }
    let per_cloudlet = size_of::<petgraph::graph::Node<Node, u32>>() as f64
        + 48.0 // counters
        + crate::energy::ledger::SPENT_BYTES[1] as f64
        + size_of::<BatchBuffer>() as f64
        + 4.0 + 4.0 + 16.0 // uplink, IDS slot, position
        + 2.0 * size_of::<Vec<u32>>() as f64 // trust peers, care's free doctors
        + 32.0 // care's waiting queue
        + 64.0; // IDS placement graph and centrality while placing
    b.bytes(
        "cloudlets",
        strings(&["cloudlets.count"]),
        mul(core, per_cloudlet),
        format!("cloudlets.count = {}", cfg.cloudlets.count),
    );
    // Each directed core link: a graph edge and its state; each undirected mesh edge: its place in the edge list
    // and in the graphs built to check connectivity and place the IDS.
    let per_link = (size_of::<petgraph::graph::Edge<Link, u32>>() + size_of::<CoreLink>()) as f64;
    let per_edge = 8.0 + 2.0 * size_of::<petgraph::graph::Edge<(), u32>>() as f64;
    b.bytes(
        "mesh and WAN links",
        mesh_key_list.iter().cloned().chain(["cloudlets.wan_gateways".to_string()]).collect(),
        add(mul(directed_core, per_link), mul(edges, per_edge)),
        format!("{mesh_text}: {} mesh links", count_text(edges)),
    );
    // The all-pairs table (next link, u32, and latency, u64, per pair), kept by the topology and copied by the IDS.
    b.bytes(
        "routes between cloudlets",
        strings(&["cloudlets.count"]),
        mul(routes, 2.0 * 12.0),
        format!("cloudlets.count = {}: {} route entries", cfg.cloudlets.count, count_text(routes)),
    );
    if cfg.care.enabled {
        let doctors = mul(c, f64::from(cfg.care.doctors_per_cloudlet));
        b.bytes(
            "doctors",
            strings(&["care.doctors_per_cloudlet", "cloudlets.count"]),
            mul(doctors, rng + 4.0),
            format!(
                "care.doctors_per_cloudlet = {} × cloudlets.count = {}: {} doctors",
                cfg.care.doctors_per_cloudlet,
                cfg.cloudlets.count,
                count_text(doctors)
            ),
        );
        let requests = mul(mul(p, cfg.care.appointment_rate_per_s), duration);
        let open = requests.min(mul(p, 1.0)).max(0.0);
        b.bytes(
            "appointments in progress",
            strings(&["care.appointment_rate_per_s"]),
            mul(open, crate::care::state::APPOINTMENT_BYTES as f64 + 8.0 + QUEUE_ENTRY_BYTES),
            format!("care.appointment_rate_per_s = {}", cfg.care.appointment_rate_per_s),
        );
    }
    if cfg.trust.enabled {
        // One bin per interval, kept during the run and copied for the output.
        let bins = div(duration, cfg.trust.interval.as_secs_f64()).ceil();
        b.bytes(
            "trust time series",
            strings(&["trust.interval_s", "simulation.duration_s"]),
            mul(bins, 2.0 * size_of::<TrustBin>() as f64),
            format!("trust.interval_s = {} s {over}: {} bins", cfg.trust.interval.as_secs_f64(), count_text(bins)),
        );
    }
    // Packets in flight: samples wait in cloudlet batches for up to one interval (gateway batches likewise) and
    // take the path's latencies and transmissions; each also has a pending event. The slab keeps its peak.
    let in_flight_s = cfg.cloudlets.batch.as_ref().map_or(0.0, |b| b.interval.as_secs_f64())
        + if crypto_batch { cfg.crypto.batch.as_secs_f64() } else { 0.0 }
        + LinkClass::all().map(|k| cfg.link(k).latency.as_secs_f64()).sum::<f64>()
        + 0.01;
    let in_flight = mul(mul(w, sample_rate), in_flight_s).min(mul(samples, 1.0));
    b.bytes(
        "packets in flight",
        strings(&["wearables.count", "wearables.sensors", "sensors.<name>.period_s", "cloudlets.batch_interval_s"]),
        mul(in_flight, mul(VEC_SLACK, PACKET_BYTES + QUEUE_ENTRY_BYTES)),
        format!("about {} samples in flight", count_text(in_flight)),
    );
    // Attack state that grows over the run: blocked sources (each campaign is a new source) and shared
    // signatures (per IDS node and campaign).
    let campaigns: f64 = cfg.attacks.values().map(|a| mul(a.rate_per_s, duration)).sum::<f64>().min(f64::MAX);
    let sources: f64 = cfg
        .attacks
        .values()
        .map(|a| mul(mul(a.rate_per_s, duration), f64::from(a.sources_per_attack())))
        .sum::<f64>()
        .min(f64::MAX);
    let mut attack_bytes = 0.0;
    if cfg.ids.block > SimTime::ZERO {
        attack_bytes = add(attack_bytes, mul(add(sources, p), hash_entry_bytes(16)));
    }
    if cfg.ids.signature_sharing {
        attack_bytes = add(attack_bytes, mul(mul(campaigns, ids_nodes), hash_entry_bytes(4)));
    }
    // Live campaigns, floods and items: those started within one campaign span, flood and verdict delay.
    let live = cfg
        .attacks
        .values()
        .map(|a| {
            let span = mul(f64::from(a.campaign_size), a.campaign_gap.as_secs_f64())
                + mul(f64::from(a.flood_packets), a.flood_interval.as_secs_f64())
                + cfg.ids.processing.as_secs_f64()
                + 0.01;
            mul(mul(a.rate_per_s, span.min(duration.max(1e-9))), f64::from(a.sources_per_attack()))
        })
        .sum::<f64>()
        .min(f64::MAX);
    let [campaign_b, flood_b, item_b] = crate::ids::state::STATE_BYTES;
    attack_bytes =
        add(attack_bytes, mul(live, (campaign_b + flood_b + item_b + 24) as f64 + QUEUE_ENTRY_BYTES + PACKET_BYTES));
    let attack_keys: Vec<String> = cfg
        .attacks
        .values()
        .filter(|a| a.rate_per_s > 0.0)
        .map(|a| format!("attacks.{}.rate_per_s", a.kind.name()))
        .collect();
    b.bytes(
        "attack and IDS state",
        attack_keys.clone(),
        attack_bytes,
        format!("{} attack campaigns {over}", count_text(campaigns)),
    );
    b.bytes("fixed (histograms, buffers)", Vec::new(), FIXED_BYTES, "whatever the scenario".into());
}
