//! The `[energy]` table of a scenario file and the built-in radio profiles.
//!
//! Sources of every built-in figure are in `docs/model.md` ("Energy"); the short form is in the doc comment of each
//! catalogue entry below.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `[energy]`: radio, processor, idle and battery figures.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawEnergy {
    /// Radio profile (by name) used on each link class.
    pub radio: RawRadioChoice,
    /// Radio profiles by name. Built in: `first_order`, `two_ray`, `nrf2401a`, `cc2420`, `ble_1m`, `ieee802154`,
    /// `wifi_g`, `none`; a table here with a built-in name replaces it, any other name adds one.
    pub radios: BTreeMap<String, RawRadio>,
    /// BLE chip profiles by name, for `links.ban.ble.profile` (phase durations and currents of a connection
    /// event, sleep current, supply voltage). Built in: `ble112`, `nrf52840`, `nrf52840_ldo`; a table here with a
    /// built-in name replaces it, any other name adds one.
    pub ble_profiles: BTreeMap<String, crate::energy::ble::RawBleProfile>,
    /// Wi-Fi module profiles by name, for `links.access.wifi.profile` (supply voltage; transmit, receive and
    /// listen currents). Built in: `esp32`; a table here with a built-in name replaces it, any other name adds one.
    pub wifi_profiles: BTreeMap<String, crate::chain::wifi::RawWifiProfile>,
    /// Processor energy per cycle, by node kind.
    pub processor: RawProcessor,
    /// Idle (sleep) power, by node kind.
    pub idle: RawIdle,
    /// Battery capacity, by node kind.
    pub battery: RawBattery,
}

/// `[energy.radio]`: which radio profile each link class uses (the sender pays transmission, the receiver
/// reception, per attempt).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawRadioChoice {
    /// Profile on wearable → gateway links.
    pub ban: String,
    /// Profile on gateway → cloudlet links.
    pub access: String,
    /// Profile on cloudlet ↔ cloudlet links (wired by default: `none`).
    pub mesh: String,
    /// Profile on cloudlet ↔ remote cloud links (wired by default: `none`).
    pub wan: String,
}

impl Default for RawRadioChoice {
    fn default() -> Self {
        RawRadioChoice { ban: "ble_1m".into(), access: "wifi_g".into(), mesh: "none".into(), wan: "none".into() }
    }
}

/// Path-loss form of a radio profile.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RadioModel {
    /// E_tx = k·(tx_elec + amp·dⁿ), E_rx = k·rx_elec.
    Power,
    /// E_tx = k·(tx_elec + ε_fs·d²) below d0 = sqrt(ε_fs/ε_mp), k·(tx_elec + ε_mp·d⁴) above; E_rx = k·rx_elec.
    TwoRay,
}

/// `[energy.radios.<name>]`: a radio energy profile (k bits sent over d metres).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawRadio {
    /// `power` or `two_ray`.
    pub model: RadioModel,
    /// Transmitter electronics energy, in nJ per bit (>= 0).
    pub tx_elec_nj_per_bit: f64,
    /// Receiver electronics energy, in nJ per bit (>= 0).
    pub rx_elec_nj_per_bit: f64,
    /// `power` model: amplifier energy, in nJ per bit per metre^n (>= 0).
    #[serde(default)]
    pub amp_nj_per_bit_per_m_n: f64,
    /// `power` model: path-loss exponent n (>= 0).
    #[serde(default)]
    pub path_loss_exponent: f64,
    /// `two_ray` model: free-space amplifier energy ε_fs, in pJ per bit per m² (> 0).
    #[serde(default)]
    pub fs_pj_per_bit_per_m2: f64,
    /// `two_ray` model: multipath amplifier energy ε_mp, in pJ per bit per m⁴ (> 0).
    #[serde(default)]
    pub mp_pj_per_bit_per_m4: f64,
}

/// How cryptographic work takes time on a processor.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ProcessorTiming {
    /// Work occupies the processor for cycles ÷ clock: a sample leaves only once sealed, and work that finds the
    /// processor busy waits its turn (first come, first served; a cloudlet has `cloudlet_cores` processors).
    Queued,
    /// Work takes no simulated time (the simplification of earlier versions); utilisation is still reported.
    Instant,
}

/// `[energy.processor]`: the processors that do the cryptographic work, by node kind: clock, cores and energy per
/// cycle. Wearables and gateways run Cortex-M4 cycle counts (the schemes' `*_cycles`); cloudlets run server-class
/// (x86-64) cycle counts (the schemes' `server_*_cycles`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawProcessor {
    /// `queued` (work takes cycles ÷ clock and waits for a busy processor; the default) or `instant` (no time).
    pub timing: ProcessorTiming,
    /// Wearable processor energy, in nJ per cycle (nRF52840 at 64 MHz, 3.2 mA, 3 V with DC/DC: 0.15).
    pub wearable_nj_per_cycle: f64,
    /// BAN gateway processor energy, in nJ per cycle (an nRF52840-class hub by default).
    pub gateway_nj_per_cycle: f64,
    /// Cloudlet server energy, in nJ per server (x86-64) cycle of one core (> 0 or 0; see docs/model.md,
    /// "Processors", for the source of the default).
    pub cloudlet_nj_per_cycle: f64,
    /// Wearable clock, in Hz (> 0; nRF52840: 64 MHz Cortex-M4F, Nordic nRF52840 Product Specification v1.7 §1).
    pub wearable_clock_hz: f64,
    /// BAN gateway clock, in Hz (> 0; an nRF52840-class hub by default: 64 MHz).
    pub gateway_clock_hz: f64,
    /// Cloudlet core clock, in Hz (> 0; default: the base clock of the server CPU the `server_*_cycles` were
    /// measured on, see docs/model.md, "Processors").
    pub cloudlet_clock_hz: f64,
    /// Cores of a cloudlet that open sealed samples (1 to 1024; ours, illustrative: 8).
    pub cloudlet_cores: u64,
}

impl Default for RawProcessor {
    fn default() -> Self {
        RawProcessor {
            timing: ProcessorTiming::Queued,
            wearable_nj_per_cycle: 0.15,
            gateway_nj_per_cycle: 0.15,
            cloudlet_nj_per_cycle: CLOUDLET_NJ_PER_CYCLE,
            wearable_clock_hz: 64e6,
            gateway_clock_hz: 64e6,
            cloudlet_clock_hz: CLOUDLET_CLOCK_HZ,
            cloudlet_cores: 8,
        }
    }
}

/// The wearable's peak current without BLE, mA: the nRF52840's transmit current at 0 dBm, 3 V, DC/DC (PS).
pub const PEAK_CURRENT_MA: f64 = 6.4;

/// Default cloudlet core clock, Hz: the CPU the server cycle counts were measured on (docs/model.md, "Processors").
pub const CLOUDLET_CLOCK_HZ: f64 = crate::crypto::raw::SERVER_CLOCK_HZ;
/// Default cloudlet energy per server cycle of one core, nJ: see docs/model.md, "Processors".
pub const CLOUDLET_NJ_PER_CYCLE: f64 = 1.0;

/// `[energy.idle]`: power drawn all the time a node is alive, whatever it does.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawIdle {
    /// Wearable sleep power, in watts (ours, illustrative: 3 µA at 3 V, a BLE SoC sleeping with RTC on).
    pub wearable_w: f64,
    /// BAN gateway idle power, in watts (ours, illustrative: 10 mW, radios in low-power listen).
    pub gateway_w: f64,
    /// Cloudlet idle power, in watts (mains powered; 0 leaves it out of the totals).
    pub cloudlet_w: f64,
}

impl Default for RawIdle {
    fn default() -> Self {
        RawIdle { wearable_w: 9.0e-6, gateway_w: 0.01, cloudlet_w: 0.0 }
    }
}

/// `[energy.battery]`: capacities and the battery model. A node whose battery is empty dies: it stops sampling and
/// forwarding.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawBattery {
    /// Wearable battery, in joules (> 0; CR2032 coin cell, 225 mAh at 3.0 V = 2430 J).
    pub wearable_j: f64,
    /// BAN gateway battery, in joules (> 0; ours, illustrative: 3000 mAh at 3.85 V = 41,580 J).
    pub gateway_j: f64,
    /// Battery model of wearables and gateways: `ideal` (an energy store: empty when everything spent reaches the
    /// capacity) or `kibam` (Kinetic Battery Model, Manwell & McGowan 1993: two wells, empty when the available
    /// well is). Default `ideal`.
    pub model: BatteryModel,
    /// KiBaM: fraction c of the capacity in the available well, in (0, 1]; 1 is the ideal battery (default 0.625;
    /// unverified, not fitted to a CR2032: see docs/model.md, "Batteries").
    pub kibam_c: f64,
    /// KiBaM: conductance k between the wells, in 1/s (> 0; the k of dy1/dt = −I + k·(h2 − h1), not
    /// k' = k/(c(1 − c)); default 7.5e-7, i.e. 4.5e-5 per minute; unverified, as `kibam_c`).
    pub kibam_k_per_s: f64,
    /// Wearable supply voltage, in volts (> 0; default 3.0, a CR2032's nominal voltage): KiBaM current = power / V.
    pub wearable_supply_v: f64,
    /// Gateway supply voltage, in volts (> 0; default 3.85, the nominal voltage of the default 3000 mAh Li-ion
    /// cell): KiBaM current = power / V.
    pub gateway_supply_v: f64,
    /// Derating of the wearable's capacity for its peak current: `none`, `cr2032` (TI SWRA349, average of six
    /// vendors: 1.0 up to 15 mA, 0.91 at 30 mA and above) or `cr2032_poor` (the poorest cells: 0.5 at 30 mA).
    /// Default `none`.
    pub pulse_derating: PulseDerating,
    /// The wearable's peak current for the derating, in mA (> 0). Default: under `links.ban.mac = "ble"`, the
    /// largest current of the BLE profile (`links.ban.ble.profile`); otherwise 6.4, the nRF52840's BLE transmit
    /// current at 0 dBm and 3 V with DC/DC, the `ble_1m` profile's figure.
    pub peak_current_ma: Option<f64>,
}

impl Default for RawBattery {
    fn default() -> Self {
        RawBattery {
            wearable_j: 2_430.0,
            gateway_j: 41_580.0,
            model: BatteryModel::Ideal,
            kibam_c: 0.625,
            kibam_k_per_s: 7.5e-7,
            wearable_supply_v: 3.0,
            gateway_supply_v: 3.85,
            pulse_derating: PulseDerating::None,
            peak_current_ma: None,
        }
    }
}

/// Battery model.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BatteryModel {
    /// An energy store: empty when everything spent reaches the capacity.
    #[default]
    Ideal,
    /// The Kinetic Battery Model: empty when the available well is.
    Kibam,
}

impl BatteryModel {
    /// The name used in scenarios and outputs.
    pub fn name(self) -> &'static str {
        match self {
            BatteryModel::Ideal => "ideal",
            BatteryModel::Kibam => "kibam",
        }
    }
}

/// Pulse derating of the wearable's capacity.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PulseDerating {
    /// No derating.
    #[default]
    None,
    /// CR2032, average of the six vendors of TI SWRA349.
    Cr2032,
    /// CR2032, the poorest cells of TI SWRA349.
    Cr2032Poor,
}

impl PulseDerating {
    /// The name used in scenarios and outputs.
    pub fn name(self) -> &'static str {
        match self {
            PulseDerating::None => "none",
            PulseDerating::Cr2032 => "cr2032",
            PulseDerating::Cr2032Poor => "cr2032_poor",
        }
    }
}

/// The built-in radio profiles (sources: docs/model.md, "Energy").
pub fn builtin_radios() -> BTreeMap<String, RawRadio> {
    let power = |tx: f64, rx: f64, amp: f64, n: f64| RawRadio {
        model: RadioModel::Power,
        tx_elec_nj_per_bit: tx,
        rx_elec_nj_per_bit: rx,
        amp_nj_per_bit_per_m_n: amp,
        path_loss_exponent: n,
        fs_pj_per_bit_per_m2: 0.0,
        mp_pj_per_bit_per_m4: 0.0,
    };
    BTreeMap::from([
        // Heinzelman, Chandrakasan, Balakrishnan (HICSS 2000): E_elec 50 nJ/bit, ε_amp 100 pJ/bit/m², d².
        ("first_order".to_string(), power(50.0, 50.0, 0.1, 2.0)),
        // Heinzelman et al. (IEEE TWC 2002): ε_fs 10 pJ/bit/m², ε_mp 0.0013 pJ/bit/m⁴.
        (
            "two_ray".to_string(),
            RawRadio {
                model: RadioModel::TwoRay,
                tx_elec_nj_per_bit: 50.0,
                rx_elec_nj_per_bit: 50.0,
                amp_nj_per_bit_per_m_n: 0.0,
                path_loss_exponent: 0.0,
                fs_pj_per_bit_per_m2: 10.0,
                mp_pj_per_bit_per_m4: 0.0013,
            },
        ),
        // Javaid et al. 2013 (unverified): nRF2401A 16.7 / 36.1 nJ/bit, E_amp 1.97 nJ/bit/mⁿ, on-body LOS n = 3.38.
        ("nrf2401a".to_string(), power(16.7, 36.1, 1.97, 3.38)),
        // Javaid et al. 2013 (unverified): CC2420 96.9 / 172.8 nJ/bit, E_amp 271.97 nJ/bit/mⁿ, n = 3.38.
        ("cc2420".to_string(), power(96.9, 172.8, 271.97, 3.38)),
        // nRF52840 PS, 3 V DC/DC: BLE 1 Mbps TX 6.40 mA, RX 6.26 mA → 19.2 / 18.8 nJ/bit.
        ("ble_1m".to_string(), power(19.2, 18.8, 0.0, 0.0)),
        // nRF52840 PS, 3 V DC/DC: IEEE 802.15.4 250 kbps TX 6.40 mA, RX 6.53 mA → 76.8 / 78.4 nJ/bit.
        ("ieee802154".to_string(), power(76.8, 78.4, 0.0, 0.0)),
        // ESP32 datasheet (Espressif), 3.3 V: 802.11g 54 Mbit/s TX at 16 dBm 190 mA, RX 100 mA → 11.6 / 6.1 nJ/bit
        // at the PHY rate; fixed transmit power, so no distance term (not in MODEL-NOTES; see docs/model.md).
        ("wifi_g".to_string(), power(11.6, 6.1, 0.0, 0.0)),
        // Wired or uncounted links.
        ("none".to_string(), power(0.0, 0.0, 0.0, 0.0)),
    ])
}
