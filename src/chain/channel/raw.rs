//! The scenario keys of a link's loss model: `links.<class>.loss_model`, `links.<class>.ber` and the table
//! `[links.<class>.channel]`, their per-class defaults with sources, and their validation.
//!
//! Every `[links.<class>.channel]` key may be left out: [`validate_loss`] takes it from the class's default
//! ([`RawChannel::ban_default`] on `ban`, [`RawChannel::access_default`] on `access`); other classes (wired by
//! default) have no radio defaults, so a channel there must give every key.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ber::{nc_fsk_ber, Modulation};
use super::path_loss::{PathLoss, FREE_SPACE_PL_1M_2_4GHZ_DB};
use super::{noise_floor_dbm, ChannelSpec, LossModel};
use crate::scenario::checker::{shown, Checker, MAX_TIME_S};

/// Problems found, as (dotted key, message); [`validate_loss`] hands them to the [`Checker`].
type Issues = Vec<(String, String)>;

/// nRF52840 receiver sensitivity, BLE 1 Mbit/s, in dBm (Nordic nRF52840 Product Specification v1.x, radio
/// chapter, P_SENS,IT,BLE 1M: ideal transmitter, packets ≤ 37 bytes, BER = 1e-3).
pub const NRF52840_BLE_1M_SENSITIVITY_DBM: f64 = -95.0;
/// The bit error rate at which the nRF52840 sensitivity is specified (same table).
pub const SENSITIVITY_BER: f64 = 1e-3;
/// nRF52840 default transmit power, dBm (PS: TX power programmable −20…+8 dBm; 0 dBm is the figure the PS
/// gives its 6.40 mA TX current for, the current `[energy]` charges).
pub const NRF52840_TX_POWER_DBM: f64 = 0.0;
/// IEEE 802.15.6 CM3, hospital room, 2.4 GHz: slope a, dB per decade of distance in mm (IEEE P802.15-08-0780,
/// on-body path-loss parameters; see docs/model.md for the choice between the two 2.4 GHz sets).
pub const CM3_HOSPITAL_A_DB: f64 = 6.6;
/// CM3, hospital room, 2.4 GHz: intercept b, dB (same table).
pub const CM3_HOSPITAL_B_DB: f64 = 36.1;
/// CM3, hospital room, 2.4 GHz: σ_N, dB (same table).
pub const CM3_HOSPITAL_SIGMA_DB: f64 = 3.8;
/// Correlation time of on-body shadowing, s: the longest of Castalia's three correlation times (10, 250,
/// 1000 ms; Castalia `Simulations/Parameters/WirelessChannel/BANmodels/TemporalModel.txt`), chosen because
/// Castalia still conditions on the previous value after 1 s and forgets it only after its 5 s coherence time
/// (exp(−5 s / 1 s) = 0.7%).
pub const BAN_SHADOWING_CORRELATION_S: f64 = 1.0;
/// ESP32 transmit power for 802.11g 54 Mbit/s, dBm (ESP32-WROOM-32E datasheet v2.0, current consumption table:
/// 190 mA at +15 dBm, the figure `[energy]` charges).
pub const ESP32_OFDM54_TX_POWER_DBM: f64 = 15.0;
/// Wi-Fi receiver noise figure, dB: the value of Pei & Henderson's ns-3 validation set-up and ns-3's
/// `WifiPhy::RxNoiseFigure` default (7 dB).
pub const WIFI_NOISE_FIGURE_DB: f64 = 7.0;
/// Indoor path-loss exponent, office, 2.4 GHz: ITU-R P.1238 distance power loss coefficient N = 30 → n = 3.0
/// (Recommendation ITU-R P.1238, site-general model, table of N; value recalled from the table, unverified here).
pub const INDOOR_OFFICE_EXPONENT: f64 = 3.0;
/// Indoor shadowing σ, dB: IEEE 802.11 TGn channel model D (typical office), shadow fading beyond the breakpoint
/// (Erceg et al., IEEE 802.11-03/940r4; unverified here).
pub const INDOOR_SHADOWING_SIGMA_DB: f64 = 5.0;
/// Indoor shadowing correlation time, s (ours, illustrative: people walking through a room change the shadowing
/// on a time scale of about a second; no source found).
pub const INDOOR_SHADOWING_CORRELATION_S: f64 = 1.0;

/// Effective noise figure of the nRF52840 BLE 1M receiver under the non-coherent FSK curve, in dB: the NF at which
/// the curve meets the datasheet sensitivity. BER = ½·exp(−Eb/2N0) = 1e-3 ⇒ Eb/N0 = 2·ln(500) = 12.43 = 10.94 dB;
/// with B = R_b = 1 MHz, SNR = Eb/N0, so NF = −95 − (−174 + 60) − 10.94 = 8.06 dB.
pub fn ble_effective_noise_figure_db() -> f64 {
    let ebn0_needed = 2.0 * (1.0 / (2.0 * SENSITIVITY_BER)).ln();
    debug_assert!((nc_fsk_ber(ebn0_needed) - SENSITIVITY_BER).abs() < 1e-15);
    let snr_needed_db = 10.0 * (ebn0_needed / Modulation::Ble1M.ebn0(1.0)).log10();
    NRF52840_BLE_1M_SENSITIVITY_DBM - noise_floor_dbm(Modulation::Ble1M.noise_bandwidth_hz(), 0.0) - snr_needed_db
}

/// `links.<class>.loss_model`: how the link loses frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawLossModel {
    /// Each attempt is lost with probability `loss_prob`, whatever its length.
    #[default]
    Fixed,
    /// Independent bit errors at rate `ber`: PER = 1 − (1 − ber)^bits.
    Ber,
    /// Path loss, shadowing and noise from `[links.<class>.channel]`, through the modulation's BER curve.
    Channel,
}

/// `links.<class>.channel.path_loss`: the mean path-loss model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawPathLoss {
    /// IEEE 802.15.6 CM3 on-body: a·log10(d in mm) + b.
    Cm3,
    /// Log-distance: PL(1 m) + 10·n·log10(d / 1 m).
    LogDistance,
}

/// `[links.<class>.channel]`: the radio channel of a link whose `loss_model = "channel"`. Every key is optional
/// and defaults to the class's value (ban: BLE 1M on the body; access: 802.11g indoors).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawChannel {
    /// PHY: `ble_1m`, `ble_2m`, `ieee802154`, `dsss_1`, `dsss_2`, `ofdm_6` … `ofdm_54`, `ht_mcs0` … `ht_mcs7`.
    /// Defaults: ban `ble_1m`; access `ofdm_54`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modulation: Option<Modulation>,
    /// Transmit power, in dBm, from −100 to 50. Defaults: ban 0 (nRF52840 PS); access 15 (ESP32-WROOM-32E
    /// datasheet v2.0, 802.11g 54 Mbit/s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tx_power_dbm: Option<f64>,
    /// Receiver noise figure, in dB, from 0 to 40. Defaults: ban 8.06 (effective, from the nRF52840 sensitivity of
    /// −95 dBm at BER 1e-3 under the non-coherent FSK curve); access 7 (Pei & Henderson's ns-3 set-up).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise_figure_db: Option<f64>,
    /// `cm3` or `log_distance`. Defaults: ban `cm3`; access `log_distance`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_loss: Option<RawPathLoss>,
    /// CM3 slope a, in dB per decade of distance in mm, from 0 to 100. Default 6.6 (IEEE P802.15-08-0780, CM3,
    /// hospital room, 2.4 GHz).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cm3_a_db: Option<f64>,
    /// CM3 intercept b, in dB (loss at 1 mm), from −100 to 200. Default 36.1 (same source).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cm3_b_db: Option<f64>,
    /// Log-distance loss at 1 m, in dB, from 0 to 200. Default 40.05 (free space at 2.4 GHz, 20·log10(4π/λ)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_distance_pl0_db: Option<f64>,
    /// Log-distance exponent n, from 1 to 10. Default 3.0 (ITU-R P.1238, office at 2.4 GHz, N = 30).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_distance_exponent: Option<f64>,
    /// Shadowing standard deviation σ, in dB, from 0 to 30 (0 = no shadowing). Defaults: ban 3.8 (CM3 σ_N,
    /// hospital room, 2.4 GHz); access 5 (TGn model D, beyond the breakpoint).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shadowing_sigma_db: Option<f64>,
    /// Shadowing correlation time τ, in seconds, >= 0 (0 = a new independent value at every update). Defaults:
    /// ban 1 (Castalia's longest BAN correlation time); access 1 (ours, illustrative).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shadowing_correlation_s: Option<f64>,
}

impl RawChannel {
    /// The `ban` class's channel: BLE 1M GFSK from an nRF52840 at 0 dBm, IEEE 802.15.6 CM3 (hospital room,
    /// 2.4 GHz) with σ = 3.8 dB, τ = 1 s.
    pub fn ban_default() -> Self {
        RawChannel {
            modulation: Some(Modulation::Ble1M),
            tx_power_dbm: Some(NRF52840_TX_POWER_DBM),
            noise_figure_db: Some((ble_effective_noise_figure_db() * 100.0).round() / 100.0),
            path_loss: Some(RawPathLoss::Cm3),
            cm3_a_db: Some(CM3_HOSPITAL_A_DB),
            cm3_b_db: Some(CM3_HOSPITAL_B_DB),
            log_distance_pl0_db: Some(FREE_SPACE_PL_1M_2_4GHZ_DB),
            log_distance_exponent: Some(INDOOR_OFFICE_EXPONENT),
            shadowing_sigma_db: Some(CM3_HOSPITAL_SIGMA_DB),
            shadowing_correlation_s: Some(BAN_SHADOWING_CORRELATION_S),
        }
    }

    /// The `access` class's channel: 802.11g OFDM 54 Mbit/s from an ESP32 at 15 dBm, NF 7 dB, log-distance from
    /// free space at 1 m with n = 3.0, σ = 5 dB, τ = 1 s.
    pub fn access_default() -> Self {
        RawChannel {
            modulation: Some(Modulation::Ofdm54),
            tx_power_dbm: Some(ESP32_OFDM54_TX_POWER_DBM),
            noise_figure_db: Some(WIFI_NOISE_FIGURE_DB),
            path_loss: Some(RawPathLoss::LogDistance),
            cm3_a_db: Some(CM3_HOSPITAL_A_DB),
            cm3_b_db: Some(CM3_HOSPITAL_B_DB),
            log_distance_pl0_db: Some(FREE_SPACE_PL_1M_2_4GHZ_DB),
            log_distance_exponent: Some(INDOOR_OFFICE_EXPONENT),
            shadowing_sigma_db: Some(INDOOR_SHADOWING_SIGMA_DB),
            shadowing_correlation_s: Some(INDOOR_SHADOWING_CORRELATION_S),
        }
    }

    /// The class's defaults (`None` for classes without any), by class name.
    pub fn class_default(class: &str) -> Option<Self> {
        match class {
            "ban" => Some(Self::ban_default()),
            "access" => Some(Self::access_default()),
            _ => None,
        }
    }

    /// These values with the missing ones taken from `defaults`.
    fn or(&self, defaults: &RawChannel) -> RawChannel {
        RawChannel {
            modulation: self.modulation.or(defaults.modulation),
            tx_power_dbm: self.tx_power_dbm.or(defaults.tx_power_dbm),
            noise_figure_db: self.noise_figure_db.or(defaults.noise_figure_db),
            path_loss: self.path_loss.or(defaults.path_loss),
            cm3_a_db: self.cm3_a_db.or(defaults.cm3_a_db),
            cm3_b_db: self.cm3_b_db.or(defaults.cm3_b_db),
            log_distance_pl0_db: self.log_distance_pl0_db.or(defaults.log_distance_pl0_db),
            log_distance_exponent: self.log_distance_exponent.or(defaults.log_distance_exponent),
            shadowing_sigma_db: self.shadowing_sigma_db.or(defaults.shadowing_sigma_db),
            shadowing_correlation_s: self.shadowing_correlation_s.or(defaults.shadowing_correlation_s),
        }
    }
}

/// A value in [lo, hi] (finite); a missing one is reported as required.
fn ranged(c: &mut Issues, key: &str, v: Option<f64>, lo: f64, hi: f64, unit: &str) -> f64 {
    match v {
        None => {
            c.push((
                key.into(),
                format!("is required: this link class has no default (a number from {lo} to {hi}{unit})"),
            ));
            lo
        }
        Some(x) if x.is_finite() && (lo..=hi).contains(&x) => x,
        Some(x) => {
            c.push((key.into(), format!("must be a finite number from {lo} to {hi}{unit} (got {})", shown(x))));
            lo
        }
    }
}

/// A required choice; a missing one is reported.
fn required<T: Copy>(c: &mut Issues, key: &str, v: Option<T>, fallback: T, allowed: &str) -> T {
    v.unwrap_or_else(|| {
        c.push((key.into(), format!("is required: this link class has no default (allowed: {allowed})")));
        fallback
    })
}

/// Validates a link's loss keys and returns its loss model. Every value given is checked, whichever model is
/// chosen (so that no out-of-range value passes silently): `links.<class>.loss_prob` in [0, 1),
/// `links.<class>.ber` in [0, ½], and each `links.<class>.channel.<field>` given; the missing channel fields take
/// the class's defaults, and are required (reported under their keys) on classes that have none.
// Called by the links' validation once the integrator wires the loss models in (issue 12).
#[allow(dead_code)]
pub(crate) fn validate_loss(
    c: &mut Checker,
    class: &str,
    model: RawLossModel,
    loss_prob: f64,
    ber: f64,
    channel: &RawChannel,
) -> LossModel {
    let (loss, issues) = check_loss(class, model, loss_prob, ber, channel);
    for (key, message) in issues {
        c.fail(&key, message);
    }
    loss
}

/// [`validate_loss`] with the problems returned rather than recorded.
fn check_loss(class: &str, model: RawLossModel, loss_prob: f64, ber: f64, channel: &RawChannel) -> (LossModel, Issues) {
    let mut c = Issues::new();
    let key = |k: &str| format!("links.{class}.{k}");
    if !(0.0..1.0).contains(&loss_prob) {
        c.push((key("loss_prob"), format!("must be a probability in [0, 1) (got {})", shown(loss_prob))));
    }
    if !(0.0..=0.5).contains(&ber) {
        c.push((key("ber"), format!("must be a bit error rate in [0, 0.5] (got {})", shown(ber))));
    }
    let given = channel != &RawChannel::default();
    let loss = match model {
        RawLossModel::Fixed if !given => LossModel::Fixed { loss_prob },
        RawLossModel::Ber if !given => LossModel::Ber { ber },
        _ => {
            let spec = channel_spec(&mut c, class, channel);
            match model {
                RawLossModel::Fixed => LossModel::Fixed { loss_prob },
                RawLossModel::Ber => LossModel::Ber { ber },
                RawLossModel::Channel => LossModel::Channel(spec),
            }
        }
    };
    (loss, c)
}

/// `[links.<class>.channel]` merged with the class's defaults and checked.
fn channel_spec(c: &mut Issues, class: &str, raw: &RawChannel) -> ChannelSpec {
    let key = |k: &str| format!("links.{class}.channel.{k}");
    let r = raw.or(&RawChannel::class_default(class).unwrap_or_default());
    let modulation = required(c, &key("modulation"), r.modulation, Modulation::Ble1M, "ble_1m, ofdm_54, …");
    let tx_power_dbm = ranged(c, &key("tx_power_dbm"), r.tx_power_dbm, -100.0, 50.0, " dBm");
    let noise_figure_db = ranged(c, &key("noise_figure_db"), r.noise_figure_db, 0.0, 40.0, " dB");
    let kind = required(c, &key("path_loss"), r.path_loss, RawPathLoss::Cm3, "cm3, log_distance");
    // Both path-loss models' keys are checked when given, the chosen one's also when missing.
    let cm3 = kind == RawPathLoss::Cm3;
    let check = |c: &mut Issues, k: &str, v: Option<f64>, lo: f64, hi: f64, needed: bool| {
        if needed || v.is_some() {
            ranged(c, &key(k), v, lo, hi, " dB")
        } else {
            0.0
        }
    };
    let a = check(c, "cm3_a_db", r.cm3_a_db, 0.0, 100.0, cm3);
    let b = check(c, "cm3_b_db", r.cm3_b_db, -100.0, 200.0, cm3);
    let pl0 = check(c, "log_distance_pl0_db", r.log_distance_pl0_db, 0.0, 200.0, !cm3);
    let n = if !cm3 || r.log_distance_exponent.is_some() {
        ranged(c, &key("log_distance_exponent"), r.log_distance_exponent, 1.0, 10.0, "")
    } else {
        0.0
    };
    let path_loss = if cm3 {
        PathLoss::Cm3 { a_db_per_decade: a, b_db: b }
    } else {
        PathLoss::LogDistance { pl0_db: pl0, exponent: n }
    };
    let sigma = ranged(c, &key("shadowing_sigma_db"), r.shadowing_sigma_db, 0.0, 30.0, " dB");
    let tau = ranged(c, &key("shadowing_correlation_s"), r.shadowing_correlation_s, 0.0, MAX_TIME_S, " s");
    ChannelSpec::new(modulation, tx_power_dbm, noise_figure_db, path_loss, sigma, tau)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of the problems found.
    fn keys(issues: &Issues) -> Vec<&str> {
        issues.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn ble_noise_figure_from_the_sensitivity() {
        // Eb/N0 = 2·ln(500) = 12.429 → 10·log10(12.429) = 10.945 dB; floor −174 + 60 = −114 dBm;
        // NF = −95 + 114 − 10.945 = 8.055 dB.
        let nf = ble_effective_noise_figure_db();
        assert!((nf - 8.055).abs() < 1e-3, "{nf}");
        // At the sensitivity level the default BAN receiver sees BER 1e-3.
        let spec = ChannelSpec::new(
            Modulation::Ble1M,
            0.0,
            nf,
            PathLoss::LogDistance { pl0_db: 95.0, exponent: 2.0 },
            0.0,
            1.0,
        );
        let ber = spec.modulation.ber_db(spec.snr_db_at_path_loss(95.0, 0.0));
        assert!((ber - 1e-3).abs() < 1e-9, "{ber}");
    }

    #[test]
    fn defaults_validate_cleanly() {
        for class in ["ban", "access"] {
            let (m, issues) = check_loss(class, RawLossModel::Channel, 0.01, 0.0, &RawChannel::default());
            assert!(issues.is_empty(), "{issues:?}");
            let LossModel::Channel(spec) = m else { panic!("channel expected") };
            let expected = RawChannel::class_default(class).unwrap();
            assert_eq!(Some(spec.modulation), expected.modulation);
            assert_eq!(Some(spec.tx_power_dbm), expected.tx_power_dbm);
        }
        // A partial table keeps the class's other defaults.
        let partial = RawChannel { tx_power_dbm: Some(-20.0), ..RawChannel::default() };
        let (m, issues) = check_loss("ban", RawLossModel::Channel, 0.0, 0.0, &partial);
        assert!(issues.is_empty(), "{issues:?}");
        let LossModel::Channel(spec) = m else { panic!("channel expected") };
        assert_eq!((spec.tx_power_dbm, spec.shadowing_sigma_db), (-20.0, 3.8));
        assert_eq!(spec.path_loss, PathLoss::Cm3 { a_db_per_decade: 6.6, b_db: 36.1 });
        // The validate_loss wrapper records nothing for good values.
        let mut c = Checker::new();
        let m = validate_loss(&mut c, "access", RawLossModel::Channel, 0.0, 0.0, &RawChannel::default());
        assert!(matches!(m, LossModel::Channel(_)));
    }

    #[test]
    fn fixed_and_ber_models() {
        let (fixed, a) = check_loss("ban", RawLossModel::Fixed, 0.01, 0.0, &RawChannel::default());
        assert_eq!(fixed, LossModel::Fixed { loss_prob: 0.01 });
        let (ber, b) = check_loss("wan", RawLossModel::Ber, 0.0, 1e-6, &RawChannel::default());
        assert_eq!(ber, LossModel::Ber { ber: 1e-6 });
        assert!(a.is_empty() && b.is_empty());
        // ber = 0.5 is allowed (a fair coin), just above is not.
        assert!(check_loss("wan", RawLossModel::Ber, 0.0, 0.5, &RawChannel::default()).1.is_empty());
        assert_eq!(
            keys(&check_loss("wan", RawLossModel::Ber, 0.0, 0.5001, &RawChannel::default()).1),
            ["links.wan.ber"]
        );
    }

    #[test]
    fn every_key_is_range_checked() {
        let bad = RawChannel {
            tx_power_dbm: Some(f64::NAN),
            noise_figure_db: Some(-1.0),
            cm3_a_db: Some(f64::INFINITY),
            cm3_b_db: Some(500.0),
            log_distance_pl0_db: Some(-3.0),
            log_distance_exponent: Some(0.5),
            shadowing_sigma_db: Some(31.0),
            shadowing_correlation_s: Some(-1.0),
            ..RawChannel::default()
        };
        // Even with the fixed model chosen, the given channel keys are checked.
        let (_, issues) = check_loss("ban", RawLossModel::Fixed, 1.0, 0.6, &bad);
        let found = keys(&issues);
        for k in [
            "links.ban.loss_prob",
            "links.ban.ber",
            "links.ban.channel.tx_power_dbm",
            "links.ban.channel.noise_figure_db",
            "links.ban.channel.cm3_a_db",
            "links.ban.channel.cm3_b_db",
            "links.ban.channel.log_distance_pl0_db",
            "links.ban.channel.log_distance_exponent",
            "links.ban.channel.shadowing_sigma_db",
            "links.ban.channel.shadowing_correlation_s",
        ] {
            assert!(found.contains(&k), "{k} not reported: {issues:?}");
        }
        assert_eq!(found.len(), 10, "{issues:?}");
    }

    #[test]
    fn classes_without_defaults_need_every_key() {
        let (_, issues) = check_loss("mesh", RawLossModel::Channel, 0.0, 0.0, &RawChannel::default());
        let found = keys(&issues);
        for k in [
            "modulation",
            "tx_power_dbm",
            "noise_figure_db",
            "path_loss",
            "cm3_a_db",
            "cm3_b_db",
            "shadowing_sigma_db",
            "shadowing_correlation_s",
        ] {
            assert!(found.contains(&format!("links.mesh.channel.{k}").as_str()), "{k}: {issues:?}");
        }
    }

    #[test]
    fn toml_round_trip_and_unknown_keys() {
        let t: RawChannel =
            toml::from_str("modulation = \"ofdm_24\"\npath_loss = \"log_distance\"\ntx_power_dbm = 10.0").unwrap();
        assert_eq!(t.modulation, Some(Modulation::Ofdm24));
        assert_eq!(t.path_loss, Some(RawPathLoss::LogDistance));
        assert!(toml::from_str::<RawChannel>("tx_power = 1.0").is_err());
        let back: RawChannel = toml::from_str(&toml::to_string(&RawChannel::ban_default()).unwrap()).unwrap();
        assert_eq!(back, RawChannel::ban_default());
        let m: std::collections::BTreeMap<String, RawLossModel> =
            toml::from_str("a = \"channel\"\nb = \"ber\"").unwrap();
        assert_eq!(m["a"], RawLossModel::Channel);
    }
}
