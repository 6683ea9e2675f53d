//! A sweep's summary: one row per point, its swept keys (those that take more than one value) and each chosen
//! metric as `mean ± half-width` of its 95% interval across replications (`summary.csv`).

use std::path::Path;

use super::number::mean_pm;
use super::{choose, read_csv, records, Align, Cell, Table, TableError, TableOptions};

/// Metrics shown when `--metrics` names none (those a sweep's summary has).
const DEFAULTS: [&str; 3] = ["packets.delivery_ratio", "latency_s.mean", "latency_s.p95"];

/// The statistics `summary.csv` gives each metric, as column suffixes.
const STATS: [&str; 5] = [".mean", ".std", ".ci95_low", ".ci95_high", ".n"];

pub(super) fn tables(dir: &Path, opts: &TableOptions) -> Result<Vec<Table>, TableError> {
    let path = dir.join("summary.csv");
    if !path.is_file() {
        return Err(TableError::file(
            &path,
            "missing: the sweep is not complete (a --shard folder has no summary; combine the shards with `merge`)",
        ));
    }
    let (header, rows) = read_csv(&path)?;
    // Columns: point, the swept keys, then five statistics per metric.
    let first_metric = header.iter().position(|h| h.ends_with(".mean")).unwrap_or(header.len());
    let keys: Vec<&str> = header.iter().take(first_metric).skip(1).collect();
    let metrics: Vec<&str> = header.iter().filter_map(|h| h.strip_suffix(".mean")).collect();
    for m in &metrics {
        for s in STATS {
            if !header.iter().any(|h| h == format!("{m}{s}")) {
                return Err(TableError::file(&path, format!("metric `{m}` has no column `{m}{s}`")));
            }
        }
    }
    let chosen = choose(opts, &metrics, &DEFAULTS, &format!("summary of {}", path.display()))?;
    let chosen = if chosen.is_empty() { metrics.iter().copied().take(3).collect() } else { chosen };
    // Keys with one value at every point are the same everywhere: a paper states them once, not in a column.
    let varied: Vec<usize> = (0..keys.len())
        .filter(|&k| rows.len() < 2 || rows.iter().any(|r| r.get(k + 1) != rows[0].get(k + 1)))
        .collect();
    let mut table = Table {
        name: "summary",
        header: varied.iter().map(|&k| keys[k].to_string()).chain(chosen.iter().map(|m| m.to_string())).collect(),
        align: vec![Align::Right; varied.len() + chosen.len()],
        rows: vec![],
    };
    for r in records(&path, &header, &rows) {
        let mut row: Vec<Cell> = varied.iter().map(|&k| Cell::new(r.text(keys[k]))).collect();
        for m in &chosen {
            let cell = match r.opt(&format!("{m}.mean"))? {
                None => "n/a".to_string(),
                Some(mean) => {
                    let low = r.opt(&format!("{m}.ci95_low"))?;
                    let high = r.opt(&format!("{m}.ci95_high"))?;
                    mean_pm(mean, low.zip(high).map(|(l, h)| (h - l) / 2.0))
                }
            };
            row.push(Cell::new(cell));
        }
        table.rows.push(row);
    }
    Ok(vec![table])
}
