//! The scenario file as written: serde structs that mirror the TOML one to one.
//!
//! Every struct denies unknown keys, every key has a documented default, and every number names its unit (in the
//! key or in its doc). The doc comments here are the reference that `cloudletsim keys` prints, so they are written
//! for users. Nothing here is trusted yet: [`super::validate`] turns a [`RawScenario`] into the
//! [`ModelConfig`](super::ModelConfig) the simulation runs on.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A whole scenario file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Scenario name; the default results folder is `results/<name>/`. Letters, digits, `-`, `_` and `.` only.
    pub name: String,
    /// Master random seed; `--seed` overrides it.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Run length and replication.
    #[serde(default)]
    pub simulation: RawSimulation,
    /// The rectangle that patients and cloudlets are placed in.
    #[serde(default)]
    pub area: crate::chain::raw::RawArea,
    /// Wearable sensors worn by patients.
    #[serde(default)]
    pub wearables: crate::chain::raw::RawWearables,
    /// Sensor types by name. Built in: `heart_rate`, `spo2`, `temperature`, `blood_pressure`, `ecg`; a table here
    /// with a built-in name replaces that sensor, any other name adds one.
    #[serde(default)]
    pub sensors: BTreeMap<String, crate::chain::raw::RawSensor>,
    /// Patients (one BAN gateway each) and how they attach to cloudlets.
    #[serde(default)]
    pub patients: crate::chain::raw::RawPatients,
    /// The cloudlets and the mesh that joins them.
    #[serde(default)]
    pub cloudlets: crate::chain::raw::RawCloudlets,
    /// The four link classes of the delivery chain.
    #[serde(default)]
    pub links: crate::chain::raw::RawLinks,
    /// How routes through the mesh are chosen.
    #[serde(default)]
    pub routing: crate::chain::raw::RawRouting,
    /// Radio, processor, idle and battery energy.
    #[serde(default)]
    pub energy: crate::energy::raw::RawEnergy,
    /// Protection of body data between sender and cloudlet.
    #[serde(default)]
    pub crypto: crate::crypto::raw::RawCrypto,
    /// Protection of samples between their entry cloudlet and the remote cloud: TLS 1.3 or DTLS 1.3 (off by
    /// default).
    #[serde(default, skip_serializing_if = "crate::crypto::channel::RawChannel::is_off")]
    pub channel: crate::crypto::channel::RawChannel,
    /// Attack traffic by kind.
    #[serde(default)]
    pub attacks: crate::ids::raw::RawAttacks,
    /// Legitimate traffic as the IDS sees it.
    #[serde(default)]
    pub benign: crate::ids::raw::RawBenign,
    /// The collaborative IDS on the cloudlet mesh.
    #[serde(default)]
    pub ids: crate::ids::raw::RawIds,
    /// Trust-based data sharing between patients of a cloudlet (off by default).
    #[serde(default)]
    pub trust: crate::trust::raw::RawTrust,
    /// The three-part medical records in the remote cloud (off by default).
    #[serde(default)]
    pub records: crate::records::raw::RawRecords,
    /// Appointments: patients, doctors and the key distribution centre (off by default).
    #[serde(default)]
    pub care: crate::care::raw::RawCare,
    /// Signatures for non-repudiation: prescriptions, record updates, uploads (off by default).
    #[serde(default, skip_serializing_if = "crate::signatures::raw::RawSignatures::is_default")]
    pub signatures: crate::signatures::raw::RawSignatures,
    /// Patients that move, cloudlets' radio range, handovers and `min_delay` advertisements (off by default).
    #[serde(default, skip_serializing_if = "crate::mobility::raw::RawMobility::is_default")]
    pub mobility: crate::mobility::raw::RawMobility,
    /// Cloudlets made of phones, on batteries (off by default: mains power).
    #[serde(default, skip_serializing_if = "crate::mobility::raw::RawCloudletPower::is_default")]
    pub cloudlet_power: crate::mobility::raw::RawCloudletPower,
    /// Extra outputs of a run: `timeseries.csv` (off by default).
    #[serde(default, skip_serializing_if = "crate::timeseries::config::RawOutput::is_off")]
    pub output: crate::timeseries::config::RawOutput,
}

fn default_seed() -> u64 {
    1
}

/// `[simulation]`: run length and replication.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawSimulation {
    /// Simulated time during which wearables generate samples, in seconds (> 0).
    pub duration_s: f64,
    /// Extra simulated time after generation stops, in seconds, so that samples in flight can arrive (>= 0).
    pub drain_s: f64,
    /// Warm-up in seconds (>= 0, < duration_s): latency distributions and rates count only samples taken after it,
    /// and time-based metrics of later parts start then. Counts of samples by fate cover the whole run.
    pub warmup_s: f64,
    /// Replication index: with the seed, selects the random streams (sweeps set it).
    pub replication: u64,
}

impl Default for RawSimulation {
    fn default() -> Self {
        RawSimulation { duration_s: 60.0, drain_s: 0.0, warmup_s: 0.0, replication: 0 }
    }
}
