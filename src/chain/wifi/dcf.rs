//! One DCF frame exchange (basic access, no RTS/CTS) and its split into transmit, receive and listen time.

use super::bianchi::Contention;
use super::phy::{ack_airtime_s, frame_airtime_s, Phy, Rate};

/// Time of one frame exchange as the sender (the BAN gateway) spends it, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Exchange {
    /// Whole exchange: tx + rx + listen.
    pub total_s: f64,
    /// Transmitting DATA.
    pub tx_s: f64,
    /// Receiving the ACK.
    pub rx_s: f64,
    /// Listening to the channel: DIFS, backoff slots and SIFS (and, in [`expected_exchange`], deferring to other
    /// stations' frames and waiting out ACK timeouts).
    pub listen_s: f64,
}

/// One successful exchange: DIFS + `backoff_slots`·slot + DATA + SIFS + ACK (802.11-2016 10.3.2.3, 10.3.3,
/// 10.3.4.3). `mpdu_bytes` is the MPDU on air: MAC header (24 bytes for a data frame, 26 with QoS) + frame body +
/// 4-byte FCS. Listen = DIFS + backoff + SIFS, rx = ACK, tx = DATA. Use `backoff_slots` = CWmin/2 for an
/// uncontended frame, or [`Contention::mean_backoff_slots_per_success`].
pub fn dcf_exchange(phy: &Phy, rate: Rate, mpdu_bytes: u32, backoff_slots: f64) -> Exchange {
    let tx_s = frame_airtime_s(phy, rate, mpdu_bytes);
    let rx_s = ack_airtime_s(phy, rate);
    let listen_s = phy.difs_s() + backoff_slots * phy.slot_s() + phy.sifs_s();
    Exchange { total_s: tx_s + rx_s + listen_s, tx_s, rx_s, listen_s }
}

/// The mean cost of delivering one frame under contention `c` (from [`super::bianchi::contention`]), all the
/// stations sending frames of the same size and rate:
/// - tx = attempts · DATA;
/// - rx = one ACK;
/// - listen = attempts · DIFS + SIFS + (attempts − 1) · ACKTimeout + backoff · ((1 − p)·slot + p·T_busy), where
///   each backoff slot is, as in Bianchi's chain, busy with another station's exchange with probability p, and
///   T_busy = DATA + SIFS + ACK + DIFS (an exchange of another station; a collision among others lasts about as
///   long).
///
/// With p = 0 it equals [`dcf_exchange`] with the same backoff. Frames dropped at the retry limit are included:
/// their attempts are shared among the delivered frames.
pub fn expected_exchange(phy: &Phy, rate: Rate, mpdu_bytes: u32, c: &Contention) -> Exchange {
    let data = frame_airtime_s(phy, rate, mpdu_bytes);
    let ack = ack_airtime_s(phy, rate);
    let p = c.collision_prob;
    let attempts = c.mean_attempts_per_success;
    let busy = data + phy.sifs_s() + ack + phy.difs_s();
    let per_slot = (1.0 - p) * phy.slot_s() + p * busy;
    let tx_s = attempts * data;
    let rx_s = ack;
    let listen_s = attempts * phy.difs_s()
        + phy.sifs_s()
        + (attempts - 1.0) * phy.ack_timeout_s()
        + c.mean_backoff_slots_per_success * per_slot;
    Exchange { total_s: tx_s + rx_s + listen_s, tx_s, rx_s, listen_s }
}
