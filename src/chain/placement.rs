//! Where cloudlets stand, which cloudlet each patient attaches to, and the shape of the cloudlet mesh (full, ring,
//! grid, random geometric as in [Shi 2015], or explicit), checked to be connected.

use std::f64::consts::TAU;

use petgraph::algo::{connected_components, min_spanning_tree};
use petgraph::data::Element;
use petgraph::graph::{NodeIndex, UnGraph};
use rand::Rng;

use super::network::TopologyError;
use crate::chain::{Attach, Mesh};
use crate::kernel::StreamFactory;
use crate::scenario::ModelConfig;
use crate::streams;

pub(super) fn cloudlet_positions(cfg: &ModelConfig, streams: &StreamFactory) -> Vec<(f64, f64)> {
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

pub(super) fn attach(cfg: &ModelConfig, patients: &[(f64, f64)], cloudlets: &[(f64, f64)]) -> Vec<u32> {
    match &cfg.attach {
        Attach::Explicit(list) => list.clone(),
        Attach::RoundRobin => (0..patients.len() as u32).map(|p| p % cloudlets.len() as u32).collect(),
        // min_delay starts from the nearest; the mobility mechanism re-chooses at time zero.
        Attach::Nearest | Attach::MinDelay => patients
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

pub(super) fn mesh_edges(cfg: &ModelConfig, pos: &[(f64, f64)]) -> Result<Vec<(u32, u32)>, TopologyError> {
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
