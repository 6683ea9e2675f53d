//! The handover state the chain keeps for [`super::reattach`]: per gateway, when its handover ends and whether its
//! access link's head waits for it; what the re-attachment needs (cloudlet positions, the access radio); counters.

use crate::chain::topology::Topology;
use crate::chain::{CloudletIx, LinkClass};
use crate::energy::RadioProfile;
use crate::kernel::SimTime;
use crate::scenario::ModelConfig;

/// Handover state of every gateway and its counters.
#[derive(Debug, Clone)]
pub struct Moves {
    /// Per patient: when its current handover ends (`ZERO`: none under way).
    pub(super) held_until: Vec<SimTime>,
    /// Per patient: its access link's head waits for the handover's end (no attempt scheduled).
    pub(super) stalled: Vec<bool>,
    /// `handover_policy = "drop"`.
    pub(super) drop_during: bool,
    /// Cloudlet positions, m.
    pub(super) cloudlet_pos: Vec<(f64, f64)>,
    /// The access radio profile (transmit energy follows the distance).
    pub(super) radio: RadioProfile,
    /// Fixed access distance of the class, if any.
    pub(super) fixed_distance_m: Option<f64>,
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
