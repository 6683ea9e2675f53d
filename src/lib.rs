//! cloudletsim: a discrete-event simulator of cloudlet-based medical data sharing.
#![warn(missing_docs)]

pub mod kernel;
pub mod scenario;
