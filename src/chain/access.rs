//! The access hop under `links.access.mac = "dcf"`: what one attempt to send a packet from a BAN gateway to its
//! cloudlet costs in time and energy under the IEEE 802.11 DCF ([`super::wifi`]).
//!
//! A packet of `b` bytes is sent as frames of at most `mtu_bytes` payload, each an MPDU of its payload plus
//! `header_bytes` (MAC header and FCS, LLC/SNAP, IP and UDP). Every frame costs the DCF's expected exchange at the
//! link's rate: DIFS, backoff, the data frame, SIFS and the ACK at the control rate, with the retries and waiting
//! that contention among the gateways of the same cloudlet brings ([`super::wifi::expected_exchange`]). The
//! gateway pays its transmit, receive and listening currents over those times, the cloudlet's access point the
//! mirror image ([`super::wifi::receiver_energy_j`]). Channel errors stay with the link's loss model, drawn per
//! attempt of the whole packet as on other links; under `loss_model = "channel"` the frame error curve is that of
//! the link's own rate ([`modulation_of`]), and rate adaptation picks, for each link, the fastest rate whose frame
//! error rate at the link's mean SNR stays at most [`RATE_PER_TARGET`] for a full frame — the same channel model
//! that then draws the losses.

use std::cell::Cell;

use crate::chain::channel::{ChannelSpec, LossModel, Modulation};
use crate::chain::config::FrameSplit;
use crate::chain::topology::Topology;
use crate::chain::wifi::{
    exchange_energy_j, expected_exchange, receiver_energy_j, Contention, Format, Rate, WifiMac, WifiProfile,
};
use crate::chain::{LinkClass, LinkSpec};

/// Rate adaptation's target: the fastest rate whose full frame is lost at most this often at the mean SNR (the
/// 10 % PER at which IEEE 802.11-2016 specifies receiver sensitivity, §17.3.10.2).
pub const RATE_PER_TARGET: f64 = 0.1;

/// The channel module's error curve for a Wi-Fi rate: the OFDM rates and HT MCSs by name, DSSS 1 and 2 Mbit/s;
/// HR/DSSS (CCK) 5.5 and 11 Mbit/s have no curve there and use DQPSK's (optimistic for CCK).
pub fn modulation_of(rate: &Rate) -> Modulation {
    use Modulation as M;
    match (rate.format, rate.mcs) {
        (Format::HtMixed, Some(m)) => {
            [M::HtMcs0, M::HtMcs1, M::HtMcs2, M::HtMcs3, M::HtMcs4, M::HtMcs5, M::HtMcs6, M::HtMcs7][m.min(7) as usize]
        }
        (Format::Dsss, _) if rate.mbps <= 1.0 => M::Dsss1,
        (Format::Dsss, _) => M::Dsss2,
        _ => match rate.mbps as u32 {
            6 => M::Ofdm6,
            9 => M::Ofdm9,
            12 => M::Ofdm12,
            18 => M::Ofdm18,
            24 => M::Ofdm24,
            36 => M::Ofdm36,
            48 => M::Ofdm48,
            _ => M::Ofdm54,
        },
    }
}

/// One attempt's cost.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AccessAttempt {
    /// How long the attempt occupies the gateway's link, s.
    pub time_s: f64,
    /// The gateway's transmit energy (data frames), J.
    pub gateway_tx_j: f64,
    /// The gateway's receive and listening energy (ACKs, DIFS, backoff, SIFS), J.
    pub gateway_rx_j: f64,
    /// The access point's energy (receiving the data, sending the ACKs, listening), J.
    pub cloudlet_j: f64,
}

/// The DCF state of every access link: its rate, and the contention at each cloudlet.
#[derive(Debug, Clone)]
pub struct AccessDcf {
    mac: WifiMac,
    profile: WifiProfile,
    /// The rate of each access link (by patient), or one rate for all.
    rates: Vec<Rate>,
    /// Under the channel model: each link's channel with its rate's error curve (by patient, or one for all).
    channels: Vec<LossModel>,
    /// Contention among the gateways attached to each cloudlet.
    contention: Vec<Contention>,
    /// Gateways attached to each cloudlet (kept for handovers).
    attached: Vec<u32>,
    /// The last attempt computed for each cloudlet, with its rate and payload: an attempt's cost depends on
    /// nothing else, and the packets uploaded to a cloudlet mostly have one size.
    last: Vec<Cell<Option<(Rate, u32, AccessAttempt)>>>,
    header_bytes: u32,
    mtu_bytes: u32,
}

impl AccessDcf {
    /// The access links of `topo` under `mac` and `profile`; with rate adaptation, each link's rate is the
    /// fastest its mean received power allows (`spec.loss` is then a channel, checked by validation).
    pub fn new(mac: &WifiMac, profile: &WifiProfile, spec: &LinkSpec, topo: &Topology) -> Self {
        let with_rate = |ch: &ChannelSpec, rate: &Rate| {
            ChannelSpec::new(
                modulation_of(rate),
                ch.tx_power_dbm,
                ch.noise_figure_db,
                ch.path_loss,
                ch.shadowing_sigma_db,
                ch.shadowing_correlation_s,
            )
        };
        let full_frame_bits = 8 * (spec.mtu_bytes.max(1) as u64 + spec.header_bytes as u64);
        let (rates, channels) = match (mac.rate, &spec.loss) {
            (Some(rate), LossModel::Channel(ch)) => (vec![rate], vec![LossModel::Channel(with_rate(ch, &rate))]),
            (Some(rate), _) => (vec![rate], vec![]),
            (None, LossModel::Channel(ch)) => topo
                .links()
                .filter(|l| l.link.class == LinkClass::Access)
                .map(|l| {
                    let pl = ch.mean_path_loss_db(l.link.distance_m);
                    let fits = |r: &Rate| {
                        with_rate(ch, r).frame_error_prob_at_path_loss(full_frame_bits, pl, 0.0) <= RATE_PER_TARGET
                    };
                    let rate = mac.phy.rates().iter().rev().find(|r| fits(r)).copied().unwrap_or(mac.phy.rates()[0]);
                    (rate, LossModel::Channel(with_rate(ch, &rate)))
                })
                .unzip(),
            (None, _) => (vec![mac.phy.rates()[0]], vec![]),
        };
        let mut attached = vec![0u32; topo.cloudlets as usize];
        for &c in &topo.cloudlet_of_patient {
            attached[c as usize] += 1;
        }
        AccessDcf {
            contention: attached.iter().map(|&n| mac.contention(n.max(1))).collect(),
            last: vec![Cell::new(None); attached.len()],
            attached,
            rates,
            channels,
            mac: mac.clone(),
            profile: *profile,
            header_bytes: spec.header_bytes,
            mtu_bytes: spec.mtu_bytes,
        }
    }

    /// A gateway moves from cloudlet `from` to cloudlet `to`: both cells' contention follows their new counts.
    pub fn reattach(&mut self, from: usize, to: usize) {
        self.attached[from] -= 1;
        self.attached[to] += 1;
        for c in [from, to] {
            self.contention[c] = self.mac.contention(self.attached[c].max(1));
            self.last[c].set(None);
        }
    }

    /// Under the channel model, patient `patient`'s access link's channel at its rate (`None` otherwise).
    #[inline]
    pub fn channel(&self, patient: usize) -> Option<&LossModel> {
        match self.channels.len() {
            0 => None,
            1 => self.channels.first(),
            _ => self.channels.get(patient),
        }
    }

    /// The rate of patient `patient`'s access link.
    pub fn rate(&self, patient: usize) -> Rate {
        self.rates[if self.rates.len() == 1 { 0 } else { patient }]
    }

    /// The cost of one attempt to send `payload_bytes` from patient `patient`'s gateway to cloudlet `cloudlet`.
    pub fn attempt(&self, patient: usize, cloudlet: usize, payload_bytes: u32) -> AccessAttempt {
        let rate = self.rate(patient);
        let last = &self.last[cloudlet];
        if let Some((r, b, a)) = last.get() {
            if r == rate && b == payload_bytes {
                return a;
            }
        }
        let a = self.compute_attempt(rate, cloudlet, payload_bytes);
        last.set(Some((rate, payload_bytes, a)));
        a
    }

    /// [`AccessDcf::attempt`] at `rate`, computed.
    fn compute_attempt(&self, rate: Rate, cloudlet: usize, payload_bytes: u32) -> AccessAttempt {
        let contention = &self.contention[cloudlet];
        let frames = FrameSplit::new(self.mtu_bytes, payload_bytes);
        let mut out = AccessAttempt::default();
        let mut frame = |payload: u32, times: u32| {
            let ex = expected_exchange(&self.mac.phy, rate, payload + self.header_bytes, contention);
            let (tx, rx) = exchange_energy_j(&self.profile, &ex, &self.mac.phy, rate);
            let (ap_tx, ap_rx) = receiver_energy_j(&self.profile, &ex, &self.mac.phy, rate);
            let n = times as f64;
            out.time_s += n * ex.total_s;
            out.gateway_tx_j += n * tx;
            out.gateway_rx_j += n * rx;
            out.cloudlet_j += n * (ap_tx + ap_rx);
        };
        if frames.full > 0 {
            frame(frames.size, frames.full);
        }
        if let Some(last) = frames.last {
            frame(last, 1);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::wifi::{dcf_exchange, Phy};

    /// Every 802.11g and 802.11n rate draws its losses from the error curve of its own modulation.
    #[test]
    fn each_rate_has_its_own_error_curve() {
        use crate::chain::wifi::phy::{RATES_11G, RATES_11N};
        let g: Vec<Modulation> = RATES_11G.iter().map(modulation_of).collect();
        let n: Vec<Modulation> = RATES_11N.iter().map(modulation_of).collect();
        use Modulation as M;
        assert_eq!(g, [M::Ofdm6, M::Ofdm9, M::Ofdm12, M::Ofdm18, M::Ofdm24, M::Ofdm36, M::Ofdm48, M::Ofdm54]);
        assert_eq!(n, [M::HtMcs0, M::HtMcs1, M::HtMcs2, M::HtMcs3, M::HtMcs4, M::HtMcs5, M::HtMcs6, M::HtMcs7]);
        // Faster curves need more SNR: at 15 dB a 1536-byte frame survives 24 Mbit/s far more often than 54.
        let bits = 8 * 1536;
        assert!(M::Ofdm24.ber_db(15.0) < M::Ofdm54.ber_db(15.0));
        assert!(crate::chain::channel::per_from_ber(M::Ofdm24.ber_db(15.0), bits) < 0.1);
        assert!(crate::chain::channel::per_from_ber(M::Ofdm54.ber_db(15.0), bits) > 0.9);
    }

    /// An 80-byte sample at 54 Mbit/s alone on the channel costs the DCF exchange of a 144-byte MPDU
    /// (80 + 64 header bytes), and a 3000-byte packet two full frames and one of 56 bytes.
    #[test]
    fn an_attempt_is_the_sum_of_its_frames_exchanges() {
        let text = "name = \"t\"\n[wearables]\ncount = 4\n[cloudlets]\ncount = 2\n";
        let cfg = crate::scenario::load_str(text, std::path::Path::new("t.toml"), &[]).expect("valid").config;
        let streams = crate::kernel::StreamFactory::new(1, 0);
        let topo = Topology::build(&cfg, &streams).expect("connected");
        let spec = cfg.link(LinkClass::Access);
        let (mac, profile) = spec.wifi.clone().expect("dcf is the default");
        let dcf = AccessDcf::new(&mac, &profile, spec, &topo);
        let rate = mac.rate.expect("54 Mbit/s by default");
        let phy = Phy::g(true);
        let one = dcf_exchange(&phy, rate, 80 + 64, 7.5);
        let a = dcf.attempt(0, 0, 80);
        assert!((a.time_s - one.total_s).abs() < 1e-12, "{a:?} vs {one:?}");
        let (tx, rx) = exchange_energy_j(&profile, &one, &phy, rate);
        assert!((a.gateway_tx_j - tx).abs() < 1e-15 && (a.gateway_rx_j - rx).abs() < 1e-15);
        let big = dcf.attempt(0, 0, 3000);
        let expect =
            2.0 * dcf_exchange(&phy, rate, 1472 + 64, 7.5).total_s + dcf_exchange(&phy, rate, 56 + 64, 7.5).total_s;
        assert!((big.time_s - expect).abs() < 1e-12);
    }
}
