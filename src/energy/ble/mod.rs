//! BLE connection-event energy: the phase model of Kindt, Yunge, Diemer and Chakraborty ("Energy Modeling for the
//! Bluetooth Low Energy Protocol", ACM TECS 19(2), 2020; preprint "A Precise Energy Model for the Bluetooth Low
//! Energy Protocol", arXiv:1403.2919, 2014) as implemented in the authors' reference library bleemod
//! (`ble_model_connected.c`, read, not copied), with the on-air timing of the Bluetooth Core Specification.
//!
//! One connection event = fixed phases (head, pre-processing, communication preamble, transient, post-processing,
//! tail) + `n` packet pairs. Each pair charges a pre-RX phase (the peripheral's first is the longer
//! `pre_rx_first_peripheral` plus the window widening), reception at 8 µs per on-air byte, an RX→TX transition, a
//! pre-TX phase, transmission at 8 µs per on-air byte, a TX→RX transition and the sequence correction charge; the
//! transition after the last packet is not made (the central drops one RX→TX, the peripheral one TX→RX). Between
//! events the device sleeps. Everything is linear in (pairs, bytes received, bytes sent, widening), so
//! [`BleEventCost`] precomputes five coefficients and an event costs four multiply-adds.
//!
//! **Charge convention.** [`BleEventCost::charge_c`] is the charge *above sleep*: Kindt's event charge minus
//! `sleep_a × event duration`. The caller charges `sleep_a` over all the time (events included); the sum is then
//! exactly Kindt's per-interval charge `Q_event + (T_c − D_event)·I_sleep`. Formulas, constants and sources:
//! `docs/model.md`, "BLE connection events".

mod profiles;
#[cfg(test)]
mod tests;

#[allow(unused_imports)] // called by the scenario validation once the integrator wires `[energy.ble_profiles]` in
pub(crate) use profiles::ble_profile;
pub use profiles::{builtin_ble_profiles, RawBleProfile};

/// Air time of one byte on the LE 1M PHY, in seconds (1 Mbit/s; Core Spec v5.x Vol 6 Part A §3.1 / Part B §2.1).
pub const AIR_S_PER_BYTE: f64 = 8e-6;

/// Inter-frame space between consecutive packets of a connection event, in seconds (Core Spec Vol 6 Part B §4.1.1).
pub const T_IFS_S: f64 = 150e-6;

/// On-air bytes of an empty data PDU (no payload, no MIC): 1 preamble + 4 access address + 2 header + 3 CRC.
pub const EMPTY_PDU_AIR_BYTES: u32 = 10;

/// On-air bytes of a data-channel packet on the LE 1M PHY carrying `ll_payload_bytes` of link-layer payload
/// (L2CAP header + data, 0..=251): preamble 1 + access address 4 + PDU header 2 + payload + MIC 4 (only if the link
/// is encrypted) + CRC 3 (Core Spec v5.x Vol 6 Part B §2.1 "Packet format for the LE Uncoded PHYs" and §2.4 "Data
/// physical channel PDU"). An empty PDU is 10 bytes (80 µs); 27 bytes give 37 (296 µs); 251 bytes with MIC give
/// 265 (2120 µs, the spec's longest 1M packet).
pub fn pdu_air_bytes(ll_payload_bytes: u32, mic: bool) -> u32 {
    EMPTY_PDU_AIR_BYTES + ll_payload_bytes + if mic { 4 } else { 0 }
}

/// Window widening of the peripheral's receive window, in seconds: `(centralSCA + peripheralSCA)/10⁶ ·
/// timeSinceLastAnchor` (Core Spec v5.x Vol 6 Part B §4.5.7; SCA in ppm, the time since the last anchor the
/// peripheral received). The peripheral opens its receiver this much before the expected anchor; the model charges
/// this extra listening at `I_RX`. Kindt (bleemod) assumes both clocks at 50 ppm and one interval since the anchor:
/// widening = 2·50e-6·T_c. The spec's limit (the connection is lost when widening reaches T_c/2 − T_IFS) is not
/// applied here.
pub fn window_widening_s(central_sca_ppm: f64, peripheral_sca_ppm: f64, since_anchor_s: f64) -> f64 {
    (central_sca_ppm + peripheral_sca_ppm) * 1e-6 * since_anchor_s
}

/// On-air time from the anchor to the end of the last packet of an event with `pairs` packet pairs (>= 1) and these
/// total on-air bytes each way, in seconds: per pair first packet + T_IFS + second packet, and T_IFS between pairs,
/// i.e. `8 µs·(rx + tx) + (2·pairs − 1)·T_IFS` (Core Spec Vol 6 Part B §4.5.1; the same for both roles). Returns 0
/// for `pairs == 0`.
pub fn exchange_time_s(rx_air_bytes_total: u32, tx_air_bytes_total: u32, pairs: u32) -> f64 {
    if pairs == 0 {
        return 0.0;
    }
    AIR_S_PER_BYTE * (f64::from(rx_air_bytes_total) + f64::from(tx_air_bytes_total))
        + f64::from(2 * pairs - 1) * T_IFS_S
}

/// Role in a BLE connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BleRole {
    /// The wearable (Core Spec "slave" in 4.x): receives first in each pair; its first receive window is opened
    /// early by the longer first pre-RX and the window widening.
    Peripheral,
    /// Its gateway (Core Spec "master" in 4.x): transmits first at the anchor; no window widening.
    Central,
}

/// One phase of the model: how long it lasts and the mean current it draws.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlePhase {
    /// Duration, s (>= 0).
    pub duration_s: f64,
    /// Mean current, A (>= 0).
    pub current_a: f64,
}

impl BlePhase {
    /// Charge of the phase, C.
    pub fn charge_c(&self) -> f64 {
        self.duration_s * self.current_a
    }
}

/// A validated BLE energy profile in SI units (seconds, amperes, coulombs, volts); see [`RawBleProfile`] for the
/// sources of each built-in value.
#[derive(Debug, Clone, PartialEq)]
pub struct BleProfile {
    /// Profile name.
    pub name: String,
    /// Supply voltage the currents were measured or specified at, V (> 0); energy = charge × supply_v.
    pub supply_v: f64,
    /// Head: wake-up, oscillator start before the event (fixed).
    pub head: BlePhase,
    /// Pre-processing: CPU work before the radio starts (fixed).
    pub pre_processing: BlePhase,
    /// Communication preamble: radio start before the first packet (fixed).
    pub comm_preamble: BlePhase,
    /// Transient: radio shut-down after the last packet (fixed).
    pub transient: BlePhase,
    /// Post-processing: CPU work after the radio (fixed).
    pub post_processing: BlePhase,
    /// Tail: return to sleep (fixed).
    pub tail: BlePhase,
    /// Pre-RX: receiver on before a packet's first bit, every receive except the peripheral's first, s (at `rx_a`).
    pub pre_rx_s: f64,
    /// The peripheral's first pre-RX in an event (without window widening), s (at `rx_a`).
    pub pre_rx_first_peripheral_s: f64,
    /// Receive current, A (pre-RX, window widening and 8 µs per received byte).
    pub rx_a: f64,
    /// Pre-TX: transmitter on before a packet's first bit, s (at `tx_a`).
    pub pre_tx_s: f64,
    /// Transmit current, A (pre-TX and 8 µs per sent byte).
    pub tx_a: f64,
    /// RX→TX transition inside a pair.
    pub rx_to_tx: BlePhase,
    /// TX→RX transition inside a pair.
    pub tx_to_rx: BlePhase,
    /// Correction charge added once per packet pair, C (may be negative; Kindt's `Q_to`).
    pub sequence_correction_c: f64,
    /// Sleep current between events, A.
    pub sleep_a: f64,
}

impl BleProfile {
    /// Charge of the six fixed phases, C (BLE112: 14.624 µC).
    pub fn fixed_charge_c(&self) -> f64 {
        self.fixed_phases().iter().map(BlePhase::charge_c).sum()
    }

    /// Duration of the six fixed phases, s (BLE112: 1.962 ms).
    pub fn fixed_duration_s(&self) -> f64 {
        self.fixed_phases().iter().map(|p| p.duration_s).sum()
    }

    /// The largest current the profile draws in any phase, A: the peak a coin cell must deliver (the default
    /// `energy.battery.peak_current_ma` under BLE).
    pub fn peak_a(&self) -> f64 {
        let phases = self.fixed_phases().into_iter().chain([self.rx_to_tx, self.tx_to_rx]);
        phases.map(|p| p.current_a).fold(self.rx_a.max(self.tx_a), f64::max)
    }

    fn fixed_phases(&self) -> [BlePhase; 6] {
        [self.head, self.pre_processing, self.comm_preamble, self.transient, self.post_processing, self.tail]
    }
}

/// Precomputed linear cost of a connection event for one profile and role:
/// `Q = base + pairs·per_pair + rx·per_rx_byte + tx·per_tx_byte + widening·per_widening_s`, and the same form for the
/// event's duration. Built once per (profile, role); evaluating it is four multiply-adds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BleEventCost {
    base_c: f64,
    per_pair_c: f64,
    per_rx_byte_c: f64,
    per_tx_byte_c: f64,
    per_widening_s_c: f64,
    base_s: f64,
    per_pair_s: f64,
    per_widening_s_s: f64,
    sleep_a: f64,
}

impl BleEventCost {
    /// The cost coefficients of `profile` in `role` (Kindt's event charge, rearranged; see the module docs).
    pub fn new(profile: &BleProfile, role: BleRole) -> Self {
        let p = profile;
        // Every pair: pre-RX, pre-TX, both transitions and the correction (bytes are separate terms).
        let pair_c = p.pre_rx_s * p.rx_a
            + p.pre_tx_s * p.tx_a
            + p.rx_to_tx.charge_c()
            + p.tx_to_rx.charge_c()
            + p.sequence_correction_c;
        let pair_s = p.pre_rx_s + p.pre_tx_s + p.rx_to_tx.duration_s + p.tx_to_rx.duration_s;
        // Pairs = 0 intercept: fixed phases, minus the transition after the last packet, plus (peripheral) the
        // longer first pre-RX in place of an ordinary one; the widening is charged at I_RX by the peripheral only.
        let (base_c, base_s, widen) = match role {
            BleRole::Central => {
                (p.fixed_charge_c() - p.rx_to_tx.charge_c(), p.fixed_duration_s() - p.rx_to_tx.duration_s, 0.0)
            }
            BleRole::Peripheral => {
                let first_extra_s = p.pre_rx_first_peripheral_s - p.pre_rx_s;
                (
                    p.fixed_charge_c() - p.tx_to_rx.charge_c() + first_extra_s * p.rx_a,
                    p.fixed_duration_s() - p.tx_to_rx.duration_s + first_extra_s,
                    1.0,
                )
            }
        };
        let sl = p.sleep_a;
        BleEventCost {
            base_c: base_c - sl * base_s,
            per_pair_c: pair_c - sl * pair_s,
            per_rx_byte_c: (p.rx_a - sl) * AIR_S_PER_BYTE,
            per_tx_byte_c: (p.tx_a - sl) * AIR_S_PER_BYTE,
            per_widening_s_c: widen * (p.rx_a - sl),
            base_s,
            per_pair_s: pair_s,
            per_widening_s_s: widen,
            sleep_a: sl,
        }
    }

    /// Charge above sleep of one connection event, C: `pairs` (>= 1) packet pairs with these total on-air bytes
    /// received and transmitted by this role (all pairs together, including every link-layer overhead: see
    /// [`pdu_air_bytes`]), and `widening_s` of window widening (ignored by the central). Sleep current is NOT
    /// included: charge `sleep_a` over the whole time separately; `charge_c + sleep_a·duration_s` is Kindt's
    /// event charge.
    #[inline]
    pub fn charge_c(&self, pairs: u32, rx_air_bytes: u32, tx_air_bytes: u32, widening_s: f64) -> f64 {
        debug_assert!(pairs >= 1, "a connection event has at least one packet pair");
        self.base_c
            + f64::from(pairs) * self.per_pair_c
            + f64::from(rx_air_bytes) * self.per_rx_byte_c
            + f64::from(tx_air_bytes) * self.per_tx_byte_c
            + widening_s * self.per_widening_s_c
    }

    /// The charge of `pairs` more PDU pairs (with those on-air bytes received and sent) in an event already open:
    /// by linearity, the event's fixed part and its widening cancel out.
    #[inline]
    pub fn added_pairs_c(&self, pairs: u32, rx_air_bytes: u32, tx_air_bytes: u32) -> f64 {
        let e = EMPTY_PDU_AIR_BYTES;
        self.charge_c(1 + pairs, e + rx_air_bytes, e + tx_air_bytes, 0.0) - self.charge_c(1, e, e, 0.0)
    }

    /// Charge above sleep of an idle event: one pair of empty PDUs (10 air bytes each way, no MIC), C.
    #[inline]
    pub fn empty_event_c(&self, widening_s: f64) -> f64 {
        self.charge_c(1, EMPTY_PDU_AIR_BYTES, EMPTY_PDU_AIR_BYTES, widening_s)
    }

    /// Duration of the event as the model counts it (fixed phases + sequence), s.
    #[inline]
    pub fn duration_s(&self, pairs: u32, rx_air_bytes: u32, tx_air_bytes: u32, widening_s: f64) -> f64 {
        self.base_s
            + f64::from(pairs) * self.per_pair_s
            + AIR_S_PER_BYTE * (f64::from(rx_air_bytes) + f64::from(tx_air_bytes))
            + widening_s * self.per_widening_s_s
    }

    /// Kindt's whole-event charge (sleep current not subtracted), C: `charge_c + sleep_a·duration_s`.
    pub fn whole_event_c(&self, pairs: u32, rx_air_bytes: u32, tx_air_bytes: u32, widening_s: f64) -> f64 {
        self.charge_c(pairs, rx_air_bytes, tx_air_bytes, widening_s)
            + self.sleep_a * self.duration_s(pairs, rx_air_bytes, tx_air_bytes, widening_s)
    }

    /// Average current over one connection interval with this event in it, A: `(charge_c + sleep_a·interval) /
    /// interval` = Kindt's `(Q_event + (T_c − D_event)·I_sleep)/T_c`. Meaningful while the event fits in the interval.
    pub fn avg_current_a(&self, interval_s: f64, pairs: u32, rx_air: u32, tx_air: u32, widening_s: f64) -> f64 {
        (self.charge_c(pairs, rx_air, tx_air, widening_s) + self.sleep_a * interval_s) / interval_s
    }
}

/// Average current of `profile` in `role` over a connection interval `interval_s` whose event carries `pairs` pairs
/// with these total on-air bytes, A (see [`BleEventCost::avg_current_a`]).
pub fn avg_current_a(
    profile: &BleProfile,
    role: BleRole,
    interval_s: f64,
    pairs: u32,
    rx_air: u32,
    tx_air: u32,
    widening_s: f64,
) -> f64 {
    BleEventCost::new(profile, role).avg_current_a(interval_s, pairs, rx_air, tx_air, widening_s)
}
