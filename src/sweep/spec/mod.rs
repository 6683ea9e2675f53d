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
//!
//! This module reads and validates the file and describes its runs; the `points` submodule collects the factors
//! of the product, numbers the points and derives their seeds.

mod points;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Value;

pub use points::point_seed;

use super::values::cell_text;
use super::{SpecProblem, SweepError};
use crate::scenario::locate::KeyIndex;
use crate::scenario::{load_str, ScenarioError};
use points::{factors, product, size_problem, Factor};

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
        let at = |key: &str, message: String| SpecProblem {
            key: Some(key.to_string()),
            line: index.line_of(key),
            message,
            excerpt: index.excerpt_of(key),
        };
        let raw: RawSweep = toml::from_str(text).map_err(|e| {
            let start = e.span().map(|s| s.start);
            let key = start.and_then(|s| index.key_at(s)).map(str::to_string);
            let line = start.map(|s| index.line_col(s).0);
            let excerpt = e.span().and_then(|s| index.excerpt_at(s));
            invalid(vec![SpecProblem { key, line, message: e.message().trim().to_string(), excerpt }])
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
                        excerpt: None,
                        message: format!("point {} ({}): {}", p.index, self.describe(p.index), diagnostics(&e)),
                    });
                }
            }
        }
        if bad > MAX_POINT_PROBLEMS {
            problems.push(SpecProblem {
                key: None,
                line: None,
                excerpt: None,
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
