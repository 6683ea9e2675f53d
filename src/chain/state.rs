//! The delivery chain's state ([`Chain`]), its events ([`ChainEvent`]) and the context its handlers run in
//! ([`ChainCtx`]: the chain, plus the energy ledger its nodes pay from and the sealing state of the packets it
//! carries).
//!
//! The handlers are in [`super::flow`] (sampling, links, arrivals, delivery), [`super::batching`] (cloudlet and
//! gateway batches) and [`super::seal`] (sealing at the sender, opening at the cloudlet). The chain knows nothing of
//! the IDS: an upload entering the mesh and an attack packet reaching a core node are handed back to the model as an
//! [`Arrival`], and the IDS uses the chain only through [`ChainCtx`]'s send and drop interface.

use enum_map::EnumMap;

use crate::chain::cloudlet::BatchBuffer;
use crate::chain::link::{LinkParams, Links};
use crate::chain::metrics::{CounterTable, Metrics};
use crate::chain::packet::{Packet, PacketStore};
use crate::chain::topology::{Topology, Uplinks};
use crate::chain::wearable::Wearable;
use crate::chain::{BatchSpec, CloudletIx, CoreIx, LinkClass, LinkId, NodeId, PacketId, PatientId, SensorSpec};
use crate::crypto::sealing::CryptoState;
use crate::crypto::{CryptoAt, CryptoMode};
use crate::energy::ledger::EnergyLedger;
use crate::kernel::{SimTime, StreamFactory};
use crate::scenario::ModelConfig;
use crate::streams;

/// The delivery chain's events; the model's flat event enum holds them as its own variants (`From`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainEvent {
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
}

/// What became of an arriving packet, for what the chain does not decide itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Arrival {
    /// The chain took it on (delivered, forwarded, batched or dropped).
    Handled,
    /// An upload reached its cloudlet from the access link: it enters the mesh once admitted
    /// ([`ChainCtx::enter_mesh`]); the IDS may inspect it first.
    Upload {
        /// Packet id.
        packet: PacketId,
        /// Cloudlet index.
        cloudlet: CloudletIx,
    },
    /// An attack packet reached core node `core` (a cloudlet index, or the cloudlet count for the remote cloud).
    Attack {
        /// Packet id.
        packet: PacketId,
        /// Core index of the node it reached.
        core: CoreIx,
    },
}

/// One sample as taken, for traces: (wearable, sensor, time).
pub type SampleRecord = (NodeId, u16, SimTime);

/// The state of the delivery chain: sampling, links and their queues, packets in flight, batches and counters.
pub struct Chain {
    pub(super) sensors: Vec<SensorSpec>,
    pub(super) generation_end: SimTime,
    pub(super) warmup: SimTime,
    pub(super) params: EnumMap<LinkClass, LinkParams>,
    pub(super) cloudlet_batch: Option<BatchSpec>,
    /// Node kind boundaries: wearables, then gateways, then cloudlets, then the cloud.
    pub(super) first_gateway: NodeId,
    pub(super) first_cloudlet: NodeId,
    pub(super) cloud: NodeId,
    /// Every node's link toward the remote cloud.
    pub(super) uplinks: Uplinks,
    pub(super) wearables: Vec<Wearable>,
    /// `next_sample[w * sensors + s]`: when wearable `w` next samples sensor `s` (`SimTime::MAX`: never again).
    pub(super) next_sample: Vec<SimTime>,
    pub(super) links: Links,
    pub(super) cloudlet_batches: Vec<BatchBuffer>,
    pub(super) gateway_batches: Vec<BatchBuffer>,
    pub(super) packets: PacketStore,
    pub(super) counters: CounterTable,
    /// Receiver energy per bit, by link class (J/bit).
    pub(super) rx_j_per_bit: EnumMap<LinkClass, f64>,
    pub(super) metrics: Metrics,
    pub(super) sample_trace: Option<Vec<SampleRecord>>,
    /// Real-crypto mode: the plaintext a packet stands for, rebuilt without allocating.
    pub(super) scratch: Vec<u8>,
    pub(super) wearables_per_patient: u32,
    /// BAN links' BLE connection state (`links.ban.mac = "ble"`).
    pub(super) ble: Option<crate::chain::ble_link::BleLinks>,
    /// Radio energy split by link class: all attempts, and retransmissions alone; and BLE's idle connection events.
    pub(super) radio: RadioEnergy,
    /// Links not under BLE whose class uses `loss_model = "channel"`: path loss and shadowing, by link id (empty
    /// when no such class).
    pub(super) channel: Vec<crate::chain::loss::LinkChannel>,
    /// Shadowing draws of those links, by link id.
    pub(super) channel_rng: Vec<crate::kernel::EntityRng>,
    /// Mean path loss of every BAN link (they share one distance), dB.
    pub(super) ban_path_loss_db: f64,
    /// Access links under the 802.11 DCF (`links.access.mac = "dcf"`).
    pub(super) access: Option<crate::chain::access::AccessDcf>,
    /// Handovers and re-attachment (`[mobility]` or phone cloudlets in use; `None` otherwise).
    pub(super) moves: Option<Box<crate::chain::moves::Moves>>,
}

/// Radio energy the chain's links spent, for `summary.json`'s `radio_energy` section.
#[derive(Debug, Clone, Default)]
pub struct RadioEnergy {
    /// Transmission and reception of packets (retransmissions included), by link class, J.
    pub packets_j: EnumMap<LinkClass, f64>,
    /// Of which retransmissions, J.
    pub retransmitted_j: EnumMap<LinkClass, f64>,
    /// BLE: idle connection events of wearables, J.
    pub ble_idle_wearable_j: f64,
    /// BLE: idle connection events of gateways (as centrals), J.
    pub ble_idle_gateway_j: f64,
}

impl Chain {
    /// The chain of `cfg` on `topo`, with streams from `streams`.
    pub fn new(cfg: &ModelConfig, topo: &Topology, streams: &StreamFactory) -> Self {
        let longest = cfg.sensors.iter().map(|s| s.period).max().unwrap_or(SimTime::from_secs(1));
        let wearables =
            (0..topo.wearables).map(|w| Wearable::new(streams.stream(streams::WEARABLE, w as u64), longest)).collect();
        let (first_gateway, first_cloudlet, cloud) =
            (topo.gateway_node(PatientId(0)), topo.cloudlet_node(CloudletIx(0)), topo.cloud_node());
        let links = Links::new(
            topo,
            |id, l| match l.link.class {
                LinkClass::Ban => streams.stream(streams::LINK_BAN, u64::from(id.get())),
                LinkClass::Access => streams.stream(streams::LINK_ACCESS, u64::from(id.get() - first_gateway.get())),
                LinkClass::Mesh | LinkClass::Wan => {
                    let core = |n: NodeId| if n == cloud { (1 << 24) - 1 } else { n.since(first_cloudlet) };
                    streams.stream(streams::LINK_CORE, streams::core_link_id(core(l.src), core(l.dst)))
                }
            },
            |class, distance_m| cfg.energy.radio[class].tx_j_per_bit(distance_m),
        );
        let crypto_batching = cfg.crypto.mode == CryptoMode::Batch && cfg.crypto.encrypts();
        Chain {
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
            rx_j_per_bit: EnumMap::from_fn(|c| cfg.energy.radio[c].rx_elec_j_per_bit),
            metrics: Metrics {
                interval_latency: cfg.output.interval.map(|_| crate::stats::LatencyStats::default()),
                ..Metrics::default()
            },
            sample_trace: None,
            scratch: Vec::new(),
            wearables_per_patient: topo.wearables_per_patient,
            ble: cfg.link(LinkClass::Ban).ble.as_ref().map(|mac| Self::ble_links(cfg, topo, streams, mac)),
            radio: RadioEnergy::default(),
            channel: Vec::new(),
            channel_rng: Vec::new(),
            access: cfg.link(LinkClass::Access).wifi.as_ref().map(|(mac, profile)| {
                crate::chain::access::AccessDcf::new(mac, profile, cfg.link(LinkClass::Access), topo)
            }),
            moves: None,
            ban_path_loss_db: match &cfg.link(LinkClass::Ban).loss {
                crate::chain::channel::LossModel::Channel(s) => s.mean_path_loss_db(topo.ban_distance_m),
                _ => 0.0,
            },
        }
        .with_channels(cfg, topo, streams)
    }

    /// BAN links' BLE state: anchors, and the first shadowing under the channel model.
    fn ble_links(
        cfg: &ModelConfig,
        topo: &Topology,
        streams: &StreamFactory,
        mac: &crate::chain::ble::BleMac,
    ) -> crate::chain::ble_link::BleLinks {
        let loss = &cfg.link(LinkClass::Ban).loss;
        let mut rngs: Vec<_> = (0..topo.wearables).map(|w| streams.stream(streams::BLE_ANCHOR, w as u64)).collect();
        let interval = mac.interval.as_nanos();
        let mut links = crate::chain::ble_link::BleLinks::new(mac, topo.wearables, |w| {
            rand::Rng::random_range(&mut rngs[w as usize], 0..interval)
        });
        if let Some((sigma, _)) = loss.shadowing() {
            for (w, rng) in rngs.iter_mut().enumerate() {
                links.set_shadow(w, crate::chain::channel::shadow_initial(sigma, rng));
            }
        }
        links
    }

    /// Channel state of the links not under BLE whose class uses `loss_model = "channel"`.
    fn with_channels(mut self, cfg: &ModelConfig, topo: &Topology, streams: &StreamFactory) -> Self {
        let uses = |c: LinkClass| {
            matches!(cfg.link(c).loss, crate::chain::channel::LossModel::Channel(_))
                && !(c == LinkClass::Ban && self.ble.is_some())
        };
        if !LinkClass::all().any(uses) {
            return self;
        }
        for (id, l) in topo.links().enumerate() {
            let mut rng = streams.stream(streams::CHANNEL, id as u64);
            let state = if uses(l.link.class) {
                crate::chain::loss::LinkChannel::new(&cfg.link(l.link.class).loss, l.link.distance_m, &mut rng)
            } else {
                crate::chain::loss::LinkChannel::default()
            };
            self.channel.push(state);
            self.channel_rng.push(rng);
        }
        self
    }

    /// Radio energy spent by the chain's links.
    pub fn radio_energy(&self) -> &RadioEnergy {
        &self.radio
    }

    /// The senders that seal body data under `cfg`'s crypto (wearables, or one gateway per patient).
    pub fn senders(cfg: &ModelConfig, topo: &Topology) -> usize {
        match cfg.crypto.at {
            CryptoAt::Wearable => topo.wearables as usize,
            CryptoAt::Gateway => topo.patients as usize,
        }
    }

    /// Draws every wearable's first sample time of each sensor; one pending event per wearable, at the earliest.
    pub fn schedule_first_samples(&mut self, sched: &mut impl FnMut(SimTime, ChainEvent)) {
        let n = self.sensors.len();
        for (w, wearable) in self.wearables.iter_mut().enumerate() {
            let due = &mut self.next_sample[w * n..(w + 1) * n];
            for (slot, sensor) in due.iter_mut().zip(&self.sensors) {
                let t = wearable.first_sample(sensor);
                *slot = if t < self.generation_end { t } else { SimTime::MAX };
            }
            let earliest = due.iter().copied().min().unwrap_or(SimTime::MAX);
            if earliest != SimTime::MAX {
                sched(earliest, ChainEvent::Sample { wearable: NodeId(w as u32) });
            }
        }
    }

    /// Starts recording every sample taken (wearable, sensor, time); for tests and debugging, costs memory.
    pub fn enable_sample_trace(&mut self) {
        self.sample_trace = Some(Vec::new());
    }

    /// The samples recorded since [`Chain::enable_sample_trace`], in the order taken.
    pub fn sample_trace(&self) -> &[SampleRecord] {
        self.sample_trace.as_deref().unwrap_or_default()
    }

    /// Whole-run metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The 50th and 95th percentiles (s) of the end-to-end latency of samples delivered since the last call, or
    /// `None` if none was (or no time series is kept); empties that distribution.
    pub fn take_interval_latency(&mut self) -> Option<(f64, f64)> {
        let stats = self.metrics.interval_latency.as_mut()?;
        let quantiles = (stats.count() > 0).then(|| (stats.quantile_s(0.5), stats.quantile_s(0.95)));
        stats.reset();
        quantiles
    }

    /// The link with the most packets in its queue now (the one being sent included) and that number; the lowest
    /// link id among equals. `None` when every queue is empty.
    pub fn busiest_link(&self) -> Option<(LinkId, u32)> {
        self.links.busiest()
    }

    /// Per-node counters, by node id.
    pub fn counters(&self) -> &CounterTable {
        &self.counters
    }

    /// Samples still in flight (queued, on a link, or in a batch), counted from the packet store.
    pub fn samples_in_flight(&self) -> u64 {
        self.packets.samples_in_flight()
    }

    /// IDS `[summary, verdict]` packets in flight, of those sent after the warm-up (counted as the IDS counts them
    /// sent, so that sent = delivered + dropped + in flight).
    pub fn ids_packets_in_flight(&self) -> [u64; 2] {
        self.packets.ids_in_flight(self.warmup)
    }

    /// Cloudlet index of cloudlet node `node`.
    #[inline]
    pub fn cloudlet_of(&self, node: NodeId) -> CloudletIx {
        CloudletIx(node.since(self.first_cloudlet))
    }

    /// The cloudlet nodes' ids.
    pub fn cloudlet_nodes(&self) -> impl Iterator<Item = NodeId> {
        (self.first_cloudlet.get()..self.cloud.get()).map(NodeId)
    }

    /// Node id of cloudlet `c`.
    #[inline]
    pub fn cloudlet_node(&self, c: CloudletIx) -> NodeId {
        self.first_cloudlet.offset(c.get())
    }

    /// The packet `packet`.
    #[inline]
    pub fn packet(&self, packet: PacketId) -> &Packet {
        self.packets.get(packet)
    }

    /// Core index (cloudlet index, or the cloudlet count for the remote cloud) of the far end of core link `link`.
    #[inline]
    pub fn core_dst(&self, link: LinkId) -> CoreIx {
        CoreIx(self.links.ends(link).dst.since(self.first_cloudlet))
    }

    /// The patient whose data upload `packet` (a sample, or a gateway's batch) carries.
    pub fn patient_of(&self, packet: PacketId) -> PatientId {
        let p = self.packets.get(packet);
        PatientId(if p.is_batch() {
            p.origin.since(self.first_gateway)
        } else {
            p.origin.get() / self.wearables_per_patient
        })
    }

    /// Starts loading what the chain's next event will touch first: a wearable's sampling state, energy, counters
    /// and BAN link; a link's queue; an arriving packet.
    #[inline]
    pub fn prefetch(&self, next: ChainEvent, energy: &EnergyLedger) {
        match next {
            ChainEvent::Sample { wearable } => {
                let w = wearable.index();
                crate::kernel::prefetch(&self.wearables[w]);
                crate::kernel::prefetch(&self.next_sample[w * self.sensors.len()]);
                energy.prefetch(wearable);
                self.counters.prefetch(wearable);
                self.links.prefetch(LinkId(wearable.get())); // a wearable's BAN link has its node id
                if let Some(ble) = &self.ble {
                    ble.prefetch(w);
                    // Settling the connection's idle events charges the gateway too.
                    energy.prefetch(self.first_gateway.offset(wearable.get() / self.wearables_per_patient));
                }
            }
            ChainEvent::TxDone { link } => self.links.prefetch(link),
            ChainEvent::Arrive { packet } => self.packets.prefetch(packet),
            ChainEvent::BatchDue { .. } => {}
        }
    }
}

/// The chain's handlers' context: the chain, and what it is lent — the energy ledger its nodes pay from and the
/// sealing state of the packets it carries. Other mechanisms (the IDS) get this as the chain's send and drop
/// interface; its fields are private to the chain.
pub struct ChainCtx<'a> {
    pub(super) chain: &'a mut Chain,
    pub(super) energy: &'a mut EnergyLedger,
    pub(super) crypto: &'a mut CryptoState,
    /// Patients' upload signatures, when on (`signatures.uploads`; lent by the model, see `chain/sign.rs`).
    pub(super) signing: Option<&'a mut crate::signatures::UploadSigning>,
}

impl<'a> ChainCtx<'a> {
    /// The chain, lent the energy ledger and the sealing state.
    #[inline]
    pub fn new(chain: &'a mut Chain, energy: &'a mut EnergyLedger, crypto: &'a mut CryptoState) -> Self {
        ChainCtx { chain, energy, crypto, signing: None }
    }

    /// Lends the chain the patients' upload signing (`None`: uploads are not signed).
    #[inline]
    pub fn with_signing(mut self, signing: Option<&'a mut crate::signatures::UploadSigning>) -> Self {
        self.signing = signing;
        self
    }

    /// The chain, to read.
    #[inline]
    pub fn chain(&self) -> &Chain {
        self.chain
    }

    /// Runs a job of `cycles` that is not cryptographic work (an IDS inspection) on cloudlet `cloudlet`'s cores,
    /// handed over at `now`: it queues with the openings of sealed samples on the same cores (first come, first
    /// served), but is not counted in the `crypto.processor` totals. Returns when it is done and how long it ran.
    pub fn run_on_cloudlet(&mut self, cloudlet: CloudletIx, cycles: f64, now: SimTime) -> (SimTime, SimTime) {
        self.crypto.processors.run_uncounted(cloudlet.index(), cycles, now)
    }
}
