//! One simulation run of a scenario: build the topology and the model, run the kernel, summarise.

use std::ops::ControlFlow;
use std::time::Instant;

use crate::chain::topology::{Topology, TopologyError};
use crate::kernel::{SimTime, Simulation, StopReason, StreamFactory};
use crate::model::MeshModel;
use crate::scenario::ModelConfig;
use crate::timeseries::sampler::{Sampler, TimeseriesRow};

/// Events between two progress callbacks.
const PROGRESS_EVERY_EVENTS: u64 = 1 << 16;

/// Options of a run that are not part of the scenario.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Record every sample taken (see [`MeshModel::sample_trace`]).
    pub trace_samples: bool,
    /// Really encrypt every sealed packet and decrypt it at the cloudlet (`--real-crypto`).
    pub real_crypto: bool,
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The network cannot be built.
    #[error(transparent)]
    Topology(#[from] TopologyError),
    /// Real cryptography cannot be set up.
    #[error("--real-crypto: {0}")]
    Crypto(#[from] crate::crypto::CryptoError),
    /// A SIGINT or SIGTERM asked the run to stop ([`crate::interrupt`]).
    #[error(transparent)]
    Interrupted(#[from] crate::interrupt::Interrupted),
}

/// A finished run: the configuration, the network, the final model state and how long it took.
pub struct RunResult {
    /// The configuration that ran.
    pub config: ModelConfig,
    /// The network it ran on.
    pub topology: Topology,
    /// The model's final state (metrics, counters, packets still in flight).
    pub model: MeshModel,
    /// Events processed.
    pub events_processed: u64,
    /// Simulated time at the end.
    pub sim_time: SimTime,
    /// Wall-clock seconds spent building the topology and model.
    pub setup_wall_s: f64,
    /// Wall-clock seconds spent in the event loop.
    pub run_wall_s: f64,
    /// Whether real cryptography ran.
    pub real_crypto: bool,
    /// The rows of `timeseries.csv` (empty without `output.interval_s`).
    pub timeseries: Vec<TimeseriesRow>,
}

/// Estimates what `scenario` needs ([`crate::estimate`]) and refuses it, with a diagnostic naming the key(s)
/// responsible, if that exceeds `budget`. The diagnostic points at the first key an override in `overrides`
/// (`--set a.b=v`) set, or else at the first key written in `text` (the file as written).
pub fn check_budget(
    scenario: &crate::scenario::Scenario,
    text: &str,
    overrides: &[String],
    budget: &crate::estimate::Budget,
) -> Result<crate::estimate::Estimate, crate::scenario::ScenarioError> {
    let estimate = crate::estimate::Estimate::of(&scenario.config);
    crate::estimate::check(&estimate, budget).map_err(|over| {
        // The first override whose key the refusal names (`<name>` in a key stands for any one name).
        let matches = |pattern: &str, path: &str| {
            let (p, k): (Vec<&str>, Vec<&str>) = (pattern.split('.').collect(), path.split('.').collect());
            p.len() == k.len() && p.iter().zip(&k).all(|(p, k)| p == k || *p == "<name>")
        };
        let overridden = over.keys.iter().find_map(|pattern| {
            overrides
                .iter()
                .filter_map(|o| o.split_once('='))
                .map(|(path, _)| path.trim())
                .find(|p| matches(pattern, p))
        });
        let index = crate::scenario::locate::KeyIndex::new(text);
        let diagnostic = match overridden {
            Some(k) => crate::scenario::Diagnostic {
                key: Some(k.to_string()),
                line: None,
                from_override: true,
                message: over.message,
                excerpt: None,
            },
            None => {
                let located = over.keys.iter().find(|k| index.line_of(k).is_some());
                let key = located.or(over.keys.first()).cloned();
                let line = located.and_then(|k| index.line_of(k));
                let excerpt = located.and_then(|k| index.excerpt_of(k));
                crate::scenario::Diagnostic { key, line, from_override: false, message: over.message, excerpt }
            }
        };
        crate::scenario::ScenarioError::Invalid { file: scenario.file.clone(), diagnostics: vec![diagnostic] }
    })?;
    Ok(estimate)
}

/// Builds the network for `cfg` (positions depend on the seed, so a random mesh may come out disconnected).
pub fn build_topology(cfg: &ModelConfig) -> Result<Topology, TopologyError> {
    Topology::build(cfg, &StreamFactory::new(cfg.seed, cfg.replication))
}

/// Runs `cfg` to its end time on `topology`, calling `progress(now)` now and then. A SIGINT or SIGTERM (once
/// [`crate::interrupt::install`] has run) stops it within 65,536 events, with
/// [`RunError::Interrupted`].
pub fn run_on(
    cfg: &ModelConfig,
    topology: Topology,
    opts: &RunOptions,
    mut progress: impl FnMut(SimTime),
) -> Result<RunResult, RunError> {
    let setup_start = Instant::now();
    let streams = StreamFactory::new(cfg.seed, cfg.replication);
    let mut model = MeshModel::new(cfg, &topology, &streams);
    if opts.trace_samples {
        model.enable_sample_trace();
    }
    if opts.real_crypto {
        model.enable_real_crypto()?;
    }
    model.generate_cloudlet_keys();
    let mut sim = Simulation::new(model);
    let (model, sched) = sim.parts_mut();
    model.schedule_initial_events(&mut |t, e| sched.schedule_at(t, e));
    let setup_wall_s = setup_start.elapsed().as_secs_f64();
    let run_start = Instant::now();
    crate::interrupt::check()?;
    let mut tick = |now| {
        progress(now);
        match crate::interrupt::requested() {
            Some(_) => ControlFlow::Break(()),
            None => ControlFlow::Continue(()),
        }
    };
    // With a time series, the run stops one nanosecond before each interval's end to sample the model, then goes
    // on: the same events in the same order as one run to the end.
    let mut sampler = Sampler::new(cfg);
    let stop = loop {
        let boundary = sampler.as_ref().map(Sampler::next_end).filter(|&b| b < cfg.end_time());
        let Some(boundary) = boundary else {
            break sim.run_until_with(cfg.end_time(), PROGRESS_EVERY_EVENTS, &mut tick);
        };
        let stop = sim.run_until_with(boundary - SimTime::from_nanos(1), PROGRESS_EVERY_EVENTS, &mut tick);
        if stop == StopReason::Stopped {
            break stop;
        }
        if let Some(s) = sampler.as_mut() {
            s.sample(sim.model_mut());
        }
    };
    if stop == StopReason::Stopped {
        crate::interrupt::check()?;
    }
    let end = cfg.end_time().max(sim.now());
    sim.parts_mut().0.finish(end);
    if let Some(s) = sampler.as_mut() {
        s.sample(sim.model_mut());
    }
    let _ = tick(end);
    let run_wall_s = run_start.elapsed().as_secs_f64();
    let events_processed = sim.events_processed();
    Ok(RunResult {
        config: cfg.clone(),
        topology,
        model: sim.into_model(),
        events_processed,
        sim_time: end,
        setup_wall_s,
        run_wall_s,
        real_crypto: opts.real_crypto,
        timeseries: sampler.map(Sampler::into_rows).unwrap_or_default(),
    })
}

/// Builds the topology and runs `cfg`.
pub fn run(cfg: &ModelConfig, opts: &RunOptions, progress: impl FnMut(SimTime)) -> Result<RunResult, RunError> {
    let topology = build_topology(cfg)?;
    run_on(cfg, topology, opts, progress)
}
