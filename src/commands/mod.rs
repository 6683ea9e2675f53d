//! The commands of the `cloudletsim` binary, one file per group, called by `main.rs`'s dispatch: the argument
//! groups' behaviour (`args`), `run`, `validate` and `keys` (`scenario`), `topology`, the analyses
//! (`ids-optimize`, `crypto-compare`, `trust-tradeoff`), `sweep` and `merge`, `check`, `plot` and `warmup` (`results`),
//! `table`, and the `--format json` documents (`json`). What they share with the Python package (loading a
//! scenario, a run or `ids-optimize` into its folder) is in the library, `cloudletsim::api`.

mod analyses;
mod args;
mod audits;
mod json;
mod results;
mod run;
mod scenario;
mod sweep;
mod table;
mod topology;

pub(crate) use analyses::{crypto_compare, ids_optimize, trust_tradeoff};
pub(crate) use audits::audit_compare;
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
