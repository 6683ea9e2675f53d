//! The cloudlet-mesh model: samples travel wearable → BAN gateway → cloudlet → mesh hops → remote cloud.
//!
//! [`MeshModel`] implements the kernel's [`Model`] with one closed, 8-byte [`Event`] enum, handled in one `match`.
//! It owns every mechanism's state: the delivery chain's (its fields; the pieces live in [`crate::chain`]), the
//! energy ledger ([`crate::energy`]), the sealing state ([`crate::crypto`]), and the states of [`crate::ids`],
//! [`crate::trust`], [`crate::records`] and [`crate::care`]. The delivery chain's handlers are here; trust, records
//! and care handle their own events as methods of their state, with their own event enums (converted into
//! [`Event`] by `From`) and only the other states they are lent (care borrows the record store). The IDS handlers
//! are still `impl MeshModel` blocks in `src/ids/state.rs`, as they use the chain's send and drop.
//!
//! ```text
//!  wearable ──ban──▶ BAN gateway ──access──▶ cloudlet ══mesh══ cloudlet ──wan──▶ remote cloud
//!  (samples)          (one per patient)        (batches)                          (delivery)
//! ```

use enum_map::EnumMap;
use rand::Rng;

use crate::chain::{BatchSpec, LinkClass, SensorSpec};
use crate::crypto::{CryptoAt, CryptoMode};
use crate::kernel::{Model, Scheduler, SimTime, StreamFactory};
use crate::scenario::ModelConfig;

use crate::care;
use crate::chain::cloudlet::BatchBuffer;
use crate::chain::link::{LinkParams, Links, Offer};
use crate::chain::metrics::{CounterTable, DropCause, Metrics};
use crate::chain::packet::{Packet, PacketStore, FLAG_ENCRYPTED, FLAG_KEM, NIL};
use crate::chain::topology::{NodeKind, Topology, Uplinks};
use crate::chain::wearable::Wearable;
use crate::crypto::sealing::{CryptoState, Sealing};
use crate::energy::ledger::{Account, EnergyLedger};
use crate::streams;
use crate::{ids, records, trust};

/// The model's events: one closed enum for the whole model, eight bytes each (kernel queue entries are sixteen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    // The delivery chain.
    /// Wearable `wearable` takes the samples now due (of one or more of its sensors).
    Sample {
        /// Wearable index.
        wearable: u32,
    },
    /// The packet at the head of `link` finishes one transmission attempt.
    TxDone {
        /// Link id.
        link: u32,
    },
    /// `packet` reaches the far end of the link it was last sent on.
    Arrive {
        /// Packet id.
        packet: u32,
    },
    /// The batch that node `node` (a cloudlet, or a gateway in crypto batch mode) is filling may be due to leave
    /// (it is if it was opened one batch interval ago).
    BatchDue {
        /// Node id.
        node: u32,
    },
    // Attack traffic and intrusion detection ([`ids`]).
    /// A new campaign of attack kind `kind` starts.
    CampaignStart {
        /// Attack kind.
        kind: crate::ids::AttackKind,
    },
    /// The next attack of campaign `campaign`.
    CampaignAttack {
        /// Campaign id.
        campaign: u32,
    },
    /// The next packet of flood `flood`.
    FloodPacket {
        /// Flood id.
        flood: u32,
    },
    /// The fused verdict on item `item` is known.
    Verdict {
        /// Item id.
        item: u32,
    },
    /// Item `item` (a record read or modification) reaches its target.
    Impact {
        /// Item id.
        item: u32,
    },
    /// The signature of campaign `campaign` reaches IDS slot `slot`.
    Signature {
        /// IDS slot.
        slot: u16,
        /// Campaign id.
        campaign: u32,
    },
    /// A doctor accesses a record (benign).
    DoctorAccess,
    // Sharing between patients ([`trust`]).
    /// Patient `patient` asks to share data with another patient of its cloudlet.
    ShareRequest {
        /// Patient index.
        patient: u32,
    },
    // The record store ([`records`]).
    /// An integrity audit of the record store.
    Audit,
    // The appointment workflow ([`care`]).
    /// Patient `patient` requests an appointment.
    AppointmentRequest {
        /// Patient index.
        patient: u32,
    },
    /// `step` of appointment `appointment` has just happened.
    AppointmentStep {
        /// Appointment id.
        appointment: u32,
        /// The step.
        step: care::Step,
    },
}

impl From<trust::TrustEvent> for Event {
    #[inline]
    fn from(e: trust::TrustEvent) -> Event {
        match e {
            trust::TrustEvent::ShareRequest { patient } => Event::ShareRequest { patient },
        }
    }
}

impl From<records::RecordsEvent> for Event {
    #[inline]
    fn from(e: records::RecordsEvent) -> Event {
        match e {
            records::RecordsEvent::Audit => Event::Audit,
        }
    }
}

impl From<care::CareEvent> for Event {
    #[inline]
    fn from(e: care::CareEvent) -> Event {
        match e {
            care::CareEvent::AppointmentRequest { patient } => Event::AppointmentRequest { patient },
            care::CareEvent::AppointmentStep { appointment, step } => Event::AppointmentStep { appointment, step },
        }
    }
}

/// One sample as taken, for traces: (wearable, sensor, time).
pub type SampleRecord = (u32, u16, SimTime);

/// The state of the whole delivery chain.
pub struct MeshModel {
    pub(crate) sensors: Vec<SensorSpec>,
    pub(crate) generation_end: SimTime,
    pub(crate) warmup: SimTime,
    pub(crate) params: EnumMap<LinkClass, LinkParams>,
    pub(crate) cloudlet_batch: Option<BatchSpec>,
    /// Node kind boundaries: wearables, then gateways, then cloudlets, then the cloud.
    pub(crate) first_gateway: u32,
    pub(crate) first_cloudlet: u32,
    pub(crate) cloud: u32,
    /// Every node's link toward the remote cloud.
    pub(crate) uplinks: Uplinks,
    pub(crate) wearables: Vec<Wearable>,
    /// `next_sample[w * sensors + s]`: when wearable `w` next samples sensor `s` (`SimTime::MAX`: never again).
    pub(crate) next_sample: Vec<SimTime>,
    pub(crate) links: Links,
    pub(crate) cloudlet_batches: Vec<BatchBuffer>,
    pub(crate) gateway_batches: Vec<BatchBuffer>,
    pub(crate) packets: PacketStore,
    pub(crate) counters: CounterTable,
    pub(crate) energy: EnergyLedger,
    pub(crate) rx_j_per_bit: EnumMap<LinkClass, f64>,
    pub(crate) crypto: CryptoState,
    pub(crate) metrics: Metrics,
    pub(crate) sample_trace: Option<Vec<SampleRecord>>,
    pub(crate) scratch: Vec<u8>,
    pub(crate) wearables_per_patient: u32,
    pub(crate) ids: ids::IdsState,
    pub(crate) trust: trust::TrustState,
    pub(crate) records: records::RecordsState,
    pub(crate) care: care::CareState,
}

impl MeshModel {
    /// Builds the model's state for `cfg` on `topo`, with streams from `streams`.
    pub fn new(cfg: &ModelConfig, topo: &Topology, streams: &StreamFactory) -> Self {
        let longest = cfg.sensors.iter().map(|s| s.period).max().unwrap_or(SimTime::from_secs(1));
        let wearables =
            (0..topo.wearables).map(|w| Wearable::new(streams.stream(streams::WEARABLE, w as u64), longest)).collect();
        let (first_gateway, first_cloudlet, cloud) = (topo.gateway_node(0), topo.cloudlet_node(0), topo.cloud_node());
        let links = Links::new(
            topo,
            |id, l| match l.link.class {
                LinkClass::Ban => streams.stream(streams::LINK_BAN, u64::from(id)),
                LinkClass::Access => streams.stream(streams::LINK_ACCESS, u64::from(id - first_gateway)),
                LinkClass::Mesh | LinkClass::Wan => {
                    let core = |n: u32| if n == cloud { (1 << 24) - 1 } else { n - first_cloudlet };
                    streams.stream(streams::LINK_CORE, streams::core_link_id(core(l.src), core(l.dst)))
                }
            },
            |class, distance_m| cfg.energy.radio[class].tx_j_per_bit(distance_m),
        );
        let crypto_batching = cfg.crypto.mode == CryptoMode::Batch && cfg.crypto.encrypts();
        let senders = match cfg.crypto.at {
            CryptoAt::Wearable => topo.wearables,
            CryptoAt::Gateway => topo.patients,
        };
        MeshModel {
            sensors: cfg.sensors.clone(),
            generation_end: cfg.duration,
            warmup: cfg.warmup,
            params: EnumMap::from_fn(|c| LinkParams::new(cfg.link(c).clone())),
            cloudlet_batch: cfg.cloudlets.batch.clone(),
            first_gateway,
            first_cloudlet,
            cloud,
            uplinks: topo.uplinks.clone(),
            wearables,
            next_sample: vec![SimTime::MAX; topo.wearables as usize * cfg.sensors.len()],
            links,
            cloudlet_batches: vec![BatchBuffer::default(); topo.cloudlets as usize],
            gateway_batches: vec![BatchBuffer::default(); if crypto_batching { topo.patients as usize } else { 0 }],
            packets: PacketStore::default(),
            counters: CounterTable::new(topo.wearables, topo.patients, topo.cloudlets + 1),
            energy: EnergyLedger::new(&cfg.energy, topo.node_count(), first_gateway, first_cloudlet, cloud),
            rx_j_per_bit: EnumMap::from_fn(|c| cfg.energy.radio[c].rx_elec_j_per_bit),
            crypto: CryptoState::new(cfg.crypto.clone(), senders as usize),
            metrics: Metrics::default(),
            sample_trace: None,
            scratch: Vec::new(),
            wearables_per_patient: topo.wearables_per_patient,
            ids: ids::IdsState::new(cfg, topo, streams),
            trust: trust::TrustState::new(cfg, topo, streams),
            records: records::RecordsState::new(cfg, topo, streams),
            care: care::CareState::new(cfg, topo, streams),
        }
    }

    /// Charges every cloudlet's key-pair generation at time zero (the receivers' keys for the scheme).
    pub fn generate_cloudlet_keys(&mut self) {
        let cycles = self.crypto.spec.scheme.keygen_cycles;
        if self.crypto.spec.has_kem() {
            for c in self.first_cloudlet..self.cloud {
                self.energy.charge_cycles(c, cycles, SimTime::ZERO);
            }
        }
    }

    /// Turns on real cryptography: every sealed packet carries real ciphertext, checked at the cloudlet.
    pub fn enable_real_crypto(&mut self) -> Result<(), crate::crypto::CryptoError> {
        self.crypto.enable_real()
    }

    /// Starts recording every sample taken (wearable, sensor, time); for tests and debugging, costs memory.
    pub fn enable_sample_trace(&mut self) {
        self.sample_trace = Some(Vec::new());
    }

    /// The samples recorded since [`MeshModel::enable_sample_trace`], in the order taken.
    pub fn sample_trace(&self) -> &[SampleRecord] {
        self.sample_trace.as_deref().unwrap_or_default()
    }

    /// Schedules the initial events: every wearable's first sample of every sensor (those before the end of
    /// generation), the first attack campaigns and the first doctor access, and (when those parts are on) every
    /// patient's first share request and appointment and the first record audit.
    pub fn schedule_initial_events(&mut self, sched: &mut impl FnMut(SimTime, Event)) {
        self.schedule_first_samples(sched);
        self.schedule_first_ids_events(sched);
        self.trust.schedule_first_events(&mut |t, e| sched(t, e.into()));
        self.records.schedule_first_events(&mut |t, e| sched(t, e.into()));
        self.care.schedule_first_events(&mut |t, e| sched(t, e.into()));
    }

    /// Draws every wearable's first sample time of each sensor; one pending event per wearable, at the earliest.
    fn schedule_first_samples(&mut self, sched: &mut impl FnMut(SimTime, Event)) {
        let n = self.sensors.len();
        for (w, wearable) in self.wearables.iter_mut().enumerate() {
            let due = &mut self.next_sample[w * n..(w + 1) * n];
            for (slot, sensor) in due.iter_mut().zip(&self.sensors) {
                let t = wearable.first_sample(sensor);
                *slot = if t < self.generation_end { t } else { SimTime::MAX };
            }
            let earliest = due.iter().copied().min().unwrap_or(SimTime::MAX);
            if earliest != SimTime::MAX {
                sched(earliest, Event::Sample { wearable: w as u32 });
            }
        }
    }

    /// The trust model's state and counters.
    pub fn trust(&self) -> &trust::TrustState {
        &self.trust
    }

    /// The record store's state and counters.
    pub fn records(&self) -> &records::RecordsState {
        &self.records
    }

    /// The care workflow's state and counters.
    pub fn care(&self) -> &care::CareState {
        &self.care
    }

    /// Whole-run metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Per-node counters, by node id.
    pub fn counters(&self) -> &CounterTable {
        &self.counters
    }

    /// Per-node energy.
    pub fn energy(&self) -> &EnergyLedger {
        &self.energy
    }

    /// Real-cryptography round trips checked and failed (zero when off).
    pub fn real_crypto_counts(&self) -> (u64, u64) {
        self.crypto.real_counts()
    }

    /// Samples still in flight (queued, on a link, or in a batch), counted from the packet store.
    pub fn samples_in_flight(&self) -> u64 {
        self.packets.samples_in_flight()
    }

    fn kind_of(&self, node: u32) -> NodeKind {
        self.energy.kind_of(node)
    }

    /// Wearable `w` takes every sample now due, in sensor order, and sets its next wake-up.
    fn on_sample(&mut self, w: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let n = self.sensors.len();
        let mut earliest = SimTime::MAX;
        for s in 0..n {
            let slot = w as usize * n + s;
            if self.next_sample[slot] == now {
                if !self.energy.alive(w, now) {
                    return; // a dead wearable takes no more samples
                }
                let next = self.wearables[w as usize].next_sample(&self.sensors[s], now);
                self.next_sample[slot] = if next < self.generation_end { next } else { SimTime::MAX };
                self.take_sample(w, s as u16, sched);
            }
            earliest = earliest.min(self.next_sample[slot]);
        }
        if earliest != SimTime::MAX && self.energy.alive(w, now) {
            sched.schedule_at(earliest, Event::Sample { wearable: w });
        }
    }

    /// Wearable `w` takes one sample of sensor `s` and sends it.
    fn take_sample(&mut self, w: u32, s: u16, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let sensor = &self.sensors[s as usize];
        self.metrics.generated += 1;
        self.counters.add_generated(w);
        if let Some(trace) = &mut self.sample_trace {
            trace.push((w, s, now));
        }
        let packet = self.packets.insert(Packet::sample(w, s, sensor.sample_bytes, now));
        if self.crypto.spec.at == CryptoAt::Wearable && !self.seal_sample(w, w as usize, packet, now) {
            self.drop_packet(packet, w, DropCause::DeadNode);
            return;
        }
        self.send(packet, self.uplinks.of(w), sched);
    }

    /// Seals one sample at `node` (sender index `sender`); `false` if the node died trying.
    fn seal_sample(&mut self, node: u32, sender: usize, packet: u32, now: SimTime) -> bool {
        if !self.crypto.spec.encrypts() {
            return true;
        }
        let bytes = self.packets.get(packet).payload_bytes;
        let sealing = self.crypto.seal_sample(sender, bytes, now);
        if !self.energy.charge_cycles(node, sealing.cycles, now) {
            return false;
        }
        self.apply_sealing(node, packet, sealing);
        true
    }

    fn apply_sealing(&mut self, node: u32, packet: u32, sealing: Sealing) {
        if self.crypto.real_enabled() {
            self.expected_plaintext(packet);
            let plaintext = std::mem::take(&mut self.scratch);
            self.crypto.real_seal(packet, node, &plaintext, sealing.kem);
            self.scratch = plaintext;
        }
        let p = self.packets.get_mut(packet);
        p.payload_bytes += sealing.extra_bytes;
        p.flags |= FLAG_ENCRYPTED | if sealing.kem { FLAG_KEM } else { 0 };
    }

    /// Real mode: the plaintext a packet stands for, into `self.scratch`.
    fn expected_plaintext(&mut self, packet: u32) {
        self.scratch.clear();
        let p = self.packets.get(packet);
        let mut at = if p.is_batch() { p.first_child } else { packet };
        while at != NIL {
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

    /// Opens a sealed packet at cloudlet node `node`: charge decryption, check real ciphertext, restore plaintext size.
    fn open_at_cloudlet(&mut self, node: u32, packet: u32, now: SimTime) {
        let plaintext = self.plaintext_bytes(packet);
        let p = self.packets.get(packet);
        let cycles = self.crypto.open_cycles(plaintext, p.flags & FLAG_KEM != 0);
        self.energy.charge_cycles(node, cycles, now);
        if self.crypto.real_enabled() {
            self.expected_plaintext(packet);
            let expected = std::mem::take(&mut self.scratch);
            self.crypto.real_open(packet, &expected);
            self.scratch = expected;
        }
        let p = self.packets.get_mut(packet);
        p.payload_bytes = plaintext.min(u32::MAX as u64) as u32;
        p.flags = 0;
    }

    /// Plaintext bytes of a packet: a sample's size, or a batch's samples plus its framing.
    fn plaintext_bytes(&self, packet: u32) -> u64 {
        let p = self.packets.get(packet);
        if !p.is_batch() {
            return self.sensors[p.sensor as usize].sample_bytes as u64;
        }
        let mut sum = self.crypto.spec.batch_header_bytes as u64;
        let mut at = p.first_child;
        while at != NIL {
            let c = self.packets.get(at);
            sum += c.payload_bytes as u64;
            at = c.next;
        }
        sum
    }

    /// Offers `packet` to `link`: transmit now, queue, or drop.
    pub(crate) fn send(&mut self, packet: u32, link: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let p = self.packets.get_mut(packet);
        p.hop_start = now;
        p.link = link;
        let ends = self.links.ends(link);
        if !self.energy.alive(ends.src, now) {
            self.drop_packet(packet, ends.src, DropCause::DeadNode);
            return;
        }
        let buffer = self.params[ends.class].spec.buffer_packets;
        let q = self.links.queue_mut(link);
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
            self.packets.get_mut(tail).next = packet;
            Offer::Queued
        };
        match offer {
            Offer::Transmit => self.start_tx(link, sched),
            Offer::Queued => {}
            Offer::Full => self.drop_packet(packet, ends.src, DropCause::BufferFull),
        }
    }

    /// Starts one transmission attempt of the head packet, paying its radio energy; if the sender cannot pay, it
    /// is dead and everything queued on the link is dropped.
    fn start_tx(&mut self, link: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let ends = self.links.ends(link);
        let head = self.links.queue(link).head;
        let p = &self.params[ends.class];
        let payload = self.packets.get(head).payload_bytes;
        let (wire, tx_time) = (p.wire_bytes(payload), p.tx_time(payload));
        if !self.energy.charge(ends.src, Account::RadioTx, (wire * 8) as f64 * ends.tx_j_per_bit, now) {
            self.flush_dead_link(link);
            return;
        }
        self.counters.add_bytes_sent(ends.src, wire);
        sched.schedule_in(tx_time, Event::TxDone { link });
    }

    /// Drops every packet on a link whose sender died.
    fn flush_dead_link(&mut self, link: u32) {
        let src = self.links.ends(link).src;
        let mut at = std::mem::take(self.links.queue_mut(link)).head;
        while at != NIL {
            let next = self.packets.get(at).next;
            self.drop_packet(at, src, DropCause::DeadNode);
            at = next;
        }
    }

    fn on_tx_done(&mut self, link: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let ends = self.links.ends(link);
        let packet = self.links.queue(link).head;
        if packet == NIL {
            return; // the sender died during the attempt and its queue was flushed
        }
        let params = &self.params[ends.class];
        let lost = params.spec.loss_prob > 0.0 && self.links.rng_mut(link).random::<f64>() < params.spec.loss_prob;
        let wire = params.wire_bytes(self.packets.get(packet).payload_bytes);
        let max_retries = params.spec.max_retries;
        let latency = params.spec.latency;
        // The receiver listened to the whole attempt, lost or not.
        self.energy.charge(ends.dst, Account::RadioRx, (wire * 8) as f64 * self.rx_j_per_bit[ends.class], now);
        let pkt = self.packets.get_mut(packet);
        if lost && u32::from(pkt.retries) < max_retries {
            pkt.retries += 1;
            self.counters.add_retransmission(ends.src);
            self.start_tx(link, sched);
            return;
        }
        let next = pkt.next;
        pkt.next = NIL;
        pkt.retries = 0;
        if lost {
            self.drop_packet(packet, ends.src, DropCause::Lost);
        } else {
            self.counters.add_sent(ends.src);
            sched.schedule_in(latency, Event::Arrive { packet });
        }
        let q = self.links.queue_mut(link);
        q.head = next;
        if next == NIL {
            q.tail = NIL;
        } else {
            q.waiting -= 1;
            self.start_tx(link, sched);
        }
    }

    fn on_arrive(&mut self, packet: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let ends = self.links.ends(self.packets.get(packet).link);
        let (class, node) = (ends.class, ends.dst);
        if !self.energy.alive(node, now) {
            self.drop_packet(packet, node, DropCause::DeadNode);
            return;
        }
        if self.packets.get(packet).is_attack() {
            self.counters.add_received(node);
            self.forward_attack_packet(packet, node - self.first_cloudlet, sched);
            return;
        }
        let hop_start = self.packets.get(packet).hop_start;
        if hop_start >= self.warmup {
            self.metrics.hop[class].record(now - hop_start);
        }
        self.counters.add_received(node);
        match self.kind_of(node) {
            NodeKind::RemoteCloud => self.deliver(packet, now),
            NodeKind::BanGateway => self.at_gateway(node, packet, sched),
            NodeKind::Cloudlet => {
                if class == LinkClass::Access
                    && self.ids.inspects_uploads()
                    && !self.inspect_upload(node - self.first_cloudlet, packet, sched)
                {
                    return;
                }
                if self.packets.get(packet).flags & FLAG_ENCRYPTED != 0 {
                    self.open_at_cloudlet(node, packet, now);
                }
                if self.cloudlet_batch.is_some() && class == LinkClass::Access {
                    self.add_to_batch(node, packet, sched);
                } else {
                    self.send(packet, self.uplinks.of(node), sched);
                }
            }
            NodeKind::Wearable => unreachable!("no link leads to a wearable"),
        }
    }

    fn at_gateway(&mut self, node: u32, packet: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let spec = &self.crypto.spec;
        if spec.at == CryptoAt::Gateway && spec.encrypts() {
            if spec.mode == CryptoMode::Batch {
                self.add_to_batch(node, packet, sched);
                return;
            }
            if !self.seal_sample(node, (node - self.first_gateway) as usize, packet, now) {
                self.drop_packet(packet, node, DropCause::DeadNode);
                return;
            }
        }
        self.send(packet, self.uplinks.of(node), sched);
    }

    /// The batch buffer of node `node` (a cloudlet, or a gateway in crypto batch mode), with its interval and limit.
    fn batch_of(&mut self, node: u32) -> (&mut BatchBuffer, SimTime, u32) {
        if node >= self.first_cloudlet {
            let spec = self.cloudlet_batch.as_ref().expect("cloudlet batching is on");
            (&mut self.cloudlet_batches[(node - self.first_cloudlet) as usize], spec.interval, spec.max_samples)
        } else {
            (&mut self.gateway_batches[(node - self.first_gateway) as usize], self.crypto.spec.batch, u32::MAX)
        }
    }

    /// Adds a sample, or every sample of a batch, to node `node`'s batch.
    fn add_to_batch(&mut self, node: u32, packet: u32, sched: &mut Scheduler<Event>) {
        let p = self.packets.get(packet);
        if p.is_batch() {
            let mut at = p.first_child;
            self.packets.remove(packet);
            while at != NIL {
                let next = self.packets.get(at).next;
                self.add_sample_to_batch(node, at, sched);
                at = next;
            }
        } else {
            self.add_sample_to_batch(node, packet, sched);
        }
    }

    fn add_sample_to_batch(&mut self, node: u32, packet: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let bytes = {
            let p = self.packets.get_mut(packet);
            p.hop_start = now;
            p.next = NIL;
            p.payload_bytes
        };
        let (b, interval, max) = self.batch_of(node);
        let (was_empty, tail) = (b.count == 0, b.tail);
        if was_empty {
            b.head = packet;
            b.opened = now;
        }
        b.tail = packet;
        b.count += 1;
        b.payload_bytes += bytes as u64;
        let full = b.count >= max;
        if was_empty {
            sched.schedule_in(interval, Event::BatchDue { node });
        } else {
            self.packets.get_mut(tail).next = packet;
        }
        if full {
            self.flush_batch(node, sched);
        }
    }

    fn flush_batch(&mut self, node: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let at_gateway = node < self.first_cloudlet;
        let (b, _, _) = self.batch_of(node);
        let taken = std::mem::take(b);
        let wait = if at_gateway { &mut self.metrics.gateway_batch_wait } else { &mut self.metrics.batch_wait };
        let mut at = taken.head;
        while at != NIL {
            let p = self.packets.get(at);
            if p.created >= self.warmup {
                wait.record(now - p.hop_start);
            }
            at = p.next;
        }
        let header = if at_gateway {
            self.crypto.spec.batch_header_bytes
        } else {
            self.cloudlet_batch.as_ref().map_or(0, |b| b.header_bytes)
        };
        let payload = (taken.payload_bytes + header as u64).min(u32::MAX as u64) as u32;
        let batch = self.packets.insert(Packet::batch(node, taken.head, taken.count, payload, now));
        if at_gateway {
            let sealing = self.crypto.seal_batch(payload as u64);
            if !self.energy.charge_cycles(node, sealing.cycles, now) {
                self.drop_packet(batch, node, DropCause::DeadNode);
                return;
            }
            self.apply_sealing(node, batch, sealing);
        }
        self.send(batch, self.uplinks.of(node), sched);
    }

    fn deliver(&mut self, packet: u32, now: SimTime) {
        let p = self.packets.remove(packet);
        if !p.is_batch() {
            self.record_delivery(&p, now);
            return;
        }
        let mut at = p.first_child;
        while at != NIL {
            let child = self.packets.remove(at);
            self.record_delivery(&child, now);
            at = child.next;
        }
    }

    fn record_delivery(&mut self, sample: &Packet, now: SimTime) {
        self.metrics.delivered += 1;
        if sample.created >= self.warmup {
            self.metrics.delivered_after_warmup += 1;
            self.metrics.delivered_payload_bytes += self.sensors[sample.sensor as usize].sample_bytes as u64;
            self.metrics.end_to_end.record(now - sample.created);
        }
    }

    pub(crate) fn drop_packet(&mut self, packet: u32, at_node: u32, cause: DropCause) {
        self.crypto.real_forget(packet);
        let p = self.packets.remove(packet);
        if p.is_attack() {
            if p.created >= self.warmup {
                self.ids.metrics.flood_packets_dropped += 1;
            }
            return;
        }
        let mut samples = 1;
        if p.is_batch() {
            samples = 0;
            let mut at = p.first_child;
            while at != NIL {
                at = self.packets.remove(at).next;
                samples += 1;
            }
        }
        self.metrics.dropped[cause] += samples;
        self.counters.add_dropped(at_node, samples);
    }
}

impl Model for MeshModel {
    type Event = Event;

    fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) {
        match event {
            Event::Sample { wearable } => self.on_sample(wearable, sched),
            Event::TxDone { link } => self.on_tx_done(link, sched),
            Event::Arrive { packet } => self.on_arrive(packet, sched),
            Event::BatchDue { node } => {
                let now = sched.now();
                let (b, interval, _) = self.batch_of(node);
                // A timer is set for each batch as it opens; a batch that left early (full) leaves its timer behind,
                // and a later batch is only due if it opened one interval ago.
                if b.count > 0 && b.opened + interval == now {
                    self.flush_batch(node, sched);
                }
            }
            Event::CampaignStart { kind } => self.on_campaign_start(kind, sched),
            Event::CampaignAttack { campaign } => self.attack(campaign, sched),
            Event::FloodPacket { flood } => self.flood_packet(flood, sched),
            Event::Verdict { item } => self.verdict(item, sched.now(), sched),
            Event::Impact { item } => self.impact(item, sched.now()),
            Event::Signature { slot, campaign } => self.on_signature(slot, campaign),
            Event::DoctorAccess => self.on_doctor_access(sched),
            Event::ShareRequest { patient } => self.trust.on_share_request(patient, sched),
            Event::Audit => self.records.on_audit(sched),
            Event::AppointmentRequest { patient } => self.care.on_appointment_request(patient, sched),
            Event::AppointmentStep { appointment, step } => {
                self.care.on_appointment_step(&mut self.records, appointment, step, sched)
            }
        }
    }

    /// Starts loading what the delivery chain's next event will touch first: a wearable's sampling state, energy,
    /// counters and BAN link; a link's queue; an arriving packet.
    #[inline]
    fn prefetch(&self, next: &Event) {
        match *next {
            Event::Sample { wearable } => {
                let w = wearable as usize;
                crate::kernel::prefetch(&self.wearables[w]);
                crate::kernel::prefetch(&self.next_sample[w * self.sensors.len()]);
                self.energy.prefetch(wearable);
                self.counters.prefetch(wearable);
                self.links.prefetch(wearable);
            }
            Event::TxDone { link } => self.links.prefetch(link),
            Event::Arrive { packet } => self.packets.prefetch(packet),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every event fits in eight bytes, so a kernel queue entry (time and event) is sixteen.
    #[test]
    fn events_stay_eight_bytes() {
        assert_eq!(std::mem::size_of::<super::Event>(), 8);
    }
}
