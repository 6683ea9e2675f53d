//! Re-attachment: a patient's gateway moves its access link to another cloudlet (a handover after moving out of
//! range, a `min_delay` choice, or its cloudlet's death). The access link keeps its id, queue and random streams;
//! its far end, transmit energy (the new distance under the access radio profile), mean path loss (under
//! `loss_model = "channel"`) and, under the 802.11 DCF, both cells' contention follow the new cloudlet.
//!
//! A handover lasts `mobility.handover_s` (802.11 re-association): meanwhile the link sends nothing. A frame already
//! on air completes (to the new cloudlet: the far end switches when the handover starts); packets waiting in the
//! gateway's queue are rerouted to the new cloudlet once it ends (counted); samples offered meanwhile wait with them
//! (`handover_policy = "buffer"`, up to the link's buffer) or are dropped (`"drop"`, drop cause `handover`).

use crate::chain::metrics::DropCause;
pub use crate::chain::moves::{HandoverCounts, Moves};
use crate::chain::state::{Chain, ChainCtx, ChainEvent};
use crate::chain::{CloudletIx, LinkClass, LinkId, PacketId, PatientId};
use crate::kernel::{Scheduler, SimTime};

impl Chain {
    /// Turns on handovers and re-attachment.
    pub fn enable_moves(&mut self, moves: Moves) {
        self.moves = Some(Box::new(moves));
    }

    /// Handover counters (`None` when off).
    pub fn handover_counts(&self) -> Option<HandoverCounts> {
        self.moves.as_ref().map(|m| m.counts)
    }

    /// Node `node`'s next link toward the remote cloud now (routes change when phone cloudlets die).
    pub fn uplink_of(&self, node: crate::chain::NodeId) -> LinkId {
        self.uplinks.of(node)
    }

    /// Link `link`'s end nodes now (an access link's far end changes with handovers).
    pub fn link_ends(&self, link: LinkId) -> (crate::chain::NodeId, crate::chain::NodeId) {
        let e = self.links.ends(link);
        (e.src, e.dst)
    }

    /// Patient `p`'s cloudlet now.
    pub fn attached_cloudlet(&self, p: PatientId) -> CloudletIx {
        let link = LinkId(self.first_gateway.get() + p.0);
        self.cloudlet_of(self.links.ends(link).dst)
    }

    /// Whether access link `link` is held by a handover at `now`; marks its head as waiting if so.
    pub(super) fn hold_for_handover(&mut self, link: LinkId, now: SimTime) -> bool {
        let p = link.get() - self.first_gateway.get();
        let m = self.moves.as_mut().expect("checked by the caller");
        let held = m.held_until[p as usize] > now;
        if held {
            m.stalled[p as usize] = true;
        }
        held
    }
}

impl ChainCtx<'_> {
    /// Whether a handover refuses `packet` offered to `link` at `now` (dropped under the `drop` policy; counted as
    /// buffered under `buffer`).
    pub(super) fn handover_refuses(&mut self, packet: PacketId, link: LinkId, now: SimTime) -> bool {
        let c = &mut *self.chain;
        if link == crate::chain::topology::NO_LINK {
            // A cloudlet cut off from the cloud by deaths (see `super::reroute`).
            let prev = c.packets.get(packet).link;
            let at = if prev == crate::chain::topology::NO_LINK {
                c.packets.get(packet).origin
            } else {
                c.links.ends(prev).dst
            };
            self.drop_packet(packet, at, DropCause::NoRoute);
            return true;
        }
        let Some(p) = link.get().checked_sub(c.first_gateway.get()).filter(|_| link < c.first_cloudlet_link()) else {
            return false;
        };
        let m = c.moves.as_mut().expect("checked by the caller");
        if m.held_until[p as usize] <= now {
            return false;
        }
        if m.drop_during {
            m.counts.dropped += 1;
            self.drop_packet(packet, crate::chain::NodeId(link.get()), DropCause::Handover);
            return true;
        }
        m.counts.buffered += 1;
        false
    }

    /// Re-attaches patient `p`'s gateway, standing at `pos`, to cloudlet `to` at `now`; its access link sends
    /// nothing for `handover` (zero: at once). Returns when the handover ends (the caller schedules its end there,
    /// which calls [`ChainCtx::end_handover`]).
    pub fn reattach(
        &mut self,
        p: PatientId,
        to: CloudletIx,
        pos: (f64, f64),
        handover: SimTime,
        now: SimTime,
    ) -> SimTime {
        let c = &mut *self.chain;
        let link = LinkId(c.first_gateway.get() + p.0);
        let from = c.attached_cloudlet(p);
        let m = c.moves.as_mut().expect("re-attachment needs the handover state");
        let cp = m.cloudlet_pos[to.index()];
        let distance_m = m.fixed_distance_m.unwrap_or_else(|| (pos.0 - cp.0).hypot(pos.1 - cp.1));
        m.counts.handovers += 1;
        let q = c.links.queue(link);
        m.counts.rerouted += u64::from(q.waiting);
        let end = now + handover;
        m.held_until[p.index()] = m.held_until[p.index()].max(end);
        c.links.reattach(p.index(), to.get(), m.radio.tx_j_per_bit(distance_m));
        if let Some(dcf) = &mut c.access {
            if from != to {
                dcf.reattach(from.index(), to.index());
            }
        }
        if let (Some(ch), crate::chain::channel::LossModel::Channel(spec)) =
            (c.channel.get_mut(link.index()), &c.params[LinkClass::Access].spec.loss)
        {
            ch.path_loss_db = spec.mean_path_loss_db(distance_m) as f32;
        }
        m.held_until[p.index()]
    }

    /// Patient `p`'s handover may be over at `now`: if so, a head left waiting starts its attempt.
    pub fn end_handover<E: From<ChainEvent>>(&mut self, p: PatientId, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let c = &mut *self.chain;
        let link = LinkId(c.first_gateway.get() + p.0);
        let m = c.moves.as_mut().expect("a handover needs the handover state");
        if m.held_until[p.index()] > now || !m.stalled[p.index()] {
            return;
        }
        m.stalled[p.index()] = false;
        if c.links.queue(link).busy() {
            self.start_tx(link, false, sched);
        }
    }
}

impl ChainCtx<'_> {
    /// Whether node `node` is alive at `now`.
    pub fn node_alive(&self, node: crate::chain::NodeId, now: SimTime) -> bool {
        self.energy.alive(node, now)
    }

    /// Charges `joules` of control traffic (load advertisements) to node `node`'s radio `account` at `now`.
    pub fn charge_control(
        &mut self,
        node: crate::chain::NodeId,
        account: crate::energy::ledger::Account,
        joules: f64,
        now: SimTime,
    ) -> bool {
        self.energy.charge(node, account, joules, now)
    }
}

impl Chain {
    /// The first core link's id (= the first cloudlet's node id).
    fn first_cloudlet_link(&self) -> LinkId {
        LinkId(self.first_cloudlet.get())
    }
}
