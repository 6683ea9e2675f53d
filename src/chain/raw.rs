//! The delivery chain's tables of a scenario file: `[area]`, `[wearables]`, `[sensors.*]`, `[patients]`,
//! `[cloudlets]`, `[links.*]` and `[routing]`, with the built-in sensors.
//!
//! Serde structs that mirror the TOML one to one; their doc comments are the key reference `cloudletsim keys` prints.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use super::ble::{RawBle, RawMac};
pub use super::channel::{RawChannel, RawLossModel};

/// `[area]`: the deployment rectangle, with its origin at (0, 0).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawArea {
    /// Width of the area in metres (> 0).
    pub width_m: f64,
    /// Height of the area in metres (> 0).
    pub height_m: f64,
}

impl Default for RawArea {
    fn default() -> Self {
        RawArea { width_m: 2_000.0, height_m: 2_000.0 }
    }
}

/// `[wearables]`: the sensors patients wear.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawWearables {
    /// Number of wearables in the scenario (>= 1).
    pub count: u64,
    /// Wearables per patient, sharing that patient's BAN gateway (>= 1); patients = ceil(count / per_patient).
    pub per_patient: u64,
    /// Sensor types that every wearable carries, by name (see `[sensors]`); at least one.
    pub sensors: Vec<String>,
}

impl Default for RawWearables {
    fn default() -> Self {
        RawWearables {
            count: 100,
            per_patient: 1,
            sensors: vec!["heart_rate".into(), "spo2".into(), "temperature".into()],
        }
    }
}

/// `[sensors.<name>]`: one sensor type.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawSensor {
    /// Nominal time between two samples, in seconds (> 0).
    pub period_s: f64,
    /// Payload of one sample, in bytes (>= 1), before any link header.
    pub sample_bytes: u64,
    /// Each sample is taken a uniform random delay in [0, jitter_s] after its nominal instant, in seconds
    /// (>= 0 and < period_s). Jitter does not accumulate.
    #[serde(default)]
    pub jitter_s: f64,
}

/// How patients choose their cloudlet.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AttachRule {
    /// The cloudlet nearest to the patient's position (ties: lower index).
    Nearest,
    /// Patient p attaches to cloudlet p mod count.
    RoundRobin,
    /// The list `patients.cloudlet_of` gives each patient's cloudlet.
    Explicit,
    /// The cloudlet in range (`mobility.range_m`) of least estimated end-to-end delay, from the load cloudlets
    /// advertise every `mobility.advertise_s`, with hysteresis `mobility.hysteresis_s`.
    MinDelay,
}

/// `[patients]`: patients, each with one BAN gateway (their hub or phone).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawPatients {
    /// How a patient picks a cloudlet: `nearest`, `round_robin`, `explicit` or `min_delay`.
    pub attach: AttachRule,
    /// With `attach = "explicit"`: the cloudlet index of each patient, one entry per patient.
    pub cloudlet_of: Vec<u64>,
}

impl Default for RawPatients {
    fn default() -> Self {
        RawPatients { attach: AttachRule::Nearest, cloudlet_of: vec![] }
    }
}

/// Shape of the cloudlet mesh.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MeshKind {
    /// Every pair of cloudlets is linked.
    Full,
    /// Cloudlet i is linked to i+1 and the last to the first; placed on a circle.
    Ring,
    /// A lattice of `grid_columns` columns, each cloudlet linked to its right and lower neighbours.
    Grid,
    /// Random uniform positions; two cloudlets are linked when closer than `radius_m`. Must come out connected.
    RandomGeometric,
    /// The links listed in `cloudlets.edges`.
    Explicit,
}

/// `[cloudlets]`: the cloudlets, their mesh, and store-and-forward batching.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawCloudlets {
    /// Number of cloudlets (>= 1).
    pub count: u64,
    /// Mesh shape: `full`, `ring`, `grid`, `random_geometric` or `explicit`.
    pub mesh: MeshKind,
    /// With `mesh = "grid"`: columns of the lattice; 0 means ceil(sqrt(count)).
    pub grid_columns: u64,
    /// With `mesh = "random_geometric"`: link range in metres (> 0).
    pub radius_m: f64,
    /// With `mesh = "explicit"`: pairs of cloudlet indices, each an undirected link, e.g. `[[0, 1], [1, 2]]`.
    pub edges: Vec<[u64; 2]>,
    /// Optional explicit positions `[[x_m, y_m], ...]`, one per cloudlet, in metres; empty = placed by the mesh
    /// generator (lattice for grid, circle for ring, uniform random otherwise).
    pub positions_m: Vec<[f64; 2]>,
    /// Indices of the cloudlets with a WAN link to the remote cloud (at least one).
    pub wan_gateways: Vec<u64>,
    /// Store-and-forward: a cloudlet holds arriving samples and forwards them as one batch this many seconds after
    /// the first one arrived; 0 forwards every sample at once (>= 0).
    pub batch_interval_s: f64,
    /// A batch is also sent as soon as it holds this many samples; 0 = no limit.
    pub batch_max_samples: u64,
    /// Bytes a batch adds to the sum of its samples' payloads (batch framing), in bytes.
    pub batch_header_bytes: u64,
}

impl Default for RawCloudlets {
    fn default() -> Self {
        RawCloudlets {
            count: 8,
            mesh: MeshKind::Ring,
            grid_columns: 0,
            radius_m: 800.0,
            edges: vec![],
            positions_m: vec![],
            wan_gateways: vec![0],
            batch_interval_s: 0.0,
            batch_max_samples: 0,
            batch_header_bytes: 16,
        }
    }
}

/// One link class's parameters, whatever the class (what validation reads).
#[derive(Debug, Clone, PartialEq)]
pub struct RawLink {
    /// See the class structs' field docs.
    pub latency_s: f64,
    /// See the class structs' field docs.
    pub bandwidth_bps: f64,
    /// See the class structs' field docs.
    pub loss_prob: f64,
    /// See the class structs' field docs.
    pub buffer_packets: u64,
    /// See the class structs' field docs.
    pub max_retries: u64,
    /// See the class structs' field docs.
    pub header_bytes: u64,
    /// See the class structs' field docs.
    pub mtu_bytes: u64,
    /// See the class structs' field docs.
    pub distance_m: f64,
    /// See the class structs' field docs.
    pub loss_model: RawLossModel,
    /// See the class structs' field docs.
    pub ber: f64,
    /// See the class structs' field docs.
    pub channel: RawChannel,
}

/// Docs shared by the loss keys of every class.
macro_rules! loss_fields {
    () => {
        "How attempts are lost: `fixed` (each attempt with probability `loss_prob`, whatever its length), `ber` \
         (independent bit errors at rate `ber`: a frame of b bits is lost with 1 − (1 − ber)^b) or `channel` (from \
         the SNR: transmit power, path loss, time-varying shadowing and noise, `[links.<class>.channel]`)."
    };
}

/// Declares one link class's table, with its own defaults, so that a scenario may set only some of its keys.
macro_rules! link_class {
    ($(#[$meta:meta])* $name:ident {
        latency_s: $lat:expr, bandwidth_bps: $bw:expr, loss_prob: $loss:expr, buffer_packets: $buf:expr,
        max_retries: $retries:expr, header_bytes: $hdr:expr, mtu_bytes: $mtu:expr, distance_m: $dist:expr $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
        #[serde(deny_unknown_fields, default)]
        pub struct $name {
            /// Fixed per-hop delay added after transmission (propagation, processing, MAC scheduling), in seconds
            /// (>= 0).
            pub latency_s: f64,
            /// Transmission rate in bits per second (> 0): a packet of b bytes occupies the link for 8·b/bandwidth s.
            pub bandwidth_bps: f64,
            /// Probability that one transmission attempt is lost, in [0, 1).
            pub loss_prob: f64,
            /// Packets that may wait behind the one being transmitted (>= 1); an arrival finding it full is dropped.
            pub buffer_packets: u64,
            /// Retransmissions after a lost attempt before the packet is dropped (immediate link-layer ARQ).
            pub max_retries: u64,
            /// Link-layer and network header bytes added to every frame on this hop, in bytes.
            pub header_bytes: u64,
            /// Largest payload one frame carries, in bytes; a bigger packet is split into frames that each carry
            /// the header (0 = no limit).
            pub mtu_bytes: u64,
            /// Distance in metres, for energy models; 0 = the geometric distance between the two ends (>= 0).
            pub distance_m: f64,
            #[doc = loss_fields!()]
            /// Default `fixed`.
            pub loss_model: RawLossModel,
            /// With `loss_model = "ber"`: the bit error rate, in [0, 0.5]. Default 0.
            pub ber: f64,
            /// With `loss_model = "channel"`: the channel (every key must be given: no default for this class).
            pub channel: RawChannel,
        }

        impl Default for $name {
            fn default() -> Self {
                $name {
                    latency_s: $lat,
                    bandwidth_bps: $bw,
                    loss_prob: $loss,
                    buffer_packets: $buf,
                    max_retries: $retries,
                    header_bytes: $hdr,
                    mtu_bytes: $mtu,
                    distance_m: $dist,
                    loss_model: RawLossModel::Fixed,
                    ber: 0.0,
                    channel: RawChannel::default(),
                }
            }
        }

        impl From<&$name> for RawLink {
            fn from(l: &$name) -> RawLink {
                RawLink {
                    latency_s: l.latency_s,
                    bandwidth_bps: l.bandwidth_bps,
                    loss_prob: l.loss_prob,
                    buffer_packets: l.buffer_packets,
                    max_retries: l.max_retries,
                    header_bytes: l.header_bytes,
                    mtu_bytes: l.mtu_bytes,
                    distance_m: l.distance_m,
                    loss_model: l.loss_model,
                    ber: l.ber,
                    channel: l.channel.clone(),
                }
            }
        }
    };
}

/// `[links.ban]`: wearable → BAN gateway, on the body. With `mac = "ble"` (the default) a packet waits for its
/// wearable's next BLE connection event and travels as link-layer PDUs (`[links.ban.ble]`); `bandwidth_bps`,
/// `header_bytes` and `mtu_bytes` then do not apply (the 1M PHY sends a byte in 8 µs; PDU sizes and headers come
/// from `[links.ban.ble]`), and `loss_prob` and `max_retries` apply to each PDU. With `mac = "ideal"`: Bluetooth LE
/// 1M PHY (1 Mbit/s), 7.5 ms latency (the shortest connection interval), 14 header bytes (preamble, access address,
/// header, MIC, CRC), 251-byte frames (LE Data Length Extension); 1 m.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawBanLink {
    /// Medium access: `ble` (connection events, `[links.ban.ble]`; default) or `ideal` (sent at once at
    /// `bandwidth_bps`, the model before BLE was simulated: a simplification).
    pub mac: RawMac,
    /// BLE connection parameters and chip profile (with `mac = "ble"`).
    pub ble: RawBle,
    /// Fixed per-hop delay added after transmission, in seconds (>= 0). Default 0.0075 with `mac = "ideal"` (a
    /// stand-in for the connection interval) and 0 with `mac = "ble"` (the wait for a connection event is
    /// simulated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_s: Option<f64>,
    /// `mac = "ideal"`: transmission rate in bits per second (> 0).
    pub bandwidth_bps: f64,
    /// Probability that one transmission attempt is lost, in [0, 1) (with `mac = "ble"`: one PDU).
    pub loss_prob: f64,
    /// Packets that may wait behind the one being transmitted (>= 1); an arrival finding it full is dropped.
    pub buffer_packets: u64,
    /// Retransmissions after a lost attempt before the packet is dropped (with `mac = "ble"`: of one PDU).
    pub max_retries: u64,
    /// `mac = "ideal"`: header bytes added to every frame, in bytes.
    pub header_bytes: u64,
    /// `mac = "ideal"`: largest payload one frame carries, in bytes (0 = no limit).
    pub mtu_bytes: u64,
    /// Distance in metres, for energy and channel models; 0 = the geometric distance between the two ends (>= 0).
    pub distance_m: f64,
    #[doc = loss_fields!()]
    /// Default `channel` (on-body: IEEE 802.15.6 CM3 path loss with shadowing, BLE's GFSK).
    pub loss_model: RawLossModel,
    /// With `loss_model = "ber"`: the bit error rate, in [0, 0.5]. Default 0.
    pub ber: f64,
    /// With `loss_model = "channel"`: the on-body channel; keys not given keep their defaults.
    pub channel: RawChannel,
}

impl Default for RawBanLink {
    fn default() -> Self {
        RawBanLink {
            mac: RawMac::Ble,
            ble: RawBle::default(),
            latency_s: None,
            bandwidth_bps: 1.0e6,
            loss_prob: 0.01,
            buffer_packets: 32,
            max_retries: 3,
            header_bytes: 14,
            mtu_bytes: 251,
            distance_m: 1.0,
            loss_model: RawLossModel::Channel,
            ber: 0.0,
            channel: RawChannel::default(),
        }
    }
}

/// BAN latency when `latency_s` is not given, by MAC, in seconds.
pub const BAN_IDEAL_LATENCY_S: f64 = 0.0075;

impl From<&RawBanLink> for RawLink {
    fn from(l: &RawBanLink) -> RawLink {
        let default_latency = match l.mac {
            RawMac::Ble => 0.0,
            RawMac::Ideal => BAN_IDEAL_LATENCY_S,
        };
        RawLink {
            latency_s: l.latency_s.unwrap_or(default_latency),
            bandwidth_bps: l.bandwidth_bps,
            loss_prob: l.loss_prob,
            buffer_packets: l.buffer_packets,
            max_retries: l.max_retries,
            header_bytes: l.header_bytes,
            mtu_bytes: l.mtu_bytes,
            distance_m: l.distance_m,
            loss_model: l.loss_model,
            ber: l.ber,
            channel: l.channel.clone(),
        }
    }
}

/// The access hop's medium access (`links.access.mac`).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawAccessMac {
    /// IEEE 802.11 DCF (`[links.access.wifi]`): each frame costs its PHY preamble and header, DIFS, backoff, SIFS
    /// and ACK at the control rate, in time and in the module's currents (`energy.wifi_profiles`).
    #[default]
    Dcf,
    /// The simplification used before: a packet occupies the link for 8·(payload + headers)/`bandwidth_bps` and
    /// costs energy per bit (`energy.radio.access`).
    Ideal,
}

/// `[links.access]`: BAN gateway → its cloudlet. Defaults: IEEE 802.11g at 54 Mbit/s under the DCF (`mac = "dcf"`,
/// `[links.access.wifi]`), retry limit 7, 64 header bytes per frame (802.11 data header 24 + FCS 4 + LLC/SNAP 8 +
/// IPv4 20 + UDP 8), 1472-byte UDP payloads (1500-byte IP MTU), geometric distance.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawAccessLink {
    /// Medium access: `dcf` (802.11 DCF with the overheads of every frame; default) or `ideal` (airtime at
    /// `bandwidth_bps` and energy per bit: a simplification).
    pub mac: RawAccessMac,
    /// The 802.11 PHY, rate, contention and module profile (with `mac = "dcf"`).
    pub wifi: crate::chain::wifi::RawWifi,
    /// Fixed per-hop delay added after transmission (propagation, processing), in seconds (>= 0).
    pub latency_s: f64,
    /// `mac = "ideal"`: transmission rate in bits per second (> 0).
    pub bandwidth_bps: f64,
    /// Probability that one transmission attempt of a packet is lost, in [0, 1) (channel errors; with
    /// `mac = "dcf"`, collisions are in the DCF's expected exchange).
    pub loss_prob: f64,
    /// Packets that may wait behind the one being transmitted (>= 1); an arrival finding it full is dropped.
    pub buffer_packets: u64,
    /// Retransmissions after a lost attempt before the packet is dropped.
    pub max_retries: u64,
    /// Header bytes added to every frame (with `mac = "dcf"`: the MPDU's MAC header and FCS plus the higher
    /// layers' headers), in bytes.
    pub header_bytes: u64,
    /// Largest payload one frame carries, in bytes (0 = no limit).
    pub mtu_bytes: u64,
    /// Distance in metres, for energy and channel models; 0 = the geometric distance between the two ends (>= 0).
    pub distance_m: f64,
    #[doc = loss_fields!()]
    /// Default `fixed` (the default geometry puts patients hundreds of metres from their cloudlet, out of a
    /// Wi-Fi channel's range: set distances before choosing `channel`).
    pub loss_model: RawLossModel,
    /// With `loss_model = "ber"`: the bit error rate, in [0, 0.5]. Default 0.
    pub ber: f64,
    /// With `loss_model = "channel"`: the indoor channel; keys not given keep their defaults.
    pub channel: RawChannel,
}

impl Default for RawAccessLink {
    fn default() -> Self {
        RawAccessLink {
            mac: RawAccessMac::Dcf,
            wifi: crate::chain::wifi::RawWifi::default(),
            latency_s: 0.002,
            bandwidth_bps: 54.0e6,
            loss_prob: 0.001,
            buffer_packets: 64,
            max_retries: 7,
            header_bytes: 64,
            mtu_bytes: 1472,
            distance_m: 0.0,
            loss_model: RawLossModel::Fixed,
            ber: 0.0,
            channel: RawChannel::default(),
        }
    }
}

impl From<&RawAccessLink> for RawLink {
    fn from(l: &RawAccessLink) -> RawLink {
        RawLink {
            latency_s: l.latency_s,
            bandwidth_bps: l.bandwidth_bps,
            loss_prob: l.loss_prob,
            buffer_packets: l.buffer_packets,
            max_retries: l.max_retries,
            header_bytes: l.header_bytes,
            mtu_bytes: l.mtu_bytes,
            distance_m: l.distance_m,
            loss_model: l.loss_model,
            ber: l.ber,
            channel: l.channel.clone(),
        }
    }
}

link_class!(
    /// `[links.mesh]`: cloudlet ↔ cloudlet. Defaults: gigabit Ethernet, 1 ms, 58 header bytes (Ethernet 18 + IPv4
    /// 20 + TCP 20), 1460-byte TCP segments (1500-byte IP MTU), geometric distance.
    RawMeshLink {
        latency_s: 0.001, bandwidth_bps: 1.0e9, loss_prob: 0.0, buffer_packets: 1_000, max_retries: 3,
        header_bytes: 58, mtu_bytes: 1460, distance_m: 0.0,
    }
);
link_class!(
    /// `[links.wan]`: gateway cloudlet ↔ remote cloud. Defaults: 100 Mbit/s, 20 ms one way, 58 header bytes,
    /// 1460-byte segments, 10 km.
    RawWanLink {
        latency_s: 0.020, bandwidth_bps: 100.0e6, loss_prob: 0.0, buffer_packets: 1_000, max_retries: 3,
        header_bytes: 58, mtu_bytes: 1460, distance_m: 10_000.0,
    }
);

/// `[links.*]`: the four link classes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawLinks {
    /// Wearable → BAN gateway.
    pub ban: RawBanLink,
    /// BAN gateway → its cloudlet.
    pub access: RawAccessLink,
    /// Cloudlet ↔ cloudlet.
    pub mesh: RawMeshLink,
    /// Gateway cloudlet ↔ remote cloud.
    pub wan: RawWanLink,
}

/// Route metric.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RouteMetric {
    /// Fewest hops.
    Hops,
    /// Least total `latency_s` (ties: fewer hops, then lower link index).
    Latency,
}

/// `[routing]`: shortest paths, computed once before the run.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawRouting {
    /// What "shortest" means: `hops` or `latency`.
    pub metric: RouteMetric,
}

impl Default for RawRouting {
    fn default() -> Self {
        RawRouting { metric: RouteMetric::Latency }
    }
}

/// The built-in sensor catalogue (see `docs/model.md` for the sources of these figures).
pub fn builtin_sensors() -> BTreeMap<String, RawSensor> {
    let s = |period_s: f64, sample_bytes: u64, jitter_s: f64| RawSensor { period_s, sample_bytes, jitter_s };
    BTreeMap::from([
        ("heart_rate".to_string(), s(1.0, 8, 0.005)),
        ("spo2".to_string(), s(1.0, 8, 0.005)),
        ("temperature".to_string(), s(60.0, 8, 0.05)),
        ("blood_pressure".to_string(), s(300.0, 12, 0.5)),
        ("ecg".to_string(), s(1.0, 512, 0.001)),
    ])
}
