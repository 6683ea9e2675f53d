//! The commands that read a results folder: `cloudletsim check` (expectations, exit status 1 when one fails) and
//! `cloudletsim plot` (the folder's figures).

use std::path::Path;

use anyhow::Result;

use cloudletsim::plot::Style;

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
pub(crate) fn check(dir: &Path, expect: &[String], quiet: bool) -> Result<()> {
    let outcomes = cloudletsim::check::check(dir, expect)?;
    if !quiet {
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

/// `plot`: the figures of the run or sweep folder `dir`, into `dir/plots/`, in `style`.
pub(crate) fn plot(dir: &Path, force: bool, style: Style, quiet: bool) -> Result<()> {
    let files = cloudletsim::analysis::sweep_plots::plot_dir(dir, force, style)?;
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
