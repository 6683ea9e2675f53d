//! Results folders that appear whole or not at all.
//!
//! Files are written into a hidden sibling folder (`.NAME.partial-PID`), which is renamed onto the final path only
//! when every file is complete, with a `manifest.json` listing them ([`super::manifest`]). A run that fails, or a
//! process that is killed, leaves no folder under the final name (and the next command writing there removes the
//! staging folder it left); a previous results folder of that name is replaced only at the last step, and only if
//! cloudletsim wrote it as the same kind of folder: only the files its manifest lists are deleted.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufWriter, IntoInnerError, Write};
use std::path::{Path, PathBuf};

use super::manifest::{self, FolderKind, Manifest, Prior, MANIFEST_FILE};

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write results to {}", path.display())]
pub struct OutputError {
    /// The file or folder concerned.
    pub path: PathBuf,
    /// The I/O error.
    pub source: std::io::Error,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError { path: path.to_path_buf(), source }
}

/// If a file (not a folder) stands on `path` or one of its ancestors, an error that says so (creating folders
/// there fails with a bare "File exists" or "Not a directory").
fn file_in_the_way(path: &Path) -> Option<std::io::Error> {
    let file = path.ancestors().find(|a| a.is_file())?;
    Some(std::io::Error::new(std::io::ErrorKind::NotADirectory, format!("{} is a file, not a folder", file.display())))
}

/// A results folder being written.
#[derive(Debug)]
pub struct ResultsDir {
    target: PathBuf,
    staging: PathBuf,
    kind: FolderKind,
    prior: Prior,
    committed: bool,
}

/// The marker file that tells a staging folder cloudletsim made (removed just before the folder is committed).
const STAGING_MARKER: &str = ".cloudletsim-staging";

impl ResultsDir {
    /// Starts writing a folder of `kind` that will appear at `target`. Fails at once, before anything runs, if the
    /// location is not writable or holds something this command may not replace ([`manifest::inspect`]): a folder
    /// cloudletsim did not write, or wrote as another kind, is refused unless `force`, and even then only files a
    /// manifest lists are ever deleted or replaced. Staging folders left by a killed process are cleaned up first.
    pub fn create(target: &Path, kind: FolderKind, force: bool) -> Result<Self, OutputError> {
        let (parent, name) = split(target)?;
        // Errors name the folder the user asked for, not the hidden staging folder beside it.
        fs::create_dir_all(&parent).map_err(|e| file_in_the_way(&parent).unwrap_or(e)).map_err(io_err(target))?;
        clean_stale(&parent, &name, target);
        let prior = manifest::inspect(target, kind, force).map_err(io_err(target))?;
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_err(target))?;
        }
        fs::create_dir(&staging).map_err(io_err(target))?;
        let dir = ResultsDir { target: target.to_path_buf(), staging, kind, prior, committed: false };
        fs::write(dir.staging.join(STAGING_MARKER), b"").map_err(io_err(target))?;
        Ok(dir)
    }
    /// The final location.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The folder being written (for writers that need a path, such as figure backends).
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Writes one file into the folder.
    pub fn write(&self, file: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.write_with(file, |w| w.write_all(bytes))
    }

    /// Writes one file into the folder as `fill` produces it, through a buffer, so that a large file never has to
    /// be held whole in memory; the file is synced when `fill` returns. Errors name the file at its final location.
    pub fn write_with(
        &self,
        file: &str,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), OutputError> {
        let result = (|| {
            let mut w = BufWriter::new(fs::File::create(self.staging.join(file))?);
            fill(&mut w)?;
            w.into_inner().map_err(IntoInnerError::into_error)?.sync_all()
        })();
        result.map_err(io_err(&self.target.join(file)))
    }

    /// Writes `rows` (one struct per row, its fields as the header) as a CSV file into the folder, row by row.
    pub fn write_csv<R: serde::Serialize>(
        &self,
        file: &str,
        rows: impl IntoIterator<Item = R>,
    ) -> Result<(), OutputError> {
        self.write_with(file, |w| {
            let mut w = csv::Writer::from_writer(w);
            for row in rows {
                w.serialize(row)?;
            }
            w.flush()
        })
    }

    /// Moves the finished folder into place with its `manifest.json`. An earlier folder of the same kind is
    /// replaced: the files its manifest lists are deleted, anything else in it is kept. A new file that would land
    /// on a file cloudletsim did not write is refused before anything moves. A stop asked for by a signal
    /// ([`crate::interrupt`]) before this point leaves no folder at all.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        if let Some(i) = crate::interrupt::requested() {
            return Err(OutputError {
                path: self.target.clone(),
                source: std::io::Error::new(std::io::ErrorKind::Interrupted, i.to_string()),
            });
        }
        let target = self.target.clone();
        fs::remove_file(self.staging.join(STAGING_MARKER)).map_err(io_err(&target))?;
        let files = manifest::walk_files(&self.staging).map_err(io_err(&target))?;
        let names = files.iter().map(|f| manifest::manifest_name(f)).collect();
        fs::write(self.staging.join(MANIFEST_FILE), Manifest::new(self.kind, names).to_json())
            .map_err(io_err(&target.join(MANIFEST_FILE)))?;
        match &self.prior {
            Prior::Absent | Prior::Empty => fs::rename(&self.staging, &target).map_err(io_err(&target))?,
            Prior::Occupied { owned } => {
                let owned = owned.clone();
                self.replace(&files, &owned)?;
            }
        }
        self.committed = true;
        Ok(target)
    }

    /// Puts the staged `files` (and the manifest) in place of an existing folder whose `owned` files may go.
    fn replace(&self, files: &[PathBuf], owned: &BTreeSet<PathBuf>) -> Result<(), OutputError> {
        let target = &self.target;
        // Only the paths that matter are looked at, never the whole tree under the target (which, with --force,
        // may be a large folder of the user's).
        let is_entry = |p: &Path| fs::symlink_metadata(target.join(p)).is_ok();
        let is_file = |p: &Path| fs::symlink_metadata(target.join(p)).is_ok_and(|m| !m.is_dir());
        let new: Vec<PathBuf> = files.iter().cloned().chain([PathBuf::from(MANIFEST_FILE)]).collect();
        // A new file clashes with an entry at its path that no manifest lists, or with a non-folder on its way.
        let clashes: Vec<String> = new
            .iter()
            .filter(|n| {
                (is_entry(n) && !owned.contains(*n))
                    || n.ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()).any(&is_file)
            })
            .map(|n| manifest::manifest_name(n))
            .collect();
        if !clashes.is_empty() {
            return Err(OutputError {
                path: target.clone(),
                source: manifest::refusal(format!(
                    "writing {} would overwrite what cloudletsim did not write there; move it away or choose \
                         another --out (no results were written)",
                    clashes.join(", ")
                )),
            });
        }
        let stale: Vec<&PathBuf> = owned.iter().filter(|f| is_file(f)).collect();
        if !has_foreign_entries(target, owned).map_err(io_err(target))? {
            // Only our own files: swap the folders whole, so that a reader sees the old folder or the new one.
            let (parent, name) = split(target)?;
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            fs::rename(target, &old).map_err(io_err(target))?;
            if let Err(e) = fs::rename(&self.staging, target) {
                let _ = fs::rename(&old, target);
                return Err(io_err(target)(e));
            }
            remove_owned(&old, &stale);
            let _ = fs::remove_dir(&old);
            return Ok(());
        }
        // Someone else's files are there too: leave them, and move ours in file by file, the manifest last.
        for f in stale.iter().filter(|f| !new.contains(f)) {
            fs::remove_file(target.join(f)).map_err(io_err(&target.join(f)))?;
        }
        for f in &new {
            let to = target.join(f);
            if let Some(dir) = to.parent() {
                fs::create_dir_all(dir).map_err(io_err(&to))?;
            }
            fs::rename(self.staging.join(f), &to).map_err(io_err(&to))?;
        }
        remove_empty_parents(target, stale.iter().copied());
        let _ = fs::remove_dir_all(&self.staging);
        Ok(())
    }
}

/// Whether `dir` holds anything but the `owned` files and the folders on their way: descends only into those
/// folders, so that a large folder of someone else's is not walked.
fn has_foreign_entries(dir: &Path, owned: &BTreeSet<PathBuf>) -> std::io::Result<bool> {
    let on_the_way: BTreeSet<&Path> =
        owned.iter().flat_map(|f| f.ancestors().skip(1)).filter(|a| !a.as_os_str().is_empty()).collect();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in fs::read_dir(dir.join(&rel))? {
            let path = rel.join(entry?.file_name());
            if on_the_way.contains(path.as_path()) && fs::symlink_metadata(dir.join(&path))?.is_dir() {
                stack.push(path);
            } else if !owned.contains(&path) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Deletes the `owned` files under `dir`, then the folders they leave empty.
pub(crate) fn remove_owned(dir: &Path, owned: &[&PathBuf]) {
    for f in owned {
        let _ = fs::remove_file(dir.join(f));
    }
    remove_empty_parents(dir, owned.iter().copied());
}

/// Removes the folders under `dir` that held `files` and are now empty, deepest first.
fn remove_empty_parents<'a>(dir: &Path, files: impl Iterator<Item = &'a PathBuf>) {
    let mut parents: Vec<PathBuf> = files
        .flat_map(|f| f.ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()).map(Path::to_path_buf))
        .collect();
    parents.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    parents.dedup();
    for p in parents {
        let _ = fs::remove_dir(dir.join(p));
    }
}

/// The parent folder and the name of a results folder.
fn split(target: &Path) -> Result<(PathBuf, String), OutputError> {
    let name = target
        .file_name()
        .ok_or_else(|| OutputError {
            path: target.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "the output path has no folder name"),
        })?
        .to_string_lossy()
        .into_owned();
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// Whether process `pid` is alive; `true` where that cannot be told (no `/proc`), so that nothing a running
/// process may still use is cleaned up.
pub(crate) fn alive(pid: u32) -> bool {
    pid == std::process::id() || !Path::new("/proc/self").exists() || Path::new("/proc").join(pid.to_string()).exists()
}

/// Cleans up after a killed process that was writing `target`: its staging folder (`.NAME.partial-PID`, known by
/// its marker) is removed; a folder it had moved aside to replace (`.NAME.old-PID`) is put back if nothing took its
/// place, or else loses only the files its manifest lists.
fn clean_stale(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&format!(".{name}.")) else { continue };
        let path = entry.path();
        if let Some(pid) = rest.strip_prefix("partial-").and_then(|p| p.parse::<u32>().ok()) {
            if !alive(pid) && path.join(STAGING_MARKER).is_file() {
                let _ = fs::remove_dir_all(&path);
            }
        } else if let Some(pid) = rest.strip_prefix("old-").and_then(|p| p.parse::<u32>().ok()) {
            if alive(pid) {
                continue;
            }
            if fs::symlink_metadata(target).is_err() {
                let _ = fs::rename(&path, target);
            } else if let Some(m) = Manifest::read(&path) {
                let mut owned: Vec<PathBuf> = m.owned_files().into_iter().collect();
                owned.push(PathBuf::from(MANIFEST_FILE));
                remove_owned(&path, &owned.iter().collect::<Vec<_>>());
                let _ = fs::remove_dir(&path);
            }
        }
    }
}

impl Drop for ResultsDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// How far [`write_file_atomic`] goes to make a file survive a power cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Sync the file before the rename and the folder after it: the file is on disk when the call returns.
    Synced,
    /// Rename only: the file appears whole or not at all to every reader, and survives the process being killed,
    /// but a power cut may lose it, or leave it empty or cut short, so readers must check what they read. Syncing
    /// costs milliseconds per file on a busy disk, and far more on a network file system.
    Renamed,
}

/// Writes one file so that it appears whole or not at all: into a hidden sibling (`.NAME.tmp-PID`), then renamed
/// onto `path` (replacing any earlier file), syncing as `durability` says.
pub fn write_file_atomic(path: &Path, bytes: &[u8], durability: Durability) -> Result<(), OutputError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let synced = durability == Durability::Synced;
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if synced {
            f.sync_all()?;
        }
        fs::rename(&tmp, path)
    })();
    if let Err(source) = result {
        let _ = fs::remove_file(&tmp);
        return Err(OutputError { path: path.to_path_buf(), source });
    }
    if synced {
        if let Ok(d) = fs::File::open(&parent) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("cloudletsim-atomic-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn nothing_appears_until_commit_and_a_dropped_dir_leaves_nothing() {
        let base = tmp("drop");
        let target = base.join("run");
        {
            let r = ResultsDir::create(&target, FolderKind::Run, false).unwrap();
            r.write("a.txt", b"x").unwrap();
            assert!(!target.exists());
        }
        assert!(!target.exists());
        assert_eq!(fs::read_dir(&base).unwrap().count(), 0, "staging folder removed");
        let r = ResultsDir::create(&target, FolderKind::Run, false).unwrap();
        r.write("a.txt", b"y").unwrap();
        r.commit().unwrap();
        assert_eq!(fs::read(target.join("a.txt")).unwrap(), b"y");
        let r = ResultsDir::create(&target, FolderKind::Run, false).unwrap();
        r.write("b.txt", b"z").unwrap();
        r.commit().unwrap();
        assert!(!target.join("a.txt").exists(), "an earlier folder is replaced whole");
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_dead_process_leftovers_are_cleaned_and_a_moved_aside_folder_is_restored() {
        let base = tmp("stale");
        let target = base.join("run");
        // PID 0 is never a process of ours: its folders count as left by a dead process (where /proc exists).
        if !Path::new("/proc/self").exists() {
            return;
        }
        let partial = base.join(".run.partial-999999999");
        fs::create_dir_all(&partial).unwrap();
        fs::write(partial.join(STAGING_MARKER), b"").unwrap();
        let not_ours = base.join(".run.partial-999999998");
        fs::create_dir_all(&not_ours).unwrap();
        let old = base.join(".run.old-999999999");
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join("summary.json"), b"{}").unwrap();
        fs::write(old.join(MANIFEST_FILE), Manifest::new(FolderKind::Run, vec!["summary.json".into()]).to_json())
            .unwrap();
        let r = ResultsDir::create(&target, FolderKind::Run, false).unwrap();
        assert!(!partial.exists(), "a marked staging folder of a dead process is removed");
        assert!(not_ours.exists(), "an unmarked folder is not ours to remove");
        assert!(!old.exists() && target.join("summary.json").is_file(), "the moved-aside folder is put back");
        r.write("summary.json", b"{\"new\": 1}").unwrap();
        r.commit().unwrap();
        assert_eq!(fs::read(target.join("summary.json")).unwrap(), b"{\"new\": 1}");
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn streamed_files_stay_in_staging_and_errors_name_the_target() {
        let base = tmp("stream");
        let target = base.join("run");
        let r = ResultsDir::create(&target, FolderKind::Run, false).unwrap();
        #[derive(serde::Serialize)]
        struct Row {
            id: u32,
            energy_j: f64,
        }
        r.write_csv("rows.csv", (0..3).map(|id| Row { id, energy_j: f64::from(id) / 2.0 })).unwrap();
        r.write_with("note.txt", |w| write!(w, "a{}", 1)).unwrap();
        assert!(!target.exists());
        let e = r.write_with("no/such.txt", |w| w.write_all(b"x")).unwrap_err();
        assert_eq!(e.path, target.join("no/such.txt"));
        let e = r.write_with("failed.txt", |_| Err(std::io::Error::other("fill failed"))).unwrap_err();
        assert_eq!((e.path, e.source.to_string()), (target.join("failed.txt"), "fill failed".to_string()));
        r.commit().unwrap();
        assert_eq!(fs::read_to_string(target.join("rows.csv")).unwrap(), "id,energy_j\n0,0.0\n1,0.5\n2,1.0\n");
        assert_eq!(fs::read_to_string(target.join("note.txt")).unwrap(), "a1");
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn atomic_file_replaces_whole_and_leaves_no_temporary() {
        let base = tmp("file");
        fs::create_dir_all(&base).unwrap();
        let f = base.join("a.json");
        write_file_atomic(&f, b"one", Durability::Synced).unwrap();
        write_file_atomic(&f, b"two", Durability::Renamed).unwrap();
        assert_eq!(fs::read(&f).unwrap(), b"two");
        assert_eq!(fs::read_dir(&base).unwrap().count(), 1, "no temporary file left");
        assert!(write_file_atomic(&base.join("no/such/dir.json"), b"x", Durability::Synced).is_err());
        fs::remove_dir_all(&base).unwrap();
    }
}
