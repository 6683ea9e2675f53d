//! Cloudlet store-and-forward: samples that reach their cloudlet wait in a batch, which leaves for the remote
//! cloud `batch_interval_s` after its first sample arrived, or sooner once it holds `batch_max_samples`.

use crate::kernel::SimTime;

use super::packet::NIL;

/// The batch a cloudlet is filling.
#[derive(Debug, Clone)]
pub struct BatchBuffer {
    /// First sample (`NIL` when empty).
    pub head: u32,
    /// Last sample.
    pub tail: u32,
    /// Samples held.
    pub count: u32,
    /// Sum of the samples' payload bytes.
    pub payload_bytes: u64,
    /// When the first sample of the current batch arrived.
    pub opened: SimTime,
}

impl Default for BatchBuffer {
    fn default() -> Self {
        BatchBuffer { head: NIL, tail: NIL, count: 0, payload_bytes: 0, opened: SimTime::ZERO }
    }
}
