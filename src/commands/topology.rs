//! `cloudletsim topology`: a scenario's network as Graphviz DOT, on standard output or into a file cloudletsim
//! owns.

use std::path::{Path, PathBuf};

use anyhow::Result;

use cloudletsim::output;

use crate::ScenarioArgs;

/// `topology`: builds the scenario's network and writes it as DOT (only the core with `core`) to `out` or to
/// standard output.
pub(crate) fn topology(scenario: &ScenarioArgs, out: Option<PathBuf>, core: bool) -> Result<()> {
    let (_, topo, _, _) = scenario.load()?;
    let dot = cloudletsim::chain::dot::to_dot(&topo, core);
    match out {
        Some(path) => write_topology(&path, &dot),
        None => {
            print!("{dot}");
            Ok(())
        }
    }
}

/// Writes the DOT text to `path`, atomically; an existing file is replaced only if cloudletsim wrote it (it starts
/// as [`cloudletsim::chain::dot::to_dot`] starts every graph), never a file of someone else's.
fn write_topology(path: &Path, dot: &str) -> Result<()> {
    const HEAD: &str = "digraph cloudletsim {";
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            anyhow::bail!("cannot write {}: it is a folder; --out names the DOT file", path.display())
        }
        Ok(_) => {
            let mut head = [0u8; HEAD.len()];
            let ours = std::fs::File::open(path)
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
                .is_ok_and(|()| head == HEAD.as_bytes());
            anyhow::ensure!(
                ours,
                "cannot write {}: the file exists and cloudletsim did not write it (it is not a cloudletsim topology); \
                 choose another --out",
                path.display()
            );
        }
        Err(_) => {}
    }
    output::atomic::write_file_atomic(path, dot.as_bytes(), output::atomic::Durability::Synced)?;
    Ok(())
}
