//! Where the chain seals and opens body data: a sample (or a gateway's batch) is sealed by its sender, paying the
//! scheme's cycles from its battery, and opened at its cloudlet. The costs and sizes come from
//! [`crate::crypto::sealing`]; in real-crypto mode the packet carries real ciphertext, checked when opened.

use crate::chain::packet::{FLAG_ENCRYPTED, FLAG_KEM, NIL};
use crate::chain::state::{Chain, ChainCtx};
use crate::chain::{NodeId, PacketId};
use crate::crypto::sealing::Sealing;
use crate::kernel::SimTime;

impl ChainCtx<'_> {
    /// Seals one sample at `node` (sender index `sender`); `false` if the node died trying.
    pub(super) fn seal_sample(&mut self, node: NodeId, sender: usize, packet: PacketId, now: SimTime) -> bool {
        if !self.crypto.spec.encrypts() {
            return true;
        }
        let bytes = self.chain.packets.get(packet).payload_bytes;
        let sealing = self.crypto.seal_sample(sender, bytes, now);
        if !self.energy.charge_cycles(node, sealing.cycles, now) {
            return false;
        }
        self.apply_sealing(node, packet, sealing);
        true
    }

    /// Marks `packet` sealed by `node` and grows it by the sealing's overhead (real mode: seals its plaintext).
    pub(super) fn apply_sealing(&mut self, node: NodeId, packet: PacketId, sealing: Sealing) {
        if self.crypto.real_enabled() {
            self.chain.expected_plaintext(packet);
            self.crypto.real_seal(packet, node, &self.chain.scratch, sealing.kem);
        }
        let p = self.chain.packets.get_mut(packet);
        p.payload_bytes += sealing.extra_bytes;
        p.flags |= FLAG_ENCRYPTED | if sealing.kem { FLAG_KEM } else { 0 };
    }

    /// Opens a sealed packet at cloudlet node `node`: charge decryption, check real ciphertext, restore plaintext size.
    pub(super) fn open_at_cloudlet(&mut self, node: NodeId, packet: PacketId, now: SimTime) {
        let plaintext = self.chain.plaintext_bytes(packet, self.crypto.spec.batch_header_bytes);
        let p = self.chain.packets.get(packet);
        let cycles = self.crypto.open_cycles(plaintext, p.flags & FLAG_KEM != 0);
        self.energy.charge_cycles(node, cycles, now);
        if self.crypto.real_enabled() {
            self.chain.expected_plaintext(packet);
            self.crypto.real_open(packet, &self.chain.scratch);
        }
        let p = self.chain.packets.get_mut(packet);
        p.payload_bytes = plaintext.min(u32::MAX as u64) as u32;
        p.flags = 0;
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
