//! The model: a thin router over the mechanisms' subsystems.
//!
//! [`MeshModel`] implements the kernel's [`Model`] with one closed, flat, 8-byte [`Event`] enum. It owns each
//! mechanism's state — the delivery chain ([`Chain`]), the energy ledger ([`crate::energy`]), the sealing state
//! ([`crate::crypto`]), the IDS ([`crate::ids`]), trust ([`crate::trust`]), the record store ([`crate::records`]) and
//! the care workflow ([`crate::care`]) — and hands each event to its subsystem with only what that subsystem may
//! touch: the chain is lent the energy ledger and the sealing state ([`ChainCtx`]); the IDS gets the chain through
//! that context (send and drop) and the record store it protects; care gets the record store; trust and records get
//! nothing else. Each subsystem schedules its own event enum (`ChainEvent`, `IdsEvent`, ...), converted into
//! [`Event`] by `From`.
//!
//! ```text
//!  wearable ──ban──▶ BAN gateway ──access──▶ cloudlet ══mesh══ cloudlet ──wan──▶ remote cloud
//!  (samples)          (one per patient)        (batches)                          (delivery)
//! ```

use crate::chain::metrics::{CounterTable, Metrics};
use crate::chain::topology::Topology;
use crate::chain::{
    Arrival, Chain, ChainCtx, ChainEvent, CloudletIx, LinkId, NodeId, PacketId, PatientId, SampleRecord,
};
use crate::crypto::sealing::CryptoState;
use crate::energy::ledger::EnergyLedger;
use crate::kernel::{Model, Scheduler, SimTime, StreamFactory};
use crate::mobility::MobilityEvent;
use crate::scenario::ModelConfig;
use crate::{care, ids, records, trust};

/// The model's events: one closed enum for the whole model, eight bytes each (kernel queue entries are sixteen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    // The delivery chain.
    /// Wearable `wearable` takes the samples now due (of one or more of its sensors).
    Sample {
        /// The wearable (a wearable's index is its node id).
        wearable: NodeId,
    },
    /// The packet at the head of `link` finishes one transmission attempt.
    TxDone {
        /// Link id.
        link: LinkId,
    },
    /// `packet` reaches the far end of the link it was last sent on.
    Arrive {
        /// Packet id.
        packet: PacketId,
    },
    /// The batch that node `node` (a cloudlet, or a gateway in crypto batch mode) is filling may be due to leave
    /// (it is if it was opened one batch interval ago).
    BatchDue {
        /// Node id.
        node: NodeId,
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
    /// IDS inspection `job` is done (`ids.collaboration.mode = "packets"`).
    IdsInspected {
        /// Job id.
        job: u32,
    },
    /// The fusion timeout of the IDS item numbered `serial`.
    FusionTimeout {
        /// Item serial number.
        serial: u32,
    },
    // Sharing between patients ([`trust`]).
    /// Patient `patient` asks to share data with another patient of its cloudlet.
    ShareRequest {
        /// Patient index.
        patient: PatientId,
    },
    // The record store ([`records`]).
    /// An integrity audit of the record store.
    Audit,
    // The appointment workflow ([`care`]).
    /// Patient `patient` requests an appointment.
    AppointmentRequest {
        /// Patient index.
        patient: PatientId,
    },
    /// `step` of appointment `appointment` has just happened.
    AppointmentStep {
        /// Appointment id.
        appointment: u32,
        /// The step.
        step: care::Step,
    },
    // Mobility, handovers and phone cloudlets ([`crate::mobility`]).
    /// Patients' positions are brought up to date.
    MobilityUpdate,
    /// Cloudlets advertise their load (`min_delay`).
    Advertise,
    /// Patient `patient`'s handover may be over.
    HandoverDone {
        /// Patient index.
        patient: PatientId,
    },
    /// Phone cloudlets' batteries are looked at.
    PowerCheck,
}

impl From<MobilityEvent> for Event {
    #[inline]
    fn from(e: MobilityEvent) -> Event {
        match e {
            MobilityEvent::Update => Event::MobilityUpdate,
            MobilityEvent::Advertise => Event::Advertise,
            MobilityEvent::HandoverDone { patient } => Event::HandoverDone { patient },
            MobilityEvent::PowerCheck => Event::PowerCheck,
        }
    }
}

impl From<ChainEvent> for Event {
    #[inline]
    fn from(e: ChainEvent) -> Event {
        match e {
            ChainEvent::Sample { wearable } => Event::Sample { wearable },
            ChainEvent::TxDone { link } => Event::TxDone { link },
            ChainEvent::Arrive { packet } => Event::Arrive { packet },
            ChainEvent::BatchDue { node } => Event::BatchDue { node },
        }
    }
}

impl From<ids::IdsEvent> for Event {
    #[inline]
    fn from(e: ids::IdsEvent) -> Event {
        use ids::IdsEvent as I;
        match e {
            I::CampaignStart { kind } => Event::CampaignStart { kind },
            I::CampaignAttack { campaign } => Event::CampaignAttack { campaign },
            I::FloodPacket { flood } => Event::FloodPacket { flood },
            I::Verdict { item } => Event::Verdict { item },
            I::Impact { item } => Event::Impact { item },
            I::Signature { slot, campaign } => Event::Signature { slot, campaign },
            I::DoctorAccess => Event::DoctorAccess,
            I::Inspected { job } => Event::IdsInspected { job },
            I::FusionTimeout { serial } => Event::FusionTimeout { serial },
        }
    }
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

/// The whole model: each mechanism's state, and the router between them.
pub struct MeshModel {
    chain: Chain,
    energy: EnergyLedger,
    crypto: CryptoState,
    ids: ids::IdsState,
    trust: trust::TrustState,
    records: records::RecordsState,
    care: care::CareState,
    signatures: crate::signatures::SignaturesState,
    /// Mobility, handovers and phone cloudlets (`None` when off).
    mobility: Option<Box<crate::mobility::MobilityState>>,
}

impl MeshModel {
    /// Builds the model's state for `cfg` on `topo`, with streams from `streams`.
    pub fn new(cfg: &ModelConfig, topo: &Topology, streams: &StreamFactory) -> Self {
        let (first_gateway, first_cloudlet, cloud) =
            (topo.gateway_node(PatientId(0)), topo.cloudlet_node(CloudletIx(0)), topo.cloud_node());
        let mut crypto = CryptoState::new(
            cfg.crypto.clone(),
            &cfg.energy.processor,
            Chain::senders(cfg, topo),
            cfg.cloudlets.count as usize,
        );
        crypto.channel = crate::crypto::channel::ChannelState::new(
            &cfg.channel,
            cfg.cloudlets.count as usize,
            (cfg.crypto.aead_server_cycles_per_message, cfg.crypto.aead_server_cycles_per_byte),
            cfg.energy.cloudlet_j_per_cycle,
        );
        let records = records::RecordsState::new(cfg, topo, streams);
        let mobility = crate::mobility::MobilityState::new(cfg, topo, streams).map(Box::new);
        let mut chain = Chain::new(cfg, topo, streams);
        if let Some(m) = &mobility {
            chain.enable_moves(m.moves(cfg, topo));
        }
        let mut energy = EnergyLedger::new(&cfg.energy, topo.node_count(), first_gateway, first_cloudlet, cloud)
            .with_horizon(cfg.end_time());
        if let Some(phone) = &cfg.cloudlet_power {
            energy = energy.with_cloudlet_battery(phone.battery_j);
        }
        MeshModel {
            signatures: crate::signatures::SignaturesState::new(cfg, topo, streams, &records),
            chain,
            energy,
            crypto,
            ids: ids::IdsState::new(cfg, topo, streams),
            trust: trust::TrustState::new(cfg, topo, streams),
            records,
            care: care::CareState::new(cfg, topo, streams),
            mobility,
        }
    }

    /// Charges every cloudlet's key-pair generation at time zero (the receivers' keys for the scheme).
    pub fn generate_cloudlet_keys(&mut self) {
        let cycles = self.crypto.spec.scheme.server_keygen_cycles;
        if self.crypto.spec.has_kem() {
            for c in self.chain.cloudlet_nodes() {
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
        self.chain.enable_sample_trace();
    }

    /// The samples recorded since [`MeshModel::enable_sample_trace`], in the order taken.
    pub fn sample_trace(&self) -> &[SampleRecord] {
        self.chain.sample_trace()
    }

    /// Schedules the initial events: every wearable's first sample of every sensor (those before the end of
    /// generation), the first attack campaigns and the first doctor access, and (when those parts are on) every
    /// patient's first share request and appointment and the first record audit.
    pub fn schedule_initial_events(&mut self, sched: &mut impl FnMut(SimTime, Event)) {
        self.chain.schedule_first_samples(&mut |t, e| sched(t, e.into()));
        self.ids.schedule_first_events(&mut |t, e| sched(t, e.into()));
        self.trust.schedule_first_events(&mut |t, e| sched(t, e.into()));
        self.records.schedule_first_events(&mut |t, e| sched(t, e.into()));
        self.care.schedule_first_events(&mut |t, e| sched(t, e.into()));
        if let Some(m) = &mut self.mobility {
            let mut chain = ChainCtx::new(&mut self.chain, &mut self.energy, &mut self.crypto);
            m.start(&mut chain, &mut |t, e| sched(t, e.into()));
        }
    }

    /// Hands a mobility event to its mechanism, lending it the chain.
    fn on_mobility(&mut self, event: MobilityEvent, sched: &mut Scheduler<Event>) {
        let m = self.mobility.as_mut().expect("mobility events come only from the mobility mechanism");
        let mut chain = ChainCtx::new(&mut self.chain, &mut self.energy, &mut self.crypto);
        m.handle(event, &mut chain, sched);
    }

    /// Mobility, handovers and phone cloudlets (`None` when off).
    pub fn mobility(&self) -> Option<&crate::mobility::MobilityState> {
        self.mobility.as_deref()
    }

    /// Closes the books at the end of the run, `end`: charges what accrues without events (BLE connections' idle
    /// events since their last transfer).
    pub fn finish(&mut self, end: SimTime) {
        ChainCtx::new(&mut self.chain, &mut self.energy, &mut self.crypto).finish_ble(end);
    }

    /// The delivery chain.
    pub fn chain(&self) -> &Chain {
        &self.chain
    }

    /// Attack and IDS state and counters.
    pub fn ids(&self) -> &ids::IdsState {
        &self.ids
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

    /// The signatures' state and counters.
    pub fn signatures(&self) -> &crate::signatures::SignaturesState {
        &self.signatures
    }

    /// The delivery chain's whole-run metrics.
    pub fn metrics(&self) -> &Metrics {
        self.chain.metrics()
    }

    /// The 50th and 95th percentiles (s) of the end-to-end latency of the samples delivered since the last call
    /// (`None` if none was, or without `output.interval_s`); starts the next interval's distribution.
    pub fn take_interval_latency(&mut self) -> Option<(f64, f64)> {
        self.chain.take_interval_latency()
    }

    /// Per-node counters, by node id.
    pub fn counters(&self) -> &CounterTable {
        self.chain.counters()
    }

    /// Per-node energy.
    pub fn energy(&self) -> &EnergyLedger {
        &self.energy
    }

    /// Real-cryptography round trips checked and failed (zero when off).
    pub fn real_crypto_counts(&self) -> (u64, u64) {
        self.crypto.real_counts()
    }

    /// The cloudlet → cloud channel's state, when `[channel]` asks for it.
    pub fn channel(&self) -> Option<&crate::crypto::channel::ChannelState> {
        self.crypto.channel.as_ref()
    }

    /// The session AEAD's cipher and its forced rekeys (`None` with the default AEAD).
    pub fn crypto_cipher_info(&self) -> Option<crate::crypto::output::CipherInfo> {
        crate::crypto::output::cipher_info(&self.crypto)
    }

    /// The processors that did the cryptographic work.
    pub fn processors(&self) -> &crate::crypto::processor::Processors {
        &self.crypto.processors
    }

    /// Samples still in flight (queued, on a link, or in a batch), counted from the packet store.
    pub fn samples_in_flight(&self) -> u64 {
        self.chain.samples_in_flight()
    }
}

impl Model for MeshModel {
    type Event = Event;

    fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) {
        let mut chain = ChainCtx::new(&mut self.chain, &mut self.energy, &mut self.crypto)
            .with_signing(self.signatures.uploads.as_mut());
        match event {
            Event::Sample { wearable } => chain.on_sample(wearable, sched),
            Event::TxDone { link } => chain.on_tx_done(link, sched),
            Event::Arrive { packet } => match chain.on_arrive(packet, sched) {
                Arrival::Handled => {}
                Arrival::Upload { packet, cloudlet } => {
                    if !self.ids.inspects_uploads() || self.ids.admit_upload(cloudlet, packet, &mut chain, sched) {
                        chain.enter_mesh(cloudlet, packet, sched);
                    }
                }
                Arrival::Attack { packet, core } if chain.chain().packet(packet).is_ids() => {
                    self.ids.on_ids_packet(packet, core, &mut chain, sched)
                }
                Arrival::Attack { packet, core } => self.ids.on_attack_packet(packet, core, &mut chain, sched),
            },
            Event::BatchDue { node } => chain.on_batch_due(node, sched),
            Event::CampaignStart { kind } => self.ids.on_campaign_start(kind, &mut chain, sched),
            Event::CampaignAttack { campaign } => self.ids.attack(campaign, &mut chain, sched),
            Event::FloodPacket { flood } => self.ids.flood_packet(flood, &mut chain, sched),
            Event::Verdict { item } => self.ids.on_verdict(item, sched),
            Event::Impact { item } => self.ids.on_impact(item, &mut self.records, sched.now()),
            Event::Signature { slot, campaign } => self.ids.on_signature(slot, campaign),
            Event::DoctorAccess => self.ids.on_doctor_access(&mut chain, sched),
            Event::IdsInspected { job } => self.ids.on_inspected(job, &mut chain, sched),
            Event::FusionTimeout { serial } => self.ids.on_fusion_timeout(serial, sched),
            Event::ShareRequest { patient } => self.trust.on_share_request(patient, sched),
            Event::Audit => {
                self.signatures.before_audit(&self.records, sched.now());
                self.records.on_audit(sched)
            }
            Event::AppointmentRequest { patient } => self.care.on_appointment_request(patient, sched),
            Event::AppointmentStep { appointment, step } => {
                let who = self.care.appointment(appointment).filter(|_| self.signatures.enabled());
                if let Some((patient, doctor)) = who {
                    let s = &mut self.signatures;
                    s.before_care_step(
                        appointment,
                        patient,
                        doctor,
                        step,
                        &self.records,
                        &mut self.energy,
                        sched.now(),
                    );
                }
                self.care.on_appointment_step(&mut self.records, appointment, step, sched);
                if let Some((patient, _)) = who {
                    self.signatures.after_care_step(appointment, patient, step, &self.records);
                }
            }
            Event::MobilityUpdate => self.on_mobility(MobilityEvent::Update, sched),
            Event::Advertise => self.on_mobility(MobilityEvent::Advertise, sched),
            Event::HandoverDone { patient } => self.on_mobility(MobilityEvent::HandoverDone { patient }, sched),
            Event::PowerCheck => self.on_mobility(MobilityEvent::PowerCheck, sched),
        }
        if let Some(m) = &mut self.mobility {
            let mut chain = ChainCtx::new(&mut self.chain, &mut self.energy, &mut self.crypto);
            m.after_event(&mut chain, sched);
        }
    }

    /// Starts loading what the delivery chain's next event will touch first.
    #[inline]
    fn prefetch(&self, next: &Event) {
        let next = match *next {
            Event::Sample { wearable } => ChainEvent::Sample { wearable },
            Event::TxDone { link } => ChainEvent::TxDone { link },
            Event::Arrive { packet } => ChainEvent::Arrive { packet },
            _ => return,
        };
        self.chain.prefetch(next, &self.energy);
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
