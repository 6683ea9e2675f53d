//! Packets in flight, of three kinds, each made by its constructor: a sample ([`Packet::sample`]), a batch of
//! samples formed by a cloudlet or, in crypto batch mode, by a BAN gateway ([`Packet::batch`]), and a flood packet of
//! an attack ([`Packet::flood`]); and, in the IDS's `packets` collaboration mode, a summary or verdict packet between
//! IDS nodes ([`Packet::ids_exchange`]), which travels the mesh as a flood packet does.
//!
//! Packets live in a slab and are linked into FIFO queues through their `next` field (a link's queue, or a
//! batch's list of samples), so queueing never allocates.

use slab::Slab;

use crate::chain::{CoreIx, LinkId, NodeId, PacketId};
use crate::kernel::SimTime;

/// "No packet" in a queue or batch field ([`PacketId::NIL`]).
pub const NIL: PacketId = PacketId::NIL;
/// Packet flag: the payload is sealed (encrypted and authenticated).
pub const FLAG_ENCRYPTED: u8 = 1;
/// Packet flag: an encapsulated key travels with the payload.
pub const FLAG_KEM: u8 = 2;
/// Packet flag: attack traffic (a flood packet), not a sample.
pub const FLAG_ATTACK: u8 = 4;
/// Packet flag: its BLE transfer, decided when it started, ends with a PDU out of retries (cleared at its end).
pub const FLAG_LOST: u8 = 8;
/// Packet flag (with [`FLAG_ATTACK`], so that the chain hands it back as it does attack traffic): an IDS summary or
/// verdict packet (`ids.collaboration.mode = "packets"`).
pub const FLAG_IDS: u8 = 16;
/// Packet flag, with [`FLAG_IDS`]: a verdict packet (an IDS node's verdict back to the entry cloudlet); without it, a
/// summary packet (the entry cloudlet's summary of an item to an IDS node).
pub const FLAG_VERDICT: u8 = 32;

/// One packet.
#[derive(Debug, Clone)]
pub struct Packet {
    /// When the sample was taken (for a batch: when the batch was formed).
    pub created: SimTime,
    /// When the packet was handed to its current hop (or reached its current node).
    pub hop_start: SimTime,
    /// Payload bytes (a batch: its framing plus its samples' payloads); link headers are added per hop.
    pub payload_bytes: u32,
    /// The node the packet started from: for a sample, the wearable that took it; for a batch, the gateway or
    /// cloudlet that formed it; for a flood packet, the cloudlet it entered the mesh at.
    pub origin: NodeId,
    /// Next packet in the queue or batch this packet belongs to.
    pub next: PacketId,
    /// For a batch: its first sample (`NIL` for a sample).
    pub first_child: PacketId,
    /// For a batch: how many samples it carries (0 for a sample).
    pub children: u32,
    /// Sensor index of a sample.
    pub sensor: u16,
    /// Failed attempts on the current hop.
    pub retries: u8,
    /// [`FLAG_ENCRYPTED`], [`FLAG_KEM`], [`FLAG_ATTACK`], [`FLAG_LOST`].
    pub flags: u8,
    /// Attack packets: the core node they are aimed at (unused for samples, which all go to the remote cloud).
    pub dst_core: CoreIx,
    /// The link the packet was last offered to (the one it arrives by; [`LinkId::NONE`] before its first hop).
    pub link: LinkId,
}

impl Packet {
    /// A sample of sensor `sensor` taken by wearable `wearable` at `now`, of `payload_bytes` bytes.
    pub fn sample(wearable: NodeId, sensor: u16, payload_bytes: u32, now: SimTime) -> Packet {
        Packet::new(now, payload_bytes, wearable, NIL, 0, sensor, 0, CoreIx(u32::MAX))
    }

    /// A batch formed by node `node` at `now`: `children` samples chained from `first_child`, `payload_bytes` in all
    /// (framing included).
    pub fn batch(node: NodeId, first_child: PacketId, children: u32, payload_bytes: u32, now: SimTime) -> Packet {
        Packet::new(now, payload_bytes, node, first_child, children, 0, 0, CoreIx(u32::MAX))
    }

    /// A flood packet of `payload_bytes` bytes that entered the mesh at cloudlet node `entry` at `now`, aimed at core
    /// node `target`.
    pub fn flood(entry: NodeId, target: CoreIx, payload_bytes: u32, now: SimTime) -> Packet {
        Packet::new(now, payload_bytes, entry, NIL, 0, 0, FLAG_ATTACK, target)
    }

    /// An IDS summary (`verdict` false) or verdict packet of `payload_bytes` bytes sent at `now` from cloudlet node
    /// `from` to core node `to`, about the item numbered `serial`, for IDS slot `slot`. The serial rides in the
    /// `children` field and the slot in `sensor` (neither means anything for a packet that is not a batch or a
    /// sample); [`Packet::ids_tag`] reads them back.
    pub fn ids_exchange(from: NodeId, to: CoreIx, payload_bytes: u32, now: SimTime, tag: (u32, u16, bool)) -> Packet {
        let (serial, slot, verdict) = tag;
        let flags = FLAG_ATTACK | FLAG_IDS | if verdict { FLAG_VERDICT } else { 0 };
        Packet::new(now, payload_bytes, from, NIL, serial, slot, flags, to)
    }

    /// Whether this packet is an IDS summary or verdict packet.
    #[inline]
    pub fn is_ids(&self) -> bool {
        self.flags & FLAG_IDS != 0
    }

    /// An IDS packet's (serial, slot, is a verdict).
    pub fn ids_tag(&self) -> (u32, u16, bool) {
        (self.children, self.sensor, self.flags & FLAG_VERDICT != 0)
    }

    #[allow(clippy::too_many_arguments)]
    fn new(
        now: SimTime,
        payload_bytes: u32,
        origin: NodeId,
        first_child: PacketId,
        children: u32,
        sensor: u16,
        flags: u8,
        dst_core: CoreIx,
    ) -> Packet {
        Packet {
            created: now,
            hop_start: now,
            payload_bytes,
            origin,
            next: NIL,
            first_child,
            children,
            sensor,
            retries: 0,
            flags,
            dst_core,
            link: LinkId::NONE,
        }
    }

    /// Whether this packet is a batch.
    #[inline]
    pub fn is_batch(&self) -> bool {
        self.first_child != NIL
    }
    /// Whether this packet is attack traffic.
    #[inline]
    pub fn is_attack(&self) -> bool {
        self.flags & FLAG_ATTACK != 0
    }
    /// How many samples this packet stands for.
    pub fn samples(&self) -> u64 {
        if self.is_batch() {
            self.children as u64
        } else {
            1
        }
    }
}

/// All packets in flight.
#[derive(Debug, Default)]
pub struct PacketStore {
    slab: Slab<Packet>,
}

impl PacketStore {
    /// Stores `p` and returns its id.
    pub fn insert(&mut self, p: Packet) -> PacketId {
        let id = self.slab.insert(p);
        PacketId(u32::try_from(id).expect("more than 4 billion packets in flight"))
    }
    /// Removes and returns a packet.
    pub fn remove(&mut self, id: PacketId) -> Packet {
        self.slab.remove(id.index())
    }
    /// A packet.
    pub fn get(&self, id: PacketId) -> &Packet {
        &self.slab[id.index()]
    }
    /// Starts loading packet `id` into the cache (if it exists).
    #[inline]
    pub fn prefetch(&self, id: PacketId) {
        if let Some(p) = self.slab.get(id.index()) {
            crate::kernel::prefetch(p);
        }
    }
    /// A packet, mutably.
    pub fn get_mut(&mut self, id: PacketId) -> &mut Packet {
        &mut self.slab[id.index()]
    }
    /// Samples currently in flight anywhere (in queues, on links, in batches), counted independently of the
    /// generated/delivered/dropped counters.
    pub fn samples_in_flight(&self) -> u64 {
        self.slab.iter().filter(|(_, p)| !p.is_batch() && !p.is_attack()).count() as u64
    }
    /// IDS `[summary, verdict]` packets in flight that were sent at or after `since`.
    pub fn ids_in_flight(&self, since: SimTime) -> [u64; 2] {
        let mut n = [0; 2];
        for (_, p) in self.slab.iter().filter(|(_, p)| p.is_ids() && p.created >= since) {
            n[usize::from(p.ids_tag().2)] += 1;
        }
        n
    }
}

#[cfg(test)]
mod tests {
    /// The typed ids keep a packet at its size (48 bytes, as with bare `u32`s).
    #[test]
    fn packet_size_is_unchanged() {
        assert_eq!(std::mem::size_of::<super::Packet>(), 48);
    }
}
