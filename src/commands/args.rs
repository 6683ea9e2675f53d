//! What the shared argument groups do: `--out`/`--force` start a results folder; a scenario's file, `--seed`,
//! `--set` and `--max-events` load it, check its budget and build its network.

use anyhow::Result;

use cloudletsim::chain::topology::Topology;
use cloudletsim::estimate::{Budget, Estimate};
use cloudletsim::output::{self, FolderKind, ResultsDir};
use cloudletsim::scenario::{self, Diagnostic, Scenario, ScenarioError};

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

    /// Reads the scenario file's text (refusing folders, devices, pipes and huge files).
    pub(super) fn text(&self) -> Result<String, ScenarioError> {
        scenario::read_text(&self.file).map_err(|source| ScenarioError::Read { path: self.file.clone(), source })
    }

    /// Loads the scenario, checks that what it needs fits this machine and `--max-events`, and returns it with
    /// its text and the estimate.
    pub(super) fn load_checked(&self) -> Result<(Scenario, String, Estimate), ScenarioError> {
        let text = self.text()?;
        let scenario = scenario::load_str(&text, &self.file, &self.all_sets())?;
        let estimate = cloudletsim::run::check_budget(
            &scenario,
            &text,
            &self.all_sets(),
            &Budget::for_this_machine(self.max_events),
        )?;
        Ok((scenario, text, estimate))
    }

    /// Loads the scenario, checks its budget, and builds its network (which can fail for a random mesh).
    pub(super) fn load(&self) -> Result<(Scenario, Topology, String, Estimate), ScenarioError> {
        let (scenario, text, estimate) = self.load_checked()?;
        let topology = self.build(&scenario, &text)?;
        Ok((scenario, topology, text, estimate))
    }

    /// Builds the network of a loaded scenario; an error names the key that made it impossible.
    pub(super) fn build(&self, scenario: &Scenario, text: &str) -> Result<Topology, ScenarioError> {
        cloudletsim::run::build_topology(&scenario.config).map_err(|e| {
            let index = scenario::locate::KeyIndex::new(text);
            let (line, excerpt) = (index.line_of(&e.key), index.excerpt_of(&e.key));
            let d = Diagnostic { key: Some(e.key), line, from_override: false, message: e.message, excerpt };
            ScenarioError::Invalid { file: self.file.clone(), diagnostics: vec![d] }
        })
    }
}
