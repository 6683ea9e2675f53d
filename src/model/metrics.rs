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
