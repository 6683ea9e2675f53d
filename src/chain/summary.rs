//! The delivery chain's sections of `summary.json`: what ran, samples by fate, latencies, rates and link totals.

use serde::Serialize;

use super::config::Mesh;
use crate::stats::LatencySummary;

/// What ran.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    /// Scenario name.
    pub name: String,
    /// Seed.
    pub seed: u64,
    /// Replication index.
    pub replication: u64,
    /// Wearables.
    pub wearables: u32,
    /// Patients (= BAN gateways).
    pub patients: u32,
    /// Cloudlets.
    pub cloudlets: u32,
    /// Mesh shape.
    pub mesh: String,
    /// Undirected cloudlet-to-cloudlet links.
    pub mesh_links: usize,
    /// Generation period, in seconds.
    pub duration_s: f64,
}

/// Samples by fate: `generated = delivered + dropped + in_flight`.
#[derive(Debug, Clone, Serialize)]
pub struct Packets {
    /// Samples taken.
    pub generated: u64,
    /// Samples that reached the remote cloud.
    pub delivered: u64,
    /// Samples dropped, all causes.
    pub dropped: u64,
    /// Samples dropped, by cause.
    pub dropped_by_cause: DroppedByCause,
    /// Samples still queued, on a link or in a batch at the end.
    pub in_flight: u64,
    /// delivered / generated.
    pub delivery_ratio: f64,
}

/// Drops by cause.
#[derive(Debug, Clone, Serialize)]
pub struct DroppedByCause {
    /// A full link buffer.
    pub buffer_full: u64,
    /// Retries exhausted.
    pub lost: u64,
    /// Held by, or sent to, a node whose battery had run out.
    pub dead_node: u64,
    /// Uploads of a patient the IDS had blocked.
    pub blocked: u64,
    /// Offered to the access link during a handover under `mobility.handover_policy = "drop"` (absent when 0).
    #[serde(skip_serializing_if = "crate::chain::summary::is_zero")]
    pub handover: u64,
    /// At a cloudlet cut off from the remote cloud by phone cloudlets' deaths (absent when 0).
    #[serde(skip_serializing_if = "crate::chain::summary::is_zero")]
    pub no_route: u64,
}

/// Whether a count is zero (for counts shown only when something happened).
pub fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Per-hop latency by link class.
#[derive(Debug, Clone, Serialize)]
pub struct HopLatency {
    /// Wearable → gateway.
    pub ban: LatencySummary,
    /// Gateway → cloudlet.
    pub access: LatencySummary,
    /// Cloudlet → cloudlet.
    pub mesh: LatencySummary,
    /// Cloudlet → remote cloud.
    pub wan: LatencySummary,
}

/// Rates.
#[derive(Debug, Clone, Serialize)]
pub struct Throughput {
    /// Samples generated per simulated second of generation.
    pub offered_samples_per_s: f64,
    /// Samples taken after the warm-up and delivered, per simulated second from the warm-up to the end.
    pub delivered_samples_per_s: f64,
    /// Their payload bytes per simulated second from the warm-up to the end.
    pub delivered_payload_bytes_per_s: f64,
}

/// Link-layer totals.
#[derive(Debug, Clone, Serialize)]
pub struct LinkTotals {
    /// Retransmissions on all links.
    pub retransmissions: u64,
    /// Bytes on the wire, headers and retransmissions included.
    pub wire_bytes: u64,
    /// The BAN hop's medium access: `ble` or `ideal`.
    pub ban_mac: &'static str,
    /// Radio energy of packets by link class (both ends), split into useful and retransmitted, J.
    pub radio_energy_j: RadioByClass,
    /// BLE: energy of the idle connection events (no data), J.
    pub ble_idle_events_j: BleIdle,
}

/// One link class's radio energy for packets, J: first attempts, and retransmissions.
#[derive(Debug, Clone, Serialize)]
pub struct ClassRadio {
    /// Transmission and reception of each packet's (or PDU's) first attempt, J.
    pub useful: f64,
    /// Transmission and reception of retransmitted attempts, J.
    pub retransmitted: f64,
}

/// Radio energy of packets, by link class.
#[derive(Debug, Clone, Serialize)]
pub struct RadioByClass {
    /// Wearable → gateway.
    pub ban: ClassRadio,
    /// Gateway → cloudlet.
    pub access: ClassRadio,
    /// Cloudlet → cloudlet.
    pub mesh: ClassRadio,
    /// Cloudlet → remote cloud.
    pub wan: ClassRadio,
}

impl RadioByClass {
    /// From the chain's totals.
    pub fn new(r: &super::RadioEnergy) -> Self {
        let class = |c: super::LinkClass| ClassRadio {
            useful: r.packets_j[c] - r.retransmitted_j[c],
            retransmitted: r.retransmitted_j[c],
        };
        RadioByClass {
            ban: class(super::LinkClass::Ban),
            access: class(super::LinkClass::Access),
            mesh: class(super::LinkClass::Mesh),
            wan: class(super::LinkClass::Wan),
        }
    }
}

/// BLE idle connection events (with `links.ban.mac = "ble"`; zero otherwise), J.
#[derive(Debug, Clone, Serialize)]
pub struct BleIdle {
    /// Paid by wearables (peripherals).
    pub wearables: f64,
    /// Paid by gateways (centrals).
    pub gateways: f64,
}

/// The scenario-file name of a mesh shape.
pub fn mesh_name(m: &Mesh) -> &'static str {
    match m {
        Mesh::Full => "full",
        Mesh::Ring => "ring",
        Mesh::Grid { .. } => "grid",
        Mesh::RandomGeometric { .. } => "random_geometric",
        Mesh::Explicit { .. } => "explicit",
    }
}
