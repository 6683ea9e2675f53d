//! Where the chain signs and verifies patients' uploads (`signatures.uploads`): the sender signs an upload after
//! sealing it, on the same processor (first come, first served), paying the profile's Cortex-M4 cycles from its
//! battery; the signature's bytes ride on the packet; the cloudlet verifies it on one of its cores and strips it.
//! Costs and counters are in [`crate::signatures::upload`]; the model is in docs/model.md §15.

use crate::chain::state::ChainCtx;
use crate::chain::{NodeId, PacketId};
use crate::kernel::SimTime;

impl ChainCtx<'_> {
    /// Whether uploads are signed at the gateways (`gateway`) or at the wearables (`!gateway`): where they are
    /// sealed (`crypto.at`), with upload signing on.
    pub(super) fn signs_at(&self, gateway: bool) -> bool {
        self.signing.as_ref().is_some_and(|s| (s.at == crate::crypto::CryptoAt::Gateway) == gateway)
    }

    /// Signs `packet` at `node`, the packet being sealed (ready) at `ready`: when the signed packet is ready, or
    /// `None` if the node died paying. Without upload signing, `ready`.
    pub(super) fn sign_upload(
        &mut self,
        node: NodeId,
        packet: PacketId,
        ready: SimTime,
        now: SimTime,
    ) -> Option<SimTime> {
        if self.signing.is_none() {
            return Some(ready);
        }
        // The processor is free of earlier packets as for sealing; the sealing of this packet, if any, ended at
        // `ready`.
        let free = self.processor_free_at(node, now);
        let s = self.signing.as_deref_mut()?;
        let joules = s.sign_cycles * self.energy.kind(node).j_per_cycle;
        if !self.energy.charge_cycles(node, s.sign_cycles, now) {
            return None;
        }
        let done = s.sign(now, ready, free, joules);
        self.chain.packets.get_mut(packet).payload_bytes += s.signature_bytes;
        Some(done)
    }

    /// Verifies the signature of upload `packet` at cloudlet node `node` on one of its cores, handed over at `now`,
    /// and strips it (before the packet is opened); returns when the verification ends and the energy it took
    /// (`None` without upload signing).
    pub(super) fn verify_upload(&mut self, node: NodeId, packet: PacketId, now: SimTime) -> Option<(SimTime, f64)> {
        let s = self.signing.as_deref_mut()?;
        let joules = s.verify_cycles * self.energy.kind(node).j_per_cycle;
        self.energy.charge_cycles(node, s.verify_cycles, now);
        let cloudlet = self.chain.cloudlet_of(node);
        let (done, _) = self.crypto.processors.run_uncounted(cloudlet.index(), s.verify_cycles, now);
        let p = self.chain.packets.get_mut(packet);
        p.payload_bytes = p.payload_bytes.saturating_sub(s.signature_bytes);
        Some((done, joules))
    }

    /// The upload verified by [`Self::verify_upload`] (`verified`) and opened at `opened` (`now` if it was not
    /// sealed): counted; returns when it may go on.
    pub(super) fn upload_verified(&mut self, verified: Option<(SimTime, f64)>, opened: SimTime) -> SimTime {
        match (verified, self.signing.as_deref_mut()) {
            (Some((done, joules)), Some(s)) => s.verified(true, done, opened, joules),
            _ => opened,
        }
    }
}
