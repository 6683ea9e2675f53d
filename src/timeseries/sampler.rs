//! Sampling the model at the end of every interval of `output.interval_s`, into the rows of `timeseries.csv`.
//!
//! No event is scheduled: the run loop ([`crate::run::run_on`]) runs the kernel up to one nanosecond before each
//! interval's end, hands the model to [`Sampler::sample`], and goes on. The event queue, the random streams and the
//! order of events are those of a run without a time series. A sample reads counters the model keeps anyway
//! (differences of cumulative counts), empties one latency histogram, and makes one pass over the nodes (energy,
//! batteries) and one over the links (queues): O(nodes + links) per interval, nothing per event.

use serde::Serialize;

use crate::chain::topology::NodeKind;
use crate::chain::NodeId;
use crate::kernel::SimTime;
use crate::model::MeshModel;
use crate::scenario::ModelConfig;

/// One row of `timeseries.csv`: what happened in one interval `[interval_start_s, interval_end_s)` (the last
/// interval also holds the events at the run's end), and the state at its end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeseriesRow {
    /// Start of the interval, s (k · interval_s, exact in ns).
    pub interval_start_s: f64,
    /// End of the interval, s (the run's end for the last, possibly partial, interval).
    pub interval_end_s: f64,
    /// Samples taken by wearables in the interval.
    pub generated: u64,
    /// Samples delivered to the remote cloud in the interval.
    pub delivered: u64,
    /// Samples dropped in the interval (every cause).
    pub dropped: u64,
    /// Median end-to-end latency of the samples delivered in the interval, s (warm-up included; empty if none).
    pub latency_p50_s: Option<f64>,
    /// 95th percentile of the same, s (empty if none was delivered).
    pub latency_p95_s: Option<f64>,
    /// Packets held by the busiest link at the interval's end (being sent plus waiting in its buffer); 0 if all are
    /// idle.
    pub busiest_link_queue_packets: u32,
    /// Id of that link (as in `nodes.csv`'s link numbering; the lowest among equals; empty if all are idle).
    pub busiest_link: Option<u32>,
    /// Energy charged to wearables in the interval (radio, crypto, idle; BLE idle connection events when settled),
    /// J.
    pub energy_wearable_j: f64,
    /// Energy charged to BAN gateways in the interval, J.
    pub energy_gateway_j: f64,
    /// Energy charged to cloudlets in the interval, J.
    pub energy_cloudlet_j: f64,
    /// Energy charged to the remote cloud in the interval, J.
    pub energy_cloud_j: f64,
    /// Wearables whose battery is not exhausted at the interval's end.
    pub wearables_alive: u64,
    /// BAN gateways whose battery is not exhausted at the interval's end (all of them when mains powered).
    pub gateways_alive: u64,
    /// Attack items that entered in the interval (after the warm-up, as `summary.json` counts them; 0 without
    /// attacks).
    pub attacks: u64,
    /// Of the attack items counted so far, those whose fused alarm was drawn in the interval.
    pub detected: u64,
    /// Shares granted to malicious patients in the interval (requests after the warm-up, as `summary.json` counts
    /// them); empty when the trust model is off.
    pub trust_leaks: Option<u64>,
}

/// The running totals a row is the difference of.
#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    generated: u64,
    delivered: u64,
    dropped: u64,
    /// By node kind: wearables, gateways, cloudlets, cloud.
    energy_j: [f64; 4],
    attacks: u64,
    detected: u64,
    leaks: u64,
}

/// Builds `timeseries.csv` as the run goes.
#[derive(Debug, Clone)]
pub struct Sampler {
    interval: SimTime,
    end: SimTime,
    rows: Vec<TimeseriesRow>,
    last: Totals,
}

impl Sampler {
    /// A sampler for `cfg`, or `None` without `output.interval_s`.
    pub fn new(cfg: &ModelConfig) -> Option<Sampler> {
        let interval = cfg.output.interval?;
        let end = cfg.end_time();
        let n = cfg.output.intervals(end) as usize;
        Some(Sampler { interval, end, rows: Vec::with_capacity(n), last: Totals::default() })
    }

    /// The end of the interval now being filled: `(rows + 1) · interval`, in integer ns, or the run's end for the
    /// last one.
    pub fn next_end(&self) -> SimTime {
        let k = self.rows.len() as u64 + 1;
        SimTime::from_nanos(self.interval.as_nanos().saturating_mul(k)).min(self.end)
    }

    /// Closes the interval now being filled: call once every event before [`Sampler::next_end`] (and, for the
    /// last interval, every event up to the run's end, and the model's end-of-run charges) has been handled.
    pub fn sample(&mut self, model: &mut MeshModel) {
        let start = SimTime::from_nanos(self.interval.as_nanos() * self.rows.len() as u64);
        let end = self.next_end();
        let now = totals(model, end);
        let latency = model.take_interval_latency();
        let busiest = model.chain().busiest_link();
        let (wearables_alive, gateways_alive) = alive(model, end);
        let d = |a: u64, b: u64| a - b;
        let e = |k: usize| now.energy_j[k] - self.last.energy_j[k];
        self.rows.push(TimeseriesRow {
            interval_start_s: start.as_secs_f64(),
            interval_end_s: end.as_secs_f64(),
            generated: d(now.generated, self.last.generated),
            delivered: d(now.delivered, self.last.delivered),
            dropped: d(now.dropped, self.last.dropped),
            latency_p50_s: latency.map(|l| l.0),
            latency_p95_s: latency.map(|l| l.1),
            busiest_link_queue_packets: busiest.map_or(0, |b| b.1),
            busiest_link: busiest.map(|b| b.0.get()),
            energy_wearable_j: e(0),
            energy_gateway_j: e(1),
            energy_cloudlet_j: e(2),
            energy_cloud_j: e(3),
            wearables_alive,
            gateways_alive,
            attacks: d(now.attacks, self.last.attacks),
            detected: d(now.detected, self.last.detected),
            trust_leaks: model.trust().enabled().then(|| d(now.leaks, self.last.leaks)),
        });
        self.last = now;
    }

    /// The rows, in time order.
    pub fn into_rows(self) -> Vec<TimeseriesRow> {
        self.rows
    }
}

/// The model's running totals at `at` (every event before it handled).
fn totals(model: &MeshModel, at: SimTime) -> Totals {
    let m = model.metrics();
    let e = model.energy();
    let mut energy_j = [0.0; 4];
    for n in (0..e.len() as u32).map(NodeId) {
        let k = match e.kind_of(n) {
            NodeKind::Wearable => 0,
            NodeKind::BanGateway => 1,
            NodeKind::Cloudlet => 2,
            NodeKind::RemoteCloud => 3,
        };
        energy_j[k] += e.node(n).event_j() + e.idle_j(n, at);
    }
    let ids = &model.ids().metrics;
    Totals {
        generated: m.generated,
        delivered: m.delivered,
        dropped: m.dropped_total(),
        energy_j,
        attacks: ids.attacks,
        detected: ids.detected,
        leaks: model.trust().metrics.leaks,
    }
}

/// Wearables and gateways alive at `at`.
fn alive(model: &MeshModel, at: SimTime) -> (u64, u64) {
    let e = model.energy();
    let (mut wearables, mut gateways) = (0, 0);
    for n in (0..e.len() as u32).map(NodeId) {
        let living = e.death_time(n, at).is_none();
        match e.kind_of(n) {
            NodeKind::Wearable => wearables += u64::from(living),
            NodeKind::BanGateway => gateways += u64::from(living),
            NodeKind::Cloudlet | NodeKind::RemoteCloud => {}
        }
    }
    (wearables, gateways)
}
