//! `cloudletsim table`: a results folder's tables for a paper, on standard output or into a file cloudletsim owns.

use std::path::{Path, PathBuf};

use anyhow::Result;

use cloudletsim::output::atomic::{write_file_atomic, Durability};
use cloudletsim::table::{self, Format, Highlight, TableOptions};

/// `--format` of `table` (the library's [`Format`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum TableFormat {
    /// GitHub-flavoured Markdown (pipe tables).
    Markdown,
    /// LaTeX `tabular` with booktabs rules.
    Latex,
    /// CSV, one header line.
    Csv,
}

/// `--highlight` of `table` (the library's [`Highlight`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum TableHighlight {
    /// ids-optimize: the optimum's IDS count, detection and cost in bold.
    Optimum,
}

impl From<TableFormat> for Format {
    fn from(f: TableFormat) -> Format {
        match f {
            TableFormat::Markdown => Format::Markdown,
            TableFormat::Latex => Format::Latex,
            TableFormat::Csv => Format::Csv,
        }
    }
}

impl From<TableHighlight> for Highlight {
    fn from(TableHighlight::Optimum: TableHighlight) -> Highlight {
        Highlight::Optimum
    }
}

/// First line of a Markdown or LaTeX file `table --out` writes: how it recognises a file of its own.
fn marker(format: Format) -> Option<&'static str> {
    match format {
        Format::Markdown => Some("<!-- written by cloudletsim table -->\n"),
        Format::Latex => Some("% written by cloudletsim table\n"),
        Format::Csv => None,
    }
}

/// `table`: the tables of `dir` in `format`, printed or written to `out`.
pub(crate) fn table(dir: &Path, format: Format, opts: &TableOptions, out: Option<PathBuf>) -> Result<()> {
    let tables = table::tables(dir, opts)?;
    let text = table::render(&tables, format);
    let Some(path) = out else {
        print!("{text}");
        return Ok(());
    };
    let head = marker(format).unwrap_or("");
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_dir() => {
            anyhow::bail!("cannot write {}: it is a folder; --out names the table's file", path.display())
        }
        Ok(_) => {
            let ours = !head.is_empty() && std::fs::read(&path).is_ok_and(|b| b.starts_with(head.as_bytes()));
            anyhow::ensure!(
                ours,
                "cannot write {}: the file exists and cloudletsim did not write it as a {} table (a Markdown or LaTeX \
                 table it wrote starts with {:?}; a CSV file is never replaced); choose another --out",
                path.display(),
                format!("{format:?}").to_lowercase(),
                head.trim_end()
            );
        }
        Err(_) => {}
    }
    write_file_atomic(&path, format!("{head}{text}").as_bytes(), Durability::Synced)?;
    Ok(())
}
