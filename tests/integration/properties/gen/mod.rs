//! The generator of random valid scenarios: one strategy per table, each field drawn over its valid range.
//!
//! Here the names the generator draws from, the drawing helpers, the `[simulation]` and `[area]` tables and the
//! whole [`Spec`]; the other tables by topic:
//!
//! - [`network`]: wearables and their sensors, cloudlets and the mesh, links.
//! - [`energy`]: radios, processors and batteries; the crypto scheme and its placement.
//! - [`attacks`]: attacks and the IDS.
//! - [`trust`]: trust, records and care.

use proptest::prelude::*;

mod attacks;
mod energy;
mod network;
mod trust;

pub(super) use attacks::*;
pub(super) use energy::*;
pub(super) use network::*;
pub(super) use trust::*;

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
/// Every attack kind's scenario name, in declaration order; taken from the library, so a new kind is generated too.
pub(super) fn attack_names() -> Vec<&'static str> {
    cloudletsim::ids::AttackKind::all().map(cloudletsim::ids::AttackKind::name).collect()
}
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
        prop::collection::vec(prop::option::weighted(0.3, attack()), attack_names().len()),
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
