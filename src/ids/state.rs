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
//!
//! This file holds the state and its helpers; the handlers are in [`super::traffic`] (campaigns, attacks, floods,
//! doctor accesses) and [`super::inspection`] (inspection, verdicts, impacts, signatures, uploads). They use the
//! delivery chain only through [`ChainCtx`](crate::chain::ChainCtx)'s send and drop interface, and the record store
//! only to report damage.

use std::collections::{HashMap, HashSet};

use rand::Rng;
use rand_distr::StandardNormal;
use slab::Slab;

use enum_map::{Enum, EnumMap};

use crate::chain::topology::{CoreRoutes, Topology};
use crate::chain::{Chain, CloudletIx, CoreIx, PatientId};
pub use crate::ids::placement::placement;
use crate::ids::{AttackKind, AttackSpec, BenignSpec, Detector, Entry, IdsSpec, Target};
use crate::kernel::{EntityRng, SimTime, StreamFactory};
use crate::stats::LatencyStats;
use crate::streams;

/// The IDS's events; the model's flat event enum holds them as its own variants (`From`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdsEvent {
    /// A new campaign of attack kind `kind` starts.
    CampaignStart {
        /// Attack kind.
        kind: AttackKind,
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
    Inspected {
        /// Job id.
        job: u32,
    },
    /// The fusion timeout of the item numbered `serial` (`packets` mode).
    FusionTimeout {
        /// Item serial number.
        serial: u32,
    },
}

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
    /// Signatures received by IDS nodes.
    pub signatures_shared: u64,
    /// Probe follow-ups, reconnaissance evasion and distributed attacks ([`KindMetrics`]).
    pub kinds: KindMetrics,
}

/// Counters of the attack kinds' consequences (docs/model.md §8.2). Attack items are counted by the time they
/// enter (after the warm-up), their detection at inspection, where the fused verdict is drawn.
#[derive(Debug, Clone, Default)]
pub struct KindMetrics {
    /// Probe follow-ups or reconnaissance evasion are configured (the summary reports them).
    pub follow_up_on: bool,
    /// Distributed attacks are configured (the summary reports them).
    pub distributed_on: bool,
    /// Probes without a fused alarm.
    pub probes_undetected: u64,
    /// Follow-up campaigns launched by undetected probes (counted with their probe).
    pub follow_ups: u64,
    /// Attack items of follow-up campaigns.
    pub follow_up_attacks: u64,
    /// Those with a fused alarm.
    pub follow_up_detected: u64,
    /// Attack items from a source inside its reconnaissance window (`recon_evasion` > 0).
    pub recon_attacks: u64,
    /// Those with a fused alarm.
    pub recon_detected: u64,
    /// Distributed attacks with at least one source inspected.
    pub distributed_attacks: u64,
    /// Those with at least one source detected.
    pub distributed_any_detected: u64,
    /// Those with every inspected source detected.
    pub distributed_all_detected: u64,
}

#[derive(Debug, Clone)]
pub(super) struct Campaign {
    /// Campaign number, unique over the run (signatures are keyed by it; slab slots are reused).
    pub(super) id: u32,
    pub(super) kind: AttackKind,
    pub(super) source: u64,
    pub(super) remaining: u32,
    /// Launched by an undetected probe: draws from the follow-up stream.
    pub(super) follow_up: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Flood {
    pub(super) source: u64,
    pub(super) entry: CloudletIx,
    pub(super) target: CoreIx,
    pub(super) remaining: u32,
    pub(super) bytes: u32,
    pub(super) interval: SimTime,
}

#[derive(Debug, Clone)]
pub(super) struct Item {
    pub(super) kind: Option<AttackKind>,
    pub(super) source: u64,
    pub(super) campaign: u32,
    pub(super) entry: CloudletIx,
    pub(super) patient: Option<PatientId>,
    pub(super) entered: SimTime,
    pub(super) alarm_at: Option<SimTime>,
    pub(super) counted: bool,
    /// Events still to come for this item (verdict, impact).
    pub(super) pending: u8,
    /// With signature sharing: the IDS slots that raised an alarm on this attack.
    pub(super) alarmed: Vec<u16>,
}

/// The attack and IDS state.
pub struct IdsState {
    pub(super) spec: IdsSpec,
    pub(super) attacks: EnumMap<AttackKind, AttackSpec>,
    pub(super) benign: BenignSpec,
    /// Cloudlet index of each IDS slot, in placement order.
    pub(super) slots: Vec<CloudletIx>,
    pub(super) slot_of: Vec<Option<u16>>,
    pub(super) rngs: Vec<EntityRng>,
    pub(super) latent: EntityRng,
    /// With the roc detector: the latent-score thresholds Φ⁻¹(1 − p), benign first, then by attack kind.
    pub(super) roc_thresholds: Vec<f64>,
    pub(super) attack_rngs: EnumMap<AttackKind, EntityRng>,
    pub(super) benign_rng: EntityRng,
    /// Probe follow-ups: decisions, delays and the follow-up campaigns' draws.
    pub(super) follow_up_rng: EntityRng,
    /// Sources inside their reconnaissance window, until when.
    pub(super) recon_until: HashMap<u64, SimTime>,
    pub(super) tokens: Vec<(f64, SimTime)>,
    pub(super) signatures: Vec<HashSet<u32>>,
    pub(super) blocked_until: HashMap<u64, SimTime>,
    pub(super) campaigns: Slab<Campaign>,
    pub(super) floods: Slab<Flood>,
    pub(super) items: Slab<Item>,
    pub(super) next_source: u64,
    pub(super) next_campaign: u32,
    pub(super) core: CoreRoutes,
    pub(super) cloudlets: u32,
    pub(super) patients: u32,
    pub(super) warmup: SimTime,
    pub(super) end: SimTime,
    /// Summary and verdict packets, inspections on the cloudlet cores, fusions (`packets` mode).
    pub(super) exchange: crate::ids::collab::Exchange,
    /// Counters.
    pub metrics: IdsMetrics,
}

/// Source ids: patients are `0..patients`; attackers and doctors are numbered above these tags.
pub(super) const ATTACKER_TAG: u64 = 1 << 40;
pub(super) const DOCTOR_TAG: u64 = 2 << 40;

/// Bytes of one live campaign, flood and inspected item, before the slab's own tag (for [`crate::estimate`]).
pub(crate) const STATE_BYTES: [usize; 3] =
    [std::mem::size_of::<Campaign>(), std::mem::size_of::<Flood>(), std::mem::size_of::<Item>()];

impl IdsState {
    /// The IDS of `cfg` on `topo`.
    pub fn new(cfg: &crate::scenario::ModelConfig, topo: &Topology, streams: &StreamFactory) -> Self {
        let placed = placement(&cfg.ids.placement, cfg.ids.count, topo, streams);
        // The roc detector's operating point, chosen once for these nodes.
        let spec = crate::ids::analytic::resolve(cfg, topo, &placed).ids.clone();
        let roc_thresholds = match &spec.detector {
            Detector::Roc(r) => std::iter::once(None)
                .chain(AttackKind::all().map(Some))
                .map(|k| crate::ids::roc::RocDetector::threshold(r.node_prob(k)))
                .collect(),
            _ => vec![],
        };
        let slots: Vec<CloudletIx> = placed.into_iter().map(CloudletIx).collect();
        let mut slot_of = vec![None; topo.cloudlets as usize];
        for (i, &c) in slots.iter().enumerate() {
            slot_of[c.index()] = Some(i as u16);
        }
        let capacity = spec.capacity_per_s.unwrap_or(0.0);
        IdsState {
            rngs: slots.iter().map(|&c| streams.stream(streams::IDS_NODE, u64::from(c.get()))).collect(),
            latent: streams.stream(streams::IDS_LATENT, 0),
            roc_thresholds,
            attack_rngs: EnumMap::from_fn(|k: AttackKind| streams.stream(streams::ATTACK, k.into_usize() as u64)),
            benign_rng: streams.stream(streams::BENIGN, 0),
            follow_up_rng: streams.stream(streams::ATTACK, streams::ATTACK_FOLLOW_UP),
            recon_until: HashMap::new(),
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
            exchange: Default::default(),
            metrics: IdsMetrics {
                kinds: KindMetrics {
                    follow_up_on: cfg.attacks[AttackKind::Probe].follow_up.is_some(),
                    distributed_on: cfg.attacks[AttackKind::Distributed].rate_per_s > 0.0,
                    ..KindMetrics::default()
                },
                ..IdsMetrics::default()
            },
        }
    }

    /// The cloudlets hosting IDS nodes, in placement order.
    pub fn nodes(&self) -> &[CloudletIx] {
        &self.slots
    }

    /// The counters of the summary and verdict exchange (all zero in `latency` mode).
    pub fn exchange_metrics(&self) -> &crate::ids::collab::ExchangeMetrics {
        &self.exchange.metrics
    }

    /// The IDS configuration.
    pub fn spec(&self) -> &IdsSpec {
        &self.spec
    }

    /// Whether anything is inspected at all.
    pub(super) fn active(&self) -> bool {
        !self.slots.is_empty()
    }

    /// Whether uploads are inspected.
    pub fn inspects_uploads(&self) -> bool {
        self.active() && self.benign.inspect_uploads
    }

    pub(super) fn blocked(&self, source: u64, now: SimTime) -> bool {
        self.blocked_until.get(&source).is_some_and(|&t| t > now)
    }

    pub(super) fn exp(rng: &mut EntityRng, rate_per_s: f64) -> SimTime {
        let u: f64 = rng.random::<f64>();
        SimTime::try_from_secs_f64(-(1.0 - u).ln() / rate_per_s).unwrap_or(SimTime::MAX)
    }

    /// The stream of a campaign's draws: its kind's, or the follow-up stream for a probe's follow-up.
    pub(super) fn campaign_rng(&mut self, kind: AttackKind, follow_up: bool) -> &mut EntityRng {
        if follow_up {
            &mut self.follow_up_rng
        } else {
            &mut self.attack_rngs[kind]
        }
    }

    pub(super) fn draw_entry(&mut self, kind: AttackKind, follow_up: bool) -> CloudletIx {
        let rng = if follow_up { &mut self.follow_up_rng } else { &mut self.attack_rngs[kind] };
        CloudletIx(match &self.attacks[kind].entry {
            Entry::Random => rng.random_range(0..self.cloudlets),
            Entry::Explicit(c) => *c,
            Entry::Weighted(w) => {
                let total: f64 = w.iter().sum();
                let mut x = rng.random::<f64>() * total;
                for (i, wi) in w.iter().enumerate() {
                    if x < *wi {
                        return CloudletIx(i as u32);
                    }
                    x -= wi;
                }
                w.iter().rposition(|wi| *wi > 0.0).unwrap_or(0) as u32
            }
        })
    }

    /// Core index of the target of an attack entering at `entry`.
    pub(super) fn draw_target(&mut self, kind: AttackKind, follow_up: bool, entry: CloudletIx) -> CoreIx {
        let entry = entry.get();
        CoreIx(match self.attacks[kind].target {
            Target::RemoteCloud => self.cloudlets,
            Target::Cloudlet(Some(c)) => c,
            Target::Cloudlet(None) => {
                let others = self.cloudlets - 1;
                let c = self.campaign_rng(kind, follow_up).random_range(0..others);
                if c >= entry {
                    c + 1
                } else {
                    c
                }
            }
        })
    }

    /// IDS slots inspecting an item from core node `entry` to core node `target`, with the time to gather their
    /// verdicts (one way along the route, or there and back across the mesh).
    pub(super) fn participants(&self, entry: CloudletIx, target: CoreIx, chain: &Chain) -> (Vec<u16>, SimTime) {
        let entry = CoreIx::from(entry);
        match self.spec.scope {
            crate::ids::IdsScope::Mesh => {
                let slots: Vec<u16> = (0..self.slots.len() as u16).collect();
                let far = self.slots.iter().map(|&c| self.core.latency(entry, c.into())).max().unwrap_or(SimTime::ZERO);
                (slots, far.saturating_mul(2))
            }
            crate::ids::IdsScope::Route => {
                let mut slots = Vec::new();
                let mut at = entry;
                let mut far = SimTime::ZERO;
                loop {
                    if let Some(s) = self.slot_of.get(at.index()).copied().flatten() {
                        slots.push(s);
                        far = self.core.latency(entry, at);
                    }
                    if at == target {
                        break;
                    }
                    at = chain.core_dst(self.core.next_link(at, target));
                }
                (slots, far)
            }
        }
    }

    /// One node's verdict on an item.
    pub(super) fn node_alarm(&mut self, slot: u16, kind: Option<AttackKind>, campaign: u32, z: f64) -> bool {
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
            Detector::Roc(r) => {
                // The latent score √ρ·Z + √(1 − ρ)·ε against Φ⁻¹(1 − p): alarm probability p, errors shared via Z.
                let threshold = self.roc_thresholds[kind.map_or(0, |k| 1 + k.into_usize())];
                let eps: f64 = rng.sample(StandardNormal);
                r.correlation.sqrt() * z + (1.0 - r.correlation).sqrt() * eps > threshold
            }
        }
    }

    /// Takes one inspection token from slot `slot` at `now`; `false` if it is out of capacity.
    pub(super) fn take_token(&mut self, slot: u16, now: SimTime) -> bool {
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

impl IdsState {
    /// Schedules the first campaign of every attack kind and the first doctor access.
    pub fn schedule_first_events(&mut self, sched: &mut impl FnMut(SimTime, IdsEvent)) {
        for kind in AttackKind::all() {
            let rate = self.attacks[kind].rate_per_s;
            if rate > 0.0 {
                let t = IdsState::exp(&mut self.attack_rngs[kind], rate);
                if t < self.end {
                    sched(t, IdsEvent::CampaignStart { kind });
                }
            }
        }
        let rate = self.benign.doctor_access_per_s;
        if rate > 0.0 {
            let t = IdsState::exp(&mut self.benign_rng, rate);
            if t < self.end {
                sched(t, IdsEvent::DoctorAccess);
            }
        }
    }
}
