//! Metrics over time: `[output] interval_s` and `timeseries.csv` (one row per interval: samples generated,
//! delivered and dropped, latency quantiles of the interval's deliveries, the busiest link's queue, energy by node
//! kind, batteries alive, attacks, detections and trust leaks), and MSER-5, which picks a warm-up from such a series
//! (`cloudletsim warmup`).
//!
//! `config` is the scenario table; `sampler` reads the model at each interval's end without scheduling anything;
//! `mser` is the truncation rule.

pub mod config;
pub mod mser;
pub mod sampler;
