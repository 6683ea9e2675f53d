//! What a gateway's choice of cloudlet rests on under `patients.attach = "min_delay"` (after Quwaider & Jararweh,
//! Simulation Modelling Practice and Theory 50:57-71, 2015: a neighbour cloudlet chosen to minimise end-to-end
//! delay). The estimated delay of an upload of `probe_bytes` through cloudlet `c` is
//!
//! ```text
//!   access(c) + advertised(c) + route(c)
//! ```
//!
//! `access` is one attempt on the access hop (under the 802.11 DCF the expected exchange at `c`'s current
//! contention, otherwise the serialisation time) plus its latency; `advertised` is the queueing `c` last advertised:
//! the packets held by its uplink times that link's serialisation time, plus the wait for its first free core;
//! `route` is the sum over the hops of `c`'s route to the remote cloud of serialisation plus latency (no queueing
//! beyond the first hop: that is what `c` advertises).

use crate::chain::state::ChainCtx;
use crate::chain::topology::NO_LINK;
use crate::chain::{CloudletIx, LinkId, PatientId};
use crate::kernel::SimTime;

impl ChainCtx<'_> {
    /// Serialisation plus latency of `bytes` over link `link`, s.
    fn hop_s(&self, link: LinkId, bytes: u32) -> f64 {
        let p = &self.chain.params[self.chain.links.ends(link).class];
        (p.tx_time(bytes) + p.spec.latency).as_secs_f64()
    }

    /// `route(c)`: cloudlet `c`'s route to the remote cloud for `bytes`, s (infinite if it has none).
    pub fn route_delay_s(&self, c: CloudletIx, bytes: u32) -> f64 {
        let (mut at, mut total, mut hops) = (self.chain.cloudlet_node(c), 0.0, 0);
        while at != self.chain.cloud {
            let link = self.chain.uplinks.of(at);
            if link == NO_LINK || hops > self.chain.cloudlet_batches.len() {
                return f64::INFINITY;
            }
            total += self.hop_s(link, bytes);
            at = self.chain.links.ends(link).dst;
            hops += 1;
        }
        total
    }

    /// What cloudlet `c` advertises at `now`: the queueing an upload of `bytes` would meet there, s.
    pub fn advertised_load_s(&self, c: CloudletIx, bytes: u32, now: SimTime) -> f64 {
        let node = self.chain.cloudlet_node(c);
        let link = self.chain.uplinks.of(node);
        let queue_s = if link == NO_LINK {
            0.0
        } else {
            let q = self.chain.links.queue(link);
            let held = u32::from(q.busy()) + q.waiting;
            let p = &self.chain.params[self.chain.links.ends(link).class];
            f64::from(held) * p.tx_time(bytes).as_secs_f64()
        };
        let cores_s = self.crypto.processors.cloudlet_backlog(c.index(), now).as_secs_f64();
        queue_s + cores_s
    }

    /// `access(c)` for patient `p`'s gateway: one attempt of `bytes` and the hop's latency, s.
    pub fn access_delay_s(&self, p: PatientId, c: CloudletIx, bytes: u32) -> f64 {
        let params = &self.chain.params[crate::chain::LinkClass::Access];
        let attempt = match &self.chain.access {
            Some(dcf) => dcf.attempt(p.index(), c.index(), bytes).time_s,
            None => params.tx_time(bytes).as_secs_f64(),
        };
        attempt + params.spec.latency.as_secs_f64()
    }
}
