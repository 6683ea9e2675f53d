//! The points of a sweep: the factors of the product (each `vary` key, and the `zip` group), their number, the
//! points in odometer order, and the seed of each point.

use std::collections::HashSet;

use toml::Value;

use super::{Point, RawSweep, MAX_POINTS, MAX_RUNS};
use crate::sweep::values::{is_range_like, Values};
use crate::sweep::SpecProblem;

/// The seed of every run of point `point` of a sweep with seed `sweep_seed`: SplitMix64 of both, kept to 63 bits
/// because TOML integers are signed. The replication index goes to `simulation.replication`, so (seed,
/// replication) names each run's random streams.
pub fn point_seed(sweep_seed: u64, point: u64) -> u64 {
    splitmix64(splitmix64(sweep_seed) ^ point) >> 1
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Keys the sweep sets itself.
const RESERVED: [(&str, &str); 2] = [
    ("seed", "each run's seed is derived from the sweep's `seed`, the point and the replication"),
    ("simulation.replication", "each run's replication index is set by the sweep (0 to replications - 1)"),
];

/// One factor of the product: a `vary` key, or the whole `zip` group.
pub(super) struct Factor {
    /// (scenario key, sweep-file key) of each column.
    pub(super) keys: Vec<(String, String)>,
    /// The factor's levels: one value per key each.
    pub(super) rows: Vec<Vec<Value>>,
}

pub(super) fn factors(
    raw: &RawSweep,
    problems: &mut Vec<SpecProblem>,
    at: &dyn Fn(&str, String) -> SpecProblem,
) -> Vec<Factor> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut zipped: Vec<(String, String, Vec<Value>)> = Vec::new();
    for (section, table) in [("vary", &raw.vary), ("zip", &raw.zip)] {
        let mut leaves = Vec::new();
        collect_leaves(table, "", &mut leaves);
        for (key, value) in leaves {
            let sweep_key = format!("{section}.{key}");
            let values = match Values::from_toml(value).and_then(|v| v.expand()) {
                Ok(values) => values,
                Err(message) => {
                    problems.push(at(&sweep_key, message));
                    continue;
                }
            };
            if let Some((_, why)) = RESERVED.iter().find(|(k, _)| *k == key) {
                problems.push(at(&sweep_key, format!("cannot be swept: {why}")));
                continue;
            }
            if key == "simulation.warmup_s" && raw.warmup_s.is_some() {
                problems.push(at(&sweep_key, "is also set by the sweep's warmup_s; keep one of the two".to_string()));
                continue;
            }
            if !seen.insert(key.clone()) {
                problems.push(at(&sweep_key, "is swept twice (in vary and in zip); keep one".to_string()));
                continue;
            }
            if section == "vary" {
                out.push(Factor { keys: vec![(key, sweep_key)], rows: values.into_iter().map(|v| vec![v]).collect() });
            } else {
                zipped.push((key, sweep_key, values));
            }
        }
    }
    if let Some((_, first_key, first_values)) = zipped.first() {
        let n = first_values.len();
        for (_, key, values) in &zipped[1..] {
            if values.len() != n {
                problems.push(at(
                    key,
                    format!(
                        "has {} values but `{first_key}` has {n}; keys in zip vary together and need as many values \
                         each",
                        values.len()
                    ),
                ));
            }
        }
        if problems.is_empty() {
            let rows = (0..n).map(|i| zipped.iter().map(|(_, _, v)| v[i].clone()).collect()).collect();
            out.push(Factor { keys: zipped.into_iter().map(|(k, sk, _)| (k, sk)).collect(), rows });
        }
    }
    out
}

/// The dotted paths and values of the leaves of a `vary` or `zip` table (a range table is a leaf).
fn collect_leaves<'a>(table: &'a toml::Table, prefix: &str, out: &mut Vec<(String, &'a Value)>) {
    for (k, v) in table {
        let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v.as_table() {
            Some(t) if !t.is_empty() && !is_range_like(t) => collect_leaves(t, &path, out),
            _ => out.push((path, v)),
        }
    }
}

/// The number of points of the product (saturating).
fn point_count(factors: &[Factor]) -> u64 {
    factors.iter().fold(1u64, |total, f| total.saturating_mul(f.rows.len() as u64))
}

/// Whether the sweep is too large, checked before any value is validated (each validation loads the scenario).
pub(super) fn size_problem(
    factors: &[Factor],
    replications: u64,
    at: &dyn Fn(&str, String) -> SpecProblem,
) -> Option<SpecProblem> {
    let total = point_count(factors);
    if total > MAX_POINTS {
        return Some(at("vary", format!("{total} points is too many (at most {MAX_POINTS})")));
    }
    if total.saturating_mul(replications) > MAX_RUNS {
        let message = format!(
            "{total} points × {replications} replications is {} runs, too many (at most {MAX_RUNS}); use fewer \
             replications or fewer points",
            u128::from(total) * u128::from(replications)
        );
        return Some(at("replications", message));
    }
    None
}

pub(super) fn product(
    factors: &[Factor],
    problems: &mut Vec<SpecProblem>,
    sweep_seed: u64,
    at: &dyn Fn(&str, String) -> SpecProblem,
) -> Vec<Point> {
    let total = point_count(factors);
    let mut seeds = HashSet::new();
    let mut points = Vec::with_capacity(total as usize);
    for index in 0..total {
        let mut rest = index;
        let mut levels = vec![0usize; factors.len()];
        for (i, f) in factors.iter().enumerate().rev() {
            levels[i] = (rest % f.rows.len() as u64) as usize;
            rest /= f.rows.len() as u64;
        }
        let values = factors.iter().zip(&levels).flat_map(|(f, &l)| f.rows[l].iter().cloned()).collect();
        let seed = point_seed(sweep_seed, index);
        if !seeds.insert(seed) {
            problems.push(at("seed", format!("points share a seed ({seed}); choose another sweep seed")));
        }
        points.push(Point { index, values, seed });
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_depend_on_sweep_seed_and_point_only() {
        assert_eq!(point_seed(7, 3), point_seed(7, 3));
        assert_ne!(point_seed(7, 3), point_seed(7, 4));
        assert_ne!(point_seed(7, 3), point_seed(8, 3));
        let seeds: HashSet<u64> = (0..10_000).map(|p| point_seed(1, p)).collect();
        assert_eq!(seeds.len(), 10_000);
    }
}
