//! Scenario tables of the Wi-Fi access hop: `[links.access.wifi]` (the MAC and PHY) and
//! `[energy.wifi_profiles.<name>]` (module currents), with their validation.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::bianchi::{contention, Contention};
use super::energy::WifiProfile;
use super::phy::{Phy, Rate, Standard};
use crate::scenario::checker::Checker;

/// `[energy.wifi_profiles.<name>]`: supply currents of a Wi-Fi module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWifiProfile {
    /// Supply voltage, in volts (> 0; esp32: 3.3, ESP32-WROOM-32E datasheet v2.0 §6.4).
    pub supply_v: f64,
    /// Transmit current for 802.11b (DSSS/CCK) frames, in mA (>= 0; esp32: 239, Table 16, 1 Mbit/s @19.5 dBm).
    pub tx_11b_ma: f64,
    /// Transmit current for 802.11g (ERP-OFDM) frames, in mA (>= 0; esp32: 190, Table 16, 54 Mbit/s @15 dBm).
    pub tx_11g_ma: f64,
    /// Transmit current for 802.11n (HT) frames, in mA (>= 0; esp32: 183, Table 16, HT20 MCS7 @13 dBm).
    pub tx_11n_ma: f64,
    /// Receive current, in mA (>= 0; esp32: 112, Table 16, 802.11b/g/n 20 MHz).
    pub rx_ma: f64,
    /// Current while listening for a free channel (DIFS, backoff, SIFS), in mA (>= 0; esp32: 112, the RX figure:
    /// carrier sense keeps the receiver on).
    pub listen_ma: f64,
}

/// The built-in Wi-Fi profiles: `esp32` (ESP32-WROOM-32E datasheet v2.0, Table 16, 3.3 V).
pub fn builtin_wifi_profiles() -> BTreeMap<String, RawWifiProfile> {
    // The same figures as `WifiProfile::esp32` (test `builtin_profile_is_the_datasheet_table`).
    BTreeMap::from([(
        "esp32".to_string(),
        RawWifiProfile {
            supply_v: 3.3,
            tx_11b_ma: 239.0,
            tx_11g_ma: 190.0,
            tx_11n_ma: 183.0,
            rx_ma: 112.0,
            listen_ma: 112.0,
        },
    )])
}

/// Validates `[energy.wifi_profiles.<name>]` (keys `energy.wifi_profiles.<name>.<field>`) into SI units.
pub(crate) fn wifi_profile(c: &mut Checker, name: &str, raw: &RawWifiProfile) -> WifiProfile {
    let key = |k: &str| format!("energy.wifi_profiles.{name}.{k}");
    const MILLI: f64 = 1e-3;
    WifiProfile {
        supply_v: c.positive(&key("supply_v"), raw.supply_v),
        tx_11b_a: c.non_negative(&key("tx_11b_ma"), raw.tx_11b_ma) * MILLI,
        tx_11g_a: c.non_negative(&key("tx_11g_ma"), raw.tx_11g_ma) * MILLI,
        tx_11n_a: c.non_negative(&key("tx_11n_ma"), raw.tx_11n_ma) * MILLI,
        rx_a: c.non_negative(&key("rx_ma"), raw.rx_ma) * MILLI,
        listen_a: c.non_negative(&key("listen_ma"), raw.listen_ma) * MILLI,
    }
}

/// `[links.access.wifi]`: the 802.11 MAC and PHY of the gateway → cloudlet hop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawWifi {
    /// PHY: `11b` (HR/DSSS), `11g` (ERP-OFDM) or `11n` (HT20, one stream, 2.4 GHz). Default `11g`.
    pub phy: String,
    /// Data rate in Mbit/s, one of the PHY's rates (11b: 1, 2, 5.5, 11; 11g: 6, 9, 12, 18, 24, 36, 48, 54; 11n:
    /// 6.5, 13, 19.5, 26, 39, 52, 58.5, 65), or 0 for rate adaptation from each link's SNR. Default 54.
    pub rate_mbps: f64,
    /// 11g/11n: 9 µs short slot (true) or 20 µs long slot (false) (IEEE 802.11-2016 Table 18-5). Default true.
    pub short_slot: bool,
    /// 11b: 96 µs short PLCP preamble (true) or 192 µs long (false) (Table 16-4; 1 Mbit/s always long).
    /// Default false (the long preamble is the one every 802.11b station supports).
    pub short_preamble: bool,
    /// Minimum contention window CWmin, 2^k − 1 from 1 to 1023. Default: the PHY's aCWmin (11b 31, 11g/11n 15).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cw_min: Option<u64>,
    /// Maximum contention window CWmax, 2^k − 1, >= cw_min, at most 1023·2^6 (sets Bianchi's m =
    /// log2((CWmax + 1)/(CWmin + 1))). Default: the PHY's aCWmax, 1023.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cw_max: Option<u64>,
    /// Transmission attempts before a frame is dropped, 1 to 255 (dot11ShortRetryLimit, default 7, 802.11-2016
    /// Annex C).
    pub retry_limit: u64,
    /// Wi-Fi module profile (by name) for the gateways' energy: a built-in (`esp32`) or an
    /// `[energy.wifi_profiles.<name>]` table. Default `esp32`.
    pub profile: String,
    /// Contention among the gateways attached to one cloudlet: `none` (each frame alone on the channel: backoff
    /// CWmin/2, no collisions; the right order of magnitude for sparse vital-sign traffic) or `bianchi` (every
    /// gateway of the cloudlet always has a frame waiting: Bianchi 2000's saturated fixed point, an upper bound).
    /// Default `none`.
    pub contention: String,
}

impl Default for RawWifi {
    fn default() -> Self {
        RawWifi {
            phy: "11g".into(),
            rate_mbps: 54.0,
            short_slot: true,
            short_preamble: false,
            cw_min: None,
            cw_max: None,
            retry_limit: 7,
            profile: "esp32".into(),
            contention: "none".into(),
        }
    }
}

/// How contention among gateways is modelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentionModel {
    /// Bianchi's saturated fixed point among the gateways attached to the cloudlet.
    Bianchi,
    /// No other station: p = 0.
    None,
}

/// The validated `[links.access.wifi]`.
#[derive(Debug, Clone, PartialEq)]
pub struct WifiMac {
    /// The PHY.
    pub phy: Phy,
    /// Fixed data rate, or `None` for rate adaptation ([`super::phy::select_rate`]).
    pub rate: Option<Rate>,
    /// CWmin.
    pub cw_min: u32,
    /// CWmax.
    pub cw_max: u32,
    /// Bianchi's m: the number of window doublings, log2((CWmax + 1)/(CWmin + 1)).
    pub max_stage: u32,
    /// Attempts before a drop.
    pub retry_limit: u32,
    /// Wi-Fi profile name (resolve with [`resolve_wifi_profile`]).
    pub profile: String,
    /// Contention model.
    pub contention: ContentionModel,
}

impl WifiMac {
    /// Bianchi's W = CWmin + 1.
    pub fn w(&self) -> u32 {
        self.cw_min + 1
    }

    /// Contention among `n` gateways on one cloudlet under this MAC's model (see [`contention`]).
    pub fn contention(&self, n: u32) -> Contention {
        let n = if self.contention == ContentionModel::None { 1 } else { n };
        contention(n, self.w(), self.max_stage, self.retry_limit)
    }
}

/// Largest CWmax accepted: 1023·2^6 + 63 = 2^16 − 1 (Bianchi's m stays ≤ 16 even from CWmin = 0).
const MAX_CW: u64 = 65_535;

/// `2^k − 1`?
fn is_window(x: u64) -> bool {
    (x + 1).is_power_of_two()
}

/// Validates `[links.access.wifi]` (keys `links.access.wifi.<field>`).
pub(crate) fn wifi_mac(c: &mut Checker, raw: &RawWifi) -> WifiMac {
    let (mac, problems) = check_wifi(raw);
    for (key, message) in problems {
        c.fail(&key, message);
    }
    mac
}

/// A checker's `fail`, collected: (key, message) pairs.
struct Problems(Vec<(String, String)>);

impl Problems {
    fn fail(&mut self, key: &str, message: String) {
        self.0.push((key.to_string(), message));
    }
}

/// [`wifi_mac`] with its problems returned rather than recorded (so that tests can read them).
fn check_wifi(raw: &RawWifi) -> (WifiMac, Vec<(String, String)>) {
    let mut problems = Problems(Vec::new());
    let c = &mut problems;
    let key = |k: &str| format!("links.access.wifi.{k}");
    let phy = match raw.phy.as_str() {
        "11b" => Phy::b(raw.short_preamble),
        "11g" => Phy::g(raw.short_slot),
        "11n" => Phy::n(raw.short_slot),
        other => {
            c.fail(&key("phy"), format!("unknown PHY {other:?}; allowed: \"11b\", \"11g\", \"11n\""));
            Phy::g(raw.short_slot)
        }
    };
    let rate = if raw.rate_mbps == 0.0 {
        None
    } else {
        let found = phy.rate(raw.rate_mbps);
        if found.is_none() {
            let list: Vec<String> = phy.rates().iter().map(|r| r.mbps.to_string()).collect();
            let name = match phy.standard {
                Standard::B => "11b",
                Standard::G => "11g",
                Standard::N => "11n",
            };
            c.fail(
                &key("rate_mbps"),
                format!(
                    "{} Mbit/s is not a {name} rate; allowed: {}, or 0 for rate adaptation",
                    raw.rate_mbps,
                    list.join(", ")
                ),
            );
        }
        found
    };
    let cw_min = raw.cw_min.unwrap_or(u64::from(phy.cw_min()));
    let cw_max = raw.cw_max.unwrap_or(u64::from(phy.cw_max()));
    let mut windows_ok = true;
    if !is_window(cw_min) || cw_min > 1023 {
        c.fail(&key("cw_min"), format!("must be 2^k − 1 from 1 to 1023 (1, 3, 7, 15, 31, ...) (got {cw_min})"));
        windows_ok = false;
    }
    if !is_window(cw_max) || cw_max > MAX_CW || cw_max < cw_min {
        c.fail(
            &key("cw_max"),
            format!("must be 2^k − 1, at least cw_min ({cw_min}) and at most {MAX_CW} (got {cw_max})"),
        );
        windows_ok = false;
    }
    let (cw_min, cw_max) = if windows_ok { (cw_min as u32, cw_max as u32) } else { (phy.cw_min(), phy.cw_max()) };
    let max_stage = ((cw_max + 1) / (cw_min + 1)).trailing_zeros();
    let retry_limit = if (1..=255).contains(&raw.retry_limit) {
        raw.retry_limit as u32
    } else {
        c.fail(&key("retry_limit"), format!("must be an integer from 1 to 255 (got {})", raw.retry_limit));
        7
    };
    let contention = match raw.contention.as_str() {
        "bianchi" => ContentionModel::Bianchi,
        "none" => ContentionModel::None,
        other => {
            c.fail(&key("contention"), format!("unknown contention model {other:?}; allowed: \"bianchi\", \"none\""));
            ContentionModel::Bianchi
        }
    };
    let mac = WifiMac { phy, rate, cw_min, cw_max, max_stage, retry_limit, profile: raw.profile.clone(), contention };
    (mac, problems.0)
}

/// Resolves `mac.profile` against the built-ins overlaid with the scenario's `[energy.wifi_profiles]`, reporting
/// an unknown name at `links.access.wifi.profile` with the known ones listed, and validating the table.
pub(crate) fn resolve_wifi_profile(
    c: &mut Checker,
    mac: &WifiMac,
    scenario_profiles: &BTreeMap<String, RawWifiProfile>,
) -> WifiProfile {
    let mut catalogue = builtin_wifi_profiles();
    catalogue.extend(scenario_profiles.iter().map(|(k, v)| (k.clone(), v.clone())));
    match catalogue.get(&mac.profile) {
        Some(raw) => wifi_profile(c, &mac.profile, raw),
        None => {
            let known: Vec<&str> = catalogue.keys().map(String::as_str).collect();
            c.fail(
                "links.access.wifi.profile",
                format!("unknown Wi-Fi profile {:?}; known: {}", mac.profile, known.join(", ")),
            );
            WifiProfile::esp32()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_validate() {
        // An empty table is the default: 11g, 54 Mbit/s, short slot, CWmin 15, CWmax 1023 → m = log2(1024/16) = 6.
        let raw: RawWifi = toml::from_str("").unwrap();
        assert_eq!(raw, RawWifi::default());
        let (mac, problems) = check_wifi(&raw);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!((mac.phy, mac.rate.map(|r| r.mbps)), (Phy::g(true), Some(54.0)));
        assert_eq!((mac.cw_min, mac.cw_max, mac.max_stage, mac.retry_limit), (15, 1023, 6, 7));
        assert_eq!((mac.w(), mac.contention, mac.profile.as_str()), (16, ContentionModel::None, "esp32"));
        // 11b: CWmin 31 → m = log2(1024/32) = 5; rate 0 = adaptation.
        let raw: RawWifi = toml::from_str("phy = \"11b\"\nrate_mbps = 0\nshort_preamble = true").unwrap();
        let (mac, problems) = check_wifi(&raw);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!((mac.phy, mac.rate, mac.cw_min, mac.max_stage), (Phy::b(true), None, 31, 5));
        // `none` contention: one station whatever n.
        let raw = RawWifi { contention: "none".into(), cw_min: Some(31), ..RawWifi::default() };
        let (mac, _) = check_wifi(&raw);
        assert_eq!(mac.contention(40).collision_prob, 0.0);
        assert!(RawWifi::default().clone() != raw);
        assert!(toml::from_str::<RawWifi>("slot = 9").is_err(), "unknown keys are rejected");
    }

    #[test]
    fn bad_values_name_their_key_and_the_allowed_values() {
        let raw = RawWifi {
            phy: "11ac".into(),
            rate_mbps: 11.0,
            cw_min: Some(16),
            cw_max: Some(7),
            retry_limit: 0,
            contention: "aloha".into(),
            ..RawWifi::default()
        };
        let (_, problems) = check_wifi(&raw);
        let keys: Vec<&str> = problems.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "links.access.wifi.phy",
                "links.access.wifi.rate_mbps",
                "links.access.wifi.cw_min",
                "links.access.wifi.cw_max",
                "links.access.wifi.retry_limit",
                "links.access.wifi.contention"
            ]
        );
        assert!(problems[0].1.contains("\"11b\", \"11g\", \"11n\""), "{}", problems[0].1);
        // 11 Mbit/s is not an 11g (fallback PHY) rate: the message lists them.
        assert!(problems[1].1.contains("6, 9, 12, 18, 24, 36, 48, 54, or 0"), "{}", problems[1].1);
        assert!(problems[5].1.contains("\"bianchi\", \"none\""));
        // 11n rates are accepted as the HT20 rates.
        let raw = RawWifi { phy: "11n".into(), rate_mbps: 65.0, ..RawWifi::default() };
        assert_eq!(check_wifi(&raw).0.rate.and_then(|r| r.mcs), Some(7));
    }

    #[test]
    fn builtin_profile_is_the_datasheet_table() {
        let raw = &builtin_wifi_profiles()["esp32"];
        // ESP32-WROOM-32E datasheet v2.0 Table 16: 239 / 190 / 183 mA TX, 112 mA RX, at 3.3 V.
        assert_eq!((raw.tx_11b_ma, raw.tx_11g_ma, raw.tx_11n_ma, raw.rx_ma), (239.0, 190.0, 183.0, 112.0));
        let mut c = Checker::new();
        let p = wifi_profile(&mut c, "esp32", raw);
        let e = WifiProfile::esp32();
        let pairs = [(p.tx_11b_a, e.tx_11b_a), (p.tx_11g_a, e.tx_11g_a), (p.tx_11n_a, e.tx_11n_a), (p.rx_a, e.rx_a)];
        assert!(pairs.iter().all(|(a, b)| (a - b).abs() < 1e-15) && p.listen_a == p.rx_a && p.supply_v == 3.3);
        let parsed: RawWifiProfile = toml::from_str(
            "supply_v = 3.3\ntx_11b_ma = 239\ntx_11g_ma = 190\ntx_11n_ma = 183\nrx_ma = 112\nlisten_ma = 112",
        )
        .unwrap();
        assert_eq!(&parsed, raw);
        let mac = check_wifi(&RawWifi::default()).0;
        let user = BTreeMap::from([("mine".to_string(), RawWifiProfile { rx_ma: 50.0, ..raw.clone() })]);
        let mine = resolve_wifi_profile(&mut c, &WifiMac { profile: "mine".into(), ..mac.clone() }, &user);
        assert!((mine.rx_a - 0.05).abs() < 1e-15);
        assert_eq!(resolve_wifi_profile(&mut c, &mac, &user), p);
    }
}
