//! The batch a node fills. Cloudlet store-and-forward: samples that reach their cloudlet wait in a batch, which leaves for the
//! remote cloud `batch_interval_s` after its first sample arrived, or sooner once it holds `batch_max_samples`.
//! In crypto batch mode a BAN gateway likewise gathers its patient's samples and seals each batch once.

use crate::chain::packet::NIL;
use crate::chain::PacketId;
use crate::kernel::SimTime;

/// The batch a cloudlet is filling.
#[derive(Debug, Clone)]
pub struct BatchBuffer {
    /// First sample (`NIL` when empty).
    pub head: PacketId,
    /// Last sample.
    pub tail: PacketId,
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
