//! Mechanism 4 of the papers, intrusion avoidance: attack kinds, campaigns and floods; the collaborative IDS on the
//! mesh (placement, scope, Bernoulli or score detectors, fusion, blocking, signature sharing, damage).
//!
//! Its scenario tables `[ids]`, `[attacks.*]`, `[benign]` ([`raw`], [`validate`], [`config`]), its state and event
//! handlers ([`state`]), the `ids` section of `summary.json` ([`output`]), and its analyses: the closed forms
//! ([`analytic`]), `ids-optimize` ([`optimize`], its replications and paired steps [`replicated`], its rows
//! [`tradeoff`]) and its figures ([`plots`]); published detector operating points with their citations
//! ([`roc_library`], `docs/ids-library.md`). The model is documented in
//! `docs/model.md`, "Intrusion detection".

pub mod analytic;
pub mod collab;
pub mod config;
pub mod curves;
pub mod curves_output;
pub mod curves_sim;
pub mod exchange;
pub mod inspection;
mod kinds;
pub mod lee_cost;
pub mod optimize;
pub mod output;
pub mod placement;
pub mod plots;
pub mod raw;
pub mod raw_attacks;
pub mod replicated;
pub mod roc;
pub mod roc_library;
pub mod sensitivity;
pub mod sensitivity_output;
pub mod state;
pub mod tradeoff;
pub mod traffic;
pub mod validate;

pub use config::{
    AttackKind, AttackSpec, BenignSpec, Detector, DetectorModel, Entry, FollowUp, Fusion, IdsCost, IdsScope, IdsSpec,
    Payload, Placement, Target,
};
pub use state::{IdsEvent, IdsState};
