//! What a scenario will need before anything is built: nodes, links, routes, memory and expected events, and the
//! budget check that refuses a scenario that cannot fit this machine or would run too long.
//!
//! [`Estimate::of`] reads only the validated [`ModelConfig`]: it builds no topology and no model, allocates nothing in
//! proportion to any count, and does all arithmetic in `f64` (products through `mul`, which never makes a NaN), so
//! it answers in microseconds whatever the configuration holds.
//!
//! - **Structure.** Nodes are wearables, BAN gateways (one per patient), cloudlets and the remote cloud. Links are
//!   what [`Topology`](crate::chain::topology::Topology) keeps: one BAN link per wearable, one access link per
//!   gateway, and both directions of every mesh edge and WAN link. Routes are the all-pairs next-hop table among the
//!   core nodes, `(cloudlets + 1)²` entries, which the topology keeps and the IDS copies.
//! - **Memory.** Per-entity bytes are `size_of` the model's own types (so the estimate follows the code), plus the
//!   heap blocks they own; the structures that grow faster than the entity counts are listed on their own: the
//!   route tables (`(c+1)²`), full or dense random meshes (`c²/2` edges), doctors (`cloudlets × doctors_per_cloudlet`),
//!   the trust time series (`duration / interval`), packets in flight (`rate × time in flight`).
//! - **Events.** From the rates and the duration: every wearable's sample wake-ups, then each hop of the delivery
//!   chain (a transmission ends, the packet arrives; lost attempts add transmissions), batch timers, the IDS's
//!   verdicts, campaigns, attacks, floods and impacts, share requests, audits and the steps of appointments.
//!   Buffer overflows, dead batteries and blocked sources only ever remove events, so the estimate errs high.
//!
//! The work is split by concern: `structure` counts nodes, links, mesh edges, routes and mesh hops and the setup
//! work of building the network; `events` the expected kernel events; `memory` the bytes; `budget` what this
//! machine allows and the check against it; `render` the text `validate` prints.

mod budget;
mod events;
mod memory;
mod mobility;
mod render;
mod structure;
#[cfg(test)]
mod tests;

pub use budget::{check, Budget, OverBudget, DEFAULT_MAX_EVENTS, FALLBACK_MEMORY_BYTES, MEMORY_SAFETY_FRACTION};

use crate::crypto::{CryptoAt, CryptoMode};
use crate::scenario::ModelConfig;

/// `a · b`, with zero whenever either is zero (so `0 · ∞` is 0, never NaN) and capped at `f64::MAX`.
fn mul(a: f64, b: f64) -> f64 {
    if a == 0.0 || b == 0.0 {
        0.0
    } else {
        (a * b).min(f64::MAX)
    }
}

/// `a / b` for `b > 0` (0 otherwise), capped at `f64::MAX`.
fn div(a: f64, b: f64) -> f64 {
    if b > 0.0 && a > 0.0 {
        (a / b).min(f64::MAX)
    } else {
        0.0
    }
}

/// `a + b`, capped at `f64::MAX`.
fn add(a: f64, b: f64) -> f64 {
    (a + b).min(f64::MAX)
}

/// An `f64` count as `u64`, saturating (Rust's `as` saturates and maps NaN to 0).
fn to_u64(x: f64) -> u64 {
    x.max(0.0) as u64
}

/// One source of kernel events.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSource {
    /// What causes them.
    pub what: String,
    /// The scenario keys that drive them.
    pub keys: Vec<String>,
    /// Expected events over the run.
    pub events: f64,
    /// The driving values, e.g. `wearables.count = 100000, 4 sensors over 600 s`.
    pub detail: String,
}

/// One consumer of memory.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryItem {
    /// What it holds.
    pub what: String,
    /// The scenario keys that size it.
    pub keys: Vec<String>,
    /// Bytes.
    pub bytes: f64,
    /// The driving values, e.g. `cloudlets.count = 1000000 with cloudlets.mesh = "full": 5.0e11 mesh links`.
    pub detail: String,
}

/// What a scenario will need.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Nodes: wearables, BAN gateways, cloudlets and the remote cloud.
    pub nodes: u64,
    /// Directed links as the topology keeps them: BAN, access, both directions of mesh edges and WAN links.
    pub links: u64,
    /// Undirected mesh edges (a full mesh has c(c−1)/2; expected value for a random geometric mesh).
    pub mesh_edges: u64,
    /// Entries of the all-pairs route table among core nodes: (cloudlets + 1)².
    pub routes: u64,
    /// Peak memory of the run in bytes, beyond the process's own baseline (about 10 MB).
    pub memory_bytes: u64,
    /// Expected kernel events up to the end of the run (duration plus drain).
    pub events: f64,
    /// Event sources, largest first.
    pub sources: Vec<EventSource>,
    /// Memory consumers, largest first.
    pub memory: Vec<MemoryItem>,
    /// Steps of building the network before the first event (route searches, attachment, IDS placement), in
    /// units of about one event's cost.
    pub setup_steps: f64,
    /// The keys and values that drive [`Estimate::setup_steps`].
    pub setup_detail: (Vec<String>, String),
}

struct Builder {
    sources: Vec<EventSource>,
    memory: Vec<MemoryItem>,
}

impl Builder {
    fn events(&mut self, what: &str, keys: &[&str], events: f64, detail: String) {
        if events > 0.0 {
            let keys = keys.iter().map(|k| k.to_string()).collect();
            self.sources.push(EventSource { what: what.into(), keys, events: events.min(f64::MAX), detail });
        }
    }
    fn bytes(&mut self, what: &str, keys: Vec<String>, bytes: f64, detail: String) {
        if bytes > 0.0 {
            self.memory.push(MemoryItem { what: what.into(), keys, bytes: bytes.min(f64::MAX), detail });
        }
    }
}

/// What every part of the estimate starts from: the counts, times and mesh figures of the configuration.
struct Basis {
    /// Wearables.
    w: f64,
    /// Patients (BAN gateways).
    p: f64,
    /// Cloudlets.
    c: f64,
    /// Core nodes: the cloudlets and the remote cloud.
    core: f64,
    /// Generation time, s.
    duration: f64,
    /// Generation plus drain, s.
    end: f64,
    /// Undirected mesh edges.
    edges: f64,
    /// The mesh's keys, and its kind and size as text ([`structure::mesh_keys`]).
    mesh_keys: Vec<String>,
    /// See `mesh_keys`.
    mesh_text: String,
    /// Directed core links: both directions of every mesh edge and WAN link.
    directed_core: f64,
    /// Directed links of the whole topology.
    links: f64,
    /// Entries of the all-pairs route table.
    routes: f64,
    /// Mean mesh hops to a WAN gateway and between two cloudlets ([`structure::mean_hops`]).
    to_gateway: f64,
    /// See `to_gateway`.
    between: f64,
    /// IDS nodes.
    ids_nodes: f64,
    /// `over <duration> s`, for details.
    over: String,
    /// Samples per second of one wearable.
    sample_rate: f64,
    /// Samples generated over the run.
    samples: f64,
    /// Whether gateways encrypt in batches (a batch timer per gateway, packets held while a batch fills).
    crypto_batch: bool,
}

impl Basis {
    fn of(cfg: &ModelConfig) -> Basis {
        let w = f64::from(cfg.wearables);
        let p = f64::from(cfg.patients());
        let c = f64::from(cfg.cloudlets.count);
        let g = cfg.cloudlets.wan_gateways.len() as f64;
        let core = c + 1.0;
        let duration = cfg.duration.as_secs_f64();
        let end = cfg.duration.saturating_add(cfg.drain).as_secs_f64();
        let edges = structure::mesh_edges(cfg);
        let (mesh_keys, mesh_text) = structure::mesh_keys(cfg);
        let directed_core = add(mul(2.0, edges), mul(2.0, g));
        let links = add(add(w, p), directed_core);
        let routes = mul(core, core);
        let (to_gateway, between) = structure::mean_hops(cfg);
        let ids_nodes = f64::from(cfg.ids.count);
        let over = format!("over {} s", render::num(duration));
        let sample_rate: f64 = cfg.sensors.iter().map(|x| div(1.0, x.period.as_secs_f64())).sum::<f64>().min(f64::MAX);
        let samples = mul(mul(w, sample_rate), duration);
        let crypto_batch =
            cfg.crypto.encrypts() && cfg.crypto.at == CryptoAt::Gateway && cfg.crypto.mode == CryptoMode::Batch;
        Basis {
            w,
            p,
            c,
            core,
            duration,
            end,
            edges,
            mesh_keys,
            mesh_text,
            directed_core,
            links,
            routes,
            to_gateway,
            between,
            ids_nodes,
            over,
            sample_rate,
            samples,
            crypto_batch,
        }
    }
}

impl Estimate {
    /// What `cfg` will need, computed from the configuration alone.
    pub fn of(cfg: &ModelConfig) -> Estimate {
        let mut b = Builder { sources: Vec::new(), memory: Vec::new() };
        let x = Basis::of(cfg);
        events::push_sources(cfg, &x, &mut b);
        memory::push_items(cfg, &x, &mut b);
        let (setup_steps, setup_detail) = structure::setup(cfg, &x);

        b.sources.sort_by(|a, b| b.events.total_cmp(&a.events));
        b.memory.sort_by(|a, b| b.bytes.total_cmp(&a.bytes));
        let events = b.sources.iter().map(|s| s.events).sum::<f64>().min(f64::MAX);
        let memory_bytes = b.memory.iter().map(|m| m.bytes).sum::<f64>().min(f64::MAX);
        Estimate {
            nodes: to_u64(add(add(x.w, x.p), x.core)),
            links: to_u64(x.links),
            mesh_edges: to_u64(x.edges),
            routes: to_u64(x.routes),
            memory_bytes: to_u64(memory_bytes),
            events,
            sources: b.sources,
            memory: b.memory,
            setup_steps,
            setup_detail,
        }
    }
}
