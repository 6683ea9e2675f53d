//! The generator of random valid scenarios: one strategy per table, each field drawn over its valid range.

use proptest::prelude::*;

pub(super) const SENSORS: [&str; 5] = ["heart_rate", "spo2", "temperature", "blood_pressure", "ecg"];
pub(super) const RADIOS: [&str; 9] =
    ["first_order", "two_ray", "nrf2401a", "cc2420", "ble_1m", "ieee802154", "wifi_g", "none", "custom_radio"];
pub(super) const SCHEMES: [&str; 11] = [
    "ntru-hps2048509",
    "ntru-hps2048677",
    "ntru-hrss701",
    "ntru-hps4096821",
    "sntrup761",
    "rsa-2048",
    "ecies-x25519",
    "ecies-p256",
    "aes-128-gcm",
    "none",
    "custom_scheme",
];
/// The valid (at, mode) combinations: `batch` needs the gateway.
pub(super) const CRYPTO_PLACES: [(&str, &str); 5] = [
    ("wearable", "per_packet"),
    ("wearable", "session"),
    ("gateway", "per_packet"),
    ("gateway", "session"),
    ("gateway", "batch"),
];
pub(super) const ATTACKS: [&str; 6] =
    ["dos_flood", "probe", "unauthorized_access", "data_tampering", "distributed", "insider"];
pub(super) const MESHES: [&str; 5] = ["full", "ring", "grid", "random_geometric", "explicit"];

/// A float as TOML: Rust's `{:?}` always writes a decimal point or an exponent.
pub(super) fn f(x: f64) -> String {
    format!("{x:?}")
}

/// A log-uniform draw in [lo, hi).
pub(super) fn log_uniform(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    (lo.ln()..hi.ln()).prop_map(f64::exp)
}

/// 0 with probability `p_zero`, else uniform in [lo, hi).
pub(super) fn maybe_zero(p_zero: f64, lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    (prop::bool::weighted(p_zero), lo..hi).prop_map(|(zero, x)| if zero { 0.0 } else { x })
}

#[derive(Debug, Clone)]
pub(super) struct Sim {
    pub(super) seed: u64,
    pub(super) duration_s: f64,
    pub(super) drain_s: f64,
    /// Warm-up as a fraction of the duration (0 = none).
    pub(super) warmup_frac: f64,
    pub(super) width_m: f64,
    pub(super) height_m: f64,
    pub(super) routing_hops: bool,
}

pub(super) fn sim() -> impl Strategy<Value = Sim> {
    (
        0u64..1_000_000,
        0.2f64..4.0,
        maybe_zero(0.4, 0.0, 1.0),
        maybe_zero(0.6, 0.0, 0.9),
        50.0f64..3000.0,
        50.0f64..3000.0,
        any::<bool>(),
    )
        .prop_map(|(seed, duration_s, drain_s, warmup_frac, width_m, height_m, routing_hops)| Sim {
            seed,
            duration_s,
            drain_s,
            warmup_frac,
            width_m,
            height_m,
            routing_hops,
        })
}

#[derive(Debug, Clone)]
pub(super) struct CustomSensor {
    pub(super) period_s: f64,
    pub(super) sample_bytes: u32,
    pub(super) jitter_frac: f64,
}

#[derive(Debug, Clone)]
pub(super) struct Net {
    pub(super) wearables: u32,
    pub(super) per_patient: u32,
    /// Bit i: carry built-in sensor i.
    pub(super) sensor_mask: u8,
    /// A new sensor, carried too.
    pub(super) custom_sensor: Option<CustomSensor>,
    /// 0 nearest, 1 round robin, 2 explicit.
    pub(super) attach: u8,
    /// Explicit attach: cloudlet of each patient, modulo the count (cycled).
    pub(super) attach_list: Vec<u8>,
    pub(super) cloudlets: u32,
    pub(super) mesh: u8,
    pub(super) grid_columns: u8,
    /// Random geometric: radius as a fraction of the area's diagonal.
    pub(super) radius_frac: f64,
    /// Explicit mesh: parent of cloudlet i (i >= 1) is `parents[i] % i` (a spanning tree), plus extra edges.
    pub(super) parents: Vec<u8>,
    pub(super) extra_edges: Vec<(u8, u8)>,
    /// Explicit positions as fractions of the area.
    pub(super) positions: Option<Vec<(f64, f64)>>,
    pub(super) wan_mask: u8,
    pub(super) batch_interval_s: f64,
    pub(super) batch_max_samples: u32,
    pub(super) batch_header_bytes: u32,
}

pub(super) fn net() -> impl Strategy<Value = Net> {
    let population = (
        1u32..=30,
        1u32..=4,
        1u8..32,
        prop::option::weighted(
            0.4,
            (log_uniform(0.02, 2.0), 1u32..2000, maybe_zero(0.3, 0.0, 0.9))
                .prop_map(|(period_s, sample_bytes, jitter_frac)| CustomSensor { period_s, sample_bytes, jitter_frac }),
        ),
        0u8..3,
        prop::collection::vec(any::<u8>(), 30),
    );
    let mesh = (
        1u32..=6,
        0u8..5,
        any::<u8>(),
        0.2f64..1.5,
        prop::collection::vec(any::<u8>(), 6),
        prop::collection::vec((0u8..6, 0u8..6), 0..5),
        prop::option::weighted(0.3, prop::collection::vec((0.0f64..1.0, 0.0f64..1.0), 6)),
        1u8..64,
    );
    let batch = (maybe_zero(0.5, 0.01, 1.0), prop_oneof![Just(0u32), 1u32..20], 0u32..40);
    (population, mesh, batch).prop_map(
        |(
            (wearables, per_patient, sensor_mask, custom_sensor, attach, attach_list),
            (cloudlets, mesh, grid_columns, radius_frac, parents, extra_edges, positions, wan_mask),
            (batch_interval_s, batch_max_samples, batch_header_bytes),
        )| Net {
            wearables,
            per_patient,
            sensor_mask,
            custom_sensor,
            attach,
            attach_list,
            cloudlets,
            mesh,
            grid_columns,
            radius_frac,
            parents,
            extra_edges,
            positions,
            wan_mask,
            batch_interval_s,
            batch_max_samples,
            batch_header_bytes,
        },
    )
}

#[derive(Debug, Clone)]
pub(super) struct Link {
    pub(super) latency_s: f64,
    pub(super) bandwidth_bps: f64,
    pub(super) loss_prob: f64,
    pub(super) buffer_packets: u32,
    pub(super) max_retries: u32,
    pub(super) header_bytes: u32,
    pub(super) mtu_bytes: u32,
    pub(super) distance_m: f64,
}

pub(super) fn link() -> impl Strategy<Value = Link> {
    (
        maybe_zero(0.2, 0.0, 0.02),
        log_uniform(2e4, 1e9),
        maybe_zero(0.4, 0.0, 0.5),
        1u32..64,
        0u32..5,
        0u32..64,
        prop_oneof![Just(0u32), 16u32..1500],
        maybe_zero(0.3, 0.1, 100.0),
    )
        .prop_map(
            |(
                latency_s,
                bandwidth_bps,
                loss_prob,
                buffer_packets,
                max_retries,
                header_bytes,
                mtu_bytes,
                distance_m,
            )| {
                Link {
                    latency_s,
                    bandwidth_bps,
                    loss_prob,
                    buffer_packets,
                    max_retries,
                    header_bytes,
                    mtu_bytes,
                    distance_m,
                }
            },
        )
}

#[derive(Debug, Clone)]
pub(super) struct Energy {
    /// Radio profile of each link class (index into [`RADIOS`]).
    pub(super) radios: [u8; 4],
    /// The custom radio: `two_ray` or `power`, tx, rx, amplifier figures.
    pub(super) custom_two_ray: bool,
    pub(super) custom: (f64, f64, f64, f64),
    pub(super) nj_per_cycle: (f64, f64, f64),
    pub(super) idle_w: (f64, f64, f64),
    /// Batteries, J (None: the default, large).
    pub(super) wearable_j: Option<f64>,
    pub(super) gateway_j: Option<f64>,
}

pub(super) fn energy() -> impl Strategy<Value = Energy> {
    (
        [0u8..9, 0u8..9, 0u8..9, 0u8..9],
        any::<bool>(),
        (0.0f64..100.0, 0.0f64..100.0, 0.0f64..5.0, 0.1f64..4.0),
        (0.0f64..1.0, 0.0f64..1.0, 0.0f64..3.0),
        (maybe_zero(0.3, 0.0, 1e-3), maybe_zero(0.3, 0.0, 0.05), maybe_zero(0.5, 0.0, 10.0)),
        prop::option::weighted(0.7, log_uniform(1e-4, 1.0)),
        prop::option::weighted(0.6, log_uniform(1e-3, 5.0)),
    )
        .prop_map(|(radios, custom_two_ray, custom, nj_per_cycle, idle_w, wearable_j, gateway_j)| Energy {
            radios,
            custom_two_ray,
            custom,
            nj_per_cycle,
            idle_w,
            wearable_j,
            gateway_j,
        })
}

#[derive(Debug, Clone)]
pub(super) struct Crypto {
    pub(super) scheme: u8,
    pub(super) place: u8,
    pub(super) rekey_s: f64,
    pub(super) batch_s: f64,
    pub(super) batch_header_bytes: u32,
    pub(super) aead_bytes: (u32, u32),
    pub(super) aead_cycles: (f64, f64),
    /// The custom scheme: kind (0 kem, 1 symmetric, 2 none), cycles, ciphertext bytes.
    pub(super) custom_kind: u8,
    pub(super) custom_cycles: (f64, f64, f64),
    pub(super) custom_ciphertext: u32,
}

pub(super) fn crypto() -> impl Strategy<Value = Crypto> {
    (
        0u8..11,
        0u8..5,
        log_uniform(0.05, 10.0),
        log_uniform(0.02, 1.5),
        0u32..8,
        (0u32..16, 0u32..20),
        (0.0f64..50.0, 0.0f64..3000.0),
        0u8..3,
        (0.0f64..5e6, 0.0f64..2e6, 0.0f64..2e6),
        0u32..1500,
    )
        .prop_map(
            |(
                scheme,
                place,
                rekey_s,
                batch_s,
                batch_header_bytes,
                aead_bytes,
                aead_cycles,
                custom_kind,
                custom_cycles,
                custom_ciphertext,
            )| Crypto {
                scheme,
                place,
                rekey_s,
                batch_s,
                batch_header_bytes,
                aead_bytes,
                aead_cycles,
                custom_kind,
                custom_cycles,
                custom_ciphertext,
            },
        )
}

#[derive(Debug, Clone)]
pub(super) struct Attack {
    pub(super) rate_per_s: f64,
    pub(super) campaign_size: u32,
    pub(super) campaign_gap_s: f64,
    /// 0 random, 1 weighted, 2 explicit.
    pub(super) entry: u8,
    pub(super) weights: Vec<f64>,
    pub(super) entry_cloudlet: u8,
    /// 0 remote cloud, 1 a given cloudlet, 2 a random other cloudlet (a given one when there is only one).
    pub(super) target: u8,
    pub(super) target_cloudlet: u8,
    pub(super) flood_packets: u32,
    pub(super) flood_packet_bytes: u32,
    pub(super) flood_rate_pps: f64,
    pub(super) sources: u32,
}

pub(super) fn attack() -> impl Strategy<Value = Attack> {
    (
        (log_uniform(0.05, 6.0), 1u32..5, log_uniform(0.01, 1.0)),
        (0u8..3, prop::collection::vec(0.0f64..3.0, 6), any::<u8>()),
        (0u8..3, any::<u8>()),
        (1u32..40, 1u32..1500, log_uniform(10.0, 5000.0), 1u32..6),
    )
        .prop_map(
            |(
                (rate_per_s, campaign_size, campaign_gap_s),
                (entry, weights, entry_cloudlet),
                (target, target_cloudlet),
                (flood_packets, flood_packet_bytes, flood_rate_pps, sources),
            )| Attack {
                rate_per_s,
                campaign_size,
                campaign_gap_s,
                entry,
                weights,
                entry_cloudlet,
                target,
                target_cloudlet,
                flood_packets,
                flood_packet_bytes,
                flood_rate_pps,
                sources,
            },
        )
}

#[derive(Debug, Clone)]
pub(super) struct Ids {
    /// Modulo cloudlets + 1.
    pub(super) count: u8,
    /// 0 betweenness, 1 degree, 2 random, 3 explicit (cloudlets offset, offset + 1, ...).
    pub(super) placement: u8,
    pub(super) offset: u8,
    pub(super) mesh_scope: bool,
    /// Bernoulli: detection probability per kind and false alarms; score: means, sd, correlation, threshold.
    pub(super) score: bool,
    pub(super) detection: Vec<f64>,
    pub(super) false_alarm: f64,
    pub(super) means: Vec<f64>,
    pub(super) sd: f64,
    pub(super) correlation: f64,
    pub(super) threshold: f64,
    /// 0 any, 1 k of n, 2 majority.
    pub(super) fusion: u8,
    pub(super) k: u8,
    pub(super) processing_s: f64,
    pub(super) capacity: f64,
    pub(super) block_s: f64,
    pub(super) signature_sharing: bool,
    pub(super) signature_prob: f64,
    pub(super) inspect_uploads: bool,
    pub(super) doctor_access_per_s: f64,
}

pub(super) fn ids() -> impl Strategy<Value = Ids> {
    (
        (any::<u8>(), 0u8..4, any::<u8>(), any::<bool>()),
        (
            any::<bool>(),
            prop::collection::vec(0.0f64..=1.0, 6),
            0.0f64..0.3,
            prop::collection::vec(-1.0f64..4.0, 6),
            0.2f64..2.0,
            maybe_zero(0.5, 0.0, 0.95),
            -1.0f64..4.0,
        ),
        (0u8..3, any::<u8>(), maybe_zero(0.3, 0.0, 0.01), maybe_zero(0.6, 1.0, 200.0)),
        (maybe_zero(0.4, 0.0, 2.0), any::<bool>(), 0.0f64..=1.0, any::<bool>(), maybe_zero(0.5, 0.0, 5.0)),
    )
        .prop_map(
            |(
                (count, placement, offset, mesh_scope),
                (score, detection, false_alarm, means, sd, correlation, threshold),
                (fusion, k, processing_s, capacity),
                (block_s, signature_sharing, signature_prob, inspect_uploads, doctor_access_per_s),
            )| Ids {
                count,
                placement,
                offset,
                mesh_scope,
                score,
                detection,
                false_alarm,
                means,
                sd,
                correlation,
                threshold,
                fusion,
                k,
                processing_s,
                capacity,
                block_s,
                signature_sharing,
                signature_prob,
                inspect_uploads,
                doctor_access_per_s,
            },
        )
}

#[derive(Debug, Clone)]
pub(super) struct Trust {
    pub(super) jaccard: bool,
    pub(super) weight: f64,
    pub(super) threshold: f64,
    pub(super) aging: f64,
    pub(super) request_rate_per_s: f64,
    pub(super) malicious_fraction: f64,
    pub(super) misuse: (f64, f64),
    pub(super) useful_similarity: f64,
    pub(super) interval_s: f64,
    pub(super) symptom_prob: f64,
    /// A new condition with its prevalence and symptoms (one shared with a built-in condition).
    pub(super) custom_condition: Option<(f64, bool)>,
}

pub(super) fn trust() -> impl Strategy<Value = Trust> {
    (
        (any::<bool>(), 0.0f64..=1.0, 0.0f64..=1.0, prop_oneof![Just(1.0f64), 0.05f64..=1.0]),
        (log_uniform(0.01, 3.0), 0.0f64..=1.0, (0.0f64..=1.0, 0.0f64..=0.3), 0.0f64..=1.0),
        (log_uniform(0.05, 3.0), 0.0f64..=1.0, prop::option::weighted(0.3, (0.0f64..=1.0, any::<bool>()))),
    )
        .prop_map(
            |(
                (jaccard, weight, threshold, aging),
                (request_rate_per_s, malicious_fraction, misuse, useful_similarity),
                (interval_s, symptom_prob, custom_condition),
            )| Trust {
                jaccard,
                weight,
                threshold,
                aging,
                request_rate_per_s,
                malicious_fraction,
                misuse,
                useful_similarity,
                interval_s,
                symptom_prob,
                custom_condition,
            },
        )
}

#[derive(Debug, Clone)]
pub(super) struct Records {
    pub(super) ei_plain: bool,
    pub(super) qi_plain: bool,
    pub(super) mi_encrypted: bool,
    /// Modulo the number of patients, plus 1.
    pub(super) k: u8,
    pub(super) max_suppression: f64,
    pub(super) ages: (u8, u8),
    pub(super) male_fraction: f64,
    pub(super) postcode_digits: u8,
    pub(super) audit_interval_s: f64,
}

pub(super) fn records() -> impl Strategy<Value = Records> {
    (
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<u8>()),
        (0.0f64..=0.5, (0u8..=150, 0u8..=150), 0.0f64..=1.0, 1u8..=9, maybe_zero(0.3, 0.05, 2.0)),
    )
        .prop_map(
            |(
                (ei_plain, qi_plain, mi_encrypted, k),
                (max_suppression, ages, male_fraction, postcode_digits, audit_interval_s),
            )| Records {
                ei_plain,
                qi_plain,
                mi_encrypted,
                k,
                max_suppression,
                ages,
                male_fraction,
                postcode_digits,
                audit_interval_s,
            },
        )
}

#[derive(Debug, Clone)]
pub(super) struct Care {
    pub(super) doctors_per_cloudlet: u32,
    pub(super) rate_per_s: f64,
    pub(super) owner: bool,
    pub(super) fixed: bool,
    /// request, assign, key request, KDC check, owner approval, record fetch, consult, prescription, ack.
    pub(super) steps: Vec<f64>,
    pub(super) unverified_prob: f64,
    pub(super) owner_deny_prob: f64,
}

pub(super) fn care() -> impl Strategy<Value = Care> {
    (
        1u32..4,
        log_uniform(0.01, 3.0),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(maybe_zero(0.2, 0.0, 0.4), 9),
        0.0f64..=1.0,
        0.0f64..=1.0,
    )
        .prop_map(|(doctors_per_cloudlet, rate_per_s, owner, fixed, steps, unverified_prob, owner_deny_prob)| {
            Care { doctors_per_cloudlet, rate_per_s, owner, fixed, steps, unverified_prob, owner_deny_prob }
        })
}

/// One random valid scenario.
#[derive(Debug, Clone)]
pub(super) struct Spec {
    pub(super) sim: Sim,
    pub(super) net: Net,
    pub(super) links: Vec<Link>,
    pub(super) energy: Energy,
    pub(super) crypto: Crypto,
    pub(super) attacks: Vec<Option<Attack>>,
    pub(super) ids: Ids,
    pub(super) trust: Option<Trust>,
    pub(super) records: Option<Records>,
    pub(super) care: Option<Care>,
}

pub(super) fn spec() -> impl Strategy<Value = Spec> {
    (
        sim(),
        net(),
        prop::collection::vec(link(), 4),
        energy(),
        crypto(),
        prop::collection::vec(prop::option::weighted(0.3, attack()), 6),
        ids(),
        prop::option::of(trust()),
        prop::option::of(records()),
        prop::option::of(care()),
    )
        .prop_map(|(sim, net, links, energy, crypto, attacks, ids, trust, records, care)| Spec {
            sim,
            net,
            links,
            energy,
            crypto,
            attacks,
            ids,
            trust,
            records,
            care,
        })
}
