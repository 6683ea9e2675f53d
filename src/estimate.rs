//! What a scenario will need before anything is built: nodes, links, routes, memory and expected events, and the
//! budget check that refuses a scenario that cannot fit this machine or would run too long.
//!
//! [`Estimate::of`] reads only the validated [`ModelConfig`]: it builds no topology and no model, allocates nothing in
//! proportion to any count, and does all arithmetic in `f64` (products through [`mul`], which never makes a NaN), so
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

use std::fmt::Write as _;
use std::mem::size_of;

use crate::care::AccessRule;
use crate::chain::cloudlet::BatchBuffer;
use crate::chain::link::{CoreLink, EdgeLink};
use crate::chain::packet::Packet;
use crate::chain::topology::{Link, Node};
use crate::chain::wearable::Wearable;
use crate::chain::{Attach, LinkClass, Mesh};
use crate::crypto::{CryptoAt, CryptoMode};
use crate::ids::{AttackKind, Detector, Entry, Fusion, Target};
use crate::kernel::{EntityRng, SimTime};
use crate::model::Event;
use crate::scenario::ModelConfig;
use crate::trust::state::{BetaReputation, TrustBin};

/// Default `--max-events`: 2e10 events. A city run (100,000 wearables for 10 minutes) is about 1e8 events, at about
/// 6 million events per second (README, Performance) about 17 s; 2e10 is 200 such runs, roughly an hour of one core,
/// so only a scenario far beyond anything shipped meets it, and a runaway rate (1e300 per second) is stopped at once.
pub const DEFAULT_MAX_EVENTS: u64 = 20_000_000_000;

/// Share of the available memory a scenario may plan to use (dimensionless): the estimate is an estimate, the
/// allocator rounds up and vectors grow by doubling, so a quarter is kept in reserve.
pub const MEMORY_SAFETY_FRACTION: f64 = 0.75;

/// Memory assumed available when /proc/meminfo cannot be read: 8 GiB, a small laptop's.
pub const FALLBACK_MEMORY_BYTES: u64 = 8 << 30;

/// Bytes allocated whatever the scenario (histograms, buffers, tables of the run), measured as the peak RSS of a
/// one-wearable run minus the process baseline: about 4 MB (`timing.json`, release build).
const FIXED_BYTES: f64 = 4.0e6;

/// Bytes of bookkeeping per heap block (glibc malloc: an 8-byte header, sizes rounded up to 16).
const HEAP_BLOCK_BYTES: f64 = 16.0;

/// Growth slack of a vector that grows by doubling (dimensionless): on average it holds 1.5 × its length.
const VEC_SLACK: f64 = 1.5;

/// Bytes of one pending kernel event: its time and event (16 bytes) plus its share of the 32-entry chunk's vector
/// header and link (`kernel/queue.rs`).
const QUEUE_ENTRY_BYTES: f64 = (size_of::<(u64, Event)>() + (size_of::<Vec<u8>>() + 8) / 32) as f64;

/// Bytes of a packet in the slab: the packet plus the slab entry's tag (rounded to the packet's alignment).
const PACKET_BYTES: f64 = (size_of::<Packet>() + 8) as f64;

/// Bytes of a record's text parts as the model writes them (`model/records.rs`): the explicit identifiers
/// (`name=… …;mrn=MRN…;phone=+1-555-…`, about 60 bytes, 28 more sealed: 12 nonce + 16 tag), the quasi-identifiers
/// (`age=…;sex=…;postcode=…`, about 30) and the medical information (`dx=…;sx=…;rx=…`, about 100 with two conditions);
/// each part is stored, the EI and MI plaintexts kept as well, each in its own heap block.
const RECORD_TEXT_BYTES: f64 = (60.0 + 28.0) + 30.0 + 100.0 + 60.0 + 100.0 + 5.0 * HEAP_BLOCK_BYTES;

/// Bytes of a record's fixed part: three vectors and a 32-byte digest, the two plaintext vectors, the 16-byte key,
/// the record's random stream, its tampering slot, its `seen` flag and its class size.
const RECORD_FIXED_BYTES: f64 = (5 * size_of::<Vec<u8>>() + 32 + 16 + size_of::<EntityRng>() + 32 + 1 + 4) as f64;

/// Bytes of one entry of a `HashMap`/`HashSet` of small keys: key and value plus a control byte, at the maximum load
/// factor of 7/8, doubled for the growth slack (hashbrown).
const fn hash_entry_bytes(payload: usize) -> f64 {
    (payload + 1) as f64 * 8.0 / 7.0 * VEC_SLACK
}

/// Steps of route computation per relaxed edge (Dijkstra with a binary heap and a hash map of distances): each
/// edge is relaxed once per search, and a heap push costs about log₂ n steps.
const ROUTE_STEP_FLOOR: f64 = 1.0;

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

/// Expected attempts and successes of one hop with loss probability `p` and `r` retries: attempts
/// `(1 − p^(r+1)) / (1 − p)`, success `1 − p^(r+1)`.
fn hop(p: f64, retries: u32) -> (f64, f64) {
    let fail = p.powi(retries.saturating_add(1).min(i32::MAX as u32) as i32);
    let attempts = if p > 0.0 { (1.0 - fail) / (1.0 - p) } else { 1.0 };
    (attempts, 1.0 - fail)
}

/// Probability that two points uniform in an `a × b` rectangle are at most `r` apart: the integral over the
/// horizontal offset x (density `2(a − x)/a²`) of the chance that the vertical offset is at most `√(r² − x²)`
/// (distribution `1 − (1 − t/b)²`), by Simpson's rule on 64 intervals.
fn pair_within(a: f64, b: f64, r: f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && r > 0.0) {
        return 0.0;
    }
    if r * r >= a * a + b * b {
        return 1.0;
    }
    let top = r.min(a);
    let f = |x: f64| {
        let t = (r * r - x * x).max(0.0).sqrt().min(b);
        2.0 * (a - x) / (a * a) * (1.0 - (1.0 - t / b).powi(2))
    };
    const N: usize = 64;
    let h = top / N as f64;
    let mut sum = f(0.0) + f(top);
    for i in 1..N {
        sum += f(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    (sum * h / 3.0).clamp(0.0, 1.0)
}

/// Undirected mesh edges (expected, for a random geometric mesh) and the keys that set them.
fn mesh_edges(cfg: &ModelConfig) -> f64 {
    let c = cfg.cloudlets.count as f64;
    match &cfg.cloudlets.mesh {
        Mesh::Full => c * (c - 1.0) / 2.0,
        Mesh::Ring if c < 3.0 => (c - 1.0).max(0.0),
        Mesh::Ring => c,
        Mesh::Grid { columns } => {
            let (n, k) = (cfg.cloudlets.count as u64, (*columns).max(1) as u64);
            ((n / k) * (k - 1) + (n % k).saturating_sub(1) + n.saturating_sub(k)) as f64
        }
        Mesh::RandomGeometric { radius_m } => {
            c * (c - 1.0) / 2.0 * pair_within(cfg.area_width_m, cfg.area_height_m, *radius_m)
        }
        Mesh::Explicit { edges } => edges.len() as f64,
    }
}

/// The mesh's keys, with its kind and size as text.
fn mesh_keys(cfg: &ModelConfig) -> (Vec<String>, String) {
    let c = cfg.cloudlets.count;
    let (kind, extra) = match &cfg.cloudlets.mesh {
        Mesh::Full => ("full", None),
        Mesh::Ring => ("ring", None),
        Mesh::Grid { columns } => {
            ("grid", Some(("cloudlets.grid_columns", format!("cloudlets.grid_columns = {columns}"))))
        }
        Mesh::RandomGeometric { radius_m } => {
            ("random_geometric", Some(("cloudlets.radius_m", format!("cloudlets.radius_m = {}", num(*radius_m)))))
        }
        Mesh::Explicit { edges } => ("explicit", Some(("cloudlets.edges", format!("{} cloudlets.edges", edges.len())))),
    };
    let mut keys = vec!["cloudlets.count".to_string(), "cloudlets.mesh".to_string()];
    let mut text = format!("cloudlets.count = {c} with cloudlets.mesh = \"{kind}\"");
    if let Some((key, e)) = extra {
        keys.push(key.to_string());
        text = format!("{text} ({e})");
    }
    (keys, text)
}

/// Mean mesh hops from a cloudlet to the WAN gateway its route leaves by (0 at a gateway), and mean mesh hops
/// between two distinct cloudlets. Exact for full and ring meshes and small grids, approximate otherwise.
fn mean_hops(cfg: &ModelConfig) -> (f64, f64) {
    let n = cfg.cloudlets.count.max(1) as f64;
    let gateways = &cfg.cloudlets.wan_gateways;
    let g = (gateways.len().max(1) as f64).min(n);
    let non_gateway = (n - g) / n;
    match &cfg.cloudlets.mesh {
        Mesh::Full => (non_gateway, 1.0),
        Mesh::Ring if n < 3.0 => (non_gateway, 1.0),
        Mesh::Ring => {
            // Between consecutive gateways a gap of m cloudlets is m hops from both ends: Σ min(i, m + 1 − i) =
            // ⌊(m + 1)² / 4⌋ hops over the gap.
            let c = cfg.cloudlets.count as u64;
            let mut sum = 0.0;
            for (i, &a) in gateways.iter().enumerate() {
                let b = gateways.get(i + 1).map_or(gateways[0] as u64 + c, |&b| b as u64);
                let m = b.saturating_sub(a as u64).saturating_sub(1) as f64;
                sum += ((m + 1.0) * (m + 1.0) / 4.0).floor();
            }
            (sum / n, n * n / (4.0 * (n - 1.0)))
        }
        Mesh::Grid { columns } => {
            let k = (*columns).max(1) as u64;
            let c = cfg.cloudlets.count as u64;
            let rows = c.div_ceil(k) as f64;
            let between = (k as f64 + rows) / 3.0;
            if c.saturating_mul(gateways.len() as u64) <= 4096 {
                let mut sum = 0u64;
                for i in 0..c {
                    let d = |j: u64| (i % k).abs_diff(j % k) + (i / k).abs_diff(j / k);
                    sum += gateways.iter().map(|&j| d(j as u64)).min().unwrap_or(0);
                }
                (sum as f64 / n, between.max(1.0))
            } else {
                // A gateway serves a diamond of about n / g cloudlets, of radius √(n / 2g); the mean L1 distance
                // inside a diamond is two thirds of its radius.
                ((2.0 / 3.0 * (n / (2.0 * g)).sqrt()).max(non_gateway), between.max(1.0))
            }
        }
        Mesh::RandomGeometric { radius_m } => {
            let (w, h) = (cfg.area_width_m, cfg.area_height_m);
            // Nearest of g uniform gateways is about ½ √(area / g) away (Poisson nearest neighbour), two random
            // points about 0.52 √area (square); a shortest path advances about 0.8 radius per hop.
            let progress = 0.8 * radius_m;
            let to_gateway = div(0.5 * (w * h / g).sqrt(), progress) + 0.5;
            let between = div(0.52 * (w * h).sqrt(), progress) + 0.5;
            (mul(non_gateway, to_gateway.max(1.0)), between.max(1.0))
        }
        Mesh::Explicit { edges } => {
            // Without building the graph: a sparse mesh (about a path or a ring) is long, a dense one short.
            let degree = 2.0 * edges.len() as f64 / n;
            let span = if degree <= 2.5 { n / (4.0 * g) } else { (n / g).ln() / (degree - 1.0).ln() };
            (mul(non_gateway, span.max(1.0)), if degree <= 2.5 { n / 4.0 } else { n.ln() / (degree - 1.0).ln() })
        }
    }
}

/// Wake-ups per second of one wearable: every sensor's rate, except that a sensor without jitter whose period is a
/// multiple of another jitter-free sensor's shares that sensor's instants (`model/wearable.rs`).
fn wakeups_per_s(cfg: &ModelConfig) -> f64 {
    let s = &cfg.sensors;
    let rate = |t: SimTime| div(1.0, t.as_secs_f64());
    s.iter()
        .enumerate()
        .filter(|&(i, a)| {
            let zero = a.jitter == SimTime::ZERO;
            let shared = zero
                && s.len() <= 64
                && s.iter().enumerate().any(|(j, b)| {
                    let (pa, pb) = (a.period.as_nanos(), b.period.as_nanos());
                    b.jitter == SimTime::ZERO && j != i && pb > 0 && pa % pb == 0 && (pa != pb || j < i)
                });
            !shared
        })
        .map(|(_, a)| rate(a.period))
        .sum::<f64>()
        .min(f64::MAX)
}

/// Batches formed per second by one buffer receiving `lambda` samples per second, leaving `interval` after the
/// first or when `max` are held: one cycle is the wait for a first sample, then the interval (or the time to fill).
fn batches_per_s(lambda: f64, interval: f64, max: u32) -> f64 {
    if lambda <= 0.0 {
        return 0.0;
    }
    let fill = if max == u32::MAX { interval } else { interval.min(div(f64::from(max.max(1) - 1), lambda)) };
    div(1.0, fill + 1.0 / lambda)
}

/// A configured number as text: plain, or in scientific notation when very large or small (`1e300`, not 301
/// digits).
fn num(x: f64) -> String {
    if x != 0.0 && !(1e-3..1e7).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Human-readable bytes.
fn bytes_text(b: f64) -> String {
    if b >= 1e12 {
        format!("{:.1} TB", b / 1e12)
    } else if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.1} kB", b / 1e3)
    }
}

/// A count as text: plain below a million, otherwise in scientific notation.
fn count_text(x: f64) -> String {
    if x < 1e6 {
        format!("{}", x.round() as u64)
    } else {
        format!("{x:.1e}")
    }
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

fn strings(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

impl Estimate {
    /// What `cfg` will need, computed from the configuration alone.
    pub fn of(cfg: &ModelConfig) -> Estimate {
        let mut b = Builder { sources: Vec::new(), memory: Vec::new() };
        let w = f64::from(cfg.wearables);
        let p = f64::from(cfg.patients());
        let c = f64::from(cfg.cloudlets.count);
        let g = cfg.cloudlets.wan_gateways.len() as f64;
        let core = c + 1.0;
        let duration = cfg.duration.as_secs_f64();
        let end = cfg.duration.saturating_add(cfg.drain).as_secs_f64();
        let s = cfg.sensors.len() as f64;
        let edges = mesh_edges(cfg);
        let (mesh_key_list, mesh_text) = mesh_keys(cfg);
        let mesh_keys: Vec<&str> = mesh_key_list.iter().map(String::as_str).collect();
        let directed_core = add(mul(2.0, edges), mul(2.0, g));
        let links = add(add(w, p), directed_core);
        let routes = mul(core, core);
        let (to_gateway, between) = mean_hops(cfg);
        let ids_nodes = f64::from(cfg.ids.count);
        let over = format!("over {} s", num(duration));

        // ---- Events: the delivery chain. ----
        let sample_rate: f64 = cfg.sensors.iter().map(|x| div(1.0, x.period.as_secs_f64())).sum::<f64>().min(f64::MAX);
        let samples = mul(mul(w, sample_rate), duration);
        let sensor_keys = "sensors.<name>.period_s";
        let chain_text = format!("wearables.count = {}, {} sensor(s), {over}", cfg.wearables, cfg.sensors.len());
        b.events(
            "sample wake-ups of wearables",
            &["wearables.count", "wearables.sensors", sensor_keys, "simulation.duration_s"],
            mul(mul(w, wakeups_per_s(cfg)), duration),
            chain_text.clone(),
        );
        let hop_of = |class: LinkClass| hop(cfg.link(class).loss_prob, cfg.link(class).max_retries);
        let (ban_tries, ban_ok) = hop_of(LinkClass::Ban);
        let (access_tries, access_ok) = hop_of(LinkClass::Access);
        let (mesh_tries, mesh_ok) = hop_of(LinkClass::Mesh);
        let (wan_tries, wan_ok) = hop_of(LinkClass::Wan);
        b.events(
            "BAN hops (transmissions and arrivals)",
            &["wearables.count", "wearables.sensors", sensor_keys, "links.ban.loss_prob"],
            mul(samples, ban_tries + ban_ok),
            chain_text.clone(),
        );
        let at_gateways = mul(samples, ban_ok);
        let crypto_batch =
            cfg.crypto.encrypts() && cfg.crypto.at == CryptoAt::Gateway && cfg.crypto.mode == CryptoMode::Batch;
        let access_packets = if crypto_batch {
            let per_gateway = div(div(at_gateways, p), duration);
            let batches = mul(mul(p, duration), batches_per_s(per_gateway, cfg.crypto.batch.as_secs_f64(), u32::MAX));
            b.events(
                "gateway crypto batches (timers)",
                &["crypto.mode", "crypto.batch_s", "wearables.count"],
                batches,
                format!("crypto.batch_s = {} s at {} gateways", cfg.crypto.batch.as_secs_f64(), cfg.patients()),
            );
            batches
        } else {
            at_gateways
        };
        b.events(
            "access hops",
            &["wearables.count", "wearables.per_patient", "links.access.loss_prob"],
            mul(access_packets, access_tries + access_ok),
            chain_text.clone(),
        );
        let uploads = mul(access_packets, access_ok);
        let at_cloudlets = mul(at_gateways, access_ok);
        if ids_nodes > 0.0 && cfg.benign.inspect_uploads {
            b.events(
                "IDS verdicts on uploads",
                &["benign.inspect_uploads", "ids.count", "wearables.count"],
                uploads,
                format!("benign.inspect_uploads = true, {} uploads", count_text(uploads)),
            );
        }
        let core_packets = match &cfg.cloudlets.batch {
            Some(batch) => {
                // Patients spread over the cloudlets: the expected number of cloudlets with at least one.
                let occupied = (c * (1.0 - (1.0 - 1.0 / c).powf(p))).clamp(1.0_f64.min(c), c);
                let lambda = div(div(at_cloudlets, occupied), duration);
                let batches = mul(
                    mul(occupied, duration),
                    batches_per_s(lambda, batch.interval.as_secs_f64(), batch.max_samples),
                );
                b.events(
                    "cloudlet batches (timers)",
                    &["cloudlets.batch_interval_s", "cloudlets.batch_max_samples", "cloudlets.count"],
                    batches,
                    format!(
                        "cloudlets.batch_interval_s = {} s at {} cloudlets",
                        batch.interval.as_secs_f64(),
                        cfg.cloudlets.count
                    ),
                );
                batches
            }
            None => uploads,
        };
        let mut chain_keys = mesh_keys.clone();
        chain_keys.extend(["cloudlets.wan_gateways", "links.mesh.loss_prob"]);
        b.events(
            "mesh hops",
            &chain_keys,
            mul(mul(core_packets, to_gateway), mesh_tries + mesh_ok),
            format!("{mesh_text}: {to_gateway:.2} mesh hops to a WAN gateway on average"),
        );
        b.events(
            "WAN hops",
            &["cloudlets.wan_gateways", "links.wan.loss_prob"],
            mul(mul(core_packets, mesh_ok.powf(to_gateway)), wan_tries + wan_ok),
            chain_text.clone(),
        );

        // ---- Events: attacks, the IDS and benign accesses. ----
        for a in &cfg.attacks {
            if a.rate_per_s <= 0.0 {
                continue;
            }
            let name = a.kind.name();
            let rate_key = format!("attacks.{name}.rate_per_s");
            let campaigns = mul(a.rate_per_s, duration);
            // Later attacks of a campaign only happen before the end of generation.
            let more = f64::from(a.campaign_size.saturating_sub(1));
            let span = mul(more, a.campaign_gap.as_secs_f64());
            let fits = if span <= duration { 1.0 - div(span, 2.0 * duration) } else { div(duration, 2.0 * span) };
            let later = mul(campaigns, mul(more, fits));
            let sources = if a.kind == AttackKind::Distributed { f64::from(a.sources) } else { 1.0 };
            let items = mul(add(campaigns, later), sources);
            let mut events = add(add(campaigns, later), items); // starts, later attacks, verdicts
            if !matches!(a.kind, AttackKind::DosFlood | AttackKind::Probe) {
                events = add(events, items); // the record read or modification reaches its target
            }
            if cfg.ids.signature_sharing && ids_nodes > 0.0 {
                let d = match &cfg.ids.detector {
                    Detector::Bernoulli { detection, .. } => detection[a.kind.index()],
                    Detector::Score { .. } => 1.0,
                };
                let item_alarm = match cfg.ids.fusion {
                    Fusion::Any => 1.0 - (1.0 - d).powf(ids_nodes),
                    _ => d,
                };
                let per_campaign = div(items, campaigns);
                events = add(events, mul(mul(campaigns, ids_nodes), mul(per_campaign, item_alarm).min(1.0)));
            }
            let detail = format!("{rate_key} = {} {over}", num(a.rate_per_s));
            let keys = [rate_key.as_str(), "simulation.duration_s"];
            b.events(&format!("{name} attacks (campaigns, attacks, verdicts, impacts)"), &keys, events, detail.clone());
            if a.kind == AttackKind::DosFlood {
                let differs = match a.target {
                    Target::RemoteCloud | Target::Cloudlet(None) => 1.0,
                    Target::Cloudlet(Some(t)) => match &a.entry {
                        Entry::Random => 1.0 - div(1.0, c),
                        Entry::Explicit(e) => f64::from(u8::from(*e != t)),
                        Entry::Weighted(ws) => {
                            let total: f64 = ws.iter().sum();
                            1.0 - div(ws.get(t as usize).copied().unwrap_or(0.0), total)
                        }
                    },
                };
                let hops = match a.target {
                    Target::RemoteCloud => (to_gateway, 1.0),
                    Target::Cloudlet(_) => (between, 0.0),
                };
                let packets = mul(mul(items, differs), f64::from(a.flood_packets));
                let per_packet = add(add(1.0, mul(hops.0, mesh_tries + mesh_ok)), mul(hops.1, wan_tries + wan_ok));
                b.events(
                    "flood packets (sends and hops)",
                    &[rate_key.as_str(), "attacks.dos_flood.flood_packets", "simulation.duration_s"],
                    mul(packets, per_packet),
                    format!("{detail}, attacks.dos_flood.flood_packets = {}", a.flood_packets),
                );
            }
        }
        let doctor = mul(cfg.benign.doctor_access_per_s, duration);
        b.events(
            "doctor accesses (and their verdicts)",
            &["benign.doctor_access_per_s", "simulation.duration_s"],
            mul(doctor, if ids_nodes > 0.0 { 2.0 } else { 1.0 }),
            format!("benign.doctor_access_per_s = {} {over}", num(cfg.benign.doctor_access_per_s)),
        );

        // ---- Events: trust, records, care. ----
        if cfg.trust.enabled {
            b.events(
                "share requests",
                &["trust.request_rate_per_s", "wearables.count", "wearables.per_patient"],
                mul(mul(p, cfg.trust.request_rate_per_s), duration),
                format!(
                    "trust.request_rate_per_s = {} for {} patients {over}",
                    num(cfg.trust.request_rate_per_s),
                    cfg.patients()
                ),
            );
        }
        if let (true, Some(interval)) = (cfg.records.enabled, cfg.records.audit_interval) {
            b.events(
                "record audits",
                &["records.audit_interval_s", "simulation.duration_s"],
                div(end, interval.as_secs_f64()).floor(),
                format!("records.audit_interval_s = {} s", interval.as_secs_f64()),
            );
        }
        if cfg.care.enabled {
            let requests = mul(mul(p, cfg.care.appointment_rate_per_s), duration);
            b.events(
                "appointment steps",
                &["care.appointment_rate_per_s", "wearables.count", "wearables.per_patient"],
                mul(requests, appointment_steps(cfg, duration, end)),
                format!(
                    "care.appointment_rate_per_s = {} for {} patients {over}",
                    num(cfg.care.appointment_rate_per_s),
                    cfg.patients()
                ),
            );
        }

        // ---- Memory. ----
        let rng = size_of::<EntityRng>() as f64;
        let session = cfg.crypto.mode == CryptoMode::Session;
        let per_wearable = size_of::<Wearable>() as f64
            + s * size_of::<SimTime>() as f64
            + size_of::<EdgeLink>() as f64
            + crate::chain::metrics::EDGE_COUNTERS_BYTES as f64
            + crate::energy::ledger::SPENT_BYTES[0] as f64
            + QUEUE_ENTRY_BYTES // its pending sample
            + if session && cfg.crypto.at == CryptoAt::Wearable { 8.0 } else { 0.0 };
        b.bytes(
            "wearables",
            strings(&["wearables.count", "wearables.sensors"]),
            mul(w, per_wearable),
            format!("wearables.count = {}: {per_wearable:.0} bytes each", cfg.wearables),
        );
        let mut per_patient = 4.0 + 16.0 // topology: cloudlet and position
            + 4.0 + 8.0 + size_of::<EdgeLink>() as f64 // links: cloudlet, access energy, access link
            + crate::chain::metrics::EDGE_COUNTERS_BYTES as f64
            + crate::energy::ledger::SPENT_BYTES[1] as f64;
        if crypto_batch {
            per_patient += size_of::<BatchBuffer>() as f64;
        }
        if session && cfg.crypto.at == CryptoAt::Gateway {
            per_patient += 8.0;
        }
        if cfg.trust.enabled {
            // Profile, malicious flag, reputation, stream, cloudlet, peer slot and place in its cloudlet's list, and
            // the pending request.
            per_patient +=
                (8 + 1 + size_of::<BetaReputation>() + size_of::<EntityRng>() + 4 + 4 + 4) as f64 + QUEUE_ENTRY_BYTES;
        }
        if cfg.care.enabled {
            per_patient += rng + 4.0 + QUEUE_ENTRY_BYTES;
        }
        b.bytes(
            "patients (BAN gateways)",
            strings(&["wearables.count", "wearables.per_patient"]),
            mul(p, per_patient),
            format!("{} patients: {per_patient:.0} bytes each", cfg.patients()),
        );
        if cfg.records.enabled {
            // Records, plus while they are built: the drafts and the k-anonymity class counts.
            let per_record = RECORD_FIXED_BYTES + RECORD_TEXT_BYTES + 2.0 * hash_entry_bytes(12);
            b.bytes(
                "medical records",
                strings(&["records.enabled", "wearables.count", "wearables.per_patient"]),
                mul(p, per_record),
                format!("{} records of about {per_record:.0} bytes", cfg.patients()),
            );
        }
        let per_cloudlet = size_of::<petgraph::graph::Node<Node, u32>>() as f64
            + 48.0 // counters
            + crate::energy::ledger::SPENT_BYTES[1] as f64
            + size_of::<BatchBuffer>() as f64
            + 4.0 + 4.0 + 16.0 // uplink, IDS slot, position
            + 2.0 * size_of::<Vec<u32>>() as f64 // trust peers, care's free doctors
            + 32.0 // care's waiting queue
            + 64.0; // IDS placement graph and centrality while placing
        b.bytes(
            "cloudlets",
            strings(&["cloudlets.count"]),
            mul(core, per_cloudlet),
            format!("cloudlets.count = {}", cfg.cloudlets.count),
        );
        // Each directed core link: a graph edge and its state; each undirected mesh edge: its place in the edge list
        // and in the graphs built to check connectivity and place the IDS.
        let per_link = (size_of::<petgraph::graph::Edge<Link, u32>>() + size_of::<CoreLink>()) as f64;
        let per_edge = 8.0 + 2.0 * size_of::<petgraph::graph::Edge<(), u32>>() as f64;
        b.bytes(
            "mesh and WAN links",
            mesh_key_list.iter().cloned().chain(["cloudlets.wan_gateways".to_string()]).collect(),
            add(mul(directed_core, per_link), mul(edges, per_edge)),
            format!("{mesh_text}: {} mesh links", count_text(edges)),
        );
        // The all-pairs table (next link, u32, and latency, u64, per pair), kept by the topology and copied by the IDS.
        b.bytes(
            "routes between cloudlets",
            strings(&["cloudlets.count"]),
            mul(routes, 2.0 * 12.0),
            format!("cloudlets.count = {}: {} route entries", cfg.cloudlets.count, count_text(routes)),
        );
        if cfg.care.enabled {
            let doctors = mul(c, f64::from(cfg.care.doctors_per_cloudlet));
            b.bytes(
                "doctors",
                strings(&["care.doctors_per_cloudlet", "cloudlets.count"]),
                mul(doctors, rng + 4.0),
                format!(
                    "care.doctors_per_cloudlet = {} × cloudlets.count = {}: {} doctors",
                    cfg.care.doctors_per_cloudlet,
                    cfg.cloudlets.count,
                    count_text(doctors)
                ),
            );
            let requests = mul(mul(p, cfg.care.appointment_rate_per_s), duration);
            let open = requests.min(mul(p, 1.0)).max(0.0);
            b.bytes(
                "appointments in progress",
                strings(&["care.appointment_rate_per_s"]),
                mul(open, crate::care::state::APPOINTMENT_BYTES as f64 + 8.0 + QUEUE_ENTRY_BYTES),
                format!("care.appointment_rate_per_s = {}", cfg.care.appointment_rate_per_s),
            );
        }
        if cfg.trust.enabled {
            // One bin per interval, kept during the run and copied for the output.
            let bins = div(duration, cfg.trust.interval.as_secs_f64()).ceil();
            b.bytes(
                "trust time series",
                strings(&["trust.interval_s", "simulation.duration_s"]),
                mul(bins, 2.0 * size_of::<TrustBin>() as f64),
                format!("trust.interval_s = {} s {over}: {} bins", cfg.trust.interval.as_secs_f64(), count_text(bins)),
            );
        }
        // Packets in flight: samples wait in cloudlet batches for up to one interval (gateway batches likewise) and
        // take the path's latencies and transmissions; each also has a pending event. The slab keeps its peak.
        let in_flight_s = cfg.cloudlets.batch.as_ref().map_or(0.0, |b| b.interval.as_secs_f64())
            + if crypto_batch { cfg.crypto.batch.as_secs_f64() } else { 0.0 }
            + LinkClass::ALL.iter().map(|&k| cfg.link(k).latency.as_secs_f64()).sum::<f64>()
            + 0.01;
        let in_flight = mul(mul(w, sample_rate), in_flight_s).min(mul(samples, 1.0));
        b.bytes(
            "packets in flight",
            strings(&["wearables.count", "wearables.sensors", "sensors.<name>.period_s", "cloudlets.batch_interval_s"]),
            mul(in_flight, mul(VEC_SLACK, PACKET_BYTES + QUEUE_ENTRY_BYTES)),
            format!("about {} samples in flight", count_text(in_flight)),
        );
        // Attack state that grows over the run: blocked sources (each campaign is a new source) and shared
        // signatures (per IDS node and campaign).
        let campaigns: f64 = cfg.attacks.iter().map(|a| mul(a.rate_per_s, duration)).sum::<f64>().min(f64::MAX);
        let sources: f64 = cfg
            .attacks
            .iter()
            .map(|a| {
                mul(
                    mul(a.rate_per_s, duration),
                    if a.kind == AttackKind::Distributed { f64::from(a.sources) } else { 1.0 },
                )
            })
            .sum::<f64>()
            .min(f64::MAX);
        let mut attack_bytes = 0.0;
        if cfg.ids.block > SimTime::ZERO {
            attack_bytes = add(attack_bytes, mul(add(sources, p), hash_entry_bytes(16)));
        }
        if cfg.ids.signature_sharing {
            attack_bytes = add(attack_bytes, mul(mul(campaigns, ids_nodes), hash_entry_bytes(4)));
        }
        // Live campaigns, floods and items: those started within one campaign span, flood and verdict delay.
        let live = cfg
            .attacks
            .iter()
            .map(|a| {
                let span = mul(f64::from(a.campaign_size), a.campaign_gap.as_secs_f64())
                    + mul(f64::from(a.flood_packets), a.flood_interval.as_secs_f64())
                    + cfg.ids.processing.as_secs_f64()
                    + 0.01;
                mul(
                    mul(a.rate_per_s, span.min(duration.max(1e-9))),
                    if a.kind == AttackKind::Distributed { f64::from(a.sources) } else { 1.0 },
                )
            })
            .sum::<f64>()
            .min(f64::MAX);
        let [campaign_b, flood_b, item_b] = crate::ids::state::STATE_BYTES;
        attack_bytes = add(
            attack_bytes,
            mul(live, (campaign_b + flood_b + item_b + 24) as f64 + QUEUE_ENTRY_BYTES + PACKET_BYTES),
        );
        let attack_keys: Vec<String> = cfg
            .attacks
            .iter()
            .filter(|a| a.rate_per_s > 0.0)
            .map(|a| format!("attacks.{}.rate_per_s", a.kind.name()))
            .collect();
        b.bytes(
            "attack and IDS state",
            attack_keys.clone(),
            attack_bytes,
            format!("{} attack campaigns {over}", count_text(campaigns)),
        );
        b.bytes("fixed (histograms, buffers)", Vec::new(), FIXED_BYTES, "whatever the scenario".into());

        // ---- Setup work: route searches and placement, before the first event. ----
        let log_core = core.max(2.0).log2();
        // All-pairs routes: one Dijkstra per core node over the whole core graph, and one toward the cloud.
        let route_steps = mul(add(core, 1.0), mul(add(core, directed_core), log_core.max(ROUTE_STEP_FLOOR)));
        // Betweenness centrality for IDS placement (Brandes): one search per cloudlet.
        let centrality = match cfg.ids.placement {
            crate::ids::Placement::Betweenness => mul(c, add(c, mul(2.0, edges))),
            _ => c,
        };
        // A random geometric mesh tests every pair of cloudlets; nearest attachment every (patient, cloudlet) pair.
        let pairs = if matches!(cfg.cloudlets.mesh, Mesh::RandomGeometric { .. }) { c * c / 2.0 } else { 0.0 };
        let nearest = if matches!(cfg.attach, Attach::Nearest) { mul(p, c) } else { p };
        let setup_steps = add(add(add(route_steps, centrality), pairs), add(nearest, add(w, p)));
        let mut setup_keys = mesh_key_list.clone();
        if matches!(cfg.attach, Attach::Nearest) && nearest > route_steps {
            setup_keys.extend(["wearables.count".to_string(), "patients.attach".to_string()]);
        }
        let setup_text = format!("{mesh_text}: {} route entries, {} mesh links", count_text(routes), count_text(edges));

        b.sources.sort_by(|a, b| b.events.total_cmp(&a.events));
        b.memory.sort_by(|a, b| b.bytes.total_cmp(&a.bytes));
        let events = b.sources.iter().map(|s| s.events).sum::<f64>().min(f64::MAX);
        let memory_bytes = b.memory.iter().map(|m| m.bytes).sum::<f64>().min(f64::MAX);
        Estimate {
            nodes: to_u64(add(add(w, p), core)),
            links: to_u64(links),
            mesh_edges: to_u64(edges),
            routes: to_u64(routes),
            memory_bytes: to_u64(memory_bytes),
            events,
            sources: b.sources,
            memory: b.memory,
            setup_steps,
            setup_detail: (setup_keys, setup_text),
        }
    }

    /// Multi-line text for `validate`: nodes, links, routes, memory, events with the largest sources.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "estimate: {} nodes, {} links ({} mesh edges), {} route entries",
            count_text(self.nodes as f64),
            count_text(self.links as f64),
            count_text(self.mesh_edges as f64),
            count_text(self.routes as f64)
        );
        let _ = write!(out, "  memory: about {}", bytes_text(self.memory_bytes as f64));
        if let Some(m) = self.memory.first() {
            let _ = write!(out, " (largest: {}, {})", m.what, bytes_text(m.bytes));
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "  events: about {}", count_text(self.events));
        for s in self.sources.iter().take(5) {
            let share = if self.events > 0.0 { 100.0 * s.events / self.events } else { 0.0 };
            let _ = writeln!(out, "    {:>9}  {share:>5.1}%  {} ({})", count_text(s.events), s.what, s.keys.join(", "));
        }
        if self.setup_steps >= 1e8 {
            let _ = writeln!(
                out,
                "  setup: about {} steps before the first event ({})",
                count_text(self.setup_steps),
                self.setup_detail.1
            );
        }
        out
    }
}

/// Expected events of one appointment that happen before the end of the run: the request, then each step whose
/// mean time after the request (the sum of the latencies before it) falls before the end, for a request uniform over
/// the duration; steps on the denial paths weighted by their probabilities.
fn appointment_steps(cfg: &ModelConfig, duration: f64, end: f64) -> f64 {
    let st = &cfg.care.steps;
    let s = |t: SimTime| t.as_secs_f64();
    let within = |at: f64| if duration > 0.0 { ((end - at) / duration).clamp(0.0, 1.0) } else { 0.0 };
    let q_u = cfg.care.unverified_doctor_prob;
    let owner = cfg.care.access == AccessRule::Owner;
    let q_o = if owner { cfg.care.owner_deny_prob } else { 0.0 };
    // The request, at the cloudlet, assigned, at the KDC.
    let mut t = s(st.request);
    let mut events = 1.0 + within(t);
    t += s(st.assign);
    events += within(t);
    t += s(st.key_request);
    events += within(t);
    // Unverified: denied after the KDC's check.
    events += q_u * within(t + s(st.kdc_check));
    let verified = 1.0 - q_u;
    if owner {
        t += s(st.owner_approval);
        events += verified * within(t);
        events += verified * q_o * within(t + s(st.kdc_check));
    }
    let granted = verified * (1.0 - q_o);
    for step in [st.kdc_check, st.record_fetch, st.consult, st.prescription, st.ack] {
        t += s(step);
        events += granted * within(t);
    }
    events
}

/// What this machine allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Most events a run may be expected to take (0: no limit).
    pub max_events: u64,
    /// Most bytes a run may be expected to use.
    pub memory_bytes: u64,
}

impl Budget {
    /// `max_events` and [`MEMORY_SAFETY_FRACTION`] of the memory available now (`MemAvailable` in /proc/meminfo,
    /// or [`FALLBACK_MEMORY_BYTES`] where that cannot be read).
    pub fn for_this_machine(max_events: u64) -> Budget {
        let available = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|text| mem_available(&text))
            .unwrap_or(FALLBACK_MEMORY_BYTES);
        Budget { max_events, memory_bytes: (available as f64 * MEMORY_SAFETY_FRACTION) as u64 }
    }
}

/// `MemAvailable` from the text of /proc/meminfo, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// A scenario that does not fit the budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverBudget {
    /// The keys to change.
    pub keys: Vec<String>,
    /// One message: the estimate, the keys and values behind it, the budget and what to do.
    pub message: String,
}

impl std::fmt::Display for OverBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OverBudget {}

/// Whether `est` fits `budget`: memory first (nothing can run without it), then events, then setup steps (counted
/// against the same budget as events: a step of a route search costs about what an event does).
pub fn check(est: &Estimate, budget: &Budget) -> Result<(), OverBudget> {
    if est.memory_bytes > budget.memory_bytes {
        let top = est.memory.first();
        let detail = top.map_or(String::new(), |m| format!(" ({}: {}, {})", m.what, m.detail, bytes_text(m.bytes)));
        return Err(OverBudget {
            keys: top.map_or_else(Vec::new, |m| m.keys.clone()),
            message: format!(
                "the scenario needs about {} of memory{detail}, more than the {} this machine has available \
                 ({:.0}% of MemAvailable); allowed: a scenario that fits, e.g. {}",
                bytes_text(est.memory_bytes as f64),
                bytes_text(budget.memory_bytes as f64),
                MEMORY_SAFETY_FRACTION * 100.0,
                top.map_or("fewer wearables or cloudlets".to_string(), |m| remedy(&m.keys)),
            ),
        });
    }
    if budget.max_events == 0 {
        return Ok(());
    }
    let limit = budget.max_events as f64;
    let lift = "pass --max-events 0 to lift the limit or a larger value";
    if est.events > limit {
        let top = est.sources.first();
        let detail = top.map_or(String::new(), |s| format!(" (mostly {}: {})", s.what, s.detail));
        // Every source's events grow with the run's length, so the duration is one of the keys to blame (and
        // the one a `--set simulation.duration_s=...` override points the message at).
        let mut keys = top.map_or_else(Vec::new, |s| s.keys.clone());
        for k in ["simulation.duration_s", "simulation.drain_s"] {
            if !keys.iter().any(|x| x == k) {
                keys.push(k.to_string());
            }
        }
        return Err(OverBudget {
            keys,
            message: format!(
                "about {} events expected{detail}, more than --max-events {}; {lift}, or lower the rate, the count \
                 or simulation.duration_s",
                count_text(est.events),
                budget.max_events
            ),
        });
    }
    if est.setup_steps > limit {
        return Err(OverBudget {
            keys: est.setup_detail.0.clone(),
            message: format!(
                "building the network takes about {} steps ({}), more than --max-events {}; {lift}, or use fewer \
                 cloudlets or a sparser mesh",
                count_text(est.setup_steps),
                est.setup_detail.1,
                budget.max_events
            ),
        });
    }
    Ok(())
}

/// What to change, for the keys of a memory consumer.
fn remedy(keys: &[String]) -> String {
    if keys.iter().any(|k| k == "cloudlets.mesh") {
        "fewer cloudlets or another mesh".into()
    } else if keys.iter().any(|k| k == "cloudlets.count") {
        "fewer cloudlets".into()
    } else if keys.iter().any(|k| k == "trust.interval_s") {
        "a longer trust.interval_s or a shorter simulation.duration_s".into()
    } else if keys.iter().any(|k| k == "wearables.count") {
        "fewer wearables".into()
    } else {
        format!("smaller values of {}", keys.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;
    use crate::chain::topology::Topology;
    use crate::chain::BatchSpec;
    use crate::kernel::StreamFactory;

    fn config(text: &str, sets: &[&str]) -> ModelConfig {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        crate::scenario::load_str(text, Path::new("t.toml"), &sets).expect("valid scenario").config
    }

    const BASE: &str = "name = \"t\"\n";

    #[test]
    fn full_mesh_has_c_choose_2_edges_and_routes_are_core_squared() {
        let cfg = config(BASE, &["cloudlets.count=1000000", "cloudlets.mesh=full", "cloudlets.wan_gateways=[0]"]);
        let e = Estimate::of(&cfg);
        assert_eq!(e.mesh_edges, 1_000_000 * 999_999 / 2);
        assert_eq!(e.routes, 1_000_001 * 1_000_001);
        assert_eq!(e.links, 100 + 100 + 2 * (1_000_000 * 999_999 / 2) + 2);
        assert_eq!(e.nodes, 100 + 100 + 1_000_000 + 1);
        // 5e11 edges: hundreds of GB, far beyond any machine's budget, and the message names the keys.
        assert!(e.memory_bytes > 10_000_000_000_000, "{}", e.memory_bytes);
        let err = check(&e, &Budget { max_events: DEFAULT_MAX_EVENTS, memory_bytes: 16 << 30 }).unwrap_err();
        assert!(err.keys.contains(&"cloudlets.mesh".to_string()), "{err:?}");
        assert!(err.message.contains("cloudlets.count = 1000000 with cloudlets.mesh = \"full\""), "{}", err.message);
        assert!(err.message.contains("fewer cloudlets or another mesh"), "{}", err.message);
    }

    /// Links, nodes and mesh edges agree with the built topology for every deterministic mesh kind.
    #[test]
    fn structure_matches_the_topology() {
        let cases: &[&[&str]] = &[
            &["cloudlets.count=7", "cloudlets.mesh=full"],
            &["cloudlets.count=1", "cloudlets.mesh=ring"],
            &["cloudlets.count=2", "cloudlets.mesh=ring"],
            &["cloudlets.count=9", "cloudlets.mesh=ring", "cloudlets.wan_gateways=[0, 3]"],
            &["cloudlets.count=10", "cloudlets.mesh=grid"],
            &["cloudlets.count=11", "cloudlets.mesh=grid", "cloudlets.grid_columns=4"],
            &["cloudlets.count=5", "cloudlets.mesh=grid", "cloudlets.grid_columns=1"],
            &["cloudlets.count=4", "cloudlets.mesh=explicit", "cloudlets.edges=[[0, 1], [1, 2], [2, 3]]"],
        ];
        for sets in cases {
            let mut all = vec!["wearables.count=13", "wearables.per_patient=3"];
            all.extend_from_slice(sets);
            if !sets.iter().any(|s| s.starts_with("cloudlets.wan_gateways")) {
                all.push("cloudlets.wan_gateways=[0]");
            }
            let cfg = config(BASE, &all);
            let topo = Topology::build(&cfg, &StreamFactory::new(cfg.seed, 0)).expect("connected");
            let e = Estimate::of(&cfg);
            assert_eq!(e.links, topo.link_count() as u64, "{sets:?}");
            assert_eq!(e.nodes, topo.node_count() as u64, "{sets:?}");
            assert_eq!(e.routes, topo.core.next.len() as u64, "{sets:?}");
            // Mean hops to a WAN gateway, exact for these meshes.
            let first_core = topo.core_node(0);
            let hops: usize = (0..cfg.cloudlets.count).map(|i| topo.route_to_cloud(first_core + i).len() - 2).sum();
            let (to_gateway, _) = mean_hops(&cfg);
            if !matches!(cfg.cloudlets.mesh, Mesh::Explicit { .. }) {
                let exact = hops as f64 / f64::from(cfg.cloudlets.count);
                assert!((to_gateway - exact).abs() < 1e-9, "{sets:?}: {to_gateway} vs {exact}");
            }
        }
    }

    #[test]
    fn hop_attempts_follow_the_geometric_series() {
        assert_eq!(hop(0.0, 3), (1.0, 1.0));
        // p = 0.5, 2 retries: attempts 1 + 0.5 + 0.25, success 1 − 0.125.
        let (a, s) = hop(0.5, 2);
        assert!((a - 1.75).abs() < 1e-12 && (s - 0.875).abs() < 1e-12);
    }

    #[test]
    fn random_pairs_within_a_radius() {
        // Unit square, small r: π r² − 8/3 r³ + r⁴/2 (the exact series for r ≤ 1).
        let r: f64 = 0.1;
        let exact = std::f64::consts::PI * r * r - 8.0 / 3.0 * r.powi(3) + r.powi(4) / 2.0;
        assert!((pair_within(1.0, 1.0, r) - exact).abs() < 1e-3 * exact, "{}", pair_within(1.0, 1.0, r));
        assert_eq!(pair_within(1.0, 1.0, 2.0), 1.0);
    }

    /// One wearable with one sensor every second for 10 s, one cloudlet with the WAN: per sample a wake-up and
    /// two events (transmission done, arrival) on each of the BAN, access and WAN hops: 10 × 7 = 70, exactly what
    /// the run processes.
    #[test]
    fn tiny_scenario_by_hand() {
        let text = "name = \"tiny\"\n[simulation]\nduration_s = 10.0\ndrain_s = 1.0\n[wearables]\ncount = 1\n\
                    sensors = [\"heart_rate\"]\n[sensors.heart_rate]\nperiod_s = 1.0\njitter_s = 0.0\nsample_bytes = 8\n[cloudlets]\ncount = 1\nmesh = \"ring\"\nwan_gateways = [0]\n\
                    [benign]\ninspect_uploads = false\n[ids]\ncount = 0\n";
        let lossless = ["links.ban.loss_prob=0", "links.access.loss_prob=0", "links.wan.loss_prob=0"];
        let cfg = config(text, &lossless);
        let e = Estimate::of(&cfg);
        assert!((e.events - 70.0).abs() < 1e-9, "{e:#?}");
        let run = crate::run::run(&cfg, &Default::default(), |_| {}).expect("runs");
        assert_eq!(run.events_processed, 70);
        // With uploads inspected by one IDS node: one verdict more per sample.
        let cfg = config(text, &[&lossless[..], &["ids.count=1", "benign.inspect_uploads=true"]].concat());
        let e = Estimate::of(&cfg);
        assert!((e.events - 80.0).abs() < 1e-9, "{}", e.events);
        let run = crate::run::run(&cfg, &Default::default(), |_| {}).expect("runs");
        assert_eq!(run.events_processed, 80);
    }

    #[test]
    fn runaway_rate_is_refused_with_its_key() {
        let cfg = config(BASE, &["attacks.dos_flood.rate_per_s=1e9", "simulation.duration_s=60"]);
        let e = Estimate::of(&cfg);
        let err = check(&e, &Budget { max_events: DEFAULT_MAX_EVENTS, memory_bytes: u64::MAX }).unwrap_err();
        assert!(err.keys.contains(&"attacks.dos_flood.rate_per_s".to_string()), "{err:?}");
        assert!(err.message.contains("attacks.dos_flood.rate_per_s = 1e9 over 60 s"), "{}", err.message);
        assert!(err.message.contains("--max-events 0"), "{}", err.message);
        assert!(check(&e, &Budget { max_events: 0, memory_bytes: u64::MAX }).is_ok());
    }

    #[test]
    fn meminfo_is_parsed() {
        let text = "MemTotal:       32000000 kB\nMemFree:  1 kB\nMemAvailable:   20000000 kB\n";
        assert_eq!(mem_available(text), Some(20_000_000 * 1024));
        assert_eq!(mem_available("nothing"), None);
        assert!(Budget::for_this_machine(5).memory_bytes > 0);
    }

    #[test]
    fn render_names_the_largest_sources() {
        let text = Estimate::of(&config(BASE, &[])).render();
        assert!(text.contains("nodes") && text.contains("memory: about") && text.contains("events: about"), "{text}");
        assert!(text.contains("wearables.count"), "{text}");
    }

    fn extreme_f64() -> impl Strategy<Value = f64> {
        prop_oneof![Just(0.0), Just(1e-300), Just(1.0), Just(1e9), Just(1e300), Just(f64::MAX), 0.0..1e12f64]
    }

    fn extreme_u32() -> impl Strategy<Value = u32> {
        prop_oneof![Just(1u32), Just(2), Just(u32::MAX - 1), Just(u32::MAX), 1..100_000u32]
    }

    fn extreme_time() -> impl Strategy<Value = SimTime> {
        prop_oneof![
            Just(SimTime::from_nanos(1)),
            Just(SimTime::MAX),
            Just(SimTime::from_secs(1)),
            (1..u64::MAX).prop_map(SimTime::from_nanos)
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Whatever the (even beyond validated) counts, rates and times: no panic, no NaN, no negative or infinite
        /// estimate, and well under a millisecond.
        #[test]
        fn extreme_configs_are_estimated_quickly(
            counts in proptest::collection::vec(extreme_u32(), 6),
            rates in proptest::collection::vec(extreme_f64(), 6),
            times in proptest::collection::vec(extreme_time(), 6),
            mesh in 0..5u8,
            flags in proptest::collection::vec(any::<bool>(), 6),
            loss in 0.0..1.0f64,
        ) {
            let mut cfg = config(BASE, &[]);
            cfg.wearables = counts[0];
            cfg.wearables_per_patient = counts[1].min(counts[0]).max(1);
            cfg.cloudlets.count = counts[2];
            cfg.cloudlets.mesh = match mesh {
                0 => Mesh::Full,
                1 => Mesh::Ring,
                2 => Mesh::Grid { columns: counts[3] },
                3 => Mesh::RandomGeometric { radius_m: rates[5] },
                _ => Mesh::Explicit { edges: vec![(0, 1)] },
            };
            cfg.duration = times[0];
            cfg.drain = times[1];
            cfg.sensors[0].period = times[2];
            cfg.sensors[0].jitter = SimTime::ZERO;
            cfg.cloudlets.batch = flags[0].then(|| BatchSpec { interval: times[3], max_samples: counts[4], header_bytes: 0 });
            cfg.links[0].loss_prob = loss;
            cfg.links[0].max_retries = 255;
            for a in &mut cfg.attacks {
                a.rate_per_s = rates[0];
                a.campaign_size = counts[4];
                a.sources = counts[5];
                a.flood_packets = counts[3];
                a.campaign_gap = times[4];
            }
            cfg.ids.count = counts[3];
            cfg.ids.signature_sharing = flags[1];
            cfg.ids.block = times[5];
            cfg.benign.doctor_access_per_s = rates[1];
            cfg.trust.enabled = flags[2];
            cfg.trust.request_rate_per_s = rates[2];
            cfg.trust.interval = times[3];
            cfg.records.enabled = flags[3];
            cfg.records.audit_interval = Some(times[4]);
            cfg.care.enabled = flags[4];
            cfg.care.appointment_rate_per_s = rates[3];
            cfg.care.doctors_per_cloudlet = counts[5];
            cfg.crypto.mode = if flags[5] { CryptoMode::Batch } else { CryptoMode::Session };
            cfg.crypto.batch = times[5];
            let start = std::time::Instant::now();
            let e = Estimate::of(&cfg);
            let took = start.elapsed();
            prop_assert!(took < std::time::Duration::from_millis(20), "took {took:?}");
            prop_assert!(e.events.is_finite() && e.events >= 0.0, "{}", e.events);
            prop_assert!(e.setup_steps.is_finite() && e.setup_steps >= 0.0, "{}", e.setup_steps);
            for s in &e.sources {
                prop_assert!(s.events.is_finite() && s.events > 0.0, "{s:?}");
            }
            for m in &e.memory {
                prop_assert!(m.bytes.is_finite() && m.bytes > 0.0, "{m:?}");
            }
            let _ = check(&e, &Budget { max_events: DEFAULT_MAX_EVENTS, memory_bytes: 1 << 30 });
            let _ = e.render();
        }
    }
}
