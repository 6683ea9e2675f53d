//! The appointment workflow of the derived papers: appointments, doctors, key requests to the key distribution
//! centre, prescriptions.
//!
//! Its scenario table `[care]` ([`raw`], [`validate`], [`config`]), its state and handlers ([`state`]) and the `care`
//! section of `summary.json` ([`output`]). The model is documented in `docs/model.md`, "Trust, records and care".

pub mod config;
pub mod kdc;
pub mod output;
pub mod raw;
pub mod state;
pub mod validate;

pub use config::{AccessRule, CareLatencies, CareSpec, StepLatency};
pub use state::{CareEvent, CareState, Step};
