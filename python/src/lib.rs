//! `cloudletsim._native`: the Rust side of the Python package. Each function takes plain values (scenario text,
//! `--set` strings, folders), calls the same library functions as the command line (`cloudletsim::api`,
//! `cloudletsim::sweep`) with the GIL released, and returns the results folder it wrote; the pure-Python layer
//! (`python/cloudletsim/`) reads that folder into pandas. Errors become the package's exceptions, carrying the
//! command line's message (the error and its causes, as `error: ...` prints them).

use std::error::Error;
use std::path::{Path, PathBuf};

use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;

use cloudletsim::api::{self, ApiError, ScenarioInput};
use cloudletsim::ids::optimize::OptimizeOptions;
use cloudletsim::output::{FolderKind, ResultsDir};
use cloudletsim::run::RunOptions;
use cloudletsim::scenario::ScenarioError as LibScenarioError;
use cloudletsim::sweep::{Sweep, SweepError, SweepOptions};

create_exception!(
    cloudletsim,
    ScenarioError,
    PyValueError,
    "A scenario, override, sweep file or option is invalid; the message locates it (file, line, key) and says what \
     is allowed, as the command line does."
);
create_exception!(
    cloudletsim,
    OutputFolderError,
    PyOSError,
    "A results folder could not be written, or holds something cloudletsim may not replace (it did not write it)."
);
create_exception!(
    cloudletsim,
    SimulationError,
    PyRuntimeError,
    "A run could not start or finish (for example real cryptography could not be set up)."
);

/// The message and its causes, joined with `: ` (what the command line prints after `error: `).
fn chain(e: &dyn Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}

fn api_err(e: ApiError) -> PyErr {
    let message = chain(&e);
    match e {
        ApiError::Output(_) => OutputFolderError::new_err(message),
        ApiError::Run(_) | ApiError::Pool(_) => SimulationError::new_err(message),
        _ if e.scenario().is_some() => ScenarioError::new_err(message),
        ApiError::Refused(_) => ScenarioError::new_err(message),
        _ => SimulationError::new_err(message),
    }
}

fn scenario_err(e: LibScenarioError) -> PyErr {
    api_err(ApiError::Scenario(e))
}

fn sweep_err(e: SweepError) -> PyErr {
    let message = chain(&e);
    match e {
        SweepError::Invalid { .. }
        | SweepError::BaseScenario { .. }
        | SweepError::Point { .. }
        | SweepError::Read { .. } => ScenarioError::new_err(message),
        SweepError::Folder { .. } | SweepError::Output(_) => OutputFolderError::new_err(message),
        _ => SimulationError::new_err(message),
    }
}

/// The scenario file at `path` as text (folders, devices, pipes and huge files refused, as by the command line).
#[pyfunction]
fn read_text(path: PathBuf) -> PyResult<String> {
    cloudletsim::scenario::read_text(&path)
        .map_err(|source| scenario_err(LibScenarioError::Read { path: path.clone(), source }))
}

/// `obj` (a dict shaped like a scenario file) as TOML text.
#[pyfunction]
fn scenario_toml(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let table: toml::Table = pythonize::depythonize(obj).map_err(|e| {
        ScenarioError::new_err(format!(
            "the scenario dict cannot be written as TOML: {e}; allowed: nested dicts of str keys with str, int, \
             float, bool, list or dict values (no None)"
        ))
    })?;
    toml::to_string(&table)
        .map_err(|e| ScenarioError::new_err(format!("the scenario dict cannot be written as TOML: {e}")))
}

/// `value` as a TOML value, as written after `KEY=` in a `--set` override (strings quoted).
#[pyfunction]
fn override_value(key: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    let v: toml::Value = pythonize::depythonize(value).map_err(|e| {
        ScenarioError::new_err(format!(
            "override {key}: the value cannot be written as TOML: {e}; allowed: str, int, float, bool, list or dict"
        ))
    })?;
    Ok(v.to_string())
}

/// Runs the scenario `text` (labelled `file` in messages) with the `sets` overrides into the run folder `out`;
/// returns the folder.
#[pyfunction]
#[pyo3(signature = (text, file, sets, out, force=false, max_events=cloudletsim::estimate::DEFAULT_MAX_EVENTS, real_crypto=false))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    text: String,
    file: PathBuf,
    sets: Vec<String>,
    out: PathBuf,
    force: bool,
    max_events: u64,
    real_crypto: bool,
) -> PyResult<PathBuf> {
    let input = ScenarioInput { text, file, sets, max_events };
    py.detach(|| {
        let (scenario, topology, _) = input.load()?;
        let dir = ResultsDir::create(&out, FolderKind::Run, force)?;
        let opts = RunOptions { real_crypto, ..Default::default() };
        let (path, _) = api::run_into(&scenario, topology, dir, &opts, |_| {})?;
        Ok::<_, ApiError>(path)
    })
    .map_err(api_err)
}

/// Checks the scenario `text` (keys, values, budget, network) without running it.
#[pyfunction]
#[pyo3(signature = (text, file, sets, max_events=cloudletsim::estimate::DEFAULT_MAX_EVENTS))]
fn validate(py: Python<'_>, text: String, file: PathBuf, sets: Vec<String>, max_events: u64) -> PyResult<()> {
    let input = ScenarioInput { text, file, sets, max_events };
    py.detach(|| input.load().map(|_| ())).map_err(scenario_err)
}

/// Runs (or resumes) the sweep in the file `spec` into `out` with `jobs` threads (0: one per core); returns the
/// folder and whether it holds every run.
#[pyfunction]
#[pyo3(signature = (spec, out, jobs=0, force=false, max_events=cloudletsim::estimate::DEFAULT_MAX_EVENTS))]
fn sweep(
    py: Python<'_>,
    spec: PathBuf,
    out: PathBuf,
    jobs: usize,
    force: bool,
    max_events: u64,
) -> PyResult<(PathBuf, bool)> {
    py.detach(|| {
        let sweep = Sweep::load(&spec)?;
        let opts = SweepOptions { out, jobs, shard: None, force, max_events };
        let report = cloudletsim::sweep::run_sweep(&sweep, &opts, &|_| {})?;
        Ok((report.out, report.complete))
    })
    .map_err(sweep_err)
}

/// One run of a sweep: point, replication, `--set` overrides.
type PlannedRun = (u64, u64, Vec<String>);

/// The runs of the sweep in the file `spec`, without running them: its base scenario's file, and for each run
/// its point, replication and `--set` overrides (the point's values, the warm-up, the seed, the replication).
#[pyfunction]
fn sweep_plan(spec: PathBuf) -> PyResult<(PathBuf, Vec<PlannedRun>)> {
    let sweep = Sweep::load(&spec).map_err(sweep_err)?;
    let runs = sweep.runs().map(|r| (r.point, r.replication, sweep.overrides(&r))).collect();
    Ok((sweep.scenario_path.clone(), runs))
}

/// `ids-optimize` on the scenario `text` into `out`; returns the folder.
#[pyfunction]
#[pyo3(signature = (text, file, sets, out, max_ids=0, target_detection=0.0, max_false_alarm=1.0, replications=10,
    curve_points=10, sensitivity=false, jobs=0, force=false, max_events=cloudletsim::estimate::DEFAULT_MAX_EVENTS))]
#[allow(clippy::too_many_arguments)]
fn ids_optimize(
    py: Python<'_>,
    text: String,
    file: PathBuf,
    sets: Vec<String>,
    out: PathBuf,
    max_ids: u32,
    target_detection: f64,
    max_false_alarm: f64,
    replications: u32,
    curve_points: u32,
    sensitivity: bool,
    jobs: usize,
    force: bool,
    max_events: u64,
) -> PyResult<PathBuf> {
    let input = ScenarioInput { text, file, sets, max_events };
    let opts = OptimizeOptions { max_ids, target_detection, max_false_alarm, replications, curve_points };
    py.detach(|| api::ids_optimize_into(&input, opts, sensitivity, Some(Path::new(&out)), force, jobs))
        .map(|done| done.path)
        .map_err(api_err)
}

/// The native module: the functions above and the exceptions.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("OutputFolderError", m.py().get_type::<OutputFolderError>())?;
    m.add("SimulationError", m.py().get_type::<SimulationError>())?;
    m.add("DEFAULT_MAX_EVENTS", cloudletsim::estimate::DEFAULT_MAX_EVENTS)?;
    m.add_function(wrap_pyfunction!(read_text, m)?)?;
    m.add_function(wrap_pyfunction!(scenario_toml, m)?)?;
    m.add_function(wrap_pyfunction!(override_value, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_plan, m)?)?;
    m.add_function(wrap_pyfunction!(ids_optimize, m)?)?;
    Ok(())
}
