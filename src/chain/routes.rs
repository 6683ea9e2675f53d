//! Shortest routes through the core (cloudlets and the remote cloud): by Dijkstra over the reversed core graph, by
//! hop count or by latency with hops breaking ties, stored as one next-hop link per node.

use petgraph::algo::dijkstra;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::{EdgeRef, Reversed};

use super::network::{CoreRoutes, Link, Node, TopologyError, NO_LINK};
use crate::chain::{LinkClass, LinkId};
use crate::scenario::ModelConfig;

/// Route cost of one link: latency in ns shifted left to leave room for a hop count that breaks ties. In 128 bits,
/// so that neither the shift nor a path's sum can overflow, whatever the latencies.
pub(super) fn link_cost(cfg: &ModelConfig, class: LinkClass) -> u128 {
    match cfg.routing {
        crate::chain::RouteMetric::Hops => 1,
        crate::chain::RouteMetric::Latency => ((cfg.link(class).latency.as_nanos() as u128) << 16) | 1,
    }
}

/// Each core node's next link toward the remote cloud (link ids offset by `first_core_link`).
pub(super) fn routes_to(
    graph: &DiGraph<Node, Link, u32>,
    cloud: NodeIndex,
    first_core_link: u32,
    cfg: &ModelConfig,
) -> Result<Vec<LinkId>, TopologyError> {
    let dist = dijkstra(Reversed(graph), cloud, None, |e| link_cost(cfg, e.weight().class));
    let mut uplink = vec![NO_LINK; graph.node_count()];
    let mut unreachable = Vec::new();
    for n in graph.node_indices().filter(|&n| n != cloud) {
        let best = graph
            .edges(n)
            .filter_map(|e| dist.get(&e.target()).map(|d| (d + link_cost(cfg, e.weight().class), e.id().index())))
            .min();
        match best {
            Some((_, e)) => uplink[n.index()] = LinkId(first_core_link + e as u32),
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
pub(super) fn core_routes(graph: &DiGraph<Node, Link, u32>, first_core_link: u32, cfg: &ModelConfig) -> CoreRoutes {
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
                next[src * n + dst] = LinkId(e as u32);
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
                let e = EdgeIndex::new(e.index());
                total += cfg.link(graph[e].class).latency.as_nanos();
                at = graph.edge_endpoints(e).expect("edge exists").1.index();
                guard += 1;
            }
            latency_ns[src * n + dst] = total;
        }
    }
    for link in next.iter_mut().filter(|l| **l != NO_LINK) {
        link.0 += first_core_link;
    }
    CoreRoutes { n, next, latency_ns }
}
