//! The delivery chain's handlers: sampling, offering packets to links, transmission attempts, arrivals, delivery
//! and drops. Every handler is generic over the model's event type `E`, which holds [`ChainEvent`]s.

use rand::Rng;

use crate::chain::channel::LossModel;
use crate::chain::link::Offer;
use crate::chain::metrics::DropCause;
use crate::chain::packet::{Packet, FLAG_ENCRYPTED, FLAG_LOST, NIL};
use crate::chain::state::{Arrival, ChainCtx, ChainEvent};
use crate::chain::topology::NodeKind;
use crate::chain::{CloudletIx, CoreIx, LinkClass, LinkId, NodeId, PacketId};
use crate::crypto::{CryptoAt, CryptoMode};
use crate::energy::ledger::Account;
use crate::kernel::{Scheduler, SimTime};

impl ChainCtx<'_> {
    /// Wearable `w` takes every sample now due, in sensor order, and sets its next wake-up.
    pub fn on_sample<E: From<ChainEvent>>(&mut self, w: NodeId, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let n = self.chain.sensors.len();
        if !self.settle_ble(w, now) {
            return; // the connection's idle events emptied its battery
        }
        let mut earliest = SimTime::MAX;
        for s in 0..n {
            let slot = w.index() * n + s;
            if self.chain.next_sample[slot] == now {
                if !self.energy.alive(w, now) {
                    return; // a dead wearable takes no more samples
                }
                let c = &mut *self.chain;
                let next = c.wearables[w.index()].next_sample(&c.sensors[s], now);
                c.next_sample[slot] = if next < c.generation_end { next } else { SimTime::MAX };
                self.take_sample(w, s as u16, sched);
            }
            earliest = earliest.min(self.chain.next_sample[slot]);
        }
        if earliest != SimTime::MAX && self.energy.alive(w, now) {
            sched.schedule_at(earliest, ChainEvent::Sample { wearable: w });
        }
    }

    /// Wearable `w` takes one sample of sensor `s` and sends it.
    fn take_sample<E: From<ChainEvent>>(&mut self, w: NodeId, s: u16, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let c = &mut *self.chain;
        let sample_bytes = c.sensors[s as usize].sample_bytes;
        c.metrics.generated += 1;
        c.counters.add_generated(w);
        if let Some(trace) = &mut c.sample_trace {
            trace.push((w, s, now));
        }
        let packet = c.packets.insert(Packet::sample(w, s, sample_bytes, now));
        let mut ready = now;
        if self.crypto.spec.at == CryptoAt::Wearable {
            if self.uplink_full(w) {
                // Not sealed: a sample its buffer cannot take costs no work (and leaves the processor's free time
                // where its uplink's queue says it is).
                self.drop_packet(packet, w, DropCause::BufferFull);
                return;
            }
            match self.seal_sample(w, w.index(), packet, now).and_then(|s| self.sign_upload(w, packet, s, now)) {
                Some(sealed) => ready = sealed,
                None => {
                    self.drop_packet(packet, w, DropCause::DeadNode);
                    return;
                }
            }
        }
        self.send_ready(packet, self.chain.uplinks.of(w), ready, sched);
    }

    /// Puts a new packet `packet` into the chain and offers it to `link` (attack traffic enters this way).
    pub fn send_new<E: From<ChainEvent>>(&mut self, packet: Packet, link: LinkId, sched: &mut Scheduler<E>) {
        let id = self.chain.packets.insert(packet);
        self.send(id, link, sched);
    }

    /// Offers `packet` to `link`: transmit now, queue, or drop.
    pub fn send<E: From<ChainEvent>>(&mut self, packet: PacketId, link: LinkId, sched: &mut Scheduler<E>) {
        let now = sched.now();
        self.send_ready(packet, link, now, sched);
    }

    /// Whether node `node`'s uplink has no room for one more packet (busy, and `buffer_packets` waiting).
    pub(super) fn uplink_full(&self, node: NodeId) -> bool {
        let link = self.chain.uplinks.of(node);
        let q = self.chain.links.queue(link);
        q.busy() && q.waiting >= self.chain.params[self.chain.links.ends(link).class].spec.buffer_packets
    }

    /// Offers `packet` to `link` now, to go on air no sooner than `ready` (when its sender's processor has sealed or
    /// opened it): it takes its place in the link's queue at once, and its hop starts at `ready`.
    pub(super) fn send_ready<E: From<ChainEvent>>(
        &mut self,
        packet: PacketId,
        link: LinkId,
        ready: SimTime,
        sched: &mut Scheduler<E>,
    ) {
        let now = sched.now();
        if self.chain.moves.is_some() && self.handover_refuses(packet, link, now) {
            return;
        }
        let c = &mut *self.chain;
        let p = c.packets.get_mut(packet);
        p.hop_start = ready.max(now);
        p.link = link;
        let ends = c.links.ends(link);
        if !self.energy.alive(ends.src, now) {
            self.drop_packet(packet, ends.src, DropCause::DeadNode);
            return;
        }
        let buffer = c.params[ends.class].spec.buffer_packets;
        let q = c.links.queue_mut(link);
        let offer = if !q.busy() {
            q.head = packet;
            q.tail = packet;
            Offer::Transmit
        } else if q.waiting >= buffer {
            Offer::Full
        } else {
            let tail = q.tail;
            q.tail = packet;
            q.waiting += 1;
            c.packets.get_mut(tail).next = packet;
            Offer::Queued
        };
        match offer {
            Offer::Transmit => self.start_tx(link, false, sched),
            Offer::Queued => {}
            Offer::Full => self.drop_packet(packet, ends.src, DropCause::BufferFull),
        }
    }

    /// Starts one transmission attempt of the head packet, paying its radio energy; if the sender cannot pay, it
    /// is dead and everything queued on the link is dropped. The attempt begins now, or when the packet is ready
    /// (its hop start) if its sender's processor is still at work on it; the energy is booked now. A BLE link instead
    /// plans the packet's whole transfer (in the connection event still open if `continuing`: the packet was queued
    /// behind the one just sent).
    pub(super) fn start_tx<E: From<ChainEvent>>(&mut self, link: LinkId, continuing: bool, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let c = &mut *self.chain;
        let ends = c.links.ends(link);
        if ends.class == LinkClass::Ban && c.ble.is_some() {
            self.start_ble(link, continuing, sched);
            return;
        }
        if c.moves.is_some() && ends.class == LinkClass::Access && c.hold_for_handover(link, now) {
            return; // the gateway is re-associating: the head waits for the handover's end
        }
        let head = c.links.queue(link).head;
        let p = &c.params[ends.class];
        let payload = c.packets.get(head).payload_bytes;
        let (wire, mut tx_time) = (p.wire_bytes(payload), p.tx_time(payload));
        let mut tx_j = (wire * 8) as f64 * ends.tx_j_per_bit;
        let dcf = match &c.access {
            Some(dcf) if ends.class == LinkClass::Access => {
                let patient = NodeId(link.get()).since(c.first_gateway) as usize;
                let cloudlet = ends.dst.since(c.first_cloudlet) as usize;
                Some(dcf.attempt(patient, cloudlet, payload))
            }
            _ => None,
        };
        if let Some(a) = dcf {
            tx_time = SimTime::from_nanos((a.time_s * 1e9).round() as u64);
            tx_j = a.gateway_tx_j + a.gateway_rx_j;
        }
        if !self.energy.charge(ends.src, Account::RadioTx, tx_j, now) {
            self.flush_dead_link(link);
            return;
        }
        let rx_j = match dcf {
            // The access point's share, paid now (the ACKs are part of the attempt); none in on_tx_done.
            Some(a) if self.energy.charge(ends.dst, Account::RadioRx, a.cloudlet_j, now) => a.cloudlet_j,
            _ => 0.0,
        };
        c.radio.packets_j[ends.class] += tx_j + rx_j;
        if c.packets.get(head).retries > 0 {
            c.radio.retransmitted_j[ends.class] += tx_j + rx_j;
        }
        c.counters.add_bytes_sent(ends.src, wire);
        let begin = now.max(c.packets.get(head).hop_start);
        sched.schedule_at(begin + tx_time, ChainEvent::TxDone { link });
    }

    /// Drops every packet on a link whose sender died.
    pub(super) fn flush_dead_link(&mut self, link: LinkId) {
        let src = self.chain.links.ends(link).src;
        let mut at = std::mem::take(self.chain.links.queue_mut(link)).head;
        while !at.is_nil() {
            let next = self.chain.packets.get(at).next;
            self.drop_packet(at, src, DropCause::DeadNode);
            at = next;
        }
    }

    /// The head packet of `link` finishes one transmission attempt: lost (retry or drop) or on its way.
    pub fn on_tx_done<E: From<ChainEvent>>(&mut self, link: LinkId, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let c = &mut *self.chain;
        let ends = c.links.ends(link);
        let packet = c.links.queue(link).head;
        if packet.is_nil() {
            return; // the sender died during the attempt and its queue was flushed
        }
        let params = &c.params[ends.class];
        let latency = params.spec.latency;
        let ble = ends.class == LinkClass::Ban && c.ble.is_some();
        let lost = if ble {
            // Decided when the transfer started; the gateway paid its share then.
            let pkt = c.packets.get_mut(packet);
            let lost = pkt.flags & FLAG_LOST != 0;
            pkt.flags &= !FLAG_LOST;
            lost
        } else {
            let lost = match &params.spec.loss {
                LossModel::Fixed { loss_prob } => {
                    *loss_prob > 0.0 && c.links.rng_mut(link).random::<f64>() < *loss_prob
                }
                loss => {
                    let payload = c.packets.get(packet).payload_bytes;
                    let (pl, shadow) = match c.channel.get_mut(link.index()) {
                        Some(ch) => (
                            ch.path_loss_db as f64,
                            ch.shadow_at(loss, now.as_nanos(), &mut c.channel_rng[link.index()]),
                        ),
                        None => (c.ban_path_loss_db, 0.0),
                    };
                    // The access hop under the DCF loses frames by the curve of the link's own rate.
                    let loss = match &c.access {
                        Some(dcf) if ends.class == LinkClass::Access => {
                            dcf.channel(NodeId(link.get()).since(c.first_gateway) as usize).unwrap_or(loss)
                        }
                        _ => loss,
                    };
                    let p = crate::chain::loss::attempt_loss_with(loss, &params.spec, payload, pl, shadow);
                    c.links.rng_mut(link).random::<f64>() < p
                }
            };
            let wire = params.wire_bytes(c.packets.get(packet).payload_bytes);
            // The receiver listened to the whole attempt, lost or not (under the DCF it paid at the start).
            let dcf = ends.class == LinkClass::Access && c.access.is_some();
            let rx_j = if dcf { 0.0 } else { (wire * 8) as f64 * c.rx_j_per_bit[ends.class] };
            if self.energy.charge(ends.dst, Account::RadioRx, rx_j, now) {
                c.radio.packets_j[ends.class] += rx_j;
                if c.packets.get(packet).retries > 0 {
                    c.radio.retransmitted_j[ends.class] += rx_j;
                }
            }
            lost
        };
        let max_retries = if ble { 0 } else { params.spec.max_retries };
        let pkt = c.packets.get_mut(packet);
        if lost && u32::from(pkt.retries) < max_retries {
            pkt.retries += 1;
            c.counters.add_retransmission(ends.src);
            self.start_tx(link, false, sched);
            return;
        }
        let next = pkt.next;
        pkt.next = NIL;
        pkt.retries = 0;
        if lost {
            self.drop_packet(packet, ends.src, DropCause::Lost);
        } else {
            c.counters.add_sent(ends.src);
            sched.schedule_in(latency, ChainEvent::Arrive { packet });
        }
        let q = self.chain.links.queue_mut(link);
        q.head = next;
        if next.is_nil() {
            q.tail = NIL;
        } else {
            q.waiting -= 1;
            self.start_tx(link, true, sched);
        }
    }

    /// `packet` reaches the far end of its link. Uploads entering the mesh and attack packets are handed back.
    pub fn on_arrive<E: From<ChainEvent>>(&mut self, packet: PacketId, sched: &mut Scheduler<E>) -> Arrival {
        let now = sched.now();
        self.channel_on_arrive(packet);
        let c = &mut *self.chain;
        let ends = c.links.ends(c.packets.get(packet).link);
        let (class, node) = (ends.class, ends.dst);
        if !self.energy.alive(node, now) {
            self.drop_packet(packet, node, DropCause::DeadNode);
            return Arrival::Handled;
        }
        if c.packets.get(packet).is_attack() {
            c.counters.add_received(node);
            return Arrival::Attack { packet, core: CoreIx(node.since(c.first_cloudlet)) };
        }
        let hop_start = c.packets.get(packet).hop_start;
        if hop_start >= c.warmup {
            c.metrics.hop[class].record(now - hop_start);
        }
        c.counters.add_received(node);
        match self.energy.kind_of(node) {
            NodeKind::RemoteCloud => self.deliver(packet, now),
            NodeKind::BanGateway => self.at_gateway(node, packet, sched),
            NodeKind::Cloudlet if class == LinkClass::Access => {
                return Arrival::Upload { packet, cloudlet: CloudletIx(node.since(c.first_cloudlet)) };
            }
            NodeKind::Cloudlet => self.at_cloudlet(node, packet, class, sched),
            NodeKind::Wearable => unreachable!("no link leads to a wearable"),
        }
        Arrival::Handled
    }

    /// An admitted upload at cloudlet `cloudlet` enters the mesh (see [`Arrival::Upload`]).
    pub fn enter_mesh<E: From<ChainEvent>>(
        &mut self,
        cloudlet: CloudletIx,
        packet: PacketId,
        sched: &mut Scheduler<E>,
    ) {
        self.at_cloudlet(self.chain.cloudlet_node(cloudlet), packet, LinkClass::Access, sched);
    }

    /// A packet at cloudlet node `node`, arrived by a link of class `class`: opened if sealed, then batched (an
    /// upload, with cloudlet batching) or forwarded toward the remote cloud.
    fn at_cloudlet<E: From<ChainEvent>>(
        &mut self,
        node: NodeId,
        packet: PacketId,
        class: LinkClass,
        sched: &mut Scheduler<E>,
    ) {
        let now = sched.now();
        let mut ready = now;
        let verified = if class == LinkClass::Access { self.verify_upload(node, packet, now) } else { None };
        if self.chain.packets.get(packet).flags & FLAG_ENCRYPTED != 0 {
            ready = self.open_at_cloudlet(node, packet, now);
        }
        ready = self.upload_verified(verified, ready);
        if self.chain.cloudlet_batch.is_some() && class == LinkClass::Access {
            self.add_to_batch(node, packet, ready, sched);
        } else {
            if class == LinkClass::Access {
                ready = self.seal_record(node, packet, ready, now);
            }
            self.send_ready(packet, self.chain.uplinks.of(node), ready, sched);
        }
    }

    fn at_gateway<E: From<ChainEvent>>(&mut self, node: NodeId, packet: PacketId, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let spec = &self.crypto.spec;
        if spec.at == CryptoAt::Gateway && spec.encrypts() {
            if spec.mode == CryptoMode::Batch {
                self.add_to_batch(node, packet, now, sched);
                return;
            }
            if self.uplink_full(node) {
                self.drop_packet(packet, node, DropCause::BufferFull);
                return;
            }
            let gateway = node.since(self.chain.first_gateway) as usize;
            let Some(ready) = self.seal_sample(node, gateway, packet, now) else {
                self.drop_packet(packet, node, DropCause::DeadNode);
                return;
            };
            let Some(ready) = self.sign_upload(node, packet, ready, now) else {
                self.drop_packet(packet, node, DropCause::DeadNode);
                return;
            };
            self.send_ready(packet, self.chain.uplinks.of(node), ready, sched);
            return;
        }
        if self.signs_at(true) {
            // Signed at the gateway without sealing (a scheme of kind `none`).
            if self.uplink_full(node) {
                self.drop_packet(packet, node, DropCause::BufferFull);
                return;
            }
            let Some(ready) = self.sign_upload(node, packet, now, now) else {
                self.drop_packet(packet, node, DropCause::DeadNode);
                return;
            };
            self.send_ready(packet, self.chain.uplinks.of(node), ready, sched);
            return;
        }
        self.send(packet, self.chain.uplinks.of(node), sched);
    }

    fn deliver(&mut self, packet: PacketId, now: SimTime) {
        let c = &mut *self.chain;
        let p = c.packets.remove(packet);
        if !p.is_batch() {
            c.record_delivery(&p, now);
            return;
        }
        let mut at = p.first_child;
        while !at.is_nil() {
            let child = c.packets.remove(at);
            c.record_delivery(&child, now);
            at = child.next;
        }
    }

    /// Takes attack packet `packet` off the chain at its target.
    pub fn consume(&mut self, packet: PacketId) -> Packet {
        self.chain.packets.remove(packet)
    }

    /// Drops `packet` (every sample of a batch) at node `at_node` for `cause`.
    pub fn drop_packet(&mut self, packet: PacketId, at_node: NodeId, cause: DropCause) {
        self.crypto.real_forget(packet);
        let c = &mut *self.chain;
        let p = c.packets.remove(packet);
        if p.is_attack() {
            if p.created >= c.warmup {
                if p.is_ids() {
                    c.metrics.ids_packets_dropped[usize::from(p.ids_tag().2)] += 1;
                } else {
                    c.metrics.attack_packets_dropped += 1;
                }
            }
            return;
        }
        let mut samples = 1;
        if p.is_batch() {
            samples = 0;
            let mut at = p.first_child;
            while !at.is_nil() {
                at = c.packets.remove(at).next;
                samples += 1;
            }
        }
        c.metrics.dropped[cause] += samples;
        c.counters.add_dropped(at_node, samples);
    }
}

impl crate::chain::state::Chain {
    fn record_delivery(&mut self, sample: &Packet, now: SimTime) {
        self.metrics.delivered += 1;
        if let Some(interval) = &mut self.metrics.interval_latency {
            interval.record(now - sample.created);
        }
        if sample.created >= self.warmup {
            self.metrics.delivered_after_warmup += 1;
            self.metrics.delivered_payload_bytes += self.sensors[sample.sensor as usize].sample_bytes as u64;
            self.metrics.end_to_end.record(now - sample.created);
        }
    }
}
