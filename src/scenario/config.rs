//! The validated scenario: what the simulation trusts.
//!
//! Built only by [`super::validate`]; every value here is in range and in simulation units (integer
//! [`SimTime`], counts that fit the model's index types).

use crate::kernel::SimTime;

pub use super::raw::RouteMetric;

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
    /// Link parameters, indexed by [`LinkClass::index`].
    pub links: [LinkSpec; 4],
    /// Route metric.
    pub routing: RouteMetric,
    /// Energy model.
    pub energy: EnergySpec,
    /// Cryptographic protection of body data.
    pub crypto: CryptoSpec,
    /// Attack traffic, one entry per [`AttackKind`](super::AttackKind) in index order.
    pub attacks: Vec<super::config_ids::AttackSpec>,
    /// Legitimate traffic as the IDS sees it.
    pub benign: super::config_ids::BenignSpec,
    /// The collaborative IDS.
    pub ids: super::config_ids::IdsSpec,
    /// Trust-based sharing inside cloudlets, and the patient profiles.
    pub trust: super::config_trust::TrustSpec,
    /// The three-part record store.
    pub records: super::config_trust::RecordsSpec,
    /// Appointments and access to records.
    pub care: super::config_trust::CareSpec,
}

impl ModelConfig {
    /// Number of patients (and BAN gateways): ceil(wearables / per patient).
    pub fn patients(&self) -> u32 {
        self.wearables.div_ceil(self.wearables_per_patient)
    }

    /// The parameters of one link class.
    pub fn link(&self, class: LinkClass) -> &LinkSpec {
        &self.links[class.index()]
    }

    /// When the run ends: duration plus drain.
    pub fn end_time(&self) -> SimTime {
        self.duration + self.drain
    }
}

/// One sensor type carried by every wearable.
#[derive(Debug, Clone, PartialEq)]
pub struct SensorSpec {
    /// Sensor name (from the catalogue).
    pub name: String,
    /// Nominal sampling period.
    pub period: SimTime,
    /// Payload bytes per sample.
    pub sample_bytes: u32,
    /// Upper bound of the uniform per-sample delay after the nominal instant (< period).
    pub jitter: SimTime,
}

/// How patients attach to cloudlets.
#[derive(Debug, Clone, PartialEq)]
pub enum Attach {
    /// Nearest cloudlet.
    Nearest,
    /// Patient p → cloudlet p mod count.
    RoundRobin,
    /// One cloudlet index per patient.
    Explicit(Vec<u32>),
}

/// Shape of the cloudlet mesh (validated).
#[derive(Debug, Clone, PartialEq)]
pub enum Mesh {
    /// All pairs.
    Full,
    /// A cycle.
    Ring,
    /// A lattice with this many columns.
    Grid {
        /// Columns of the lattice (>= 1).
        columns: u32,
    },
    /// Unit-disk graph over random positions.
    RandomGeometric {
        /// Link range in metres.
        radius_m: f64,
    },
    /// Listed undirected edges (indices checked, no self-links, no duplicates).
    Explicit {
        /// The edges.
        edges: Vec<(u32, u32)>,
    },
}

/// Cloudlets, their mesh and store-and-forward batching.
#[derive(Debug, Clone, PartialEq)]
pub struct CloudletSpec {
    /// Number of cloudlets.
    pub count: u32,
    /// Mesh shape.
    pub mesh: Mesh,
    /// Explicit positions in metres, if given.
    pub positions_m: Option<Vec<(f64, f64)>>,
    /// Cloudlets with a WAN link to the remote cloud (sorted, distinct).
    pub wan_gateways: Vec<u32>,
    /// Store-and-forward batching, if enabled.
    pub batch: Option<BatchSpec>,
}

/// Store-and-forward batching at cloudlets.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchSpec {
    /// A batch leaves this long after its first sample arrived.
    pub interval: SimTime,
    /// A batch also leaves when it holds this many samples (`u32::MAX` = no limit).
    pub max_samples: u32,
    /// Framing bytes a batch adds to its samples' payloads.
    pub header_bytes: u32,
}

/// The four classes of links in the delivery chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkClass {
    /// Wearable → BAN gateway.
    Ban,
    /// BAN gateway → cloudlet.
    Access,
    /// Cloudlet ↔ cloudlet.
    Mesh,
    /// Cloudlet ↔ remote cloud.
    Wan,
}

impl LinkClass {
    /// All classes, in index order.
    pub const ALL: [LinkClass; 4] = [LinkClass::Ban, LinkClass::Access, LinkClass::Mesh, LinkClass::Wan];

    /// Position in [`ModelConfig::links`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Name as in the scenario file (`links.<name>`) and in outputs.
    pub const fn name(self) -> &'static str {
        match self {
            LinkClass::Ban => "ban",
            LinkClass::Access => "access",
            LinkClass::Mesh => "mesh",
            LinkClass::Wan => "wan",
        }
    }
}

/// One link class's validated parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkSpec {
    /// Fixed delay after transmission.
    pub latency: SimTime,
    /// Bits per second.
    pub bandwidth_bps: f64,
    /// Loss probability per attempt, in [0, 1).
    pub loss_prob: f64,
    /// Waiting room behind the packet in transmission.
    pub buffer_packets: u32,
    /// Retransmissions before a drop.
    pub max_retries: u32,
    /// Header bytes per frame on this hop.
    pub header_bytes: u32,
    /// Largest payload per frame; bigger packets are split into frames that each carry the header (0 = no limit).
    pub mtu_bytes: u32,
    /// Fixed distance in metres, or `None` for the geometric distance.
    pub distance_m: Option<f64>,
}

impl LinkSpec {
    /// Bytes on the wire for a packet of `payload_bytes`: the payload plus one header per frame.
    pub fn wire_bytes(&self, payload_bytes: u32) -> u64 {
        let frames = if self.mtu_bytes == 0 { 1 } else { payload_bytes.div_ceil(self.mtu_bytes).max(1) };
        payload_bytes as u64 + frames as u64 * self.header_bytes as u64
    }
}

pub use super::raw_energy::{CryptoAt, CryptoMode, SchemeKind};

/// A radio energy profile, in joules per bit.
#[derive(Debug, Clone, PartialEq)]
pub struct RadioProfile {
    /// Profile name.
    pub name: String,
    /// Transmitter electronics, J/bit.
    pub tx_elec_j_per_bit: f64,
    /// Receiver electronics, J/bit.
    pub rx_elec_j_per_bit: f64,
    /// Amplifier term.
    pub amp: Amplifier,
}

/// The distance-dependent amplifier term of a radio profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Amplifier {
    /// `amp · dⁿ` J/bit.
    Power {
        /// J/bit/mⁿ.
        amp_j_per_bit_per_m_n: f64,
        /// Path-loss exponent n.
        exponent: f64,
    },
    /// `ε_fs · d²` below d0 = sqrt(ε_fs/ε_mp), `ε_mp · d⁴` above.
    TwoRay {
        /// ε_fs, J/bit/m².
        fs_j_per_bit_per_m2: f64,
        /// ε_mp, J/bit/m⁴.
        mp_j_per_bit_per_m4: f64,
    },
}

impl RadioProfile {
    /// Energy to transmit one bit over `d` metres, in joules.
    pub fn tx_j_per_bit(&self, d: f64) -> f64 {
        self.tx_elec_j_per_bit
            + match self.amp {
                Amplifier::Power { amp_j_per_bit_per_m_n, exponent } => {
                    if amp_j_per_bit_per_m_n == 0.0 {
                        0.0
                    } else {
                        amp_j_per_bit_per_m_n * d.powf(exponent)
                    }
                }
                Amplifier::TwoRay { fs_j_per_bit_per_m2: fs, mp_j_per_bit_per_m4: mp } => {
                    let d0 = (fs / mp).sqrt();
                    if d < d0 {
                        fs * d * d
                    } else {
                        mp * d.powi(4)
                    }
                }
            }
    }
}

/// A cryptographic scheme profile (Cortex-M4 cycles, bytes).
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeProfile {
    /// Scheme name.
    pub name: String,
    /// Key establishment kind.
    pub kind: SchemeKind,
    /// Key-pair generation cycles.
    pub keygen_cycles: f64,
    /// Encapsulation cycles (sender).
    pub encaps_cycles: f64,
    /// Decapsulation cycles (receiver).
    pub decaps_cycles: f64,
    /// Public key bytes.
    pub public_key_bytes: u32,
    /// Encapsulated-key bytes carried with data.
    pub ciphertext_bytes: u32,
    /// Secret key bytes.
    pub secret_key_bytes: u32,
}

/// The validated energy model.
#[derive(Debug, Clone, PartialEq)]
pub struct EnergySpec {
    /// Radio profile per link class, indexed by [`LinkClass::index`].
    pub radio: [RadioProfile; 4],
    /// Wearable processor, J/cycle.
    pub wearable_j_per_cycle: f64,
    /// Gateway processor, J/cycle.
    pub gateway_j_per_cycle: f64,
    /// Cloudlet processor, J per M4-equivalent cycle.
    pub cloudlet_j_per_cycle: f64,
    /// Wearable idle power, W.
    pub wearable_idle_w: f64,
    /// Gateway idle power, W.
    pub gateway_idle_w: f64,
    /// Cloudlet idle power, W.
    pub cloudlet_idle_w: f64,
    /// Wearable battery, J.
    pub wearable_battery_j: f64,
    /// Gateway battery, J.
    pub gateway_battery_j: f64,
}

/// The validated protection of body data.
#[derive(Debug, Clone, PartialEq)]
pub struct CryptoSpec {
    /// The scheme.
    pub scheme: SchemeProfile,
    /// Where encryption runs.
    pub at: CryptoAt,
    /// When key encapsulation happens.
    pub mode: CryptoMode,
    /// Session mode: time between encapsulations.
    pub rekey: SimTime,
    /// Batch mode: gateway collection interval.
    pub batch: SimTime,
    /// Batch framing bytes.
    pub batch_header_bytes: u32,
    /// AEAD nonce bytes per message.
    pub aead_nonce_bytes: u32,
    /// AEAD tag bytes per message.
    pub aead_tag_bytes: u32,
    /// AEAD cycles per plaintext byte.
    pub aead_cycles_per_byte: f64,
    /// AEAD fixed cycles per message.
    pub aead_cycles_per_message: f64,
}

impl CryptoSpec {
    /// Whether samples are encrypted at all.
    pub fn encrypts(&self) -> bool {
        self.scheme.kind != SchemeKind::None
    }
    /// Whether a key encapsulation is part of the scheme.
    pub fn has_kem(&self) -> bool {
        self.scheme.kind == SchemeKind::Kem
    }
    /// AEAD cycles to encrypt or decrypt one message of `bytes` plaintext bytes.
    pub fn aead_cycles(&self, bytes: u64) -> f64 {
        if self.encrypts() {
            self.aead_cycles_per_message + self.aead_cycles_per_byte * bytes as f64
        } else {
            0.0
        }
    }
    /// Bytes AEAD adds to one message.
    pub fn aead_overhead_bytes(&self) -> u32 {
        if self.encrypts() {
            self.aead_nonce_bytes + self.aead_tag_bytes
        } else {
            0
        }
    }
}
