//! Energy accounting: radio transmission and reception per attempt, processor energy of cryptographic operations,
//! idle power over time, and batteries that run out.
//!
//! Radio: the sender of each attempt pays `bits · tx_j_per_bit(d)` and the receiver `bits · rx_j_per_bit`, with
//! `bits = 8 · (payload + link header)` and the link class's radio profile (first-order, two-ray, BAN or
//! datasheet profiles; see [`RadioProfile`]). Processor: `cycles · J/cycle` of the node's kind. Idle: `P_idle · t`
//! over the node's life. A wearable or gateway whose spent energy reaches its battery capacity dies at that
//! instant (including an idle-only crossing between two events).

use crate::kernel::SimTime;
use crate::scenario::{EnergySpec, RadioProfile};

use super::topology::NodeKind;

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
#[derive(Debug, Clone, Copy)]
pub struct NodeEnergy {
    /// Radio transmission, J.
    pub radio_tx_j: f64,
    /// Radio reception, J.
    pub radio_rx_j: f64,
    /// Cryptographic processing, J.
    pub crypto_j: f64,
    /// When the node dies, in ns: the instant a charge could not be paid if that happened, otherwise when idle drain
    /// alone would empty the battery given what events have cost so far (refreshed at every charge); `u64::MAX` for
    /// mains-powered nodes or no idle drain.
    death_ns: u64,
}

impl Default for NodeEnergy {
    fn default() -> Self {
        NodeEnergy { radio_tx_j: 0.0, radio_rx_j: 0.0, crypto_j: 0.0, death_ns: u64::MAX }
    }
}

impl NodeEnergy {
    /// Energy spent on events (radio and processor), J.
    pub fn event_j(&self) -> f64 {
        self.radio_tx_j + self.radio_rx_j + self.crypto_j
    }
}

/// Per-kind figures.
#[derive(Debug, Clone, Copy)]
pub struct KindEnergy {
    /// Battery capacity, J (infinite for mains-powered nodes).
    pub capacity_j: f64,
    /// Idle power, W.
    pub idle_w: f64,
    /// Processor energy, J/cycle.
    pub j_per_cycle: f64,
}

/// The energy of every node.
#[derive(Debug, Clone)]
pub struct EnergyLedger {
    nodes: Vec<NodeEnergy>,
    kinds: [KindEnergy; 4],
    first_gateway: u32,
    first_cloudlet: u32,
    cloud: u32,
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
    pub fn new(spec: &EnergySpec, nodes: usize, first_gateway: u32, first_cloudlet: u32, cloud: u32) -> Self {
        let unlimited = |idle_w, j_per_cycle| KindEnergy { capacity_j: f64::INFINITY, idle_w, j_per_cycle };
        let mut ledger = EnergyLedger {
            nodes: vec![NodeEnergy::default(); nodes],
            kinds: [
                KindEnergy {
                    capacity_j: spec.wearable_battery_j,
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
        };
        for n in 0..nodes as u32 {
            ledger.nodes[n as usize].death_ns = ledger.idle_death(n).as_nanos();
        }
        ledger
    }

    /// The kind of node `n`.
    pub fn kind_of(&self, n: u32) -> NodeKind {
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
    pub fn kind(&self, n: u32) -> &KindEnergy {
        &self.kinds[kind_index(self.kind_of(n))]
    }

    /// Node `n`'s accounts.
    pub fn node(&self, n: u32) -> &NodeEnergy {
        &self.nodes[n as usize]
    }

    /// When idle drain alone empties node `n`'s battery, given what it has spent on events so far.
    fn idle_death(&self, n: u32) -> SimTime {
        let k = self.kind(n);
        let left = k.capacity_j - self.nodes[n as usize].event_j();
        if !k.capacity_j.is_finite() || k.idle_w <= 0.0 {
            return SimTime::MAX;
        }
        SimTime::try_from_secs_f64((left / k.idle_w).max(0.0)).unwrap_or(SimTime::MAX)
    }

    /// Starts loading node `n`'s accounts into the cache.
    #[inline]
    pub fn prefetch(&self, n: u32) {
        crate::kernel::prefetch(&self.nodes[n as usize]);
    }

    /// Whether node `n` is alive at `now`.
    #[inline]
    pub fn alive(&self, n: u32, now: SimTime) -> bool {
        let e = &self.nodes[n as usize];
        e.death_ns > now.as_nanos()
    }

    /// Charges `joules` to node `n`'s `account` at `now`; returns `false` if the node is (now) dead, in which
    /// case the work did not happen and nothing is charged.
    #[inline]
    pub fn charge(&mut self, n: u32, account: Account, joules: f64, now: SimTime) -> bool {
        if joules == 0.0 {
            return self.alive(n, now);
        }
        let k = *self.kind(n);
        let e = &mut self.nodes[n as usize];
        if e.death_ns <= now.as_nanos() {
            return false;
        }
        if k.capacity_j.is_finite() && e.event_j() + joules + k.idle_w * now.as_secs_f64() >= k.capacity_j {
            e.death_ns = now.as_nanos();
            return false;
        }
        match account {
            Account::RadioTx => e.radio_tx_j += joules,
            Account::RadioRx => e.radio_rx_j += joules,
            Account::Crypto => e.crypto_j += joules,
        }
        if k.capacity_j.is_finite() {
            self.nodes[n as usize].death_ns = self.idle_death(n).as_nanos();
        }
        true
    }

    /// Charges `cycles` of processor work to node `n`.
    #[inline]
    pub fn charge_cycles(&mut self, n: u32, cycles: f64, now: SimTime) -> bool {
        let j = cycles * self.kind(n).j_per_cycle;
        self.charge(n, Account::Crypto, j, now)
    }

    /// Node `n`'s death time if it died by `end` (an idle-only crossing included).
    pub fn death_time(&self, n: u32, end: SimTime) -> Option<SimTime> {
        let t = SimTime::from_nanos(self.nodes[n as usize].death_ns);
        (t <= end).then_some(t)
    }

    /// Idle energy of node `n` over its life up to `end`, J.
    pub fn idle_j(&self, n: u32, end: SimTime) -> f64 {
        let until = self.death_time(n, end).unwrap_or(end);
        self.kind(n).idle_w * until.as_secs_f64()
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// Transmission energy per bit of one link, J/bit.
pub fn link_tx_j_per_bit(radio: &RadioProfile, distance_m: f64) -> f64 {
    radio.tx_j_per_bit(distance_m)
}
