//! Phone cloudlets (`cloudlet_power.source = "battery"`): cloudlets get a battery of the ideal model, so that the
//! radio, processor and idle energy they already pay can empty it. The KiBaM side, if any, stays for wearables and
//! gateways.

use super::{EnergyLedger, CLOUDLET};
use crate::chain::NodeId;

impl EnergyLedger {
    /// Gives every cloudlet a battery of `capacity_j` joules (after [`EnergyLedger::with_horizon`]).
    pub fn with_cloudlet_battery(mut self, capacity_j: f64) -> Self {
        self.kinds[CLOUDLET].capacity_j = capacity_j;
        for n in self.first_cloudlet.get()..self.cloud.get() {
            self.refresh_death(NodeId(n));
        }
        self
    }
}
