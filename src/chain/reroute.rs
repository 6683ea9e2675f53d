//! Routes after a cloudlet dies (phone cloudlets, `cloudlet_power.source = "battery"`): the dead cloudlet leaves
//! the mesh (its links down), and every surviving cloudlet's next hop toward the remote cloud is recomputed by
//! Dijkstra on the surviving core graph, with the metric and tie-breaking of [`super::routes`]. A cloudlet left
//! without a route drops what it would forward (drop cause `no_route`).
//!
//! What the dead cloudlet held is lost: its outgoing queues at once (drop cause `dead_node`), its open batch when it
//! would have left (the same cause). Packets waiting at a neighbour on the link toward it take the neighbour's new
//! route (IDS and attack packets, whose destinations are not the cloud, are dropped); the one on air is lost at the
//! dead end. The IDS's routing table between core nodes ([`super::topology::Topology::core`]) is not recomputed.

use petgraph::algo::dijkstra;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{EdgeFiltered, EdgeRef, Reversed};

use crate::chain::metrics::DropCause;
use crate::chain::network::{Link, Node};
use crate::chain::packet::NIL;
use crate::chain::state::{ChainCtx, ChainEvent};
use crate::chain::topology::{Topology, NO_LINK};
use crate::chain::{CloudletIx, CoreIx, LinkId, NodeId};
use crate::kernel::Scheduler;
use crate::scenario::ModelConfig;

/// The core graph with each link's route cost and which core nodes are alive.
#[derive(Debug, Clone)]
pub struct CoreGraph {
    graph: DiGraph<Node, Link, u32>,
    cost: Vec<u128>,
    first_core_link: u32,
    alive: Vec<bool>,
}

impl CoreGraph {
    /// The core of `topo`, every node alive.
    pub fn new(cfg: &ModelConfig, topo: &Topology) -> Self {
        let graph = topo.core_graph.clone();
        let cost = graph.edge_weights().map(|l| super::routes::link_cost(cfg, l.class)).collect();
        let alive = vec![true; graph.node_count()];
        CoreGraph { graph, cost, first_core_link: topo.wearables + topo.patients, alive }
    }

    /// Whether cloudlet `c` is still in the mesh.
    pub fn alive(&self, c: CloudletIx) -> bool {
        self.alive[c.index()]
    }

    /// Removes cloudlet `c`; returns each core node's next link toward the cloud on the surviving graph
    /// ([`NO_LINK`] for the dead and the cut off), by core index.
    pub fn remove(&mut self, c: CloudletIx) -> Vec<LinkId> {
        self.alive[c.index()] = false;
        let alive = &self.alive;
        let up =
            |e: petgraph::graph::EdgeReference<'_, Link, u32>| alive[e.source().index()] && alive[e.target().index()];
        let live = EdgeFiltered::from_fn(&self.graph, up);
        let cloud = NodeIndex::new(self.graph.node_count() - 1);
        let dist = dijkstra(Reversed(&live), cloud, None, |e| self.cost[e.id().index()]);
        (0..self.graph.node_count())
            .map(|n| {
                let best = self
                    .graph
                    .edges(NodeIndex::new(n))
                    .filter(|e| up(*e))
                    .filter_map(|e| dist.get(&e.target()).map(|d| (d + self.cost[e.id().index()], e.id().index())))
                    .min();
                match best {
                    Some((_, e)) if alive[n] => LinkId(self.first_core_link + e as u32),
                    _ => NO_LINK,
                }
            })
            .collect()
    }

    /// The links into cloudlet `c` from live neighbours, and out of it.
    fn links_of(&self, c: CloudletIx) -> (Vec<LinkId>, Vec<LinkId>) {
        let id = |e: petgraph::graph::EdgeIndex<u32>| LinkId(self.first_core_link + e.index() as u32);
        let n = NodeIndex::new(c.index());
        let into = self.graph.edges_directed(n, petgraph::Direction::Incoming).map(|e| id(e.id())).collect();
        let out = self.graph.edges(n).map(|e| id(e.id())).collect();
        (into, out)
    }
}

impl ChainCtx<'_> {
    /// Cloudlet `dead` has died: it leaves the mesh, routes are recomputed, what it held is dropped and what waited
    /// for it is rerouted. Returns the samples dropped at it now.
    pub fn cloudlet_died<E: From<ChainEvent>>(
        &mut self,
        dead: CloudletIx,
        core: &mut CoreGraph,
        sched: &mut Scheduler<E>,
    ) -> u64 {
        let routes = core.remove(dead);
        for (i, link) in routes.iter().enumerate() {
            self.chain.uplinks.set_core(CoreIx(i as u32), *link);
        }
        let before = self.chain.metrics.dropped[DropCause::DeadNode];
        let (into, out) = core.links_of(dead);
        for link in out {
            self.flush_dead_link(link);
        }
        let lost = self.chain.metrics.dropped[DropCause::DeadNode] - before;
        for link in into {
            self.reroute_waiting(link, sched);
        }
        lost
    }

    /// Takes the packets waiting behind the head of core link `link` and offers them to its sender's new route.
    fn reroute_waiting<E: From<ChainEvent>>(&mut self, link: LinkId, sched: &mut Scheduler<E>) {
        let c = &mut *self.chain;
        let src = c.links.ends(link).src;
        let q = c.links.queue_mut(link);
        if !q.busy() {
            return;
        }
        let head = q.head;
        q.tail = head;
        q.waiting = 0;
        let mut at = std::mem::replace(&mut c.packets.get_mut(head).next, NIL);
        while !at.is_nil() {
            let next = std::mem::replace(&mut self.chain.packets.get_mut(at).next, NIL);
            if self.chain.packets.get(at).is_attack() {
                self.drop_packet(at, src, DropCause::DeadNode);
            } else {
                let up = self.chain.uplinks.of(src);
                self.send(at, up, sched);
            }
            at = next;
        }
    }

    /// Whether node `node` (a cloudlet) still has a route to the remote cloud.
    pub fn has_route(&self, node: NodeId) -> bool {
        self.chain.uplinks.of(node) != NO_LINK
    }
}
