//! What the delivery chain counts: packets by fate, latencies, and per-node counters.

use std::collections::HashMap;

use enum_map::EnumMap;

use crate::chain::{LinkClass, NodeId};
use crate::stats::LatencyStats;

/// Why a sample was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, enum_map::Enum)]
pub enum DropCause {
    /// It arrived at a link whose buffer was full.
    BufferFull,
    /// Every transmission attempt on one hop was lost.
    Lost,
    /// The node holding it (or receiving it) had run out of energy.
    DeadNode,
    /// Its patient was blocked by the IDS (after an alarm on one of the patient's uploads).
    Blocked,
    /// Offered to the access link while its gateway was handing over (`mobility.handover_policy = "drop"`).
    Handover,
    /// At a cloudlet the death of phone cloudlets has cut off from the remote cloud.
    NoRoute,
}

impl DropCause {
    /// All causes, in declaration (and output) order.
    pub fn all() -> impl Iterator<Item = DropCause> + Clone {
        (0..<DropCause as enum_map::Enum>::LENGTH).map(<DropCause as enum_map::Enum>::from_usize)
    }

    /// Name in outputs.
    pub const fn name(self) -> &'static str {
        match self {
            DropCause::BufferFull => "buffer_full",
            DropCause::Lost => "lost",
            DropCause::DeadNode => "dead_node",
            DropCause::Blocked => "blocked",
            DropCause::Handover => "handover",
            DropCause::NoRoute => "no_route",
        }
    }
}

/// Counters of one node. Packets are counted per sample.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NodeCounters {
    /// Samples taken (wearables only).
    pub generated: u64,
    /// Packets received from upstream links (a batch counts once).
    pub received: u64,
    /// Packets sent successfully on this node's outgoing links (a batch counts once).
    pub sent: u64,
    /// Samples dropped at this node's outgoing links.
    pub dropped: u64,
    /// Retransmissions on this node's outgoing links.
    pub retransmissions: u64,
    /// Bytes put on the wire by this node, headers and retransmissions included.
    pub bytes_sent: u64,
}

/// Counters of a wearable or gateway, compact: a wearable never receives and a gateway never samples, so one field
/// counts what each does; packet counts are 32-bit, with whatever overflows them kept in [`CounterTable`]'s spill.
#[derive(Debug, Clone, Copy, Default)]
struct EdgeCounters {
    /// Samples taken (a wearable) or packets received (a gateway), then sent, dropped and retransmitted.
    counts: [u32; 4],
    bytes_sent: u64,
}

/// Index of a count in [`EdgeCounters::counts`].
const GENERATED_OR_RECEIVED: usize = 0;
const SENT: usize = 1;
const DROPPED: usize = 2;
const RETRANSMISSIONS: usize = 3;

/// Bytes of one wearable's or gateway's counters (for [`crate::estimate`]).
pub(crate) const EDGE_COUNTERS_BYTES: usize = std::mem::size_of::<EdgeCounters>();

/// Every node's counters, by node id: wearables and gateways compactly (24 bytes, against 48 in full), cloudlets
/// and the cloud in full.
#[derive(Debug, Clone)]
pub struct CounterTable {
    edge: Vec<EdgeCounters>,
    core: Vec<NodeCounters>,
    /// Node id of the first gateway (= number of wearables).
    first_gateway: NodeId,
    /// Multiples of 2^32 carried out of a wearable's or gateway's 32-bit counts, by node (only ever filled in runs
    /// long enough to need it).
    spill: HashMap<NodeId, [u64; 4]>,
}

impl CounterTable {
    /// Zero counters for `wearables` wearables, `gateways` gateways and `core` core nodes.
    pub fn new(wearables: u32, gateways: u32, core: u32) -> Self {
        CounterTable {
            edge: vec![EdgeCounters::default(); (wearables + gateways) as usize],
            core: vec![NodeCounters::default(); core as usize],
            first_gateway: NodeId(wearables),
            spill: HashMap::new(),
        }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.edge.len() + self.core.len()
    }

    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Node `node`'s counters.
    pub fn get(&self, node: NodeId) -> NodeCounters {
        let Some(e) = self.edge.get(node.index()) else {
            return self.core[node.index() - self.edge.len()];
        };
        let spill = self.spill.get(&node).copied().unwrap_or_default();
        let count = |i: usize| u64::from(e.counts[i]) + spill[i];
        let (generated, received) = if node < self.first_gateway {
            (count(GENERATED_OR_RECEIVED), 0)
        } else {
            (0, count(GENERATED_OR_RECEIVED))
        };
        NodeCounters {
            generated,
            received,
            sent: count(SENT),
            dropped: count(DROPPED),
            retransmissions: count(RETRANSMISSIONS),
            bytes_sent: e.bytes_sent,
        }
    }

    /// Starts loading a wearable's or gateway's counters into the cache.
    #[inline]
    pub fn prefetch(&self, node: NodeId) {
        if let Some(e) = self.edge.get(node.index()) {
            crate::kernel::prefetch(e);
        }
    }

    /// Every node's counters, by node id.
    pub fn iter(&self) -> impl Iterator<Item = NodeCounters> + '_ {
        (0..self.len() as u32).map(|n| self.get(NodeId(n)))
    }

    /// Adds `by` to count `i` of node `node`; `core` picks the same count of a cloudlet or the cloud.
    #[inline]
    fn add(&mut self, node: NodeId, i: usize, by: u64, core: fn(&mut NodeCounters) -> &mut u64) {
        let Some(e) = self.edge.get_mut(node.index()) else {
            *core(&mut self.core[node.index() - self.edge.len()]) += by;
            return;
        };
        let total = u64::from(e.counts[i]) + by;
        e.counts[i] = total as u32; // the low 32 bits; the rest spills
        if total > u64::from(u32::MAX) {
            self.spill.entry(node).or_default()[i] += total & !u64::from(u32::MAX);
        }
    }

    /// A sample taken by wearable `node`.
    #[inline]
    pub fn add_generated(&mut self, node: NodeId) {
        debug_assert!(node < self.first_gateway, "only wearables take samples");
        self.add(node, GENERATED_OR_RECEIVED, 1, |c| &mut c.generated);
    }

    /// A packet received by `node` (not a wearable).
    #[inline]
    pub fn add_received(&mut self, node: NodeId) {
        debug_assert!(node >= self.first_gateway, "wearables receive nothing");
        self.add(node, GENERATED_OR_RECEIVED, 1, |c| &mut c.received);
    }

    /// A packet sent successfully by `node`.
    #[inline]
    pub fn add_sent(&mut self, node: NodeId) {
        self.add(node, SENT, 1, |c| &mut c.sent);
    }

    /// `samples` samples dropped at `node`.
    #[inline]
    pub fn add_dropped(&mut self, node: NodeId, samples: u64) {
        self.add(node, DROPPED, samples, |c| &mut c.dropped);
    }

    /// A retransmission by `node`.
    #[inline]
    pub fn add_retransmission(&mut self, node: NodeId) {
        self.add_retransmissions(node, 1);
    }

    /// `n` retransmissions on `node`'s outgoing links.
    #[inline]
    pub fn add_retransmissions(&mut self, node: NodeId, n: u64) {
        self.add(node, RETRANSMISSIONS, n, |c| &mut c.retransmissions);
    }

    /// `bytes` put on the wire by `node`.
    #[inline]
    pub fn add_bytes_sent(&mut self, node: NodeId, bytes: u64) {
        match self.edge.get_mut(node.index()) {
            Some(e) => e.bytes_sent += bytes,
            None => self.core[node.index() - self.edge.len()].bytes_sent += bytes,
        }
    }
}

/// Whole-run counters and distributions.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    /// Samples generated.
    pub generated: u64,
    /// Samples delivered to the remote cloud.
    pub delivered: u64,
    /// Samples taken after the warm-up and delivered.
    pub delivered_after_warmup: u64,
    /// Payload bytes of delivered samples taken after the warm-up.
    pub delivered_payload_bytes: u64,
    /// Samples dropped, by [`DropCause`].
    pub dropped: EnumMap<DropCause, u64>,
    /// End-to-end latency of delivered samples (taken → at the remote cloud).
    pub end_to_end: LatencyStats,
    /// Per-hop latency (handed to the link → at its far end), by [`LinkClass`]; a batch counts once.
    pub hop: EnumMap<LinkClass, LatencyStats>,
    /// Time samples waited in a cloudlet's batch.
    pub batch_wait: LatencyStats,
    /// Time samples waited in a gateway's encryption batch (crypto batch mode).
    pub gateway_batch_wait: LatencyStats,
    /// Attack packets (flood traffic) dropped on the way, counted when sent after the warm-up; reported as the
    /// IDS's `flood_packets.dropped`.
    pub attack_packets_dropped: u64,
    /// IDS summary and verdict packets (`ids.collaboration.mode = "packets"`) dropped on the way, counted when sent
    /// after the warm-up: `[summaries, verdicts]`.
    pub ids_packets_dropped: [u64; 2],
    /// With `output.interval_s`: end-to-end latency of every sample delivered since the time series' last row
    /// (warm-up included), emptied at each row; `None` without a time series.
    pub interval_latency: Option<LatencyStats>,
}

impl Metrics {
    /// Total samples dropped.
    pub fn dropped_total(&self) -> u64 {
        self.dropped.values().sum()
    }

    /// Per-hop latency of one link class.
    pub fn hop(&self, class: LinkClass) -> &LatencyStats {
        &self.hop[class]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wearable's or gateway's 32-bit counts carry into the spill rather than wrap.
    #[test]
    fn edge_counts_carry_past_32_bits() {
        let mut t = CounterTable::new(1, 1, 2);
        t.add_dropped(NodeId(0), u64::from(u32::MAX));
        t.add_dropped(NodeId(0), 2);
        t.add_dropped(NodeId(0), 3 << 32);
        assert_eq!(t.get(NodeId(0)).dropped, u64::from(u32::MAX) + 2 + (3 << 32));
        for _ in 0..3 {
            t.add_received(NodeId(1));
        }
        t.add_bytes_sent(NodeId(1), 5 << 40);
        let gateway = t.get(NodeId(1));
        assert_eq!((gateway.received, gateway.generated, gateway.bytes_sent), (3, 0, 5 << 40));
        t.add_received(NodeId(2));
        t.add_sent(NodeId(3));
        assert_eq!((t.get(NodeId(2)).received, t.get(NodeId(3)).sent, t.len()), (1, 1, 4));
    }
}
