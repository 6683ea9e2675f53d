//! The chain's handlers for BAN links under `links.ban.mac = "ble"`: paying a connection's idle events when its
//! state changes, and starting a packet's transfer (planned in [`super::ble_link`]).

use rand::Rng;

use crate::chain::ble_link::Upkeep;
use crate::chain::channel::LossModel;
use crate::chain::loss::frame_loss;
use crate::chain::packet::FLAG_LOST;
use crate::chain::state::{ChainCtx, ChainEvent};
use crate::chain::{LinkClass, LinkId, NodeId};
use crate::energy::ledger::Account;
use crate::kernel::{Scheduler, SimTime};

impl ChainCtx<'_> {
    /// Charges wearable `w`'s BLE connection for its idle events before `now` (both ends); `false` if they emptied
    /// the wearable's battery. Always `true` without BLE.
    pub(super) fn settle_ble(&mut self, w: NodeId, now: SimTime) -> bool {
        let Some(ble) = &mut self.chain.ble else {
            return true;
        };
        let upkeep = ble.settle(w.index(), now.as_nanos());
        if upkeep == Upkeep::default() {
            // Nothing idle since the last settlement (as when a sample's transfer starts right after it was taken).
            return self.energy.alive(w, now);
        }
        self.pay_upkeep(w, upkeep, now)
    }

    fn pay_upkeep(&mut self, w: NodeId, u: Upkeep, now: SimTime) -> bool {
        let Some(ble) = &self.chain.ble else {
            return true;
        };
        let (wearable_j, gateway_j) = ble.idle_event_j();
        let (wearable_period, gateway_period) = ble.periods_ns();
        let gateway = self.chain.links.ends(LinkId(w.get())).dst;
        if u.peripheral_events > 0 {
            let paid = self.energy.charge_periodic(
                w,
                Account::RadioTx,
                wearable_j,
                u.peripheral_events,
                SimTime::from_nanos(u.peripheral_last_ns),
                wearable_period,
            );
            self.chain.radio.ble_idle_wearable_j += paid as f64 * wearable_j;
        }
        // The gateway keeps the connection only while the wearable lives (the supervision timeout is left out).
        let mut central_events = u.central_events;
        let mut central_last = u.central_last_ns;
        if let Some(death) = self.energy.death_time(w, SimTime::from_nanos(central_last)) {
            let after = (central_last.saturating_sub(death.as_nanos())).div_ceil(gateway_period);
            central_events = central_events.saturating_sub(after);
            central_last = central_last.saturating_sub(after * gateway_period);
        }
        if central_events > 0 {
            let paid = self.energy.charge_periodic(
                gateway,
                Account::RadioRx,
                gateway_j,
                central_events,
                SimTime::from_nanos(central_last),
                gateway_period,
            );
            self.chain.radio.ble_idle_gateway_j += paid as f64 * gateway_j;
        }
        self.energy.alive(w, now)
    }

    /// Pays, at `now`, the idle events `u` of wearable `w`'s connection that fall while its packet is being sealed
    /// (they are in the future, booked with the transfer that follows them); `false` if the wearable cannot pay.
    fn pay_upkeep_now(&mut self, w: NodeId, u: Upkeep, now: SimTime) -> bool {
        let Some(ble) = &self.chain.ble else {
            return true;
        };
        let (wearable_j, gateway_j) = ble.idle_event_j();
        let gateway = self.chain.links.ends(LinkId(w.get())).dst;
        let (wj, gj) = (u.peripheral_events as f64 * wearable_j, u.central_events as f64 * gateway_j);
        if !self.energy.charge(w, Account::RadioTx, wj, now) {
            return false;
        }
        self.chain.radio.ble_idle_wearable_j += wj;
        if self.energy.charge(gateway, Account::RadioRx, gj, now) {
            self.chain.radio.ble_idle_gateway_j += gj;
        }
        true
    }

    /// Plans and starts the transfer of the head packet of BAN link `link`, paying both ends' share of the
    /// connection events it uses; a wearable that cannot pay is dead and its link is flushed. A packet still being
    /// sealed goes from the first event after it is ready: the idle events before then are paid now, with the
    /// transfer.
    pub(super) fn start_ble<E: From<ChainEvent>>(&mut self, link: LinkId, continuing: bool, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let w = NodeId(link.get()); // a wearable's BAN link has its node id
        if !self.settle_ble(w, now) {
            self.flush_dead_link(link);
            return;
        }
        let ready = now.max(self.chain.packets.get(self.chain.links.queue(link).head).hop_start);
        let continuing = continuing && ready == now;
        if ready > now {
            let ble = self.chain.ble.as_mut().expect("a BLE link");
            let waiting = ble.settle(w.index(), ready.as_nanos());
            if !self.pay_upkeep_now(w, waiting, now) {
                self.flush_dead_link(link);
                return;
            }
        }
        let c = &mut *self.chain;
        let head = c.links.queue(link).head;
        let spec = &c.params[LinkClass::Ban].spec;
        let (loss, max_retries, pl) = (&spec.loss, spec.max_retries, c.ban_path_loss_db);
        let bytes = c.packets.get(head).payload_bytes;
        let rng = c.links.rng_mut(link);
        let ble = c.ble.as_mut().expect("a BLE link");
        // The channel's shadowing, advanced to now (it holds over the transfer: a transfer lasts milliseconds,
        // shadowing changes over a correlation time of the order of a second).
        let shadow = match loss.shadowing() {
            Some((sigma, tau)) => {
                let (before, since_ns) = ble.shadow(w.index());
                let dt = now.as_nanos().saturating_sub(since_ns) as f64 * 1e-9;
                let s = crate::chain::channel::shadow_step(before, dt, sigma, tau, rng);
                ble.set_shadow(w.index(), s);
                s
            }
            None => 0.0,
        };
        let t = ble.plan(w.index(), ready.as_nanos(), continuing, bytes, max_retries, |air_bytes| match loss {
            LossModel::Fixed { loss_prob } => *loss_prob > 0.0 && rng.random::<f64>() < *loss_prob,
            loss => rng.random::<f64>() < frame_loss(loss, 8 * air_bytes as u64, pl, shadow),
        });
        if !self.energy.charge(w, Account::RadioTx, t.peripheral_j, now) {
            self.flush_dead_link(link);
            return;
        }
        let gateway = c.links.ends(link).dst;
        let central_paid = self.energy.charge(gateway, Account::RadioRx, t.central_j, now);
        c.radio.packets_j[LinkClass::Ban] += t.peripheral_j + if central_paid { t.central_j } else { 0.0 };
        c.radio.retransmitted_j[LinkClass::Ban] += t.retransmitted_j;
        c.counters.add_bytes_sent(w, t.air_bytes);
        if t.retransmissions > 0 {
            c.counters.add_retransmissions(w, t.retransmissions as u64);
        }
        if t.lost {
            c.packets.get_mut(head).flags |= FLAG_LOST;
        }
        sched.schedule_at(SimTime::from_nanos(t.end_ns), ChainEvent::TxDone { link });
    }

    /// At the end of the run: every BLE connection's idle events up to `end`.
    pub fn finish_ble(&mut self, end: SimTime) {
        let Some(ble) = &self.chain.ble else {
            return;
        };
        let wearables = ble.len() as u32;
        for w in 0..wearables {
            self.settle_ble(NodeId(w), end);
        }
    }
}
