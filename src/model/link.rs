//! Links: one packet in transmission at a time, a finite FIFO buffer behind it, losses with link-layer retries.
//!
//! A packet of `b` payload bytes plus the class's `h` header bytes occupies a link for `8·(b+h)/bandwidth`; a lost
//! attempt (probability `loss_prob`, drawn from the link's own random stream) is retransmitted at once, up to
//! `max_retries` times, after which the packet is dropped. A successful packet reaches the far end `latency` later.

use crate::kernel::{EntityRng, SimTime};
use crate::scenario::{LinkClass, LinkSpec};

use super::packet::NIL;

/// The dynamic state of one directed link.
#[derive(Debug, Clone)]
pub struct LinkState {
    /// Loss draws.
    pub rng: EntityRng,
    /// Sending node.
    pub src: u32,
    /// Receiving node.
    pub dst: u32,
    /// The packet being transmitted (`NIL` when idle); the queue continues through packets' `next`.
    pub head: u32,
    /// Last packet of the queue.
    pub tail: u32,
    /// Packets waiting behind the head.
    pub waiting: u32,
    /// Class.
    pub class: LinkClass,
    /// Radio energy per transmitted bit over this link's distance, J/bit.
    pub tx_j_per_bit: f64,
}

/// What a link's parameters mean per packet, precomputed.
#[derive(Debug, Clone)]
pub struct LinkParams {
    /// The validated parameters.
    pub spec: LinkSpec,
    /// Nanoseconds per byte on the wire.
    ns_per_byte: f64,
}

impl LinkParams {
    /// From validated parameters.
    pub fn new(spec: LinkSpec) -> Self {
        let ns_per_byte = 8.0e9 / spec.bandwidth_bps;
        LinkParams { spec, ns_per_byte }
    }
    /// Bytes on the wire for a payload.
    #[inline]
    pub fn wire_bytes(&self, payload_bytes: u32) -> u64 {
        self.spec.wire_bytes(payload_bytes)
    }
    /// Transmission time of a payload, headers included, rounded to the nearest nanosecond.
    #[inline]
    pub fn tx_time(&self, payload_bytes: u32) -> SimTime {
        SimTime::from_nanos((self.wire_bytes(payload_bytes) as f64 * self.ns_per_byte).round() as u64)
    }
}

/// What happened to a packet offered to a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// The link was idle: transmission starts now.
    Transmit,
    /// Queued behind others.
    Queued,
    /// The buffer was full: the packet must be dropped.
    Full,
}

impl LinkState {
    /// A new idle link.
    pub fn new(rng: EntityRng, src: u32, dst: u32, class: LinkClass, tx_j_per_bit: f64) -> Self {
        LinkState { rng, src, dst, head: NIL, tail: NIL, waiting: 0, class, tx_j_per_bit }
    }

    /// Whether a packet is being transmitted.
    pub fn busy(&self) -> bool {
        self.head != NIL
    }
}
