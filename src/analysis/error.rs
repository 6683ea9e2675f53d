//! Why an analysis built on many runs (a comparison, an optimisation, a trade-off) failed.

use crate::output::OutputError;
use crate::plot::PlotError;
use crate::run::RunError;
use crate::scenario::ScenarioError;

/// Why an analysis failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// The scenario (with the analysis' overrides applied) is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A run could not start.
    #[error(transparent)]
    Run(#[from] RunError),
    /// Results could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A figure could not be drawn.
    #[error(transparent)]
    Plot(#[from] PlotError),
    /// Bad options.
    #[error("{0}")]
    Options(String),
}
