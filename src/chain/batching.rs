//! The batch handlers: samples join their node's batch ([`BatchBuffer`]), which leaves as one packet when its
//! interval is up or it is full (a cloudlet's store-and-forward, or a gateway's crypto batch, sealed once).

use crate::chain::cloudlet::BatchBuffer;
use crate::chain::metrics::DropCause;
use crate::chain::packet::{Packet, NIL};
use crate::chain::state::{ChainCtx, ChainEvent};
use crate::chain::{NodeId, PacketId};
use crate::kernel::{Scheduler, SimTime};

impl ChainCtx<'_> {
    /// The batch buffer of node `node` (a cloudlet, or a gateway in crypto batch mode), with its interval and limit.
    fn batch_of(&mut self, node: NodeId) -> (&mut BatchBuffer, SimTime, u32) {
        let c = &mut *self.chain;
        if node >= c.first_cloudlet {
            let spec = c.cloudlet_batch.as_ref().expect("cloudlet batching is on");
            (&mut c.cloudlet_batches[node.since(c.first_cloudlet) as usize], spec.interval, spec.max_samples)
        } else {
            (&mut c.gateway_batches[node.since(c.first_gateway) as usize], self.crypto.spec.batch, u32::MAX)
        }
    }

    /// The batch of node `node` may be due: it leaves if it opened one batch interval ago.
    pub fn on_batch_due<E: From<ChainEvent>>(&mut self, node: NodeId, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let (b, interval, _) = self.batch_of(node);
        // A timer is set for each batch as it opens; a batch that left early (full) leaves its timer behind, and a
        // later batch is only due if it opened one interval ago.
        if b.count > 0 && b.opened + interval == now {
            self.flush_batch(node, sched);
        }
    }

    /// Adds a sample, or every sample of a batch, to node `node`'s batch.
    pub(super) fn add_to_batch<E: From<ChainEvent>>(
        &mut self,
        node: NodeId,
        packet: PacketId,
        sched: &mut Scheduler<E>,
    ) {
        let packets = &mut self.chain.packets;
        let p = packets.get(packet);
        if p.is_batch() {
            let mut at = p.first_child;
            packets.remove(packet);
            while !at.is_nil() {
                let next = self.chain.packets.get(at).next;
                self.add_sample_to_batch(node, at, sched);
                at = next;
            }
        } else {
            self.add_sample_to_batch(node, packet, sched);
        }
    }

    fn add_sample_to_batch<E: From<ChainEvent>>(&mut self, node: NodeId, packet: PacketId, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let bytes = {
            let p = self.chain.packets.get_mut(packet);
            p.hop_start = now;
            p.next = NIL;
            p.payload_bytes
        };
        let (b, interval, max) = self.batch_of(node);
        let (was_empty, tail) = (b.count == 0, b.tail);
        if was_empty {
            b.head = packet;
            b.opened = now;
        }
        b.tail = packet;
        b.count += 1;
        b.payload_bytes += bytes as u64;
        let full = b.count >= max;
        if was_empty {
            sched.schedule_in(interval, ChainEvent::BatchDue { node });
        } else {
            self.chain.packets.get_mut(tail).next = packet;
        }
        if full {
            self.flush_batch(node, sched);
        }
    }

    /// The batch of node `node` leaves as one packet (sealed first at a gateway in crypto batch mode).
    fn flush_batch<E: From<ChainEvent>>(&mut self, node: NodeId, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let at_gateway = node < self.chain.first_cloudlet;
        let (b, _, _) = self.batch_of(node);
        let taken = std::mem::take(b);
        let c = &mut *self.chain;
        let wait = if at_gateway { &mut c.metrics.gateway_batch_wait } else { &mut c.metrics.batch_wait };
        let mut at = taken.head;
        while !at.is_nil() {
            let p = c.packets.get(at);
            if p.created >= c.warmup {
                wait.record(now - p.hop_start);
            }
            at = p.next;
        }
        let header = if at_gateway {
            self.crypto.spec.batch_header_bytes
        } else {
            c.cloudlet_batch.as_ref().map_or(0, |b| b.header_bytes)
        };
        let payload = (taken.payload_bytes + header as u64).min(u32::MAX as u64) as u32;
        let batch = c.packets.insert(Packet::batch(node, taken.head, taken.count, payload, now));
        if at_gateway {
            let sealing = self.crypto.seal_batch(payload as u64);
            if !self.energy.charge_cycles(node, sealing.cycles, now) {
                self.drop_packet(batch, node, DropCause::DeadNode);
                return;
            }
            self.apply_sealing(node, batch, sealing);
        }
        self.send(batch, self.chain.uplinks.of(node), sched);
    }
}
