//! Mechanisms 5 and 6 of issue 15: patients that move and the choice of cloudlet (after Quwaider & Jararweh,
//! Simulation Modelling Practice and Theory 50:57-71, 2015), and cloudlets made of phones that run out of battery.
//!
//! Its tables ([`raw`], [`validate`], [`config`]), the movement models ([`waypoint`]: random waypoint; [`trace`]:
//! a CSV trace), the state and handlers ([`state`]: updates, advertisements, handovers; [`power`]: deaths) and the
//! `mobility` section of `summary.json` ([`output`]). The chain's side is in [`crate::chain::reattach`] (the
//! re-attachment primitive), [`crate::chain::select`] (delay estimates) and [`crate::chain::reroute`] (routes after
//! a death). See `docs/model.md` §19 and §20.

pub mod config;
pub mod load;
pub mod output;
pub mod power;
pub mod raw;
pub mod state;
pub mod trace;
pub mod validate;
pub mod waypoint;

pub use config::{MobilitySpec, Motion, PhonePower};
pub use state::{MobilityEvent, MobilityState};
