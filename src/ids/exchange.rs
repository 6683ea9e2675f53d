//! Collaboration as a costed exchange (`ids.collaboration.mode = "packets"`, docs/model.md §8.5): for an item
//! entering at cloudlet e, e sends a summary packet to every IDS node in scope but its own; each node, on receipt,
//! inspects the item on a core of its cloudlet (queueing with the openings of sealed samples there) and sends a
//! verdict packet back to e; an IDS node at e inspects locally (its cores, no packets). The packets travel the mesh
//! links through the delivery chain as flood packets do (queues, latency, transmission time, radio energy, drops).
//! e fuses the verdicts it has received when all are in, or `fusion_timeout_s` after the item entered, whichever
//! comes first; the fused decision is known `ids.processing_s` later.
//!
//! Every node's verdict is drawn when the item enters, in the same order as in `latency` mode (so the random
//! numbers, and `ids-optimize`'s common random numbers across branches, are the same in both modes); what the
//! exchange decides is only *when* each verdict is known at e, and whether it arrives in time to count.

use crate::chain::packet::Packet;
use crate::chain::{ChainCtx, ChainEvent, CloudletIx, CoreIx, PacketId};
use crate::ids::collab::{Fusing, Job};
use crate::ids::state::{IdsEvent, IdsState};
use crate::kernel::{Scheduler, SimTime};

impl IdsState {
    /// Starts gathering the verdicts on item `item`, entered at `entry` now: `verdicts` holds each inspecting slot's
    /// verdict, drawn at entry. Sends the summaries, starts the local inspection, arms the timeout.
    pub(super) fn start_exchange<E>(
        &mut self,
        item: u32,
        entry: CloudletIx,
        verdicts: Vec<(u16, bool)>,
        chain: &mut ChainCtx<'_>,
        sched: &mut Scheduler<E>,
    ) where
        E: From<IdsEvent> + From<ChainEvent>,
    {
        let now = sched.now();
        let counted = self.items[item as usize].counted;
        if verdicts.is_empty() {
            self.fuse(item, Vec::new(), (0, 0), now, sched);
            return;
        }
        let serial = self.exchange.next_serial;
        self.exchange.next_serial = serial.wrapping_add(1);
        if counted {
            self.exchange.metrics.items += 1;
        }
        let spec = self.spec.collaboration.clone();
        let origin = chain.chain().cloudlet_node(entry);
        for &(slot, _) in &verdicts {
            let at = self.slots[slot as usize];
            if at == entry {
                self.start_inspection(Job { serial, slot, entry }, at, chain, sched);
            } else {
                let to = CoreIx::from(at);
                let link = self.core.next_link(entry.into(), to);
                let packet = Packet::ids_exchange(origin, to, spec.summary_bytes, now, (serial, slot, false));
                if now >= self.warmup {
                    self.exchange.metrics.summary_packets += 1;
                    self.exchange.metrics.bytes += u64::from(spec.summary_bytes);
                }
                chain.send_new(packet, link, sched);
            }
        }
        let fusing =
            Fusing { item, expected: verdicts.len() as u32, received: 0, alarms: 0, verdicts, alarmed: Vec::new() };
        self.exchange.fusing.insert(serial, fusing);
        sched.schedule_in(spec.fusion_timeout, IdsEvent::FusionTimeout { serial });
    }

    /// Runs one inspection on the cores of cloudlet `at`; its end is an [`IdsEvent::Inspected`].
    fn start_inspection<E: From<IdsEvent>>(
        &mut self,
        job: Job,
        at: CloudletIx,
        chain: &mut ChainCtx<'_>,
        sched: &mut Scheduler<E>,
    ) {
        let now = sched.now();
        let (done, took) = chain.run_on_cloudlet(at, self.spec.collaboration.inspection_cycles, now);
        if now >= self.warmup {
            self.exchange.metrics.inspection_cpu_s += took.as_secs_f64();
        }
        let job = self.exchange.jobs.insert(job) as u32;
        sched.schedule_at(done, IdsEvent::Inspected { job });
    }

    /// Inspection `job` is done: a local verdict is known at the entry cloudlet; a remote one leaves as a verdict
    /// packet.
    pub fn on_inspected<E>(&mut self, job: u32, chain: &mut ChainCtx<'_>, sched: &mut Scheduler<E>)
    where
        E: From<IdsEvent> + From<ChainEvent>,
    {
        let Job { serial, slot, entry } = self.exchange.jobs.remove(job as usize);
        let at = self.slots[slot as usize];
        let now = sched.now();
        if at == entry {
            self.receive_verdict(serial, slot, now, sched);
            return;
        }
        let bytes = self.spec.collaboration.verdict_bytes;
        let link = self.core.next_link(at.into(), entry.into());
        let packet =
            Packet::ids_exchange(chain.chain().cloudlet_node(at), entry.into(), bytes, now, (serial, slot, true));
        if now >= self.warmup {
            self.exchange.metrics.verdict_packets += 1;
            self.exchange.metrics.bytes += u64::from(bytes);
        }
        chain.send_new(packet, link, sched);
    }

    /// An IDS packet reached core node `here`: forwarded if it is not there yet; a summary starts its node's
    /// inspection, a verdict counts at the entry cloudlet.
    pub fn on_ids_packet<E>(
        &mut self,
        packet: PacketId,
        here: CoreIx,
        chain: &mut ChainCtx<'_>,
        sched: &mut Scheduler<E>,
    ) where
        E: From<IdsEvent> + From<ChainEvent>,
    {
        let dst = chain.chain().packet(packet).dst_core;
        if here != dst {
            let link = self.core.next_link(here, dst);
            chain.send(packet, link, sched);
            return;
        }
        let p = chain.consume(packet);
        let (serial, slot, verdict) = p.ids_tag();
        let counted = p.created >= self.warmup;
        let at = CloudletIx(here.get());
        if verdict {
            if counted {
                self.exchange.metrics.verdict_delivered += 1;
            }
            self.receive_verdict(serial, slot, sched.now(), sched);
        } else {
            if counted {
                self.exchange.metrics.summary_delivered += 1;
            }
            let entry = chain.chain().cloudlet_of(p.origin);
            self.start_inspection(Job { serial, slot, entry }, at, chain, sched);
        }
    }

    /// Slot `slot`'s verdict on item `serial` is known at its entry cloudlet at `now`.
    fn receive_verdict<E: From<IdsEvent>>(&mut self, serial: u32, slot: u16, now: SimTime, sched: &mut Scheduler<E>) {
        let Some(f) = self.exchange.fusing.get_mut(&serial) else {
            if now >= self.warmup {
                self.exchange.metrics.late_verdicts += 1;
            }
            return;
        };
        f.received += 1;
        if f.verdicts.iter().any(|&(s, alarm)| s == slot && alarm) {
            f.alarms += 1;
            f.alarmed.push(slot);
        }
        if f.received == f.expected {
            self.finish(serial, now, false, sched);
        }
    }

    /// The fusion timeout of item `serial`: fuses what has arrived, if it has not been fused yet.
    pub fn on_fusion_timeout<E: From<IdsEvent>>(&mut self, serial: u32, sched: &mut Scheduler<E>) {
        if self.exchange.fusing.contains_key(&serial) {
            self.finish(serial, sched.now(), true, sched);
        }
    }

    fn finish<E: From<IdsEvent>>(&mut self, serial: u32, now: SimTime, timeout: bool, sched: &mut Scheduler<E>) {
        let f = self.exchange.fusing.remove(&serial).expect("an item being fused");
        if timeout && self.items[f.item as usize].counted {
            self.exchange.metrics.fusion_timeouts += 1;
        }
        self.fuse(f.item, f.alarmed, (f.received, f.alarms), now, sched);
    }

    /// Fuses `alarms` among `received` verdicts on item `item` at `now`: with the fusion rule applied to the m =
    /// `received` verdicts in hand (none: no alarm), the decision is known `ids.processing_s` later.
    fn fuse<E: From<IdsEvent>>(
        &mut self,
        item: u32,
        alarmed: Vec<u16>,
        (received, alarms): (u32, u32),
        now: SimTime,
        sched: &mut Scheduler<E>,
    ) {
        let alarm = received > 0 && alarms >= self.spec.fusion.needed(received);
        let at = now + self.spec.processing;
        if alarm {
            let it = &mut self.items[item as usize];
            it.alarm_at = Some(at);
            if self.spec.signature_sharing && it.kind.is_some() {
                it.alarmed = alarmed;
            }
        }
        sched.schedule_at(at, IdsEvent::Verdict { item });
    }
}
