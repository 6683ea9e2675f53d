//! What the command line (`src/commands/`) and the Python package (`python/`) share: a scenario's text with its
//! overrides and event budget ([`ScenarioInput`]), loaded, checked and built with located errors; a run written into
//! a results folder ([`run_into`]); and `ids-optimize` into its folder ([`ids_optimize_into`]). Both callers go through
//! these functions, so that the same inputs give the same files.

use std::path::{Path, PathBuf};

use crate::chain::topology::Topology;
use crate::estimate::{Budget, Estimate};
use crate::ids::optimize::{self, OptimizeOptions, OptimizeResult};
use crate::ids::{curves_sim, sensitivity, sensitivity_output};
use crate::kernel::SimTime;
use crate::output::{self, FolderKind, OutputError, ResultsDir};
use crate::run::{RunError, RunOptions, RunResult};
use crate::scenario::{self, Diagnostic, Scenario, ScenarioError};

/// Why a run or an analysis could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The scenario (file, overrides or budget) is invalid, or its network cannot be built.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The run could not start or was interrupted.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The results folder could not be written (or may not be replaced).
    #[error(transparent)]
    Output(#[from] OutputError),
    /// An analysis failed.
    #[error(transparent)]
    Analysis(#[from] crate::analysis::error::AnalysisError),
    /// The worker threads could not be started.
    #[error(transparent)]
    Pool(#[from] rayon::ThreadPoolBuildError),
    /// The options ask for something refused (the message says what is allowed).
    #[error("{0}")]
    Refused(String),
}

impl ApiError {
    /// The scenario error inside, if this is one (directly or through an analysis).
    pub fn scenario(&self) -> Option<&ScenarioError> {
        match self {
            ApiError::Scenario(e) | ApiError::Analysis(crate::analysis::error::AnalysisError::Scenario(e)) => Some(e),
            _ => None,
        }
    }
}

/// A scenario as given: its text, the file that labels its messages, the overrides (`a.b=value`, the seed as one
/// more) and the most events a run may process (0: no limit).
#[derive(Debug, Clone)]
pub struct ScenarioInput {
    /// The scenario's TOML text.
    pub text: String,
    /// The file it came from (or a label such as `<dict>`), named in error messages.
    pub file: PathBuf,
    /// Overrides by dotted key, `--set` style, applied in order.
    pub sets: Vec<String>,
    /// Refuse a scenario expected to process more events than this (0: no limit).
    pub max_events: u64,
}

impl ScenarioInput {
    /// Reads the scenario file `file` (refusing folders, devices, pipes and huge files).
    pub fn read(file: &Path, sets: Vec<String>, max_events: u64) -> Result<ScenarioInput, ScenarioError> {
        let text =
            scenario::read_text(file).map_err(|source| ScenarioError::Read { path: file.to_path_buf(), source })?;
        Ok(ScenarioInput { text, file: file.to_path_buf(), sets, max_events })
    }

    /// Loads the scenario and checks that what it needs fits this machine and the event budget.
    pub fn load_checked(&self) -> Result<(Scenario, Estimate), ScenarioError> {
        let scenario = scenario::load_str(&self.text, &self.file, &self.sets)?;
        let budget = Budget::for_this_machine(self.max_events);
        let estimate = crate::run::check_budget(&scenario, &self.text, &self.sets, &budget)?;
        Ok((scenario, estimate))
    }

    /// Loads and checks the scenario, and builds its network (which can fail for a random mesh).
    pub fn load(&self) -> Result<(Scenario, Topology, Estimate), ScenarioError> {
        let (scenario, estimate) = self.load_checked()?;
        let topology = self.build(&scenario)?;
        Ok((scenario, topology, estimate))
    }

    /// Builds the network of a loaded scenario; an error names the key that made it impossible.
    pub fn build(&self, scenario: &Scenario) -> Result<Topology, ScenarioError> {
        crate::run::build_topology(&scenario.config).map_err(|e| {
            let index = scenario::locate::KeyIndex::new(&self.text);
            let (line, excerpt) = (index.line_of(&e.key), index.excerpt_of(&e.key));
            let d = Diagnostic { key: Some(e.key), line, from_override: false, message: e.message, excerpt };
            ScenarioError::Invalid { file: self.file.clone(), diagnostics: vec![d] }
        })
    }
}

/// Writes `scenario.resolved.toml` into a results folder being written.
pub fn write_resolved(dir: &ResultsDir, scenario: &Scenario) -> Result<(), ApiError> {
    dir.write(output::manifest::RESOLVED_SCENARIO_FILE, scenario.resolved_toml()?.as_bytes())?;
    Ok(())
}

/// Runs `scenario` on `topology` (calling `progress(now)` now and then), writes the run folder `dir` and commits
/// it; returns where it landed and the run.
pub fn run_into(
    scenario: &Scenario,
    topology: Topology,
    dir: ResultsDir,
    opts: &RunOptions,
    progress: impl FnMut(SimTime),
) -> Result<(PathBuf, RunResult), ApiError> {
    let result = crate::run::run_on(&scenario.config, topology, opts, progress)?;
    write_resolved(&dir, scenario)?;
    output::write_run(&dir, &result)?;
    Ok((dir.commit()?, result))
}

/// Refuses an analysis whose `runs` runs of about `estimate.events` events each exceed `max_events` in all
/// (`how` names the options that set the number of runs).
pub fn check_total(estimate: &Estimate, runs: f64, max_events: u64, how: &str) -> Result<(), ApiError> {
    let total = estimate.events * runs;
    if max_events == 0 || total <= max_events as f64 {
        return Ok(());
    }
    Err(ApiError::Refused(format!(
        "{how} makes {runs} runs of about {:.3e} events each, {total:.3e} in all, more than --max-events {max_events}; \
         allowed: fewer runs or a shorter scenario, or a larger --max-events (0 lifts the limit)",
        estimate.events
    )))
}

/// What [`ids_optimize_into`] made.
pub struct IdsOptimized {
    /// The folder written.
    pub path: PathBuf,
    /// The trade-off rows, the runs and the optimum.
    pub result: OptimizeResult,
    /// The robustness map, when asked for.
    pub sensitivity: Option<sensitivity::Sensitivity>,
}

/// `ids-optimize`: the decision tree over IDS counts (`opts.max_ids` 0: 8, or the number of cloudlets if fewer) in
/// `jobs` threads (0: one per core), with the robustness map if `with_sensitivity`, written into `out` (default
/// `results/<name>-ids-optimize/`; an existing folder only as the manifest rules allow, `force` as `--force`).
pub fn ids_optimize_into(
    input: &ScenarioInput,
    mut opts: OptimizeOptions,
    with_sensitivity: bool,
    out: Option<&Path>,
    force: bool,
    jobs: usize,
) -> Result<IdsOptimized, ApiError> {
    let (scenario, estimate) = input.load_checked()?;
    if opts.max_ids == 0 {
        opts.max_ids = scenario.config.cloudlets.count.min(8);
    }
    if opts.replications < 2 {
        return Err(ApiError::Refused(
            "--replications must be at least 2 (an interval across replications)".to_string(),
        ));
    }
    let curve_runs = if curves_sim::sweepable(&scenario.config.ids.detector) { opts.curve_points } else { 0 };
    let runs = f64::from(opts.max_ids.min(scenario.config.cloudlets.count) + curve_runs) * f64::from(opts.replications);
    check_total(&estimate, runs, input.max_events, "ids-optimize ((--max-ids + --curve-points) × --replications)")?;
    let target =
        out.map_or_else(|| output::default_out(&format!("{}-ids-optimize", scenario.config.name)), Path::to_path_buf);
    let dir = ResultsDir::create(&target, FolderKind::IdsOptimize, force)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let result = pool.install(|| optimize::optimize(&input.text, &input.file, &input.sets, &opts))?;
    // The map is computed before anything is written, so that a scenario it cannot map leaves no folder behind.
    let map = if with_sensitivity { Some(sensitivity::analyse(&result)?) } else { None };
    write_resolved(&dir, &scenario)?;
    optimize::write(&dir, &result)?;
    if let Some(map) = &map {
        sensitivity_output::write(&dir, map)?;
    }
    Ok(IdsOptimized { path: dir.commit()?, result, sensitivity: map })
}
