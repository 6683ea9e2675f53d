//! `cloudletsim table`: the tables a paper needs, from a results folder cloudletsim wrote, as Markdown, LaTeX
//! (booktabs) or CSV.
//!
//! The folder's kind comes from its `manifest.json`: a sweep gives its summary (one row per point, each metric as
//! `mean ± half-width` of its 95% interval, [`number`]), `ids-optimize` the trade-off and the paired steps around
//! the optimum ([`ids`]), `crypto-compare` the energy per scheme ([`crypto`]). The README's result tables are this
//! command's output (each is preceded by a comment naming the commands; an integration test compares them).

mod crypto;
mod ids;
pub mod number;
mod render;
mod sweep;

use std::path::{Path, PathBuf};

use crate::output::{FolderKind, Manifest};

pub use render::render;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// GitHub-flavoured Markdown (pipe tables).
    Markdown,
    /// LaTeX `tabular` with booktabs rules (`\toprule`, `\midrule`, `\bottomrule`).
    Latex,
    /// CSV, one header line; intervals stay `mean ± half-width` text.
    Csv,
}

/// What to emphasise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Highlight {
    /// `ids-optimize`: the optimum's IDS count, detection and cost in bold (closed form and simulated each at its
    /// own optimum).
    Optimum,
}

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers.
    Right,
}

/// One cell: its text, bold or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The text, with `±` and `−` as printed in Markdown (LaTeX escapes them).
    pub text: String,
    /// Emphasised (`--highlight`).
    pub bold: bool,
}

impl Cell {
    /// A plain cell.
    pub fn new(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), bold: false }
    }
}

/// One table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Short name (`--part` selects by it): `summary`, `tradeoff`, `steps`, `energy`.
    pub name: &'static str,
    /// Column headings.
    pub header: Vec<String>,
    /// Alignment of each column.
    pub align: Vec<Align>,
    /// Rows, each as long as the header.
    pub rows: Vec<Vec<Cell>>,
}

/// What `table` was asked for.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// Metrics (columns) to show, in this order; empty: the kind's defaults.
    pub metrics: Vec<String>,
    /// Emphasis.
    pub highlight: Option<Highlight>,
    /// Only the table of this name (a folder may give several); `None`: all.
    pub part: Option<String>,
}

/// Why a table could not be made.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TableError(pub String);

impl TableError {
    /// An error about the file `path`.
    pub(crate) fn file(path: &Path, message: impl std::fmt::Display) -> TableError {
        TableError(format!("{}: {message}", path.display()))
    }
}

/// The tables of the results folder `dir`.
pub fn tables(dir: &Path, opts: &TableOptions) -> Result<Vec<Table>, TableError> {
    let manifest = Manifest::read(dir).ok_or_else(|| {
        TableError(format!(
            "{}: not a results folder cloudletsim wrote (no cloudletsim manifest.json); allowed: a folder written by \
             `sweep`, `merge`, `ids-optimize` or `crypto-compare`",
            dir.display()
        ))
    })?;
    if opts.highlight.is_some() && manifest.kind != FolderKind::IdsOptimize {
        return Err(TableError(format!(
            "--highlight optimum: {} is a {} folder; allowed: an ids-optimize folder",
            dir.display(),
            manifest.kind.name()
        )));
    }
    let all = match manifest.kind {
        FolderKind::Sweep => sweep::tables(dir, opts)?,
        FolderKind::IdsOptimize => ids::tables(dir, opts)?,
        FolderKind::CryptoCompare => crypto::tables(dir, opts)?,
        other => {
            return Err(TableError(format!(
                "{}: a {} folder has no table; allowed: a folder written by `sweep`, `merge`, `ids-optimize` or \
                 `crypto-compare`",
                dir.display(),
                other.name()
            )))
        }
    };
    match &opts.part {
        None => Ok(all),
        Some(part) => {
            let names: Vec<&str> = all.iter().map(|t| t.name).collect();
            let chosen: Vec<Table> = all.iter().filter(|t| t.name == part).cloned().collect();
            if chosen.is_empty() {
                return Err(TableError(unknown("--part", part, &names, &format!("{} folder", manifest.kind.name()))));
            }
            Ok(chosen)
        }
    }
}

/// "FLAG `x`: the WHAT has no `x`; allowed: `a`, `b`; did you mean `c`?"
pub(crate) fn unknown(flag: &str, name: &str, allowed: &[&str], what: &str) -> String {
    let list = allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
    let mut m = format!("{flag} `{name}`: the {what} has no `{name}`; allowed: {list}");
    if let Some(close) = crate::scenario::suggest::closest(name, allowed) {
        m.push_str(&format!("; did you mean `{close}`?"));
    }
    m
}

/// Picks the metrics `opts.metrics` asks for out of `allowed` (its defaults `defaults` when it asks for none), or
/// an error naming the first unknown one.
pub(crate) fn choose<'a>(
    opts: &TableOptions,
    allowed: &[&'a str],
    defaults: &[&'a str],
    what: &str,
) -> Result<Vec<&'a str>, TableError> {
    if opts.metrics.is_empty() {
        return Ok(defaults.iter().copied().filter(|d| allowed.contains(d)).collect());
    }
    opts.metrics
        .iter()
        .map(|m| {
            allowed.iter().copied().find(|a| a == m).ok_or_else(|| TableError(unknown("--metrics", m, allowed, what)))
        })
        .collect()
}

/// Reads a CSV file of a results folder: its header and records.
pub(crate) fn read_csv(path: &Path) -> Result<(csv::StringRecord, Vec<csv::StringRecord>), TableError> {
    let mut r = csv::Reader::from_path(path).map_err(|e| TableError::file(path, format!("cannot read: {e}")))?;
    let header = r.headers().map_err(|e| TableError::file(path, e))?.clone();
    let rows = r.records().collect::<Result<Vec<_>, _>>().map_err(|e| TableError::file(path, e))?;
    Ok((header, rows))
}

/// One CSV record's fields by column name.
pub(crate) struct Record<'a> {
    pub(crate) path: &'a PathBuf,
    pub(crate) header: &'a csv::StringRecord,
    pub(crate) row: &'a csv::StringRecord,
    pub(crate) line: u64,
}

impl Record<'_> {
    /// The text of column `col` (empty if absent).
    pub(crate) fn text(&self, col: &str) -> &str {
        self.header.iter().position(|h| h == col).and_then(|i| self.row.get(i)).unwrap_or("")
    }

    /// Column `col` as a number; `None` when empty.
    pub(crate) fn opt(&self, col: &str) -> Result<Option<f64>, TableError> {
        let t = self.text(col);
        if t.is_empty() {
            return Ok(None);
        }
        t.parse().map(Some).map_err(|_| {
            TableError::file(self.path, format!("line {}: column `{col}`: `{t}` is not a number", self.line))
        })
    }

    /// Column `col` as a number, required.
    pub(crate) fn num(&self, col: &str) -> Result<f64, TableError> {
        self.opt(col)?.ok_or_else(|| {
            TableError::file(self.path, format!("line {}: column `{col}` is missing or empty", self.line))
        })
    }
}

/// The records of `rows` with their line numbers (the header is line 1).
pub(crate) fn records<'a>(
    path: &'a PathBuf,
    header: &'a csv::StringRecord,
    rows: &'a [csv::StringRecord],
) -> impl Iterator<Item = Record<'a>> {
    rows.iter().enumerate().map(move |(i, row)| Record { path, header, row, line: i as u64 + 2 })
}
