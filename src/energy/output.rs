//! The energy results: the `energy` section of `summary.json` and `energy.csv` (one row per node).

use serde::Serialize;

use crate::chain::topology::NodeKind;
use crate::chain::NodeId;
use crate::energy::battery::Kibam;
use crate::energy::BatterySpec;
use crate::kernel::SimTime;
use crate::run::RunResult;

/// `summary.json` → `energy`.
#[derive(Debug, Clone, Serialize)]
pub struct EnergySummary {
    /// All energy spent by every node (radio, crypto, idle), J.
    pub total_j: f64,
    /// Totals by account over all nodes, J.
    pub by_part_j: EnergyParts,
    /// Mean energy spent per wearable (idle included), J.
    pub wearable_mean_j: f64,
    /// Mean energy spent per BAN gateway (idle included), J.
    pub gateway_mean_j: f64,
    /// Energy of the battery-powered side (wearables and gateways) per sample generated, idle excluded, J.
    pub per_sample_j: PerSample,
    /// Wearables' share of `per_sample_j`, J.
    pub wearable_per_sample_j: PerSample,
    /// Gateways' share of `per_sample_j`, J.
    pub gateway_per_sample_j: PerSample,
    /// Decryption energy at cloudlets (and their key generation), J.
    pub cloudlet_crypto_j: f64,
    /// Wearables and gateways whose battery ran out.
    pub dead_nodes: u64,
    /// Wearables whose battery ran out.
    pub dead_wearables: u64,
    /// Gateways whose battery ran out.
    pub dead_gateways: u64,
    /// The battery model that produced the deaths and lifetimes: `ideal` or `kibam`.
    pub battery_model: &'static str,
    /// Pulse derating of the wearables' capacity: `none`, `cr2032` or `cr2032_poor`.
    pub pulse_derating: &'static str,
    /// Fraction of the wearables' nominal capacity the derating leaves (1 without derating).
    pub wearable_capacity_fraction: f64,
    /// Lifetimes: measured deaths, and projections from the measured drain.
    pub lifetime: Lifetime,
}

/// Totals by account.
#[derive(Debug, Clone, Serialize)]
pub struct EnergyParts {
    /// Radio transmission, J.
    pub radio_tx: f64,
    /// Radio reception, J.
    pub radio_rx: f64,
    /// Cryptographic processing, J.
    pub crypto: f64,
    /// Idle power over time, J.
    pub idle: f64,
}

/// Per-sample energy of wearables and gateways.
#[derive(Debug, Clone, Serialize)]
pub struct PerSample {
    /// Radio plus crypto, J.
    pub total: f64,
    /// Radio transmission and reception, J.
    pub radio: f64,
    /// Cryptographic processing, J.
    pub crypto: f64,
}

/// Battery lifetimes of wearables and gateways.
#[derive(Debug, Clone, Serialize)]
pub struct Lifetime {
    /// When the first battery-powered node died, s (null if none did).
    pub first_death_s: Option<f64>,
    /// When 10% of battery-powered nodes had died, s (null if fewer did).
    pub ten_percent_dead_s: Option<f64>,
    /// When 50% of battery-powered nodes had died, s (null if fewer did).
    pub half_dead_s: Option<f64>,
    /// Projected lifetimes: capacity / measured drain rate (radio + crypto + idle) over the run with the ideal
    /// battery; with KiBaM, the time its available well takes to empty from full under the measured mean current.
    /// Projections, not observations.
    pub projected: Projected,
}

/// Projected lifetimes, s.
#[derive(Debug, Clone, Serialize)]
pub struct Projected {
    /// Always true: these figures extrapolate the measured drain rate.
    pub projected: bool,
    /// Mean over wearables, s.
    pub wearable_mean_s: f64,
    /// Shortest over wearables, s.
    pub wearable_min_s: f64,
    /// Mean over gateways, s.
    pub gateway_mean_s: f64,
    /// Shortest over gateways, s.
    pub gateway_min_s: f64,
}

/// One row of `energy.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct EnergyRow {
    /// Node id.
    pub node_id: u32,
    /// Node kind.
    pub kind: &'static str,
    /// Index among its kind.
    pub kind_index: u32,
    /// Radio transmission, J.
    pub radio_tx_j: f64,
    /// Radio reception, J.
    pub radio_rx_j: f64,
    /// Cryptographic processing, J.
    pub crypto_j: f64,
    /// Idle power over its life, J.
    pub idle_j: f64,
    /// Everything spent, J.
    pub spent_j: f64,
    /// Battery capacity, J (empty: mains powered).
    pub capacity_j: Option<f64>,
    /// Capacity minus spent, J (empty: mains powered).
    pub remaining_j: Option<f64>,
    /// Whether the battery ran out.
    pub dead: bool,
    /// When it ran out, s (empty: alive at the end).
    pub death_time_s: Option<f64>,
    /// The battery model behind `dead` and `death_time_s`: `ideal` or `kibam` (empty: mains powered).
    pub battery_model: Option<&'static str>,
}

/// Every node's energy row, in node order, computed as it is read.
pub fn energy_rows(r: &RunResult) -> impl Iterator<Item = EnergyRow> + '_ {
    let e = r.model.energy();
    let end = r.sim_time;
    (0..e.len() as u32).map(NodeId).map(move |n| {
        let acc = e.node(n);
        let node = r.topology.node(n);
        let idle_j = e.idle_j(n, end);
        let spent_j = acc.event_j() + idle_j;
        let cap = e.kind(n).capacity_j;
        let death = e.death_time(n, end);
        EnergyRow {
            node_id: n.get(),
            kind: node.kind.name(),
            kind_index: node.index,
            radio_tx_j: acc.radio_tx_j,
            radio_rx_j: acc.radio_rx_j,
            crypto_j: acc.crypto_j,
            idle_j,
            spent_j,
            capacity_j: cap.is_finite().then_some(cap),
            remaining_j: cap.is_finite().then_some((cap - spent_j).max(0.0)),
            dead: death.is_some(),
            death_time_s: death.map(SimTime::as_secs_f64),
            battery_model: cap.is_finite().then_some(e.battery().model.name()),
        }
    })
}

/// The `energy` section of the summary, in one pass over [`energy_rows`].
pub fn energy_summary(r: &RunResult) -> EnergySummary {
    let mut tally = EnergyTally::new(r);
    energy_rows(r).for_each(|row| tally.add(&row));
    tally.finish()
}

/// The neutral element of `Iterator::sum` over `f64` (-0.0): sums start from it so that they equal, bit for bit,
/// what summing a collected column gives (an empty sum stays -0.0).
const SUM_START: f64 = -0.0;

/// The `energy` section of the summary, gathered row by row (so that `energy.csv` and the summary can share one
/// pass over the nodes). Every figure is summed in node order, as summing each column would; only the death times
/// of dead nodes are kept, for the percentiles.
#[derive(Debug, Clone)]
pub struct EnergyTally {
    sim_s: f64,
    battery: BatterySpec,
    /// The KiBaM battery (coulombs) and supply voltage of a wearable and of a gateway, with the `kibam` model.
    kibam: [Option<(Kibam, f64)>; 2],
    generated: u64,
    total_j: f64,
    radio_tx_j: f64,
    radio_rx_j: f64,
    crypto_j: f64,
    idle_j: f64,
    /// Battery-powered nodes (wearables and gateways, unless mains powered).
    powered: SideTally,
    wearable: KindTally,
    gateway: KindTally,
    cloudlet_crypto_j: f64,
}

/// Sums over battery-powered nodes.
#[derive(Debug, Clone, Default)]
struct SideTally {
    population: u64,
    radio_j: f64,
    crypto_j: f64,
    deaths_s: Vec<f64>,
}

/// Sums over the nodes of one kind.
#[derive(Debug, Clone)]
struct KindTally {
    count: u64,
    spent_j: f64,
    radio_j: f64,
    crypto_j: f64,
    dead: u64,
    projected_sum_s: f64,
    projected_min_s: f64,
}

impl KindTally {
    fn new() -> KindTally {
        KindTally {
            count: 0,
            spent_j: SUM_START,
            radio_j: 0.0,
            crypto_j: 0.0,
            dead: 0,
            projected_sum_s: SUM_START,
            projected_min_s: f64::INFINITY,
        }
    }

    /// Counts `row`; `kibam` is the kind's KiBaM battery (coulombs) and supply voltage, if that is the model.
    fn add(&mut self, row: &EnergyRow, sim_s: f64, kibam: Option<(Kibam, f64)>) {
        self.count += 1;
        self.spent_j += row.spent_j;
        self.radio_j += row.radio_tx_j + row.radio_rx_j;
        self.crypto_j += row.crypto_j;
        self.dead += u64::from(row.dead);
        // Projected lifetime: capacity over the measured drain rate; with KiBaM, the time to empty the available well
        // from full at the mean current (no current: never).
        let rate = row.spent_j / sim_s;
        let projected_s = match kibam {
            Some((battery, volts)) => {
                battery.time_to_empty(battery.full(), rate / volts).filter(|t| t.is_finite()).unwrap_or(f64::MAX)
            }
            None if rate > 0.0 => row.capacity_j.unwrap_or(f64::INFINITY) / rate,
            None => f64::MAX,
        };
        self.projected_sum_s += projected_s;
        self.projected_min_s = self.projected_min_s.min(projected_s);
    }

    fn mean(&self, sum: f64) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            sum / self.count as f64
        }
    }

    fn per_sample(&self, generated: f64) -> PerSample {
        per_sample(self.radio_j, self.crypto_j, generated)
    }
}

fn per_sample(radio_j: f64, crypto_j: f64, generated: f64) -> PerSample {
    PerSample { total: (radio_j + crypto_j) / generated, radio: radio_j / generated, crypto: crypto_j / generated }
}

impl EnergyTally {
    /// An empty tally for the rows of run `r`.
    pub fn new(r: &RunResult) -> EnergyTally {
        let e = r.model.energy();
        EnergyTally {
            sim_s: r.sim_time.as_secs_f64(),
            battery: *e.battery(),
            kibam: [NodeKind::Wearable, NodeKind::BanGateway].map(|k| e.kibam_battery(k)),
            generated: r.model.metrics().generated,
            total_j: SUM_START,
            radio_tx_j: SUM_START,
            radio_rx_j: SUM_START,
            crypto_j: SUM_START,
            idle_j: SUM_START,
            powered: SideTally::default(),
            wearable: KindTally::new(),
            gateway: KindTally::new(),
            cloudlet_crypto_j: SUM_START,
        }
    }

    /// Counts one node's row (rows must come in node order for the sums to be reproducible).
    pub fn add(&mut self, row: &EnergyRow) {
        self.total_j += row.spent_j;
        self.radio_tx_j += row.radio_tx_j;
        self.radio_rx_j += row.radio_rx_j;
        self.crypto_j += row.crypto_j;
        self.idle_j += row.idle_j;
        if row.capacity_j.is_some() {
            let b = &mut self.powered;
            b.population += 1;
            b.radio_j += row.radio_tx_j + row.radio_rx_j;
            b.crypto_j += row.crypto_j;
            b.deaths_s.extend(row.death_time_s);
        }
        if row.kind == NodeKind::Wearable.name() {
            self.wearable.add(row, self.sim_s, self.kibam[0]);
        } else if row.kind == NodeKind::BanGateway.name() {
            self.gateway.add(row, self.sim_s, self.kibam[1]);
        } else if row.kind == NodeKind::Cloudlet.name() {
            self.cloudlet_crypto_j += row.crypto_j;
        }
    }

    /// The summary of the rows counted.
    pub fn finish(self) -> EnergySummary {
        let generated = self.generated.max(1) as f64;
        let mut deaths = self.powered.deaths_s;
        deaths.sort_by(f64::total_cmp);
        let population = self.powered.population;
        let nth_death = |fraction: f64| {
            let k = ((fraction * population as f64).ceil() as usize).max(1);
            deaths.get(k - 1).copied()
        };
        let (w, g) = (&self.wearable, &self.gateway);
        EnergySummary {
            total_j: self.total_j,
            by_part_j: EnergyParts {
                radio_tx: self.radio_tx_j,
                radio_rx: self.radio_rx_j,
                crypto: self.crypto_j,
                idle: self.idle_j,
            },
            wearable_mean_j: w.mean(w.spent_j),
            gateway_mean_j: g.mean(g.spent_j),
            per_sample_j: per_sample(self.powered.radio_j, self.powered.crypto_j, generated),
            wearable_per_sample_j: w.per_sample(generated),
            gateway_per_sample_j: g.per_sample(generated),
            cloudlet_crypto_j: self.cloudlet_crypto_j,
            dead_nodes: deaths.len() as u64,
            dead_wearables: w.dead,
            dead_gateways: g.dead,
            battery_model: self.battery.model.name(),
            pulse_derating: self.battery.pulse_derating.name(),
            wearable_capacity_fraction: self.battery.wearable_capacity_fraction(),
            lifetime: Lifetime {
                first_death_s: deaths.first().copied(),
                ten_percent_dead_s: nth_death(0.1),
                half_dead_s: nth_death(0.5),
                projected: Projected {
                    projected: true,
                    // A node that spent nothing projects to f64::MAX s; two of them overflow the sum to infinity,
                    // which JSON cannot hold: the mean is capped at the same documented f64::MAX.
                    wearable_mean_s: w.mean(w.projected_sum_s).min(f64::MAX),
                    wearable_min_s: w.projected_min_s.min(f64::MAX),
                    gateway_mean_s: g.mean(g.projected_sum_s).min(f64::MAX),
                    gateway_min_s: g.projected_min_s.min(f64::MAX),
                },
            },
        }
    }
}
