//! The validated `[mobility]` and `[cloudlet_power]` tables (see [`super::raw`] for each key's meaning).

use std::sync::Arc;

use super::raw::HandoverPolicy;
use super::trace::Trace;
use crate::kernel::SimTime;

/// How patients move (validated).
#[derive(Debug, Clone, PartialEq)]
pub enum Motion {
    /// They do not.
    Off,
    /// Random waypoint.
    Waypoint {
        /// Slowest speed, m/s.
        speed_min_mps: f64,
        /// Fastest speed, m/s.
        speed_max_mps: f64,
        /// Pause at each waypoint, s.
        pause_s: f64,
    },
    /// A trace of positions (loaded from `file` by [`super::trace::load_into`] once the scenario's folder is known).
    Trace {
        /// The file as the scenario names it.
        file: String,
        /// Its points.
        trace: Arc<Trace>,
    },
}

/// The validated `[mobility]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct MobilitySpec {
    /// How patients move.
    pub motion: Motion,
    /// Position update period.
    pub update: SimTime,
    /// A cloudlet's access radio range, m.
    pub range_m: f64,
    /// Handover time.
    pub handover: SimTime,
    /// Samples offered during a handover.
    pub policy: HandoverPolicy,
    /// Load advertisement period (`min_delay`).
    pub advertise: SimTime,
    /// Bytes of one advertisement.
    pub advertise_bytes: u64,
    /// `min_delay` hysteresis, s.
    pub hysteresis_s: f64,
    /// `min_delay`: advertisement rounds between two choices of one gateway.
    pub rechoose_rounds: u32,
}

/// A phone cloudlet's battery and power figures (`cloudlet_power.source = "battery"`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhonePower {
    /// Battery energy, J.
    pub battery_j: f64,
    /// Idle power, W.
    pub idle_w: f64,
    /// Processor energy, J/cycle.
    pub j_per_cycle: f64,
    /// Mesh transmit energy, J/bit.
    pub mesh_tx_j_per_bit: f64,
    /// Mesh receive energy, J/bit.
    pub mesh_rx_j_per_bit: f64,
    /// Longest delay before a death is noticed.
    pub check: SimTime,
}
