//! What the shared argument groups do: `--out`/`--force` start a results folder; a scenario's file, `--seed`,
//! `--set` and `--max-events` make a [`ScenarioInput`], which loads it, checks its budget and builds its network.

use anyhow::Result;

use cloudletsim::api::ScenarioInput;
use cloudletsim::chain::topology::Topology;
use cloudletsim::estimate::Estimate;
use cloudletsim::output::{self, FolderKind, ResultsDir};
use cloudletsim::scenario::{Scenario, ScenarioError};

use crate::{OutArgs, ScenarioArgs};

impl OutArgs {
    /// Starts the results folder of kind `kind`, at `--out` or at `results/<default_name>/`.
    pub(super) fn create(&self, default_name: &str, kind: FolderKind) -> Result<ResultsDir> {
        let out = self.out.clone().unwrap_or_else(|| output::default_out(default_name));
        Ok(ResultsDir::create(&out, kind, self.force)?)
    }
}

impl ScenarioArgs {
    /// The `--set` overrides, with `--seed` as one more.
    pub(super) fn all_sets(&self) -> Vec<String> {
        let mut sets = self.sets.clone();
        if let Some(seed) = self.seed {
            sets.push(format!("seed={seed}"));
        }
        sets
    }

    /// Reads the scenario file (refusing folders, devices, pipes and huge files) with the overrides and budget.
    pub(super) fn input(&self) -> Result<ScenarioInput, ScenarioError> {
        ScenarioInput::read(&self.file, self.all_sets(), self.max_events)
    }

    /// Loads the scenario, checks that what it needs fits this machine and `--max-events`, and returns it with
    /// its text and the estimate.
    pub(super) fn load_checked(&self) -> Result<(Scenario, String, Estimate), ScenarioError> {
        let input = self.input()?;
        let (scenario, estimate) = input.load_checked()?;
        Ok((scenario, input.text, estimate))
    }

    /// Loads the scenario, checks its budget, and builds its network (which can fail for a random mesh).
    pub(super) fn load(&self) -> Result<(Scenario, Topology, String, Estimate), ScenarioError> {
        let input = self.input()?;
        let (scenario, topology, estimate) = input.load()?;
        Ok((scenario, topology, input.text, estimate))
    }
}
