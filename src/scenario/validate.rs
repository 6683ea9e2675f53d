//! From [`RawScenario`] to [`ModelConfig`]: every range check in one place.
//!
//! Each problem names the dotted key it concerns and what is allowed; all problems are collected so that a user
//! fixes a file in one pass.

use crate::kernel::SimTime;

use super::checker::Checker;
pub use super::checker::Problem;
use super::config::ModelConfig;
use super::raw::RawScenario;

/// Checks `raw` and builds the model configuration, or returns every problem found.
pub fn validate(raw: &RawScenario) -> Result<ModelConfig, Vec<Problem>> {
    let mut c = Checker::new();

    let name_ok = raw.name.starts_with(|ch: char| ch.is_ascii_alphanumeric())
        && raw.name.chars().all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch));
    if !name_ok {
        c.fail(
            "name",
            format!(
                "{:?} is not allowed; use letters, digits, '-', '_' and '.', starting with a letter or digit",
                raw.name
            ),
        );
    }
    let duration = c.time("simulation.duration_s", raw.simulation.duration_s, true);
    let drain = c.time("simulation.drain_s", raw.simulation.drain_s, false);
    let warmup = c.time("simulation.warmup_s", raw.simulation.warmup_s, false);
    if warmup >= duration && duration > SimTime::ZERO {
        c.fail("simulation.warmup_s", format!("must be smaller than duration_s = {} s", raw.simulation.duration_s));
    }
    let chain = crate::chain::validate::chain(&mut c, raw);
    let patients = chain.wearables.div_ceil(chain.wearables_per_patient.max(1));

    let mut energy = crate::energy::validate::energy(&mut c, &raw.energy);
    if let Some(ble) = &chain.links[crate::chain::LinkClass::Ban].ble {
        // Under BLE the chip profile's sleep current is the wearable's whole sleep draw (energy.idle.wearable_w
        // is not used: no double counting).
        energy.wearable_idle_w = ble.profile.sleep_a * ble.profile.supply_v;
        // The coin cell's derating follows the chip's own largest current unless the scenario gives one.
        if raw.energy.battery.peak_current_ma.is_none() {
            energy.battery.peak_current_ma = ble.profile.peak_a() * 1e3;
        }
    }
    let crypto = crate::crypto::validate::crypto(&mut c, &raw.crypto);
    let channel = crate::crypto::channel::raw::channel(&mut c, &raw.channel);
    let attacks = crate::ids::validate::attacks(&mut c, &raw.attacks, chain.cloudlets.count);
    let benign = crate::ids::validate::benign(&mut c, &raw.benign);
    let ids = crate::ids::validate::ids(&mut c, &raw.ids, chain.cloudlets.count);
    let trust = crate::trust::validate::trust(&mut c, &raw.trust);
    let records = crate::records::validate::records(&mut c, &raw.records, patients, &raw.crypto);
    let care = crate::care::validate::care(&mut c, &raw.care, chain.cloudlets.count);
    let signatures = crate::signatures::validate::signatures(&mut c, &raw.signatures, &crypto);
    let output = crate::timeseries::config::output(&mut c, &raw.output, duration + drain);
    let mobility = crate::mobility::validate::mobility(&mut c, &raw.mobility);
    let cloudlet_power = crate::mobility::validate::power(&mut c, &raw.cloudlet_power);
    if let Some(phone) = &cloudlet_power {
        crate::mobility::validate::apply_phone_energy(&mut energy, phone);
    }

    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(ModelConfig {
        name: raw.name.clone(),
        seed: raw.seed,
        replication: raw.simulation.replication,
        duration,
        drain,
        warmup,
        area_width_m: chain.area_width_m,
        area_height_m: chain.area_height_m,
        wearables: chain.wearables,
        wearables_per_patient: chain.wearables_per_patient,
        sensors: chain.sensors,
        attach: chain.attach,
        cloudlets: chain.cloudlets,
        links: chain.links,
        routing: chain.routing,
        energy,
        crypto,
        channel,
        attacks,
        benign,
        ids,
        trust,
        records,
        care,
        signatures,
        output,
        mobility,
        cloudlet_power,
    })
}
