//! `nodes.csv`: one row per node, tidy, units in column names.

use serde::Serialize;

use crate::chain::topology::NodeKind;
use crate::chain::NodeId;
use crate::run::RunResult;

/// One row of `nodes.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct NodeRow {
    /// Node id (wearables, then gateways, then cloudlets, then the remote cloud).
    pub node_id: u32,
    /// `wearable`, `ban_gateway`, `cloudlet` or `remote_cloud`.
    pub kind: &'static str,
    /// Index among nodes of its kind.
    pub kind_index: u32,
    /// The cloudlet a wearable's or gateway's patient is attached to (a cloudlet: itself; the cloud: empty).
    pub cloudlet: Option<u32>,
    /// Position x, metres.
    pub x_m: f64,
    /// Position y, metres.
    pub y_m: f64,
    /// Samples taken.
    pub samples_generated: u64,
    /// Packets received (a batch counts once).
    pub packets_received: u64,
    /// Packets sent successfully (a batch counts once).
    pub packets_sent: u64,
    /// Samples dropped on this node's outgoing links.
    pub samples_dropped: u64,
    /// Retransmissions on this node's outgoing links.
    pub retransmissions: u64,
    /// Bytes put on the wire, headers and retransmissions included.
    pub bytes_sent: u64,
}

/// Every node's row of `nodes.csv`, in node order, computed as it is read.
pub fn node_rows(r: &RunResult) -> impl Iterator<Item = NodeRow> + '_ {
    let topo = &r.topology;
    r.model.counters().iter().enumerate().map(move |(id, c)| {
        let n = topo.node(NodeId(id as u32));
        let cloudlet = match n.kind {
            NodeKind::Wearable => Some(topo.cloudlet_of_patient[topo.patient_of(n.index).index()]),
            NodeKind::BanGateway => Some(topo.cloudlet_of_patient[n.index as usize]),
            NodeKind::Cloudlet => Some(n.index),
            NodeKind::RemoteCloud => None,
        };
        NodeRow {
            node_id: id as u32,
            kind: n.kind.name(),
            kind_index: n.index,
            cloudlet,
            x_m: n.x_m,
            y_m: n.y_m,
            samples_generated: c.generated,
            packets_received: c.received,
            packets_sent: c.sent,
            samples_dropped: c.dropped,
            retransmissions: c.retransmissions,
            bytes_sent: c.bytes_sent,
        }
    })
}
