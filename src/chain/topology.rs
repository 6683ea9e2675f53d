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

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use rand::Rng;

pub use super::network::{CoreRoutes, Link, LinkEnds, Node, NodeKind, TopologyError, NO_LINK};
use super::placement::{attach, cloudlet_positions, mesh_edges};
use super::routes::{core_routes, routes_to};
use crate::chain::{CloudletIx, CoreIx, LinkClass, LinkId, NodeId, PatientId};
use crate::kernel::StreamFactory;
use crate::scenario::ModelConfig;

use crate::streams;

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
    core: Vec<LinkId>,
}

impl Uplinks {
    /// Sets core node `core`'s next link toward the remote cloud (routes recomputed after a cloudlet died).
    pub(crate) fn set_core(&mut self, core: CoreIx, link: LinkId) {
        self.core[core.index()] = link;
    }

    /// The link from node `node` toward the remote cloud ([`NO_LINK`] at the cloud).
    #[inline]
    pub fn of(&self, node: NodeId) -> LinkId {
        match node.0.checked_sub(self.first_core) {
            None => LinkId(node.0),
            Some(c) => self.core[c as usize],
        }
    }
}

impl Topology {
    /// Node id of wearable `w` (a wearable's index is its node id).
    pub fn wearable_node(&self, w: u32) -> NodeId {
        NodeId(w)
    }
    /// Node id of patient `p`'s BAN gateway.
    pub fn gateway_node(&self, p: PatientId) -> NodeId {
        NodeId(self.wearables + p.0)
    }
    /// Node id of cloudlet `c`.
    pub fn cloudlet_node(&self, c: CloudletIx) -> NodeId {
        NodeId(self.wearables + self.patients + c.0)
    }
    /// Node id of the remote cloud.
    pub fn cloud_node(&self) -> NodeId {
        NodeId(self.wearables + self.patients + self.cloudlets)
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
    pub fn patient_of(&self, w: u32) -> PatientId {
        PatientId(w / self.wearables_per_patient)
    }
    /// The cloudlet patient `p`'s gateway is attached to.
    pub fn cloudlet_of(&self, p: PatientId) -> CloudletIx {
        CloudletIx(self.cloudlet_of_patient[p.index()])
    }
    /// A node's attributes.
    pub fn node(&self, id: NodeId) -> Node {
        let (first_core, id) = (self.wearables + self.patients, id.0);
        if id < self.wearables {
            let (x_m, y_m) = self.patient_pos[self.patient_of(id).index()];
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
    pub fn link(&self, link: LinkId) -> LinkEnds {
        let (first_core, link) = (self.wearables + self.patients, link.0);
        if link < self.wearables {
            let link_ = Link { class: LinkClass::Ban, distance_m: self.ban_distance_m };
            LinkEnds { src: NodeId(link), dst: self.gateway_node(self.patient_of(link)), link: link_ }
        } else if link < first_core {
            let p = link - self.wearables;
            let c = self.cloudlet_of_patient[p as usize];
            let (x, y) = self.patient_pos[p as usize];
            let cn = self.core_graph[NodeIndex::new(c as usize)];
            let distance_m = self.access_distance_m.unwrap_or_else(|| (x - cn.x_m).hypot(y - cn.y_m));
            let class = Link { class: LinkClass::Access, distance_m };
            LinkEnds { src: NodeId(link), dst: NodeId(first_core + c), link: class }
        } else {
            let e = EdgeIndex::new((link - first_core) as usize);
            let (a, b) = self.core_graph.edge_endpoints(e).expect("link exists");
            LinkEnds {
                src: NodeId(first_core + a.index() as u32),
                dst: NodeId(first_core + b.index() as u32),
                link: self.core_graph[e],
            }
        }
    }
    /// A link's source and destination node ids.
    pub fn endpoints(&self, link: LinkId) -> (NodeId, NodeId) {
        let ends = self.link(link);
        (ends.src, ends.dst)
    }
    /// Every link, by id.
    pub fn links(&self) -> impl Iterator<Item = LinkEnds> + '_ {
        (0..self.link_count() as u32).map(|l| self.link(LinkId(l)))
    }
    /// The link from node `a` to node `b`, if there is one.
    pub fn find_link(&self, a: NodeId, b: NodeId) -> Option<LinkId> {
        let (first_core, up) = (self.wearables + self.patients, self.uplink(a));
        if a.0 < first_core {
            return (self.link(up).dst == b).then_some(up);
        }
        let (ca, cb) =
            (NodeIndex::new((a.0 - first_core) as usize), NodeIndex::new(b.0.checked_sub(first_core)? as usize));
        self.core_graph.find_edge(ca, cb).map(|e| LinkId(first_core + e.index() as u32))
    }
    /// The link from `node` toward the remote cloud ([`NO_LINK`] at the cloud).
    pub fn uplink(&self, node: NodeId) -> LinkId {
        self.uplinks.of(node)
    }
    /// Core index of a node id (cloudlets and the cloud), if it is a core node.
    pub fn core_index(&self, node: NodeId) -> Option<CoreIx> {
        node.0.checked_sub(self.wearables + self.patients).map(CoreIx)
    }
    /// Node id of a core index.
    pub fn core_node(&self, core: CoreIx) -> NodeId {
        NodeId(self.wearables + self.patients + core.0)
    }
    /// The core nodes (as core indices) on the route from core node `a` to core node `b`, both included.
    pub fn core_path(&self, a: CoreIx, b: CoreIx) -> Vec<CoreIx> {
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
    pub fn route_to_cloud(&self, node: NodeId) -> Vec<NodeId> {
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
        let mut patient_pos = patient_pos;
        if let crate::mobility::Motion::Trace { trace, .. } = &cfg.mobility.motion {
            // A patient the mobility trace names starts where the trace puts it at time zero.
            for (p, pos) in patient_pos.iter_mut().enumerate() {
                *pos = trace.position(p, 0.0).unwrap_or(*pos);
            }
        }
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
