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
use crate::chain::state::{Chain, ChainCtx, ChainEvent};
use crate::chain::topology::Topology;
use crate::chain::{CloudletIx, LinkClass, LinkId, PacketId, PatientId};
use crate::energy::RadioProfile;
use crate::kernel::{Scheduler, SimTime};
use crate::scenario::ModelConfig;

/// Handover state of every gateway and its counters.
#[derive(Debug, Clone)]
pub struct Moves {
    /// Per patient: when its current handover ends (`ZERO`: none under way).
    held_until: Vec<SimTime>,
    /// Per patient: its access link's head waits for the handover's end (no attempt scheduled).
    stalled: Vec<bool>,
    /// `handover_policy = "drop"`.
    drop_during: bool,
    /// Cloudlet positions, m.
    cloudlet_pos: Vec<(f64, f64)>,
    /// The access radio profile (transmit energy follows the distance).
    radio: RadioProfile,
    /// Fixed access distance of the class, if any.
    fixed_distance_m: Option<f64>,
    /// Counters.
    pub counts: HandoverCounts,
}

/// What handovers did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HandoverCounts {
    /// Handovers started (instant re-attachments included).
    pub handovers: u64,
    /// Packets waiting in a gateway's access queue when its handover started, sent to the new cloudlet.
    pub rerouted: u64,
    /// Samples offered to an access link during a handover and buffered.
    pub buffered: u64,
    /// Samples offered during a handover and dropped.
    pub dropped: u64,
}

impl Moves {
    /// The handover state for `cfg` on `topo`; `drop_during` under `handover_policy = "drop"`.
    pub fn new(cfg: &ModelConfig, topo: &Topology, drop_during: bool) -> Self {
        Moves {
            held_until: vec![SimTime::ZERO; topo.patients as usize],
            stalled: vec![false; topo.patients as usize],
            drop_during,
            cloudlet_pos: (0..topo.cloudlets)
                .map(|c| {
                    let n = topo.node(topo.cloudlet_node(CloudletIx(c)));
                    (n.x_m, n.y_m)
                })
                .collect(),
            radio: cfg.energy.radio[LinkClass::Access].clone(),
            fixed_distance_m: cfg.link(LinkClass::Access).distance_m,
            counts: HandoverCounts::default(),
        }
    }

    /// Cloudlet positions, m.
    pub fn cloudlet_pos(&self) -> &[(f64, f64)] {
        &self.cloudlet_pos
    }
}

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
