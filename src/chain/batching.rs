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

    /// Adds a sample, or every sample of a batch, to node `node`'s batch; it is ready to leave at `ready` (a
    /// cloudlet's cores may still be opening it). A batch leaves when its interval is up or it is full, and goes on
    /// air once all its samples are ready.
    pub(super) fn add_to_batch<E: From<ChainEvent>>(
        &mut self,
        node: NodeId,
        packet: PacketId,
        ready: SimTime,
        sched: &mut Scheduler<E>,
    ) {
        let packets = &mut self.chain.packets;
        let p = packets.get(packet);
        if p.is_batch() {
            let mut at = p.first_child;
            packets.remove(packet);
            while !at.is_nil() {
                let next = self.chain.packets.get(at).next;
                self.add_sample_to_batch(node, at, ready, sched);
                at = next;
            }
        } else {
            self.add_sample_to_batch(node, packet, ready, sched);
        }
    }

    fn add_sample_to_batch<E: From<ChainEvent>>(
        &mut self,
        node: NodeId,
        packet: PacketId,
        ready: SimTime,
        sched: &mut Scheduler<E>,
    ) {
        let now = sched.now();
        let bytes = {
            let p = self.chain.packets.get_mut(packet);
            p.hop_start = ready.max(now);
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

    /// The batch of node `node` leaves as one packet (sealed first at a gateway in crypto batch mode, and ready for its
    /// link once sealed).
    fn flush_batch<E: From<ChainEvent>>(&mut self, node: NodeId, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let at_gateway = node < self.chain.first_cloudlet;
        let (b, _, _) = self.batch_of(node);
        let taken = std::mem::take(b);
        let c = &mut *self.chain;
        let wait = if at_gateway { &mut c.metrics.gateway_batch_wait } else { &mut c.metrics.batch_wait };
        // Each sample waited from when it was ready (opened) to now; the batch goes on air once its last one is ready.
        let mut ready = now;
        let mut at = taken.head;
        while !at.is_nil() {
            let p = c.packets.get(at);
            if p.created >= c.warmup {
                wait.record(now.saturating_sub(p.hop_start));
            }
            ready = ready.max(p.hop_start);
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
            if self.uplink_full(node) {
                self.drop_packet(batch, node, DropCause::BufferFull);
                return;
            }
            let gateway = node.since(self.chain.first_gateway) as usize;
            let sealing = self.crypto.seal_batch(gateway, payload as u64);
            match self.run_sealing(node, gateway, batch, sealing, now) {
                Some(done) => ready = done,
                None => {
                    self.drop_packet(batch, node, DropCause::DeadNode);
                    return;
                }
            }
        } else {
            ready = self.seal_record(node, batch, ready, now);
        }
        self.send_ready(batch, self.chain.uplinks.of(node), ready, sched);
    }
}
