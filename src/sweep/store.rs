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

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::spec::{RunSpec, Sweep};
use super::values::cell_text;
use super::SweepError;
use crate::output::atomic::{remove_owned, write_file_atomic, Durability};
use crate::output::manifest::{
    self as folder, manifest_name, FolderKind, Prior, MANIFEST_FILE, RESOLVED_SCENARIO_FILE,
};
use crate::output::{to_json, OutputError};

/// Version of the `sweep.json` and run-file formats.
pub const FORMAT: u32 = 1;
/// The manifest's file name.
pub const MANIFEST: &str = "sweep.json";
/// The folder of run files.
pub const RUNS: &str = "runs";
/// The per-run table.
pub const RUNS_CSV: &str = "runs.csv";
/// The per-point table.
pub const SUMMARY_CSV: &str = "summary.csv";

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
/// one already there is the same sweep (then the sweep resumes). The folder's `manifest.json`
/// ([`crate::output::manifest`]) is (re)written each time, listing every file the sweep writes or will write when
/// complete. A folder cloudletsim did not write as a sweep folder, or one of another sweep, is refused unless
/// `force`; with `force` only files a cloudletsim manifest lists are deleted, and a file of someone else's that
/// the sweep would overwrite is still refused. Temporary files left by a killed process are removed.
pub fn prepare(dir: &Path, manifest: &Manifest, force: bool) -> Result<(), SweepError> {
    let out_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SweepError::Output(OutputError { path, source })
    };
    let owned = match folder::inspect(dir, FolderKind::Sweep, force) {
        Ok(Prior::Absent | Prior::Empty) => BTreeSet::new(),
        Ok(Prior::Occupied { owned }) => owned,
        // A sweep folder of a version before manifest.json: its sweep.json says it is one.
        Err(_) if !dir.join(MANIFEST_FILE).exists() && read_manifest(dir).is_ok() => legacy_owned(dir),
        Err(e) => return Err(out_err(dir)(e)),
    };
    let path = dir.join(MANIFEST);
    if owned.contains(Path::new(MANIFEST)) && path.exists() {
        let old = read_manifest(dir)?;
        if &old != manifest {
            if !force {
                return Err(SweepError::Folder {
                    path: dir.to_path_buf(),
                    message: format!(
                        "holds results of another sweep ({}); choose another --out, or pass --force to replace them \
                         (only the files its manifest.json lists are deleted)",
                        difference(&old, manifest)
                    ),
                });
            }
            remove_owned(dir, &owned.iter().collect::<Vec<_>>());
        }
    } else {
        remove_owned(dir, &owned.iter().collect::<Vec<_>>());
    }
    let ours = planned_files(manifest);
    let clashes: Vec<&String> = ours
        .iter()
        .filter(|f| {
            let p = PathBuf::from(f.as_str());
            !owned.contains(&p) && fs::symlink_metadata(dir.join(&p)).is_ok_and(|m| !m.is_dir())
        })
        .collect();
    if let Some(first) = clashes.first() {
        return Err(SweepError::Folder {
            path: dir.join(first.as_str()),
            message: "was not written by this sweep, which would overwrite it; move it away or choose another --out"
                .to_string(),
        });
    }
    let runs = dir.join(RUNS);
    fs::create_dir_all(&runs).map_err(out_err(&runs))?;
    remove_stale_temporaries(&runs);
    if !path.exists() {
        write_file_atomic(&path, &to_json(manifest), Durability::Synced)?;
    }
    let folder_manifest = folder::Manifest::new(FolderKind::Sweep, ours);
    write_file_atomic(&dir.join(MANIFEST_FILE), &folder_manifest.to_json(), Durability::Synced)?;
    Ok(())
}

/// Every file a sweep folder of `manifest` holds when complete, relative to it.
pub fn planned_files(manifest: &Manifest) -> Vec<String> {
    let mut files =
        vec![MANIFEST.to_string(), RESOLVED_SCENARIO_FILE.to_string(), RUNS_CSV.to_string(), SUMMARY_CSV.to_string()];
    files.extend(manifest.runs().map(|r| manifest_name(&run_file(Path::new(""), &r))));
    files
}

/// Writes `scenario.resolved.toml`: the sweep's base scenario fully resolved (each run is that plus the `--set`
/// settings its run file records).
pub fn write_resolved_base(dir: &Path, sweep: &Sweep) -> Result<(), SweepError> {
    let base = crate::scenario::load_str(&sweep.scenario_text, &sweep.scenario_path, &[])
        .map_err(|source| SweepError::BaseScenario { sweep: sweep.file.clone(), source })?;
    let text = base.resolved_toml().map_err(|source| SweepError::BaseScenario { sweep: sweep.file.clone(), source })?;
    Ok(write_file_atomic(&dir.join(RESOLVED_SCENARIO_FILE), text.as_bytes(), Durability::Synced)?)
}

/// What a sweep folder written before `manifest.json` existed owns: `sweep.json`, its tables and its run files.
fn legacy_owned(dir: &Path) -> BTreeSet<PathBuf> {
    let mut owned: BTreeSet<PathBuf> = [MANIFEST, RUNS_CSV, SUMMARY_CSV].iter().map(PathBuf::from).collect();
    if let Ok(m) = read_manifest(dir) {
        owned.extend(m.runs().map(|r| run_file(Path::new(""), &r)));
    }
    owned
}

/// Removes the temporary run files (`.NAME.tmp-PID`) that a killed process left in `runs/`.
fn remove_stale_temporaries(runs: &Path) {
    let Ok(entries) = fs::read_dir(runs) else { return };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name.rsplit_once(".tmp-").and_then(|(head, pid)| {
            (head.starts_with(".p") && head.ends_with(".json")).then(|| pid.parse::<u32>().ok()).flatten()
        });
        if pid.is_some_and(|pid| !crate::output::atomic::alive(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
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
