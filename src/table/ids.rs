//! `ids-optimize`: the trade-off over IDS counts (closed form beside the simulated mean and 95% interval,
//! `ids_tradeoff.csv`) and the paired steps from the simulated optimum to its neighbours (`optimum.json`).

use std::collections::BTreeMap;
use std::path::Path;

use super::number::signed;
use super::{choose, read_csv, records, Align, Cell, Highlight, Record, Table, TableError, TableOptions};

/// Metrics of the trade-off table, in the order they may be asked for.
const METRICS: [&str; 6] = [
    "detection_rate",
    "false_alarm_rate",
    "cost",
    "bayesian_detection_rate",
    "detection_latency_mean_s",
    "collaboration_bytes_per_item",
];

/// Metrics shown when `--metrics` names none.
const DEFAULTS: [&str; 3] = ["detection_rate", "false_alarm_rate", "cost"];

/// Which optimum a column belongs to, for `--highlight optimum`.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Closed,
    Simulated,
    Neither,
}

/// A column: heading, whose optimum it marks, and its cell from the closed-form and simulated rows.
type Column = (String, Side, Box<dyn Fn(&Record, Option<&Record>) -> Result<String, TableError>>);

fn columns(metric: &str) -> Vec<Column> {
    let interval = |col: &'static str, places: usize, scale: f64| {
        move |_: &Record, s: Option<&Record>| -> Result<String, TableError> {
            let Some(s) = s else { return Ok("-".into()) };
            let v = |c: String| s.num(&c).map(|x| x * scale);
            Ok(format!(
                "{:.p$} [{:.p$}, {:.p$}]",
                v(col.to_string())?,
                v(format!("{col}_ci_low"))?,
                v(format!("{col}_ci_high"))?,
                p = places
            ))
        }
    };
    let closed = |col: &'static str, places: usize| {
        move |a: &Record, _: Option<&Record>| -> Result<String, TableError> { Ok(format!("{:.places$}", a.num(col)?)) }
    };
    let simulated = |col: &'static str, places: usize| {
        move |_: &Record, s: Option<&Record>| -> Result<String, TableError> {
            s.map_or(Ok("-".into()), |s| Ok(format!("{:.places$}", s.num(col)?)))
        }
    };
    match metric {
        "detection_rate" => vec![
            ("detection (closed form)".into(), Side::Closed, Box::new(closed("detection_rate", 4))),
            ("detection (simulated, 95% CI)".into(), Side::Simulated, Box::new(interval("detection_rate", 4, 1.0))),
        ],
        "false_alarm_rate" => {
            vec![("false alarms".into(), Side::Neither, Box::new(simulated("false_alarm_rate", 4)))]
        }
        "cost" => vec![
            ("cost (closed form)".into(), Side::Closed, Box::new(closed("cost", 5))),
            ("cost (simulated, 95% CI)".into(), Side::Simulated, Box::new(interval("cost", 5, 1.0))),
        ],
        "bayesian_detection_rate" => vec![
            ("P(attack | alarm) (closed form)".into(), Side::Neither, Box::new(closed("bayesian_detection_rate", 4))),
            ("P(attack | alarm) (simulated)".into(), Side::Neither, Box::new(simulated("bayesian_detection_rate", 4))),
        ],
        "detection_latency_mean_s" => vec![(
            "detection latency (ms, simulated, 95% CI)".into(),
            Side::Neither,
            Box::new(interval("detection_latency_mean_s", 2, 1e3)),
        )],
        _ => vec![(
            "collaboration bytes per item (simulated)".into(),
            Side::Neither,
            Box::new(simulated("collaboration_bytes_per_item", 0)),
        )],
    }
}

pub(super) fn tables(dir: &Path, opts: &TableOptions) -> Result<Vec<Table>, TableError> {
    let path = dir.join("ids_tradeoff.csv");
    let (header, rows) = read_csv(&path)?;
    let optimum_path = dir.join("optimum.json");
    let optimum: serde_json::Value = std::fs::read(&optimum_path)
        .map_err(|e| TableError::file(&optimum_path, format!("cannot read: {e}")))
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| TableError::file(&optimum_path, e)))?;
    let count = |key: &str| optimum.get(key).and_then(serde_json::Value::as_u64);
    let bold_at = |side: Side| match (opts.highlight, side) {
        (Some(Highlight::Optimum), Side::Closed) => count("ids_count"),
        (Some(Highlight::Optimum), Side::Simulated) => count("simulated_ids_count"),
        _ => None,
    };
    let mut analytic = BTreeMap::new();
    let mut simulated = BTreeMap::new();
    for r in records(&path, &header, &rows) {
        let n = r.num("ids_count")? as u64;
        match r.text("method") {
            "analytic" => analytic.insert(n, r),
            "simulated" => simulated.insert(n, r),
            other => {
                return Err(TableError::file(
                    &path,
                    format!("line {}: column `method`: `{other}`; allowed: `analytic`, `simulated`", r.line),
                ))
            }
        };
    }
    let chosen = choose(opts, &METRICS, &DEFAULTS, &format!("trade-off table of {}", dir.display()))?;
    let cols: Vec<Column> = chosen.iter().flat_map(|m| columns(m)).collect();
    let mut tradeoff = Table {
        name: "tradeoff",
        header: std::iter::once("IDS nodes".to_string()).chain(cols.iter().map(|c| c.0.clone())).collect(),
        align: vec![Align::Right; cols.len() + 1],
        rows: vec![],
    };
    for (n, a) in &analytic {
        let s = simulated.get(n);
        let bold_n = bold_at(Side::Closed) == Some(*n) || bold_at(Side::Simulated) == Some(*n);
        let mut row = vec![Cell { text: n.to_string(), bold: bold_n }];
        for (_, side, cell) in &cols {
            row.push(Cell { text: cell(a, s)?, bold: bold_at(*side) == Some(*n) });
        }
        tradeoff.rows.push(row);
    }
    let mut out = vec![tradeoff];
    if let Some(best) = count("simulated_ids_count") {
        out.push(steps(&optimum, best, &analytic)?);
    }
    Ok(out)
}

/// The paired steps C(n) − C(n − 1) into and out of the simulated optimum `best`.
fn steps(optimum: &serde_json::Value, best: u64, analytic: &BTreeMap<u64, Record>) -> Result<Table, TableError> {
    let mut t = Table {
        name: "steps",
        header: vec![
            "step".into(),
            "closed form".into(),
            "simulated, paired 95% CI".into(),
            format!("optimum {best} beats the neighbour with 95% confidence"),
        ],
        align: vec![Align::Left, Align::Right, Align::Right, Align::Left],
        rows: vec![],
    };
    for (key, below) in [("simulated_step_below", true), ("simulated_step_above", false)] {
        let Some(step) = optimum.get(key).filter(|s| !s.is_null()) else { continue };
        let num = |k: &str| {
            step.get(k)
                .and_then(serde_json::Value::as_f64)
                .ok_or_else(|| TableError(format!("optimum.json: `{key}.{k}` is missing or not a number")))
        };
        let (from, to) = (num("from_ids")? as u64, num("to_ids")? as u64);
        let closed = match analytic.get(&to) {
            Some(a) => a.opt("cost_diff_prev")?.map_or("-".to_string(), |x| signed(x, 5)),
            None => "-".to_string(),
        };
        let (low, high) = (num("ci_low")?, num("ci_high")?);
        // The optimum beats the neighbour below when C(n) − C(n − 1) < 0, the one above when C(n + 1) − C(n) > 0.
        let verdict = match (high < 0.0, low > 0.0) {
            (true, _) if below => "yes (interval below 0)",
            (_, true) if !below => "yes (interval above 0)",
            (true, _) => "no (interval below 0)",
            (_, true) => "no (interval above 0)",
            _ => "no (interval contains 0)",
        };
        t.rows.push(vec![
            Cell::new(format!("C({to}) \u{2212} C({from})")),
            Cell::new(closed),
            Cell::new(format!("{} [{}, {}]", signed(num("cost_diff")?, 5), signed(low, 5), signed(high, 5))),
            Cell::new(verdict),
        ]);
    }
    Ok(t)
}
