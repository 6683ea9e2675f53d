//! Mechanism 2 of the papers, sharing inside a cloudlet: profile similarity plus beta reputation against a
//! threshold; leaks and useful shares.
//!
//! Its scenario table `[trust]` ([`raw`], [`validate`], [`config`]), its state and handlers ([`state`]), the `trust`
//! section of `summary.json` and `trust_timeseries.csv` ([`output`]), and the `trust-tradeoff` analysis
//! ([`tradeoff`]). The model is documented in `docs/model.md`, "Trust, records and care".

pub mod config;
pub mod output;
pub mod raw;
pub mod state;
pub mod tradeoff;
pub mod validate;

pub use config::{Condition, ProfileSpec, SimilarityMeasure, TrustSpec};
pub use state::{TrustEvent, TrustState};
