//! The mobility mechanism's state and handlers: where patients are, when gateways hand over and to which cloudlet,
//! load advertisements for `patients.attach = "min_delay"`, and phone cloudlets' deaths.
//!
//! Events (none at all when the mechanism is off): `Update` every `mobility.update_s` while patients move (positions
//! brought up to date; a gateway out of range of its cloudlet hands over to the nearest cloudlet in range under
//! `nearest`, to the one of least estimated delay under `min_delay`); `Advertise` every `mobility.advertise_s` under
//! `min_delay` (each cloudlet broadcasts its load; each gateway re-chooses with hysteresis); `HandoverDone` at the end
//! of each handover; `PowerCheck` every `cloudlet_power.check_s` with phone cloudlets. Deaths are also looked for
//! after every event ([`MobilityState::after_event`]), so a cloudlet that dies paying for an event leaves at once.

use super::config::{MobilitySpec, Motion, PhonePower};
use super::waypoint::{Walker, WaypointArea};
use crate::chain::reattach::Moves;
use crate::chain::reroute::CoreGraph;
use crate::chain::topology::Topology;
use crate::chain::{Attach, ChainCtx, ChainEvent, CloudletIx, LinkClass, PatientId};
use crate::energy::ledger::Account;
use crate::kernel::{Scheduler, SimTime, StreamFactory};
use crate::scenario::ModelConfig;
use crate::streams;

/// The mobility mechanism's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MobilityEvent {
    /// Positions are brought up to date.
    Update,
    /// Cloudlets advertise their load (`min_delay`).
    Advertise,
    /// Patient `patient`'s handover may be over.
    HandoverDone {
        /// The patient.
        patient: PatientId,
    },
    /// Phone cloudlets' batteries are looked at.
    PowerCheck,
}

/// What the mechanism counted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MobilityCounts {
    /// Position updates.
    pub updates: u64,
    /// Patient-updates that found no live cloudlet in range (the gateway stays with its cloudlet).
    pub out_of_range: u64,
    /// Handovers because the gateway left its cloudlet's range.
    pub range_handovers: u64,
    /// Handovers chosen by `min_delay` on an advertisement.
    pub delay_handovers: u64,
    /// `min_delay`'s first choices at time zero that differ from the nearest cloudlet (no handover delay).
    pub initial_moves: u64,
    /// Advertisements broadcast (one per live cloudlet per round).
    pub advertisements: u64,
    /// Their bytes.
    pub advertisement_bytes: u64,
    /// Radio energy they cost (cloudlets sending, gateways in range receiving), J.
    pub advertisement_energy_j: f64,
    /// Cloudlet deaths: (cloudlet, time).
    pub deaths: Vec<(u32, SimTime)>,
    /// Samples lost at dead cloudlets when they died.
    pub lost_at_death: u64,
    /// Patients re-attached after their cloudlet died.
    pub reattached_after_death: u64,
    /// Patients left with no live cloudlet in range when theirs died.
    pub cut_off: u64,
}

/// The mobility mechanism's state.
pub struct MobilityState {
    pub(super) spec: MobilitySpec,
    pub(super) phone: Option<PhonePower>,
    pub(super) min_delay: bool,
    pub(super) area: WaypointArea,
    pub(super) pos: Vec<(f64, f64)>,
    pub(super) walkers: Vec<Walker>,
    pub(super) cloudlet_pos: Vec<(f64, f64)>,
    /// What each cloudlet last advertised, s.
    pub(super) advertised: Vec<f64>,
    /// Bytes of the upload whose delay `min_delay` estimates (the first sensor's sample).
    pub(super) probe_bytes: u32,
    pub(super) core: Option<CoreGraph>,
    /// Mean per-bit figures of the access radio for advertisements: transmit over `range_m`, receive.
    pub(super) adv_tx_j_per_bit: f64,
    pub(super) adv_rx_j_per_bit: f64,
    /// Advertisement rounds so far.
    pub(super) rounds: u64,
    /// No new update or advertisement at or after this instant (the end of generation).
    pub(super) end: SimTime,
    /// No power check at or after this instant (the run's end).
    pub(super) horizon: SimTime,
    pub(super) counts: MobilityCounts,
}

impl MobilityState {
    /// The mechanism for `cfg` on `topo`, or `None` when it is off (patients static, `attach` not `min_delay`,
    /// mains-powered cloudlets).
    pub fn new(cfg: &ModelConfig, topo: &Topology, streams: &StreamFactory) -> Option<Self> {
        let min_delay = cfg.attach == Attach::MinDelay;
        if !super::validate::active(&cfg.mobility.motion, min_delay, cfg.cloudlet_power.is_some()) {
            return None;
        }
        let (speed_min_mps, speed_max_mps, pause_s) = match cfg.mobility.motion {
            Motion::Waypoint { speed_min_mps, speed_max_mps, pause_s } => (speed_min_mps, speed_max_mps, pause_s),
            _ => (1.0, 1.0, 0.0),
        };
        let walkers = match cfg.mobility.motion {
            Motion::Waypoint { .. } => (0..topo.patients)
                .map(|p| Walker::new(streams.stream(streams::MOBILITY, u64::from(p)), topo.patient_pos[p as usize]))
                .collect(),
            _ => Vec::new(),
        };
        let radio = &cfg.energy.radio[LinkClass::Access];
        let cloudlet_pos = (0..topo.cloudlets)
            .map(|c| {
                let n = topo.node(topo.cloudlet_node(CloudletIx(c)));
                (n.x_m, n.y_m)
            })
            .collect();
        Some(MobilityState {
            spec: cfg.mobility.clone(),
            phone: cfg.cloudlet_power,
            min_delay,
            area: WaypointArea {
                width_m: cfg.area_width_m,
                height_m: cfg.area_height_m,
                speed_min_mps,
                speed_max_mps,
                pause_s,
            },
            pos: topo.patient_pos.clone(),
            walkers,
            cloudlet_pos,
            advertised: vec![0.0; topo.cloudlets as usize],
            probe_bytes: cfg.sensors.first().map_or(64, |s| s.sample_bytes),
            core: cfg.cloudlet_power.map(|_| CoreGraph::new(cfg, topo)),
            adv_tx_j_per_bit: radio.tx_j_per_bit(cfg.mobility.range_m),
            adv_rx_j_per_bit: radio.rx_elec_j_per_bit,
            rounds: 0,
            end: cfg.duration,
            horizon: cfg.end_time(),
            counts: MobilityCounts::default(),
        })
    }

    /// The chain's handover state for this mechanism (see [`crate::chain::reattach`]).
    pub fn moves(&self, cfg: &ModelConfig, topo: &Topology) -> Moves {
        Moves::new(cfg, topo, self.spec.policy == super::raw::HandoverPolicy::Drop)
    }

    /// What the mechanism counted.
    pub fn counts(&self) -> &MobilityCounts {
        &self.counts
    }

    /// Each patient's position now (as of the last update), m.
    pub fn positions(&self) -> &[(f64, f64)] {
        &self.pos
    }

    /// The validated `[mobility]` table.
    pub fn spec(&self) -> &MobilitySpec {
        &self.spec
    }

    /// Whether gateways choose by `min_delay`.
    pub fn min_delay(&self) -> bool {
        self.min_delay
    }

    /// Schedules the first update, advertisement and power check; under `min_delay`, every gateway makes its first
    /// choice now, at time zero, without a handover delay (its first association).
    pub fn start(&mut self, chain: &mut ChainCtx, sched: &mut impl FnMut(SimTime, MobilityEvent)) {
        if !matches!(self.spec.motion, Motion::Off) && self.spec.update < self.end {
            sched(self.spec.update, MobilityEvent::Update);
        }
        if self.min_delay {
            self.advertise(chain, SimTime::ZERO);
            for p in 0..self.pos.len() as u32 {
                if let Some(to) = self.best_by_delay(chain, PatientId(p), true) {
                    if to != chain.chain().attached_cloudlet(PatientId(p)) {
                        self.counts.initial_moves += 1;
                        chain.reattach(PatientId(p), to, self.pos[p as usize], SimTime::ZERO, SimTime::ZERO);
                    }
                }
            }
            if self.spec.advertise < self.end {
                sched(self.spec.advertise, MobilityEvent::Advertise);
            }
        }
        if let Some(phone) = self.phone {
            if phone.check < self.horizon {
                sched(phone.check, MobilityEvent::PowerCheck);
            }
        }
    }

    /// Handles one of the mechanism's events.
    pub fn handle<E: From<MobilityEvent> + From<ChainEvent>>(
        &mut self,
        event: MobilityEvent,
        chain: &mut ChainCtx,
        sched: &mut Scheduler<E>,
    ) {
        let now = sched.now();
        match event {
            MobilityEvent::Update => {
                self.update(chain, sched);
                if now + self.spec.update < self.end {
                    sched.schedule_in(self.spec.update, MobilityEvent::Update);
                }
            }
            MobilityEvent::Advertise => {
                self.advertise(chain, now);
                self.rechoose(chain, sched);
                if now + self.spec.advertise < self.end {
                    sched.schedule_in(self.spec.advertise, MobilityEvent::Advertise);
                }
            }
            MobilityEvent::HandoverDone { patient } => chain.end_handover(patient, sched),
            MobilityEvent::PowerCheck => {
                let check = self.phone.map(|p| p.check).expect("power checks need phone cloudlets");
                if now + check < self.horizon {
                    sched.schedule_in(check, MobilityEvent::PowerCheck);
                }
            }
        }
        self.after_event(chain, sched);
    }

    /// Whether cloudlet `c` is alive (always, for mains-powered cloudlets).
    pub(super) fn alive(&self, c: CloudletIx) -> bool {
        self.core.as_ref().is_none_or(|g| g.alive(c))
    }

    /// Distance from patient `p` to cloudlet `c`, m.
    fn distance_m(&self, p: PatientId, c: CloudletIx) -> f64 {
        let (a, b) = (self.pos[p.index()], self.cloudlet_pos[c.index()]);
        (a.0 - b.0).hypot(a.1 - b.1)
    }

    /// The live cloudlets within range of patient `p`.
    fn in_range(&self, p: PatientId) -> impl Iterator<Item = CloudletIx> + '_ {
        (0..self.cloudlet_pos.len() as u32)
            .map(CloudletIx)
            .filter(move |&c| self.alive(c) && self.distance_m(p, c) <= self.spec.range_m)
    }

    /// The nearest live cloudlet in range of `p` (lowest index among equals).
    fn nearest_in_range(&self, p: PatientId) -> Option<CloudletIx> {
        let mut best: Option<(f64, CloudletIx)> = None;
        for c in self.in_range(p) {
            let d = self.distance_m(p, c);
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, c));
            }
        }
        best.map(|(_, c)| c)
    }

    /// `min_delay`'s estimate for patient `p` through cloudlet `c`, s (see [`crate::chain::select`]).
    pub fn estimate_s(&self, chain: &ChainCtx, p: PatientId, c: CloudletIx) -> f64 {
        chain.access_delay_s(p, c, self.probe_bytes)
            + self.advertised[c.index()]
            + chain.route_delay_s(c, self.probe_bytes)
    }

    /// The live cloudlet in range of least estimated delay for `p` (lowest index among equals); `forced` ignores
    /// the hysteresis (the current cloudlet is out of range, dead, or this is the first choice).
    fn best_by_delay(&self, chain: &ChainCtx, p: PatientId, forced: bool) -> Option<CloudletIx> {
        let mut best: Option<(f64, CloudletIx)> = None;
        for c in self.in_range(p) {
            let e = self.estimate_s(chain, p, c);
            if best.is_none_or(|(be, _)| e < be) {
                best = Some((e, c));
            }
        }
        let (e, c) = best?;
        let current = chain.chain().attached_cloudlet(p);
        if forced || c == current {
            return Some(c);
        }
        let stay = self.in_range(p).any(|x| x == current);
        (!stay || e < self.estimate_s(chain, p, current) - self.spec.hysteresis_s).then_some(c)
    }

    /// The cloudlet patient `p` should move to now, if it must (out of range of, or cut from, its cloudlet).
    pub(super) fn forced_choice(&self, chain: &ChainCtx, p: PatientId) -> Option<CloudletIx> {
        if self.min_delay {
            self.best_by_delay(chain, p, true)
        } else {
            self.nearest_in_range(p)
        }
    }

    /// Brings every position up to `now` and hands over the gateways that left their cloudlet's range.
    fn update<E: From<MobilityEvent> + From<ChainEvent>>(&mut self, chain: &mut ChainCtx, sched: &mut Scheduler<E>) {
        let now = sched.now();
        let t = now.as_secs_f64();
        self.counts.updates += 1;
        for p in 0..self.pos.len() {
            let next = match &self.spec.motion {
                Motion::Waypoint { .. } => Some(self.walkers[p].position(t, &self.area)),
                Motion::Trace { trace, .. } => trace.position(p, t),
                Motion::Off => None,
            };
            if let Some(at) = next {
                self.pos[p] = at;
            }
        }
        for p in (0..self.pos.len() as u32).map(PatientId) {
            let current = chain.chain().attached_cloudlet(p);
            if self.alive(current) && self.distance_m(p, current) <= self.spec.range_m {
                continue;
            }
            match self.forced_choice(chain, p) {
                Some(to) if to != current => {
                    self.counts.range_handovers += 1;
                    self.hand_over(chain, p, to, sched);
                }
                Some(_) => {}
                None => self.counts.out_of_range += 1,
            }
        }
    }

    /// Starts patient `p`'s handover to `to` and schedules its end.
    pub(super) fn hand_over<E: From<MobilityEvent> + From<ChainEvent>>(
        &mut self,
        chain: &mut ChainCtx,
        p: PatientId,
        to: CloudletIx,
        sched: &mut Scheduler<E>,
    ) {
        let now = sched.now();
        let end = chain.reattach(p, to, self.pos[p.index()], self.spec.handover, now);
        sched.schedule_at(end, MobilityEvent::HandoverDone { patient: p });
    }

    /// Every live cloudlet broadcasts its load: it pays the broadcast, each gateway in its range the reception.
    fn advertise(&mut self, chain: &mut ChainCtx, now: SimTime) {
        let bits = 8.0 * self.spec.advertise_bytes as f64;
        for c in (0..self.cloudlet_pos.len() as u32).map(CloudletIx) {
            if !self.alive(c) {
                continue;
            }
            self.advertised[c.index()] = chain.advertised_load_s(c, self.probe_bytes, now);
            self.counts.advertisements += 1;
            self.counts.advertisement_bytes += self.spec.advertise_bytes;
            let node = chain.chain().cloudlet_node(c);
            if chain.charge_control(node, Account::RadioTx, bits * self.adv_tx_j_per_bit, now) {
                self.counts.advertisement_energy_j += bits * self.adv_tx_j_per_bit;
            }
            for p in 0..self.pos.len() as u32 {
                if self.distance_m(PatientId(p), c) <= self.spec.range_m {
                    // Gateways come just before the cloudlets: gateway p is node first_cloudlet − patients + p.
                    let first_gateway = chain.chain().cloudlet_node(CloudletIx(0)).get() - self.pos.len() as u32;
                    let gw = crate::chain::NodeId(first_gateway + p);
                    if chain.charge_control(gw, Account::RadioRx, bits * self.adv_rx_j_per_bit, now) {
                        self.counts.advertisement_energy_j += bits * self.adv_rx_j_per_bit;
                    }
                }
            }
        }
    }

    /// `min_delay`: each gateway moves to a cloudlet whose estimate beats its own by more than the hysteresis.
    fn rechoose<E: From<MobilityEvent> + From<ChainEvent>>(&mut self, chain: &mut ChainCtx, sched: &mut Scheduler<E>) {
        self.rounds += 1;
        let n = u64::from(self.spec.rechoose_rounds);
        for p in (0..self.pos.len() as u32).map(PatientId) {
            if (self.rounds + u64::from(p.0)) % n != 0 {
                continue;
            }
            let current = chain.chain().attached_cloudlet(p);
            if let Some(to) = self.best_by_delay(chain, p, false).filter(|&c| c != current) {
                self.counts.delay_handovers += 1;
                self.hand_over(chain, p, to, sched);
            }
        }
    }
}
