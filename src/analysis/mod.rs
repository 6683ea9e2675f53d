//! Analyses built on many runs: comparisons, sweep figures, and their tables and figures.

pub mod crypto_compare;
pub mod error;
pub mod ids_analytic;
pub mod ids_optimize;
pub mod ids_plots;
pub mod sweep_plots;
pub mod trust_tradeoff;
