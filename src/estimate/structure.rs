//! The network's structure from the configuration alone: mesh edges, the mesh's keys, mean mesh hops, and the
//! setup work of building it (route searches, IDS placement, attachment) before the first event.

use super::render::{count_text, num};
use super::{add, div, mul, Basis};
use crate::chain::{Attach, Mesh};
use crate::scenario::ModelConfig;

/// Steps of route computation per relaxed edge (Dijkstra with a binary heap and a hash map of distances): each
/// edge is relaxed once per search, and a heap push costs about log₂ n steps.
const ROUTE_STEP_FLOOR: f64 = 1.0;

/// Probability that two points uniform in an `a × b` rectangle are at most `r` apart: the integral over the
/// horizontal offset x (density `2(a − x)/a²`) of the chance that the vertical offset is at most `√(r² − x²)`
/// (distribution `1 − (1 − t/b)²`), by Simpson's rule on 64 intervals.
fn pair_within(a: f64, b: f64, r: f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && r > 0.0) {
        return 0.0;
    }
    if r * r >= a * a + b * b {
        return 1.0;
    }
    let top = r.min(a);
    let f = |x: f64| {
        let t = (r * r - x * x).max(0.0).sqrt().min(b);
        2.0 * (a - x) / (a * a) * (1.0 - (1.0 - t / b).powi(2))
    };
    const N: usize = 64;
    let h = top / N as f64;
    let mut sum = f(0.0) + f(top);
    for i in 1..N {
        sum += f(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    (sum * h / 3.0).clamp(0.0, 1.0)
}

/// Undirected mesh edges (expected, for a random geometric mesh) and the keys that set them.
pub(super) fn mesh_edges(cfg: &ModelConfig) -> f64 {
    let c = cfg.cloudlets.count as f64;
    match &cfg.cloudlets.mesh {
        Mesh::Full => c * (c - 1.0) / 2.0,
        Mesh::Ring if c < 3.0 => (c - 1.0).max(0.0),
        Mesh::Ring => c,
        Mesh::Grid { columns } => {
            let (n, k) = (cfg.cloudlets.count as u64, (*columns).max(1) as u64);
            ((n / k) * (k - 1) + (n % k).saturating_sub(1) + n.saturating_sub(k)) as f64
        }
        Mesh::RandomGeometric { radius_m } => {
            c * (c - 1.0) / 2.0 * pair_within(cfg.area_width_m, cfg.area_height_m, *radius_m)
        }
        Mesh::Explicit { edges } => edges.len() as f64,
    }
}

/// The mesh's keys, with its kind and size as text.
pub(super) fn mesh_keys(cfg: &ModelConfig) -> (Vec<String>, String) {
    let c = cfg.cloudlets.count;
    let (kind, extra) = match &cfg.cloudlets.mesh {
        Mesh::Full => ("full", None),
        Mesh::Ring => ("ring", None),
        Mesh::Grid { columns } => {
            ("grid", Some(("cloudlets.grid_columns", format!("cloudlets.grid_columns = {columns}"))))
        }
        Mesh::RandomGeometric { radius_m } => {
            ("random_geometric", Some(("cloudlets.radius_m", format!("cloudlets.radius_m = {}", num(*radius_m)))))
        }
        Mesh::Explicit { edges } => ("explicit", Some(("cloudlets.edges", format!("{} cloudlets.edges", edges.len())))),
    };
    let mut keys = vec!["cloudlets.count".to_string(), "cloudlets.mesh".to_string()];
    let mut text = format!("cloudlets.count = {c} with cloudlets.mesh = \"{kind}\"");
    if let Some((key, e)) = extra {
        keys.push(key.to_string());
        text = format!("{text} ({e})");
    }
    (keys, text)
}

/// Mean mesh hops from a cloudlet to the WAN gateway its route leaves by (0 at a gateway), and mean mesh hops
/// between two distinct cloudlets. Exact for full and ring meshes and small grids, approximate otherwise.
pub(super) fn mean_hops(cfg: &ModelConfig) -> (f64, f64) {
    let n = cfg.cloudlets.count.max(1) as f64;
    let gateways = &cfg.cloudlets.wan_gateways;
    let g = (gateways.len().max(1) as f64).min(n);
    let non_gateway = (n - g) / n;
    match &cfg.cloudlets.mesh {
        Mesh::Full => (non_gateway, 1.0),
        Mesh::Ring if n < 3.0 => (non_gateway, 1.0),
        Mesh::Ring => {
            // Between consecutive gateways a gap of m cloudlets is m hops from both ends: Σ min(i, m + 1 − i) =
            // ⌊(m + 1)² / 4⌋ hops over the gap.
            let c = cfg.cloudlets.count as u64;
            let mut sum = 0.0;
            for (i, &a) in gateways.iter().enumerate() {
                let b = gateways.get(i + 1).map_or(gateways[0] as u64 + c, |&b| b as u64);
                let m = b.saturating_sub(a as u64).saturating_sub(1) as f64;
                sum += ((m + 1.0) * (m + 1.0) / 4.0).floor();
            }
            (sum / n, n * n / (4.0 * (n - 1.0)))
        }
        Mesh::Grid { columns } => {
            let k = (*columns).max(1) as u64;
            let c = cfg.cloudlets.count as u64;
            let rows = c.div_ceil(k) as f64;
            let between = (k as f64 + rows) / 3.0;
            if c.saturating_mul(gateways.len() as u64) <= 4096 {
                let mut sum = 0u64;
                for i in 0..c {
                    let d = |j: u64| (i % k).abs_diff(j % k) + (i / k).abs_diff(j / k);
                    sum += gateways.iter().map(|&j| d(j as u64)).min().unwrap_or(0);
                }
                (sum as f64 / n, between.max(1.0))
            } else {
                // A gateway serves a diamond of about n / g cloudlets, of radius √(n / 2g); the mean L1 distance
                // inside a diamond is two thirds of its radius.
                ((2.0 / 3.0 * (n / (2.0 * g)).sqrt()).max(non_gateway), between.max(1.0))
            }
        }
        Mesh::RandomGeometric { radius_m } => {
            let (w, h) = (cfg.area_width_m, cfg.area_height_m);
            // Nearest of g uniform gateways is about ½ √(area / g) away (Poisson nearest neighbour), two random
            // points about 0.52 √area (square); a shortest path advances about 0.8 radius per hop.
            let progress = 0.8 * radius_m;
            let to_gateway = div(0.5 * (w * h / g).sqrt(), progress) + 0.5;
            let between = div(0.52 * (w * h).sqrt(), progress) + 0.5;
            (mul(non_gateway, to_gateway.max(1.0)), between.max(1.0))
        }
        Mesh::Explicit { edges } => {
            // Without building the graph: a sparse mesh (about a path or a ring) is long, a dense one short.
            let degree = 2.0 * edges.len() as f64 / n;
            let span = if degree <= 2.5 { n / (4.0 * g) } else { (n / g).ln() / (degree - 1.0).ln() };
            (mul(non_gateway, span.max(1.0)), if degree <= 2.5 { n / 4.0 } else { n.ln() / (degree - 1.0).ln() })
        }
    }
}

/// Steps of building the network before the first event, and the keys and values that drive them.
pub(super) fn setup(cfg: &ModelConfig, x: &Basis) -> (f64, (Vec<String>, String)) {
    let Basis { w, p, c, core, edges, mesh_keys: ref mesh_key_list, ref mesh_text, directed_core, routes, .. } = *x;
    // ---- Setup work: route searches and placement, before the first event. ----
    let log_core = core.max(2.0).log2();
    // All-pairs routes: one Dijkstra per core node over the whole core graph, and one toward the cloud.
    let route_steps = mul(add(core, 1.0), mul(add(core, directed_core), log_core.max(ROUTE_STEP_FLOOR)));
    // Betweenness centrality for IDS placement (Brandes): one search per cloudlet.
    let centrality = match cfg.ids.placement {
        crate::ids::Placement::Betweenness => mul(c, add(c, mul(2.0, edges))),
        _ => c,
    };
    // A random geometric mesh tests every pair of cloudlets; nearest attachment every (patient, cloudlet) pair.
    let pairs = if matches!(cfg.cloudlets.mesh, Mesh::RandomGeometric { .. }) { c * c / 2.0 } else { 0.0 };
    let nearest = if matches!(cfg.attach, Attach::Nearest) { mul(p, c) } else { p };
    let setup_steps = add(add(add(route_steps, centrality), pairs), add(nearest, add(w, p)));
    let mut setup_keys = mesh_key_list.clone();
    if matches!(cfg.attach, Attach::Nearest) && nearest > route_steps {
        setup_keys.extend(["wearables.count".to_string(), "patients.attach".to_string()]);
    }
    let setup_text = format!("{mesh_text}: {} route entries, {} mesh links", count_text(routes), count_text(edges));
    (setup_steps, (setup_keys, setup_text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::topology::Topology;
    use crate::estimate::tests::{config, BASE};
    use crate::estimate::Estimate;
    use crate::kernel::StreamFactory;

    /// Links, nodes and mesh edges agree with the built topology for every deterministic mesh kind.
    #[test]
    fn structure_matches_the_topology() {
        let cases: &[&[&str]] = &[
            &["cloudlets.count=7", "cloudlets.mesh=full"],
            &["cloudlets.count=1", "cloudlets.mesh=ring"],
            &["cloudlets.count=2", "cloudlets.mesh=ring"],
            &["cloudlets.count=9", "cloudlets.mesh=ring", "cloudlets.wan_gateways=[0, 3]"],
            &["cloudlets.count=10", "cloudlets.mesh=grid"],
            &["cloudlets.count=11", "cloudlets.mesh=grid", "cloudlets.grid_columns=4"],
            &["cloudlets.count=5", "cloudlets.mesh=grid", "cloudlets.grid_columns=1"],
            &["cloudlets.count=4", "cloudlets.mesh=explicit", "cloudlets.edges=[[0, 1], [1, 2], [2, 3]]"],
        ];
        for sets in cases {
            let mut all = vec!["wearables.count=13", "wearables.per_patient=3"];
            all.extend_from_slice(sets);
            if !sets.iter().any(|s| s.starts_with("cloudlets.wan_gateways")) {
                all.push("cloudlets.wan_gateways=[0]");
            }
            let cfg = config(BASE, &all);
            let topo = Topology::build(&cfg, &StreamFactory::new(cfg.seed, 0)).expect("connected");
            let e = Estimate::of(&cfg);
            assert_eq!(e.links, topo.link_count() as u64, "{sets:?}");
            assert_eq!(e.nodes, topo.node_count() as u64, "{sets:?}");
            assert_eq!(e.routes, topo.core.next.len() as u64, "{sets:?}");
            // Mean hops to a WAN gateway, exact for these meshes.
            let first_core = topo.core_node(crate::chain::CoreIx(0));
            let hops: usize =
                (0..cfg.cloudlets.count).map(|i| topo.route_to_cloud(first_core.offset(i)).len() - 2).sum();
            let (to_gateway, _) = mean_hops(&cfg);
            if !matches!(cfg.cloudlets.mesh, Mesh::Explicit { .. }) {
                let exact = hops as f64 / f64::from(cfg.cloudlets.count);
                assert!((to_gateway - exact).abs() < 1e-9, "{sets:?}: {to_gateway} vs {exact}");
            }
        }
    }

    #[test]
    fn random_pairs_within_a_radius() {
        // Unit square, small r: π r² − 8/3 r³ + r⁴/2 (the exact series for r ≤ 1).
        let r: f64 = 0.1;
        let exact = std::f64::consts::PI * r * r - 8.0 / 3.0 * r.powi(3) + r.powi(4) / 2.0;
        assert!((pair_within(1.0, 1.0, r) - exact).abs() < 1e-3 * exact, "{}", pair_within(1.0, 1.0, r));
        assert_eq!(pair_within(1.0, 1.0, 2.0), 1.0);
    }
}
