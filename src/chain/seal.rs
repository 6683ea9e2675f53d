//! Where the chain seals and opens body data: a sample (or a gateway's batch) is sealed by its sender, paying the
//! scheme's cycles from its battery, and opened at its cloudlet. Both occupy the node's processor
//! ([`crate::crypto::processor`]): the packet is ready for its next link when the work ends. The costs and sizes come
//! from [`crate::crypto::sealing`]; in real-crypto mode the packet carries real ciphertext, checked when opened.

use crate::chain::packet::{FLAG_ENCRYPTED, FLAG_KEM, NIL};
use crate::chain::state::{Chain, ChainCtx};
use crate::chain::{NodeId, PacketId};
use crate::crypto::processor::Cpu;
use crate::crypto::sealing::Sealing;
use crate::crypto::CryptoAt;
use crate::kernel::SimTime;

impl ChainCtx<'_> {
    /// Seals one sample at `node` (sender index `sender`): when it is sealed, or `None` if the node died trying.
    pub(super) fn seal_sample(
        &mut self,
        node: NodeId,
        sender: usize,
        packet: PacketId,
        now: SimTime,
    ) -> Option<SimTime> {
        if !self.crypto.spec.encrypts() {
            return Some(now);
        }
        let bytes = self.chain.packets.get(packet).payload_bytes;
        let sealing = self.crypto.seal_sample(sender, bytes, now);
        self.run_sealing(node, sender, packet, sealing, now)
    }

    /// Pays and runs `sealing` of `packet` on sender `node`'s processor (sender index `sender`): when it is done, or
    /// `None` if the node died trying.
    pub(super) fn run_sealing(
        &mut self,
        node: NodeId,
        sender: usize,
        packet: PacketId,
        sealing: Sealing,
        now: SimTime,
    ) -> Option<SimTime> {
        if !self.energy.charge_cycles(node, sealing.cycles, now) {
            return None;
        }
        let cpu = match self.crypto.spec.at {
            CryptoAt::Wearable => Cpu::Wearable,
            CryptoAt::Gateway => Cpu::Gateway,
        };
        let free = self.processor_free_at(node, now);
        let done = self.crypto.processors.run_after(cpu, sender, sealing.cycles, now, free);
        self.apply_sealing(node, packet, sealing);
        Some(done)
    }

    /// When sender `node`'s processor is free of the packets it prepared before: the last one was ready then, and
    /// it is its uplink's queue tail while it has not left (every packet the sender prepares goes on that link, in
    /// order, and leaves no sooner than it is ready); with the queue empty the processor is idle (`now`).
    pub(super) fn processor_free_at(&self, node: NodeId, now: SimTime) -> SimTime {
        let q = self.chain.links.queue(self.chain.uplinks.of(node));
        if q.busy() {
            self.chain.packets.get(q.tail).hop_start
        } else {
            now
        }
    }

    /// Marks `packet` sealed by `node` and grows it by the sealing's overhead (real mode: seals its plaintext).
    fn apply_sealing(&mut self, node: NodeId, packet: PacketId, sealing: Sealing) {
        if self.crypto.real_enabled() {
            self.chain.expected_plaintext(packet);
            self.crypto.real_seal(packet, node, &self.chain.scratch, sealing.kem);
        }
        let p = self.chain.packets.get_mut(packet);
        p.payload_bytes += sealing.extra_bytes;
        p.flags |= FLAG_ENCRYPTED | if sealing.kem { FLAG_KEM } else { 0 };
    }

    /// Opens a sealed packet at cloudlet node `node`: charge decryption (server cycles) and run it on one of the
    /// cloudlet's cores, check real ciphertext, restore plaintext size. Returns when the packet is open.
    pub(super) fn open_at_cloudlet(&mut self, node: NodeId, packet: PacketId, now: SimTime) -> SimTime {
        let plaintext = self.chain.plaintext_bytes(packet, self.crypto.spec.batch_header_bytes);
        let p = self.chain.packets.get(packet);
        let cycles = self.crypto.open_cycles(plaintext, p.flags & FLAG_KEM != 0);
        self.energy.charge_cycles(node, cycles, now);
        let cloudlet = node.since(self.chain.first_cloudlet) as usize;
        let done = self.crypto.processors.run(cloudlet, cycles, now);
        if self.crypto.real_enabled() {
            self.chain.expected_plaintext(packet);
            self.crypto.real_open(packet, &self.chain.scratch);
        }
        let p = self.chain.packets.get_mut(packet);
        p.payload_bytes = plaintext.min(u32::MAX as u64) as u32;
        p.flags = 0;
        done
    }
}

impl Chain {
    /// Real mode: the plaintext a packet stands for, into `self.scratch`.
    fn expected_plaintext(&mut self, packet: PacketId) {
        self.scratch.clear();
        let p = self.packets.get(packet);
        let mut at = if p.is_batch() { p.first_child } else { packet };
        while !at.is_nil() {
            let s = self.packets.get(at);
            crate::crypto::sealing::sample_plaintext(
                s.origin,
                s.sensor,
                s.created,
                self.sensors[s.sensor as usize].sample_bytes,
                &mut self.scratch,
            );
            at = if p.is_batch() { s.next } else { NIL };
        }
    }

    /// Plaintext bytes of a packet: a sample's size, or a batch's samples plus its framing (`batch_header_bytes`).
    fn plaintext_bytes(&self, packet: PacketId, batch_header_bytes: u32) -> u64 {
        let p = self.packets.get(packet);
        if !p.is_batch() {
            return self.sensors[p.sensor as usize].sample_bytes as u64;
        }
        let mut sum = batch_header_bytes as u64;
        let mut at = p.first_child;
        while !at.is_nil() {
            let c = self.packets.get(at);
            sum += c.payload_bytes as u64;
            at = c.next;
        }
        sum
    }
}
