//! Running a sweep: every run of this shard that is not already stored, in parallel on a local rayon pool.
//!
//! Runs are independent and each is a pure function of its settings (its random streams come from its seed and
//! replication, never from a shared generator), so the pool's size and scheduling change only the order in which
//! run files appear, not their content. When the folder holds every run of the sweep, the tables are written from
//! the stored files ([`super::table`]).

use std::path::PathBuf;
use std::str::FromStr;

use rayon::prelude::*;

use super::spec::{RunSpec, Sweep};
use super::store::{self, Manifest, RunRecord};
use super::{table, SweepError};
use crate::output::Summary;
use crate::run::{run, RunOptions};
use crate::scenario::load_str;

/// `--shard i/N`: the runs whose ordinal (`point × replications + replication`) is `i` modulo `N`, with
/// `0 <= i < N`. Interleaving spreads slow and fast points evenly over the shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, from 0.
    pub index: u64,
    /// Number of shards.
    pub count: u64,
}

impl Shard {
    /// Whether the run with this ordinal belongs to the shard.
    pub fn contains(&self, ordinal: u64) -> bool {
        ordinal % self.count == self.index
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let usage = || format!("{s:?}: expected I/N with 0 <= I < N, e.g. 0/4 (SLURM: $SLURM_ARRAY_TASK_ID/N)");
        let (i, n) = s.split_once('/').ok_or_else(usage)?;
        let index: u64 = i.trim().parse().map_err(|_| usage())?;
        let count: u64 = n.trim().parse().map_err(|_| usage())?;
        if count == 0 || index >= count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

/// How to run a sweep.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    /// The sweep folder.
    pub out: PathBuf,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Run only this shard's runs.
    pub shard: Option<Shard>,
    /// Write into a folder that cloudletsim did not write as this sweep's (see [`store::prepare`]).
    pub force: bool,
    /// Largest expected number of events of one run (`--max-events`; 0: no limit).
    pub max_events: u64,
}

/// What the runner reports as it goes.
#[derive(Debug, Clone)]
pub enum Progress {
    /// Before the first run: runs to do now, and runs of this shard already stored.
    Planned {
        /// Runs to do.
        todo: u64,
        /// Runs skipped because they are stored already.
        stored: u64,
    },
    /// One run finished and is stored.
    Finished(RunSpec),
}

/// What a sweep did.
#[derive(Debug, Clone)]
pub struct SweepReport {
    /// The sweep folder.
    pub out: PathBuf,
    /// Runs of this shard (all runs without `--shard`).
    pub runs: u64,
    /// Runs found already stored and skipped.
    pub skipped: u64,
    /// Runs made now.
    pub ran: u64,
    /// Run files that were unreadable or made with other settings, and were made again.
    pub redone: Vec<PathBuf>,
    /// Whether the folder now holds every run, and so `runs.csv` and `summary.csv`.
    pub complete: bool,
}

/// Runs `sweep` into `opts.out` (creating it, or resuming the sweep stored there), calling `progress` as it goes.
pub fn run_sweep(
    sweep: &Sweep,
    opts: &SweepOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SweepReport, SweepError> {
    check_budget(sweep, opts.max_events)?;
    let manifest = Manifest::of(sweep);
    store::prepare(&opts.out, &manifest, opts.force)?;
    store::write_resolved_base(&opts.out, sweep)?;
    let mine: Vec<RunSpec> =
        sweep.runs().filter(|r| opts.shard.is_none_or(|s| s.contains(r.ordinal(sweep.replications)))).collect();
    let mut todo = Vec::new();
    let mut redone = Vec::new();
    for r in &mine {
        match store::read_record(&opts.out, r) {
            Ok(Some(rec)) if rec.settings == sweep.overrides(r) => {}
            Ok(None) => todo.push(r.clone()),
            Ok(Some(_)) | Err(_) => {
                redone.push(store::run_file(&opts.out, r));
                todo.push(r.clone());
            }
        }
    }
    let skipped = (mine.len() - todo.len()) as u64;
    progress(Progress::Planned { todo: todo.len() as u64, stored: skipped });
    let pool = rayon::ThreadPoolBuilder::new().num_threads(opts.jobs).build().map_err(|e| SweepError::Folder {
        path: opts.out.clone(),
        message: format!("cannot start {} worker threads: {e}", opts.jobs),
    })?;
    pool.install(|| {
        todo.par_iter().try_for_each(|r| {
            let record = run_one(sweep, r)?;
            store::write_record(&opts.out, &record)?;
            progress(Progress::Finished(r.clone()));
            Ok::<(), SweepError>(())
        })
    })?;
    let complete = manifest.runs().all(|r| store::run_file(&opts.out, &r).is_file());
    if complete {
        pool.install(|| table::write_tables(&opts.out, &manifest))?;
    }
    Ok(SweepReport {
        out: opts.out.clone(),
        runs: mine.len() as u64,
        skipped,
        ran: todo.len() as u64,
        redone,
        complete,
    })
}

/// Refuses the sweep, before anything is written, if the run of some point would not fit this machine's memory or
/// would process more than `max_events` events (0: no limit) ([`crate::estimate`]); the error names the point.
pub fn check_budget(sweep: &Sweep, max_events: u64) -> Result<(), SweepError> {
    let budget = crate::estimate::Budget::for_this_machine(max_events);
    for point in &sweep.points {
        let r = RunSpec { point: point.index, replication: 0 };
        let name = || format!("point {} ({})", point.index, sweep.overrides(&r).join(" "));
        let scenario = load_str(&sweep.scenario_text, &sweep.scenario_path, &sweep.overrides(&r))
            .map_err(|source| SweepError::Point { run: name(), source })?;
        crate::run::check_budget(&scenario, &sweep.scenario_text, &sweep.overrides(&r), &budget)
            .map_err(|source| SweepError::Point { run: name(), source })?;
    }
    Ok(())
}

/// Makes one run and its record.
pub fn run_one(sweep: &Sweep, r: &RunSpec) -> Result<RunRecord, SweepError> {
    let settings = sweep.overrides(r);
    let name = || format!("point {}, replication {}", r.point, r.replication);
    let scenario = load_str(&sweep.scenario_text, &sweep.scenario_path, &settings)
        .map_err(|source| SweepError::Point { run: name(), source })?;
    let result = run(&scenario.config, &RunOptions::default(), |_| {}).map_err(|source| SweepError::Run {
        run: name(),
        settings: settings.join(" "),
        source,
    })?;
    let summary = serde_json::to_value(Summary::from_run(&result)).expect("summaries serialise");
    Ok(RunRecord { point: r.point, replication: r.replication, seed: scenario.config.seed, settings, summary })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_partition() {
        assert_eq!("1/4".parse::<Shard>(), Ok(Shard { index: 1, count: 4 }));
        for bad in ["4/4", "1/0", "x/2", "3", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let shards: Vec<Shard> = (0..3).map(|i| Shard { index: i, count: 3 }).collect();
        for ordinal in 0..100 {
            assert_eq!(shards.iter().filter(|s| s.contains(ordinal)).count(), 1);
        }
    }
}
