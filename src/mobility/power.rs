//! Phone cloudlets' deaths (`cloudlet_power.source = "battery"`): a cloudlet whose battery is empty leaves the mesh
//! ([`crate::chain::reroute`]: routes recomputed on the survivors, its queued samples lost), and its patients
//! re-attach to a live cloudlet in range (with a handover) or are cut off.

use super::state::MobilityState;
use crate::chain::{ChainCtx, ChainEvent, CloudletIx, PatientId};
use crate::kernel::Scheduler;

impl MobilityState {
    /// Looks for cloudlets that have died since the last look (after every event, with phone cloudlets) and takes
    /// them out of the mesh.
    pub fn after_event<E: From<super::state::MobilityEvent> + From<ChainEvent>>(
        &mut self,
        chain: &mut ChainCtx,
        sched: &mut Scheduler<E>,
    ) {
        if self.core.is_none() {
            return;
        }
        let now = sched.now();
        for c in (0..self.cloudlet_pos.len() as u32).map(CloudletIx) {
            if self.alive(c) && !chain.node_alive(chain.chain().cloudlet_node(c), now) {
                self.died(chain, c, sched);
            }
        }
    }

    /// Cloudlet `c` has died: out of the mesh, and its patients re-attached or cut off.
    fn died<E: From<super::state::MobilityEvent> + From<ChainEvent>>(
        &mut self,
        chain: &mut ChainCtx,
        c: CloudletIx,
        sched: &mut Scheduler<E>,
    ) {
        let now = sched.now();
        let core = self.core.as_mut().expect("checked by the caller");
        self.counts.lost_at_death += chain.cloudlet_died(c, core, sched);
        self.counts.deaths.push((c.get(), now));
        for p in (0..self.pos.len() as u32).map(PatientId) {
            if chain.chain().attached_cloudlet(p) != c {
                continue;
            }
            match self.forced_choice(chain, p) {
                Some(to) => {
                    self.counts.reattached_after_death += 1;
                    self.hand_over(chain, p, to, sched);
                }
                None => self.counts.cut_off += 1,
            }
        }
    }
}
