//! The BAN hop's medium access: `links.ban.mac` chooses between `"ble"` (Bluetooth Low Energy connection events,
//! the default) and `"ideal"` (the older model: a packet is sent as soon as the link is free, at
//! `bandwidth_bps`, after a fixed `latency_s`). This file holds the `[links.ban.ble]` table, its validation and the
//! validated [`BleMac`]; the connection-event state of each BAN link and the planning of a transfer are in
//! [`super::ble_link`], the energy of a connection event in [`crate::energy::ble`].
//!
//! Sources: Bluetooth Core Specification v5.3, Vol 6 Part B (link layer): connection interval 7.5 ms to 4 s in
//! steps of 1.25 ms (§4.5.1), peripheral latency at most 499 and (1 + latency)·interval·2 below the supervision
//! timeout of at most 32 s (§4.5.2, §2.4.2.3), window widening (§4.5.7), data length 27 to 251 bytes (§2.4, the
//! LE Data Length Extension), the MIC of an encrypted link (4 bytes, §2.4); Vol 3 Part A §3.1 (L2CAP basic header,
//! 4 bytes) and Part F §3.4.7.1 (ATT Handle Value Notification: 1-byte opcode, 2-byte handle; payload at most
//! ATT_MTU − 3). Defaults: Nordic's heart-rate sensor example (nRF5 SDK `ble_app_hrs`: connection interval 400 ms
//! to 650 ms, peripheral latency 0, supervision timeout 4 s), with connection event length extension (an event
//! lasts while there is data, up to the next anchor).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::energy::ble::{ble_profile, BleProfile, RawBleProfile};
use crate::kernel::SimTime;
use crate::scenario::checker::{shown, Checker};

/// Shortest connection interval, s (Core v5.3 Vol 6 Part B §4.5.1).
pub const MIN_INTERVAL_S: f64 = 0.0075;
/// Longest connection interval, s (ibid.).
pub const MAX_INTERVAL_S: f64 = 4.0;
/// Step of the connection interval, s (ibid.).
pub const INTERVAL_STEP_S: f64 = 0.00125;
/// Largest peripheral latency, in events (Core v5.3 Vol 6 Part B §4.5.2 via connSlaveLatency ≤ 499).
pub const MAX_PERIPHERAL_LATENCY: u64 = 499;
/// Longest supervision timeout, s (Core v5.3 Vol 6 Part B §4.5.2: at most 32 s); the peripheral must be heard at
/// least twice within it, so (1 + latency)·interval must stay below half of it.
pub const MAX_SUPERVISION_TIMEOUT_S: f64 = 32.0;
/// L2CAP basic header, bytes (Core v5.3 Vol 3 Part A §3.1).
pub const L2CAP_HEADER_BYTES: u32 = 4;
/// ATT Handle Value Notification header: opcode and attribute handle, bytes (Core v5.3 Vol 3 Part F §3.4.7.1).
pub const ATT_NOTIFY_HEADER_BYTES: u32 = 3;

/// The BAN hop's medium access control (`links.ban.mac`).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawMac {
    /// Bluetooth Low Energy connection events (`[links.ban.ble]`): a packet waits for its wearable's next
    /// connection event and travels as link-layer PDUs, each acknowledged and resent on its own; energy per
    /// connection event from the chip profile `links.ban.ble.profile`.
    #[default]
    Ble,
    /// The simplification used before BLE was modelled: the packet is sent as soon as the link is free, at
    /// `bandwidth_bps`, reaches the gateway `latency_s` later, and costs energy per bit (`energy.radio.ban`).
    Ideal,
}

/// `[links.ban.ble]`: the BLE connection between a wearable (peripheral) and its BAN gateway (central).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawBle {
    /// Connection interval, in seconds: 0.0075 to 4 in steps of 0.00125 (Core v5.3 Vol 6 Part B §4.5.1). Default
    /// 0.4 (Nordic nRF5 SDK heart-rate sensor example, `ble_app_hrs`).
    pub connection_interval_s: f64,
    /// Peripheral latency: connection events a wearable with nothing to send may skip, 0 to 499, with
    /// (1 + latency)·interval below 16 s (half the longest supervision timeout). Default 0 (ibid.).
    pub peripheral_latency: u64,
    /// Sleep clock accuracy of each end, in ppm (> 0, at most 500): the receive window widens by
    /// 2·ppm·10⁻⁶ × the time since the last anchor the wearable heard (Core v5.3 Vol 6 Part B §4.5.7). Default 50
    /// (Kindt et al.'s setting).
    pub sleep_clock_ppm: f64,
    /// Largest link-layer payload per PDU, in bytes: 27 (Bluetooth 4.0/4.1) to 251 (LE Data Length Extension).
    /// Default 251.
    pub data_length: u64,
    /// ATT_MTU, in bytes (23 to 517): a sample travels as notifications of at most ATT_MTU − 3 bytes, each with
    /// a 3-byte ATT and a 4-byte L2CAP header. Default 247 (one notification fills one 251-byte PDU).
    pub att_mtu: u64,
    /// Whether the link is encrypted (LE Secure Connections): every non-empty PDU then carries a 4-byte MIC.
    /// Default true.
    pub mic: bool,
    /// Longest time a connection event may last, in seconds (>= 0, at most the interval): PDU pairs that would end
    /// later wait for the next event. 0 (the default) lets an event run while the wearable has data, up to the
    /// next anchor less one inter-frame space (connection event length extension, which a wearable sending
    /// NTRU ciphertexts needs); 0.0075 is the Nordic SoftDevice's default event length without extension
    /// (6 × 1.25 ms).
    pub event_length_s: f64,
    /// The chip's energy profile, by name (see `[energy.ble_profiles]`). Default `nrf52840`.
    pub profile: String,
}

impl Default for RawBle {
    fn default() -> Self {
        RawBle {
            connection_interval_s: 0.4,
            peripheral_latency: 0,
            sleep_clock_ppm: 50.0,
            data_length: 251,
            att_mtu: 247,
            mic: true,
            event_length_s: 0.0,
            profile: "nrf52840".into(),
        }
    }
}

/// The validated BLE connection parameters and chip profile.
#[derive(Debug, Clone, PartialEq)]
pub struct BleMac {
    /// Connection interval.
    pub interval: SimTime,
    /// Events a wearable with nothing to send may skip.
    pub peripheral_latency: u32,
    /// Each end's sleep clock accuracy, ppm.
    pub sleep_clock_ppm: f64,
    /// Largest link-layer payload per PDU, bytes.
    pub data_length: u32,
    /// ATT_MTU, bytes.
    pub att_mtu: u32,
    /// Whether non-empty PDUs carry a MIC.
    pub mic: bool,
    /// Longest connection event.
    pub event_length: SimTime,
    /// The chip's energy profile.
    pub profile: BleProfile,
}

impl BleMac {
    /// Link-layer PDUs and their total link-layer payload bytes for a packet of `bytes`: notifications of at most
    /// ATT_MTU − 3 bytes, each with its ATT and L2CAP headers, split into PDUs of at most `data_length` bytes.
    pub fn pdus(&self, bytes: u32) -> (u32, u64) {
        let per_notification = self.att_mtu - ATT_NOTIFY_HEADER_BYTES;
        let notifications = bytes.div_ceil(per_notification).max(1);
        let ll_bytes = bytes as u64 + notifications as u64 * (ATT_NOTIFY_HEADER_BYTES + L2CAP_HEADER_BYTES) as u64;
        let full = bytes / per_notification;
        let last = (bytes - full * per_notification) + ATT_NOTIFY_HEADER_BYTES + L2CAP_HEADER_BYTES;
        let full_l2cap = self.att_mtu + L2CAP_HEADER_BYTES;
        let mut pdus = full.min(notifications) * full_l2cap.div_ceil(self.data_length);
        if full < notifications {
            pdus += last.div_ceil(self.data_length);
        }
        (pdus, ll_bytes)
    }
}

/// Checks `[links.ban.ble]` and finds its profile among the built-in and the scenario's `[energy.ble_profiles]`.
pub(crate) fn ble(
    c: &mut Checker,
    raw: &RawBle,
    profiles: &std::collections::BTreeMap<String, RawBleProfile>,
) -> Option<BleMac> {
    let key = |k: &str| format!("links.ban.ble.{k}");
    let ci = raw.connection_interval_s;
    let steps = ci / INTERVAL_STEP_S;
    let mut ok = true;
    if !(ci.is_finite() && (MIN_INTERVAL_S - 1e-12..=MAX_INTERVAL_S + 1e-12).contains(&ci))
        || (steps - steps.round()).abs() > 1e-6
    {
        c.fail(
            &key("connection_interval_s"),
            format!(
                "must be from {MIN_INTERVAL_S} to {MAX_INTERVAL_S} s in steps of {INTERVAL_STEP_S} s (got {})",
                shown(ci)
            ),
        );
        ok = false;
    }
    let interval = SimTime::from_nanos((steps.round().max(6.0) * 1_250_000.0) as u64);
    let latency = raw.peripheral_latency;
    if latency > MAX_PERIPHERAL_LATENCY {
        c.fail(&key("peripheral_latency"), format!("must be from 0 to {MAX_PERIPHERAL_LATENCY} (got {latency})"));
        ok = false;
    } else if ok && (1 + latency) as f64 * ci >= MAX_SUPERVISION_TIMEOUT_S / 2.0 {
        c.fail(
            &key("peripheral_latency"),
            format!(
                "(1 + {latency}) × {ci} s must stay below {} s, half the longest supervision timeout",
                MAX_SUPERVISION_TIMEOUT_S / 2.0
            ),
        );
        ok = false;
    }
    let ppm = raw.sleep_clock_ppm;
    if !(ppm.is_finite() && ppm > 0.0 && ppm <= 500.0) {
        c.fail(&key("sleep_clock_ppm"), format!("must be > 0 and at most 500 ppm (got {})", shown(ppm)));
        ok = false;
    }
    if !(27..=251).contains(&raw.data_length) {
        c.fail(&key("data_length"), format!("must be from 27 to 251 bytes (got {})", raw.data_length));
        ok = false;
    }
    if !(23..=517).contains(&raw.att_mtu) {
        c.fail(&key("att_mtu"), format!("must be from 23 to 517 bytes (got {})", raw.att_mtu));
        ok = false;
    }
    let len = raw.event_length_s;
    if !(len.is_finite() && len >= 0.0 && len <= ci) {
        c.fail(
            &key("event_length_s"),
            format!(
                "must be from 0 s (the whole interval) to connection_interval_s = {} s (got {})",
                shown(ci),
                shown(len)
            ),
        );
        ok = false;
    }
    let len = if len == 0.0 { ci - crate::energy::ble::T_IFS_S } else { len };
    let profile = match profiles.get(&raw.profile) {
        Some(p) => Some(ble_profile(c, &raw.profile, p)),
        None => {
            let known: Vec<&str> = profiles.keys().map(String::as_str).collect();
            c.fail(&key("profile"), format!("unknown BLE profile {:?}; known: {}", raw.profile, known.join(", ")));
            None
        }
    };
    let profile = profile?;
    ok.then(|| BleMac {
        interval,
        peripheral_latency: latency as u32,
        sleep_clock_ppm: ppm,
        data_length: raw.data_length as u32,
        att_mtu: raw.att_mtu as u32,
        mic: raw.mic,
        event_length: SimTime::from_nanos((len * 1e9).round() as u64),
        profile,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(data_length: u32, att_mtu: u32) -> BleMac {
        BleMac {
            interval: SimTime::from_millis(400),
            peripheral_latency: 0,
            sleep_clock_ppm: 50.0,
            data_length,
            att_mtu,
            mic: true,
            event_length: SimTime::from_micros(7500),
            profile: {
                let builtin = crate::energy::ble::builtin_ble_profiles();
                ble_profile(&mut Checker::new(), "nrf52840", &builtin["nrf52840"])
            },
        }
    }

    /// Segmentation by hand: notifications of ATT_MTU − 3 bytes, each + 7 header bytes, cut into PDUs.
    #[test]
    fn pdus_follow_att_and_l2cap_segmentation() {
        // 8-byte sample, MTU 247, DL 251: one notification of 8 + 3 + 4 = 15 bytes, one PDU.
        assert_eq!(mac(251, 247).pdus(8), (1, 15));
        // 8-byte sample, MTU 23, DL 27: 8 + 7 = 15 bytes, one PDU.
        assert_eq!(mac(27, 23).pdus(8), (1, 15));
        // 735 bytes (an NTRU-509 sample: 8 + 699 + 28), MTU 247: notifications of 244 → 3 full + 3 bytes;
        // full ones are 251 L2CAP bytes = 1 PDU each; the last is 3 + 7 = 10 bytes, 1 PDU; LL bytes 735 + 4·7.
        assert_eq!(mac(251, 247).pdus(735), (4, 735 + 28));
        // Same with DL 27 and MTU 23: notifications of 20 bytes → 36 full + 15 bytes; a full one is 27 bytes (1 PDU),
        // the last 22 bytes (1 PDU): 37 PDUs; LL bytes 735 + 37·7.
        assert_eq!(mac(27, 23).pdus(735), (37, 735 + 37 * 7));
        // MTU 247 with DL 27: a full notification is 251 bytes = 10 PDUs (9 × 27 + 8).
        assert_eq!(mac(27, 247).pdus(244), (10, 251));
    }
}
