//! The network: wearables, BAN gateways, cloudlets and the remote cloud.
//!
//! Node ids are laid out by kind — wearables `0..W`, BAN gateways `W..W+P`, cloudlets, then the remote cloud — and
//! link ids likewise: wearable `w`'s uplink (its BAN link) is link `w`, gateway `p`'s (its access link) is link
//! `W + p`, so the uplink of every wearable and gateway has the node's own id; then come the core links: the mesh
//! links (both directions) and the WAN links (both directions).
//!
//! Only the core (cloudlets and the remote cloud) is a petgraph graph: wearables and gateways form a fixed two-level
//! tree under it, described by arrays (each patient's position and cloudlet), so a city of 100,000 wearables costs a
//! few bytes per wearable here rather than a graph node and edge each. Routes toward the remote cloud are shortest
//! paths computed once, by Dijkstra from the cloud over the reversed core graph, and stored as one next-hop link per
//! core node; a wearable's route is its BAN link, its gateway's access link, then its cloudlet's route.

use std::f64::consts::TAU;

use petgraph::algo::{connected_components, dijkstra, min_spanning_tree};
use petgraph::data::Element;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex, UnGraph};
use petgraph::visit::{EdgeRef, Reversed};
use rand::Rng;

use crate::chain::{Attach, LinkClass, Mesh};
use crate::kernel::{SimTime, StreamFactory};
use crate::scenario::ModelConfig;

use crate::streams;

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
    /// The core: cloudlet `c` is graph node `c`, the remote cloud is graph node `cloudlets`; graph edge `e` is link
    /// `W + P + e`.
    pub core_graph: DiGraph<Node, Link, u32>,
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
    /// Each patient's position (their wearables' and gateway's), metres.
    pub patient_pos: Vec<(f64, f64)>,
    /// Length of every BAN link, metres (the class's fixed distance, or 0: a patient's devices share a position).
    pub ban_distance_m: f64,
    /// Length of every access link when the class fixes it, metres (otherwise geometric).
    pub access_distance_m: Option<f64>,
    /// Every node's link toward the remote cloud.
    pub uplinks: Uplinks,
    /// Routes between core nodes (cloudlets, then the remote cloud).
    pub core: CoreRoutes,
}

/// Every node's link toward the remote cloud: a wearable's or gateway's is the link with its own id (its BAN or
/// access link); each core node's is stored.
#[derive(Debug, Clone)]
pub struct Uplinks {
    /// Node id of the first core node (= the first core link id).
    first_core: u32,
    /// Per core node (cloudlets, then the cloud): its next link toward the cloud ([`NO_LINK`] at the cloud).
    core: Vec<u32>,
}

impl Uplinks {
    /// The link from node `node` toward the remote cloud ([`NO_LINK`] at the cloud).
    #[inline]
    pub fn of(&self, node: u32) -> u32 {
        match node.checked_sub(self.first_core) {
            None => node,
            Some(c) => self.core[c as usize],
        }
    }
}

/// One directed link: its end nodes, class and length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkEnds {
    /// Sending node id.
    pub src: u32,
    /// Receiving node id.
    pub dst: u32,
    /// Class and distance.
    pub link: Link,
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
        (self.wearables + self.patients) as usize + self.core_graph.node_count()
    }
    /// Number of links.
    pub fn link_count(&self) -> usize {
        (self.wearables + self.patients) as usize + self.core_graph.edge_count()
    }
    /// The patient wearing wearable `w`.
    pub fn patient_of(&self, w: u32) -> u32 {
        w / self.wearables_per_patient
    }
    /// A node's attributes.
    pub fn node(&self, id: u32) -> Node {
        let first_core = self.wearables + self.patients;
        if id < self.wearables {
            let (x_m, y_m) = self.patient_pos[self.patient_of(id) as usize];
            Node { kind: NodeKind::Wearable, index: id, x_m, y_m }
        } else if id < first_core {
            let p = id - self.wearables;
            let (x_m, y_m) = self.patient_pos[p as usize];
            Node { kind: NodeKind::BanGateway, index: p, x_m, y_m }
        } else {
            self.core_graph[NodeIndex::new((id - first_core) as usize)]
        }
    }
    /// A link's end nodes, class and length.
    pub fn link(&self, link: u32) -> LinkEnds {
        let first_core = self.wearables + self.patients;
        if link < self.wearables {
            let link_ = Link { class: LinkClass::Ban, distance_m: self.ban_distance_m };
            LinkEnds { src: link, dst: self.gateway_node(self.patient_of(link)), link: link_ }
        } else if link < first_core {
            let p = link - self.wearables;
            let c = self.cloudlet_of_patient[p as usize];
            let (x, y) = self.patient_pos[p as usize];
            let cn = self.core_graph[NodeIndex::new(c as usize)];
            let distance_m = self.access_distance_m.unwrap_or_else(|| (x - cn.x_m).hypot(y - cn.y_m));
            LinkEnds { src: link, dst: first_core + c, link: Link { class: LinkClass::Access, distance_m } }
        } else {
            let e = EdgeIndex::new((link - first_core) as usize);
            let (a, b) = self.core_graph.edge_endpoints(e).expect("link exists");
            LinkEnds {
                src: first_core + a.index() as u32,
                dst: first_core + b.index() as u32,
                link: self.core_graph[e],
            }
        }
    }
    /// A link's source and destination node ids.
    pub fn endpoints(&self, link: u32) -> (u32, u32) {
        let ends = self.link(link);
        (ends.src, ends.dst)
    }
    /// Every link, by id.
    pub fn links(&self) -> impl Iterator<Item = LinkEnds> + '_ {
        (0..self.link_count() as u32).map(|l| self.link(l))
    }
    /// The link from node `a` to node `b`, if there is one.
    pub fn find_link(&self, a: u32, b: u32) -> Option<u32> {
        let (first_core, up) = (self.wearables + self.patients, self.uplink(a));
        if a < first_core {
            return (self.link(up).dst == b).then_some(up);
        }
        let (ca, cb) = (NodeIndex::new((a - first_core) as usize), NodeIndex::new(b.checked_sub(first_core)? as usize));
        self.core_graph.find_edge(ca, cb).map(|e| first_core + e.index() as u32)
    }
    /// The link from `node` toward the remote cloud ([`NO_LINK`] at the cloud).
    pub fn uplink(&self, node: u32) -> u32 {
        self.uplinks.of(node)
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
        while self.uplink(at) != NO_LINK {
            at = self.endpoints(self.uplink(at)).1;
            path.push(at);
        }
        path
    }

    /// Builds the network for `cfg`, drawing random positions from `streams`.
    pub fn build(cfg: &ModelConfig, streams: &StreamFactory) -> Result<Topology, TopologyError> {
        let (w_count, p_count, c_count) = (cfg.wearables, cfg.patients(), cfg.cloudlets.count);
        let patient_pos: Vec<(f64, f64)> = (0..p_count)
            .map(|p| {
                let mut rng = streams.stream(streams::PATIENT_PLACEMENT, p as u64);
                (rng.random::<f64>() * cfg.area_width_m, rng.random::<f64>() * cfg.area_height_m)
            })
            .collect();
        let cloudlet_pos = cloudlet_positions(cfg, streams);
        let cloudlet_of_patient = attach(cfg, &patient_pos, &cloudlet_pos);
        let mesh = mesh_edges(cfg, &cloudlet_pos)?;
        let mut graph =
            DiGraph::with_capacity(c_count as usize + 1, 2 * (mesh.len() + cfg.cloudlets.wan_gateways.len()));
        for (c, &(x_m, y_m)) in cloudlet_pos.iter().enumerate() {
            graph.add_node(Node { kind: NodeKind::Cloudlet, index: c as u32, x_m, y_m });
        }
        let cloud = graph.add_node(Node {
            kind: NodeKind::RemoteCloud,
            index: 0,
            x_m: cfg.area_width_m / 2.0,
            y_m: -0.25 * cfg.area_height_m,
        });
        let cl = |c: u32| NodeIndex::new(c as usize);
        let link = |g: &mut DiGraph<Node, Link, u32>, a: NodeIndex, b: NodeIndex, class: LinkClass| {
            let distance_m = cfg.link(class).distance_m.unwrap_or_else(|| {
                let (na, nb) = (g[a], g[b]);
                (na.x_m - nb.x_m).hypot(na.y_m - nb.y_m)
            });
            g.add_edge(a, b, Link { class, distance_m });
        };
        for &(a, b) in &mesh {
            link(&mut graph, cl(a), cl(b), LinkClass::Mesh);
            link(&mut graph, cl(b), cl(a), LinkClass::Mesh);
        }
        for &g in &cfg.cloudlets.wan_gateways {
            link(&mut graph, cl(g), cloud, LinkClass::Wan);
            link(&mut graph, cloud, cl(g), LinkClass::Wan);
        }
        let first_core_link = w_count + p_count;
        let uplinks = Uplinks { first_core: first_core_link, core: routes_to(&graph, cloud, first_core_link, cfg)? };
        let core = core_routes(&graph, first_core_link, cfg);
        Ok(Topology {
            core_graph: graph,
            wearables: w_count,
            patients: p_count,
            cloudlets: c_count,
            wearables_per_patient: cfg.wearables_per_patient,
            cloudlet_of_patient,
            patient_pos,
            ban_distance_m: cfg.link(LinkClass::Ban).distance_m.unwrap_or(0.0),
            access_distance_m: cfg.link(LinkClass::Access).distance_m,
            uplinks,
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
        crate::chain::RouteMetric::Hops => 1,
        crate::chain::RouteMetric::Latency => ((cfg.link(class).latency.as_nanos() as u128) << 16) | 1,
    }
}

/// Each core node's next link toward the remote cloud (link ids offset by `first_core_link`).
fn routes_to(
    graph: &DiGraph<Node, Link, u32>,
    cloud: NodeIndex,
    first_core_link: u32,
    cfg: &ModelConfig,
) -> Result<Vec<u32>, TopologyError> {
    let dist = dijkstra(Reversed(graph), cloud, None, |e| link_cost(cfg, e.weight().class));
    let mut uplink = vec![NO_LINK; graph.node_count()];
    let mut unreachable = Vec::new();
    for n in graph.node_indices().filter(|&n| n != cloud) {
        let best = graph
            .edges(n)
            .filter_map(|e| dist.get(&e.target()).map(|d| (d + link_cost(cfg, e.weight().class), e.id().index())))
            .min();
        match best {
            Some((_, e)) => uplink[n.index()] = first_core_link + e as u32,
            None => unreachable.push(graph[n].index.to_string()),
        }
    }
    if !unreachable.is_empty() {
        return Err(TopologyError {
            key: "cloudlets.edges".into(),
            message: format!(
                "cloudlet(s) {} cannot reach the remote cloud: the mesh is disconnected from every WAN gateway; \
                 allowed: a connected mesh, or more entries in cloudlets.wan_gateways",
                unreachable.join(", ")
            ),
        });
    }
    Ok(uplink)
}

/// All-pairs routes among core nodes, by Dijkstra toward each destination on the core graph (link ids offset by
/// `first_core_link`).
fn core_routes(graph: &DiGraph<Node, Link, u32>, first_core_link: u32, cfg: &ModelConfig) -> CoreRoutes {
    let n = graph.node_count();
    let mut next = vec![NO_LINK; n * n];
    let mut latency_ns = vec![0u64; n * n];
    for dst in 0..n {
        let dist = dijkstra(Reversed(graph), NodeIndex::new(dst), None, |e| link_cost(cfg, e.weight().class));
        for src in (0..n).filter(|&s| s != dst) {
            let best = graph
                .edges(NodeIndex::new(src))
                .filter_map(|e| {
                    dist.get(&e.target()).map(|d| (d + link_cost(cfg, e.weight().class), e.id().index(), e.target()))
                })
                .min();
            if let Some((_, e, _)) = best {
                next[src * n + dst] = e as u32;
            }
        }
        // Latencies by walking the chosen next hops (every core node reaches every other: the mesh is connected).
        for src in 0..n {
            let (mut at, mut total) = (src, 0u64);
            let mut guard = 0;
            while at != dst && guard <= n {
                let e = next[at * n + dst];
                if e == NO_LINK {
                    break;
                }
                let e = EdgeIndex::new(e as usize);
                total += cfg.link(graph[e].class).latency.as_nanos();
                at = graph.edge_endpoints(e).expect("edge exists").1.index();
                guard += 1;
            }
            latency_ns[src * n + dst] = total;
        }
    }
    for link in next.iter_mut().filter(|l| **l != NO_LINK) {
        *link += first_core_link;
    }
    CoreRoutes { n, next, latency_ns }
}
