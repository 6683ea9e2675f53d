//! Where the IDS nodes go: a ranking of the cloudlets by betweenness, degree, a seeded shuffle, or the scenario's
//! list.

use petgraph::visit::EdgeRef;
use rand::Rng;

use crate::chain::topology::Topology;
use crate::ids::Placement;
use crate::kernel::StreamFactory;
use crate::streams;

/// IDS slots in placement order (the first `count` of a ranking, so that more nodes only add to fewer).
pub fn placement(rule: &Placement, count: u32, topo: &Topology, streams: &StreamFactory) -> Vec<u32> {
    let n = topo.cloudlets as usize;
    let mut g = petgraph::graph::UnGraph::<(), ()>::new_undirected();
    for _ in 0..n {
        g.add_node(());
    }
    for e in topo.core_graph.edge_references() {
        let (a, b) = (e.source().index(), e.target().index());
        if a < n && b < n && a < b {
            g.add_edge(petgraph::graph::NodeIndex::new(a), petgraph::graph::NodeIndex::new(b), ());
        }
    }
    let ranked = |score: Vec<f64>| {
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by(|&a, &b| score[b as usize].total_cmp(&score[a as usize]).then(a.cmp(&b)));
        order
    };
    let order: Vec<u32> = match rule {
        Placement::Explicit(nodes) => nodes.clone(),
        Placement::Betweenness => {
            let b = rustworkx_core::centrality::betweenness_centrality(&g, false, true, usize::MAX);
            ranked(b.into_iter().map(|x| x.unwrap_or(0.0)).collect())
        }
        Placement::Degree => ranked(g.node_indices().map(|v| g.neighbors(v).count() as f64).collect()),
        Placement::Random => {
            let mut rng = streams.stream(streams::IDS_PLACEMENT, 0);
            let mut order: Vec<u32> = (0..n as u32).collect();
            for i in (1..n).rev() {
                order.swap(i, rng.random_range(0..=i));
            }
            order
        }
    };
    order.into_iter().take(count as usize).collect()
}
