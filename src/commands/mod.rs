//! The commands of the `cloudletsim` binary, one file per group, called by `main.rs`'s dispatch: the argument
//! groups' behaviour (`args`), `run`, `validate` and `keys` (`scenario`), `topology`, the analyses
//! (`ids-optimize`, `crypto-compare`, `trust-tradeoff`), `sweep` and `merge`, and `check` and `plot` (`results`).
//! What they share with the Python package (loading a scenario, a run or `ids-optimize` into its folder) is in
//! the library, `cloudletsim::api`.

mod analyses;
mod args;
mod results;
mod run;
mod scenario;
mod sweep;
mod topology;

pub(crate) use analyses::{crypto_compare, ids_optimize, trust_tradeoff};
pub(crate) use results::{check, plot, ChecksFailed};
pub(crate) use run::run;
pub(crate) use scenario::{keys, validate};
pub(crate) use sweep::{merge, sweep, SweepFlags};
pub(crate) use topology::topology;
