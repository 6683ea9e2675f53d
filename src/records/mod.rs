//! Mechanism 3 of the papers, the three-part record in the remote cloud: EI encrypted, QI generalised to
//! k-anonymity, MI; breach exposure, tampering, audits.
//!
//! Its scenario table `[records]` ([`raw`], [`validate`], [`config`]), its state and handlers ([`state`]) and the
//! `records` section of `summary.json` ([`output`]). The model is documented in `docs/model.md`, "Trust, records
//! and care".

pub mod anonymity;
pub mod audit;
pub mod audit_keys;
pub mod compare;
pub mod config;
mod draft;
pub mod output;
pub mod raw;
pub mod state;
pub mod validate;

pub use config::{EiProtection, MiProtection, QiProtection, RecordsSpec};
pub use state::{RecordsEvent, RecordsState};
