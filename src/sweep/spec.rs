//! Sweep files: what to vary, how often to repeat, and the seeds of every run.
//!
//! ```toml
//! scenario = "quickstart.toml"   # base scenario, relative to this file
//! name = "sweep-quickstart"      # default: the file's stem; results go to results/<name>/
//! seed = 42                      # sweep seed (default 1)
//! replications = 5               # runs per point (default 1)
//! warmup_s = 10.0                # sets simulation.warmup_s in every run (optional)
//!
//! [vary]                         # the Cartesian product of these
//! "wearables.count" = { from = 200, to = 1000, step = 200 }
//! "links.access.loss_prob" = [0.0, 0.05, 0.1]
//! "simulation.duration_s" = 60.0 # one value: the same at every point
//!
//! [zip]                          # varied together: one more factor of the product
//! "cloudlets.count" = [4, 8]
//! "cloudlets.wan_gateways" = [[0], [0, 4]]
//! ```
//!
//! Keys are scenario keys by dotted path, quoted or as nested tables. Points are numbered in odometer order: the
//! first `vary` key changes slowest, the `zip` group fastest. Every key and every point is checked against the base
//! scenario with [`scenario::load_str`](crate::scenario::load_str) before anything runs, so an unknown key or a
//! value out of range is reported at its line in the sweep file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Value;

use super::values::{cell_text, is_range_like, Values};
use super::{SpecProblem, SweepError};
use crate::scenario::locate::KeyIndex;
use crate::scenario::{load_str, ScenarioError};

/// Most points a sweep may have.
pub const MAX_POINTS: u64 = 1_000_000;
/// Most runs (points × replications) a sweep may have.
pub const MAX_RUNS: u64 = 10_000_000;
/// Point combinations whose validation errors are listed before the rest are summarised.
const MAX_POINT_PROBLEMS: usize = 3;

/// The sweep file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSweep {
    scenario: String,
    name: Option<String>,
    #[serde(default = "one")]
    seed: u64,
    #[serde(default = "one")]
    replications: u64,
    warmup_s: Option<f64>,
    #[serde(default)]
    vary: toml::Table,
    #[serde(default)]
    zip: toml::Table,
}

fn one() -> u64 {
    1
}

/// One point of a sweep: a value for every swept key.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Index in odometer order, from 0.
    pub index: u64,
    /// One value per [`Sweep::keys`] entry.
    pub values: Vec<Value>,
    /// The scenario seed of every replication of this point.
    pub seed: u64,
}

/// One run: a point and a replication.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RunSpec {
    /// Point index.
    pub point: u64,
    /// Replication index, from 0.
    pub replication: u64,
}

impl RunSpec {
    /// Position in the sweep's run order (`point × replications + replication`).
    pub fn ordinal(&self, replications: u64) -> u64 {
        self.point * replications + self.replication
    }
}

/// A validated sweep.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The sweep file.
    pub file: PathBuf,
    /// Name (the default results folder is `results/<name>/`).
    pub name: String,
    /// The base scenario as written in the sweep file.
    pub scenario_ref: String,
    /// The base scenario's path (relative to the working directory).
    pub scenario_path: PathBuf,
    /// The base scenario's text.
    pub scenario_text: String,
    /// SHA-256 of the base scenario's text, hex.
    pub scenario_sha256: String,
    /// Sweep seed.
    pub seed: u64,
    /// Runs per point.
    pub replications: u64,
    /// Warm-up set in every run, s.
    pub warmup_s: Option<f64>,
    /// Swept keys, in column order: `vary` keys in file order, then `zip` keys.
    pub keys: Vec<String>,
    /// Every point, in order.
    pub points: Vec<Point>,
}

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

impl Sweep {
    /// Loads and validates the sweep file at `path` and its base scenario.
    pub fn load(path: &Path) -> Result<Sweep, SweepError> {
        let text =
            crate::scenario::read_text(path).map_err(|source| SweepError::Read { path: path.to_path_buf(), source })?;
        Self::from_text(&text, path)
    }

    /// Like [`Sweep::load`], from text already read; the base scenario is read relative to `path`'s folder.
    pub fn from_text(text: &str, path: &Path) -> Result<Sweep, SweepError> {
        Self::parse(text, path, crate::scenario::read_text)
    }

    /// Like [`Sweep::from_text`], with the base scenario's text given rather than read from the file that
    /// `scenario` names (for tests and fuzzing: no file is opened).
    pub fn from_texts(text: &str, path: &Path, scenario_text: &str) -> Result<Sweep, SweepError> {
        Self::parse(text, path, |_| Ok(scenario_text.to_string()))
    }

    fn parse(
        text: &str,
        path: &Path,
        read_base: impl FnOnce(&Path) -> std::io::Result<String>,
    ) -> Result<Sweep, SweepError> {
        let index = KeyIndex::new(text);
        let invalid = |problems| SweepError::Invalid { file: path.to_path_buf(), problems };
        let at =
            |key: &str, message: String| SpecProblem { key: Some(key.to_string()), line: index.line_of(key), message };
        let raw: RawSweep = toml::from_str(text).map_err(|e| {
            let start = e.span().map(|s| s.start);
            let key = start.and_then(|s| index.key_at(s)).map(str::to_string);
            let line = start.map(|s| index.line_col(s).0);
            invalid(vec![SpecProblem { key, line, message: e.message().trim().to_string() }])
        })?;

        let name = raw.name.clone().unwrap_or_else(|| {
            path.file_stem().map_or_else(|| "sweep".to_string(), |s| s.to_string_lossy().into_owned())
        });
        let mut problems = top_level_problems(&raw, &name, &at);

        let base_dir = path.parent().unwrap_or(Path::new(""));
        let scenario_path = base_dir.join(&raw.scenario);
        let scenario_text = match read_base(&scenario_path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(at("scenario", format!("cannot read base scenario {}: {e}", scenario_path.display())));
                return Err(invalid(problems));
            }
        };
        load_str(&scenario_text, &scenario_path, &[])
            .map_err(|source| SweepError::BaseScenario { sweep: path.to_path_buf(), source })?;

        let factors = factors(&raw, &mut problems, &at);
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let mut sweep = Sweep {
            file: path.to_path_buf(),
            name,
            scenario_ref: raw.scenario.clone(),
            scenario_sha256: format!("{:x}", Sha256::digest(scenario_text.as_bytes())),
            scenario_path,
            scenario_text,
            seed: raw.seed,
            replications: raw.replications,
            warmup_s: raw.warmup_s,
            keys: factors.iter().flat_map(|f| f.keys.iter().map(|(k, _)| k.clone())).collect(),
            points: Vec::new(),
        };
        if let Some(p) = size_problem(&factors, raw.replications, &at) {
            return Err(invalid(vec![p]));
        }
        sweep.check_values(&factors, &at, &mut problems);
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        sweep.points = product(&factors, &mut problems, raw.seed, &at);
        if problems.is_empty() {
            sweep.check_points(&mut problems);
        }
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        Ok(sweep)
    }

    /// Number of runs: points × replications.
    pub fn run_count(&self) -> u64 {
        self.points.len() as u64 * self.replications
    }

    /// Every run, in order.
    pub fn runs(&self) -> impl Iterator<Item = RunSpec> + '_ {
        (0..self.points.len() as u64)
            .flat_map(move |point| (0..self.replications).map(move |replication| RunSpec { point, replication }))
    }

    /// The `--set` overrides of one run, in order: the point's values, the warm-up, the seed, the replication.
    pub fn overrides(&self, run: &RunSpec) -> Vec<String> {
        let p = &self.points[run.point as usize];
        let pairs: Vec<(&str, &Value)> = self.keys.iter().map(String::as_str).zip(&p.values).collect();
        self.fixed_overrides(p.seed, run.replication, &pairs)
    }

    fn fixed_overrides(&self, seed: u64, replication: u64, pairs: &[(&str, &Value)]) -> Vec<String> {
        let mut sets: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if let Some(w) = self.warmup_s {
            sets.push(format!("simulation.warmup_s={}", Value::Float(w)));
        }
        sets.push(format!("seed={seed}"));
        sets.push(format!("simulation.replication={replication}"));
        sets
    }

    /// A point's values as `key=value` text, for messages.
    pub fn describe(&self, point: u64) -> String {
        let p = &self.points[point as usize];
        let parts: Vec<String> =
            self.keys.iter().zip(&p.values).map(|(k, v)| format!("{k}={}", cell_text(v))).collect();
        if parts.is_empty() {
            "the base scenario".to_string()
        } else {
            parts.join(", ")
        }
    }

    /// Each key alone, with each of its values, against the base scenario: unknown paths and bad values are
    /// reported at their line (the first bad value of each key).
    fn check_values(&self, factors: &[Factor], at: &dyn Fn(&str, String) -> SpecProblem, out: &mut Vec<SpecProblem>) {
        for f in factors {
            for (i, (key, sweep_key)) in f.keys.iter().enumerate() {
                for row in &f.rows {
                    let sets = self.fixed_overrides(0, 0, &[(key.as_str(), &row[i])]);
                    if let Err(e) = load_str(&self.scenario_text, &self.scenario_path, &sets) {
                        out.push(at(sweep_key, scenario_problem(&e, key, &row[i])));
                        break;
                    }
                }
            }
        }
    }

    /// Every point, with all its values at once, against the base scenario (values may clash, such as a warm-up
    /// longer than a duration).
    fn check_points(&self, problems: &mut Vec<SpecProblem>) {
        let mut bad = 0usize;
        for p in &self.points {
            let run = RunSpec { point: p.index, replication: 0 };
            if let Err(e) = load_str(&self.scenario_text, &self.scenario_path, &self.overrides(&run)) {
                bad += 1;
                if bad <= MAX_POINT_PROBLEMS {
                    problems.push(SpecProblem {
                        key: None,
                        line: None,
                        message: format!("point {} ({}): {}", p.index, self.describe(p.index), diagnostics(&e)),
                    });
                }
            }
        }
        if bad > MAX_POINT_PROBLEMS {
            problems.push(SpecProblem {
                key: None,
                line: None,
                message: format!("... and {} more points that are not valid scenarios", bad - MAX_POINT_PROBLEMS),
            });
        }
    }
}

/// Problems of the sweep file's own keys (name, replications, warm-up).
fn top_level_problems(raw: &RawSweep, name: &str, at: &dyn Fn(&str, String) -> SpecProblem) -> Vec<SpecProblem> {
    let mut problems = Vec::new();
    if !(name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)))
    {
        let message = format!("{name:?}: use letters, digits, '-', '_' and '.', starting with a letter or digit");
        problems.push(at("name", message));
    }
    if raw.replications == 0 || raw.replications > MAX_RUNS {
        problems.push(at("replications", format!("must be 1 to {MAX_RUNS} (got {})", raw.replications)));
    }
    if let Some(w) = raw.warmup_s.filter(|w| !(w.is_finite() && *w >= 0.0)) {
        problems.push(at("warmup_s", format!("must be a number of seconds >= 0 (got {w})")));
    }
    problems
}

/// One factor of the product: a `vary` key, or the whole `zip` group.
struct Factor {
    /// (scenario key, sweep-file key) of each column.
    keys: Vec<(String, String)>,
    /// The factor's levels: one value per key each.
    rows: Vec<Vec<Value>>,
}

fn factors(raw: &RawSweep, problems: &mut Vec<SpecProblem>, at: &dyn Fn(&str, String) -> SpecProblem) -> Vec<Factor> {
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
fn size_problem(
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

fn product(
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

/// The scenario's complaint about `key = v`, without the scenario file's own framing.
fn scenario_problem(e: &ScenarioError, key: &str, v: &Value) -> String {
    format!("{key} = {} is not a valid setting of the base scenario: {}", cell_text(v), diagnostics(e))
}

fn diagnostics(e: &ScenarioError) -> String {
    match e {
        ScenarioError::Invalid { diagnostics, .. } => diagnostics
            .iter()
            .map(|d| match &d.key {
                Some(k) => format!("`{k}`: {}", d.message),
                None => d.message.clone(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str, base: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("cloudletsim-spec-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("base.toml"), base).unwrap();
        d
    }

    const BASE: &str = "name = \"base\"\n[simulation]\nduration_s = 10.0\n";

    fn load(name: &str, text: &str) -> Result<Sweep, String> {
        let d = scratch(name, BASE);
        let r = Sweep::from_text(text, &d.join("s.toml")).map_err(|e| format!("{e:#}"));
        let _ = std::fs::remove_dir_all(&d);
        r
    }

    #[test]
    fn points_are_the_product_in_odometer_order_with_the_zip_group_last() {
        let s = load(
            "product",
            "scenario = \"base.toml\"\nreplications = 2\n[vary]\n\"wearables.count\" = [10, 20]\n\
             links.ban.loss_prob = { from = 0.0, to = 0.2, step = 0.1 }\n\
             [zip]\n\"cloudlets.count\" = [4, 8]\n\"cloudlets.wan_gateways\" = [[0], [0, 4]]\n",
        )
        .unwrap();
        assert_eq!(s.keys, ["wearables.count", "links.ban.loss_prob", "cloudlets.count", "cloudlets.wan_gateways"]);
        assert_eq!(s.points.len(), 2 * 3 * 2);
        assert_eq!(s.run_count(), 24);
        assert_eq!(
            s.describe(0),
            "wearables.count=10, links.ban.loss_prob=0.0, cloudlets.count=4, cloudlets.wan_gateways=[0]"
        );
        assert_eq!(
            s.describe(3),
            "wearables.count=10, links.ban.loss_prob=0.1, cloudlets.count=8, cloudlets.wan_gateways=[0, 4]"
        );
        assert_eq!(
            s.describe(11),
            "wearables.count=20, links.ban.loss_prob=0.2, cloudlets.count=8, cloudlets.wan_gateways=[0, 4]"
        );
        let sets = s.overrides(&RunSpec { point: 3, replication: 1 });
        assert_eq!(sets[..2], ["wearables.count=10", "links.ban.loss_prob=0.1"]);
        assert_eq!(sets[4], format!("seed={}", point_seed(1, 3)));
        assert_eq!(sets[5], "simulation.replication=1");
    }

    #[test]
    fn from_texts_reads_no_file() {
        let text = "scenario = \"nowhere/base.toml\"\n[vary]\n\"wearables.count\" = [10, 20]\n";
        let s = Sweep::from_texts(text, Path::new("s.toml"), BASE).unwrap();
        assert_eq!(s.points.len(), 2);
        assert_eq!(s.scenario_path, Path::new("nowhere/base.toml"));
        assert_eq!(s.scenario_text, BASE);
    }

    #[test]
    fn seeds_depend_on_sweep_seed_and_point_only() {
        assert_eq!(point_seed(7, 3), point_seed(7, 3));
        assert_ne!(point_seed(7, 3), point_seed(7, 4));
        assert_ne!(point_seed(7, 3), point_seed(8, 3));
        let seeds: HashSet<u64> = (0..10_000).map(|p| point_seed(1, p)).collect();
        assert_eq!(seeds.len(), 10_000);
    }

    #[test]
    fn problems_name_key_and_line() {
        let e = load("unknown", "scenario = \"base.toml\"\n[vary]\n\"wearables.cont\" = [1, 2]\n").unwrap_err();
        assert!(e.contains("s.toml:3: key `vary.wearables.cont`"), "{e}");
        assert!(e.contains("unknown field `cont`"), "{e}");
        let e = load("range", "scenario = \"base.toml\"\n[vary]\nwearables.count = { from = 5, to = 1, step = 1 }\n")
            .unwrap_err();
        assert!(e.contains("s.toml:3: key `vary.wearables.count`: empty range"), "{e}");
        let e =
            load("value", "scenario = \"base.toml\"\n\n[vary]\n\"links.ban.loss_prob\" = [0.1, 1.5]\n").unwrap_err();
        assert!(e.contains("s.toml:4: key `vary.links.ban.loss_prob`: links.ban.loss_prob = 1.5"), "{e}");
        let e = load("seed", "scenario = \"base.toml\"\n[vary]\nseed = [1, 2]\n").unwrap_err();
        assert!(e.contains("key `vary.seed`: cannot be swept"), "{e}");
        let e = load("top", "scenario = \"base.toml\"\nreplicatons = 3\n").unwrap_err();
        assert!(e.contains("s.toml:2") && e.contains("unknown field `replicatons`"), "{e}");
        let e = load("missing", "scenario = \"nope.toml\"\n").unwrap_err();
        assert!(e.contains("s.toml:1: key `scenario`: cannot read base scenario"), "{e}");
        let e =
            load("zip", "scenario = \"base.toml\"\n[zip]\n\"wearables.count\" = [1, 2]\n\"cloudlets.count\" = [4]\n")
                .unwrap_err();
        assert!(e.contains("s.toml:4: key `zip.cloudlets.count`: has 1 values but `zip.wearables.count` has 2"), "{e}");
        let e = load("clash", "scenario = \"base.toml\"\n[vary]\n\"simulation.warmup_s\" = [5.0, 20.0]\n").unwrap_err();
        assert!(e.contains("s.toml:3: key `vary.simulation.warmup_s`") && e.contains("smaller than duration_s"), "{e}");
        // Each value is fine alone against the base; only their combination clashes.
        let e = load(
            "combination",
            "scenario = \"base.toml\"\n[vary]\n\"simulation.duration_s\" = [4.0, 10.0]\n\
             \"simulation.warmup_s\" = [5.0]\n",
        )
        .unwrap_err();
        assert!(e.contains("point 0 (simulation.duration_s=4.0, simulation.warmup_s=5.0)"), "{e}");
        assert!(e.contains("smaller than duration_s = 4"), "{e}");
        assert!(!e.contains("point 1"), "{e}");
        let e =
            load("runs", "scenario = \"base.toml\"\nreplications = 10000000\n[vary]\n\"wearables.count\" = [1, 2]\n")
                .unwrap_err();
        assert!(e.contains("s.toml:2: key `replications`: 2 points × 10000000 replications is 20000000 runs"), "{e}");
    }
}
