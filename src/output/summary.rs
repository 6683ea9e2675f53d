//! `summary.json`: the run's results as nested keys. Deterministic: no wall-clock figure appears here.

use serde::Serialize;

use crate::chain::metrics::DropCause;
use crate::chain::summary::{mesh_name, DroppedByCause, HopLatency, LinkTotals, Packets, ScenarioInfo, Throughput};
use crate::chain::LinkClass;
use crate::crypto::output::{crypto_mode_name, CryptoInfo};
use crate::crypto::CryptoAt;
use crate::energy::output::{energy_summary, EnergySummary};
use crate::run::RunResult;
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
    /// The cloudlet → cloud channel (only when `[channel]` turns protection on or sets `count_exposure`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<crate::crypto::channel::ChannelSummary>,
    /// Attacks and intrusion detection.
    pub ids: crate::ids::output::IdsSummary,
    /// Trust-based sharing (only when `trust.enabled`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust: Option<crate::trust::output::TrustSummary>,
    /// The three-part record store (only when `records.enabled`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<crate::records::output::RecordsSummary>,
    /// Appointments (only when `care.enabled`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub care: Option<crate::care::output::CareSummary>,
    /// Signatures for non-repudiation (only when `signatures.enabled`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signatures: Option<crate::signatures::output::SignaturesSummary>,
    /// Mobility, handovers and phone cloudlets (only when `[mobility]`, `min_delay` or `[cloudlet_power]` is in use).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobility: Option<crate::mobility::output::MobilitySummary>,
}

impl Summary {
    /// Summarises a finished run.
    pub fn from_run(r: &RunResult) -> Summary {
        Self::from_run_with(r, energy_summary(r))
    }

    /// Summarises a finished run whose energy section is already computed (see [`crate::energy::output::EnergyTally`]).
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
                    buffer_full: m.dropped[DropCause::BufferFull],
                    lost: m.dropped[DropCause::Lost],
                    dead_node: m.dropped[DropCause::DeadNode],
                    blocked: m.dropped[DropCause::Blocked],
                    handover: m.dropped[DropCause::Handover],
                    no_route: m.dropped[DropCause::NoRoute],
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
                ban_mac: if cfg.link(LinkClass::Ban).ble.is_some() { "ble" } else { "ideal" },
                radio_energy_j: crate::chain::summary::RadioByClass::new(r.model.chain().radio_energy()),
                ble_idle_events_j: crate::chain::summary::BleIdle {
                    wearables: r.model.chain().radio_energy().ble_idle_wearable_j,
                    gateways: r.model.chain().radio_energy().ble_idle_gateway_j,
                },
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
                    processor: r.model.processors().summary(r.sim_time),
                    cipher: r.model.crypto_cipher_info(),
                }
            },
            channel: r.model.channel().map(|c| c.summary(m.generated)),
            ids: crate::ids::output::IdsSummary {
                collaboration: crate::ids::output::collab_summary(
                    &cfg.ids,
                    r.model.ids().exchange_metrics(),
                    r.model.metrics().ids_packets_dropped,
                    r.model.chain().ids_packets_in_flight(),
                ),
                ..crate::ids::output::ids_summary(
                    r.model.ids().spec(),
                    r.model.ids().nodes(),
                    &r.model.ids().metrics,
                    r.model.metrics().attack_packets_dropped,
                )
            },
            trust: crate::trust::output::trust_summary(r.model.trust()),
            records: crate::records::output::records_summary(r.model.records()),
            care: crate::care::output::care_summary(r.model.care(), r.model.records()),
            signatures: crate::signatures::output::signatures_summary(r.model.signatures()),
            mobility: crate::mobility::output::mobility_summary(r),
        }
    }
}
