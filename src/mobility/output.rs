//! The `mobility` section of `summary.json` (absent when the mechanism is off).

use serde::Serialize;

use super::config::Motion;
use crate::run::RunResult;

/// One cloudlet's death.
#[derive(Debug, Clone, Serialize)]
pub struct Death {
    /// Cloudlet index.
    pub cloudlet: u32,
    /// When it died, s.
    pub time_s: f64,
}

/// The `mobility` section.
#[derive(Debug, Clone, Serialize)]
pub struct MobilitySummary {
    /// `off`, `random_waypoint` or `trace`.
    pub model: &'static str,
    /// `nearest`, `round_robin`, `explicit` or `min_delay`.
    pub attach: &'static str,
    /// Position updates.
    pub updates: u64,
    /// Handovers: all, then because a gateway left its cloudlet's range, chose a lower delay, or lost its cloudlet.
    pub handovers: u64,
    /// Of which: out of range.
    pub range_handovers: u64,
    /// Of which: `min_delay` choices.
    pub delay_handovers: u64,
    /// Of which: after the gateway's cloudlet died.
    pub death_handovers: u64,
    /// `min_delay`'s first choices at time zero away from the nearest cloudlet (instant, not handovers).
    pub initial_moves: u64,
    /// Patient-updates with no live cloudlet in range (the gateway stayed with its cloudlet).
    pub out_of_range: u64,
    /// Packets waiting on a gateway's access link when its handover started, sent to the new cloudlet.
    pub rerouted_packets: u64,
    /// Samples offered during handovers and buffered (`handover_policy = "buffer"`).
    pub handover_buffered: u64,
    /// Samples offered during handovers and dropped (`"drop"`; also `packets.dropped_by_cause.handover`).
    pub handover_dropped: u64,
    /// Load advertisements broadcast (`min_delay`).
    pub advertisements: u64,
    /// Their bytes.
    pub advertisement_bytes: u64,
    /// Their radio energy (senders and receivers), J.
    pub advertisement_energy_j: f64,
    /// Phone cloudlets that died, in order.
    pub deaths: Vec<Death>,
    /// Samples lost at cloudlets when they died.
    pub lost_at_death: u64,
    /// Patients re-attached after their cloudlet died.
    pub reattached_after_death: u64,
    /// Patients with no live cloudlet in range when theirs died.
    pub cut_off: u64,
}

/// The section for run `r`, or `None` when the mechanism was off.
pub fn mobility_summary(r: &RunResult) -> Option<MobilitySummary> {
    let m = r.model.mobility()?;
    let h = r.model.chain().handover_counts().unwrap_or_default(); // its `handovers` include the initial moves
    let c = m.counts();
    Some(MobilitySummary {
        model: match m.spec().motion {
            Motion::Off => "off",
            Motion::Waypoint { .. } => "random_waypoint",
            Motion::Trace { .. } => "trace",
        },
        attach: match r.config.attach {
            crate::chain::Attach::Nearest => "nearest",
            crate::chain::Attach::RoundRobin => "round_robin",
            crate::chain::Attach::Explicit(_) => "explicit",
            crate::chain::Attach::MinDelay => "min_delay",
        },
        updates: c.updates,
        handovers: c.range_handovers + c.delay_handovers + c.reattached_after_death,
        range_handovers: c.range_handovers,
        delay_handovers: c.delay_handovers,
        death_handovers: c.reattached_after_death,
        initial_moves: c.initial_moves,
        out_of_range: c.out_of_range,
        rerouted_packets: h.rerouted,
        handover_buffered: h.buffered,
        handover_dropped: h.dropped,
        advertisements: c.advertisements,
        advertisement_bytes: c.advertisement_bytes,
        advertisement_energy_j: c.advertisement_energy_j,
        deaths: c.deaths.iter().map(|&(cloudlet, t)| Death { cloudlet, time_s: t.as_secs_f64() }).collect(),
        lost_at_death: c.lost_at_death,
        reattached_after_death: c.reattached_after_death,
        cut_off: c.cut_off,
    })
}
