//! The commands that read a results folder: `cloudletsim check` (expectations, exit status 1 when one fails) and
//! `cloudletsim plot` (the folder's figures).

use std::path::Path;

use anyhow::Result;

use cloudletsim::check::Outcome;
use cloudletsim::output::atomic::{write_file_atomic, Durability};

use cloudletsim::plot::Style;

use super::json::{self, OutputFormat};

/// `check` found an expectation that does not hold (exit status 1, not 2).
#[derive(Debug, thiserror::Error)]
#[error("{failed} of {total} expectations failed")]
pub(crate) struct ChecksFailed {
    failed: usize,
    total: usize,
    /// One line per failed expectation, printed unless `--quiet`.
    pub(crate) detail: Option<String>,
}

/// `check`: the expectations `expect` on the run or sweep folder `dir`; [`ChecksFailed`] if one does not hold.
/// With `junit`, also a JUnit XML report there; with `--format json`, one document instead of the lines.
pub(crate) fn check(
    dir: &Path,
    expect: &[String],
    quiet: bool,
    format: OutputFormat,
    junit: Option<&Path>,
) -> Result<()> {
    let outcomes = cloudletsim::check::check(dir, expect)?;
    if let Some(file) = junit {
        write_junit(file, dir, &outcomes)?;
    }
    let json = format == OutputFormat::Json;
    let quiet = quiet || json;
    if json {
        let failed = outcomes.iter().filter(|o| !o.passed).count();
        json::print(&serde_json::json!({
            "command": "check",
            "ok": failed == 0,
            "dir": json::path(dir),
            "total": outcomes.len(),
            "passed": outcomes.len() - failed,
            "failed": failed,
            "expectations": outcomes
                .iter()
                .map(|o| serde_json::json!({"expectation": o.expectation, "passed": o.passed, "detail": o.detail}))
                .collect::<Vec<_>>(),
        }));
    } else if !quiet {
        print!("{}", cloudletsim::check::report(&outcomes));
    }
    let failed: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| format!("expectation failed: `{}`: {}", o.expectation, o.detail))
        .collect();
    match failed.len() {
        0 => Ok(()),
        n => {
            let detail = (!quiet).then(|| failed.join("\n"));
            Err(ChecksFailed { failed: n, total: outcomes.len(), detail }.into())
        }
    }
}

    if !quiet {
        let kind = if style == Style::Paper { "one-column SVG" } else { "PNG and SVG" };
        println!(
            "{} figures in {}/ ({kind}; each with the data it plots as .data.csv):",
            files.len(),
            dir.join("plots").display()
        );
        for f in files {
            println!("  {}", f.display());
        }
    }
    Ok(())
}
