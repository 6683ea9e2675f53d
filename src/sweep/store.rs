//! A sweep folder on disk: `sweep.json` (what the sweep is) and `runs/` (one JSON file per finished run).
//!
//! Each run file is written atomically as soon as its run finishes ([`write_file_atomic`]): a sweep that is stopped
//! (Ctrl-C, a killed job) leaves only whole files, and a rerun skips them. Run files are not synced to disk one by
//! one (that costs milliseconds per run on a busy disk, more than a short run itself), so a power cut may lose the
//! last ones or leave them cut short; a rerun reads every file it finds and makes again any that does not parse or
//! was made with other settings. `sweep.json` and the tables are synced. `sweep.json` pins the
//! folder to one sweep: the same points, seeds, replications and base scenario (by SHA-256), so results of another
//! sweep are never mixed in. Both files hold only deterministic content, so shards written on different machines
//! are identical to the same runs written on one.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::spec::{RunSpec, Sweep};
use super::values::cell_text;
use super::SweepError;
use crate::output::atomic::{write_file_atomic, Durability};
use crate::output::to_json;

/// Version of the `sweep.json` and run-file formats.
pub const FORMAT: u32 = 1;
/// The manifest's file name.
pub const MANIFEST: &str = "sweep.json";
/// The folder of run files.
pub const RUNS: &str = "runs";

/// `sweep.json`: everything that decides a sweep's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version ([`FORMAT`]).
    pub format: u32,
    /// Sweep name.
    pub name: String,
    /// Base scenario as written in the sweep file.
    pub scenario: String,
    /// SHA-256 of the base scenario's text.
    pub scenario_sha256: String,
    /// Sweep seed.
    pub seed: u64,
    /// Runs per point.
    pub replications: u64,
    /// Warm-up set in every run, s.
    pub warmup_s: Option<f64>,
    /// Swept keys.
    pub keys: Vec<String>,
    /// Every point.
    pub points: Vec<ManifestPoint>,
}

/// One point in `sweep.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestPoint {
    /// Point index.
    pub index: u64,
    /// Scenario seed of its runs.
    pub seed: u64,
    /// One value per key, as in the CSV files.
    pub values: Vec<String>,
}

/// One finished run: `runs/pPPPPPP-rRRRR.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Point index.
    pub point: u64,
    /// Replication index.
    pub replication: u64,
    /// Scenario seed.
    pub seed: u64,
    /// The `--set` overrides the run was made with (applied to the base scenario).
    pub settings: Vec<String>,
    /// The run's `summary.json`.
    pub summary: serde_json::Value,
}

impl Manifest {
    /// The manifest of `sweep`.
    pub fn of(sweep: &Sweep) -> Manifest {
        Manifest {
            format: FORMAT,
            name: sweep.name.clone(),
            scenario: sweep.scenario_ref.clone(),
            scenario_sha256: sweep.scenario_sha256.clone(),
            seed: sweep.seed,
            replications: sweep.replications,
            warmup_s: sweep.warmup_s,
            keys: sweep.keys.clone(),
            points: sweep
                .points
                .iter()
                .map(|p| ManifestPoint {
                    index: p.index,
                    seed: p.seed,
                    values: p.values.iter().map(cell_text).collect(),
                })
                .collect(),
        }
    }

    /// Every run, in order.
    pub fn runs(&self) -> impl Iterator<Item = RunSpec> + '_ {
        (0..self.points.len() as u64)
            .flat_map(move |point| (0..self.replications).map(move |replication| RunSpec { point, replication }))
    }

    /// A point's values as `key=value` text.
    pub fn describe(&self, point: u64) -> String {
        let p = &self.points[point as usize];
        self.keys.iter().zip(&p.values).map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ")
    }
}

/// The file of one run in sweep folder `dir`.
pub fn run_file(dir: &Path, run: &RunSpec) -> PathBuf {
    dir.join(RUNS).join(format!("p{:06}-r{:04}.json", run.point, run.replication))
}

/// Reads `dir/sweep.json`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, SweepError> {
    let path = dir.join(MANIFEST);
    let bytes = fs::read(&path).map_err(|source| SweepError::Read { path: path.clone(), source })?;
    let m: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| SweepError::Folder { path: path.clone(), message: format!("not a sweep manifest: {e}") })?;
    if m.format != FORMAT {
        return Err(SweepError::Folder {
            path,
            message: format!("format {} is not the format this cloudletsim reads ({FORMAT})", m.format),
        });
    }
    Ok(m)
}

/// Makes `dir` a folder of `manifest`'s sweep: creates it and `runs/`, and writes `sweep.json`, or checks that the
/// one already there is the same sweep.
pub fn prepare(dir: &Path, manifest: &Manifest) -> Result<(), SweepError> {
    let runs = dir.join(RUNS);
    fs::create_dir_all(&runs).map_err(|source| crate::output::OutputError { path: runs.clone(), source })?;
    let path = dir.join(MANIFEST);
    if path.exists() {
        let old = read_manifest(dir)?;
        if &old != manifest {
            return Err(SweepError::Folder {
                path: dir.to_path_buf(),
                message: format!(
                    "holds results of another sweep ({}); choose another --out, or delete the folder to start over",
                    difference(&old, manifest)
                ),
            });
        }
        return Ok(());
    }
    Ok(write_file_atomic(&path, &to_json(manifest), Durability::Synced)?)
}

/// What differs between two manifests, in words.
pub fn difference(a: &Manifest, b: &Manifest) -> String {
    let mut d = Vec::new();
    if a.name != b.name {
        d.push(format!("name {} vs {}", a.name, b.name));
    }
    if a.scenario != b.scenario || a.scenario_sha256 != b.scenario_sha256 {
        d.push("the base scenario differs".to_string());
    }
    if a.seed != b.seed {
        d.push(format!("seed {} vs {}", a.seed, b.seed));
    }
    if a.replications != b.replications {
        d.push(format!("replications {} vs {}", a.replications, b.replications));
    }
    if a.warmup_s != b.warmup_s {
        d.push("warmup_s differs".to_string());
    }
    let values = |m: &Manifest| m.points.iter().map(|p| p.values.clone()).collect::<Vec<_>>();
    if a.keys != b.keys || values(a) != values(b) {
        d.push("the swept keys or values differ".to_string());
    }
    if d.is_empty() {
        d.push("format differs".to_string());
    }
    d.join("; ")
}

/// Stores a finished run: atomically but not synced (a power cut may lose the last runs, or cut their files short;
/// a resumed sweep checks every file it finds and makes such runs again).
pub fn write_record(dir: &Path, record: &RunRecord) -> Result<(), SweepError> {
    let run = RunSpec { point: record.point, replication: record.replication };
    Ok(write_file_atomic(&run_file(dir, &run), &to_json(record), Durability::Renamed)?)
}

/// Reads the stored run `run` of `dir`: `Ok(None)` if there is none.
pub fn read_record(dir: &Path, run: &RunSpec) -> Result<Option<RunRecord>, SweepError> {
    let path = run_file(dir, run);
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(SweepError::Read { path, source }),
    };
    let record: RunRecord = serde_json::from_slice(&bytes)
        .map_err(|e| SweepError::Folder { path: path.clone(), message: format!("not a run record: {e}") })?;
    if record.point != run.point || record.replication != run.replication {
        return Err(SweepError::Folder {
            path,
            message: format!("holds point {} replication {}", record.point, record.replication),
        });
    }
    Ok(Some(record))
}
