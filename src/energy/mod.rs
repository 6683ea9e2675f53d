//! Energy: radio (first-order, two-ray, datasheet profiles), processor, idle and battery accounts; node death.
//!
//! Its scenario table ([`raw`], [`validate`], [`config`]), the per-node ledger ([`ledger`]) and `energy.csv` with the
//! `energy` section of `summary.json` ([`output`]). Figures and sources: `docs/model.md`, "Energy".

pub mod battery;
pub mod ble;
pub mod config;
pub mod ledger;
pub mod output;
pub mod raw;
pub mod validate;

pub use config::{Amplifier, BatterySpec, EnergySpec, RadioProfile};
