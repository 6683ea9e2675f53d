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

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::sweep::store::{read_manifest, MANIFEST};
use crate::sweep::table::{flatten, SUMMARY_CSV};

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

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

/// What the column is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A number, with a tolerance for `==` and `!=` (0 when none is given).
    Number {
        /// The value.
        value: f64,
        /// Allowed distance for `==` (and its complement for `!=`).
        tolerance: f64,
    },
    /// A word, compared as text.
    Text(String),
}

/// Which points of a sweep an expectation is checked at.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    /// Every point.
    All,
    /// At least one point.
    Any,
    /// The point where this column is smallest.
    ArgMin(String),
    /// The point where this column is largest.
    ArgMax(String),
}

/// One parsed expectation.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// As written.
    pub text: String,
    /// Where in a sweep.
    pub selector: Selector,
    /// The column compared.
    pub column: String,
    /// The comparison.
    pub op: Op,
    /// What it is compared with.
    pub target: Target,
}

impl FromStr for Expectation {
    type Err = CheckError;

    fn from_str(s: &str) -> Result<Expectation, CheckError> {
        let syntax = |message: &str| CheckError::Syntax { expr: s.to_string(), message: message.to_string() };
        let example = "write e.g. 'packets.delivery_ratio >= 0.99' or 'argmin(ids.cost) ids.count == 4'";
        let text = s.trim();
        let (selector, rest) = if let Some(r) = text.strip_prefix("argmin(").or_else(|| text.strip_prefix("argmax(")) {
            let close = r.find(')').ok_or_else(|| syntax("argmin( / argmax( has no closing parenthesis"))?;
            let col = r[..close].trim().to_string();
            if col.is_empty() || col.contains(char::is_whitespace) {
                return Err(syntax("argmin(...) / argmax(...) takes one column name"));
            }
            let sel = if text.starts_with("argmin") { Selector::ArgMin(col) } else { Selector::ArgMax(col) };
            (sel, &r[close + 1..])
        } else if let Some(r) = text.strip_prefix("all ") {
            (Selector::All, r)
        } else if let Some(r) = text.strip_prefix("any ") {
            (Selector::Any, r)
        } else {
            (Selector::All, text)
        };
        let at = rest
            .find(['<', '>', '=', '!'])
            .ok_or_else(|| syntax(&format!("no comparison (<, <=, >, >=, ==, !=); {example}")))?;
        let column = rest[..at].trim();
        let after = &rest[at..];
        let (op, len) = [
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<", Op::Lt),
            (">", Op::Gt),
            ("=", Op::Eq),
        ]
        .into_iter()
        .find(|(t, _)| after.starts_with(t))
        .map(|(t, op)| (op, t.len()))
        .ok_or_else(|| syntax(&format!("`!` must be followed by `=`; {example}")))?;
        if column.is_empty() || column.contains(char::is_whitespace) {
            return Err(syntax(&format!("expected one column name before the comparison; {example}")));
        }
        let value = after[len..].trim();
        if value.is_empty() {
            return Err(syntax(&format!("nothing to compare with; {example}")));
        }
        let target = parse_target(value, op).map_err(|m| syntax(&m))?;
        Ok(Expectation { text: text.to_string(), selector, column: column.to_string(), op, target })
    }
}

/// The right-hand side of a comparison: a number with an optional tolerance, or a word.
fn parse_target(value: &str, op: Op) -> Result<Target, String> {
    let equality = matches!(op, Op::Eq | Op::Ne);
    let (v, tol) = match value.split_once('±').or_else(|| value.split_once("+-")) {
        Some((v, t)) => (v.trim(), Some(t.trim())),
        None => (value, None),
    };
    match (v.parse::<f64>(), tol) {
        (Ok(value), _) if !value.is_finite() => Err(format!(
            "{v:?} is not a finite number, so no value compares with it; compare with a finite number, or quote it \
             (\"{v}\") to compare text"
        )),
        (Ok(value), None) => Ok(Target::Number { value, tolerance: 0.0 }),
        (Ok(value), Some(t)) => {
            let tolerance = t.parse::<f64>().ok().filter(|t| t.is_finite() && *t >= 0.0);
            let tolerance = tolerance.ok_or("the tolerance after ± must be a finite number >= 0")?;
            if !equality {
                return Err("a tolerance (±) only goes with == or !=".to_string());
            }
            Ok(Target::Number { value, tolerance })
        }
        (Err(_), None) if !v.contains(char::is_whitespace) => {
            if !equality {
                return Err("words compare only with == or !=".to_string());
            }
            Ok(Target::Text(v.trim_matches('"').to_string()))
        }
        _ => Err(format!("{value:?} is not a number (with an optional ± tolerance) or a word")),
    }
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Expectation {
    /// Whether `actual` (a cell's text) satisfies the comparison.
    pub fn holds(&self, actual: &str) -> bool {
        match &self.target {
            Target::Text(t) => (actual == t) == (self.op == Op::Eq),
            Target::Number { value, tolerance } => {
                let Ok(a) = actual.parse::<f64>() else { return false };
                match self.op {
                    Op::Lt => a < *value,
                    Op::Le => a <= *value,
                    Op::Gt => a > *value,
                    Op::Ge => a >= *value,
                    Op::Eq => (a - value).abs() <= *tolerance,
                    Op::Ne => (a - value).abs() > *tolerance,
                }
            }
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn exp(s: &str) -> Expectation {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn sweep() -> Results {
        let header = ["point", "ids.count", "ids.cost.mean", "ids.cost.n", "ids.detection_rate.mean", "mesh"];
        let rows = [
            ["0", "2", "0.05", "5", "0.5", "ring"],
            ["1", "4", "0.02", "5", "0.75", "ring"],
            ["2", "6", "0.03", "5", "0.9", "ring"],
            ["3", "8", "0.02", "5", "0.95", "full"],
        ];
        Results::Sweep {
            keys: vec!["ids.count".into(), "mesh".into()],
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect(),
        }
    }

    fn passes(r: &Results, s: &str) -> bool {
        evaluate(r, &exp(s)).unwrap().passed
    }

    #[test]
    fn parses_the_documented_forms() {
        let e = exp("argmin(ids.cost) ids.count == 4");
        assert_eq!(e.selector, Selector::ArgMin("ids.cost".into()));
        assert_eq!((e.column.as_str(), e.op), ("ids.count", Op::Eq));
        assert_eq!(exp("x = 0.75 ± 0.01").target, Target::Number { value: 0.75, tolerance: 0.01 });
        assert_eq!(exp("x==0.75+-0.01").target, Target::Number { value: 0.75, tolerance: 0.01 });
        assert_eq!(exp("any x>=1").selector, Selector::Any);
        assert_eq!(exp("mesh != ring").target, Target::Text("ring".into()));
        for bad in
            ["x", "x >=", ">= 3", "x >= 1 ± 0.1", "x < ring", "argmin(c x == 1", "x ! 3", "a b >= 1", "x == 1 ± -1"]
        {
            assert!(bad.parse::<Expectation>().is_err(), "{bad}");
        }
        // Non-finite numbers: NaN compares with nothing (`x != nan` would fail for every x), an infinity or an
        // overflowing literal is not a useful bound either.
        for bad in ["x == nan", "x != NaN", "x < inf", "x >= -infinity", "x <= 1e999", "x == 1 ± inf", "x == 1 ± nan"]
        {
            let e = bad.parse::<Expectation>().unwrap_err().to_string();
            assert!(e.contains("finite"), "{bad}: {e}");
        }
        assert_eq!(exp("x == \"nan\"").target, Target::Text("nan".into()), "quoted, a word");
    }

    #[test]
    fn sweep_selectors() {
        let r = sweep();
        assert!(passes(&r, "ids.detection_rate >= 0.5"));
        assert!(!passes(&r, "ids.detection_rate >= 0.74"));
        assert!(passes(&r, "any ids.detection_rate >= 0.9"));
        assert!(!passes(&r, "any ids.detection_rate > 0.95"));
        assert!(passes(&r, "argmin(ids.cost) ids.count == 4"), "the first of two minima");
        assert!(passes(&r, "argmin(ids.cost) ids.detection_rate == 0.75 ± 0.01"));
        assert!(passes(&r, "argmax(ids.detection_rate) mesh == full"));
        assert!(passes(&r, "ids.cost.n == 5"));
        let o = evaluate(&r, &exp("ids.detection_rate >= 0.74")).unwrap();
        assert!(
            o.detail
                .contains("fails at 1 of 4 points: point 0 (ids.count=2, mesh=ring): ids.detection_rate.mean = 0.5"),
            "{}",
            o.detail
        );
        let o = evaluate(&r, &exp("argmin(ids.cost) ids.count == 6")).unwrap();
        assert!(
            o.detail.contains(
                "argmin(ids.cost) is point 1 (ids.count=4, mesh=ring) with ids.cost.mean = 0.02; there ids.count = 4"
            ),
            "{}",
            o.detail
        );
        let e = evaluate(&r, &exp("ids.detecton_rate >= 0")).unwrap_err().to_string();
        assert!(e.contains("no column `ids.detecton_rate`"), "{e}");
    }

    #[test]
    fn run_values() {
        let r = Results::Run {
            values: vec![("a.b".into(), "0.5".into()), ("c".into(), "".into()), ("d".into(), "true".into())],
        };
        assert!(passes(&r, "a.b < 0.6"));
        assert!(!passes(&r, "a.b > 0.6"));
        assert!(!passes(&r, "c >= 0"), "an empty value is not a number");
        assert!(passes(&r, "d == true"));
        assert!(evaluate(&r, &exp("argmin(a.b) c == 1")).is_err());
    }
}
