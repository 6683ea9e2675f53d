//! `[ids.collaboration]`: what collaboration between IDS nodes costs. In `latency` mode (the default, the model of
//! earlier versions) the fused verdict is known after `ids.processing_s` plus the mesh latency to gather it, and no
//! bytes move; in `packets` mode the entry cloudlet sends a summary packet to every IDS node in scope, each node
//! inspects on its cloudlet's cores and sends a verdict packet back, and the entry cloudlet fuses what it has
//! received when all verdicts are in or `fusion_timeout_s` after the item entered ([`super::exchange`];
//! docs/model.md §8.5).

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use slab::Slab;

use crate::chain::CloudletIx;
use crate::kernel::SimTime;
use crate::scenario::checker::Checker;

/// Default summary packet payload, bytes: the size of one Snort "Unified2 IDS Event" record for IPv4 (nine 4-byte
/// fields — sensor, event, seconds, microseconds, signature, generator, revision, classification, priority — two
/// 4-byte addresses, two 2-byte ports and four 1-byte fields: 52 bytes; Snort Users Manual, "Unified2", the IDS
/// Event record layout). A compact binary alert record, far smaller than an XML IDMEF alert (RFC 4765).
pub const SUMMARY_BYTES: u64 = 52;

/// Default verdict packet payload, bytes: ours — the same 52-byte record returned with the node's decision.
pub const VERDICT_BYTES: u64 = 52;

/// Default CPU cycles one IDS node spends inspecting one item: about 13,000. Source: the sample run-time output of
/// Snort's Packet Performance Monitoring (Snort Users Manual, "Packet Performance Monitoring (PPM)", "Sample Snort
/// Run-time Output"): 8.15–8.39 µs per 60-byte packet at "ticks per usec: 1600", i.e. 13,000–13,400 cycles. That
/// is one illustrative output in a manual, not a benchmark; treat the figure as an order of magnitude.
pub const INSPECTION_CYCLES: f64 = 13_000.0;

/// Default fusion timeout, seconds: ours (well above the round trip of a few mesh hops, so that it bites only under
/// congestion or loss).
pub const FUSION_TIMEOUT_S: f64 = 1.0;

/// How collaboration between IDS nodes is modelled.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CollabMode {
    /// The fused verdict is known after `ids.processing_s` plus the mesh latency to gather it; nothing is sent.
    #[default]
    Latency,
    /// Summary and verdict packets cross the mesh, inspections run on the cloudlets' cores, fusion can time out.
    Packets,
}

/// `[ids.collaboration]`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawCollaboration {
    /// `latency` (default: analytic time to a verdict, nothing sent) or `packets` (summary and verdict packets on
    /// the mesh, inspection on the cloudlet cores, fusion timeout).
    pub mode: CollabMode,
    /// `packets` mode: payload bytes of the summary the entry cloudlet sends to each other IDS node in scope (>= 1;
    /// default 52, the size of a Snort Unified2 IPv4 IDS Event record).
    pub summary_bytes: u64,
    /// `packets` mode: payload bytes of a verdict an IDS node sends back to the entry cloudlet (>= 1; default 52,
    /// ours).
    pub verdict_bytes: u64,
    /// `packets` mode: CPU cycles one IDS node spends inspecting one item on a core of its cloudlet (>= 0; default
    /// 13,000, from Snort's Packet Performance Monitoring sample output; `energy.processor.cloudlet_clock_hz`).
    pub inspection_cycles: f64,
    /// `packets` mode: how long after an item entered the entry cloudlet fuses the verdicts it has, in seconds
    /// (> 0; default 1.0, ours).
    pub fusion_timeout_s: f64,
}

impl Default for RawCollaboration {
    fn default() -> Self {
        RawCollaboration {
            mode: CollabMode::Latency,
            summary_bytes: SUMMARY_BYTES,
            verdict_bytes: VERDICT_BYTES,
            inspection_cycles: INSPECTION_CYCLES,
            fusion_timeout_s: FUSION_TIMEOUT_S,
        }
    }
}

/// The validated `[ids.collaboration]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CollabSpec {
    /// Mode.
    pub mode: CollabMode,
    /// Summary payload, bytes.
    pub summary_bytes: u32,
    /// Verdict payload, bytes.
    pub verdict_bytes: u32,
    /// Cycles per inspection.
    pub inspection_cycles: f64,
    /// Fusion timeout after entry.
    pub fusion_timeout: SimTime,
}

impl CollabSpec {
    /// Whether summaries and verdicts travel as packets.
    pub fn packets(&self) -> bool {
        self.mode == CollabMode::Packets
    }
}

impl Default for CollabSpec {
    fn default() -> Self {
        CollabSpec {
            mode: CollabMode::Latency,
            summary_bytes: SUMMARY_BYTES as u32,
            verdict_bytes: VERDICT_BYTES as u32,
            inspection_cycles: INSPECTION_CYCLES,
            fusion_timeout: SimTime::from_nanos((FUSION_TIMEOUT_S * 1e9) as u64),
        }
    }
}

/// Checks `[ids.collaboration]` (every key, whatever the mode, so that switching the mode reveals no old error).
pub(crate) fn validate(c: &mut Checker, raw: &RawCollaboration) -> CollabSpec {
    let cycles = c.non_negative("ids.collaboration.inspection_cycles", raw.inspection_cycles);
    if cycles > 1e12 {
        c.fail("ids.collaboration.inspection_cycles", format!("must be at most 1e12 cycles (got {cycles})"));
    }
    CollabSpec {
        mode: raw.mode,
        summary_bytes: c.count("ids.collaboration.summary_bytes", raw.summary_bytes, 1),
        verdict_bytes: c.count("ids.collaboration.verdict_bytes", raw.verdict_bytes, 1),
        inspection_cycles: cycles.min(1e12),
        fusion_timeout: c.time("ids.collaboration.fusion_timeout_s", raw.fusion_timeout_s, true),
    }
}

/// The closed-form mean detection latency (entry → fused alarm) of `cfg` with IDS nodes at cloudlets `slots`, in
/// seconds: in `latency` mode with mesh scope, `processing_s + Σ_k w_k Σ_e P_k(e) · 2·max_s latency(e, s)`, the
/// gather time averaged over the entry cloudlets e of detected attacks, where attack kind k has weight w_k ∝ (its
/// items per second) × (its fused detection probability with n nodes) and P_k(e) is its entry rule. Exact for the
/// model without blocking or signature sharing (which change which attacks are detected, not when). `None` for route
/// scope (the gather time then depends on which IDS nodes lie on each route to each target; not derived) and for
/// `packets` mode (queues on links and cores: the simulated rows give it), and when no attack can be detected.
pub fn expected_detection_latency(
    cfg: &crate::scenario::ModelConfig,
    topo: &crate::chain::topology::Topology,
    slots: &[u32],
) -> Option<f64> {
    use crate::chain::CoreIx;
    use crate::ids::{Entry, IdsScope};
    if cfg.ids.collaboration.packets() || cfg.ids.scope != IdsScope::Mesh || slots.is_empty() {
        return None;
    }
    let cloudlets = topo.cloudlets;
    let gather = |e: u32| {
        let far = slots.iter().map(|&s| topo.core.latency(CoreIx(e), CoreIx(s))).max().unwrap_or(SimTime::ZERO);
        far.saturating_mul(2).as_secs_f64()
    };
    let (mut weight, mut sum) = (0.0, 0.0);
    for spec in cfg.attacks.values().filter(|a| a.rate_per_s > 0.0) {
        let entry: Vec<f64> = match &spec.entry {
            Entry::Random => vec![1.0 / cloudlets as f64; cloudlets as usize],
            Entry::Explicit(c) => (0..cloudlets).map(|i| if i == *c { 1.0 } else { 0.0 }).collect(),
            Entry::Weighted(w) => {
                let total: f64 = w.iter().sum();
                w.iter().map(|x| x / total).collect()
            }
        };
        let w = spec.items_per_s() * crate::ids::analytic::fused(cfg, slots.len() as u32, Some(spec.kind));
        weight += w;
        sum += w * entry.iter().enumerate().map(|(e, p)| p * gather(e as u32)).sum::<f64>();
    }
    (weight > 0.0).then(|| cfg.ids.processing.as_secs_f64() + sum / weight)
}

/// An item whose verdicts are being gathered at its entry cloudlet.
#[derive(Debug, Clone)]
pub(super) struct Fusing {
    /// The item (in the IDS state's item slab).
    pub(super) item: u32,
    /// Verdicts expected (one per inspecting node).
    pub(super) expected: u32,
    /// Verdicts received so far.
    pub(super) received: u32,
    /// Alarms among them.
    pub(super) alarms: u32,
    /// Each inspecting slot's verdict, drawn at entry: (slot, alarm).
    pub(super) verdicts: Vec<(u16, bool)>,
    /// The slots whose alarm was received (for signature sharing).
    pub(super) alarmed: Vec<u16>,
}

/// An inspection under way on an IDS node's cloudlet cores.
#[derive(Debug, Clone, Copy)]
pub(super) struct Job {
    /// The item's serial number.
    pub(super) serial: u32,
    /// The inspecting IDS slot.
    pub(super) slot: u16,
    /// The item's entry cloudlet, where the verdict goes.
    pub(super) entry: CloudletIx,
}

/// Counters of the exchange (`summary.json` → `ids`, `packets` mode only). Packets are counted when sent after
/// the warm-up (as flood packets are), so that sent = delivered + dropped + in flight; the other counters count
/// items entering after the warm-up.
#[derive(Debug, Clone, Default)]
pub struct ExchangeMetrics {
    /// Summary packets sent.
    pub summary_packets: u64,
    /// Of which reached their IDS node.
    pub summary_delivered: u64,
    /// Verdict packets sent.
    pub verdict_packets: u64,
    /// Of which reached the entry cloudlet (in time or late).
    pub verdict_delivered: u64,
    /// Payload bytes of the summary and verdict packets sent.
    pub bytes: u64,
    /// Fusions done at the timeout, with verdicts missing.
    pub fusion_timeouts: u64,
    /// Verdicts (packets or local inspections) that reached the entry cloudlet after the fusion.
    pub late_verdicts: u64,
    /// CPU time of the inspections, s (cycles ÷ cloudlet clock, whatever the processor timing).
    pub inspection_cpu_s: f64,
    /// Items whose verdicts were gathered (entered after the warm-up, at least one inspecting node).
    pub items: u64,
}

/// The state of the summary and verdict exchange ([`super::exchange`]): items being fused, by serial number, and
/// inspections under way.
#[derive(Debug, Default)]
pub struct Exchange {
    pub(super) fusing: HashMap<u32, Fusing>,
    pub(super) jobs: Slab<Job>,
    pub(super) next_serial: u32,
    /// Counters.
    pub metrics: ExchangeMetrics,
}
