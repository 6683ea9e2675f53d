//! What the figure commands share: their error type, reading a results CSV, and numbers for labels.

use std::path::{Path, PathBuf};

use crate::output::OutputError;
use crate::plot::PlotError;

/// Why figures could not be drawn.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotsError {
    /// A results file could not be read.
    #[error("cannot read {}: {message}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A figure could not be drawn.
    #[error(transparent)]
    Plot(#[from] PlotError),
    /// The plots folder could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

pub(crate) fn read_err(path: &Path) -> impl Fn(String) -> PlotsError + '_ {
    move |message| PlotsError::Read { path: path.to_path_buf(), message }
}

/// A CSV file as a header and rows of text.
pub(crate) fn read_csv(path: &Path) -> Result<(Vec<String>, Vec<Vec<String>>), PlotsError> {
    let mut r = csv::Reader::from_path(path).map_err(|e| e.to_string()).map_err(read_err(path))?;
    let header = r.headers().map_err(|e| e.to_string()).map_err(read_err(path))?.iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.map(|rec| rec.iter().map(str::to_string).collect()))
        .collect::<Result<Vec<Vec<String>>, _>>()
        .map_err(|e| e.to_string())
        .map_err(read_err(path))?;
    Ok((header, rows))
}

/// A number to four significant digits, for labels.
pub(crate) fn short(x: f64) -> String {
    format!("{}", format!("{x:.3e}").parse::<f64>().unwrap_or(x))
}
