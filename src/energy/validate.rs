//! Validation of `[energy]` (see [`crate::scenario::validate`]).

use std::collections::BTreeMap;

use crate::chain::LinkClass;

use super::config::{Amplifier, BatterySpec, EnergySpec, ProcessorSpec, RadioProfile};
use super::raw::{builtin_radios, RadioModel, RawBattery, RawEnergy, RawProcessor, RawRadio};
use crate::scenario::checker::Checker;

const NANO: f64 = 1e-9;
const PICO: f64 = 1e-12;

pub(crate) fn energy(c: &mut Checker, raw: &RawEnergy) -> EnergySpec {
    let mut catalogue = builtin_radios();
    catalogue.extend(raw.radios.iter().map(|(k, v)| (k.clone(), v.clone())));
    let choice = &raw.radio;
    // Radios defined but not chosen are checked too, so that no out-of-range or non-finite value passes.
    for name in raw.radios.keys().filter(|n| ![&choice.ban, &choice.access, &choice.mesh, &choice.wan].contains(n)) {
        radio(c, &catalogue, "", name);
    }
    let radio = enum_map::EnumMap::from_fn(|class| {
        let name = match class {
            LinkClass::Ban => &choice.ban,
            LinkClass::Access => &choice.access,
            LinkClass::Mesh => &choice.mesh,
            LinkClass::Wan => &choice.wan,
        };
        radio(c, &catalogue, class.name(), name)
    });
    let p = &raw.processor;
    let i = &raw.idle;
    let b = &raw.battery;
    EnergySpec {
        radio,
        wearable_j_per_cycle: c.non_negative("energy.processor.wearable_nj_per_cycle", p.wearable_nj_per_cycle) * NANO,
        gateway_j_per_cycle: c.non_negative("energy.processor.gateway_nj_per_cycle", p.gateway_nj_per_cycle) * NANO,
        cloudlet_j_per_cycle: c.non_negative("energy.processor.cloudlet_nj_per_cycle", p.cloudlet_nj_per_cycle) * NANO,
        processor: processor(c, p),
        wearable_idle_w: c.non_negative("energy.idle.wearable_w", i.wearable_w),
        gateway_idle_w: c.non_negative("energy.idle.gateway_w", i.gateway_w),
        cloudlet_idle_w: c.non_negative("energy.idle.cloudlet_w", i.cloudlet_w),
        wearable_battery_j: c.positive("energy.battery.wearable_j", b.wearable_j),
        gateway_battery_j: c.positive("energy.battery.gateway_j", b.gateway_j),
        battery: battery(c, b),
    }
}

/// Clocks from 1 kHz to 1 THz: below, one cryptographic operation would outlast any run; above, no processor.
const CLOCK_RANGE_HZ: std::ops::RangeInclusive<f64> = 1e3..=1e12;
/// At most this many cores per cloudlet (the queue keeps one free time per core).
const MAX_CORES: u64 = 1024;

fn processor(c: &mut Checker, p: &RawProcessor) -> ProcessorSpec {
    let mut clock = |key: &str, hz: f64| {
        if !CLOCK_RANGE_HZ.contains(&hz) {
            c.fail(key, format!("must be a clock from 1e3 to 1e12 Hz (got {})", crate::scenario::checker::shown(hz)));
        }
        hz
    };
    let (wearable_hz, gateway_hz, cloudlet_hz) = (
        clock("energy.processor.wearable_clock_hz", p.wearable_clock_hz),
        clock("energy.processor.gateway_clock_hz", p.gateway_clock_hz),
        clock("energy.processor.cloudlet_clock_hz", p.cloudlet_clock_hz),
    );
    if !(1..=MAX_CORES).contains(&p.cloudlet_cores) {
        c.fail(
            "energy.processor.cloudlet_cores",
            format!("must be an integer from 1 to {MAX_CORES} (got {})", p.cloudlet_cores),
        );
    }
    ProcessorSpec {
        timing: p.timing,
        wearable_hz,
        gateway_hz,
        cloudlet_hz,
        cloudlet_cores: p.cloudlet_cores.clamp(1, MAX_CORES) as u32,
    }
}

/// The battery model: every key is checked, whether the model uses it or not.
fn battery(c: &mut Checker, b: &RawBattery) -> BatterySpec {
    let kibam_c = c.positive("energy.battery.kibam_c", b.kibam_c);
    if kibam_c > 1.0 {
        c.fail(
            "energy.battery.kibam_c",
            format!("must be in (0, 1] (got {})", crate::scenario::checker::shown(kibam_c)),
        );
    }
    BatterySpec {
        model: b.model,
        kibam_c,
        kibam_k_per_s: c.positive("energy.battery.kibam_k_per_s", b.kibam_k_per_s),
        wearable_supply_v: c.positive("energy.battery.wearable_supply_v", b.wearable_supply_v),
        gateway_supply_v: c.positive("energy.battery.gateway_supply_v", b.gateway_supply_v),
        pulse_derating: b.pulse_derating,
        peak_current_ma: b
            .peak_current_ma
            .map_or(super::raw::PEAK_CURRENT_MA, |v| c.positive("energy.battery.peak_current_ma", v)),
    }
}

fn radio(c: &mut Checker, catalogue: &BTreeMap<String, RawRadio>, class: &str, name: &str) -> RadioProfile {
    let fallback = RadioProfile {
        name: name.to_string(),
        tx_elec_j_per_bit: 0.0,
        rx_elec_j_per_bit: 0.0,
        amp: Amplifier::Power { amp_j_per_bit_per_m_n: 0.0, exponent: 0.0 },
    };
    let Some(r) = catalogue.get(name) else {
        let known: Vec<&str> = catalogue.keys().map(String::as_str).collect();
        c.fail(
            &format!("energy.radio.{class}"),
            format!("unknown radio profile {name:?}; known: {}", known.join(", ")),
        );
        return fallback;
    };
    let key = |k: &str| format!("energy.radios.{name}.{k}");
    let amp = match r.model {
        RadioModel::Power => Amplifier::Power {
            amp_j_per_bit_per_m_n: c.non_negative(&key("amp_nj_per_bit_per_m_n"), r.amp_nj_per_bit_per_m_n) * NANO,
            exponent: c.non_negative(&key("path_loss_exponent"), r.path_loss_exponent),
        },
        RadioModel::TwoRay => Amplifier::TwoRay {
            fs_j_per_bit_per_m2: c.positive(&key("fs_pj_per_bit_per_m2"), r.fs_pj_per_bit_per_m2) * PICO,
            mp_j_per_bit_per_m4: c.positive(&key("mp_pj_per_bit_per_m4"), r.mp_pj_per_bit_per_m4) * PICO,
        },
    };
    RadioProfile {
        name: name.to_string(),
        tx_elec_j_per_bit: c.non_negative(&key("tx_elec_nj_per_bit"), r.tx_elec_nj_per_bit) * NANO,
        rx_elec_j_per_bit: c.non_negative(&key("rx_elec_nj_per_bit"), r.rx_elec_nj_per_bit) * NANO,
        amp,
    }
}
