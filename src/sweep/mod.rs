//! Parameter sweeps: many runs of one base scenario, with replications and confidence intervals.
//!
//! A sweep file (TOML) names a base scenario and the keys to vary by dotted path ([`spec`]); its points are the
//! Cartesian product of the keys' values, with an optional `zip` group varied together. Each point runs
//! `replications` times with seeds derived from (sweep seed, point, replication) ([`spec::point_seed`]).
//! [`runner`] runs them in parallel with rayon and stores each finished run atomically as one small JSON file under
//! `runs/` ([`store`]), so an interrupted sweep resumes where it stopped and a sweep split into shards (`--shard
//! i/N`) can be put back together ([`merge()`]). [`table`] turns the stored runs into `runs.csv` (one row per run)
//! and `summary.csv` (one row per point: mean, standard deviation and Student-t 95% interval of every metric,
//! [`stats`]). Every output is a pure function of the stored runs, so it does not depend on `--jobs`, on sharding
//! or on interruptions, byte for byte. The file formats are documented in `docs/sweeps.md`.

pub mod merge;
pub mod runner;
pub mod spec;
pub mod stats;
pub mod store;
pub mod table;
pub mod values;

use std::fmt;
use std::path::{Path, PathBuf};

pub use merge::merge;
pub use runner::{run_sweep, Progress, Shard, SweepOptions, SweepReport};
pub use spec::{Point, RunSpec, Sweep};

use crate::output::OutputError;
use crate::run::RunError;
use crate::scenario::ScenarioError;

/// One located problem in a sweep file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    /// The dotted key in the sweep file (`vary.wearables.count`), when known.
    pub key: Option<String>,
    /// 1-based line in the sweep file, when known.
    pub line: Option<usize>,
    /// What is wrong and what is allowed.
    pub message: String,
    /// The sweep file's lines there, with the offending text to underline.
    pub excerpt: Option<crate::scenario::excerpt::Excerpt>,
}

/// Why a sweep could not be loaded, run, merged or tabulated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SweepError {
    /// A file could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The sweep file is invalid.
    #[error("{}", Report { file, problems })]
    Invalid {
        /// The sweep file.
        file: PathBuf,
        /// Every problem found, in file order where known.
        problems: Vec<SpecProblem>,
    },
    /// The base scenario itself is invalid.
    #[error("base scenario of sweep {}", sweep.display())]
    BaseScenario {
        /// The sweep file.
        sweep: PathBuf,
        /// The scenario's own located error.
        source: ScenarioError,
    },
    /// One run's scenario is invalid (the sweep was checked point by point, so this is rare).
    #[error("{run}")]
    Point {
        /// `point P, replication R`.
        run: String,
        /// The scenario's located error.
        source: ScenarioError,
    },
    /// One run could not start.
    #[error("{run} ({settings})")]
    Run {
        /// `point P, replication R`.
        run: String,
        /// The run's settings, as `--set` expressions.
        settings: String,
        /// Why.
        source: RunError,
    },
    /// A results folder holds something that does not belong to this sweep.
    #[error("{}: {message}", path.display())]
    Folder {
        /// The file or folder concerned.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// Results could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

struct Report<'a> {
    file: &'a Path,
    problems: &'a [SpecProblem],
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(f, "invalid sweep {} ({n} problem{})", self.file.display(), if n == 1 { "" } else { "s" })?;
        for p in self.problems {
            write!(f, "\n  {}", self.file.display())?;
            if let Some(line) = p.line {
                write!(f, ":{line}")?;
            }
            match &p.key {
                Some(key) => write!(f, ": key `{key}`: {}", p.message)?,
                None => write!(f, ": {}", p.message)?,
            }
            crate::scenario::write_excerpt(f, p.excerpt.as_ref(), false)?;
        }
        Ok(())
    }
}
