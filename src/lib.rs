//! cloudletsim: a discrete-event simulator of cloudlet-based medical data sharing.
#![warn(missing_docs)]

pub mod kernel;
pub mod scenario;
pub mod model;
pub mod stats;
pub mod output;
pub mod run;
