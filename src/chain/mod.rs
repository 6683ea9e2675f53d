//! The delivery chain: samples travel wearable → BAN gateway → cloudlet → mesh hops → remote cloud.
//!
//! Its scenario tables ([`raw`], [`validate`], [`config`]), the network ([`topology`]), the pieces of its state
//! ([`wearable`] sampling, [`link`] queues and transmission, [`packet`] packets in flight, [`cloudlet`] batches,
//! [`metrics`] counts) and its outputs ([`nodes`] for `nodes.csv`, [`dot`] for `cloudletsim topology`).
//!
//! ```text
//!  wearable ──ban──▶ BAN gateway ──access──▶ cloudlet ══mesh══ cloudlet ──wan──▶ remote cloud
//!  (samples)          (one per patient)        (batches)                          (delivery)
//! ```

pub mod cloudlet;
pub mod config;
pub mod dot;
pub mod link;
pub mod metrics;
pub mod nodes;
pub mod packet;
pub mod placement;
pub mod raw;
pub mod routes;
pub mod summary;
pub mod topology;
pub mod validate;
pub mod wearable;

pub use config::{Attach, BatchSpec, CloudletSpec, LinkClass, LinkSpec, Mesh, RouteMetric, SensorSpec};
