//! The network's pieces, shared by the builder ([`super::topology`]) and its helpers ([`super::placement`],
//! [`super::routes`]): node kinds, nodes, links and their ends, the core routing table, and the builder's error.

use crate::chain::{CoreIx, LinkClass, LinkId, NodeId};
use crate::kernel::SimTime;

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

/// One directed link: its end nodes, class and length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkEnds {
    /// Sending node.
    pub src: NodeId,
    /// Receiving node.
    pub dst: NodeId,
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
    pub next: Vec<LinkId>,
    /// `latency_ns[a * n + b]`: the sum of link latencies along that route (transmission excluded).
    pub latency_ns: Vec<u64>,
}

impl CoreRoutes {
    /// The link to take at core node `a` toward core node `b`.
    #[inline]
    pub fn next_link(&self, a: CoreIx, b: CoreIx) -> LinkId {
        self.next[a.index() * self.n + b.index()]
    }
    /// Propagation latency of the route from `a` to `b`.
    pub fn latency(&self, a: CoreIx, b: CoreIx) -> SimTime {
        SimTime::from_nanos(self.latency_ns[a.index() * self.n + b.index()])
    }
}

/// Marks "no link" in [`Topology::uplink`].
pub const NO_LINK: LinkId = LinkId::NONE;
