//! Figures built on many runs that belong to no one mechanism: `cloudletsim plot` for sweep and run folders, and the
//! analyses' shared error type. Each mechanism's own analysis lives in its folder (`ids::optimize`,
//! `crypto::compare`, `trust::tradeoff`).

pub mod error;
pub mod figures;
pub mod sweep_plots;
pub mod timeseries;
