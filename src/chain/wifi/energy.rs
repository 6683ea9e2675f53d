//! Energy of a frame exchange from a Wi-Fi module's supply currents.

use super::dcf::Exchange;
use super::phy::{ack_rate, Format, Phy, Rate};

/// Supply currents of a Wi-Fi module, in SI units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WifiProfile {
    /// Supply voltage, V.
    pub supply_v: f64,
    /// Transmit current for DSSS/HR-DSSS (802.11b) PPDUs, A.
    pub tx_11b_a: f64,
    /// Transmit current for ERP-OFDM (802.11g) PPDUs, A.
    pub tx_11g_a: f64,
    /// Transmit current for HT (802.11n) PPDUs, A.
    pub tx_11n_a: f64,
    /// Receive current, A.
    pub rx_a: f64,
    /// Current while listening to the channel (DIFS, backoff, SIFS, deferral), A.
    pub listen_a: f64,
}

impl WifiProfile {
    /// ESP32-WROOM-32E at 3.3 V (ESP32-WROOM-32E & WROOM-32UE datasheet v2.0, §6.4 Table 16 "Current Consumption
    /// Depending on RF Modes", averages; TX rated at 100% duty cycle, RX with peripherals off and the CPU idle):
    /// TX 802.11b 1 Mbit/s @19.5 dBm 239 mA, 802.11g 54 Mbit/s @15 dBm 190 mA, 802.11n HT20 MCS7 @13 dBm 183 mA;
    /// RX 802.11b/g/n 20 MHz 112 mA. Listening uses the RX figure: carrier sense needs the receiver on, and the
    /// datasheet gives no separate listen current (Modem-sleep turns the radio off, so it cannot apply inside an
    /// exchange).
    pub fn esp32() -> WifiProfile {
        WifiProfile { supply_v: 3.3, tx_11b_a: 0.239, tx_11g_a: 0.190, tx_11n_a: 0.183, rx_a: 0.112, listen_a: 0.112 }
    }

    /// Transmit current for a PPDU of `format`, A.
    pub fn tx_a(&self, format: Format) -> f64 {
        match format {
            Format::Dsss => self.tx_11b_a,
            Format::ErpOfdm => self.tx_11g_a,
            Format::HtMixed => self.tx_11n_a,
        }
    }
}

/// The sender's (gateway's) energy for `ex`, sent at `rate`: (transmit J, receive + listen J) =
/// (V · I_tx(format of `rate`) · tx_s, V · (I_rx · rx_s + I_listen · listen_s)).
pub fn exchange_energy_j(profile: &WifiProfile, ex: &Exchange, _phy: &Phy, rate: Rate) -> (f64, f64) {
    let v = profile.supply_v;
    (v * profile.tx_a(rate.format) * ex.tx_s, v * (profile.rx_a * ex.rx_s + profile.listen_a * ex.listen_s))
}

/// The receiver's (cloudlet access point's) energy for the same exchange, should it run on a module like
/// `profile` (it is mains powered; this is for completeness): it receives the DATA (the sender's tx_s), transmits
/// the ACK (the sender's rx_s, in the ACK's format: non-HT for an HT data frame) and listens the rest:
/// (transmit J, receive + listen J).
pub fn receiver_energy_j(profile: &WifiProfile, ex: &Exchange, phy: &Phy, rate: Rate) -> (f64, f64) {
    let v = profile.supply_v;
    let ack = ack_rate(phy, rate);
    (v * profile.tx_a(ack.format) * ex.rx_s, v * (profile.rx_a * ex.tx_s + profile.listen_a * ex.listen_s))
}
