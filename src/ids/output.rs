//! The `ids` section of `summary.json`: attacks, detection, false alarms, response, damage and the system cost.

use std::collections::BTreeMap;

use enum_map::EnumMap;
use serde::Serialize;

use crate::chain::CloudletIx;
use crate::ids::roc::OperatingRule;
use crate::ids::state::IdsMetrics;
use crate::ids::{AttackKind, Detector, IdsSpec};
use crate::stats::LatencySummary;

/// `summary.json` → `ids`.
#[derive(Debug, Clone, Serialize)]
pub struct IdsSummary {
    /// IDS nodes deployed.
    pub count: u32,
    /// Cloudlets hosting them, in placement order.
    pub nodes: Vec<u32>,
    /// Attack items that reached inspection (after the warm-up).
    pub attacks: u64,
    /// Attack items detected (fused alarm).
    pub detected: u64,
    /// detected / attacks.
    pub detection_rate: f64,
    /// Benign items inspected (uploads and doctor accesses).
    pub benign: u64,
    /// Benign items with an alarm.
    pub false_alarms: u64,
    /// false_alarms / benign.
    pub false_alarm_rate: f64,
    /// 1 − detection_rate.
    pub false_negative_rate: f64,
    /// Entry → alarm of detected attacks, in seconds.
    pub detection_latency_s: LatencySummary,
    /// Items no IDS node inspected.
    pub uninspected: u64,
    /// Node inspections skipped for lack of capacity.
    pub overflow_inspections: u64,
    /// What blocking stopped.
    pub blocked: Blocked,
    /// Alerts sent.
    pub alerts: Alerts,
    /// Harm done.
    pub damage: Damage,
    /// Flood traffic.
    pub flood_packets: FloodPackets,
    /// Signatures received by IDS nodes.
    pub signatures_shared: u64,
    /// Per attack kind: attacks and detected.
    pub by_kind: BTreeMap<&'static str, KindCounts>,
    /// System cost per inspected item, relative units (see docs/model.md).
    pub cost: f64,
    /// `ids.collaboration.mode = "packets"` only (absent otherwise): the summary and verdict exchange, its keys
    /// flattened into this section.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub collaboration: Option<CollabSummary>,
    /// Probe follow-ups and reconnaissance evasion: only when `[attacks.probe]` configures them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_ups: Option<FollowUps>,
    /// Distributed attacks as wholes: only when `attacks.distributed.rate_per_s` > 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distributed: Option<Distributed>,
    /// With `ids.detector = "roc"` only: the operating point every node runs at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roc_operating_point: Option<RocOperatingPoint>,
}

/// The summary and verdict exchange (`packets` mode; docs/outputs.md).
#[derive(Debug, Clone, Serialize)]
pub struct CollabSummary {
    /// Summary packets (entry cloudlet → IDS node).
    pub summary_packets: ExchangePackets,
    /// Verdict packets (IDS node → entry cloudlet).
    pub verdict_packets: ExchangePackets,
    /// Payload bytes of the summary and verdict packets sent.
    pub collaboration_bytes: u64,
    /// collaboration_bytes per item whose verdicts were gathered (0 when none was).
    pub collaboration_bytes_per_item: f64,
    /// Fusions done at `fusion_timeout_s` with verdicts missing.
    pub fusion_timeouts: u64,
    /// Verdicts that reached the entry cloudlet after its fusion.
    pub late_verdicts: u64,
    /// CPU time of the IDS inspections on the cloudlet cores, s.
    pub inspection_cpu_s: f64,
}

/// One kind of IDS packet: sent = delivered + dropped + in_flight.
#[derive(Debug, Clone, Serialize)]
pub struct ExchangePackets {
    /// Sent (after the warm-up).
    pub sent: u64,
    /// Reached their destination.
    pub delivered: u64,
    /// Dropped on the way.
    pub dropped: u64,
    /// Still in a queue or on a link at the end.
    pub in_flight: u64,
}

/// The exchange's part of the `ids` section, from its counters and the chain's `[summary, verdict]` drops and
/// packets in flight; `None` in `latency` mode.
pub fn collab_summary(
    spec: &IdsSpec,
    m: &crate::ids::collab::ExchangeMetrics,
    dropped: [u64; 2],
    in_flight: [u64; 2],
) -> Option<CollabSummary> {
    spec.collaboration.packets().then(|| CollabSummary {
        summary_packets: ExchangePackets {
            sent: m.summary_packets,
            delivered: m.summary_delivered,
            dropped: dropped[0],
            in_flight: in_flight[0],
        },
        verdict_packets: ExchangePackets {
            sent: m.verdict_packets,
            delivered: m.verdict_delivered,
            dropped: dropped[1],
            in_flight: in_flight[1],
        },
        collaboration_bytes: m.bytes,
        collaboration_bytes_per_item: if m.items == 0 { 0.0 } else { m.bytes as f64 / m.items as f64 },
        fusion_timeouts: m.fusion_timeouts,
        late_verdicts: m.late_verdicts,
        inspection_cpu_s: m.inspection_cpu_s,
    })
}

/// What undetected probes led to (docs/model.md §8.2). Attack items are counted at inspection.
#[derive(Debug, Clone, Serialize)]
pub struct FollowUps {
    /// Probes without a fused alarm.
    pub probes_undetected: u64,
    /// Follow-up campaigns they launched.
    pub campaigns: u64,
    /// Attack items of follow-up campaigns.
    pub attacks: u64,
    /// Those detected.
    pub detected: u64,
    /// detected / attacks.
    pub detection_rate: f64,
    /// Attack items from a source inside its reconnaissance window.
    pub recon_attacks: u64,
    /// Those detected.
    pub recon_detected: u64,
    /// recon_detected / recon_attacks.
    pub recon_detection_rate: f64,
}

/// Distributed attacks as wholes (docs/model.md §8.2): an attack counts if at least one of its sources reached
/// inspection; damage is still done per source item that is missed.
#[derive(Debug, Clone, Serialize)]
pub struct Distributed {
    /// Distributed attacks.
    pub attacks: u64,
    /// Share with at least one source detected.
    pub any_source_detected_rate: f64,
    /// Share with every inspected source detected.
    pub all_sources_detected_rate: f64,
}

/// `summary.json` → `ids.roc_operating_point`: the roc detector's operating point, chosen once per run.
#[derive(Debug, Clone, Serialize)]
pub struct RocOperatingPoint {
    /// `fixed`, `slope` or `system` (`ids.roc.operating_point`).
    pub rule: &'static str,
    /// The node false-alarm probability x.
    pub node_false_alarm_prob: f64,
    /// The node detection probability TPR_k(x) of each attack kind.
    pub node_detection_prob: BTreeMap<&'static str, f64>,
    /// With the slope rule: the ROC slope of the cost-optimal point, (1 − π)·C_FA / (π·C_miss) (absent when π·C_miss
    /// = 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slope_target: Option<f64>,
}

/// The operating point of `spec`'s roc detector (`None` for the other detectors).
pub fn roc_operating_point(spec: &IdsSpec) -> Option<RocOperatingPoint> {
    let Detector::Roc(r) = &spec.detector else { return None };
    Some(RocOperatingPoint {
        rule: r.rule.name(),
        node_false_alarm_prob: r.node_false_alarm,
        node_detection_prob: AttackKind::all().map(|k| (k.name(), r.node_prob(Some(k)))).collect(),
        slope_target: if r.rule == OperatingRule::Slope { r.slope_target } else { None },
    })
}

/// What blocking stopped.
#[derive(Debug, Clone, Serialize)]
pub struct Blocked {
    /// Attacks from blocked sources, stopped at entry.
    pub attacks: u64,
    /// Flood packets not sent.
    pub flood_packets: u64,
    /// Uploads of blocked patients, dropped.
    pub uploads: u64,
}

/// Alerts.
#[derive(Debug, Clone, Serialize)]
pub struct Alerts {
    /// To cloudlets (every alarm).
    pub cloudlet: u64,
    /// To patients (alarms about a patient's record or upload).
    pub patient: u64,
}

/// Damage.
#[derive(Debug, Clone, Serialize)]
pub struct Damage {
    /// Records read by undetected attacks (protected parts exposed only as ciphertext).
    pub records_read: u64,
    /// Records modified by undetected attacks.
    pub records_tampered: u64,
    /// Reads and modifications stopped by an alarm before reaching their target.
    pub prevented: u64,
}

/// Flood packets.
#[derive(Debug, Clone, Serialize)]
pub struct FloodPackets {
    /// Injected.
    pub sent: u64,
    /// Reached their target.
    pub delivered: u64,
    /// Dropped on the way.
    pub dropped: u64,
}

/// One attack kind's counts.
#[derive(Debug, Clone, Serialize)]
pub struct KindCounts {
    /// Attacks.
    pub attacks: u64,
    /// Detected.
    pub detected: u64,
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// System cost per inspected item: `per_ids_node · count + (per_missed_attack · missed + per_false_alarm ·
/// false_alarms) / inspected`, with inspected = attacks + benign items (0 when nothing was inspected); with
/// `[ids.cost.lee]`, the consequential costs of every outcome instead ([`crate::ids::lee_cost`]).
pub fn cost(spec: &IdsSpec, m: &IdsMetrics) -> f64 {
    let items = m.attacks + m.benign;
    if items == 0 {
        return 0.0;
    }
    let c = &spec.cost;
    if let Some(lee) = &spec.lee_cost {
        let attacks = m.attacks_by_kind.map(|_, a| a as f64);
        let detected = EnumMap::from_fn(|k| {
            if m.attacks_by_kind[k] == 0 {
                0.0
            } else {
                m.detected_by_kind[k] as f64 / m.attacks_by_kind[k] as f64
            }
        });
        let fa = if m.benign == 0 { 0.0 } else { m.false_alarms as f64 / m.benign as f64 };
        return lee.expected(spec.count, c.per_ids_node, &attacks, &detected, m.benign as f64, fa);
    }
    c.per_ids_node * spec.count as f64
        + (c.per_missed_attack * (m.attacks - m.detected) as f64 + c.per_false_alarm * m.false_alarms as f64)
            / items as f64
}

/// The `ids` section, from the IDS's counters and the flood packets the delivery chain dropped.
pub fn ids_summary(spec: &IdsSpec, nodes: &[CloudletIx], m: &IdsMetrics, flood_packets_dropped: u64) -> IdsSummary {
    let detection_rate = ratio(m.detected, m.attacks);
    IdsSummary {
        count: spec.count,
        nodes: nodes.iter().map(|c| c.get()).collect(),
        attacks: m.attacks,
        detected: m.detected,
        detection_rate,
        benign: m.benign,
        false_alarms: m.false_alarms,
        false_alarm_rate: ratio(m.false_alarms, m.benign),
        false_negative_rate: if m.attacks == 0 { 0.0 } else { 1.0 - detection_rate },
        detection_latency_s: m.detection_latency.summary(),
        uninspected: m.uninspected,
        overflow_inspections: m.overflow_inspections,
        blocked: Blocked {
            attacks: m.blocked_attacks,
            flood_packets: m.blocked_flood_packets,
            uploads: m.blocked_uploads,
        },
        alerts: Alerts { cloudlet: m.alerts_cloudlet, patient: m.alerts_patient },
        damage: Damage { records_read: m.records_read, records_tampered: m.records_tampered, prevented: m.prevented },
        flood_packets: FloodPackets {
            sent: m.flood_packets_sent,
            delivered: m.flood_packets_delivered,
            dropped: flood_packets_dropped,
        },
        signatures_shared: m.signatures_shared,
        by_kind: AttackKind::all()
            .map(|k| (k.name(), KindCounts { attacks: m.attacks_by_kind[k], detected: m.detected_by_kind[k] }))
            .collect(),
        cost: cost(spec, m),
        collaboration: None,
        follow_ups: kinds_follow_ups(m),
        distributed: kinds_distributed(m),
        roc_operating_point: roc_operating_point(spec),
    }
}

fn kinds_follow_ups(m: &IdsMetrics) -> Option<FollowUps> {
    let k = &m.kinds;
    k.follow_up_on.then(|| FollowUps {
        probes_undetected: k.probes_undetected,
        campaigns: k.follow_ups,
        attacks: k.follow_up_attacks,
        detected: k.follow_up_detected,
        detection_rate: ratio(k.follow_up_detected, k.follow_up_attacks),
        recon_attacks: k.recon_attacks,
        recon_detected: k.recon_detected,
        recon_detection_rate: ratio(k.recon_detected, k.recon_attacks),
    })
}

fn kinds_distributed(m: &IdsMetrics) -> Option<Distributed> {
    let k = &m.kinds;
    k.distributed_on.then(|| Distributed {
        attacks: k.distributed_attacks,
        any_source_detected_rate: ratio(k.distributed_any_detected, k.distributed_attacks),
        all_sources_detected_rate: ratio(k.distributed_all_detected, k.distributed_attacks),
    })
}
