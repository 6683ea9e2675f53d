//! `cloudletsim sweep` (a parameter sweep, with a progress bar on a terminal) and `cloudletsim merge` (shard
//! folders put back together).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cloudletsim::output;

/// The `sweep` command's flags besides the file and folder.
pub(crate) struct SweepFlags {
    pub(crate) force: bool,
    pub(crate) max_events: u64,
    pub(crate) jobs: Option<usize>,
    pub(crate) shard: Option<cloudletsim::sweep::Shard>,
    pub(crate) quiet: bool,
}

/// `sweep`: runs (or resumes) the sweep in `file` into `out` (default: `results/<sweep name>/`).
pub(crate) fn sweep(file: &Path, out: Option<PathBuf>, flags: SweepFlags) -> Result<()> {
    use cloudletsim::sweep::{Progress, Sweep, SweepOptions};
    let sweep = Sweep::load(file)?;
    let out = out.unwrap_or_else(|| output::default_out(&sweep.name));
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    if std::io::stderr().is_terminal() && !flags.quiet {
        bar.set_draw_target(ProgressDrawTarget::stderr());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} sweep [{bar:40}] {pos}/{len} runs (ETA {eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let started = Instant::now();
    let shard = flags.shard;
    let opts =
        SweepOptions { out, jobs: flags.jobs.unwrap_or(0), shard, force: flags.force, max_events: flags.max_events };
    let report = cloudletsim::sweep::run_sweep(&sweep, &opts, &|p| match p {
        Progress::Planned { todo, .. } => bar.set_length(todo),
        Progress::Finished(_) => bar.inc(1),
    });
    bar.finish_and_clear();
    let report = report?;
    for path in &report.redone {
        eprintln!("warning: {} was unreadable or made with other settings; made it again", path.display());
    }
    if flags.quiet {
        return Ok(());
    }
    let shard_text = shard.map_or_else(String::new, |s| format!(" (shard {}/{})", s.index, s.count));
    println!(
        "{}: {} points × {} replications{shard_text}: {} run{} made, {} already stored, in {:.1} s",
        sweep.name,
        sweep.points.len(),
        sweep.replications,
        report.ran,
        if report.ran == 1 { "" } else { "s" },
        report.skipped,
        started.elapsed().as_secs_f64()
    );
    if report.complete {
        println!("results  {}/ (runs.csv, summary.csv, runs/)", report.out.display());
    } else {
        println!("results  {}/runs/ (this shard; combine the shards with `cloudletsim merge`)", report.out.display());
    }
    Ok(())
}

/// `merge`: the shard folders `dirs` of one sweep combined into `out`.
pub(crate) fn merge(dirs: &[PathBuf], out: &Path, force: bool, quiet: bool) -> Result<()> {
    let r = cloudletsim::sweep::merge(dirs, out, force)?;
    if !quiet {
        println!("merged {} runs ({} copied) into {}/ (runs.csv, summary.csv)", r.runs, r.copied, out.display());
    }
    Ok(())
}
