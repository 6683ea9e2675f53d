//! `cloudletsim check`: expectations on a run's or a sweep's results, so CI can gate on them.
//!
//! An expectation is one line of a small language:
//!
//! ```text
//! expectation := [selector] column op value
//! selector    := all | any | argmin(column) | argmax(column)        (sweeps only; default: all)
//! op          := <  <=  >  >=  ==  !=                                (= is read as ==)
//! value       := number [± tolerance] | word                         (+- may stand for ±)
//! ```
//!
//! - In a **run folder** a column is a dotted path into `summary.json`: `packets.delivery_ratio >= 0.99`,
//!   `crypto.scheme == ntru-hps2048509`.
//! - In a **sweep folder** a column is one of `summary.csv`: a swept key (`wearables.count`), a metric's statistic
//!   (`latency_s.p95.ci95_high`), or a bare metric name, which means its mean (`ids.detection_rate` is
//!   `ids.detection_rate.mean`). `all` requires the comparison at every point, `any` at one point at least, and
//!   `argmin(M)` / `argmax(M)` at the point where column `M` is smallest / largest (the first such point on a tie):
//!   `argmin(ids.cost) ids.count == 4`.
//! - `== v ± t` holds when the value is within `t` of `v`; `!= v ± t` when it is not. A word compares as text
//!   (`true`, `ring`); a number compares numerically, and fails against a value that is not a number or is empty.
//!
//! The language's types and parser are in `expr`; reading a folder's results and checking an expectation on them
//! in `eval`.

mod eval;
mod expr;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use eval::{evaluate, load, Outcome, Results};
pub use expr::{Expectation, Op, Selector, Target};

/// Why expectations could not be checked (a failed expectation is not an error: see [`Outcome`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckError {
    /// An expectation is not written in the expectation language.
    #[error("--expect {expr:?}: {message}")]
    Syntax {
        /// The expectation as given.
        expr: String,
        /// What is wrong, with an example.
        message: String,
    },
    /// A results file could not be read.
    #[error("cannot read {}: {message}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// An expectation names a column the results do not have.
    #[error("--expect {expr:?}: {file} has no column `{column}`{}", hint(suggestions))]
    UnknownColumn {
        /// The expectation.
        expr: String,
        /// `summary.json` or `summary.csv`.
        file: String,
        /// The column.
        column: String,
        /// Columns with similar names.
        suggestions: Vec<String>,
    },
}

fn hint(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" (similar: {})", s.join(", "))
    }
}

/// Parses and checks every expectation on the results in `dir`.
pub fn check(dir: &Path, expectations: &[String]) -> Result<Vec<Outcome>, CheckError> {
    let parsed = expectations.iter().map(|s| s.parse()).collect::<Result<Vec<Expectation>, _>>()?;
    let results = load(dir)?;
    parsed.iter().map(|e| evaluate(&results, e)).collect()
}

/// The outcomes as lines for a terminal: `ok   expectation: detail` or `FAIL expectation: detail`.
pub fn report(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        out.push_str(&format!("{} `{}`: {}\n", if o.passed { "ok  " } else { "FAIL" }, o.expectation, o.detail));
    }
    out
}
