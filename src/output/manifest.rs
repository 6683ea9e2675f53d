//! `manifest.json`: what cloudletsim wrote into a folder, so that it never deletes or overwrites anything else.
//!
//! Every command that writes a folder (`run`, `sweep`, `merge`, `ids-optimize`, `crypto-compare`,
//! `trust-tradeoff`, `plot`) writes a manifest into it: the cloudletsim version, the git commit it was built from
//! when known, the command line, the start time, the kind of folder and the list of files it wrote. An existing
//! folder is replaced only when its manifest says cloudletsim wrote it as the same kind of folder; otherwise the
//! command refuses unless `--force` is given, and even then it deletes only files a manifest lists.
//! [`inspect`] decides, before anything runs, what may happen to a folder that is already there.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

/// The manifest's file name.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The fully resolved scenario written beside the results of a command that runs one.
pub const RESOLVED_SCENARIO_FILE: &str = "scenario.resolved.toml";
/// Version of the manifest format.
pub const FORMAT: u32 = 1;
/// What the manifest's `tool` field holds.
pub const TOOL: &str = "cloudletsim";
/// A manifest larger than this is not one of ours (a sweep of a million runs lists about 30 MB of names).
const MAX_MANIFEST_BYTES: u64 = 256 << 20;
/// Names shown when refusing a folder, at most.
const SHOWN_NAMES: usize = 5;

/// The kinds of folder cloudletsim writes; a folder is replaced only by a command that writes the same kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FolderKind {
    /// `cloudletsim run`.
    Run,
    /// `cloudletsim sweep` and `cloudletsim merge`.
    Sweep,
    /// `cloudletsim ids-optimize`.
    IdsOptimize,
    /// `cloudletsim crypto-compare`.
    CryptoCompare,
    /// `cloudletsim trust-tradeoff`.
    TrustTradeoff,
    /// `cloudletsim audit-compare`.
    AuditCompare,
    /// `cloudletsim plot` (the `plots/` folder it writes).
    Plots,
}

impl FolderKind {
    /// The kind as the manifest spells it.
    pub fn name(self) -> &'static str {
        match self {
            FolderKind::Run => "run",
            FolderKind::Sweep => "sweep",
            FolderKind::IdsOptimize => "ids-optimize",
            FolderKind::CryptoCompare => "crypto-compare",
            FolderKind::TrustTradeoff => "trust-tradeoff",
            FolderKind::AuditCompare => "audit-compare",
            FolderKind::Plots => "plots",
        }
    }
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`TOOL`].
    pub tool: String,
    /// Format version ([`FORMAT`]).
    pub format: u32,
    /// The cloudletsim version that wrote the folder.
    pub version: String,
    /// The git commit it was built from (`-dirty` when tracked files differed), when known.
    pub git_commit: Option<String>,
    /// The command line, argument by argument.
    pub command_line: Vec<String>,
    /// When the command started (UTC, RFC 3339).
    pub started_at: String,
    /// What kind of folder this is.
    pub kind: FolderKind,
    /// Every file written, relative to the folder, `/`-separated, sorted (the manifest itself not included).
    pub files: Vec<String>,
}

/// The command that is running, as the manifest records it.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// The command line, argument by argument.
    pub command_line: Vec<String>,
    /// When it started (UTC, RFC 3339).
    pub started_at: String,
}

/// This process's invocation, fixed at the first call (the command line calls it first thing).
pub fn invocation() -> &'static Invocation {
    static INVOCATION: OnceLock<Invocation> = OnceLock::new();
    INVOCATION.get_or_init(|| Invocation {
        command_line: std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect(),
        started_at: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
    })
}

impl Manifest {
    /// A manifest of this process's invocation for a folder of `kind` holding `files`.
    pub fn new(kind: FolderKind, mut files: Vec<String>) -> Manifest {
        files.sort();
        files.dedup();
        let inv = invocation();
        Manifest {
            tool: TOOL.to_string(),
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            git_commit: option_env!("CLOUDLETSIM_GIT_COMMIT").map(str::to_string),
            command_line: inv.command_line.clone(),
            started_at: inv.started_at.clone(),
            kind,
            files,
        }
    }

    /// The manifest as JSON text.
    pub fn to_json(&self) -> Vec<u8> {
        super::to_json(self)
    }

    /// Reads `dir/manifest.json`: `None` if there is none, or if it is not a cloudletsim manifest (then the folder
    /// counts as not written by cloudletsim).
    pub fn read(dir: &Path) -> Option<Manifest> {
        let path = dir.join(MANIFEST_FILE);
        if !fs::symlink_metadata(&path).ok()?.is_file() {
            return None;
        }
        let mut bytes = Vec::new();
        fs::File::open(&path).ok()?.take(MAX_MANIFEST_BYTES).read_to_end(&mut bytes).ok()?;
        let m: Manifest = serde_json::from_slice(&bytes).ok()?;
        (m.tool == TOOL).then_some(m)
    }

    /// The listed files that are safe to delete: relative paths inside the folder, never `..`, never absolute,
    /// never the manifest itself (a tampered or corrupt manifest cannot point outside the folder).
    pub fn owned_files(&self) -> BTreeSet<PathBuf> {
        self.files.iter().filter_map(|f| safe_relative(f)).filter(|p| p != Path::new(MANIFEST_FILE)).collect()
    }
}

/// `f` as a relative path of plain names, or `None`.
pub fn safe_relative(f: &str) -> Option<PathBuf> {
    let p = Path::new(f);
    let plain = !f.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    plain.then(|| p.to_path_buf())
}

/// What stands at a results folder's location before a command writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prior {
    /// Nothing: the folder will be created.
    Absent,
    /// An empty folder.
    Empty,
    /// A folder with files. `owned` are the files a cloudletsim manifest lists (which may be deleted or replaced;
    /// with the manifest itself when there is one); everything else in it is someone else's and stays untouched.
    Occupied {
        /// Files that may be deleted or replaced, relative to the folder.
        owned: BTreeSet<PathBuf>,
    },
}

/// Why a folder may not be written (the error that carries it names the folder).
pub fn refusal(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::AlreadyExists, message)
}

/// Decides what a command writing a folder of `kind` at `target` may do with what is there: replace a folder its
/// manifest says cloudletsim wrote as the same kind; refuse anything else unless `force`, and then still delete
/// only files a cloudletsim manifest lists.
pub fn inspect(target: &Path, kind: FolderKind, force: bool) -> std::io::Result<Prior> {
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Prior::Absent),
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        let what = if meta.file_type().is_symlink() { "a symbolic link" } else { "a file" };
        return Err(refusal(format!(
            "is {what}, not a folder; cloudletsim never replaces it (not even with --force); choose another --out"
        )));
    }
    let mut entries = fs::read_dir(target)?;
    if entries.next().is_none() {
        return Ok(Prior::Empty);
    }
    let manifest = Manifest::read(target);
    let mut owned = manifest.as_ref().map(Manifest::owned_files).unwrap_or_default();
    if manifest.is_some() {
        owned.insert(PathBuf::from(MANIFEST_FILE));
    }
    match &manifest {
        Some(m) if m.kind == kind => Ok(Prior::Occupied { owned }),
        _ if force => Ok(Prior::Occupied { owned }),
        Some(m) => Err(refusal(format!(
            "holds a cloudletsim {} folder (its manifest.json says so), not a {} folder; choose another --out, \
                 or pass --force to write beside it (only files a manifest lists are ever deleted or replaced)",
            m.kind.name(),
            kind.name()
        ))),
        None => {
            let names = shown_names(target);
            Err(refusal(format!(
                "holds files cloudletsim did not write ({names}) and no cloudletsim manifest.json; choose another \
                     --out, such as a new folder inside it, or pass --force to write beside them (nothing cloudletsim \
                     did not write is ever deleted or overwritten)"
            )))
        }
    }
}

/// A few names of the entries of `dir`, for messages.
fn shown_names(dir: &Path) -> String {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| rd.take(1000).filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    let more = names.len().saturating_sub(SHOWN_NAMES);
    names.truncate(SHOWN_NAMES);
    let mut s = names.join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

/// Every file (or symbolic link, or other non-folder entry) under `dir`, relative to it, without following links.
pub fn walk_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in fs::read_dir(dir.join(&rel))? {
            let entry = entry?;
            let path = rel.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// A relative path as the manifest writes it (`/`-separated).
pub fn manifest_name(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("cloudletsim-manifest-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn unsafe_names_are_never_owned() {
        let mut m = Manifest::new(FolderKind::Run, vec![]);
        m.files = ["a.csv", "plots/x.png", "../up.txt", "/etc/passwd", "", "a/../b", "./c", "manifest.json"]
            .map(String::from)
            .to_vec();
        let owned: Vec<PathBuf> = m.owned_files().into_iter().collect();
        assert_eq!(owned, vec![PathBuf::from("a.csv"), PathBuf::from("plots/x.png")]);
    }

    #[test]
    fn a_folder_is_replaceable_only_by_its_own_kind_or_with_force() {
        let d = tmp("inspect");
        assert_eq!(inspect(&d, FolderKind::Run, false).unwrap(), Prior::Absent);
        fs::create_dir_all(&d).unwrap();
        assert_eq!(inspect(&d, FolderKind::Run, false).unwrap(), Prior::Empty);
        fs::write(d.join("notes.txt"), "mine").unwrap();
        let e = inspect(&d, FolderKind::Run, false).unwrap_err().to_string();
        assert!(e.contains("did not write (notes.txt)") && e.contains("--force"), "{e}");
        assert_eq!(inspect(&d, FolderKind::Run, true).unwrap(), Prior::Occupied { owned: BTreeSet::new() });
        fs::write(d.join(MANIFEST_FILE), Manifest::new(FolderKind::Run, vec!["a.csv".into()]).to_json()).unwrap();
        let owned: BTreeSet<PathBuf> = ["a.csv", MANIFEST_FILE].iter().map(PathBuf::from).collect();
        assert_eq!(inspect(&d, FolderKind::Run, false).unwrap(), Prior::Occupied { owned: owned.clone() });
        let e = inspect(&d, FolderKind::Sweep, false).unwrap_err().to_string();
        assert!(e.contains("cloudletsim run folder") && e.contains("not a sweep folder"), "{e}");
        assert_eq!(inspect(&d, FolderKind::Sweep, true).unwrap(), Prior::Occupied { owned });
        let e = inspect(&d.join("notes.txt"), FolderKind::Run, true).unwrap_err().to_string();
        assert!(e.contains("is a file, not a folder"), "{e}");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_foreign_manifest_is_not_ours() {
        let d = tmp("foreign");
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join(MANIFEST_FILE), r#"{"tool":"other","files":["x"]}"#).unwrap();
        assert!(Manifest::read(&d).is_none());
        assert!(inspect(&d, FolderKind::Run, false).is_err());
        fs::remove_dir_all(&d).unwrap();
    }
}
