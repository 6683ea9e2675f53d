//! Analyses built on many runs: comparisons and their tables and figures.

pub mod crypto_compare;
