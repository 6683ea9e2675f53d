//! The delivery chain: samples travel wearable → BAN gateway → cloudlet → mesh hops → remote cloud.
//!
//! Its scenario tables ([`raw`], [`validate`], [`config`]), the network ([`topology`] and its pieces in
//! [`network`], [`placement`], [`routes`]), its state ([`state`]: [`Chain`], with the pieces [`wearable`] sampling,
//! [`link`] queues, [`packet`] packets in flight, [`cloudlet`] batch buffers, [`metrics`] counts), its handlers
//! (methods of [`ChainCtx`], the chain lent the energy ledger and the sealing state: [`flow`], [`batching`],
//! [`seal`]) and its outputs ([`summary`], [`nodes`] for `nodes.csv`, [`dot`] for `cloudletsim topology`), and the
//! typed ids every part uses ([`id`]: [`NodeId`], [`LinkId`], [`PacketId`], [`CloudletIx`], [`CoreIx`],
//! [`PatientId`]).
//!
//! ```text
//!  wearable ──ban──▶ BAN gateway ──access──▶ cloudlet ══mesh══ cloudlet ──wan──▶ remote cloud
//!  (samples)          (one per patient)        (batches)                          (delivery)
//! ```

pub mod access;
pub mod batching;
pub mod ble;
pub mod ble_flow;
pub mod ble_link;
pub mod channel;
pub mod cloudlet;
pub mod config;
pub mod dot;
pub mod flow;
pub mod id;
pub mod link;
pub mod loss;
pub mod metrics;
pub mod moves;
pub mod network;
pub mod nodes;
pub mod packet;
pub mod placement;
pub mod raw;
pub mod reattach;
pub mod reroute;
pub mod routes;
pub mod seal;
pub mod secure;
pub mod select;
pub mod sign;
pub mod state;
pub mod summary;
pub mod topology;
pub mod validate;
pub mod wearable;
pub mod wifi;

pub use config::{Attach, BatchSpec, CloudletSpec, LinkClass, LinkSpec, Mesh, RouteMetric, SensorSpec};
pub use id::{CloudletIx, CoreIx, LinkId, NodeId, PacketId, PatientId};
pub use state::{Arrival, Chain, ChainCtx, ChainEvent, RadioEnergy, SampleRecord};
