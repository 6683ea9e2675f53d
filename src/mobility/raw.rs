//! The `[mobility]` table (patients that move, handovers, the `min_delay` attach policy's advertisements) and the
//! `[cloudlet_power]` table (cloudlets made of phones, on batteries). Both are off by default and then absent from
//! `scenario.resolved.toml`. Figures and their sources: `docs/model.md` §19 and §20.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How patients move.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MobilityModel {
    /// Patients stay where they were placed.
    Off,
    /// Random waypoint in the area: a uniform destination, a uniform speed in [speed_min, speed_max], a pause.
    RandomWaypoint,
    /// Positions from the CSV file `mobility.trace_file` (`time_s,patient,x_m,y_m`), linear between its points.
    Trace,
}

/// What happens to a sample offered to the access link while its gateway re-associates.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum HandoverPolicy {
    /// It waits in the gateway's access queue (up to the link's buffer) and goes to the new cloudlet afterwards.
    Buffer,
    /// It is dropped (drop cause `handover`).
    Drop,
}

/// `[mobility]`: patients that move, cloudlets' radio range, handovers and load advertisements.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawMobility {
    /// `off`, `random_waypoint` or `trace`.
    pub model: MobilityModel,
    /// Random waypoint: slowest speed, m/s (> 0: a zero minimum makes the time-average speed decay to zero, Yoon,
    /// Liu & Noble 2003).
    pub speed_min_mps: f64,
    /// Random waypoint: fastest speed, m/s (>= speed_min_mps).
    pub speed_max_mps: f64,
    /// Random waypoint: pause at each waypoint, s (>= 0).
    pub pause_s: f64,
    /// Trace: CSV file of `time_s,patient,x_m,y_m` rows (a header line first), relative to the scenario file.
    pub trace_file: String,
    /// Positions are brought up to date, and gateways out of range hand over, every this many seconds (> 0).
    pub update_s: f64,
    /// Radio range of a cloudlet's access point, m (> 0): a gateway farther than this from its cloudlet hands over
    /// to a cloudlet in range.
    pub range_m: f64,
    /// Handover (802.11 re-association) time, s (>= 0): the gateway's access link carries nothing meanwhile.
    pub handover_s: f64,
    /// `buffer` or `drop`: what happens to samples offered to the access link during a handover.
    pub handover_policy: HandoverPolicy,
    /// `patients.attach = "min_delay"`: each cloudlet advertises its load every this many seconds (> 0).
    pub advertise_s: f64,
    /// Bytes of one advertisement, broadcast on the access radio (a control channel; >= 0).
    pub advertise_bytes: u64,
    /// `min_delay`: a gateway moves only to a cloudlet whose estimated delay is lower by more than this, s (>= 0).
    pub hysteresis_s: f64,
    /// `min_delay`: a gateway re-chooses on one advertisement in this many (>= 1), patient p on rounds k with
    /// (k + p) mod n = 0, so that gateways acting on the same stale advertisement do not all move at once (the
    /// herd effect of old load information, Mitzenmacher, IEEE TPDS 11(1), 2000). Leaving range always re-chooses.
    pub rechoose_rounds: u64,
}

impl Default for RawMobility {
    fn default() -> Self {
        RawMobility {
            model: MobilityModel::Off,
            speed_min_mps: 0.5,
            speed_max_mps: 1.5,
            pause_s: 0.0,
            trace_file: String::new(),
            update_s: 1.0,
            range_m: 100.0,
            handover_s: 0.1,
            handover_policy: HandoverPolicy::Buffer,
            advertise_s: 1.0,
            advertise_bytes: 32,
            hysteresis_s: 0.001,
            rechoose_rounds: 10,
        }
    }
}

impl RawMobility {
    /// Whether every key has its default (the table is then left out of `scenario.resolved.toml`).
    pub fn is_default(&self) -> bool {
        *self == RawMobility::default()
    }
}

/// Where cloudlets take their power from.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PowerSource {
    /// Mains power: cloudlets never die.
    Mains,
    /// A phone's battery: cloudlets pay radio, processing and idle energy and die when it is empty.
    Battery,
}

/// `[cloudlet_power]`: cloudlets made of phones ("a cloudlet is formed by a certain number of mobile devices").
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawCloudletPower {
    /// `mains` or `battery`.
    pub source: PowerSource,
    /// Battery: energy of each cloudlet's battery, J (> 0).
    pub battery_j: f64,
    /// Battery: idle power of a cloudlet phone with its Wi-Fi on, W (>= 0); replaces `energy.idle.cloudlet_w`.
    pub idle_w: f64,
    /// Battery: the phone SoC's processor energy, J per cycle (>= 0); replaces `energy.processor.cloudlet_j_per_cycle`.
    pub j_per_cycle: f64,
    /// Battery: the phone's Wi-Fi transmit energy on mesh links, J/bit (>= 0); replaces the mesh radio profile.
    pub mesh_tx_j_per_bit: f64,
    /// Battery: the phone's Wi-Fi receive energy on mesh links, J/bit (>= 0).
    pub mesh_rx_j_per_bit: f64,
    /// Battery: a dead cloudlet is noticed (routes recomputed, patients re-attached) at most this long after it died,
    /// s (> 0); it is noticed at once when it dies paying for an event.
    pub check_s: f64,
}

impl Default for RawCloudletPower {
    fn default() -> Self {
        RawCloudletPower {
            source: PowerSource::Mains,
            battery_j: 41_580.0,
            idle_w: 0.5,
            j_per_cycle: 0.25e-9,
            mesh_tx_j_per_bit: 11.6e-9,
            mesh_rx_j_per_bit: 6.8e-9,
            check_s: 1.0,
        }
    }
}

impl RawCloudletPower {
    /// Whether every key has its default (the table is then left out of `scenario.resolved.toml`).
    pub fn is_default(&self) -> bool {
        *self == RawCloudletPower::default()
    }
}
