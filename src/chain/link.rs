//! Links: one packet in transmission at a time, a finite FIFO buffer behind it, losses with link-layer retries.
//!
//! A packet of `b` payload bytes plus the class's `h` header bytes occupies a link for `8·(b+h)/bandwidth`; a lost
//! attempt (probability `loss_prob`, drawn from the link's own random stream) is retransmitted at once, up to
//! `max_retries` times, after which the packet is dropped. A successful packet reaches the far end `latency` later.

use crate::chain::{LinkClass, LinkId, LinkSpec, NodeId, PacketId};
use crate::kernel::{prefetch, EntityRng, SimTime};

use super::packet::NIL;
use super::topology::{LinkEnds, Topology};

/// A link's transmit queue: the packet being transmitted and those waiting behind it, chained through packets'
/// `next`.
#[derive(Debug, Clone, Copy)]
pub struct LinkQueue {
    /// The packet being transmitted (`NIL` when idle).
    pub head: PacketId,
    /// Last packet of the queue.
    pub tail: PacketId,
    /// Packets waiting behind the head.
    pub waiting: u32,
}

impl Default for LinkQueue {
    fn default() -> Self {
        LinkQueue { head: NIL, tail: NIL, waiting: 0 }
    }
}

impl LinkQueue {
    /// Whether a packet is being transmitted.
    #[inline]
    pub fn busy(&self) -> bool {
        self.head != NIL
    }
}

/// The dynamic state of a wearable's BAN link or a gateway's access link: its ends, class and energy per bit follow
/// from the link id (see [`Links::ends`]).
#[derive(Debug, Clone)]
pub struct EdgeLink {
    /// Loss draws.
    pub rng: EntityRng,
    /// Transmit queue.
    pub queue: LinkQueue,
}

/// The state of a mesh or WAN link.
#[derive(Debug, Clone)]
pub struct CoreLink {
    /// Loss draws.
    pub rng: EntityRng,
    /// Transmit queue.
    pub queue: LinkQueue,
    /// Ends, class and energy per bit.
    pub ends: Ends,
}

/// What does not change about a link: its ends, class and transmit energy.
#[derive(Debug, Clone, Copy)]
pub struct Ends {
    /// Sending node.
    pub src: NodeId,
    /// Receiving node.
    pub dst: NodeId,
    /// Class.
    pub class: LinkClass,
    /// Radio energy per transmitted bit over this link's distance, J/bit.
    pub tx_j_per_bit: f64,
}

/// Every link's state, by link id (laid out as in [`super::topology`]): BAN and access links in one compact array,
/// whose ends follow from the id, and the few core links with their ends stored.
#[derive(Debug, Clone)]
pub struct Links {
    edge: Vec<EdgeLink>,
    core: Vec<CoreLink>,
    /// Wearables (= the first access link and the first gateway's node id).
    wearables: u32,
    /// Wearables plus patients (= the first core link and the first cloudlet's node id).
    first_core: u32,
    wearables_per_patient: u32,
    /// Each patient's cloudlet.
    cloudlet_of_patient: Vec<u32>,
    /// Every BAN link's transmit energy, J/bit (they all have the same length).
    ban_tx_j_per_bit: f64,
    /// Each access link's transmit energy, J/bit.
    access_tx_j_per_bit: Vec<f64>,
}

impl Links {
    /// Links of `topo`, each with its random stream from `rng(link id, ends)` and its transmit energy from
    /// `tx_j_per_bit(class, distance)`.
    pub fn new(
        topo: &Topology,
        mut rng: impl FnMut(LinkId, &LinkEnds) -> EntityRng,
        tx_j_per_bit: impl Fn(LinkClass, f64) -> f64,
    ) -> Self {
        let first_core = topo.wearables + topo.patients;
        let mut edge = Vec::with_capacity(first_core as usize);
        let mut access_tx_j_per_bit = Vec::with_capacity(topo.patients as usize);
        let mut core = Vec::with_capacity(topo.link_count() - first_core as usize);
        for (id, l) in topo.links().enumerate() {
            let id = id as u32;
            let rng = rng(LinkId(id), &l);
            if id < first_core {
                if l.link.class == LinkClass::Access {
                    access_tx_j_per_bit.push(tx_j_per_bit(l.link.class, l.link.distance_m));
                }
                edge.push(EdgeLink { rng, queue: LinkQueue::default() });
            } else {
                let ends = Ends {
                    src: l.src,
                    dst: l.dst,
                    class: l.link.class,
                    tx_j_per_bit: tx_j_per_bit(l.link.class, l.link.distance_m),
                };
                core.push(CoreLink { rng, queue: LinkQueue::default(), ends });
            }
        }
        Links {
            edge,
            core,
            wearables: topo.wearables,
            first_core,
            wearables_per_patient: topo.wearables_per_patient,
            cloudlet_of_patient: topo.cloudlet_of_patient.clone(),
            ban_tx_j_per_bit: tx_j_per_bit(LinkClass::Ban, topo.ban_distance_m),
            access_tx_j_per_bit,
        }
    }

    /// Link `link`'s ends, class and transmit energy.
    #[inline]
    pub fn ends(&self, link: LinkId) -> Ends {
        let link = link.0;
        if link < self.wearables {
            Ends {
                src: NodeId(link),
                dst: NodeId(self.wearables + link / self.wearables_per_patient),
                class: LinkClass::Ban,
                tx_j_per_bit: self.ban_tx_j_per_bit,
            }
        } else if link < self.first_core {
            let p = (link - self.wearables) as usize;
            Ends {
                src: NodeId(link),
                dst: NodeId(self.first_core + self.cloudlet_of_patient[p]),
                class: LinkClass::Access,
                tx_j_per_bit: self.access_tx_j_per_bit[p],
            }
        } else {
            self.core[(link - self.first_core) as usize].ends
        }
    }

    /// Points patient `p`'s access link at cloudlet `cloudlet`, with transmit energy `tx_j_per_bit` (a handover;
    /// see [`super::reattach`]).
    pub(super) fn reattach(&mut self, p: usize, cloudlet: u32, tx_j_per_bit: f64) {
        self.cloudlet_of_patient[p] = cloudlet;
        self.access_tx_j_per_bit[p] = tx_j_per_bit;
    }

    /// Link `link`'s transmit queue.
    #[inline]
    pub fn queue(&self, link: LinkId) -> &LinkQueue {
        match link.0.checked_sub(self.first_core) {
            None => &self.edge[link.index()].queue,
            Some(c) => &self.core[c as usize].queue,
        }
    }

    /// The link holding the most packets (being sent or waiting), lowest id first among equals, and that number;
    /// `None` when every link is idle. One pass over the links.
    pub fn busiest(&self) -> Option<(LinkId, u32)> {
        let held = |q: &LinkQueue| u32::from(q.busy()) + q.waiting;
        let edge = self.edge.iter().map(|l| held(&l.queue));
        let core = self.core.iter().map(|l| held(&l.queue));
        let mut best: Option<(LinkId, u32)> = None;
        for (id, n) in edge.chain(core).enumerate() {
            if n > best.map_or(0, |b| b.1) {
                best = Some((LinkId(id as u32), n));
            }
        }
        best
    }

    /// Link `link`'s transmit queue, to change.
    #[inline]
    pub fn queue_mut(&mut self, link: LinkId) -> &mut LinkQueue {
        match link.0.checked_sub(self.first_core) {
            None => &mut self.edge[link.index()].queue,
            Some(c) => &mut self.core[c as usize].queue,
        }
    }

    /// Starts loading link `link`'s state into the cache.
    #[inline]
    pub fn prefetch(&self, link: LinkId) {
        match link.0.checked_sub(self.first_core) {
            None => prefetch(&self.edge[link.index()]),
            Some(c) => prefetch(&self.core[c as usize]),
        }
    }

    /// Link `link`'s loss stream.
    #[inline]
    pub fn rng_mut(&mut self, link: LinkId) -> &mut EntityRng {
        match link.0.checked_sub(self.first_core) {
            None => &mut self.edge[link.index()].rng,
            Some(c) => &mut self.core[c as usize].rng,
        }
    }
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::kernel::StreamFactory;

    /// The compact table answers, for every link, with the ends, class and energy the topology gives it.
    #[test]
    fn ends_follow_the_topology_for_every_link() {
        let text = "name = \"t\"\n[wearables]\ncount = 7\nper_patient = 3\n[cloudlets]\ncount = 4\nmesh = \"ring\"\n\
                    wan_gateways = [0, 2]\n";
        let cfg = crate::scenario::load_str(text, Path::new("t.toml"), &[]).expect("valid scenario").config;
        let streams = StreamFactory::new(cfg.seed, 0);
        let topo = Topology::build(&cfg, &streams).expect("connected");
        let energy = |class: LinkClass, d: f64| cfg.energy.radio[class].tx_j_per_bit(d);
        let links = Links::new(&topo, |id, _| streams.stream(0, u64::from(id.get())), energy);
        assert_eq!(topo.link_count(), 7 + 3 + 2 * 4 + 2 * 2);
        for (id, l) in topo.links().enumerate() {
            let e = links.ends(LinkId(id as u32));
            assert_eq!((e.src, e.dst, e.class), (l.src, l.dst, l.link.class), "link {id}");
            assert_eq!(e.tx_j_per_bit, energy(l.link.class, l.link.distance_m), "link {id}");
        }
        // A wearable's and a gateway's uplink is the link with its own id.
        for node in 0..7 + 3 {
            let (n, l) = (NodeId(node), LinkId(node));
            assert_eq!((topo.uplink(n), topo.link(l).src), (l, n));
        }
    }
}
