//! From [`RawScenario`] to [`ModelConfig`]: every range check in one place.
//!
//! Each problem names the dotted key it concerns and what is allowed; all problems are collected so that a user
//! fixes a file in one pass.

use crate::kernel::SimTime;

use super::config::{Attach, BatchSpec, CloudletSpec, LinkSpec, Mesh, ModelConfig, SensorSpec};
use super::raw::{builtin_sensors, AttachRule, MeshKind, RawLink, RawScenario};

/// One thing wrong with a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted key path, e.g. `links.ban.loss_prob`.
    pub key: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// Largest count of wearables, patients or cloudlets (indices are `u32`; entity ids need < 2^48).
const MAX_ENTITIES: u64 = u32::MAX as u64 - 1;

/// Longest time any key may give, and longest time a packet may take to serialise, in seconds (about 31.7 years).
/// The model adds such times to the clock (end of run + a period, a transmission, a latency or a batch interval);
/// with every term at most this, no sum comes near the 64-bit nanosecond clock's limit of about 584 years.
const MAX_TIME_S: f64 = 1e9;

/// Shortest positive time a key may give, in seconds: the clock counts whole nanoseconds, so a shorter period or
/// gap would round to one nanosecond or to zero.
const MIN_TIME_S: f64 = 1e-9;

/// Highest rate of events a key may ask for, per second: one per nanosecond, the clock's resolution.
const MAX_RATE_PER_S: f64 = 1e9;

/// Most retransmissions per hop: the model counts a packet's attempts on a hop in a byte.
const MAX_RETRIES: u32 = u8::MAX as u32;

pub(super) struct Checker {
    problems: Vec<Problem>,
}

/// A number as a message shows it: in scientific notation when it is huge or tiny (`1e300`, not 301 digits).
pub(super) fn shown(x: f64) -> String {
    if x.is_finite() && x != 0.0 && !(1e-4..1e12).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

impl Checker {
    pub(super) fn fail(&mut self, key: &str, message: impl Into<String>) {
        self.problems.push(Problem { key: key.to_string(), message: message.into() });
    }

    pub(super) fn time(&mut self, key: &str, secs: f64, positive: bool) -> SimTime {
        if secs.is_finite() && secs > MAX_TIME_S {
            self.fail(key, format!("must be at most {MAX_TIME_S:e} s, about 31 years (got {})", shown(secs)));
            return SimTime::ZERO;
        }
        if positive && secs > 0.0 && secs < MIN_TIME_S {
            self.fail(
                key,
                format!(
                    "must be at least {MIN_TIME_S:e} s, the clock's resolution of one nanosecond (got {})",
                    shown(secs)
                ),
            );
            return SimTime::ZERO;
        }
        match SimTime::try_from_secs_f64(secs) {
            Ok(t) if positive && t == SimTime::ZERO => {
                self.fail(key, format!("must be > 0 s (got {}); allowed: a positive number of seconds", shown(secs)));
                SimTime::ZERO
            }
            Ok(t) => t,
            Err(e) => {
                let allowed = if positive { "a positive number of seconds" } else { "a number of seconds >= 0" };
                self.fail(key, format!("{e}; allowed: {allowed}"));
                SimTime::ZERO
            }
        }
    }

    pub(super) fn positive(&mut self, key: &str, v: f64) -> f64 {
        if !(v.is_finite() && v > 0.0) {
            self.fail(key, format!("must be a finite number > 0 (got {})", shown(v)));
        }
        v
    }

    pub(super) fn non_negative(&mut self, key: &str, v: f64) -> f64 {
        if !(v.is_finite() && v >= 0.0) {
            self.fail(key, format!("must be a finite number >= 0 (got {})", shown(v)));
        }
        v
    }

    /// A rate per second: finite, at least 0 (above 0 if `positive`), and at most [`MAX_RATE_PER_S`].
    pub(super) fn rate(&mut self, key: &str, v: f64, positive: bool) -> f64 {
        let (ok, allowed) = if positive { (v > 0.0, "> 0") } else { (v >= 0.0, ">= 0") };
        if !(v.is_finite() && ok) {
            self.fail(key, format!("must be a finite number {allowed} per second (got {})", shown(v)));
        } else if v > MAX_RATE_PER_S {
            self.fail(
                key,
                format!(
                    "must be at most {MAX_RATE_PER_S:e} per second (got {}): the clock counts whole nanoseconds, so \
                     a faster rate cannot be simulated",
                    shown(v)
                ),
            );
        }
        v
    }

    pub(super) fn count(&mut self, key: &str, v: u64, min: u64) -> u32 {
        if v < min || v > MAX_ENTITIES {
            self.fail(key, format!("must be an integer from {min} to {MAX_ENTITIES} (got {v})"));
            return min as u32;
        }
        v as u32
    }

    pub(super) fn small(&mut self, key: &str, v: u64) -> u32 {
        u32::try_from(v).unwrap_or_else(|_| {
            self.fail(key, format!("must be at most {} (got {v})", u32::MAX));
            0
        })
    }

    /// The cloudlet indices listed under `key`, in order: each must be below `cloudlets` and appear once; the
    /// others are reported and left out.
    pub(super) fn cloudlet_indices(&mut self, key: &str, list: &[u64], cloudlets: u32) -> Vec<u32> {
        let mut indices = Vec::with_capacity(list.len());
        for &i in list {
            if i >= u64::from(cloudlets) {
                self.fail(key, format!("{i} is not a cloudlet index (allowed: 0 to {})", cloudlets - 1));
            } else if indices.contains(&(i as u32)) {
                self.fail(key, format!("lists {i} twice"));
            } else {
                indices.push(i as u32);
            }
        }
        indices
    }

    fn retries(&mut self, key: &str, v: u64) -> u32 {
        if v > MAX_RETRIES as u64 {
            self.fail(key, format!("must be an integer from 0 to {MAX_RETRIES} (got {v})"));
            return 0;
        }
        v as u32
    }

    /// A link's bandwidth: positive, and enough to send the largest packet the model can form (a payload of
    /// `u32::MAX` bytes plus the header) within [`MAX_TIME_S`].
    fn bandwidth(&mut self, key: &str, bps: f64, header_overhead_bytes: f64) -> f64 {
        let largest_bits = 8.0 * (u32::MAX as f64 + header_overhead_bytes);
        let least_bps = largest_bits / MAX_TIME_S;
        if !(bps.is_finite() && bps > 0.0) {
            self.fail(key, format!("must be a finite number > 0 (got {})", shown(bps)));
        } else if bps < least_bps {
            self.fail(
                key,
                format!(
                    "must be at least {least_bps:.1} bit/s (got {}), or the largest packet (2^32 - 1 payload \
                     bytes + {header_overhead_bytes} header bytes) would take more than {MAX_TIME_S:e} s to send",
                    shown(bps)
                ),
            );
        }
        bps
    }

    fn link(&mut self, prefix: &str, l: &RawLink) -> LinkSpec {
        let key = |k: &str| format!("links.{prefix}.{k}");
        let loss_prob = l.loss_prob;
        if !(0.0..1.0).contains(&loss_prob) {
            self.fail(&key("loss_prob"), format!("must be a probability in [0, 1) (got {})", shown(loss_prob)));
        }
        let buffer_packets = self.count(&key("buffer_packets"), l.buffer_packets, 1);
        let distance_m = self.non_negative(&key("distance_m"), l.distance_m);
        let header_bytes = self.small(&key("header_bytes"), l.header_bytes);
        let mtu_bytes = self.small(&key("mtu_bytes"), l.mtu_bytes);
        let frames = if mtu_bytes == 0 { 1.0 } else { (u32::MAX as f64 / mtu_bytes as f64).ceil() };
        LinkSpec {
            latency: self.time(&key("latency_s"), l.latency_s, false),
            bandwidth_bps: self.bandwidth(&key("bandwidth_bps"), l.bandwidth_bps, frames * header_bytes as f64),
            loss_prob,
            buffer_packets,
            max_retries: self.retries(&key("max_retries"), l.max_retries),
            header_bytes,
            mtu_bytes,
            distance_m: (distance_m > 0.0).then_some(distance_m),
        }
    }
}

/// Checks `raw` and builds the model configuration, or returns every problem found.
pub fn validate(raw: &RawScenario) -> Result<ModelConfig, Vec<Problem>> {
    let mut c = Checker { problems: Vec::new() };

    let name_ok = raw.name.starts_with(|ch: char| ch.is_ascii_alphanumeric())
        && raw.name.chars().all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch));
    if !name_ok {
        c.fail(
            "name",
            format!(
                "{:?} is not allowed; use letters, digits, '-', '_' and '.', starting with a letter or digit",
                raw.name
            ),
        );
    }
    let duration = c.time("simulation.duration_s", raw.simulation.duration_s, true);
    let drain = c.time("simulation.drain_s", raw.simulation.drain_s, false);
    let warmup = c.time("simulation.warmup_s", raw.simulation.warmup_s, false);
    if warmup >= duration && duration > SimTime::ZERO {
        c.fail("simulation.warmup_s", format!("must be smaller than duration_s = {} s", raw.simulation.duration_s));
    }
    let area_width_m = c.positive("area.width_m", raw.area.width_m);
    let area_height_m = c.positive("area.height_m", raw.area.height_m);

    let wearables = c.count("wearables.count", raw.wearables.count, 1);
    let wearables_per_patient = c.count("wearables.per_patient", raw.wearables.per_patient, 1);
    let sensors = sensors(&mut c, raw);

    let cloudlets = cloudlets(&mut c, raw);
    let patients = wearables.div_ceil(wearables_per_patient.max(1));
    let attach = match raw.patients.attach {
        AttachRule::Nearest => Attach::Nearest,
        AttachRule::RoundRobin => Attach::RoundRobin,
        AttachRule::Explicit => Attach::Explicit(explicit_attach(&mut c, raw, patients, cloudlets.count)),
    };
    if raw.patients.attach != AttachRule::Explicit && !raw.patients.cloudlet_of.is_empty() {
        c.fail("patients.cloudlet_of", "is only used with patients.attach = \"explicit\"; remove it or set attach");
    }

    let links = [
        c.link("ban", &(&raw.links.ban).into()),
        c.link("access", &(&raw.links.access).into()),
        c.link("mesh", &(&raw.links.mesh).into()),
        c.link("wan", &(&raw.links.wan).into()),
    ];

    let energy = super::validate_energy::energy(&mut c, &raw.energy);
    let crypto = super::validate_energy::crypto(&mut c, &raw.crypto);
    let attacks = super::validate_ids::attacks(&mut c, &raw.attacks, cloudlets.count);
    let benign = super::validate_ids::benign(&mut c, &raw.benign);
    let ids = super::validate_ids::ids(&mut c, &raw.ids, cloudlets.count);
    let trust = super::validate_trust::trust(&mut c, &raw.trust);
    let records = super::validate_trust::records(&mut c, &raw.records, patients);
    let care = super::validate_trust::care(&mut c, &raw.care, cloudlets.count);

    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(ModelConfig {
        name: raw.name.clone(),
        seed: raw.seed,
        replication: raw.simulation.replication,
        duration,
        drain,
        warmup,
        area_width_m,
        area_height_m,
        wearables,
        wearables_per_patient,
        sensors,
        attach,
        cloudlets,
        links,
        routing: raw.routing.metric,
        energy,
        crypto,
        attacks,
        benign,
        ids,
        trust,
        records,
        care,
    })
}

fn sensors(c: &mut Checker, raw: &RawScenario) -> Vec<SensorSpec> {
    let mut catalogue = builtin_sensors();
    catalogue.extend(raw.sensors.iter().map(|(k, v)| (k.clone(), v.clone())));
    if raw.wearables.sensors.is_empty() {
        c.fail("wearables.sensors", "must list at least one sensor name");
    }
    let mut out = Vec::new();
    for (i, name) in raw.wearables.sensors.iter().enumerate() {
        if raw.wearables.sensors[..i].contains(name) {
            c.fail("wearables.sensors", format!("lists {name:?} twice"));
            continue;
        }
        let Some(s) = catalogue.get(name) else {
            let known: Vec<&str> = catalogue.keys().map(String::as_str).collect();
            c.fail("wearables.sensors", format!("unknown sensor {name:?}; known: {}", known.join(", ")));
            continue;
        };
        let key = |k: &str| format!("sensors.{name}.{k}");
        let period = c.time(&key("period_s"), s.period_s, true);
        let jitter = c.time(&key("jitter_s"), s.jitter_s, false);
        if period > SimTime::ZERO && jitter >= period {
            c.fail(&key("jitter_s"), format!("must be smaller than period_s = {} (got {})", s.period_s, s.jitter_s));
        }
        let sample_bytes = c.small(&key("sample_bytes"), s.sample_bytes);
        if sample_bytes == 0 {
            c.fail(&key("sample_bytes"), "must be at least 1 byte");
        }
        out.push(SensorSpec { name: name.clone(), period, sample_bytes, jitter });
    }
    // Sensors defined but not carried are checked too, so that no out-of-range or non-finite value passes.
    for (name, s) in raw.sensors.iter().filter(|(n, _)| !raw.wearables.sensors.contains(n)) {
        c.time(&format!("sensors.{name}.period_s"), s.period_s, true);
        c.time(&format!("sensors.{name}.jitter_s"), s.jitter_s, false);
    }
    if out.len() > u16::MAX as usize {
        c.fail("wearables.sensors", "lists more than 65535 sensors");
    }
    out
}

fn cloudlets(c: &mut Checker, raw: &RawScenario) -> CloudletSpec {
    let r = &raw.cloudlets;
    // Core links' random streams are numbered by (source, destination) with 24 bits each (model/streams.rs).
    const MAX_CLOUDLETS: u64 = (1 << 24) - 2;
    if r.count > MAX_CLOUDLETS {
        c.fail("cloudlets.count", format!("must be at most {MAX_CLOUDLETS} (got {})", r.count));
    }
    let count = c.count("cloudlets.count", r.count.min(MAX_CLOUDLETS), 1);
    let mesh = match r.mesh {
        MeshKind::Full => Mesh::Full,
        MeshKind::Ring => Mesh::Ring,
        MeshKind::Grid => {
            let columns = if r.grid_columns == 0 {
                (count as f64).sqrt().ceil() as u32
            } else {
                c.count("cloudlets.grid_columns", r.grid_columns, 1)
            };
            Mesh::Grid { columns: columns.max(1) }
        }
        MeshKind::RandomGeometric => Mesh::RandomGeometric { radius_m: c.positive("cloudlets.radius_m", r.radius_m) },
        MeshKind::Explicit => {
            let mut edges = Vec::new();
            for &[a, b] in &r.edges {
                if a >= count as u64 || b >= count as u64 {
                    c.fail("cloudlets.edges", format!("[{a}, {b}] names a cloudlet outside 0..{count}"));
                } else if a == b {
                    c.fail("cloudlets.edges", format!("[{a}, {b}] links a cloudlet to itself"));
                } else {
                    let e = (a.min(b) as u32, a.max(b) as u32);
                    if edges.contains(&e) {
                        c.fail("cloudlets.edges", format!("[{a}, {b}] is listed twice"));
                    }
                    edges.push(e);
                }
            }
            if edges.is_empty() && count > 1 {
                c.fail("cloudlets.edges", "mesh = \"explicit\" needs at least one edge when there are 2+ cloudlets");
            }
            Mesh::Explicit { edges }
        }
    };
    if r.mesh != MeshKind::RandomGeometric && !r.radius_m.is_finite() {
        c.fail("cloudlets.radius_m", format!("must be a finite number (got {})", shown(r.radius_m)));
    }
    if r.mesh != MeshKind::Explicit && !r.edges.is_empty() {
        c.fail("cloudlets.edges", "is only used with cloudlets.mesh = \"explicit\"");
    }
    let positions_m = if r.positions_m.is_empty() {
        None
    } else {
        if r.positions_m.len() != count as usize {
            c.fail(
                "cloudlets.positions_m",
                format!("has {} entries; it needs one [x_m, y_m] per cloudlet ({count})", r.positions_m.len()),
            );
        }
        for &[x, y] in &r.positions_m {
            if !(x.is_finite() && y.is_finite()) {
                c.fail("cloudlets.positions_m", format!("[{x}, {y}] is not a finite position"));
            }
        }
        Some(r.positions_m.iter().map(|&[x, y]| (x, y)).collect())
    };
    if r.wan_gateways.is_empty() {
        c.fail("cloudlets.wan_gateways", "must name at least one cloudlet linked to the remote cloud");
    }
    let mut wan_gateways = c.cloudlet_indices("cloudlets.wan_gateways", &r.wan_gateways, count);
    wan_gateways.sort_unstable();
    let interval = c.time("cloudlets.batch_interval_s", r.batch_interval_s, false);
    let max_samples = c.small("cloudlets.batch_max_samples", r.batch_max_samples);
    let header_bytes = c.small("cloudlets.batch_header_bytes", r.batch_header_bytes);
    let batch = (interval > SimTime::ZERO).then_some(BatchSpec {
        interval,
        max_samples: if max_samples == 0 { u32::MAX } else { max_samples },
        header_bytes,
    });
    CloudletSpec { count, mesh, positions_m, wan_gateways, batch }
}

fn explicit_attach(c: &mut Checker, raw: &RawScenario, patients: u32, cloudlets: u32) -> Vec<u32> {
    let list = &raw.patients.cloudlet_of;
    if list.len() != patients as usize {
        c.fail(
            "patients.cloudlet_of",
            format!(
                "has {} entries; attach = \"explicit\" needs one cloudlet index per patient ({patients})",
                list.len()
            ),
        );
    }
    list.iter()
        .map(|&i| {
            if i >= cloudlets as u64 {
                c.fail(
                    "patients.cloudlet_of",
                    format!("{i} is not a cloudlet index (allowed: 0 to {})", cloudlets - 1),
                );
                0
            } else {
                i as u32
            }
        })
        .collect()
}
