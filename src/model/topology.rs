//! The network: wearables, BAN gateways, cloudlets and the remote cloud on a petgraph directed graph.
//!
//! Node ids are laid out by kind — wearables `0..W`, BAN gateways `W..W+P`, cloudlets, then the remote cloud — and
//! edge ids likewise: wearable `w`'s uplink is edge `w`, gateway `p`'s is edge `W + p`, then the mesh links (both
//! directions) and the WAN links (both directions). Routes toward the remote cloud are shortest paths computed once,
//! by Dijkstra from the cloud over the reversed graph, and stored as one next-hop link per node.

use std::f64::consts::TAU;

use petgraph::algo::{connected_components, dijkstra, min_spanning_tree};
use petgraph::data::Element;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex, UnGraph};
use petgraph::visit::{EdgeRef, Reversed};
use rand::Rng;

use crate::kernel::{SimTime, StreamFactory};
use crate::scenario::{Attach, LinkClass, Mesh, ModelConfig};

use super::streams;

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    /// A wearable sensor.
    Wearable,
    /// A patient's BAN gateway (hub or phone).
    BanGateway,
    /// A cloudlet.
    Cloudlet,
    /// The hospital's remote cloud.
    RemoteCloud,
}

impl NodeKind {
    /// Name used in outputs.
    pub const fn name(self) -> &'static str {
        match self {
            NodeKind::Wearable => "wearable",
            NodeKind::BanGateway => "ban_gateway",
            NodeKind::Cloudlet => "cloudlet",
            NodeKind::RemoteCloud => "remote_cloud",
        }
    }
}

/// A node: its kind, its index within the kind, and its position in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Node {
    /// Kind.
    pub kind: NodeKind,
    /// Index among nodes of the same kind.
    pub index: u32,
    /// Position, x in metres.
    pub x_m: f64,
    /// Position, y in metres.
    pub y_m: f64,
}

/// A directed link.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// Class (selects the parameters).
    pub class: LinkClass,
    /// Distance in metres (fixed by the class, or geometric).
    pub distance_m: f64,
}

/// A topology that cannot be built from a valid-looking configuration.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct TopologyError {
    /// The scenario key to change.
    pub key: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// The built network with its routes.
#[derive(Debug, Clone)]
pub struct Topology {
    /// Nodes and links.
    pub graph: DiGraph<Node, Link, u32>,
    /// Number of wearables.
    pub wearables: u32,
    /// Number of patients (= BAN gateways).
    pub patients: u32,
    /// Number of cloudlets.
    pub cloudlets: u32,
    /// Wearables per patient.
    pub wearables_per_patient: u32,
    /// The cloudlet each patient is attached to.
    pub cloudlet_of_patient: Vec<u32>,
    /// Per node: the link toward the remote cloud (`u32::MAX` at the cloud).
    pub uplink: Vec<u32>,
    /// Routes between core nodes (cloudlets, then the remote cloud).
    pub core: CoreRoutes,
}

/// Shortest routes between every pair of core nodes: cloudlet `c` is core node `c`, the remote cloud is core node
/// `cloudlets`. Same metric and tie-breaking as the routes to the cloud.
#[derive(Debug, Clone, Default)]
pub struct CoreRoutes {
    /// Core nodes.
    pub n: usize,
    /// `next[a * n + b]`: the link to take at `a` toward `b` (`NO_LINK` when `a == b`).
    pub next: Vec<u32>,
    /// `latency_ns[a * n + b]`: the sum of link latencies along that route (transmission excluded).
    pub latency_ns: Vec<u64>,
}

impl CoreRoutes {
    /// The link to take at core node `a` toward core node `b`.
    pub fn next_link(&self, a: u32, b: u32) -> u32 {
        self.next[a as usize * self.n + b as usize]
    }
    /// Propagation latency of the route from `a` to `b`.
    pub fn latency(&self, a: u32, b: u32) -> SimTime {
        SimTime::from_nanos(self.latency_ns[a as usize * self.n + b as usize])
    }
}

/// Marks "no link" in [`Topology::uplink`].
pub const NO_LINK: u32 = u32::MAX;

impl Topology {
    /// Node id of wearable `w`.
    pub fn wearable_node(&self, w: u32) -> u32 {
        w
    }
    /// Node id of patient `p`'s BAN gateway.
    pub fn gateway_node(&self, p: u32) -> u32 {
        self.wearables + p
    }
    /// Node id of cloudlet `c`.
    pub fn cloudlet_node(&self, c: u32) -> u32 {
        self.wearables + self.patients + c
    }
    /// Node id of the remote cloud.
    pub fn cloud_node(&self) -> u32 {
        self.wearables + self.patients + self.cloudlets
    }
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }
    /// The patient wearing wearable `w`.
    pub fn patient_of(&self, w: u32) -> u32 {
        w / self.wearables_per_patient
    }
    /// A node's attributes.
    pub fn node(&self, id: u32) -> &Node {
        &self.graph[NodeIndex::new(id as usize)]
    }
    /// A link's source and destination node ids.
    pub fn endpoints(&self, link: u32) -> (u32, u32) {
        let (a, b) = self.graph.edge_endpoints(EdgeIndex::new(link as usize)).expect("link exists");
        (a.index() as u32, b.index() as u32)
    }
    /// Core index of a node id (cloudlets and the cloud), if it is a core node.
    pub fn core_index(&self, node: u32) -> Option<u32> {
        node.checked_sub(self.wearables + self.patients)
    }
    /// Node id of a core index.
    pub fn core_node(&self, core: u32) -> u32 {
        self.wearables + self.patients + core
    }
    /// The core nodes (as core indices) on the route from core node `a` to core node `b`, both included.
    pub fn core_path(&self, a: u32, b: u32) -> Vec<u32> {
        let mut path = vec![a];
        let mut at = a;
        while at != b {
            let link = self.core.next_link(at, b);
            at = self.core_index(self.endpoints(link).1).expect("core routes stay in the core");
            path.push(at);
        }
        path
    }
    /// The path of node ids from `node` to the remote cloud.
    pub fn route_to_cloud(&self, node: u32) -> Vec<u32> {
        let mut path = vec![node];
        let mut at = node;
        while self.uplink[at as usize] != NO_LINK {
            at = self.endpoints(self.uplink[at as usize]).1;
            path.push(at);
        }
        path
    }

    /// Builds the network for `cfg`, drawing random positions from `streams`.
    pub fn build(cfg: &ModelConfig, streams: &StreamFactory) -> Result<Topology, TopologyError> {
        let (w_count, p_count, c_count) = (cfg.wearables, cfg.patients(), cfg.cloudlets.count);
        let mut graph = DiGraph::with_capacity(
            (w_count + p_count + c_count + 1) as usize,
            (w_count + p_count) as usize + 4 * c_count as usize,
        );
        let patient_pos: Vec<(f64, f64)> = (0..p_count)
            .map(|p| {
                let mut rng = streams.stream(streams::PATIENT_PLACEMENT, p as u64);
                (rng.random::<f64>() * cfg.area_width_m, rng.random::<f64>() * cfg.area_height_m)
            })
            .collect();
        let cloudlet_pos = cloudlet_positions(cfg, streams);
        let cloudlet_of_patient = attach(cfg, &patient_pos, &cloudlet_pos);
        let per = cfg.wearables_per_patient;
        for w in 0..w_count {
            let (x_m, y_m) = patient_pos[(w / per) as usize];
            graph.add_node(Node { kind: NodeKind::Wearable, index: w, x_m, y_m });
        }
        for (p, &(x_m, y_m)) in patient_pos.iter().enumerate() {
            graph.add_node(Node { kind: NodeKind::BanGateway, index: p as u32, x_m, y_m });
        }
        for (c, &(x_m, y_m)) in cloudlet_pos.iter().enumerate() {
            graph.add_node(Node { kind: NodeKind::Cloudlet, index: c as u32, x_m, y_m });
        }
        let cloud = graph.add_node(Node {
            kind: NodeKind::RemoteCloud,
            index: 0,
            x_m: cfg.area_width_m / 2.0,
            y_m: -0.25 * cfg.area_height_m,
        });
        let gw = |p: u32| NodeIndex::new((w_count + p) as usize);
        let cl = |c: u32| NodeIndex::new((w_count + p_count + c) as usize);
        let link = |g: &mut DiGraph<Node, Link, u32>, a: NodeIndex, b: NodeIndex, class: LinkClass| {
            let distance_m = cfg.link(class).distance_m.unwrap_or_else(|| {
                let (na, nb) = (g[a], g[b]);
                (na.x_m - nb.x_m).hypot(na.y_m - nb.y_m)
            });
            g.add_edge(a, b, Link { class, distance_m });
        };
        for w in 0..w_count {
            link(&mut graph, NodeIndex::new(w as usize), gw(w / per), LinkClass::Ban);
        }
        for p in 0..p_count {
            link(&mut graph, gw(p), cl(cloudlet_of_patient[p as usize]), LinkClass::Access);
        }
        for (a, b) in mesh_edges(cfg, &cloudlet_pos)? {
            link(&mut graph, cl(a), cl(b), LinkClass::Mesh);
            link(&mut graph, cl(b), cl(a), LinkClass::Mesh);
        }
        for &g in &cfg.cloudlets.wan_gateways {
            link(&mut graph, cl(g), cloud, LinkClass::Wan);
            link(&mut graph, cloud, cl(g), LinkClass::Wan);
        }
        let uplink = routes_to(&graph, cloud, cfg)?;
        let core = core_routes(&graph, (w_count + p_count) as usize, cfg);
        Ok(Topology {
            graph,
            wearables: w_count,
            patients: p_count,
            cloudlets: c_count,
            wearables_per_patient: per,
            cloudlet_of_patient,
            uplink,
            core,
        })
    }
}

fn cloudlet_positions(cfg: &ModelConfig, streams: &StreamFactory) -> Vec<(f64, f64)> {
    let n = cfg.cloudlets.count;
    let (w, h) = (cfg.area_width_m, cfg.area_height_m);
    if let Some(p) = &cfg.cloudlets.positions_m {
        return p.clone();
    }
    match cfg.cloudlets.mesh {
        Mesh::Grid { columns } => {
            let rows = n.div_ceil(columns);
            (0..n)
                .map(|i| {
                    let (col, row) = (i % columns, i / columns);
                    ((col as f64 + 0.5) * w / columns as f64, (row as f64 + 0.5) * h / rows as f64)
                })
                .collect()
        }
        Mesh::Ring => {
            let r = 0.4 * w.min(h);
            (0..n)
                .map(|i| {
                    let a = TAU * i as f64 / n as f64;
                    (w / 2.0 + r * a.cos(), h / 2.0 + r * a.sin())
                })
                .collect()
        }
        _ => (0..n)
            .map(|i| {
                let mut rng = streams.stream(streams::CLOUDLET_PLACEMENT, i as u64);
                (rng.random::<f64>() * w, rng.random::<f64>() * h)
            })
            .collect(),
    }
}

fn attach(cfg: &ModelConfig, patients: &[(f64, f64)], cloudlets: &[(f64, f64)]) -> Vec<u32> {
    match &cfg.attach {
        Attach::Explicit(list) => list.clone(),
        Attach::RoundRobin => (0..patients.len() as u32).map(|p| p % cloudlets.len() as u32).collect(),
        Attach::Nearest => patients
            .iter()
            .map(|&(px, py)| {
                let d2 = |&(cx, cy): &(f64, f64)| (cx - px).powi(2) + (cy - py).powi(2);
                let mut best = 0;
                for (i, c) in cloudlets.iter().enumerate().skip(1) {
                    if d2(c) < d2(&cloudlets[best]) {
                        best = i;
                    }
                }
                best as u32
            })
            .collect(),
    }
}

fn mesh_edges(cfg: &ModelConfig, pos: &[(f64, f64)]) -> Result<Vec<(u32, u32)>, TopologyError> {
    let n = cfg.cloudlets.count;
    let edges: Vec<(u32, u32)> = match &cfg.cloudlets.mesh {
        Mesh::Full => (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).collect(),
        Mesh::Ring if n < 3 => (1..n).map(|b| (0, b)).collect(),
        Mesh::Ring => (0..n).map(|a| (a, (a + 1) % n)).map(|(a, b)| (a.min(b), a.max(b))).collect(),
        Mesh::Grid { columns } => {
            let c = *columns;
            let mut e = Vec::new();
            for i in 0..n {
                if i % c + 1 < c && i + 1 < n {
                    e.push((i, i + 1));
                }
                if c < n - i {
                    e.push((i, i + c));
                }
            }
            e
        }
        Mesh::RandomGeometric { radius_m } => {
            let d = |a: u32, b: u32| {
                let (pa, pb) = (pos[a as usize], pos[b as usize]);
                (pa.0 - pb.0).hypot(pa.1 - pb.1)
            };
            let e: Vec<(u32, u32)> =
                (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).filter(|&(a, b)| d(a, b) <= *radius_m).collect();
            let mut g = UnGraph::<(), ()>::new_undirected();
            (0..n).for_each(|_| {
                g.add_node(());
            });
            e.iter().for_each(|&(a, b)| {
                g.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), ());
            });
            let components = connected_components(&g);
            if components > 1 {
                return Err(TopologyError {
                    key: "cloudlets.radius_m".into(),
                    message: format!(
                        "the random geometric mesh of {n} cloudlets with radius {radius_m} m is disconnected \
                         ({components} components) for this seed; allowed: a radius of at least {:.1} m (the longest \
                         link of a minimum spanning tree), more cloudlets, or another mesh",
                        connecting_radius(pos)
                    ),
                });
            }
            e
        }
        Mesh::Explicit { edges } => edges.clone(),
    };
    let components = mesh_components(n, &edges);
    if components > 1 {
        return Err(TopologyError {
            key: "cloudlets.edges".into(),
            message: format!(
                "the cloudlet mesh is disconnected ({components} separate groups of cloudlets); allowed: edges that \
                 join every cloudlet to every other through the mesh"
            ),
        });
    }
    Ok(edges)
}

/// Number of connected components of the cloudlet mesh.
fn mesh_components(n: u32, edges: &[(u32, u32)]) -> usize {
    let mut g = UnGraph::<(), ()>::new_undirected();
    (0..n).for_each(|_| {
        g.add_node(());
    });
    for &(a, b) in edges {
        g.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), ());
    }
    connected_components(&g)
}

/// The smallest radius that connects `pos` as a unit-disk graph: the longest edge of a Euclidean MST.
fn connecting_radius(pos: &[(f64, f64)]) -> f64 {
    let mut g = UnGraph::<(), f64>::new_undirected();
    pos.iter().for_each(|_| {
        g.add_node(());
    });
    for a in 0..pos.len() {
        for b in a + 1..pos.len() {
            let d = (pos[a].0 - pos[b].0).hypot(pos[a].1 - pos[b].1);
            g.add_edge(NodeIndex::new(a), NodeIndex::new(b), d);
        }
    }
    min_spanning_tree(&g)
        .filter_map(|el| match el {
            Element::Edge { weight, .. } => Some(weight),
            _ => None,
        })
        .fold(0.0, f64::max)
}

/// Route cost of one link: latency in ns shifted left to leave room for a hop count that breaks ties. In 128 bits,
/// so that neither the shift nor a path's sum can overflow, whatever the latencies.
fn link_cost(cfg: &ModelConfig, class: LinkClass) -> u128 {
    match cfg.routing {
        crate::scenario::config::RouteMetric::Hops => 1,
        crate::scenario::config::RouteMetric::Latency => ((cfg.link(class).latency.as_nanos() as u128) << 16) | 1,
    }
}

fn routes_to(graph: &DiGraph<Node, Link, u32>, cloud: NodeIndex, cfg: &ModelConfig) -> Result<Vec<u32>, TopologyError> {
    let dist = dijkstra(Reversed(graph), cloud, None, |e| link_cost(cfg, e.weight().class));
    let mut uplink = vec![NO_LINK; graph.node_count()];
    let mut unreachable = Vec::new();
    for n in graph.node_indices().filter(|&n| n != cloud) {
        let best = graph
            .edges(n)
            .filter_map(|e| dist.get(&e.target()).map(|d| (d + link_cost(cfg, e.weight().class), e.id().index())))
            .min();
        match best {
            Some((_, e)) => uplink[n.index()] = e as u32,
            None => unreachable.push(graph[n]),
        }
    }
    let names: Vec<String> =
        unreachable.iter().filter(|n| n.kind == NodeKind::Cloudlet).map(|n| n.index.to_string()).collect();
    if !names.is_empty() {
        return Err(TopologyError {
            key: "cloudlets.edges".into(),
            message: format!(
                "cloudlet(s) {} cannot reach the remote cloud: the mesh is disconnected from every WAN gateway; \
                 allowed: a connected mesh, or more entries in cloudlets.wan_gateways",
                names.join(", ")
            ),
        });
    }
    Ok(uplink)
}

/// All-pairs routes among core nodes (`first_core..`), by Dijkstra toward each destination on the core subgraph.
fn core_routes(graph: &DiGraph<Node, Link, u32>, first_core: usize, cfg: &ModelConfig) -> CoreRoutes {
    let n = graph.node_count() - first_core;
    let mut core = DiGraph::<(), (u128, u32), u32>::with_capacity(n, 0);
    for _ in 0..n {
        core.add_node(());
    }
    for e in graph.edge_indices() {
        let (a, b) = graph.edge_endpoints(e).expect("edge exists");
        if a.index() >= first_core && b.index() >= first_core {
            let cost = link_cost(cfg, graph[e].class);
            core.add_edge(
                NodeIndex::new(a.index() - first_core),
                NodeIndex::new(b.index() - first_core),
                (cost, e.index() as u32),
            );
        }
    }
    let mut next = vec![NO_LINK; n * n];
    let mut latency_ns = vec![0u64; n * n];
    for dst in 0..n {
        let dist = dijkstra(Reversed(&core), NodeIndex::new(dst), None, |e| e.weight().0);
        for src in (0..n).filter(|&s| s != dst) {
            let best = core
                .edges(NodeIndex::new(src))
                .filter_map(|e| dist.get(&e.target()).map(|d| (d + e.weight().0, e.weight().1, e.target().index())))
                .min();
            if let Some((_, link, _)) = best {
                next[src * n + dst] = link;
            }
        }
        // Latencies by walking the chosen next hops (every core node reaches every other: the mesh is connected).
        for src in 0..n {
            let (mut at, mut total) = (src, 0u64);
            let mut guard = 0;
            while at != dst && guard <= n {
                let link = next[at * n + dst];
                if link == NO_LINK {
                    break;
                }
                total += cfg.link(graph[EdgeIndex::new(link as usize)].class).latency.as_nanos();
                at = graph.edge_endpoints(EdgeIndex::new(link as usize)).expect("edge exists").1.index() - first_core;
                guard += 1;
            }
            latency_ns[src * n + dst] = total;
        }
    }
    CoreRoutes { n, next, latency_ns }
}
