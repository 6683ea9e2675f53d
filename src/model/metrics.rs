//! What the delivery chain counts: packets by fate, latencies, and per-node counters.

use crate::scenario::LinkClass;
use crate::stats::LatencyStats;

/// Why a sample was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DropCause {
    /// It arrived at a link whose buffer was full.
    BufferFull,
    /// Every transmission attempt on one hop was lost.
    Lost,
    /// The node holding it (or receiving it) had run out of energy.
    DeadNode,
    /// Its patient was blocked by the IDS (after an alarm on one of the patient's uploads).
    Blocked,
}

impl DropCause {
    /// All causes, in output order.
    pub const ALL: [DropCause; 4] = [DropCause::BufferFull, DropCause::Lost, DropCause::DeadNode, DropCause::Blocked];

    /// Name in outputs.
    pub const fn name(self) -> &'static str {
        match self {
            DropCause::BufferFull => "buffer_full",
            DropCause::Lost => "lost",
            DropCause::DeadNode => "dead_node",
            DropCause::Blocked => "blocked",
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
/// counts what each does.
#[derive(Debug, Clone, Copy, Default)]
struct EdgeCounters {
    /// Samples taken (a wearable) or packets received (a gateway).
    generated_or_received: u64,
    sent: u64,
    dropped: u64,
    retransmissions: u64,
    bytes_sent: u64,
}

/// Every node's counters, by node id: wearables and gateways compactly, cloudlets and the cloud in full.
#[derive(Debug, Clone)]
pub struct CounterTable {
    edge: Vec<EdgeCounters>,
    core: Vec<NodeCounters>,
    /// Node id of the first gateway (= number of wearables).
    first_gateway: u32,
}

impl CounterTable {
    /// Zero counters for `wearables` wearables, `gateways` gateways and `core` core nodes.
    pub fn new(wearables: u32, gateways: u32, core: u32) -> Self {
        CounterTable {
            edge: vec![EdgeCounters::default(); (wearables + gateways) as usize],
            core: vec![NodeCounters::default(); core as usize],
            first_gateway: wearables,
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
    pub fn get(&self, node: u32) -> NodeCounters {
        let Some(e) = self.edge.get(node as usize) else {
            return self.core[node as usize - self.edge.len()];
        };
        let (generated, received) =
            if node < self.first_gateway { (e.generated_or_received, 0) } else { (0, e.generated_or_received) };
        NodeCounters {
            generated,
            received,
            sent: e.sent,
            dropped: e.dropped,
            retransmissions: e.retransmissions,
            bytes_sent: e.bytes_sent,
        }
    }

    /// Every node's counters, by node id.
    pub fn iter(&self) -> impl Iterator<Item = NodeCounters> + '_ {
        (0..self.len() as u32).map(|n| self.get(n))
    }

    /// Applies `f` to the counters of node `node`, with a wearable's or gateway's shared field passed as both
    /// `generated` and `received`.
    #[inline]
    fn update(&mut self, node: u32, f: impl FnOnce(&mut u64, &mut u64, &mut u64, &mut u64, &mut u64)) {
        match self.edge.get_mut(node as usize) {
            Some(e) => {
                f(&mut e.generated_or_received, &mut e.sent, &mut e.dropped, &mut e.retransmissions, &mut e.bytes_sent)
            }
            None => {
                let c = &mut self.core[node as usize - self.edge.len()];
                f(&mut c.received, &mut c.sent, &mut c.dropped, &mut c.retransmissions, &mut c.bytes_sent)
            }
        }
    }

    /// A sample taken by wearable `node`.
    #[inline]
    pub fn add_generated(&mut self, node: u32) {
        debug_assert!(node < self.first_gateway, "only wearables take samples");
        self.edge[node as usize].generated_or_received += 1;
    }

    /// A packet received by `node` (not a wearable).
    #[inline]
    pub fn add_received(&mut self, node: u32) {
        debug_assert!(node >= self.first_gateway, "wearables receive nothing");
        self.update(node, |received, _, _, _, _| *received += 1);
    }

    /// A packet sent successfully by `node`.
    #[inline]
    pub fn add_sent(&mut self, node: u32) {
        self.update(node, |_, sent, _, _, _| *sent += 1);
    }

    /// `samples` samples dropped at `node`.
    #[inline]
    pub fn add_dropped(&mut self, node: u32, samples: u64) {
        self.update(node, |_, _, dropped, _, _| *dropped += samples);
    }

    /// A retransmission by `node`.
    #[inline]
    pub fn add_retransmission(&mut self, node: u32) {
        self.update(node, |_, _, _, retransmissions, _| *retransmissions += 1);
    }

    /// `bytes` put on the wire by `node`.
    #[inline]
    pub fn add_bytes_sent(&mut self, node: u32, bytes: u64) {
        self.update(node, |_, _, _, _, sent| *sent += bytes);
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
    /// Samples dropped, by [`DropCause`] index.
    pub dropped: [u64; 4],
    /// End-to-end latency of delivered samples (taken → at the remote cloud).
    pub end_to_end: LatencyStats,
    /// Per-hop latency (handed to the link → at its far end), by [`LinkClass`] index; a batch counts once.
    pub hop: [LatencyStats; 4],
    /// Time samples waited in a cloudlet's batch.
    pub batch_wait: LatencyStats,
    /// Time samples waited in a gateway's encryption batch (crypto batch mode).
    pub gateway_batch_wait: LatencyStats,
}

impl Metrics {
    /// Total samples dropped.
    pub fn dropped_total(&self) -> u64 {
        self.dropped.iter().sum()
    }

    /// Per-hop latency of one link class.
    pub fn hop(&self, class: LinkClass) -> &LatencyStats {
        &self.hop[class.index()]
    }
}
