//! Reading a run folder's `summary.json` or a sweep folder's `summary.csv`, and checking one expectation on them:
//! at the run's value, or at all, any, the argmin or the argmax of a sweep's points.

use std::path::{Path, PathBuf};

use super::{CheckError, Expectation, Selector};
use crate::sweep::store::{read_manifest, MANIFEST};
use crate::sweep::table::{flatten, SUMMARY_CSV};

/// The results an expectation is checked against.
#[derive(Debug, Clone)]
pub enum Results {
    /// A run folder: `summary.json`, flattened to dotted paths.
    Run {
        /// Path → cell text (a null is empty).
        values: Vec<(String, String)>,
    },
    /// A sweep folder: `summary.csv`.
    Sweep {
        /// Swept keys (from `sweep.json`).
        keys: Vec<String>,
        /// Column names.
        header: Vec<String>,
        /// One row per point.
        rows: Vec<Vec<String>>,
    },
}

/// The outcome of one expectation.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The expectation.
    pub expectation: String,
    /// Whether it holds.
    pub passed: bool,
    /// The actual values behind the verdict.
    pub detail: String,
}

/// Reads the results of a run folder (`summary.json`) or a sweep folder (`summary.csv` and `sweep.json`).
pub fn load(dir: &Path) -> Result<Results, CheckError> {
    let read_err = |path: PathBuf| move |e: String| CheckError::Read { path, message: e };
    let sweep_csv = dir.join(SUMMARY_CSV);
    if sweep_csv.is_file() || dir.join(MANIFEST).is_file() {
        let keys = read_manifest(dir).map_err(|e| format!("{e:#}")).map_err(read_err(dir.join(MANIFEST)))?.keys;
        let mut r =
            csv::Reader::from_path(&sweep_csv).map_err(|e| e.to_string()).map_err(read_err(sweep_csv.clone()))?;
        let header = r.headers().map_err(|e| e.to_string()).map_err(read_err(sweep_csv.clone()))?;
        let header: Vec<String> = header.iter().map(str::to_string).collect();
        let rows = r
            .records()
            .map(|rec| rec.map(|rec| rec.iter().map(str::to_string).collect()))
            .collect::<Result<Vec<Vec<String>>, _>>()
            .map_err(|e| e.to_string())
            .map_err(read_err(sweep_csv))?;
        return Ok(Results::Sweep { keys, header, rows });
    }
    let path = dir.join("summary.json");
    let bytes = crate::scenario::read_text(&path).map_err(|e| {
        let message = if e.kind() == std::io::ErrorKind::NotFound {
            format!("{} is neither a run folder (summary.json) nor a sweep folder (summary.csv)", dir.display())
        } else {
            e.to_string()
        };
        CheckError::Read { path: path.clone(), message }
    })?;
    let v: serde_json::Value = serde_json::from_str(&bytes).map_err(|e| e.to_string()).map_err(read_err(path))?;
    let values = flatten(&v)
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (k, text)
        })
        .collect();
    Ok(Results::Run { values })
}

/// Checks one expectation.
pub fn evaluate(results: &Results, e: &Expectation) -> Result<Outcome, CheckError> {
    match results {
        Results::Run { values } => {
            if e.selector != Selector::All {
                return Err(CheckError::Syntax {
                    expr: e.text.clone(),
                    message: "all / any / argmin / argmax need a sweep folder; a run folder has one value per column"
                        .to_string(),
                });
            }
            let actual = values
                .iter()
                .find(|(k, _)| *k == e.column)
                .map(|(_, v)| v.as_str())
                .ok_or_else(|| unknown(e, "summary.json", &e.column, values.iter().map(|(k, _)| k.as_str())))?;
            let passed = e.holds(actual);
            Ok(Outcome { expectation: e.text.clone(), passed, detail: format!("{} = {}", e.column, shown(actual)) })
        }
        Results::Sweep { keys, header, rows } => sweep_outcome(keys, header, rows, e),
    }
}

fn shown(v: &str) -> &str {
    if v.is_empty() {
        "(empty)"
    } else {
        v
    }
}

fn unknown<'a>(e: &Expectation, file: &str, column: &str, names: impl Iterator<Item = &'a str>) -> CheckError {
    let last = column.rsplit('.').next().unwrap_or(column);
    let mut suggestions: Vec<String> =
        names.filter(|n| n.split('.').any(|seg| seg == last)).take(6).map(str::to_string).collect();
    suggestions.dedup();
    CheckError::UnknownColumn { expr: e.text.clone(), file: file.to_string(), column: column.to_string(), suggestions }
}

/// The index of `name` in a `summary.csv` header: the column itself, or else its mean.
fn column_index(header: &[String], e: &Expectation, name: &str) -> Result<usize, CheckError> {
    let mean = format!("{name}.mean");
    header
        .iter()
        .position(|h| h == name)
        .or_else(|| header.iter().position(|h| *h == mean))
        .ok_or_else(|| unknown(e, SUMMARY_CSV, name, header.iter().map(String::as_str)))
}

fn sweep_outcome(
    keys: &[String],
    header: &[String],
    rows: &[Vec<String>],
    e: &Expectation,
) -> Result<Outcome, CheckError> {
    let col = column_index(header, e, &e.column)?;
    let name = &header[col];
    let describe = |row: &Vec<String>| {
        let parts: Vec<String> =
            keys.iter().filter_map(|k| header.iter().position(|h| h == k).map(|i| format!("{k}={}", row[i]))).collect();
        format!("point {} ({})", row[0], parts.join(", "))
    };
    let outcome = |passed, detail| Ok(Outcome { expectation: e.text.clone(), passed, detail });
    match &e.selector {
        Selector::All | Selector::Any => {
            let failing: Vec<&Vec<String>> = rows.iter().filter(|r| !e.holds(&r[col])).collect();
            let range = value_range(rows.iter().map(|r| r[col].as_str()));
            if e.selector == Selector::All {
                let passed = failing.is_empty() && !rows.is_empty();
                let detail = if passed {
                    format!("{name} at all {} points: {range}", rows.len())
                } else {
                    let listed: Vec<String> = failing
                        .iter()
                        .take(3)
                        .map(|r| format!("{}: {name} = {}", describe(r), shown(&r[col])))
                        .collect();
                    let more =
                        if failing.len() > 3 { format!("; and {} more", failing.len() - 3) } else { String::new() };
                    format!("fails at {} of {} points: {}{more}", failing.len(), rows.len(), listed.join("; "))
                };
                outcome(passed, detail)
            } else {
                let passed = failing.len() < rows.len();
                let detail = match rows.iter().find(|r| e.holds(&r[col])) {
                    Some(r) => format!("holds at {} ({name} = {})", describe(r), r[col]),
                    None => format!("holds at none of {} points: {name} {range}", rows.len()),
                };
                outcome(passed, detail)
            }
        }
        Selector::ArgMin(by) | Selector::ArgMax(by) => {
            let by_col = column_index(header, e, by)?;
            let min = matches!(e.selector, Selector::ArgMin(_));
            let mut best: Option<(f64, &Vec<String>)> = None;
            for r in rows {
                let Ok(x) = r[by_col].parse::<f64>() else { continue };
                if best.is_none_or(|(b, _)| if min { x < b } else { x > b }) {
                    best = Some((x, r));
                }
            }
            let Some((x, r)) = best else {
                return outcome(false, format!("{} has no numeric value at any point", header[by_col]));
            };
            let which = if min { "argmin" } else { "argmax" };
            outcome(
                e.holds(&r[col]),
                format!(
                    "{which}({}) is {} with {} = {x}; there {name} = {}",
                    by,
                    describe(r),
                    header[by_col],
                    shown(&r[col])
                ),
            )
        }
    }
}

fn value_range<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let xs: Vec<f64> = cells.filter_map(|c| c.parse().ok()).collect();
    if xs.is_empty() {
        return "no numeric values".to_string();
    }
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("from {lo} to {hi}")
}
