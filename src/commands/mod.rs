//! The commands of the `cloudletsim` binary, one file per group, called by `main.rs`'s dispatch: the argument
//! groups' behaviour (`args`), `run`, `validate` and `keys` (`scenario`), `topology`, the analyses
//! (`ids-optimize`, `crypto-compare`, `trust-tradeoff`), `sweep` and `merge`, and `check`, `plot` and `warmup` (`results`).

mod analyses;
mod args;
mod results;
mod run;
mod scenario;
mod sweep;
mod topology;

use anyhow::Result;

use cloudletsim::output::{self, ResultsDir};
use cloudletsim::scenario::Scenario;

pub(crate) use analyses::{crypto_compare, ids_optimize, trust_tradeoff};
pub(crate) use results::{check, plot, warmup, ChecksFailed};
pub(crate) use run::run;
pub(crate) use scenario::{keys, validate};
pub(crate) use sweep::{merge, sweep, SweepFlags};
pub(crate) use topology::topology;

/// Writes `scenario.resolved.toml` into a results folder being written.
fn write_resolved(dir: &ResultsDir, scenario: &Scenario) -> Result<()> {
    dir.write(output::manifest::RESOLVED_SCENARIO_FILE, scenario.resolved_toml()?.as_bytes())?;
    Ok(())
}
