//! The commands that read a results folder: `cloudletsim check` (expectations, exit status 1 when one fails) and
//! `cloudletsim plot` (the folder's figures), and `cloudletsim warmup` (MSER-5 on its time series).

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

/// Name of the JUnit report's `<testsuites>`: how `check --junit` recognises a report of its own.
const JUNIT_NAME: &str = "cloudletsim check";

/// Writes the outcomes as JUnit XML to `file` (one test case per expectation, a `<failure>` with the values when it
/// fails), atomically; an existing file is replaced only if it is a report `check --junit` wrote.
fn write_junit(file: &Path, dir: &Path, outcomes: &[Outcome]) -> Result<()> {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mine = format!("<testsuites name=\"{JUNIT_NAME}\"");
    match std::fs::symlink_metadata(file) {
        Ok(m) if m.is_dir() => {
            anyhow::bail!("--junit {}: it is a folder; --junit names the report's file", file.display())
        }
        Ok(_) => {
            let mut head = Vec::new();
            let ours = std::fs::File::open(file)
                .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, 512), &mut head))
                .is_ok_and(|_| String::from_utf8_lossy(&head).contains(&mine));
            anyhow::ensure!(
                ours,
                "--junit {}: the file exists and cloudletsim did not write it (a report of `check --junit` has {mine}>); \
                 choose another file",
                file.display()
            );
        }
        Err(_) => {}
    }
    let mut suite = TestSuite::new(dir.display().to_string());
    for o in outcomes {
        let status = if o.passed {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(o.detail.clone()).set_type("expectation failed");
            s
        };
        let mut case = TestCase::new(o.expectation.clone(), status);
        case.set_classname("cloudletsim.check").set_system_out(o.detail.clone());
        suite.add_test_case(case);
    }
    let mut report = Report::new(JUNIT_NAME);
    report.add_test_suite(suite);
    let xml = report.to_string().map_err(|e| anyhow::anyhow!("--junit {}: {e}", file.display()))?;
    write_file_atomic(file, xml.as_bytes(), Durability::Synced)?;
    Ok(())
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

/// `warmup`: MSER-5's warm-up for each metric of the run folder `dir`'s `timeseries.csv`, and the largest of them.
pub(crate) fn warmup(dir: &Path, metrics: &[String], format: OutputFormat) -> Result<()> {
    use cloudletsim::analysis::timeseries::{Series, DEFAULT_METRICS};
    let series = Series::read(dir)?;
    let names: Vec<String> =
        if metrics.is_empty() { DEFAULT_METRICS.iter().map(|m| m.to_string()).collect() } else { metrics.to_vec() };
    let found = names.iter().map(|m| series.warmup(m)).collect::<Result<Vec<_>, _>>()?;
    let largest =
        found.iter().filter_map(|w| w.warmup_s).fold(None, |a: Option<f64>, w| Some(a.map_or(w, |a| a.max(w))));
    if format == OutputFormat::Json {
        json::print(&serde_json::json!({
            "command": "warmup", "ok": true, "dir": dir, "metrics": found, "largest_warmup_s": largest
        }));
        return Ok(());
    }
    println!("MSER-5 warm-up (White 1997) from {}:", dir.join("timeseries.csv").display());
    for w in &found {
        println!("  {}", w.line());
    }
    match largest {
        Some(w) => println!("largest: {w} s; set simulation.warmup_s to at least this (docs/sweeps.md)"),
        None => println!("no metric has enough values: use a shorter output.interval_s or a longer run"),
    }
    Ok(())
}
