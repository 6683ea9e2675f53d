//! Validation of `[mobility]` and `[cloudlet_power]` (see [`crate::scenario::validate`]). Ranges are checked whether
//! or not the tables are in use.

use std::sync::Arc;

use super::config::{MobilitySpec, Motion, PhonePower};
use super::raw::{MobilityModel, PowerSource, RawCloudletPower, RawMobility};
use crate::scenario::checker::{shown, Checker};

/// The validated `[mobility]` table.
pub(crate) fn mobility(c: &mut Checker, raw: &RawMobility) -> MobilitySpec {
    let speed_min_mps = c.positive("mobility.speed_min_mps", raw.speed_min_mps);
    let speed_max_mps = c.positive("mobility.speed_max_mps", raw.speed_max_mps);
    if speed_max_mps < speed_min_mps {
        c.fail(
            "mobility.speed_max_mps",
            format!("must be >= mobility.speed_min_mps = {} m/s (got {})", shown(speed_min_mps), shown(speed_max_mps)),
        );
    }
    let pause_s = c.time("mobility.pause_s", raw.pause_s, false).as_secs_f64();
    let motion = match raw.model {
        MobilityModel::Off => Motion::Off,
        MobilityModel::RandomWaypoint => Motion::Waypoint { speed_min_mps, speed_max_mps, pause_s },
        MobilityModel::Trace => {
            if raw.trace_file.trim().is_empty() {
                c.fail(
                    "mobility.trace_file",
                    "is required with mobility.model = \"trace\" (a CSV file of time_s,patient,x_m,y_m)",
                );
            }
            Motion::Trace { file: raw.trace_file.clone(), trace: Arc::default() }
        }
    };
    if raw.model != MobilityModel::Trace && !raw.trace_file.is_empty() {
        c.fail("mobility.trace_file", "is only used with mobility.model = \"trace\"; remove it or set the model");
    }
    MobilitySpec {
        motion,
        update: c.time("mobility.update_s", raw.update_s, true),
        range_m: c.positive("mobility.range_m", raw.range_m),
        handover: c.time("mobility.handover_s", raw.handover_s, false),
        policy: raw.handover_policy,
        advertise: c.time("mobility.advertise_s", raw.advertise_s, true),
        advertise_bytes: raw.advertise_bytes,
        hysteresis_s: c.non_negative("mobility.hysteresis_s", raw.hysteresis_s),
        rechoose_rounds: c.count("mobility.rechoose_rounds", raw.rechoose_rounds, 1),
    }
}

/// The validated `[cloudlet_power]` table: `Some` for phone cloudlets on batteries.
pub(crate) fn power(c: &mut Checker, raw: &RawCloudletPower) -> Option<PhonePower> {
    let p = PhonePower {
        battery_j: c.positive("cloudlet_power.battery_j", raw.battery_j),
        idle_w: c.non_negative("cloudlet_power.idle_w", raw.idle_w),
        j_per_cycle: c.non_negative("cloudlet_power.j_per_cycle", raw.j_per_cycle),
        mesh_tx_j_per_bit: c.non_negative("cloudlet_power.mesh_tx_j_per_bit", raw.mesh_tx_j_per_bit),
        mesh_rx_j_per_bit: c.non_negative("cloudlet_power.mesh_rx_j_per_bit", raw.mesh_rx_j_per_bit),
        check: c.time("cloudlet_power.check_s", raw.check_s, true),
    };
    (raw.source == PowerSource::Battery).then_some(p)
}

/// Phone cloudlets pay their own figures: the validated energy model takes them (idle power, J/cycle, the mesh
/// radio as a distance-free profile).
pub(crate) fn apply_phone_energy(energy: &mut crate::energy::EnergySpec, phone: &PhonePower) {
    energy.cloudlet_idle_w = phone.idle_w;
    energy.cloudlet_j_per_cycle = phone.j_per_cycle;
    energy.radio[crate::chain::LinkClass::Mesh] = crate::energy::RadioProfile {
        name: "phone-wifi".into(),
        tx_elec_j_per_bit: phone.mesh_tx_j_per_bit,
        rx_elec_j_per_bit: phone.mesh_rx_j_per_bit,
        amp: crate::energy::Amplifier::Power { amp_j_per_bit_per_m_n: 0.0, exponent: 2.0 },
    };
}

/// Whether the mobility machinery runs at all: patients move, `min_delay` chooses, or cloudlets can die.
pub fn active(motion: &Motion, min_delay: bool, phones: bool) -> bool {
    !matches!(motion, Motion::Off) || min_delay || phones
}
