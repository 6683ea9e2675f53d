//! The validated scenario: what the simulation trusts.
//!
//! Built only by [`super::validate`]; every value here is in range and in simulation units (integer
//! [`SimTime`], counts that fit the model's index types).

use crate::kernel::SimTime;

use crate::chain::{Attach, CloudletSpec, LinkClass, LinkSpec, RouteMetric, SensorSpec};
use crate::crypto::CryptoSpec;
use crate::energy::EnergySpec;

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelConfig {
    /// Scenario name.
    pub name: String,
    /// Master seed.
    pub seed: u64,
    /// Replication index.
    pub replication: u64,
    /// Time during which samples are generated.
    pub duration: SimTime,
    /// Extra time after generation stops.
    pub drain: SimTime,
    /// Warm-up: statistics count only what happens after it.
    pub warmup: SimTime,
    /// Area width in metres.
    pub area_width_m: f64,
    /// Area height in metres.
    pub area_height_m: f64,
    /// Number of wearables.
    pub wearables: u32,
    /// Wearables per patient.
    pub wearables_per_patient: u32,
    /// Sensors each wearable carries, in the order listed.
    pub sensors: Vec<SensorSpec>,
    /// How patients attach to cloudlets.
    pub attach: Attach,
    /// The cloudlets and their mesh.
    pub cloudlets: CloudletSpec,
    /// Link parameters per [`LinkClass`].
    pub links: enum_map::EnumMap<LinkClass, LinkSpec>,
    /// Route metric.
    pub routing: RouteMetric,
    /// Energy model.
    pub energy: EnergySpec,
    /// Cryptographic protection of body data.
    pub crypto: CryptoSpec,
    /// Protection of the cloudlet → cloud channel.
    pub channel: crate::crypto::channel::ChannelSpec,
    /// Attack traffic per [`AttackKind`](crate::ids::AttackKind).
    pub attacks: enum_map::EnumMap<crate::ids::AttackKind, crate::ids::AttackSpec>,
    /// Legitimate traffic as the IDS sees it.
    pub benign: crate::ids::BenignSpec,
    /// The collaborative IDS.
    pub ids: crate::ids::IdsSpec,
    /// Trust-based sharing inside cloudlets, and the patient profiles.
    pub trust: crate::trust::TrustSpec,
    /// The three-part record store.
    pub records: crate::records::RecordsSpec,
    /// Appointments and access to records.
    pub care: crate::care::CareSpec,
    /// Signatures for non-repudiation.
    pub signatures: crate::signatures::SignaturesSpec,
    /// Extra outputs: the time series' interval.
    pub output: crate::timeseries::config::OutputSpec,
    /// Mobility, handovers and `min_delay` (`[mobility]`).
    pub mobility: crate::mobility::MobilitySpec,
    /// Phone cloudlets on batteries (`[cloudlet_power]`; `None`: mains power).
    pub cloudlet_power: Option<crate::mobility::PhonePower>,
}

impl ModelConfig {
    /// Number of patients (and BAN gateways): ceil(wearables / per patient).
    pub fn patients(&self) -> u32 {
        self.wearables.div_ceil(self.wearables_per_patient)
    }

    /// The parameters of one link class.
    pub fn link(&self, class: LinkClass) -> &LinkSpec {
        &self.links[class]
    }

    /// When the run ends: duration plus drain.
    pub fn end_time(&self) -> SimTime {
        self.duration + self.drain
    }
}
