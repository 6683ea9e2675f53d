//! Expected events of the mobility mechanism (`[mobility]`, `min_delay`, `[cloudlet_power]`): position updates,
//! advertisement rounds and power checks (one event each per period, none at all when the mechanism is off), and
//! the ends of handovers under random waypoint, estimated as one per `range_m` walked at the time-average speed
//! (Yoon, Liu & Noble 2003) by each patient. Handovers chosen by `min_delay` or forced by deaths are not counted
//! (they are a small part, bounded by one per patient per advertisement).

use super::{div, mul, Builder};
use crate::chain::Attach;
use crate::mobility::Motion;
use crate::scenario::ModelConfig;

/// Periodic instants k·period < horizon, k ≥ 1.
fn ticks(horizon: f64, period: f64) -> f64 {
    (div(horizon, period).ceil() - 1.0).max(0.0)
}

pub(super) fn events(b: &mut Builder, cfg: &ModelConfig, duration: f64, end: f64) {
    let m = &cfg.mobility;
    if !matches!(m.motion, Motion::Off) {
        let update = m.update.as_secs_f64();
        b.events(
            "position updates",
            &["mobility.update_s", "simulation.duration_s"],
            ticks(duration, update),
            format!("mobility.update_s = {update} s"),
        );
    }
    if let Motion::Waypoint { speed_min_mps, speed_max_mps, .. } = m.motion {
        let v = crate::mobility::waypoint::time_average_speed_mps(speed_min_mps, speed_max_mps);
        b.events(
            "handover ends (random waypoint)",
            &["mobility.speed_min_mps", "mobility.speed_max_mps", "mobility.range_m", "wearables.count"],
            div(mul(mul(f64::from(cfg.patients()), duration), v), m.range_m),
            format!("{} patients at {v:.3} m/s over cells of {} m", cfg.patients(), m.range_m),
        );
    }
    if cfg.attach == Attach::MinDelay {
        let adv = m.advertise.as_secs_f64();
        b.events(
            "load advertisements",
            &["mobility.advertise_s", "simulation.duration_s"],
            ticks(duration, adv),
            format!("mobility.advertise_s = {adv} s"),
        );
    }
    if let Some(phone) = &cfg.cloudlet_power {
        let check = phone.check.as_secs_f64();
        b.events(
            "phone cloudlet power checks",
            &["cloudlet_power.check_s", "simulation.duration_s"],
            ticks(end, check),
            format!("cloudlet_power.check_s = {check} s"),
        );
    }
}
