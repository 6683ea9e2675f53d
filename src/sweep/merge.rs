//! `cloudletsim merge`: put the shards of a sweep back together.
//!
//! Every shard folder must hold the same `sweep.json`. Their run files are copied (atomically, byte for byte) into
//! the output folder, which then holds every run and gets `runs.csv` and `summary.csv` from the same code as an
//! unsharded sweep, so the tables are byte-identical to it. A run stored in two shards must be the same file in
//! both; a missing run is reported by name.

use std::fs;
use std::path::{Path, PathBuf};

use super::store::{self, Manifest};
use super::{table, SweepError};
use crate::output::atomic::{write_file_atomic, Durability};
use crate::output::manifest::RESOLVED_SCENARIO_FILE;

/// What a merge did.
#[derive(Debug, Clone)]
pub struct MergeReport {
    /// Runs in the merged sweep.
    pub runs: u64,
    /// Run files copied from the shards.
    pub copied: u64,
}

/// Merges the sweep folders `shards` into `out` (which may be one of them, or a folder of the same sweep; any other
/// existing folder is refused unless `force`, as [`store::prepare`] says).
pub fn merge(shards: &[PathBuf], out: &Path, force: bool) -> Result<MergeReport, SweepError> {
    let Some(first) = shards.first() else {
        return Err(SweepError::Folder { path: out.to_path_buf(), message: "no shard folders to merge".to_string() });
    };
    let manifest = store::read_manifest(first)?;
    for dir in &shards[1..] {
        let m = store::read_manifest(dir)?;
        if m != manifest {
            return Err(SweepError::Folder {
                path: dir.clone(),
                message: format!(
                    "is a shard of another sweep than {} ({})",
                    first.display(),
                    store::difference(&manifest, &m)
                ),
            });
        }
    }
    store::prepare(out, &manifest, force)?;
    let resolved = first.join(RESOLVED_SCENARIO_FILE);
    if resolved != out.join(RESOLVED_SCENARIO_FILE) {
        if let Some(bytes) = read_if_exists(&resolved)? {
            write_file_atomic(&out.join(RESOLVED_SCENARIO_FILE), &bytes, Durability::Synced)?;
        }
    }
    let mut copied = 0;
    let mut missing = Vec::new();
    for run in manifest.runs() {
        let target = store::run_file(out, &run);
        let mut have = read_if_exists(&target)?;
        for dir in shards {
            let source = store::run_file(dir, &run);
            if source == target {
                continue;
            }
            let Some(bytes) = read_if_exists(&source)? else { continue };
            match &have {
                Some(h) if *h != bytes => {
                    return Err(SweepError::Folder {
                        path: source,
                        message: format!(
                            "differs from {}: the same run stored twice with other results",
                            target.display()
                        ),
                    })
                }
                Some(_) => {}
                None => {
                    write_file_atomic(&target, &bytes, Durability::Renamed)?;
                    copied += 1;
                    have = Some(bytes);
                }
            }
        }
        if have.is_none() {
            missing.push(run);
        }
    }
    if let Some(r) = missing.first() {
        return Err(SweepError::Folder {
            path: out.to_path_buf(),
            message: format!(
                "{} of {} runs are in none of the shards (first: point {} replication {}, {}); run the missing \
                 shards, or `cloudletsim sweep` with --out on the merged folder to make them",
                missing.len(),
                manifest.points.len() as u64 * manifest.replications,
                r.point,
                r.replication,
                store::run_file(out, r).display()
            ),
        });
    }
    check_records(out, &manifest)?;
    table::write_tables(out, &manifest)?;
    Ok(MergeReport { runs: manifest.points.len() as u64 * manifest.replications, copied })
}

fn read_if_exists(path: &Path) -> Result<Option<Vec<u8>>, SweepError> {
    match fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SweepError::Read { path: path.to_path_buf(), source }),
    }
}

/// Every stored run parses and carries its point's seed.
fn check_records(dir: &Path, m: &Manifest) -> Result<(), SweepError> {
    for run in m.runs() {
        if let Some(rec) = store::read_record(dir, &run)? {
            let seed = m.points[run.point as usize].seed;
            if rec.seed != seed {
                return Err(SweepError::Folder {
                    path: store::run_file(dir, &run),
                    message: format!("has seed {} but the sweep gives this point seed {seed}", rec.seed),
                });
            }
        }
    }
    Ok(())
}
