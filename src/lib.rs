//! cloudletsim: a discrete-event simulator of cloudlet-based medical data sharing.
#![warn(missing_docs)]

pub mod analysis;
pub mod check;
pub mod crypto;
pub mod estimate;
pub mod interrupt;
pub mod kernel;
pub mod model;
pub mod output;
pub mod plot;
pub mod run;
pub mod scenario;
pub mod stats;
pub mod sweep;
