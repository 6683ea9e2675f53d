//! The network as Graphviz DOT (`cloudletsim topology`): node kind by shape and colour, positions in metres
//! (as `pos`, for `neato -n`), link class by style.

use std::fmt::Write;

use crate::chain::topology::{NodeKind, Topology};
use crate::chain::{LinkClass, NodeId};

/// Renders `topo` as DOT; with `core_only`, only cloudlets, the remote cloud and their links.
pub fn to_dot(topo: &Topology, core_only: bool) -> String {
    let keep = |k: NodeKind| !core_only || matches!(k, NodeKind::Cloudlet | NodeKind::RemoteCloud);
    let mut s = String::from("digraph cloudletsim {\n  graph [overlap=false, splines=true];\n");
    for id in 0..topo.node_count() as u32 {
        let n = topo.node(NodeId(id));
        if !keep(n.kind) {
            continue;
        }
        let (label, shape, color) = match n.kind {
            NodeKind::Wearable => (format!("w{}", n.index), "point", "gray50"),
            NodeKind::BanGateway => (format!("g{}", n.index), "circle", "steelblue"),
            NodeKind::Cloudlet => (format!("c{}", n.index), "box", "darkgreen"),
            NodeKind::RemoteCloud => ("cloud".to_string(), "doubleoctagon", "firebrick"),
        };
        let _ = writeln!(
            s,
            "  n{id} [label=\"{label}\", shape={shape}, color={color}, kind={}, pos=\"{:.1},{:.1}\"];",
            n.kind.name(),
            n.x_m,
            n.y_m
        );
    }
    for e in topo.links() {
        let (a, b) = (e.src, e.dst);
        if !keep(topo.node(a).kind) || !keep(topo.node(b).kind) {
            continue;
        }
        let style = match e.link.class {
            LinkClass::Ban => "dotted",
            LinkClass::Access => "dashed",
            LinkClass::Mesh => "solid",
            LinkClass::Wan => "bold",
        };
        let _ = writeln!(
            s,
            "  n{a} -> n{b} [class={}, style={style}, distance_m={:.1}];",
            e.link.class.name(),
            e.link.distance_m
        );
    }
    s.push_str("}\n");
    s
}
