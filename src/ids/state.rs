//! Attack traffic and the collaborative intrusion detection system on the cloudlet mesh.
//!
//! Attacks of six kinds arrive as Poisson campaigns (each campaign one source, `campaign_size` attacks apart by
//! exponential gaps); each attack enters the mesh at a cloudlet and aims at the remote cloud's record store or a
//! cloudlet. Every attack, every benign upload entering at its cloudlet and every doctor access is an *item* the IDS
//! inspects: the IDS nodes in scope (on the item's route, or all of them) each draw a verdict (Bernoulli or
//! correlated Gaussian score), the verdicts are fused (any, k-of-n, majority), and the decision is known after the
//! inspection time plus the mesh latency to gather it. An alarm blocks the item's source for `block_s`, alerts the
//! cloudlet (and the patient concerned), and — with signature sharing — sends the campaign's signature to the other
//! IDS nodes. Consequences are real: flood packets occupy links and buffers until their source is blocked; a record
//! read or modification that reaches its target before an alarm is damage; a false alarm blocks a patient's uploads.
//! See docs/model.md, "Intrusion detection".

use std::collections::{HashMap, HashSet};

use petgraph::visit::EdgeRef;
use rand::Rng;
use rand_distr::StandardNormal;
use slab::Slab;

use enum_map::{Enum, EnumMap};

use crate::ids::{AttackKind, AttackSpec, BenignSpec, Detector, Entry, IdsSpec, Placement, Target};
use crate::kernel::{EntityRng, Scheduler, SimTime, StreamFactory};
use crate::stats::LatencyStats;

use crate::chain::metrics::DropCause;
use crate::chain::packet::Packet;
use crate::chain::topology::{CoreRoutes, Topology};
use crate::model::{Event, MeshModel};
use crate::streams;

/// Attack and IDS counters. Items entering before the warm-up are not counted.
#[derive(Debug, Clone, Default)]
pub struct IdsMetrics {
    /// Attack items that reached inspection (including those no node had capacity for).
    pub attacks: u64,
    /// Attack items with a fused alarm.
    pub detected: u64,
    /// Attack items by kind.
    pub attacks_by_kind: EnumMap<AttackKind, u64>,
    /// Detected attack items by kind.
    pub detected_by_kind: EnumMap<AttackKind, u64>,
    /// Benign items inspected (uploads and doctor accesses).
    pub benign: u64,
    /// Benign items with a fused alarm.
    pub false_alarms: u64,
    /// Items no IDS node inspected (out of capacity, or none in scope).
    pub uninspected: u64,
    /// Node inspections skipped because the node was out of capacity.
    pub overflow_inspections: u64,
    /// Entry → alarm time of detected attacks.
    pub detection_latency: LatencyStats,
    /// Attacks stopped at entry because their source was blocked.
    pub blocked_attacks: u64,
    /// Flood packets not sent because their source was blocked.
    pub blocked_flood_packets: u64,
    /// Uploads dropped because their patient was blocked (after a false alarm).
    pub blocked_uploads: u64,
    /// Alerts to cloudlets.
    pub alerts_cloudlet: u64,
    /// Alerts to patients.
    pub alerts_patient: u64,
    /// Record reads that reached their target undetected.
    pub records_read: u64,
    /// Record modifications that reached their target undetected.
    pub records_tampered: u64,
    /// Record reads or modifications stopped by an alarm before they reached their target.
    pub prevented: u64,
    /// Flood packets injected.
    pub flood_packets_sent: u64,
    /// Flood packets that reached their target.
    pub flood_packets_delivered: u64,
    /// Flood packets dropped on the way.
    pub flood_packets_dropped: u64,
    /// Signatures received by IDS nodes.
    pub signatures_shared: u64,
}

#[derive(Debug, Clone)]
struct Campaign {
    /// Campaign number, unique over the run (signatures are keyed by it; slab slots are reused).
    id: u32,
    kind: AttackKind,
    source: u64,
    remaining: u32,
}

#[derive(Debug, Clone)]
struct Flood {
    source: u64,
    entry: u32,
    target: u32,
    remaining: u32,
    bytes: u32,
    interval: SimTime,
}

#[derive(Debug, Clone)]
struct Item {
    kind: Option<AttackKind>,
    source: u64,
    campaign: u32,
    entry: u32,
    patient: Option<u32>,
    entered: SimTime,
    alarm_at: Option<SimTime>,
    counted: bool,
    /// Events still to come for this item (verdict, impact).
    pending: u8,
    /// With signature sharing: the IDS slots that raised an alarm on this attack.
    alarmed: Vec<u16>,
}

/// The attack and IDS state.
pub struct IdsState {
    spec: IdsSpec,
    attacks: EnumMap<AttackKind, AttackSpec>,
    benign: BenignSpec,
    /// Cloudlet index of each IDS slot, in placement order.
    slots: Vec<u32>,
    slot_of: Vec<Option<u16>>,
    rngs: Vec<EntityRng>,
    latent: EntityRng,
    attack_rngs: EnumMap<AttackKind, EntityRng>,
    benign_rng: EntityRng,
    tokens: Vec<(f64, SimTime)>,
    signatures: Vec<HashSet<u32>>,
    blocked_until: HashMap<u64, SimTime>,
    campaigns: Slab<Campaign>,
    floods: Slab<Flood>,
    items: Slab<Item>,
    next_source: u64,
    next_campaign: u32,
    core: CoreRoutes,
    cloudlets: u32,
    patients: u32,
    warmup: SimTime,
    end: SimTime,
    /// Counters.
    pub metrics: IdsMetrics,
}

/// Source ids: patients are `0..patients`; attackers and doctors are numbered above these tags.
const ATTACKER_TAG: u64 = 1 << 40;
const DOCTOR_TAG: u64 = 2 << 40;

/// Bytes of one live campaign, flood and inspected item, before the slab's own tag (for [`crate::estimate`]).
pub(crate) const STATE_BYTES: [usize; 3] =
    [std::mem::size_of::<Campaign>(), std::mem::size_of::<Flood>(), std::mem::size_of::<Item>()];

impl IdsState {
    /// The IDS of `cfg` on `topo`.
    pub fn new(cfg: &crate::scenario::ModelConfig, topo: &Topology, streams: &StreamFactory) -> Self {
        let spec = cfg.ids.clone();
        let slots = placement(&spec.placement, spec.count, topo, streams);
        let mut slot_of = vec![None; topo.cloudlets as usize];
        for (i, &c) in slots.iter().enumerate() {
            slot_of[c as usize] = Some(i as u16);
        }
        let capacity = spec.capacity_per_s.unwrap_or(0.0);
        IdsState {
            rngs: slots.iter().map(|&c| streams.stream(streams::IDS_NODE, c as u64)).collect(),
            latent: streams.stream(streams::IDS_LATENT, 0),
            attack_rngs: EnumMap::from_fn(|k: AttackKind| streams.stream(streams::ATTACK, k.into_usize() as u64)),
            benign_rng: streams.stream(streams::BENIGN, 0),
            tokens: vec![(capacity, SimTime::ZERO); slots.len()],
            signatures: vec![HashSet::new(); slots.len()],
            slot_of,
            slots,
            attacks: cfg.attacks.clone(),
            benign: cfg.benign.clone(),
            spec,
            blocked_until: HashMap::new(),
            campaigns: Slab::new(),
            floods: Slab::new(),
            items: Slab::new(),
            next_source: 0,
            next_campaign: 0,
            core: topo.core.clone(),
            cloudlets: topo.cloudlets,
            patients: topo.patients,
            warmup: cfg.warmup,
            end: cfg.duration,
            metrics: IdsMetrics::default(),
        }
    }

    /// The cloudlets hosting IDS nodes, in placement order.
    pub fn nodes(&self) -> &[u32] {
        &self.slots
    }

    /// The IDS configuration.
    pub fn spec(&self) -> &IdsSpec {
        &self.spec
    }

    /// Whether anything is inspected at all.
    fn active(&self) -> bool {
        !self.slots.is_empty()
    }

    /// Whether uploads are inspected.
    pub fn inspects_uploads(&self) -> bool {
        self.active() && self.benign.inspect_uploads
    }

    fn blocked(&self, source: u64, now: SimTime) -> bool {
        self.blocked_until.get(&source).is_some_and(|&t| t > now)
    }

    fn exp(rng: &mut EntityRng, rate_per_s: f64) -> SimTime {
        let u: f64 = rng.random::<f64>();
        SimTime::try_from_secs_f64(-(1.0 - u).ln() / rate_per_s).unwrap_or(SimTime::MAX)
    }

    fn draw_entry(&mut self, kind: AttackKind) -> u32 {
        let rng = &mut self.attack_rngs[kind];
        match &self.attacks[kind].entry {
            Entry::Random => rng.random_range(0..self.cloudlets),
            Entry::Explicit(c) => *c,
            Entry::Weighted(w) => {
                let total: f64 = w.iter().sum();
                let mut x = rng.random::<f64>() * total;
                for (i, wi) in w.iter().enumerate() {
                    if x < *wi {
                        return i as u32;
                    }
                    x -= wi;
                }
                w.iter().rposition(|wi| *wi > 0.0).unwrap_or(0) as u32
            }
        }
    }

    /// Core index of the target of an attack entering at `entry`.
    fn draw_target(&mut self, kind: AttackKind, entry: u32) -> u32 {
        match self.attacks[kind].target {
            Target::RemoteCloud => self.cloudlets,
            Target::Cloudlet(Some(c)) => c,
            Target::Cloudlet(None) => {
                let c = self.attack_rngs[kind].random_range(0..self.cloudlets - 1);
                if c >= entry {
                    c + 1
                } else {
                    c
                }
            }
        }
    }

    /// IDS slots inspecting an item from core node `entry` to core node `target`, with the time to gather their
    /// verdicts (one way along the route, or there and back across the mesh).
    fn participants(&self, entry: u32, target: u32, links_dst: &dyn Fn(u32) -> u32) -> (Vec<u16>, SimTime) {
        match self.spec.scope {
            crate::ids::IdsScope::Mesh => {
                let slots: Vec<u16> = (0..self.slots.len() as u16).collect();
                let far = self.slots.iter().map(|&c| self.core.latency(entry, c)).max().unwrap_or(SimTime::ZERO);
                (slots, far.saturating_mul(2))
            }
            crate::ids::IdsScope::Route => {
                let mut slots = Vec::new();
                let mut at = entry;
                let mut far = SimTime::ZERO;
                loop {
                    if let Some(s) = self.slot_of.get(at as usize).copied().flatten() {
                        slots.push(s);
                        far = self.core.latency(entry, at);
                    }
                    if at == target {
                        break;
                    }
                    at = links_dst(self.core.next_link(at, target));
                }
                (slots, far)
            }
        }
    }

    /// One node's verdict on an item.
    fn node_alarm(&mut self, slot: u16, kind: Option<AttackKind>, campaign: u32, z: f64) -> bool {
        let signed = kind.is_some() && self.signatures[slot as usize].contains(&campaign);
        let rng = &mut self.rngs[slot as usize];
        if signed {
            return rng.random::<f64>() < self.spec.signature_detection_prob;
        }
        match &self.spec.detector {
            Detector::Bernoulli { detection, false_alarm } => {
                let p = kind.map_or(*false_alarm, |k| detection[k]);
                rng.random::<f64>() < p
            }
            Detector::Score { benign_mean, attack_mean, sd, correlation, threshold } => {
                let mean = kind.map_or(*benign_mean, |k| attack_mean[k]);
                let eps: f64 = rng.sample(StandardNormal);
                let score = mean + sd * (correlation.sqrt() * z + (1.0 - correlation).sqrt() * eps);
                score > *threshold
            }
        }
    }

    /// Takes one inspection token from slot `slot` at `now`; `false` if it is out of capacity.
    fn take_token(&mut self, slot: u16, now: SimTime) -> bool {
        let Some(rate) = self.spec.capacity_per_s else { return true };
        let (tokens, last) = &mut self.tokens[slot as usize];
        *tokens = (*tokens + (now - *last).as_secs_f64() * rate).min(rate.max(1.0));
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// IDS slots in placement order (the first `count` of a ranking, so that more nodes only add to fewer).
pub fn placement(rule: &Placement, count: u32, topo: &Topology, streams: &StreamFactory) -> Vec<u32> {
    let n = topo.cloudlets as usize;
    let mut g = petgraph::graph::UnGraph::<(), ()>::new_undirected();
    for _ in 0..n {
        g.add_node(());
    }
    for e in topo.core_graph.edge_references() {
        let (a, b) = (e.source().index(), e.target().index());
        if a < n && b < n && a < b {
            g.add_edge(petgraph::graph::NodeIndex::new(a), petgraph::graph::NodeIndex::new(b), ());
        }
    }
    let ranked = |score: Vec<f64>| {
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by(|&a, &b| score[b as usize].total_cmp(&score[a as usize]).then(a.cmp(&b)));
        order
    };
    let order: Vec<u32> = match rule {
        Placement::Explicit(nodes) => nodes.clone(),
        Placement::Betweenness => {
            let b = rustworkx_core::centrality::betweenness_centrality(&g, false, true, usize::MAX);
            ranked(b.into_iter().map(|x| x.unwrap_or(0.0)).collect())
        }
        Placement::Degree => ranked(g.node_indices().map(|v| g.neighbors(v).count() as f64).collect()),
        Placement::Random => {
            let mut rng = streams.stream(streams::IDS_PLACEMENT, 0);
            let mut order: Vec<u32> = (0..n as u32).collect();
            for i in (1..n).rev() {
                order.swap(i, rng.random_range(0..=i));
            }
            order
        }
    };
    order.into_iter().take(count as usize).collect()
}

impl MeshModel {
    /// Schedules the first campaign of every attack kind and the first doctor access.
    pub(crate) fn schedule_first_ids_events(&mut self, sched: &mut impl FnMut(SimTime, Event)) {
        let end = self.ids.end;
        for kind in AttackKind::all() {
            let rate = self.ids.attacks[kind].rate_per_s;
            if rate > 0.0 {
                let t = IdsState::exp(&mut self.ids.attack_rngs[kind], rate);
                if t < end {
                    sched(t, Event::CampaignStart { kind });
                }
            }
        }
        let rate = self.ids.benign.doctor_access_per_s;
        if rate > 0.0 {
            let t = IdsState::exp(&mut self.ids.benign_rng, rate);
            if t < end {
                sched(t, Event::DoctorAccess);
            }
        }
    }

    /// Attack and IDS counters.
    pub fn ids(&self) -> &IdsState {
        &self.ids
    }

    /// A new campaign of attack kind `kind` starts.
    pub(crate) fn on_campaign_start(&mut self, kind: AttackKind, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let spec = &self.ids.attacks[kind];
        let (rate, size) = (spec.rate_per_s, spec.campaign_size);
        let next = now.saturating_add(IdsState::exp(&mut self.ids.attack_rngs[kind], rate));
        if next < self.ids.end {
            sched.schedule_at(next, Event::CampaignStart { kind });
        }
        let sources = if kind == AttackKind::Distributed { spec.sources as u64 } else { 1 };
        let source = ATTACKER_TAG + self.ids.next_source;
        self.ids.next_source += sources;
        let id = self.ids.next_campaign;
        self.ids.next_campaign = id.wrapping_add(1);
        let campaign = self.ids.campaigns.insert(Campaign { id, kind, source, remaining: size }) as u32;
        self.attack(campaign, sched);
    }

    /// The signature of campaign `campaign` reaches IDS slot `slot`.
    pub(crate) fn on_signature(&mut self, slot: u16, campaign: u32) {
        if self.ids.signatures[slot as usize].insert(campaign) {
            self.ids.metrics.signatures_shared += 1;
        }
    }

    /// A doctor accesses a record (benign traffic the IDS inspects).
    pub(crate) fn on_doctor_access(&mut self, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let rate = self.ids.benign.doctor_access_per_s;
        let next = now.saturating_add(IdsState::exp(&mut self.ids.benign_rng, rate));
        if next < self.ids.end {
            sched.schedule_at(next, Event::DoctorAccess);
        }
        let entry = self.ids.benign_rng.random_range(0..self.ids.cloudlets);
        let source = DOCTOR_TAG + self.ids.next_source;
        self.ids.next_source += 1;
        if self.ids.active() {
            self.inspect(None, source, u32::MAX, entry, self.ids.cloudlets, None, sched);
        }
    }

    /// One attack of a campaign (several items for a distributed attack).
    pub(crate) fn attack(&mut self, campaign: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let c = &mut self.ids.campaigns[campaign as usize];
        let (kind, source, campaign_id) = (c.kind, c.source, c.id);
        c.remaining -= 1;
        if c.remaining > 0 {
            let gap = self.ids.attacks[kind].campaign_gap;
            let next = now.saturating_add(IdsState::exp(&mut self.ids.attack_rngs[kind], 1.0 / gap.as_secs_f64()));
            if next < self.ids.end {
                sched.schedule_at(next, Event::CampaignAttack { campaign });
            } else {
                self.ids.campaigns.remove(campaign as usize);
            }
        } else {
            self.ids.campaigns.remove(campaign as usize);
        }
        let sources = if kind == AttackKind::Distributed { self.ids.attacks[kind].sources } else { 1 };
        for j in 0..sources as u64 {
            let source = source + j;
            let entry = self.ids.draw_entry(kind);
            let target = self.ids.draw_target(kind, entry);
            if self.ids.blocked(source, now) {
                if now >= self.ids.warmup {
                    self.ids.metrics.blocked_attacks += 1;
                }
                continue;
            }
            let patient = match kind {
                AttackKind::DosFlood | AttackKind::Probe => None,
                _ => Some(self.ids.attack_rngs[kind].random_range(0..self.ids.patients.max(1))),
            };
            let item = self.inspect(Some(kind), source, campaign_id, entry, target, patient, sched);
            if kind == AttackKind::DosFlood && entry != target {
                let spec = &self.ids.attacks[kind];
                let flood = Flood {
                    source,
                    entry,
                    target,
                    remaining: spec.flood_packets,
                    bytes: spec.flood_packet_bytes,
                    interval: spec.flood_interval,
                };
                let id = self.ids.floods.insert(flood) as u32;
                self.flood_packet(id, sched);
            } else if patient.is_some() {
                // A record read or modification reaches its target after the route's latency.
                let delay = self.ids.core.latency(entry, target);
                self.ids.items[item as usize].pending += 1;
                sched.schedule_in(delay, Event::Impact { item });
            }
        }
    }

    /// Inspects one item entering at cloudlet `entry` toward core node `target` and schedules the verdict; returns
    /// the item id. With no IDS node in scope (or none with capacity) the item passes uninspected: it is counted,
    /// and can never raise an alarm.
    #[allow(clippy::too_many_arguments)]
    fn inspect(
        &mut self,
        kind: Option<AttackKind>,
        source: u64,
        campaign: u32,
        entry: u32,
        target: u32,
        patient: Option<u32>,
        sched: &mut Scheduler<Event>,
    ) -> u32 {
        let now = sched.now();
        let counted = now >= self.ids.warmup;
        let first_cloudlet = self.first_cloudlet;
        let links = &self.links;
        let (slots, gather) = self.ids.participants(entry, target, &|link| links.ends(link).dst - first_cloudlet);
        let z: f64 = if matches!(self.ids.spec.detector, Detector::Score { .. }) {
            self.ids.latent.sample(StandardNormal)
        } else {
            0.0
        };
        let (mut inspected, mut alarms) = (0u32, 0u32);
        let share = kind.is_some() && self.ids.spec.signature_sharing;
        let mut alarmed = Vec::new();
        for &slot in &slots {
            if !self.ids.take_token(slot, now) {
                if counted {
                    self.ids.metrics.overflow_inspections += 1;
                }
                continue;
            }
            inspected += 1;
            if self.ids.node_alarm(slot, kind, campaign, z) {
                alarms += 1;
                if share {
                    alarmed.push(slot);
                }
            }
        }
        let m = &mut self.ids.metrics;
        if counted {
            match kind {
                Some(k) => {
                    m.attacks += 1;
                    m.attacks_by_kind[k] += 1;
                }
                None => m.benign += 1,
            }
            if inspected == 0 {
                m.uninspected += 1;
            }
        }
        let alarm = inspected > 0 && alarms >= self.ids.spec.fusion.needed(inspected);
        let item = self.ids.items.insert(Item {
            kind,
            source,
            campaign,
            entry,
            patient,
            entered: now,
            alarm_at: None,
            counted,
            pending: 1,
            alarmed: Vec::new(),
        }) as u32;
        let at = now + self.ids.spec.processing + gather;
        if alarm {
            let it = &mut self.ids.items[item as usize];
            it.alarm_at = Some(at);
            it.alarmed = alarmed;
        }
        sched.schedule_at(at, Event::Verdict { item });
        item
    }

    pub(crate) fn verdict(&mut self, item: u32, now: SimTime, sched: &mut Scheduler<Event>) {
        let it = self.ids.items[item as usize].clone();
        if let Some(at) = it.alarm_at {
            let m = &mut self.ids.metrics;
            if it.counted {
                match it.kind {
                    Some(k) => {
                        m.detected += 1;
                        m.detected_by_kind[k] += 1;
                        m.detection_latency.record(at - it.entered);
                    }
                    None => m.false_alarms += 1,
                }
                m.alerts_cloudlet += 1;
                if it.patient.is_some() {
                    m.alerts_patient += 1;
                }
            }
            if self.ids.spec.block > SimTime::ZERO {
                self.ids.blocked_until.insert(it.source, now + self.ids.spec.block);
            }
            if it.kind.is_some() && self.ids.spec.signature_sharing {
                // The nodes that raised the alarm hold the signature from the verdict on; it reaches the others
                // from the entry cloudlet, where the verdict was assembled, after the mesh latency.
                for &slot in &it.alarmed {
                    self.ids.signatures[slot as usize].insert(it.campaign);
                }
                for slot in 0..self.ids.slots.len() as u16 {
                    if !self.ids.signatures[slot as usize].contains(&it.campaign) {
                        let delay = self.ids.core.latency(it.entry, self.ids.slots[slot as usize]);
                        sched.schedule_in(delay, Event::Signature { slot, campaign: it.campaign });
                    }
                }
            }
        }
        self.release_item(item);
    }

    pub(crate) fn impact(&mut self, item: u32, now: SimTime) {
        let it = &self.ids.items[item as usize];
        let prevented = it.alarm_at.is_some_and(|t| t <= now);
        let (counted, patient, tampering) = (it.counted, it.patient, it.kind == Some(AttackKind::DataTampering));
        if counted {
            let m = &mut self.ids.metrics;
            if prevented {
                m.prevented += 1;
            } else if tampering {
                m.records_tampered += 1;
            } else {
                m.records_read += 1;
            }
            if !prevented {
                self.records.on_impact(patient, tampering, now);
            }
        }
        self.release_item(item);
    }

    fn release_item(&mut self, item: u32) {
        let it = &mut self.ids.items[item as usize];
        it.pending -= 1;
        if it.pending == 0 {
            self.ids.items.remove(item as usize);
        }
    }

    pub(crate) fn flood_packet(&mut self, flood: u32, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let f = &mut self.ids.floods[flood as usize];
        f.remaining -= 1;
        let (source, entry, target, bytes, interval, remaining) =
            (f.source, f.entry, f.target, f.bytes, f.interval, f.remaining);
        if remaining > 0 {
            sched.schedule_in(interval, Event::FloodPacket { flood });
        } else {
            self.ids.floods.remove(flood as usize);
        }
        let counted = now >= self.ids.warmup;
        if self.ids.blocked(source, now) {
            if counted {
                self.ids.metrics.blocked_flood_packets += 1;
            }
            return;
        }
        if counted {
            self.ids.metrics.flood_packets_sent += 1;
        }
        let packet = self.packets.insert(Packet::flood(entry, target, bytes, now));
        let link = self.ids.core.next_link(entry, target);
        self.send(packet, link, sched);
    }

    /// An attack packet reached core node `here`: consumed at its target, forwarded otherwise.
    pub(crate) fn forward_attack_packet(&mut self, packet: u32, here: u32, sched: &mut Scheduler<Event>) {
        let (dst, created) = { (self.packets.get(packet).dst_core, self.packets.get(packet).created) };
        if here == dst {
            self.packets.remove(packet);
            // Counted by when the packet was sent, as `flood_packets_sent` and `flood_packets_dropped` are, so that
            // sent = delivered + dropped + in flight holds with a warm-up too.
            if created >= self.ids.warmup {
                self.ids.metrics.flood_packets_delivered += 1;
            }
        } else {
            let link = self.ids.core.next_link(here, dst);
            self.send(packet, link, sched);
        }
    }

    /// Inspects an upload entering the mesh at cloudlet `cloudlet`; `false` if its patient is blocked (the upload
    /// must be dropped).
    pub(crate) fn inspect_upload(&mut self, cloudlet: u32, packet: u32, sched: &mut Scheduler<Event>) -> bool {
        let p = self.packets.get(packet);
        let patient =
            if p.is_batch() { p.origin - (self.first_gateway) } else { p.origin / self.wearables_per_patient };
        let now = sched.now();
        if self.ids.blocked(patient as u64, now) {
            if now >= self.ids.warmup {
                self.ids.metrics.blocked_uploads += 1;
            }
            self.drop_packet(packet, self.first_cloudlet + cloudlet, DropCause::Blocked);
            return false;
        }
        self.inspect(None, patient as u64, u32::MAX, cloudlet, self.ids.cloudlets, Some(patient), sched);
        true
    }
}
