//! The commands of the `cloudletsim` binary, one file per group, called by `main.rs`'s dispatch: the argument
//! groups' behaviour (`args`), `run`, `validate` and `keys` (`scenario`), `topology`, the analyses
//! (`ids-optimize`, `crypto-compare`, `trust-tradeoff`), `sweep` and `merge`, `check`, `plot` and `warmup` (`results`),
//! `table`, and the `--format json` documents (`json`).

mod analyses;
mod args;
mod json;
mod results;
mod run;
mod scenario;
mod sweep;
mod table;
mod topology;

use anyhow::Result;

use cloudletsim::output::{self, ResultsDir};
use cloudletsim::scenario::Scenario;

pub(crate) use analyses::{crypto_compare, ids_optimize, trust_tradeoff};
pub(crate) use json::OutputFormat;
pub(crate) use results::{check, plot, warmup, ChecksFailed};
pub(crate) use run::run;
pub(crate) use scenario::{keys, validate};
pub(crate) use sweep::{merge, sweep, SweepFlags};
pub(crate) use table::{table, TableFormat, TableHighlight};
pub(crate) use topology::topology;

/// Prints the JSON document of a failed command (`--format json`).
pub(crate) fn print_json_error(command: &str, e: &anyhow::Error) {
    json::print(&json::error(command, e));
}

/// Writes `scenario.resolved.toml` into a results folder being written.
fn write_resolved(dir: &ResultsDir, scenario: &Scenario) -> Result<()> {
    dir.write(output::manifest::RESOLVED_SCENARIO_FILE, scenario.resolved_toml()?.as_bytes())?;
    Ok(())
}
