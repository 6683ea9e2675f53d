//! `cloudletsim sweep` (a parameter sweep, with a progress bar on a terminal) and `cloudletsim merge` (shard
//! folders put back together).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cloudletsim::output;

use super::json::{self, OutputFormat};

/// The `sweep` command's flags besides the file and folder.
pub(crate) struct SweepFlags {
    pub(crate) force: bool,
    pub(crate) max_events: u64,
    pub(crate) jobs: Option<usize>,
    pub(crate) shard: Option<cloudletsim::sweep::Shard>,
    pub(crate) quiet: bool,
    pub(crate) format: OutputFormat,
}

/// `sweep`: runs (or resumes) the sweep in `file` into `out` (default: `results/<sweep name>/`).
pub(crate) fn sweep(file: &Path, out: Option<PathBuf>, flags: SweepFlags) -> Result<()> {
    use cloudletsim::sweep::{Progress, Sweep, SweepOptions};
    let sweep = Sweep::load(file)?;
    let out = out.unwrap_or_else(|| output::default_out(&sweep.name));
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    let json = flags.format == OutputFormat::Json;
    if std::io::stderr().is_terminal() && !flags.quiet && !json {
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
    // Runs made now, per point, for the JSON document's per-point status.
    let made = std::sync::Mutex::new(vec![0u64; sweep.points.len()]);
    let report = cloudletsim::sweep::run_sweep(&sweep, &opts, &|p| match p {
        Progress::Planned { todo, .. } => bar.set_length(todo),
        Progress::Finished(run) => {
            if let Some(n) = made.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get_mut(run.point as usize)
            {
                *n += 1;
            }
            bar.inc(1)
        }
    });
    bar.finish_and_clear();
    let report = report?;
    for path in &report.redone {
        eprintln!("warning: {} was unreadable or made with other settings; made it again", path.display());
    }
    if json {
        let made = made.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        print_json(&sweep, &report, shard, &made, started.elapsed().as_secs_f64());
        return Ok(());
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

/// The sweep's document: what the summary lines say, and each point's settings and runs.
fn print_json(
    sweep: &cloudletsim::sweep::Sweep,
    report: &cloudletsim::sweep::SweepReport,
    shard: Option<cloudletsim::sweep::Shard>,
    made: &[u64],
    wall_s: f64,
) {
    let r = sweep.replications;
    let points: Vec<serde_json::Value> = sweep
        .points
        .iter()
        .map(|p| {
            let in_shard = (0..r).filter(|i| shard.is_none_or(|s| s.contains(p.index * r + i))).count() as u64;
            let made = made.get(p.index as usize).copied().unwrap_or(0);
            let settings: serde_json::Map<String, serde_json::Value> = sweep
                .keys
                .iter()
                .zip(&p.values)
                .map(|(k, v)| {
                    let text = v.to_string();
                    (k.clone(), serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
                })
                .collect();
            serde_json::json!({
                "point": p.index,
                "settings": settings,
                "seed": p.seed,
                "runs": in_shard,
                "made": made,
                "already_stored": in_shard.saturating_sub(made),
                "status": if in_shard == 0 { "other shard" } else { "stored" },
            })
        })
        .collect();
    json::print(&serde_json::json!({
        "command": "sweep",
        "ok": true,
        "name": sweep.name,
        "results": json::path(&report.out),
        "complete": report.complete,
        "files": if report.complete { vec!["runs.csv", "summary.csv", "runs/"] } else { vec!["runs/"] },
        "points": sweep.points.len(),
        "replications": r,
        "shard": shard.map(|s| serde_json::json!({"index": s.index, "count": s.count})),
        "runs": report.runs,
        "made": report.ran,
        "already_stored": report.skipped,
        "redone": report.redone.iter().map(|p| json::path(p)).collect::<Vec<_>>(),
        "wall_s": wall_s,
        "point_status": points,
    }));
}

/// `merge`: the shard folders `dirs` of one sweep combined into `out`.
pub(crate) fn merge(dirs: &[PathBuf], out: &Path, force: bool, quiet: bool) -> Result<()> {
    let r = cloudletsim::sweep::merge(dirs, out, force)?;
    if !quiet {
        println!("merged {} runs ({} copied) into {}/ (runs.csv, summary.csv)", r.runs, r.copied, out.display());
    }
    Ok(())
}
