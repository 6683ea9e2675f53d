//! A finite key distribution centre (issue 15, part 7; docs/model.md, section 18): `[care.kdc]`, its checks, its
//! state and its `care.kdc` section, and the closed forms it is validated against.
//!
//! With `care.kdc.enabled` the KDC is a FIFO queue with `servers` identical servers. A doctor's key request (a
//! request of `request_bytes` at `link_rate_bps`, then `care.key_request_s`) waits for a free server, is served for
//! `service_s` (fixed or exponential), and the reply (the KEM ciphertext of `crypto.scheme` plus the AEAD-wrapped
//! 16-byte record key and a header, at the same link rate, then `care.kdc_check_s`) carries the key or the denial.
//! A request finding `queue_capacity` requests waiting is refused (the appointment ends). Optional failures: the KDC
//! alternates exponential up periods (mean `mtbf_s`) and down periods (mean `mttr_s`); while it is down no service
//! starts (services in progress complete) and requests wait for the repair. Off, the KDC is the fixed or exponential
//! step of section 12.8, unchanged.

use std::collections::VecDeque;

use rand::Rng;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kernel::{EntityRng, SimTime};
use crate::scenario::checker::Checker;
use crate::stats::{LatencyStats, LatencySummary};

/// How service times are drawn.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ServiceTime {
    /// Every request takes exactly `service_s`.
    Fixed,
    /// Exponential with mean `service_s`.
    Exponential,
}

/// `[care.kdc]`: the key distribution centre as a server with a queue (off by default).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawKdc {
    /// Turn the finite KDC on (needs `care.enabled`).
    pub enabled: bool,
    /// Servers working in parallel (>= 1).
    pub servers: u64,
    /// `fixed` or `exponential` service times.
    pub service: ServiceTime,
    /// Mean service time of one key request, in seconds (> 0). Default 0.001: our assumption; the NTRU
    /// encapsulation (40 853 x86 cycles for ntru-hps2048509 at 2 GHz, section 7) and the AEAD wrap take about 21 µs
    /// of it, the rest stands for checking the doctor's credential and looking up the record's key.
    pub service_s: f64,
    /// Requests that may wait (0 = no limit); a request finding it full is refused.
    pub queue_capacity: u64,
    /// Bytes of a key request: doctor and record identifiers, nonce and the doctor's ECDSA P-256 signature (>= 1).
    pub request_bytes: u64,
    /// Bytes of the reply besides the KEM ciphertext of `crypto.scheme`: the AEAD-wrapped 16-byte record key
    /// (12-byte nonce, 16-byte tag) and a 16-byte header (>= 0).
    pub reply_extra_bytes: u64,
    /// Rate of the doctor–KDC link, bits per second (> 0); default 10 Mbit/s (our assumption).
    pub link_rate_bps: f64,
    /// Mean time between failures, in seconds (0 = the KDC never fails).
    pub mtbf_s: f64,
    /// Mean time to repair, in seconds (> 0 when `mtbf_s` > 0).
    pub mttr_s: f64,
}

impl Default for RawKdc {
    fn default() -> Self {
        RawKdc {
            enabled: false,
            servers: 1,
            service: ServiceTime::Exponential,
            service_s: 0.001,
            queue_capacity: 0,
            request_bytes: 16 + 16 + 16 + 64 + 16,
            reply_extra_bytes: 12 + 16 + 16 + 16,
            link_rate_bps: 10e6,
            mtbf_s: 0.0,
            mttr_s: 60.0,
        }
    }
}

impl RawKdc {
    /// Whether the table is as by default (it is then left out of `scenario.resolved.toml`).
    pub fn is_default(&self) -> bool {
        *self == RawKdc::default()
    }
}

/// The validated `[care.kdc]` (present when it is on).
#[derive(Debug, Clone, PartialEq)]
pub struct KdcSpec {
    /// Servers.
    pub servers: u32,
    /// Fixed or exponential.
    pub service_kind: ServiceTime,
    /// Mean service time.
    pub service_mean: SimTime,
    /// Queue capacity (`None`: unlimited).
    pub queue_capacity: Option<u32>,
    /// Request bytes.
    pub request_bytes: u64,
    /// Reply bytes besides the KEM ciphertext.
    pub reply_extra_bytes: u64,
    /// Link rate, bit/s.
    pub link_rate_bps: f64,
    /// Mean up and down times (seconds), when failures are on.
    pub failures: Option<(f64, f64)>,
}

/// `None` when the KDC is off (section 12.8's step).
pub(crate) fn kdc(c: &mut Checker, raw: &RawKdc) -> Option<KdcSpec> {
    let servers = c.count("care.kdc.servers", raw.servers, 1);
    let service_mean = c.time("care.kdc.service_s", raw.service_s, true);
    let queue_capacity = c.small("care.kdc.queue_capacity", raw.queue_capacity);
    if raw.request_bytes == 0 {
        c.fail("care.kdc.request_bytes", "must be an integer >= 1 (got 0)");
    }
    let link_rate_bps = c.positive("care.kdc.link_rate_bps", raw.link_rate_bps);
    c.time("care.kdc.mtbf_s", raw.mtbf_s, false);
    // Checked whether or not failures are on (a NaN is never allowed); it must be positive when they are.
    c.time("care.kdc.mttr_s", raw.mttr_s, raw.mtbf_s > 0.0);
    raw.enabled.then_some(KdcSpec {
        servers,
        service_kind: raw.service,
        service_mean,
        queue_capacity: (queue_capacity > 0).then_some(queue_capacity),
        request_bytes: raw.request_bytes,
        reply_extra_bytes: raw.reply_extra_bytes,
        link_rate_bps,
        failures: (raw.mtbf_s > 0.0).then_some((raw.mtbf_s, raw.mttr_s)),
    })
}

/// Erlang's C formula: the probability that a request waits in an M/M/c queue with arrival rate `lambda` and
/// service rate `mu` per server (needs λ < c·μ).
pub fn erlang_c(lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    let rho = a / c as f64;
    let (mut term, mut sum) = (1.0, 0.0);
    for k in 0..c {
        sum += term;
        term *= a / (k + 1) as f64;
    }
    let last = term / (1.0 - rho);
    last / (sum + last)
}

/// Mean wait in the queue of an M/M/c FIFO queue, C(c, a) / (c·μ − λ); for c = 1, ρ / (μ − λ).
pub fn mmc_mean_wait_s(lambda: f64, mu: f64, c: u32) -> f64 {
    erlang_c(lambda, mu, c) / (c as f64 * mu - lambda)
}

/// Long-run availability of an alternating up/down process: MTBF / (MTBF + MTTR).
pub fn availability(mtbf_s: f64, mttr_s: f64) -> f64 {
    mtbf_s / (mtbf_s + mttr_s)
}

fn exp_draw(rng: &mut EntityRng, mean_s: f64) -> SimTime {
    let u: f64 = rng.random::<f64>();
    SimTime::try_from_secs_f64(-(1.0 - u).ln() * mean_s).unwrap_or(SimTime::MAX)
}

/// The KDC's failures: alternating exponential up and down periods, drawn as far as asked (no event needed).
#[derive(Debug, Clone)]
pub struct Outages {
    rng: EntityRng,
    mtbf_s: f64,
    mttr_s: f64,
    /// Down periods drawn so far, (start, repair), in order.
    periods: Vec<(SimTime, SimTime)>,
    next_failure: SimTime,
}

impl Outages {
    /// The process, up at time zero.
    pub fn new(mut rng: EntityRng, mtbf_s: f64, mttr_s: f64) -> Self {
        let next_failure = exp_draw(&mut rng, mtbf_s);
        Outages { rng, mtbf_s, mttr_s, periods: Vec::new(), next_failure }
    }

    fn draw_until(&mut self, t: SimTime) {
        while self.next_failure <= t && self.next_failure < SimTime::MAX {
            let repair = self.next_failure.saturating_add(exp_draw(&mut self.rng, self.mttr_s));
            self.periods.push((self.next_failure, repair));
            self.next_failure = repair.saturating_add(exp_draw(&mut self.rng, self.mtbf_s));
        }
    }

    /// When the KDC is down at `t`, the time of its repair.
    pub fn down_at(&mut self, t: SimTime) -> Option<SimTime> {
        self.draw_until(t);
        let i = self.periods.partition_point(|p| p.0 <= t);
        i.checked_sub(1).map(|i| self.periods[i]).filter(|&(_, repair)| t < repair).map(|(_, repair)| repair)
    }

    /// Time down in [0, end), seconds.
    pub fn down_s(&mut self, end: SimTime) -> f64 {
        self.draw_until(end);
        self.periods.iter().map(|&(s, r)| (r.min(end).as_secs_f64() - s.min(end).as_secs_f64()).max(0.0)).sum()
    }

    /// Down periods begun before `end`.
    pub fn failures(&mut self, end: SimTime) -> u64 {
        self.draw_until(end);
        self.periods.iter().filter(|p| p.0 < end).count() as u64
    }
}

/// Counters of the KDC (all of the run).
#[derive(Debug, Clone, Default)]
pub struct KdcMetrics {
    /// Key requests that reached the KDC.
    pub requests: u64,
    /// Requests served.
    pub served: u64,
    /// Requests refused: the queue was full.
    pub refused: u64,
    /// Requests that found the KDC down when they could have started service.
    pub met_failure: u64,
    /// Arrival → start of service.
    pub wait: LatencyStats,
    /// Longest queue (requests waiting, not in service).
    pub queue_max: u64,
    /// Server-seconds of the services begun.
    pub busy_s: f64,
}

/// What the care workflow must schedule for the KDC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KdcOut {
    /// Appointment `0`'s request is served after the given time.
    Serve(u32, SimTime),
    /// Wake the KDC at its repair, after the given time (carried by appointment `0`'s event).
    Wake(u32, SimTime),
}

/// One request waiting: appointment, arrival, whether it met a failure.
type Waiting = (u32, SimTime, bool);

/// The finite KDC's state.
#[derive(Debug, Clone)]
pub struct KdcState {
    spec: KdcSpec,
    service_rng: EntityRng,
    outages: Option<Outages>,
    queue: VecDeque<Waiting>,
    busy: u32,
    wake_pending: bool,
    reply_bytes: u64,
    /// Counters.
    pub metrics: KdcMetrics,
}

impl KdcState {
    /// The KDC of `spec`, replying with a KEM ciphertext of `kem_ciphertext_bytes`.
    pub fn new(spec: KdcSpec, kem_ciphertext_bytes: u64, service_rng: EntityRng, outage_rng: EntityRng) -> Self {
        let outages = spec.failures.map(|(up, down)| Outages::new(outage_rng, up, down));
        let reply_bytes = kem_ciphertext_bytes + spec.reply_extra_bytes;
        KdcState {
            spec,
            service_rng,
            outages,
            queue: VecDeque::new(),
            busy: 0,
            wake_pending: false,
            reply_bytes,
            metrics: KdcMetrics::default(),
        }
    }

    /// Transmission time of `bytes` on the doctor–KDC link.
    fn tx(&self, bytes: u64) -> SimTime {
        SimTime::try_from_secs_f64(bytes as f64 * 8.0 / self.spec.link_rate_bps).unwrap_or(SimTime::MAX)
    }

    /// Transmission time of a key request.
    pub fn request_tx(&self) -> SimTime {
        self.tx(self.spec.request_bytes)
    }

    /// Transmission time of a reply.
    pub fn reply_tx(&self) -> SimTime {
        self.tx(self.reply_bytes)
    }

    fn service_time(&mut self) -> SimTime {
        match self.spec.service_kind {
            ServiceTime::Fixed => self.spec.service_mean,
            ServiceTime::Exponential => exp_draw(&mut self.service_rng, self.spec.service_mean.as_secs_f64()),
        }
    }

    /// Appointment `a`'s key request arrives at `now`; returns false if it is refused (queue full).
    pub fn arrive(&mut self, a: u32, now: SimTime, out: &mut Vec<KdcOut>) -> bool {
        self.metrics.requests += 1;
        if self.spec.queue_capacity.is_some_and(|cap| self.queue.len() >= cap as usize) {
            self.metrics.refused += 1;
            return false;
        }
        self.queue.push_back((a, now, false));
        self.dispatch(now, out);
        self.metrics.queue_max = self.metrics.queue_max.max(self.queue.len() as u64);
        true
    }

    /// A service ended at `now`.
    pub fn served(&mut self, now: SimTime, out: &mut Vec<KdcOut>) {
        self.busy -= 1;
        self.metrics.served += 1;
        self.dispatch(now, out);
    }

    /// The KDC's repair at `now`.
    pub fn wake(&mut self, now: SimTime, out: &mut Vec<KdcOut>) {
        self.wake_pending = false;
        self.dispatch(now, out);
    }

    /// Starts what the free servers can start at `now`.
    fn dispatch(&mut self, now: SimTime, out: &mut Vec<KdcOut>) {
        if self.busy >= self.spec.servers || self.queue.is_empty() {
            return;
        }
        if let Some(repair) = self.outages.as_mut().and_then(|o| o.down_at(now)) {
            for w in self.queue.iter_mut().filter(|w| !w.2) {
                w.2 = true;
                self.metrics.met_failure += 1;
            }
            if !self.wake_pending {
                self.wake_pending = true;
                out.push(KdcOut::Wake(self.queue[0].0, repair - now));
            }
            return;
        }
        while self.busy < self.spec.servers {
            let Some((a, arrived, _)) = self.queue.pop_front() else { break };
            self.busy += 1;
            self.metrics.wait.record(now - arrived);
            let t = self.service_time();
            self.metrics.busy_s += t.as_secs_f64();
            out.push(KdcOut::Serve(a, t));
        }
    }

    /// The `care.kdc` section, at the end of the run `end`.
    pub fn summary(&mut self, end: SimTime) -> KdcSummary {
        let (s, end_s) = (&self.spec, end.as_secs_f64());
        let down = self.outages.as_mut().map(|o| (o.down_s(end) / end_s.max(1e-300), o.failures(end)));
        let m = &self.metrics;
        KdcSummary {
            servers: s.servers,
            requests: m.requests,
            served: m.served,
            refused: m.refused,
            met_failure: m.met_failure,
            wait_s: m.wait.summary(),
            utilisation: m.busy_s / (s.servers as f64 * end_s).max(1e-300),
            queue_max: m.queue_max,
            request_bytes: s.request_bytes,
            reply_bytes: self.reply_bytes,
            failures: down.map(|d| d.1),
            down_fraction: down.map(|d| d.0),
        }
    }
}

/// `summary.json` → `care` → `kdc` (present when `care.kdc.enabled`). Covers the whole run.
#[derive(Debug, Clone, Serialize)]
pub struct KdcSummary {
    /// Servers.
    pub servers: u32,
    /// Key requests that reached the KDC.
    pub requests: u64,
    /// Requests served.
    pub served: u64,
    /// Requests refused because the queue was full.
    pub refused: u64,
    /// Requests that found the KDC down when they could have started service.
    pub met_failure: u64,
    /// Wait in the queue (arrival → start of service), in seconds.
    pub wait_s: LatencySummary,
    /// Busy server-time / (servers × run length).
    pub utilisation: f64,
    /// Longest queue (requests waiting).
    pub queue_max: u64,
    /// Bytes of a key request.
    pub request_bytes: u64,
    /// Bytes of a reply (KEM ciphertext, wrapped key, header).
    pub reply_bytes: u64,
    /// Failures begun during the run (null without failures).
    pub failures: Option<u64>,
    /// Fraction of the run the KDC was down (null without failures).
    pub down_fraction: Option<f64>,
}

#[cfg(test)]
#[path = "kdc_tests.rs"]
mod tests;
