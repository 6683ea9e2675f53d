//! `runs.csv` and `summary.csv`, from a sweep folder's stored runs.
//!
//! Every run's `summary.json` is flattened into dotted column names (`packets.delivery_ratio`,
//! `energy.per_sample_j.total`, and any section added later, such as `ids.*`), so new metrics appear as new
//! columns with no change here. Columns are the union over all runs in first-seen order, runs in (point,
//! replication) order, numbers written as `summary.json` writes them: the tables are a pure function of the stored
//! runs, whatever the number of threads, shards or interruptions that produced them.
//!
//! - `runs.csv`: `point, replication, seed`, the swept keys, then every leaf of `summary.json` (numbers, strings,
//!   booleans; a null is an empty cell).
//! - `summary.csv`: `point`, the swept keys, then for every numeric metric `M`: `M.mean, M.std, M.ci95_low,
//!   M.ci95_high, M.n` over the point's replications (Student t, [`super::stats`]). `n` counts the runs where the
//!   metric is a number; an undefined figure (the std of one run) is an empty cell. The run's own `scenario.seed`
//!   and `scenario.replication` are left out: they are columns of `runs.csv`, not metrics.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde_json::Value;

use super::spec::RunSpec;
use super::stats::{mean_ci, LEVEL};
use super::store::{read_record, run_file, Manifest, RunRecord};
pub use super::store::{RUNS_CSV, SUMMARY_CSV};
use super::SweepError;
use crate::output::atomic::{write_file_atomic, Durability};
use crate::output::OutputError;

/// Leaves of `summary.json` that identify a run rather than measure it.
const NOT_METRICS: [&str; 2] = ["scenario.seed", "scenario.replication"];
/// Statistics written per metric in `summary.csv`, in column order.
pub const STATS: [&str; 5] = ["mean", "std", "ci95_low", "ci95_high", "n"];

/// Flattens a JSON value into (dotted path, scalar) pairs in document order; array elements get their index.
pub fn flatten(v: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out
}

fn walk(v: &Value, path: String, out: &mut Vec<(String, Value)>) {
    let child = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match v {
        Value::Object(map) => map.iter().for_each(|(k, v)| walk(v, child(k), out)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| walk(v, child(&i.to_string()), out)),
        scalar => out.push((path, scalar.clone())),
    }
}

/// A number as `summary.json` writes it (shortest text that reads back exactly).
pub fn number_text(x: f64) -> String {
    serde_json::Number::from_f64(x).map_or_else(String::new, |n| n.to_string())
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Column names of a sweep's tables, gathered over every run.
struct Columns {
    /// Every leaf, in first-seen order.
    leaves: Vec<String>,
    /// Leaves that are a number in at least one run, minus [`NOT_METRICS`].
    metrics: Vec<String>,
}

fn columns(dir: &Path, m: &Manifest) -> Result<Columns, SweepError> {
    let (mut leaves, mut metrics) = (Vec::new(), Vec::new());
    let (mut seen, mut numeric) = (HashSet::new(), HashSet::new());
    let runs: Vec<RunSpec> = m.runs().collect();
    let keys_of = |_: &RunSpec, flat: Vec<(String, Value)>| -> Vec<(String, bool)> {
        flat.into_iter().map(|(k, v)| (k, v.is_number())).collect()
    };
    for_each_run(dir, &runs, keys_of, |_, flat| {
        for (k, is_number) in flat {
            if seen.insert(k.clone()) {
                leaves.push(k.clone());
            }
            if is_number && !NOT_METRICS.contains(&k.as_str()) && numeric.insert(k.clone()) {
                metrics.push(k);
            }
        }
        Ok(())
    })?;
    // Metrics keep leaf order even when a metric is first numeric in a later run.
    let order: HashMap<&str, usize> = leaves.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    metrics.sort_by_key(|k| order[k.as_str()]);
    Ok(Columns { leaves, metrics })
}

/// Runs read and flattened at once, in parallel; they are then handed on in order.
const CHUNK: usize = 256;

/// For every run of `runs`, in order: reads and flattens its record and applies `prepare` in parallel (on the
/// current rayon pool, a chunk at a time so memory stays bounded), then hands the result to `consume` in order.
fn for_each_run<T: Send>(
    dir: &Path,
    runs: &[RunSpec],
    prepare: impl Fn(&RunSpec, Vec<(String, Value)>) -> T + Sync,
    mut consume: impl FnMut(&RunSpec, T) -> Result<(), SweepError>,
) -> Result<(), SweepError> {
    for chunk in runs.chunks(CHUNK) {
        let prepared: Vec<T> = chunk
            .par_iter()
            .map(|r| record(dir, r).map(|rec| prepare(r, flatten(&rec.summary))))
            .collect::<Result<_, _>>()?;
        for (r, t) in chunk.iter().zip(prepared) {
            consume(r, t)?;
        }
    }
    Ok(())
}

fn record(dir: &Path, run: &RunSpec) -> Result<RunRecord, SweepError> {
    read_record(dir, run)?.ok_or_else(|| SweepError::Folder {
        path: run_file(dir, run),
        message: "missing: the sweep is not complete (rerun it, or merge every shard)".to_string(),
    })
}

/// A leaf's column name in `runs.csv`: its path, or `summary.PATH` if a swept key has that name.
fn leaf_column(m: &Manifest, leaf: &str) -> String {
    if m.keys.iter().any(|k| k == leaf) {
        format!("summary.{leaf}")
    } else {
        leaf.to_string()
    }
}

/// Writes `runs.csv` and `summary.csv` into sweep folder `dir`, from its stored runs (all must be present).
pub fn write_tables(dir: &Path, m: &Manifest) -> Result<(), SweepError> {
    let cols = columns(dir, m)?;
    let csv_err = |file: &str| {
        let path = dir.join(file);
        move |e: csv::Error| OutputError { path, source: std::io::Error::other(e) }
    };
    let mut runs = csv::Writer::from_writer(Vec::new());
    let mut summary = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["point", "replication", "seed"].iter().map(|s| s.to_string()).collect();
    header.extend(m.keys.iter().cloned());
    header.extend(cols.leaves.iter().map(|l| leaf_column(m, l)));
    runs.write_record(&header).map_err(csv_err(RUNS_CSV))?;
    let mut header = vec!["point".to_string()];
    header.extend(m.keys.iter().cloned());
    header.extend(cols.metrics.iter().flat_map(|k| STATS.iter().map(move |s| format!("{k}.{s}"))));
    summary.write_record(&header).map_err(csv_err(SUMMARY_CSV))?;

    let runs_of = |p: u64| (0..m.replications).map(move |replication| RunSpec { point: p, replication });
    let all: Vec<RunSpec> = m.points.iter().flat_map(|p| runs_of(p.index)).collect();
    let mut per_metric: Vec<Vec<f64>> = vec![Vec::new(); cols.metrics.len()];
    // In parallel: a run's row of runs.csv and its metric values.
    let row_of = |run: &RunSpec, flat: Vec<(String, Value)>| -> (Vec<String>, Vec<Option<f64>>) {
        let p = &m.points[run.point as usize];
        let leaves: HashMap<String, Value> = flat.into_iter().collect();
        let mut row = vec![p.index.to_string(), run.replication.to_string(), p.seed.to_string()];
        row.extend(p.values.iter().cloned());
        row.extend(cols.leaves.iter().map(|k| leaves.get(k).map_or_else(String::new, cell)));
        (row, cols.metrics.iter().map(|k| leaves.get(k).and_then(Value::as_f64)).collect())
    };
    for_each_run(dir, &all, row_of, |run, (row, values)| {
        let p = &m.points[run.point as usize];
        runs.write_record(&row).map_err(csv_err(RUNS_CSV))?;
        for (xs, x) in per_metric.iter_mut().zip(values) {
            xs.extend(x);
        }
        if run.replication + 1 < m.replications {
            return Ok(());
        }
        // The point's last replication: its summary row.
        let mut row = vec![p.index.to_string()];
        row.extend(p.values.iter().cloned());
        for xs in per_metric.iter_mut() {
            match mean_ci(xs, LEVEL) {
                None => row.extend(["", "", "", "", "0"].map(String::from)),
                Some(s) => {
                    let opt = |x: Option<f64>| x.map_or_else(String::new, number_text);
                    row.push(number_text(s.mean));
                    row.push(opt(s.std));
                    row.push(opt(s.ci.map(|c| c.0)));
                    row.push(opt(s.ci.map(|c| c.1)));
                    row.push(s.n.to_string());
                }
            }
            xs.clear();
        }
        Ok(summary.write_record(&row).map_err(csv_err(SUMMARY_CSV))?)
    })?;
    let bytes = |w: csv::Writer<Vec<u8>>, file: &str| {
        w.into_inner().map_err(|e| OutputError { path: dir.join(file), source: std::io::Error::other(e.to_string()) })
    };
    write_file_atomic(&dir.join(RUNS_CSV), &bytes(runs, RUNS_CSV)?, Durability::Synced)?;
    write_file_atomic(&dir.join(SUMMARY_CSV), &bytes(summary, SUMMARY_CSV)?, Durability::Synced)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flattening_gives_dotted_paths_in_document_order() {
        let v = json!({"a": {"b": 1, "c": [2.5, null]}, "d": "x", "e": {"f": true}});
        let flat = flatten(&v);
        let names: Vec<&str> = flat.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["a.b", "a.c.0", "a.c.1", "d", "e.f"]);
        let cells: Vec<String> = flat.iter().map(|(_, v)| cell(v)).collect();
        assert_eq!(cells, ["1", "2.5", "", "x", "true"]);
    }

    #[test]
    fn numbers_are_written_exactly() {
        assert_eq!(number_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number_text(3.0), "3.0");
        assert_eq!(number_text(1e-9), "1e-9");
        assert_eq!(number_text(f64::NAN), "");
    }
}
