//! Energy accounting: radio transmission and reception per attempt, processor energy of cryptographic operations,
//! idle power over time, and batteries that run out.
//!
//! Radio: the sender of each attempt pays `bits · tx_j_per_bit(d)` and the receiver `bits · rx_j_per_bit`, with
//! `bits = 8 · (payload + link header)` and the link class's radio profile (first-order, two-ray, BAN or
//! datasheet profiles; see [`RadioProfile`]). Processor: `cycles · J/cycle` of the node's kind. Idle: `P_idle · t`
//! over the node's life. A wearable or gateway whose spent energy reaches its battery capacity dies at that
//! instant (including an idle-only crossing between two events).
//!
//! With `energy.battery.model = "kibam"` the batteries of wearables and gateways follow the Kinetic Battery Model
//! ([`super::battery`]) instead: their state is kept in side vectors (so the ideal model's accounts stay as small as
//! they were), advanced at the node's idle current between charges; a charge is taken from the available well and
//! kills the node when the well cannot pay it.

use crate::energy::battery::{Kibam, KibamState};
use crate::energy::raw::BatteryModel;
use crate::energy::{BatterySpec, EnergySpec, RadioProfile};
use crate::kernel::SimTime;

use crate::chain::topology::NodeKind;
use crate::chain::NodeId;

/// Which account an energy charge goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Account {
    /// Radio transmission.
    RadioTx,
    /// Radio reception.
    RadioRx,
    /// Processor energy of cryptographic operations.
    Crypto,
}

/// One node's energy so far (idle excluded: it is a function of time).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NodeEnergy {
    /// Radio transmission, J.
    pub radio_tx_j: f64,
    /// Radio reception, J.
    pub radio_rx_j: f64,
    /// Cryptographic processing, J.
    pub crypto_j: f64,
}

impl NodeEnergy {
    /// Energy spent on events (radio and processor), J.
    pub fn event_j(&self) -> f64 {
        self.radio_tx_j + self.radio_rx_j + self.crypto_j
    }
}

/// What one node has spent, by account (`N` = 2 for a wearable, which never receives: transmission and processor;
/// 3 for other nodes: then reception), and when it dies.
#[derive(Debug, Clone, Copy)]
struct Spent<const N: usize> {
    /// Joules by account: [`TX`], [`CRYPTO`], then [`RX`].
    j: [f64; N],
    /// When the node dies, in ns: the instant a charge could not be paid if that happened, otherwise when idle drain
    /// alone would empty the battery given what events have cost so far (refreshed at every charge); `u64::MAX` for
    /// mains-powered nodes or no idle drain.
    death_ns: u64,
}

/// Index of each account in [`Spent::j`].
const TX: usize = 0;
const CRYPTO: usize = 1;
const RX: usize = 2;
/// Index of the cloudlets' figures in [`EnergyLedger`]'s per-kind table.
const CLOUDLET: usize = 2;

/// Bytes of a wearable's and of another node's energy account (for [`crate::estimate`]).
pub(crate) const SPENT_BYTES: [usize; 2] = [std::mem::size_of::<Spent<2>>(), std::mem::size_of::<Spent<3>>()];

impl<const N: usize> Default for Spent<N> {
    fn default() -> Self {
        Spent { j: [0.0; N], death_ns: u64::MAX }
    }
}

impl<const N: usize> Spent<N> {
    /// As a [`NodeEnergy`].
    fn accounts(&self) -> NodeEnergy {
        NodeEnergy {
            radio_tx_j: self.j[TX],
            radio_rx_j: self.j.get(RX).copied().unwrap_or(0.0),
            crypto_j: self.j[CRYPTO],
        }
    }

    /// Pays `joules` into account `i` at `now` with kind figures `k`, unless that empties the battery (then the node
    /// dies at `now`); returns whether it was paid. The death time is refreshed by the caller.
    #[inline]
    fn pay(&mut self, i: usize, joules: f64, k: &KindEnergy, now: SimTime) -> bool {
        if self.death_ns <= now.as_nanos() {
            return false;
        }
        if !k.fits(self.accounts().event_j(), joules, now) {
            self.death_ns = now.as_nanos();
            return false;
        }
        self.j[i] += joules;
        true
    }
}

/// One wearable's or gateway's KiBaM battery: its wells as of `at_ns`.
#[derive(Debug, Clone, Copy)]
struct KibamNode {
    /// The wells, C.
    state: KibamState,
    /// When `state` was last brought up to date, ns.
    at_ns: u64,
}

/// Bytes of a wearable's or gateway's KiBaM state, kept only with `energy.battery.model = "kibam"` (for
/// [`crate::estimate`]).
pub const KIBAM_NODE_BYTES: usize = std::mem::size_of::<KibamNode>();

/// The KiBaM side of the ledger: per-kind batteries and per-node wells of wearables and gateways.
#[derive(Debug, Clone)]
struct KibamSide {
    /// The battery of a wearable (0) and of a gateway (1), capacity in coulombs.
    models: [Kibam; 2],
    /// Supply voltage of each kind, V.
    volts: [f64; 2],
    /// Idle current of each kind, A.
    idle_a: [f64; 2],
    /// Wells of each wearable, by node id.
    wearables: Vec<KibamNode>,
    /// Wells of each gateway, by node id minus the number of wearables.
    gateways: Vec<KibamNode>,
}

impl KibamSide {
    /// The wells of the node in `slot` (kind, index) after a draw of `joules` at `at`, brought up to `at` at idle
    /// current first; `None` if its available well cannot pay.
    fn after_draw(&self, (k, idx): (usize, usize), joules: f64, at: SimTime) -> Option<KibamState> {
        let node = if k == 0 { &self.wearables[idx] } else { &self.gateways[idx] };
        let dt_s = at.as_nanos().saturating_sub(node.at_ns) as f64 * 1e-9;
        let state = self.models[k].advance(node.state, self.idle_a[k], dt_s);
        self.models[k].draw_instant(state, joules / self.volts[k])
    }
}

/// Per-kind figures.
#[derive(Debug, Clone, Copy)]
pub struct KindEnergy {
    /// Battery capacity, J (infinite for mains-powered nodes): the nominal capacity times the pulse derating.
    pub capacity_j: f64,
    /// Idle power, W.
    pub idle_w: f64,
    /// Processor energy, J/cycle.
    pub j_per_cycle: f64,
}

impl KindEnergy {
    /// Whether a node that has spent `event_j` on events can pay `joules` more at `at` (idle drain up to `at`
    /// included) with the ideal battery; mains-powered nodes always can.
    #[inline]
    fn fits(&self, event_j: f64, joules: f64, at: SimTime) -> bool {
        !(self.capacity_j.is_finite() && event_j + joules + self.idle_w * at.as_secs_f64() >= self.capacity_j)
    }
}

/// The energy of every node: wearables compactly (24 bytes each), other nodes with a reception account (32 bytes).
#[derive(Debug, Clone)]
pub struct EnergyLedger {
    wearables: Vec<Spent<2>>,
    /// Gateways, cloudlets and the cloud, by node id minus the number of wearables.
    others: Vec<Spent<3>>,
    kinds: [KindEnergy; 4],
    first_gateway: NodeId,
    first_cloudlet: NodeId,
    cloud: NodeId,
    /// The battery model in force.
    battery: BatterySpec,
    /// KiBaM wells, only with `energy.battery.model = "kibam"`.
    kibam: Option<Box<KibamSide>>,
    /// By kind: energy left above which idle drain alone outlasts the horizon ([`EnergyLedger::with_horizon`]).
    outlasts_j: [f64; 4],
    /// The horizon, ns (`u64::MAX` if none was set).
    horizon_ns: u64,
}

fn kind_index(k: NodeKind) -> usize {
    match k {
        NodeKind::Wearable => 0,
        NodeKind::BanGateway => 1,
        NodeKind::Cloudlet => 2,
        NodeKind::RemoteCloud => 3,
    }
}

impl EnergyLedger {
    /// A ledger for `nodes` nodes laid out as in the topology.
    pub fn new(spec: &EnergySpec, nodes: usize, first_gateway: NodeId, first_cloudlet: NodeId, cloud: NodeId) -> Self {
        let unlimited = |idle_w, j_per_cycle| KindEnergy { capacity_j: f64::INFINITY, idle_w, j_per_cycle };
        let b = spec.battery;
        // Without derating the nominal capacity is used as it is (not multiplied by 1.0), so that results cannot change.
        let wearable_capacity_j = match b.pulse_derating {
            crate::energy::raw::PulseDerating::None => spec.wearable_battery_j,
            _ => spec.wearable_battery_j * b.wearable_capacity_fraction(),
        };
        let mut ledger = EnergyLedger {
            wearables: vec![Spent::default(); first_gateway.index()],
            others: vec![Spent::default(); nodes - first_gateway.index()],
            kinds: [
                KindEnergy {
                    capacity_j: wearable_capacity_j,
                    idle_w: spec.wearable_idle_w,
                    j_per_cycle: spec.wearable_j_per_cycle,
                },
                KindEnergy {
                    capacity_j: spec.gateway_battery_j,
                    idle_w: spec.gateway_idle_w,
                    j_per_cycle: spec.gateway_j_per_cycle,
                },
                unlimited(spec.cloudlet_idle_w, spec.cloudlet_j_per_cycle),
                unlimited(0.0, 0.0),
            ],
            first_gateway,
            first_cloudlet,
            cloud,
            battery: b,
            kibam: None,
            outlasts_j: [f64::INFINITY; 4],
            horizon_ns: u64::MAX,
        };
        for n in 0..nodes as u32 {
            ledger.refresh_death(NodeId(n));
        }
        if b.model == BatteryModel::Kibam {
            ledger.start_kibam(nodes);
        }
        ledger
    }

    /// A ledger that will not be asked about instants after `horizon` (the run's end): a node whose idle drain
    /// alone would outlast it is recorded as never dying, without computing when (a division and a rounding per
    /// charge). Its answers up to `horizon` are those of the exact death time: both are later. The margin of 10⁻⁶
    /// on the energy left is far above the rounding of `left / idle_w`.
    pub fn with_horizon(mut self, horizon: SimTime) -> Self {
        self.outlasts_j = self.kinds.map(|k| k.idle_w * horizon.as_secs_f64() * (1.0 + 1e-6));
        self.horizon_ns = horizon.as_nanos();
        self
    }

    /// Sets up the KiBaM wells of wearables and gateways, full at time 0, and their idle-only death times.
    fn start_kibam(&mut self, nodes: usize) {
        let b = self.battery;
        let volts = [b.wearable_supply_v, b.gateway_supply_v];
        let models = [0, 1].map(|k| Kibam::new(self.kinds[k].capacity_j / volts[k], b.kibam_c, b.kibam_k_per_s));
        let full = |k: usize| KibamNode { state: models[k].full(), at_ns: 0 };
        let gateways = self.first_cloudlet.index().min(nodes) - self.first_gateway.index();
        self.kibam = Some(Box::new(KibamSide {
            models,
            volts,
            idle_a: [0, 1].map(|k| self.kinds[k].idle_w / volts[k]),
            wearables: vec![full(0); self.first_gateway.index()],
            gateways: vec![full(1); gateways],
        }));
        for n in 0..(self.first_gateway.index() + gateways) as u32 {
            self.refresh_kibam_death(NodeId(n));
        }
    }

    /// Node `n`'s KiBaM slot: kind (0 wearable, 1 gateway) and index, or `None` without a KiBaM battery.
    #[inline]
    fn kibam_slot(&self, n: NodeId) -> Option<(usize, usize)> {
        self.kibam.as_ref()?;
        match self.other(n) {
            None => Some((0, n.index())),
            Some(_) if n < self.first_cloudlet => Some((1, n.index() - self.first_gateway.index())),
            Some(_) => None,
        }
    }

    /// Sets node `n`'s death time to when its available well empties under idle current alone.
    fn refresh_kibam_death(&mut self, n: NodeId) {
        let Some((k, i)) = self.kibam_slot(n) else { return };
        let side = self.kibam.as_ref().expect("a KiBaM slot implies the KiBaM side");
        let node = if k == 0 { side.wearables[i] } else { side.gateways[i] };
        let t = side.models[k]
            .time_to_empty(node.state, side.idle_a[k])
            .and_then(|s| SimTime::try_from_secs_f64(s).ok())
            .map_or(SimTime::MAX, |d| SimTime::from_nanos(node.at_ns).saturating_add(d));
        self.set_death_ns(n, t.as_nanos());
    }

    fn set_death_ns(&mut self, n: NodeId, ns: u64) {
        match self.other(n) {
            None => self.wearables[n.index()].death_ns = ns,
            Some(o) => self.others[o].death_ns = ns,
        }
    }

    /// Charges `joules` to account `i` of KiBaM node `n` (slot `k`, `idx`) at `now`: brings its wells up to `now` at
    /// idle current, takes the charge from the available well, or kills the node at `now` if that well cannot pay.
    fn charge_kibam(&mut self, n: NodeId, (k, idx): (usize, usize), i: usize, joules: f64, now: SimTime) -> bool {
        if self.death_ns(n) <= now.as_nanos() {
            return false;
        }
        let side = self.kibam.as_mut().expect("a KiBaM slot implies the KiBaM side");
        let Some(after) = side.after_draw((k, idx), joules, now) else {
            self.set_death_ns(n, now.as_nanos());
            return false;
        };
        let node = if k == 0 { &mut side.wearables[idx] } else { &mut side.gateways[idx] };
        *node = KibamNode { state: after, at_ns: now.as_nanos() };
        match self.other(n) {
            None => self.wearables[idx].j[i] += joules,
            Some(o) => self.others[o].j[i] += joules,
        }
        self.refresh_kibam_death(n);
        true
    }

    /// The battery model in force.
    pub fn battery(&self) -> &BatterySpec {
        &self.battery
    }

    /// The KiBaM battery of nodes of `kind` (capacity in coulombs) and their supply voltage, if the model is `kibam`
    /// and `kind` is battery powered.
    pub fn kibam_battery(&self, kind: NodeKind) -> Option<(Kibam, f64)> {
        let side = self.kibam.as_ref()?;
        let k = match kind {
            NodeKind::Wearable => 0,
            NodeKind::BanGateway => 1,
            NodeKind::Cloudlet | NodeKind::RemoteCloud => return None,
        };
        Some((side.models[k], side.volts[k]))
    }

    /// Node `n`'s KiBaM wells as of its last charge (or time 0), and that instant; `None` without a KiBaM battery.
    pub fn kibam_state(&self, n: NodeId) -> Option<(KibamState, SimTime)> {
        let (k, i) = self.kibam_slot(n)?;
        let side = self.kibam.as_ref()?;
        let node = if k == 0 { side.wearables[i] } else { side.gateways[i] };
        Some((node.state, SimTime::from_nanos(node.at_ns)))
    }

    /// The kind of node `n`.
    pub fn kind_of(&self, n: NodeId) -> NodeKind {
        if n < self.first_gateway {
            NodeKind::Wearable
        } else if n < self.first_cloudlet {
            NodeKind::BanGateway
        } else if n < self.cloud {
            NodeKind::Cloudlet
        } else {
            NodeKind::RemoteCloud
        }
    }

    /// Per-kind figures of node `n`.
    pub fn kind(&self, n: NodeId) -> &KindEnergy {
        &self.kinds[kind_index(self.kind_of(n))]
    }

    /// Node `n`'s accounts.
    pub fn node(&self, n: NodeId) -> NodeEnergy {
        match self.other(n) {
            None => self.wearables[n.index()].accounts(),
            Some(o) => self.others[o].accounts(),
        }
    }

    /// Index of node `n` in `others`, or `None` for a wearable.
    #[inline]
    fn other(&self, n: NodeId) -> Option<usize> {
        n.get().checked_sub(self.first_gateway.get()).map(|o| o as usize)
    }

    /// Node `n`'s recorded or projected death time, in ns.
    #[inline]
    fn death_ns(&self, n: NodeId) -> u64 {
        match self.other(n) {
            None => self.wearables[n.index()].death_ns,
            Some(o) => self.others[o].death_ns,
        }
    }

    /// Sets node `n`'s death time to when idle drain alone empties its battery, given what it has spent on events.
    fn refresh_death(&mut self, n: NodeId) {
        let kind = kind_index(self.kind_of(n));
        let k = self.kinds[kind];
        let left = k.capacity_j - self.node(n).event_j();
        let t = if !k.capacity_j.is_finite() || k.idle_w <= 0.0 || left > self.outlasts_j[kind] {
            SimTime::MAX
        } else {
            SimTime::try_from_secs_f64((left / k.idle_w).max(0.0)).unwrap_or(SimTime::MAX)
        };
        match self.other(n) {
            None => self.wearables[n.index()].death_ns = t.as_nanos(),
            Some(o) => self.others[o].death_ns = t.as_nanos(),
        }
    }

    /// Starts loading node `n`'s accounts into the cache.
    #[inline]
    pub fn prefetch(&self, n: NodeId) {
        match self.other(n) {
            None => crate::kernel::prefetch(&self.wearables[n.index()]),
            Some(o) => crate::kernel::prefetch(&self.others[o]),
        }
    }

    /// Whether node `n` is alive at `now`.
    #[inline]
    pub fn alive(&self, n: NodeId, now: SimTime) -> bool {
        debug_assert!(now.as_nanos() <= self.horizon_ns, "{now} is past the ledger's horizon");
        self.death_ns(n) > now.as_nanos()
    }

    /// Charges `joules` to node `n`'s `account` at `now`; returns `false` if the node is (now) dead, in which
    /// case the work did not happen and nothing is charged.
    ///
    /// # Panics
    /// On a reception charged to a wearable: no link leads to one (a model bug, never a consequence of input).
    #[inline]
    pub fn charge(&mut self, n: NodeId, account: Account, joules: f64, now: SimTime) -> bool {
        if joules == 0.0 {
            return self.alive(n, now);
        }
        let k = *self.kind(n);
        let i = match account {
            Account::RadioTx => TX,
            Account::RadioRx => RX,
            Account::Crypto => CRYPTO,
        };
        if self.kibam.is_some() {
            if let Some(slot) = self.kibam_slot(n) {
                assert!(slot.0 != 0 || i != RX, "wearable {n} charged for a reception: no link leads to a wearable");
                return self.charge_kibam(n, slot, i, joules, now);
            }
        }
        let paid = match self.other(n) {
            None => {
                assert!(i != RX, "wearable {n} charged for a reception: no link leads to a wearable");
                self.wearables[n.index()].pay(i, joules, &k, now)
            }
            Some(o) => self.others[o].pay(i, joules, &k, now),
        };
        if paid && k.capacity_j.is_finite() {
            self.refresh_death(n);
        }
        paid
    }

    /// Charges `count` equal charges of `each_j` joules, made every `period_ns` up to `last` (a connection's idle
    /// events, paid in closed form): all of them if they fit, otherwise those that do, the node dying at the first
    /// it could not pay. Returns how many were paid.
    pub fn charge_periodic(
        &mut self,
        n: NodeId,
        account: Account,
        each_j: f64,
        count: u64,
        last: SimTime,
        period_ns: u64,
    ) -> u64 {
        if count == 0 || each_j == 0.0 {
            return if self.alive(n, last) { count } else { 0 };
        }
        let at = |j: u64| SimTime::from_nanos(last.as_nanos() - (count - j) * period_ns);
        if !self.alive(n, at(1)) {
            return 0;
        }
        // The common case: all of them fit. A failed charge marks the node dead at `last`; the bisection below
        // then finds the charge it really died at (the node is alive at every earlier instant).
        if self.charge(n, account, count as f64 * each_j, last) {
            return count;
        }
        // The first `paid` charges fit (at the time of the last of them), the next one does not: bisection.
        let (mut paid, mut unpaid) = (0u64, count);
        while unpaid - paid > 1 {
            let mid = paid + (unpaid - paid) / 2;
            if self.affordable(n, mid as f64 * each_j, at(mid)) {
                paid = mid;
            } else {
                unpaid = mid;
            }
        }
        if paid > 0 {
            self.charge(n, account, paid as f64 * each_j, at(paid));
        }
        // Dies at the charge it could not pay, unless idle drain or an earlier failure killed it before.
        let death = at(unpaid).as_nanos().min(self.death_ns(n));
        self.set_death_ns(n, death);
        paid
    }

    /// Whether node `n` could pay `joules` at `at` (alive then, and the charge fits).
    fn affordable(&self, n: NodeId, joules: f64, at: SimTime) -> bool {
        if !self.alive(n, at) {
            return false;
        }
        if let (Some(side), Some(slot)) = (&self.kibam, self.kibam_slot(n)) {
            return side.after_draw(slot, joules, at).is_some();
        }
        self.kind(n).fits(self.node(n).event_j(), joules, at)
    }

    /// Charges `cycles` of processor work to node `n`.
    #[inline]
    pub fn charge_cycles(&mut self, n: NodeId, cycles: f64, now: SimTime) -> bool {
        let j = cycles * self.kind(n).j_per_cycle;
        self.charge(n, Account::Crypto, j, now)
    }

    /// Node `n`'s death time if it died by `end` (an idle-only crossing included).
    pub fn death_time(&self, n: NodeId, end: SimTime) -> Option<SimTime> {
        let t = SimTime::from_nanos(self.death_ns(n));
        (t <= end).then_some(t)
    }

    /// Idle energy of node `n` over its life up to `end`, J.
    pub fn idle_j(&self, n: NodeId, end: SimTime) -> f64 {
        let until = self.death_time(n, end).unwrap_or(end);
        self.kind(n).idle_w * until.as_secs_f64()
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.wearables.len() + self.others.len()
    }

    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Transmission energy per bit of one link, J/bit.
pub fn link_tx_j_per_bit(radio: &RadioProfile, distance_m: f64) -> f64 {
    radio.tx_j_per_bit(distance_m)
}

#[path = "ledger_phone.rs"]
mod phone;

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
