//! Records the git commit the binary is built from (`CLOUDLETSIM_GIT_COMMIT`, with `-dirty` when tracked files
//! differ from it) for the provenance in every results folder's `manifest.json`. Outside a git checkout (a crate
//! from a registry, a source tarball) nothing is set and the manifest says `null`.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=src");
    // HEAD moves on checkout, the index on every commit or staged change (paths as git gives them, so that a
    // worktree, whose `.git` is a file, works too).
    for file in ["HEAD", "index"] {
        if let Some(path) = git(&["rev-parse", "--git-path", file]).filter(|p| std::path::Path::new(p).exists()) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    if let Some(commit) = git(&["rev-parse", "HEAD"]).filter(|c| !c.is_empty()) {
        let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
        let suffix = if dirty { "-dirty" } else { "" };
        println!("cargo:rustc-env=CLOUDLETSIM_GIT_COMMIT={commit}{suffix}");
    }
}
