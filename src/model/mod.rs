//! The cloudlet-mesh model: samples travel wearable → BAN gateway → cloudlet → mesh hops → remote cloud.
//!
//! [`MeshModel`] implements the kernel's [`Model`] with one closed [`Event`] enum, handled in one `match`.
//! Pieces, one file each: [`topology`] (the graph and its routes), [`wearable`] (sampling), [`link`] (queues,
//! transmission, losses), [`cloudlet`] (store-and-forward batches), [`packet`] (packets in flight) and [`metrics`]
//! (what is counted).
//!
//! ```text
//!  wearable ──ban──▶ BAN gateway ──access──▶ cloudlet ══mesh══ cloudlet ──wan──▶ remote cloud
//!  (samples)          (one per patient)        (batches)                          (delivery)
//! ```

pub mod cloudlet;
pub mod link;
pub mod metrics;
pub mod packet;
pub mod streams;
pub mod topology;
pub mod wearable;

use rand::Rng;

use crate::kernel::{Model, Scheduler, SimTime, StreamFactory};
use crate::scenario::{LinkClass, ModelConfig, SensorSpec};

use cloudlet::BatchBuffer;
use link::{LinkParams, LinkState, Offer};
use metrics::{DropCause, Metrics, NodeCounters};
use packet::{Packet, PacketStore, NIL};
use topology::{NodeKind, Topology, NO_LINK};
use wearable::Wearable;

/// The model's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Wearable `wearable` takes a sample of sensor `sensor`.
    Sample {
        /// Wearable index.
        wearable: u32,
        /// Sensor index.
        sensor: u16,
    },
    /// The packet at the head of `link` finishes one transmission attempt.
    TxDone {
        /// Link id.
        link: u32,
    },
    /// `packet` reaches the far end of `link`.
    Arrive {
        /// Packet id.
        packet: u32,
        /// Link id.
        link: u32,
    },
    /// Cloudlet `cloudlet`'s batch number `epoch` is due to leave.
    BatchDue {
        /// Cloudlet index.
        cloudlet: u32,
        /// Batch epoch the timer was set for.
        epoch: u32,
    },
}

/// The state of the whole delivery chain.
pub struct MeshModel {
    sensors: Vec<SensorSpec>,
    generation_end: SimTime,
    params: [LinkParams; 4],
    batch: Option<crate::scenario::BatchSpec>,
    /// Node kind boundaries: wearables, then gateways, then cloudlets, then the cloud.
    first_gateway: u32,
    first_cloudlet: u32,
    cloud: u32,
    uplink: Vec<u32>,
    wearables: Vec<Wearable>,
    links: Vec<LinkState>,
    batches: Vec<BatchBuffer>,
    packets: PacketStore,
    counters: Vec<NodeCounters>,
    metrics: Metrics,
    sample_trace: Option<Vec<SampleRecord>>,
}

/// One sample as taken, for traces: (wearable, sensor, time).
pub type SampleRecord = (u32, u16, SimTime);

impl MeshModel {
    /// Builds the model's state for `cfg` on `topo`, with streams from `streams`.
    pub fn new(cfg: &ModelConfig, topo: &Topology, streams: &StreamFactory) -> Self {
        let longest = cfg
            .sensors
            .iter()
            .map(|s| s.period)
            .max()
            .unwrap_or(SimTime::from_secs(1));
        let wearables = (0..topo.wearables)
            .map(|w| Wearable::new(streams.stream(streams::WEARABLE, w as u64), longest))
            .collect();
        let links = topo
            .graph
            .edge_indices()
            .map(|e| {
                let (a, b) = topo.graph.edge_endpoints(e).expect("edge exists");
                let rng = streams.stream(streams::LINK, e.index() as u64);
                LinkState::new(rng, a.index() as u32, b.index() as u32, topo.graph[e].class)
            })
            .collect();
        MeshModel {
            sensors: cfg.sensors.clone(),
            generation_end: cfg.duration,
            params: LinkClass::ALL.map(|c| LinkParams::new(cfg.link(c).clone())),
            batch: cfg.cloudlets.batch.clone(),
            first_gateway: topo.gateway_node(0),
            first_cloudlet: topo.cloudlet_node(0),
            cloud: topo.cloud_node(),
            uplink: topo.uplink.clone(),
            wearables,
            links,
            batches: vec![BatchBuffer::default(); topo.cloudlets as usize],
            packets: PacketStore::default(),
            counters: vec![NodeCounters::default(); topo.node_count()],
            metrics: Metrics::default(),
            sample_trace: None,
        }
    }

    /// Starts recording every sample taken (wearable, sensor, time); for tests and debugging, costs memory.
    pub fn enable_sample_trace(&mut self) {
        self.sample_trace = Some(Vec::new());
    }

    /// The samples recorded since [`MeshModel::enable_sample_trace`], in the order taken.
    pub fn sample_trace(&self) -> &[SampleRecord] {
        self.sample_trace.as_deref().unwrap_or_default()
    }

    /// Schedules every wearable's first sample of every sensor (those before the end of generation).
    pub fn schedule_first_samples(&mut self, sched: &mut impl FnMut(SimTime, Event)) {
        for (w, wearable) in self.wearables.iter_mut().enumerate() {
            for (s, sensor) in self.sensors.iter().enumerate() {
                let t = wearable.first_sample(sensor);
                if t < self.generation_end {
                    sched(
                        t,
                        Event::Sample {
                            wearable: w as u32,
                            sensor: s as u16,
                        },
                    );
                }
            }
        }
    }

    /// Whole-run metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Per-node counters, by node id.
    pub fn counters(&self) -> &[NodeCounters] {
        &self.counters
    }

    /// Samples still in flight (queued, on a link, or in a batch), counted from the packet store.
    pub fn samples_in_flight(&self) -> u64 {
        self.packets.samples_in_flight()
    }

    fn kind_of(&self, node: u32) -> NodeKind {
        if node < self.first_gateway {
            NodeKind::Wearable
        } else if node < self.first_cloudlet {
            NodeKind::BanGateway
        } else if node < self.cloud {
            NodeKind::Cloudlet
        } else {
            NodeKind::RemoteCloud
        }
    }

    fn on_sample(&mut self, w: u32, s: u16, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let sensor = &self.sensors[s as usize];
        let next = self.wearables[w as usize].next_sample(sensor, now);
        if next < self.generation_end {
            sched.schedule_at(
                next,
                Event::Sample {
                    wearable: w,
                    sensor: s,
                },
            );
        }
        self.metrics.generated += 1;
        self.counters[w as usize].generated += 1;
        if let Some(trace) = &mut self.sample_trace {
            trace.push((w, s, now));
        }
        let packet = self.packets.insert(Packet {
            created: now,
            hop_start: now,
            payload_bytes: sensor.sample_bytes,
            origin: w,
            next: NIL,
            first_child: NIL,
            children: 0,
            sensor: s,
            retries: 0,
        });
        self.send(packet, self.uplink[w as usize], sched);
    }

    /// Offers `packet` to `link`: transmit now, queue, or drop.
    fn send(&mut self, packet: u32, link: u32, sched: &mut Scheduler<Event>) {
        self.packets.get_mut(packet).hop_start = sched.now();
        let l = &mut self.links[link as usize];
        let offer = if !l.busy() {
            l.head = packet;
            l.tail = packet;
            Offer::Transmit
        } else if l.waiting >= self.params[l.class.index()].spec.buffer_packets {
            Offer::Full
        } else {
            self.packets.get_mut(l.tail).next = packet;
            l.tail = packet;
            l.waiting += 1;
            Offer::Queued
        };
        match offer {
            Offer::Transmit => self.start_tx(link, sched),
            Offer::Queued => {}
            Offer::Full => {
                let src = self.links[link as usize].src;
                self.drop_packet(packet, src, DropCause::BufferFull);
            }
        }
    }

    fn start_tx(&mut self, link: u32, sched: &mut Scheduler<Event>) {
        let l = &self.links[link as usize];
        let p = &self.params[l.class.index()];
        let bytes = self.packets.get(l.head).payload_bytes;
        self.counters[l.src as usize].bytes_sent += p.wire_bytes(bytes);
        sched.schedule_in(p.tx_time(bytes), Event::TxDone { link });
    }

    fn on_tx_done(&mut self, link: u32, sched: &mut Scheduler<Event>) {
        let l = &mut self.links[link as usize];
        let (class, src, packet) = (l.class, l.src, l.head);
        let params = &self.params[class.index()];
        let lost = params.spec.loss_prob > 0.0 && l.rng.random::<f64>() < params.spec.loss_prob;
        let pkt = self.packets.get_mut(packet);
        if lost && u32::from(pkt.retries) < params.spec.max_retries {
            pkt.retries += 1;
            self.counters[src as usize].retransmissions += 1;
            self.start_tx(link, sched);
            return;
        }
        let next = pkt.next;
        pkt.next = NIL;
        pkt.retries = 0;
        if lost {
            self.drop_packet(packet, src, DropCause::Lost);
        } else {
            self.counters[src as usize].sent += 1;
            sched.schedule_in(params.spec.latency, Event::Arrive { packet, link });
        }
        let l = &mut self.links[link as usize];
        l.head = next;
        if next == NIL {
            l.tail = NIL;
        } else {
            l.waiting -= 1;
            self.start_tx(link, sched);
        }
    }

    fn on_arrive(&mut self, packet: u32, link: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let (class, node) = (
            self.links[link as usize].class,
            self.links[link as usize].dst,
        );
        let hop_start = self.packets.get(packet).hop_start;
        self.metrics.hop[class.index()].record(now - hop_start);
        self.counters[node as usize].received += 1;
        match self.kind_of(node) {
            NodeKind::RemoteCloud => self.deliver(packet, now),
            NodeKind::Cloudlet if self.batch.is_some() && !self.packets.get(packet).is_batch() => {
                self.add_to_batch(node - self.first_cloudlet, packet, sched)
            }
            _ => {
                let up = self.uplink[node as usize];
                debug_assert_ne!(up, NO_LINK, "every node but the cloud has an uplink");
                self.send(packet, up, sched);
            }
        }
    }

    fn add_to_batch(&mut self, cloudlet: u32, packet: u32, sched: &mut Scheduler<Event>) {
        let spec = self.batch.as_ref().expect("batching is on");
        let (interval, max) = (spec.interval, spec.max_samples);
        let now = sched.now();
        let bytes = {
            let p = self.packets.get_mut(packet);
            p.hop_start = now;
            p.payload_bytes
        };
        let b = &mut self.batches[cloudlet as usize];
        if b.count == 0 {
            b.head = packet;
            b.opened = now;
            sched.schedule_in(
                interval,
                Event::BatchDue {
                    cloudlet,
                    epoch: b.epoch,
                },
            );
        } else {
            let tail = b.tail;
            self.packets.get_mut(tail).next = packet;
        }
        let b = &mut self.batches[cloudlet as usize];
        b.tail = packet;
        b.count += 1;
        b.payload_bytes += bytes as u64;
        if b.count >= max {
            self.flush_batch(cloudlet, sched);
        }
    }

    fn flush_batch(&mut self, cloudlet: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let header = self.batch.as_ref().map_or(0, |b| b.header_bytes);
        let b = std::mem::take(&mut self.batches[cloudlet as usize]);
        self.batches[cloudlet as usize].epoch = b.epoch.wrapping_add(1);
        let mut at = b.head;
        while at != NIL {
            let p = self.packets.get(at);
            self.metrics.batch_wait.record(now - p.hop_start);
            at = p.next;
        }
        let payload = (b.payload_bytes + header as u64).min(u32::MAX as u64) as u32;
        let batch = self.packets.insert(Packet {
            created: now,
            hop_start: now,
            payload_bytes: payload,
            origin: cloudlet,
            next: NIL,
            first_child: b.head,
            children: b.count,
            sensor: 0,
            retries: 0,
        });
        let node = self.first_cloudlet + cloudlet;
        self.send(batch, self.uplink[node as usize], sched);
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
        self.metrics.delivered_payload_bytes += sample.payload_bytes as u64;
        self.metrics.end_to_end.record(now - sample.created);
    }

    fn drop_packet(&mut self, packet: u32, at_node: u32, cause: DropCause) {
        let p = self.packets.remove(packet);
        let mut samples = 1;
        if p.is_batch() {
            samples = 0;
            let mut at = p.first_child;
            while at != NIL {
                at = self.packets.remove(at).next;
                samples += 1;
            }
        }
        self.metrics.dropped[cause as usize] += samples;
        self.counters[at_node as usize].dropped += samples;
    }
}

impl Model for MeshModel {
    type Event = Event;

    fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) {
        match event {
            Event::Sample { wearable, sensor } => self.on_sample(wearable, sensor, sched),
            Event::TxDone { link } => self.on_tx_done(link, sched),
            Event::Arrive { packet, link } => self.on_arrive(packet, link, sched),
            Event::BatchDue { cloudlet, epoch } => {
                if self.batches[cloudlet as usize].epoch == epoch
                    && self.batches[cloudlet as usize].count > 0
                {
                    self.flush_batch(cloudlet, sched);
                }
            }
        }
    }
}
