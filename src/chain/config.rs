//! The delivery chain's validated configuration: sensors, attachment, cloudlets and their mesh, link classes
//! (see [`super::raw`] for the meaning of each key).

use crate::kernel::SimTime;

pub use super::raw::RouteMetric;

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
    /// The cloudlet in range of least estimated end-to-end delay, from advertised load (`[mobility]`).
    MinDelay,
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

/// The classes of links in the delivery chain. Per-class tables are [`enum_map::EnumMap`]s keyed by this enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, enum_map::Enum)]
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
    /// All classes, in declaration (and output) order.
    pub fn all() -> impl Iterator<Item = LinkClass> + Clone {
        (0..<LinkClass as enum_map::Enum>::LENGTH).map(<LinkClass as enum_map::Enum>::from_usize)
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
    /// BAN links with `mac = "ble"`: the connection parameters and chip profile (`None`: the ideal MAC).
    pub ble: Option<super::ble::BleMac>,
    /// Access links with `mac = "dcf"`: the 802.11 MAC and the module's currents (`None`: the ideal MAC).
    pub wifi: Option<(super::wifi::WifiMac, super::wifi::WifiProfile)>,
    /// How attempts (BLE: PDUs) are lost.
    pub loss: super::channel::LossModel,
}

/// How a payload is cut into frames of at most `mtu_bytes` of payload each (0 = no limit): `full` frames of `size`
/// bytes, then one last frame of `last` bytes when the payload is not a whole number of full frames (an empty
/// payload is one empty frame).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameSplit {
    /// Payload bytes of a full frame.
    pub size: u32,
    /// Full frames.
    pub full: u32,
    /// The last, shorter frame's payload bytes, if there is one.
    pub last: Option<u32>,
}

impl FrameSplit {
    /// The frames of `payload_bytes` under an MTU of `mtu_bytes` (0 = no limit).
    #[inline]
    pub fn new(mtu_bytes: u32, payload_bytes: u32) -> Self {
        let size = if mtu_bytes == 0 { payload_bytes.max(1) } else { mtu_bytes };
        let full = payload_bytes / size;
        let last = payload_bytes - full * size;
        FrameSplit { size, full, last: (last > 0 || full == 0).then_some(last) }
    }
}

impl LinkSpec {
    /// Bytes on the wire for a packet of `payload_bytes`: the payload plus one header per frame.
    pub fn wire_bytes(&self, payload_bytes: u32) -> u64 {
        let frames = if self.mtu_bytes == 0 { 1 } else { payload_bytes.div_ceil(self.mtu_bytes).max(1) };
        payload_bytes as u64 + frames as u64 * self.header_bytes as u64
    }
}
