//! `[energy.ble_profiles.<name>]`: BLE connection-event energy profiles (raw TOML form), the three built-ins and
//! their validation into [`BleProfile`]. Sources: the doc comment of each built-in below and `docs/model.md`,
//! "BLE connection events".

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{BlePhase, BleProfile};
use crate::scenario::checker::Checker;

const MS: f64 = 1e-3;
const MA: f64 = 1e-3;
const UA: f64 = 1e-6;
const UC: f64 = 1e-6;

/// `[energy.ble_profiles.<name>]`: the phases of Kindt et al.'s BLE connection-event model (ACM TECS 2020) for one
/// device. Durations in ms (finite, >= 0), currents in mA or µA (finite, >= 0). Built in: `ble112` (Kindt's
/// measured Bluegiga BLE112 / TI CC2540 figures), `nrf52840` and `nrf52840_ldo` (Nordic nRF52840 PS currents with
/// DC/DC or LDO; phases the PS does not give are derived, ours). A table with a built-in name replaces it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawBleProfile {
    /// Supply voltage the currents refer to, in V (> 0). BLE112: 3.3 (unverified, see docs); nRF52840: 3.0 (PS).
    pub supply_v: f64,
    /// Head phase (wake-up, oscillator start) duration, in ms (>= 0). BLE112: 0.578.
    pub head_ms: f64,
    /// Head phase current, in mA (>= 0). BLE112: 5.924.
    pub head_ma: f64,
    /// Pre-processing (CPU before the radio) duration, in ms (>= 0). BLE112: 0.305.
    pub pre_processing_ms: f64,
    /// Pre-processing current, in mA (>= 0). BLE112: 7.691.
    pub pre_processing_ma: f64,
    /// Communication preamble (radio start-up before the first packet) duration, in ms (>= 0). BLE112: 0.073.
    pub comm_preamble_ms: f64,
    /// Communication preamble current, in mA (>= 0). BLE112: 12.238.
    pub comm_preamble_ma: f64,
    /// Transient (radio shut-down after the last packet) duration, in ms (>= 0). BLE112: 0.066.
    pub transient_ms: f64,
    /// Transient current, in mA (>= 0). BLE112: 11.636.
    pub transient_ma: f64,
    /// Post-processing (CPU after the radio) duration, in ms (>= 0). BLE112: 0.860.
    pub post_processing_ms: f64,
    /// Post-processing current, in mA (>= 0). BLE112: 7.980.
    pub post_processing_ma: f64,
    /// Tail (return to sleep) duration, in ms (>= 0). BLE112: 0.080.
    pub tail_ms: f64,
    /// Tail current, in mA (>= 0). BLE112: 4.129.
    pub tail_ma: f64,
    /// Pre-RX (receiver on before the first bit) of every receive but the peripheral's first, in ms (>= 0), drawn
    /// at `rx_ma`. BLE112: 0.123.
    pub pre_rx_ms: f64,
    /// The peripheral's first pre-RX of an event, without window widening, in ms (>= 0), at `rx_ma`. BLE112: 0.388.
    pub pre_rx_first_peripheral_ms: f64,
    /// Receive current (pre-RX, widening, 8 µs per received byte), in mA (>= 0). BLE112: 26.505.
    pub rx_ma: f64,
    /// Pre-TX (transmitter on before the first bit), in ms (>= 0), at `tx_ma`. BLE112: 0.053.
    pub pre_tx_ms: f64,
    /// Transmit current (pre-TX, 8 µs per sent byte), in mA (>= 0). BLE112: 36.445 (0 dBm).
    pub tx_ma: f64,
    /// RX→TX transition duration, in ms (>= 0). BLE112: 0.080.
    pub rx_to_tx_ms: f64,
    /// RX→TX transition current, in mA (>= 0). BLE112: 14.128.
    pub rx_to_tx_ma: f64,
    /// TX→RX transition duration, in ms (>= 0). BLE112: 0.057.
    pub tx_to_rx_ms: f64,
    /// TX→RX transition current, in mA (>= 0). BLE112: 15.125.
    pub tx_to_rx_ma: f64,
    /// Correction charge per packet pair, in µC (finite, may be negative; |value| below the fixed phases' charge).
    /// BLE112: −1.2.
    pub sequence_correction_uc: f64,
    /// Sleep current between events, in µA (>= 0). BLE112: 0.9.
    pub sleep_ua: f64,
}

/// The built-in BLE profiles: `ble112`, `nrf52840`, `nrf52840_ldo` (sources in the comments and in docs/model.md).
pub fn builtin_ble_profiles() -> BTreeMap<String, RawBleProfile> {
    // Kindt et al., bleemod `ble_model_params_connected.h` / `ble_model_params_general.h` (BLE112, measured; the
    // same constants as the paper's parameter table and /work/shared/MODEL-NOTES.md). Supply: 3.3 V (unverified:
    // the paper's measurement set-up text was not retrievable; charges do not depend on it).
    let ble112 = RawBleProfile {
        supply_v: 3.3,
        head_ms: 0.578,
        head_ma: 5.924,
        pre_processing_ms: 0.305,
        pre_processing_ma: 7.691,
        comm_preamble_ms: 0.073,
        comm_preamble_ma: 12.238,
        transient_ms: 0.066,
        transient_ma: 11.636,
        post_processing_ms: 0.860,
        post_processing_ma: 7.980,
        tail_ms: 0.080,
        tail_ma: 4.129,
        pre_rx_ms: 0.123,
        pre_rx_first_peripheral_ms: 0.388,
        rx_ma: 26.505,
        pre_tx_ms: 0.053,
        tx_ma: 36.445,
        rx_to_tx_ms: 0.080,
        rx_to_tx_ma: 14.128,
        tx_to_rx_ms: 0.057,
        tx_to_rx_ma: 15.125,
        sequence_correction_uc: -1.2,
        sleep_ua: 0.9,
    };
    // nRF52840 Product Specification (v1.x), VDD 3 V, 25 °C, DC/DC: radio TX 0 dBm 6.40 mA, RX 1 Mbps 6.26 mA
    // (§"Radio transmitting/receiving"); CPU 3.2 mA at 64 MHz (§"CPU running"; MODEL-NOTES; a secondary source
    // quotes ICPU0 = 3.3 mA from flash — see docs); System ON, full RAM, wake on RTC 3.16 µA (ION_RAMON_RTC,
    // §"Sleep", as quoted by secondary sources); radio ramp-up tTXEN/tRXEN 140 µs (RADIO electrical spec; 140 µs in
    // the nRF5340 PS, unverified for the 52840). Derived, ours:
    // - head = HFXO start-up 0.36 ms at 0.25 mA (unverified: nRF52 PS tSTART,HFXO / IHFXO, page not retrieved);
    // - pre/post-processing = CPU current for 0.10 / 0.20 ms (durations illustrative, ours);
    // - communication preamble = the first radio ramp-up, 140 µs at the RX current (no ramp current in the PS);
    // - pre-RX = pre-TX = T_IFS − 140 µs = 10 µs; RX→TX = tTXEN at I_TX; TX→RX = tRXEN at I_RX (so a pair's
    //   overheads add to 2·T_IFS); the peripheral's first pre-RX = 16 µs guard (ours) plus the window widening;
    // - transient, tail, sequence correction = 0 (no counterpart in the PS);
    // - sleep clock accuracy 20 ppm (32.768 kHz crystal, Nordic nRF52 Online Power Profiler test set-up, 2016).
    let nrf52840 = RawBleProfile {
        supply_v: 3.0,
        head_ms: 0.36,
        head_ma: 0.25,
        pre_processing_ms: 0.10,
        pre_processing_ma: 3.2,
        comm_preamble_ms: 0.140,
        comm_preamble_ma: 6.26,
        transient_ms: 0.0,
        transient_ma: 0.0,
        post_processing_ms: 0.20,
        post_processing_ma: 3.2,
        tail_ms: 0.0,
        tail_ma: 0.0,
        pre_rx_ms: 0.010,
        pre_rx_first_peripheral_ms: 0.016,
        rx_ma: 6.26,
        pre_tx_ms: 0.010,
        tx_ma: 6.40,
        rx_to_tx_ms: 0.140,
        rx_to_tx_ma: 6.40,
        tx_to_rx_ms: 0.140,
        tx_to_rx_ma: 6.26,
        sequence_correction_uc: 0.0,
        sleep_ua: 3.16,
    };
    // The same with the LDO regulator: radio TX 0 dBm 10.80 mA, RX 1 Mbps 10.10 mA (PS, via MODEL-NOTES); CPU
    // 5.6 mA (MODEL-NOTES); head (HFXO) and sleep kept as in `nrf52840` (ours: no separate LDO figures used).
    let nrf52840_ldo = RawBleProfile {
        pre_processing_ma: 5.6,
        comm_preamble_ma: 10.10,
        post_processing_ma: 5.6,
        rx_ma: 10.10,
        tx_ma: 10.80,
        rx_to_tx_ma: 10.80,
        tx_to_rx_ma: 10.10,
        ..nrf52840.clone()
    };
    BTreeMap::from([
        ("ble112".to_string(), ble112),
        ("nrf52840".to_string(), nrf52840),
        ("nrf52840_ldo".to_string(), nrf52840_ldo),
    ])
}

/// The problems of `raw` as (key, message) pairs, keys `energy.ble_profiles.<name>.<field>`; empty if valid.
pub(super) fn problems(name: &str, raw: &RawBleProfile) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let key = |f: &str| format!("energy.ble_profiles.{name}.{f}");
    let r = raw;
    let non_negative = [
        ("head_ms", r.head_ms),
        ("head_ma", r.head_ma),
        ("pre_processing_ms", r.pre_processing_ms),
        ("pre_processing_ma", r.pre_processing_ma),
        ("comm_preamble_ms", r.comm_preamble_ms),
        ("comm_preamble_ma", r.comm_preamble_ma),
        ("transient_ms", r.transient_ms),
        ("transient_ma", r.transient_ma),
        ("post_processing_ms", r.post_processing_ms),
        ("post_processing_ma", r.post_processing_ma),
        ("tail_ms", r.tail_ms),
        ("tail_ma", r.tail_ma),
        ("pre_rx_ms", r.pre_rx_ms),
        ("pre_rx_first_peripheral_ms", r.pre_rx_first_peripheral_ms),
        ("rx_ma", r.rx_ma),
        ("pre_tx_ms", r.pre_tx_ms),
        ("tx_ma", r.tx_ma),
        ("rx_to_tx_ms", r.rx_to_tx_ms),
        ("rx_to_tx_ma", r.rx_to_tx_ma),
        ("tx_to_rx_ms", r.tx_to_rx_ms),
        ("tx_to_rx_ma", r.tx_to_rx_ma),
        ("sleep_ua", r.sleep_ua),
    ];
    for (field, v) in non_negative {
        if !(v.is_finite() && v >= 0.0) {
            out.push((key(field), format!("must be a finite number >= 0 (got {v})")));
        }
    }
    if !(r.supply_v.is_finite() && r.supply_v > 0.0) {
        out.push((key("supply_v"), format!("must be a finite number > 0 (got {})", r.supply_v)));
    }
    // The correction may be negative (BLE112: −1.2 µC) but must not cancel the whole fixed part of an event.
    let fixed_uc = r.head_ms * r.head_ma
        + r.pre_processing_ms * r.pre_processing_ma
        + r.comm_preamble_ms * r.comm_preamble_ma
        + r.transient_ms * r.transient_ma
        + r.post_processing_ms * r.post_processing_ma
        + r.tail_ms * r.tail_ma; // ms × mA = µC
    let q = r.sequence_correction_uc;
    if !q.is_finite() {
        out.push((key("sequence_correction_uc"), format!("must be a finite number (got {q})")));
    } else if q != 0.0 && q.abs() >= fixed_uc {
        out.push((
            key("sequence_correction_uc"),
            format!("|{q}| µC must be below the fixed phases' charge of this profile, {fixed_uc} µC"),
        ));
    }
    out
}

/// Validate `[energy.ble_profiles.<name>]` into SI units; every problem is reported to `c` under
/// `energy.ble_profiles.<name>.<field>`.
pub(crate) fn ble_profile(c: &mut Checker, name: &str, raw: &RawBleProfile) -> BleProfile {
    for (key, message) in problems(name, raw) {
        c.fail(&key, message);
    }
    to_si(name, raw)
}

/// `raw` in SI units, unchecked.
pub(super) fn to_si(name: &str, r: &RawBleProfile) -> BleProfile {
    let phase = |ms: f64, ma: f64| BlePhase { duration_s: ms * MS, current_a: ma * MA };
    BleProfile {
        name: name.to_string(),
        supply_v: r.supply_v,
        head: phase(r.head_ms, r.head_ma),
        pre_processing: phase(r.pre_processing_ms, r.pre_processing_ma),
        comm_preamble: phase(r.comm_preamble_ms, r.comm_preamble_ma),
        transient: phase(r.transient_ms, r.transient_ma),
        post_processing: phase(r.post_processing_ms, r.post_processing_ma),
        tail: phase(r.tail_ms, r.tail_ma),
        pre_rx_s: r.pre_rx_ms * MS,
        pre_rx_first_peripheral_s: r.pre_rx_first_peripheral_ms * MS,
        rx_a: r.rx_ma * MA,
        pre_tx_s: r.pre_tx_ms * MS,
        tx_a: r.tx_ma * MA,
        rx_to_tx: phase(r.rx_to_tx_ms, r.rx_to_tx_ma),
        tx_to_rx: phase(r.tx_to_rx_ms, r.tx_to_rx_ma),
        sequence_correction_c: r.sequence_correction_uc * UC,
        sleep_a: r.sleep_ua * UA,
    }
}
