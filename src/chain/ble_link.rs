//! Connection events of every BAN link under `links.ban.mac = "ble"`: when a packet may leave, how its link-layer
//! PDUs fill connection events, what each end pays, and the idle events in between, charged in closed form.
//!
//! Link `w` (wearable `w`'s BAN link) has connection events at `t_k = anchor + k·interval`, k = 0, 1, ...; its
//! anchor is drawn once, uniform over one interval, from the link's own stream (the connection was set up at event
//! 0, which is not charged). A packet handed to an idle link at `now` waits for the first event at or after `now`
//! (a wearable may use any event when it has data, whatever its peripheral latency). Its PDUs then go one per PDU
//! pair — the gateway (central) sends an empty PDU, the wearable answers with a data PDU, an inter-frame space of
//! 150 µs between every two packets — and a pair that would end after the event length waits for the next event
//! (the more-data bit keeps the wearable awake for it). A lost PDU is resent in the next pair (link-layer
//! acknowledgement), up to `max_retries` times, after which the packet is dropped. A packet queued behind another
//! goes on in the same event when it fits there.
//!
//! Idle events are never simulated. Between two state changes (a transfer, a sample, the end of the run) the
//! central attends every event and the wearable every `(1 + peripheral latency)`-th after its last data event; the
//! count of each is computed and charged at once (count × the charge of an event of two empty PDUs), at the time of
//! the last one, so that a run's event count grows with packets, not with connection events.

use crate::chain::ble::BleMac;
use crate::energy::ble::{
    pdu_air_bytes, window_widening_s, BleEventCost, BleRole, AIR_S_PER_BYTE, EMPTY_PDU_AIR_BYTES as EMPTY_AIR_BYTES,
    T_IFS_S,
};

/// Bytes of one BAN link's connection state (for [`crate::estimate`]).
pub const BLE_LINK_BYTES: usize = std::mem::size_of::<BleLink>();

/// One BAN link's connection state: 20 bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct BleLink {
    /// The channel's shadowing now, dB, as of the last event that carried data (`loss_model = "channel"`).
    shadow_db: f32,
    /// Time of event 0, ns (below one interval, at most 4 s).
    anchor_ns: u32,
    /// The last event that carried data (the wearable's idle events follow on from it).
    grid_k: u32,
    /// Every event up to this one has been charged.
    settled_k: u32,
    /// In event `grid_k`: when its last PDU pair ended, ns after the anchor of that event.
    open_ns: u32,
}

/// Idle events owed by one link, to be charged to each end.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Upkeep {
    /// Idle events the wearable attended.
    pub peripheral_events: u64,
    /// When the last of them happened, ns.
    pub peripheral_last_ns: u64,
    /// Idle events the gateway attended.
    pub central_events: u64,
    /// When the last of them happened, ns.
    pub central_last_ns: u64,
}

/// One packet's transfer over a BAN link, decided when it starts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Transfer {
    /// When its last PDU pair ends, ns.
    pub end_ns: u64,
    /// Whether a PDU exhausted its retries (the packet is dropped at the wearable).
    pub lost: bool,
    /// The wearable's charge for its share of the events used, J.
    pub peripheral_j: f64,
    /// The gateway's, J.
    pub central_j: f64,
    /// Of these, the pairs spent on resent PDUs, J (both ends).
    pub retransmitted_j: f64,
    /// PDUs resent.
    pub retransmissions: u32,
    /// Bytes the wearable put on the air.
    pub air_bytes: u64,
}

/// Every BAN link's connection state and the costs of an event at each end.
#[derive(Debug, Clone)]
pub struct BleLinks {
    links: Vec<BleLink>,
    mac: BleMac,
    interval_ns: u64,
    /// 1 + peripheral latency: the wearable's idle events are this many intervals apart.
    skip: u32,
    peripheral: BleEventCost,
    central: BleEventCost,
    /// Supply voltage, V (charges in coulombs become joules).
    volts: f64,
    /// The charge of one idle event at each end, C.
    idle_peripheral_c: f64,
    idle_central_c: f64,
    /// T_IFS and the air time of one byte, ns (150 µs and 8 µs on the 1M PHY: whole nanoseconds).
    ifs_ns: u64,
    air_ns_per_byte: u64,
}

impl BleLinks {
    /// The links of `wearables` wearables, link `w`'s anchor at `anchor(w)` ns (below one interval).
    pub fn new(mac: &BleMac, wearables: u32, mut anchor: impl FnMut(u32) -> u64) -> Self {
        let interval_ns = mac.interval.as_nanos();
        let links = (0..wearables)
            .map(|w| BleLink { anchor_ns: (anchor(w) % interval_ns) as u32, ..BleLink::default() })
            .collect();
        let peripheral = BleEventCost::new(&mac.profile, BleRole::Peripheral);
        let central = BleEventCost::new(&mac.profile, BleRole::Central);
        let skip = mac.peripheral_latency + 1;
        let idle_widening = Self::widening(mac, skip as u64 * interval_ns);
        BleLinks {
            links,
            interval_ns,
            skip,
            volts: mac.profile.supply_v,
            idle_peripheral_c: peripheral.empty_event_c(idle_widening),
            idle_central_c: central.empty_event_c(0.0),
            peripheral,
            central,
            mac: mac.clone(),
            ifs_ns: (T_IFS_S * 1e9).round() as u64,
            air_ns_per_byte: (AIR_S_PER_BYTE * 1e9).round() as u64,
        }
    }

    fn widening(mac: &BleMac, since_ns: u64) -> f64 {
        window_widening_s(mac.sleep_clock_ppm, mac.sleep_clock_ppm, since_ns as f64 * 1e-9)
    }

    /// Energy of one idle event at the wearable and at the gateway, J.
    pub fn idle_event_j(&self) -> (f64, f64) {
        (self.idle_peripheral_c * self.volts, self.idle_central_c * self.volts)
    }

    /// Wearable's idle events are this far apart, ns; the gateway's every interval.
    pub fn periods_ns(&self) -> (u64, u64) {
        (self.skip as u64 * self.interval_ns, self.interval_ns)
    }

    /// Link `w`'s shadowing (dB) and when it was last drawn (the last event that carried data), ns.
    pub fn shadow(&self, w: usize) -> (f32, u64) {
        let l = &self.links[w];
        (l.shadow_db, self.t_ns(l, l.grid_k))
    }

    /// Sets link `w`'s shadowing, dB.
    pub fn set_shadow(&mut self, w: usize, shadow_db: f32) {
        self.links[w].shadow_db = shadow_db;
    }

    /// Number of links.
    pub fn len(&self) -> usize {
        self.links.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// Starts loading link `w`'s state into the cache.
    #[inline]
    pub fn prefetch(&self, w: usize) {
        crate::kernel::prefetch(&self.links[w]);
    }

    #[inline]
    fn t_ns(&self, l: &BleLink, k: u32) -> u64 {
        l.anchor_ns as u64 + k as u64 * self.interval_ns
    }

    /// Idle events of link `w` before `now_ns` not yet charged; marks them charged.
    pub fn settle(&mut self, w: usize, now_ns: u64) -> Upkeep {
        let l = self.links[w];
        // Nothing before the next event still to settle (as when a transfer starts right after its sample): no
        // division needed to find the last event before `now_ns`.
        if now_ns <= self.t_ns(&l, l.settled_k + 1) {
            return Upkeep::default();
        }
        let k_now = ((now_ns - l.anchor_ns as u64 - 1) / self.interval_ns) as u32; // > settled_k
        let on_grid = |x: u32| (x - l.grid_k) / self.skip;
        let (before, upto) = (on_grid(l.settled_k), on_grid(k_now));
        let last_attended = l.grid_k + upto * self.skip;
        self.links[w].settled_k = k_now;
        Upkeep {
            peripheral_events: (upto - before) as u64,
            peripheral_last_ns: self.t_ns(&l, last_attended),
            central_events: (k_now - l.settled_k) as u64,
            central_last_ns: self.t_ns(&l, k_now),
        }
    }

    /// Plans the transfer of a packet of `bytes` on link `w` handed over at `now_ns`: in the event still open after
    /// the previous packet if `continuing`, else from the first event at or after `now_ns`. `lost(air_bytes)` draws
    /// whether one PDU of that many on-air bytes is lost. Idle events before `now_ns` must have been settled.
    pub fn plan(
        &mut self,
        w: usize,
        now_ns: u64,
        continuing: bool,
        bytes: u32,
        max_retries: u32,
        mut lost: impl FnMut(u32) -> bool,
    ) -> Transfer {
        let l = self.links[w];
        let event_len = self.mac.event_length.as_nanos();
        let (ifs, ns_per_byte) = (self.ifs_ns, self.air_ns_per_byte);
        let air_ns = |b: u32| b as u64 * ns_per_byte;
        let mut out = Transfer::default();
        // The event being filled: its index, whether this transfer opened it, its pairs and air bytes so far.
        let (mut k, mut elapsed, mut opened) = if continuing {
            (l.grid_k, l.open_ns as u64, false)
        } else {
            let k = if now_ns <= l.anchor_ns as u64 {
                0
            } else {
                (now_ns - l.anchor_ns as u64).div_ceil(self.interval_ns) as u32
            };
            (k.max(l.settled_k + 1), 0, true)
        };
        let mut widening = if opened { self.widening_at(&l, k) } else { 0.0 };
        let (mut pairs, mut rx_air, mut tx_air) = (0u32, 0u32, 0u32);
        let (mut retx_pairs, mut retx_air) = (0u32, 0u32);
        'pdus: for size in PduSizes::new(&self.mac, bytes) {
            let air = pdu_air_bytes(size, self.mac.mic);
            let pair_ns = air_ns(EMPTY_AIR_BYTES) + ifs + air_ns(air);
            let mut attempts = 0u32;
            loop {
                let first_in_event = opened && pairs == 0;
                let start = if first_in_event { 0 } else { elapsed + ifs };
                if !first_in_event && start + pair_ns > event_len {
                    self.close_event(opened, pairs, rx_air, tx_air, widening, &mut out);
                    (k, elapsed, opened) = (k + 1, 0, true);
                    widening = Self::widening(&self.mac, self.interval_ns);
                    (pairs, rx_air, tx_air) = (0, 0, 0);
                    continue;
                }
                elapsed = start + pair_ns;
                pairs += 1;
                rx_air += EMPTY_AIR_BYTES;
                tx_air += air;
                out.air_bytes += air as u64;
                if attempts > 0 {
                    retx_pairs += 1;
                    retx_air += air;
                    out.retransmissions += 1;
                }
                attempts += 1;
                if !lost(air) {
                    break;
                }
                if attempts > max_retries {
                    out.lost = true;
                    break 'pdus;
                }
            }
        }
        self.close_event(opened, pairs, rx_air, tx_air, widening, &mut out);
        if retx_pairs > 0 {
            let empty = retx_pairs * EMPTY_AIR_BYTES;
            out.retransmitted_j = self.volts
                * (self.peripheral.added_pairs_c(retx_pairs, empty, retx_air)
                    + self.central.added_pairs_c(retx_pairs, retx_air, empty));
        }
        let link = &mut self.links[w];
        link.grid_k = k;
        link.settled_k = k;
        link.open_ns = elapsed as u32;
        out.end_ns = self.t_ns(&l, k) + elapsed;
        out
    }

    /// The wearable's receive-window widening at event `k`: the time since the last event it attended.
    fn widening_at(&self, l: &BleLink, k: u32) -> f64 {
        let last = l.grid_k + (k - 1 - l.grid_k) / self.skip * self.skip;
        Self::widening(&self.mac, (k - last) as u64 * self.interval_ns)
    }

    /// Charges an event's pairs: the whole event if this transfer opened it, else only the pairs it added.
    fn close_event(&self, opened: bool, pairs: u32, rx: u32, tx: u32, widening: f64, out: &mut Transfer) {
        if pairs == 0 {
            return;
        }
        let (p, c) = (&self.peripheral, &self.central);
        let (pc, cc) = if opened {
            (p.charge_c(pairs, rx, tx, widening), c.charge_c(pairs, tx, rx, 0.0))
        } else {
            (p.added_pairs_c(pairs, rx, tx), c.added_pairs_c(pairs, tx, rx))
        };
        out.peripheral_j += pc * self.volts;
        out.central_j += cc * self.volts;
    }
}

/// The link-layer payload sizes of a packet's PDUs, in order (see [`BleMac::pdus`]).
struct PduSizes {
    /// Packet bytes not yet put in a notification.
    left: u32,
    /// L2CAP bytes of the current notification not yet put in a PDU.
    in_notification: u32,
    per_notification: u32,
    data_length: u32,
    started: bool,
}

impl PduSizes {
    fn new(mac: &BleMac, bytes: u32) -> Self {
        PduSizes {
            left: bytes,
            in_notification: 0,
            per_notification: mac.att_mtu - crate::chain::ble::ATT_NOTIFY_HEADER_BYTES,
            data_length: mac.data_length,
            started: false,
        }
    }
}

impl Iterator for PduSizes {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.in_notification == 0 {
            if self.left == 0 && self.started {
                return None;
            }
            self.started = true;
            let chunk = self.left.min(self.per_notification);
            self.left -= chunk;
            self.in_notification =
                chunk + crate::chain::ble::ATT_NOTIFY_HEADER_BYTES + crate::chain::ble::L2CAP_HEADER_BYTES;
        }
        let size = self.in_notification.min(self.data_length);
        self.in_notification -= size;
        Some(size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::SimTime;
    use crate::scenario::checker::Checker;

    fn mac(interval_ms: u64, latency: u32, data_length: u32) -> BleMac {
        let builtin = crate::energy::ble::builtin_ble_profiles();
        BleMac {
            interval: SimTime::from_millis(interval_ms),
            peripheral_latency: latency,
            sleep_clock_ppm: 50.0,
            data_length,
            att_mtu: 247,
            mic: true,
            event_length: SimTime::from_micros(7500),
            profile: crate::energy::ble::ble_profile(&mut Checker::new(), "nrf52840", &builtin["nrf52840"]),
        }
    }

    /// The PDU iterator agrees with the closed-form count and byte total.
    #[test]
    fn pdu_sizes_match_the_segmentation() {
        for (dl, mtu) in [(27, 23), (27, 247), (251, 247), (251, 517), (100, 60)] {
            let mut m = mac(400, 0, dl);
            m.att_mtu = mtu;
            for bytes in [0u32, 1, 8, 20, 243, 244, 245, 735, 1230, 5000] {
                let sizes: Vec<u32> = PduSizes::new(&m, bytes).collect();
                let (n, total) = m.pdus(bytes);
                assert_eq!(sizes.len() as u32, n, "dl {dl} mtu {mtu} bytes {bytes}");
                assert_eq!(sizes.iter().map(|&s| s as u64).sum::<u64>(), total, "dl {dl} mtu {mtu} bytes {bytes}");
                assert!(sizes.iter().all(|&s| s > 0 && s <= dl));
            }
        }
    }

    /// The state stays at 20 bytes per wearable (memory per wearable is a target).
    #[test]
    fn a_link_is_twenty_bytes() {
        assert_eq!(BLE_LINK_BYTES, 20);
    }

    /// A packet waits for the next event; one 15-byte PDU ends 80 + 150 + 8·29 µs after the anchor.
    #[test]
    fn a_sample_waits_for_the_next_event() {
        let m = mac(400, 0, 251);
        let mut links = BleLinks::new(&m, 1, |_| 100_000_000); // anchor at 100 ms
        let now = 250_000_000; // 250 ms: the next event is k = 1 at 500 ms
        assert_eq!(links.settle(0, now), Upkeep { peripheral_events: 0, central_events: 0, ..Upkeep::default() });
        let t = links.plan(0, now, false, 8, 3, |_| false);
        // 8 bytes + 7 → 15-byte PDU, + 4 MIC + 10 = 29 air bytes: 80 µs + 150 µs + 232 µs.
        assert_eq!(t.end_ns, 500_000_000 + 80_000 + 150_000 + 232_000);
        assert_eq!((t.air_bytes, t.retransmissions, t.lost), (29, 0, false));
        // Two seconds later: events 2..=5 (900, 1300, 1700, 2100 ms) were idle at both ends.
        let u = links.settle(0, 2_250_000_000);
        assert_eq!((u.peripheral_events, u.central_events), (4, 4));
        assert_eq!((u.peripheral_last_ns, u.central_last_ns), (2_100_000_000, 2_100_000_000));
    }

    /// With peripheral latency 3, the wearable attends every fourth idle event after its last data event.
    #[test]
    fn peripheral_latency_thins_the_idle_events() {
        let m = mac(100, 3, 251);
        let mut links = BleLinks::new(&m, 1, |_| 0);
        links.plan(0, 1, false, 8, 3, |_| false); // data in event 1 (100 ms)
                                                  // Up to t = 1.05 s: events 2..=10 idle; the wearable attends 5 and 9, the central all nine.
        let u = links.settle(0, 1_050_000_000);
        assert_eq!((u.peripheral_events, u.central_events), (2, 9));
        assert_eq!(u.peripheral_last_ns, 900_000_000);
        // Settling again in pieces gives the same total.
        let u = links.settle(0, 1_250_000_000); // events 11, 12: the wearable attends none (next is 13)
        assert_eq!((u.peripheral_events, u.central_events), (0, 2));
        let u = links.settle(0, 1_350_000_000); // event 13
        assert_eq!((u.peripheral_events, u.central_events), (1, 1));
    }

    /// Big packets spill into the next events; every lost PDU is resent in the next pair, and a PDU lost more
    /// than `max_retries` times loses the packet.
    #[test]
    fn pdus_fill_events_and_are_resent_one_by_one() {
        let m = mac(400, 0, 251);
        let mut links = BleLinks::new(&m, 1, |_| 0);
        // 1230 bytes → notifications of 244: 5 full (251-byte PDUs) + 10 + 7 = 17 bytes: 6 PDUs. A 251-byte PDU pair
        // takes 80 + 150 + 2120 µs (265 air bytes) = 2350 µs; with the IFS between pairs, pairs end at 2350, 4850,
        // 7350 µs: three fit the 7.5 ms event, the next three go in the next event.
        let t = links.plan(0, 1, false, 1230, 3, |_| false);
        // In event 2: two 251-byte pairs (2350 µs each, 150 µs apart), then the 17-byte PDU (31 air bytes:
        // 80 + 150 + 248 µs) after another 150 µs.
        let last_pair = 2 * 2_350_000 + 2 * 150_000 + 80_000 + 150_000 + 31 * 8_000;
        assert_eq!(t.end_ns, 2 * 400_000_000 + last_pair);
        // Every first attempt lost once: 6 PDUs resent.
        let mut flip = false;
        let t = links.plan(0, 2_000_000_000, false, 1230, 3, |_| {
            flip = !flip;
            flip
        });
        assert_eq!((t.retransmissions, t.lost), (6, false));
        assert!(t.retransmitted_j > 0.0 && t.retransmitted_j < t.peripheral_j + t.central_j);
        // A PDU always lost: 1 + 3 attempts, then the packet is lost.
        let t = links.plan(0, 4_000_000_000, false, 8, 3, |_| true);
        assert_eq!((t.retransmissions, t.lost), (3, true));
    }

    /// A packet queued behind another goes on in the same event when it fits, and pays only its pairs.
    #[test]
    fn a_queued_packet_continues_the_open_event() {
        let m = mac(400, 0, 251);
        let mut links = BleLinks::new(&m, 1, |_| 0);
        let first = links.plan(0, 1, false, 8, 3, |_| false);
        let second = links.plan(0, first.end_ns, true, 8, 3, |_| false);
        assert_eq!(second.end_ns, first.end_ns + 150_000 + 80_000 + 150_000 + 232_000);
        // It pays its pair and bytes but not the event's fixed phases nor the widened first receive window.
        assert!(second.peripheral_j > 0.0 && second.peripheral_j < first.peripheral_j, "{second:?} vs {first:?}");
        // Both in event 1: nothing idle to settle until event 2.
        assert_eq!(links.settle(0, 800_000_000).central_events, 0);
        assert_eq!(links.settle(0, 800_000_001).central_events, 1);
    }
}
