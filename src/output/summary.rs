//! `summary.json`: the run's results as nested keys. Deterministic: no wall-clock figure appears here.

use serde::Serialize;

use crate::model::metrics::DropCause;
use crate::output::energy::{energy_summary, EnergySummary};
use crate::run::RunResult;
use crate::scenario::{CryptoAt, CryptoMode};
use crate::scenario::{LinkClass, Mesh};
use crate::stats::LatencySummary;

/// The whole summary.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// What ran.
    pub scenario: ScenarioInfo,
    /// Simulated time at the end, in seconds.
    pub sim_time_s: f64,
    /// Events processed by the kernel.
    pub events_processed: u64,
    /// Samples by fate.
    pub packets: Packets,
    /// End-to-end latency of delivered samples, in seconds.
    pub latency_s: LatencySummary,
    /// Per-hop latency by link class (queueing + transmission + retries + latency), in seconds.
    pub hop_latency_s: HopLatency,
    /// Time samples waited in cloudlet batches, in seconds.
    pub batch_wait_s: LatencySummary,
    /// Time samples waited in gateway encryption batches (crypto batch mode), in seconds.
    pub gateway_batch_wait_s: LatencySummary,
    /// Rates over the generation period.
    pub throughput: Throughput,
    /// Link-layer totals.
    pub links: LinkTotals,
    /// Energy of every node.
    pub energy: EnergySummary,
    /// Protection of body data.
    pub crypto: CryptoInfo,
    /// Attacks and intrusion detection.
    pub ids: crate::output::ids::IdsSummary,
    /// Trust-based sharing (only when `trust.enabled`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust: Option<crate::output::trust::TrustSummary>,
    /// The three-part record store (only when `records.enabled`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<crate::output::records::RecordsSummary>,
    /// Appointments (only when `care.enabled`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub care: Option<crate::output::care::CareSummary>,
}

/// `summary.json` → `crypto`.
#[derive(Debug, Clone, Serialize)]
pub struct CryptoInfo {
    /// Scheme name.
    pub scheme: String,
    /// `per_packet`, `session` or `batch`.
    pub mode: String,
    /// `wearable` or `gateway`.
    pub at: String,
    /// Whether real cryptography ran (`--real-crypto`).
    pub real: bool,
    /// Real mode: packets really decrypted and compared at cloudlets.
    pub real_checked: u64,
    /// Real mode: round trips that failed or did not match (must be 0).
    pub real_errors: u64,
}

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
}

impl Summary {
    /// Summarises a finished run.
    pub fn from_run(r: &RunResult) -> Summary {
        Self::from_run_with(r, energy_summary(r))
    }

    /// Summarises a finished run whose energy section is already computed (see [`crate::output::energy::EnergyTally`]).
    pub fn from_run_with(r: &RunResult, energy: EnergySummary) -> Summary {
        let m = r.model.metrics();
        let cfg = &r.config;
        let in_flight = r.model.samples_in_flight();
        let sim_s = r.sim_time.as_secs_f64();
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let per_s = |x: u64, s: f64| if s > 0.0 { x as f64 / s } else { 0.0 };
        let counters = r.model.counters();
        let mesh_links = r.topology.core_graph.edge_weights().filter(|l| l.class == LinkClass::Mesh).count() / 2;
        Summary {
            scenario: ScenarioInfo {
                name: cfg.name.clone(),
                seed: cfg.seed,
                replication: cfg.replication,
                wearables: cfg.wearables,
                patients: cfg.patients(),
                cloudlets: cfg.cloudlets.count,
                mesh: mesh_name(&cfg.cloudlets.mesh).to_string(),
                mesh_links,
                duration_s: cfg.duration.as_secs_f64(),
            },
            sim_time_s: sim_s,
            events_processed: r.events_processed,
            packets: Packets {
                generated: m.generated,
                delivered: m.delivered,
                dropped: m.dropped_total(),
                dropped_by_cause: DroppedByCause {
                    buffer_full: m.dropped[DropCause::BufferFull as usize],
                    lost: m.dropped[DropCause::Lost as usize],
                    dead_node: m.dropped[DropCause::DeadNode as usize],
                    blocked: m.dropped[DropCause::Blocked as usize],
                },
                in_flight,
                delivery_ratio: ratio(m.delivered, m.generated),
            },
            latency_s: m.end_to_end.summary(),
            hop_latency_s: HopLatency {
                ban: m.hop(LinkClass::Ban).summary(),
                access: m.hop(LinkClass::Access).summary(),
                mesh: m.hop(LinkClass::Mesh).summary(),
                wan: m.hop(LinkClass::Wan).summary(),
            },
            batch_wait_s: m.batch_wait.summary(),
            gateway_batch_wait_s: m.gateway_batch_wait.summary(),
            throughput: Throughput {
                offered_samples_per_s: per_s(m.generated, cfg.duration.as_secs_f64()),
                delivered_samples_per_s: per_s(m.delivered_after_warmup, (r.sim_time - cfg.warmup).as_secs_f64()),
                delivered_payload_bytes_per_s: per_s(
                    m.delivered_payload_bytes,
                    (r.sim_time - cfg.warmup).as_secs_f64(),
                ),
            },
            links: LinkTotals {
                retransmissions: counters.iter().map(|c| c.retransmissions).sum(),
                wire_bytes: counters.iter().map(|c| c.bytes_sent).sum(),
            },
            energy,
            crypto: {
                let (real_checked, real_errors) = r.model.real_crypto_counts();
                let c = &cfg.crypto;
                CryptoInfo {
                    scheme: c.scheme.name.clone(),
                    mode: crypto_mode_name(c.mode).to_string(),
                    at: match c.at {
                        CryptoAt::Wearable => "wearable",
                        CryptoAt::Gateway => "gateway",
                    }
                    .to_string(),
                    real: r.real_crypto,
                    real_checked,
                    real_errors,
                }
            },
            ids: crate::output::ids::ids_summary(&cfg.ids, r.model.ids().nodes(), &r.model.ids().metrics),
            trust: crate::output::trust::trust_summary(r.model.trust()),
            records: crate::output::records::records_summary(r.model.records()),
            care: crate::output::care::care_summary(r.model.care(), r.model.records()),
        }
    }
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

/// The scenario-file name of a crypto mode.
pub fn crypto_mode_name(m: CryptoMode) -> &'static str {
    match m {
        CryptoMode::PerPacket => "per_packet",
        CryptoMode::Session => "session",
        CryptoMode::Batch => "batch",
    }
}
