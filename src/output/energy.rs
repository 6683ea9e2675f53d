//! The energy results: the `energy` section of `summary.json` and `energy.csv` (one row per node).

use serde::Serialize;

use crate::kernel::SimTime;
use crate::model::topology::NodeKind;
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
    /// Projected lifetimes: capacity / measured drain rate (radio + crypto + idle) over the run. Projections,
    /// not observations.
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
}

/// Every node's energy row.
pub fn energy_rows(r: &RunResult) -> Vec<EnergyRow> {
    let e = r.model.energy();
    let end = r.sim_time;
    (0..e.len() as u32)
        .map(|n| {
            let acc = e.node(n);
            let node = r.topology.node(n);
            let idle_j = e.idle_j(n, end);
            let spent_j = acc.event_j() + idle_j;
            let cap = e.kind(n).capacity_j;
            let death = e.death_time(n, end);
            EnergyRow {
                node_id: n,
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
            }
        })
        .collect()
}

/// Renders `energy.csv`.
pub fn energy_csv(rows: &[EnergyRow]) -> Result<Vec<u8>, csv::Error> {
    super::csv_bytes(rows)
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

fn min(xs: &[f64]) -> f64 {
    xs.iter().copied().fold(f64::INFINITY, f64::min).min(f64::MAX)
}

/// The `energy` section of the summary.
pub fn energy_summary(r: &RunResult, rows: &[EnergyRow]) -> EnergySummary {
    let sum = |f: fn(&EnergyRow) -> f64| rows.iter().map(f).sum::<f64>();
    let battery = |row: &&EnergyRow| row.capacity_j.is_some();
    let of_kind = |k: NodeKind| rows.iter().filter(move |row| row.kind == k.name());
    let spent = |k: NodeKind| of_kind(k).map(|row| row.spent_j).collect::<Vec<_>>();
    let sim_s = r.sim_time.as_secs_f64();
    let projected = |k: NodeKind| {
        of_kind(k)
            .map(|row| {
                let rate = row.spent_j / sim_s;
                if rate > 0.0 {
                    row.capacity_j.unwrap_or(f64::INFINITY) / rate
                } else {
                    f64::MAX
                }
            })
            .collect::<Vec<_>>()
    };
    let generated = r.model.metrics().generated.max(1) as f64;
    let per_sample = |rows: &mut dyn Iterator<Item = &EnergyRow>| {
        let (mut radio, mut crypto) = (0.0, 0.0);
        for row in rows {
            radio += row.radio_tx_j + row.radio_rx_j;
            crypto += row.crypto_j;
        }
        PerSample { total: (radio + crypto) / generated, radio: radio / generated, crypto: crypto / generated }
    };
    let side = rows.iter().filter(battery);
    let mut deaths: Vec<f64> = side.clone().filter_map(|row| row.death_time_s).collect();
    deaths.sort_by(f64::total_cmp);
    let population = side.clone().count();
    let nth_death = |fraction: f64| {
        let k = ((fraction * population as f64).ceil() as usize).max(1);
        deaths.get(k - 1).copied()
    };
    let count_dead = |k: NodeKind| of_kind(k).filter(|row| row.dead).count() as u64;
    EnergySummary {
        total_j: sum(|row| row.spent_j),
        by_part_j: EnergyParts {
            radio_tx: sum(|row| row.radio_tx_j),
            radio_rx: sum(|row| row.radio_rx_j),
            crypto: sum(|row| row.crypto_j),
            idle: sum(|row| row.idle_j),
        },
        wearable_mean_j: mean(&spent(NodeKind::Wearable)),
        gateway_mean_j: mean(&spent(NodeKind::BanGateway)),
        per_sample_j: per_sample(&mut side.clone()),
        wearable_per_sample_j: per_sample(&mut of_kind(NodeKind::Wearable)),
        gateway_per_sample_j: per_sample(&mut of_kind(NodeKind::BanGateway)),
        cloudlet_crypto_j: of_kind(NodeKind::Cloudlet).map(|row| row.crypto_j).sum(),
        dead_nodes: deaths.len() as u64,
        dead_wearables: count_dead(NodeKind::Wearable),
        dead_gateways: count_dead(NodeKind::BanGateway),
        lifetime: Lifetime {
            first_death_s: deaths.first().copied(),
            ten_percent_dead_s: nth_death(0.1),
            half_dead_s: nth_death(0.5),
            projected: Projected {
                projected: true,
                wearable_mean_s: mean(&projected(NodeKind::Wearable)),
                wearable_min_s: min(&projected(NodeKind::Wearable)),
                gateway_mean_s: mean(&projected(NodeKind::BanGateway)),
                gateway_min_s: min(&projected(NodeKind::BanGateway)),
            },
        },
    }
}
