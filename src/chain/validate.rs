//! Validation of the delivery chain's tables: area, wearables, sensors, patients, cloudlets, links and routing (see
//! [`crate::scenario::validate`]).

use enum_map::EnumMap;

use crate::chain::LinkClass;
use crate::kernel::SimTime;

use super::config::{Attach, BatchSpec, CloudletSpec, LinkSpec, Mesh, RouteMetric, SensorSpec};
use super::raw::{builtin_sensors, AttachRule, MeshKind, RawLink};
use crate::scenario::checker::{shown, Checker, MAX_TIME_S};
use crate::scenario::RawScenario;

/// Most retransmissions per hop: the model counts a packet's attempts on a hop in a byte.
const MAX_RETRIES: u32 = u8::MAX as u32;

/// The delivery chain's validated parts of a [`crate::scenario::ModelConfig`].
pub(crate) struct ChainParts {
    pub area_width_m: f64,
    pub area_height_m: f64,
    pub wearables: u32,
    pub wearables_per_patient: u32,
    pub sensors: Vec<SensorSpec>,
    pub attach: Attach,
    pub cloudlets: CloudletSpec,
    pub links: EnumMap<LinkClass, LinkSpec>,
    pub routing: RouteMetric,
}

/// Checks the chain's tables, in file order.
pub(crate) fn chain(c: &mut Checker, raw: &RawScenario) -> ChainParts {
    let area_width_m = c.positive("area.width_m", raw.area.width_m);
    let area_height_m = c.positive("area.height_m", raw.area.height_m);

    let wearables = c.count("wearables.count", raw.wearables.count, 1);
    let wearables_per_patient = c.count("wearables.per_patient", raw.wearables.per_patient, 1);
    let sensors = sensors(c, raw);

    let cloudlets = cloudlets(c, raw);
    let patients = wearables.div_ceil(wearables_per_patient.max(1));
    let attach = match raw.patients.attach {
        AttachRule::Nearest => Attach::Nearest,
        AttachRule::RoundRobin => Attach::RoundRobin,
        AttachRule::MinDelay => Attach::MinDelay,
        AttachRule::Explicit => Attach::Explicit(explicit_attach(c, raw, patients, cloudlets.count)),
    };
    if raw.patients.attach != AttachRule::Explicit && !raw.patients.cloudlet_of.is_empty() {
        c.fail("patients.cloudlet_of", "is only used with patients.attach = \"explicit\"; remove it or set attach");
    }

    let raw_scenario = raw;
    let links = EnumMap::from_fn(|class| {
        let l = &raw.links;
        let raw: RawLink = match class {
            LinkClass::Ban => (&l.ban).into(),
            LinkClass::Access => (&l.access).into(),
            LinkClass::Mesh => (&l.mesh).into(),
            LinkClass::Wan => (&l.wan).into(),
        };
        let mut spec = link(c, class.name(), &raw);
        if class == LinkClass::Ban && l.ban.mac == super::raw::RawMac::Ble {
            let mut profiles = crate::energy::ble::builtin_ble_profiles();
            profiles.extend(raw_scenario.energy.ble_profiles.iter().map(|(k, v)| (k.clone(), v.clone())));
            spec.ble = super::ble::ble(c, &l.ban.ble, &profiles);
        }
        if class == LinkClass::Access && l.access.mac == super::raw::RawAccessMac::Dcf {
            let mac = super::wifi::raw::wifi_mac(c, &l.access.wifi);
            let profile = super::wifi::raw::resolve_wifi_profile(c, &mac, &raw_scenario.energy.wifi_profiles);
            if mac.rate.is_none() && !matches!(spec.loss, super::channel::LossModel::Channel(_)) {
                c.fail(
                    "links.access.wifi.rate_mbps",
                    "0 (rate adaptation) needs links.access.loss_model = \"channel\", whose received power picks \
                     each link's rate; give a rate, or choose the channel model",
                );
            }
            spec.wifi = Some((mac, profile));
        }
        spec
    });
    ChainParts {
        area_width_m,
        area_height_m,
        wearables,
        wearables_per_patient,
        sensors,
        attach,
        cloudlets,
        links,
        routing: raw.routing.metric,
    }
}

fn retries(c: &mut Checker, key: &str, v: u64) -> u32 {
    if v > MAX_RETRIES as u64 {
        c.fail(key, format!("must be an integer from 0 to {MAX_RETRIES} (got {v})"));
        return 0;
    }
    v as u32
}

/// A link's bandwidth: positive, and enough to send the largest packet the model can form (a payload of
/// `u32::MAX` bytes plus the header) within [`MAX_TIME_S`].
fn bandwidth(c: &mut Checker, key: &str, bps: f64, header_overhead_bytes: f64) -> f64 {
    let largest_bits = 8.0 * (u32::MAX as f64 + header_overhead_bytes);
    let least_bps = largest_bits / MAX_TIME_S;
    if !(bps.is_finite() && bps > 0.0) {
        c.fail(key, format!("must be a finite number > 0 (got {})", shown(bps)));
    } else if bps < least_bps {
        c.fail(
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

fn link(c: &mut Checker, prefix: &str, l: &RawLink) -> LinkSpec {
    let key = |k: &str| format!("links.{prefix}.{k}");
    let loss_prob = l.loss_prob;
    let loss = super::channel::raw::validate_loss(c, prefix, l.loss_model, loss_prob, l.ber, &l.channel);
    let buffer_packets = c.count(&key("buffer_packets"), l.buffer_packets, 1);
    let distance_m = c.non_negative(&key("distance_m"), l.distance_m);
    let header_bytes = c.small(&key("header_bytes"), l.header_bytes);
    let mtu_bytes = c.small(&key("mtu_bytes"), l.mtu_bytes);
    let frames = if mtu_bytes == 0 { 1.0 } else { (u32::MAX as f64 / mtu_bytes as f64).ceil() };
    LinkSpec {
        latency: c.time(&key("latency_s"), l.latency_s, false),
        bandwidth_bps: bandwidth(c, &key("bandwidth_bps"), l.bandwidth_bps, frames * header_bytes as f64),
        loss_prob,
        buffer_packets,
        max_retries: retries(c, &key("max_retries"), l.max_retries),
        header_bytes,
        mtu_bytes,
        distance_m: (distance_m > 0.0).then_some(distance_m),
        ble: None,
        wifi: None,
        loss,
    }
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
