//! cloudletsim: a discrete-event simulator of cloudlet-based medical data sharing.
#![warn(missing_docs)]

pub mod analysis;
pub mod api;
pub mod care;
pub mod chain;
pub mod check;
pub mod crypto;
pub mod energy;
pub mod estimate;
pub mod ids;
pub mod interrupt;
pub mod kernel;
pub mod mobility;
pub mod model;
pub mod output;
pub mod plot;
pub mod records;
pub mod run;
pub mod scenario;
pub mod signatures;
pub mod stats;
pub mod streams;
pub mod sweep;
pub mod table;
pub mod timeseries;
pub mod trust;
