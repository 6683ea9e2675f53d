//! The Wi-Fi access hop (BAN gateway → cloudlet access point) as IEEE 802.11 DCF: per-frame air time with the
//! PHY's preamble and the MAC's DIFS, backoff, SIFS and ACK ([`phy`], [`dcf`]); energy from a module's supply
//! currents ([`energy`]); rate adaptation from the SNR ([`phy::select_rate`]); and contention among the gateways
//! attached to one cloudlet by Bianchi's saturation model ([`bianchi`]). Scenario tables in [`raw`].
//!
//! A pure module: it keeps no state; the chain calls it. The model, its constants and their sources are in
//! `docs/model.md` ("Wi-Fi access hop").

pub mod bianchi;
pub mod dcf;
pub mod energy;
pub mod phy;
pub mod raw;

#[cfg(test)]
mod tests;

pub use bianchi::{bianchi, contention, saturation_throughput, Access, BianchiTiming, Contention};
pub use dcf::{dcf_exchange, expected_exchange, Exchange};
pub use energy::{exchange_energy_j, receiver_energy_j, WifiProfile};
pub use phy::{
    ack_airtime_s, ack_rate, frame_airtime_s, select_rate, select_rate_for_rx_dbm, Format, Phy, Rate, Standard,
};
pub use raw::{builtin_wifi_profiles, ContentionModel, RawWifi, RawWifiProfile, WifiMac};
