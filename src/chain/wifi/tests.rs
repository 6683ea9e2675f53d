//! Hand computations and published figures for the Wi-Fi access hop.

use super::bianchi::*;
use super::dcf::*;
use super::energy::*;
use super::phy::*;

const US: f64 = 1e-6;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn eighty_byte_frame_at_54_short_and_long_slot() {
    // MODEL-NOTES: 80-byte payload at 54 Mbit/s, 11g, mean backoff CWmin/2 = 7.5 slots: about 185 µs (short slot)
    // and 290 µs (long). MPDU = 24-byte data-frame MAC header + 80 + 4-byte FCS = 108 bytes.
    // DATA: 16 + 8·108 + 6 = 886 bits / 216 bits per symbol = 4.10 → 5 symbols = 20 µs; + 20 µs preamble/SIGNAL
    //       + 6 µs signal extension = 46 µs.
    // ACK at 24 Mbit/s (highest basic rate ≤ 54): 16 + 112 + 6 = 134 / 96 = 1.40 → 2 symbols = 8 µs; + 20 + 6 = 34 µs.
    // Short slot: DIFS 10 + 2·9 = 28; backoff 7.5·9 = 67.5; SIFS 10 → 28 + 67.5 + 46 + 10 + 34 = 185.5 µs.
    // Long slot:  DIFS 10 + 2·20 = 50; backoff 7.5·20 = 150     → 50 + 150 + 46 + 10 + 34 = 290 µs.
    let g = Phy::g(true);
    let r54 = g.rate(54.0).unwrap();
    assert!(close(frame_airtime_s(&g, r54, 108), 46.0 * US, 1e-12));
    assert_eq!(ack_rate(&g, r54).mbps, 24.0);
    assert!(close(ack_airtime_s(&g, r54), 34.0 * US, 1e-12));
    let short = dcf_exchange(&g, r54, 108, 7.5);
    assert!(close(short.total_s, 185.5 * US, 1e-12), "{}", short.total_s);
    assert!(close(short.listen_s, (28.0 + 67.5 + 10.0) * US, 1e-12));
    assert!(close(short.tx_s, 46.0 * US, 1e-12) && close(short.rx_s, 34.0 * US, 1e-12));
    let long = dcf_exchange(&Phy::g(false), r54, 108, 7.5);
    assert!(close(long.total_s, 290.0 * US, 1e-12), "{}", long.total_s);
    // The 5-symbol DATA holds MPDUs of 106..=132 bytes: (4·216 − 22)/8 = 105.25 and (5·216 − 22)/8 = 132.25. So the
    // figure holds with an 8-byte LLC/SNAP header (116) or a 26-byte QoS header (110) too.
    assert!(close(frame_airtime_s(&g, r54, 105), 42.0 * US, 1e-12));
    assert!(close(frame_airtime_s(&g, r54, 132), 46.0 * US, 1e-12));
    assert!(close(frame_airtime_s(&g, r54, 133), 50.0 * US, 1e-12));
    // Today's simulator: 80 bytes at 54 Mbit/s = 640/54 = 11.85 µs of payload only; the exchange is 15.7× that.
}

#[test]
fn estimated_ack_tx_times_of_table_10_5() {
    // 802.11-2016 Table 10-5 (EstimatedAckTxTime, as quoted by ns-3): 304 µs for an HR/DSSS ACK (192 µs PLCP +
    // 112 bits at 1 Mbit/s) and 44 µs for an OFDM ACK at 6 Mbit/s (20 + 4·⌈134/24⌉ = 20 + 24); ERP adds the 6 µs
    // signal extension → 50 µs.
    let b = Phy::b(false);
    assert!(close(ppdu_airtime_s(RATES_11B[0], ACK_MPDU_BYTES, false), 304.0 * US, 1e-12));
    assert!(close(ack_airtime_s(&b, RATES_11B[0]), 304.0 * US, 1e-12));
    assert!(close(ppdu_airtime_s(RATES_11G[0], ACK_MPDU_BYTES, false), 50.0 * US, 1e-12));
}

#[test]
fn dsss_airtimes_by_hand() {
    // 108-byte MPDU = 864 bits. Long PLCP 192 µs.
    // 1 Mbit/s: 192 + 864 = 1056 µs. 2: 192 + 432 = 624. 5.5: 192 + ⌈157.09⌉ = 350. 11: 192 + ⌈78.55⌉ = 271.
    let long = Phy::b(false);
    for (r, want) in RATES_11B.iter().zip([1056.0, 624.0, 350.0, 271.0]) {
        assert!(close(frame_airtime_s(&long, *r, 108), want * US, 1e-12), "{} Mbit/s", r.mbps);
    }
    // Short preamble: 96 µs PLCP at 2, 5.5, 11 Mbit/s; 1 Mbit/s keeps the long one.
    let short = Phy::b(true);
    assert!(close(frame_airtime_s(&short, RATES_11B[0], 108), 1056.0 * US, 1e-12));
    assert!(close(frame_airtime_s(&short, RATES_11B[3], 108), (96.0 + 79.0) * US, 1e-12));
    // ACK for 11 Mbit/s at 2 Mbit/s (basic {1, 2}): 112/2 = 56 µs + 192 = 248 µs (long preamble).
    assert_eq!(ack_rate(&long, RATES_11B[3]).mbps, 2.0);
    assert!(close(ack_airtime_s(&long, RATES_11B[3]), 248.0 * US, 1e-12));
    // 11b timing: slot 20, SIFS 10, DIFS 50, CWmin 31.
    assert!(close(long.difs_s(), 50.0 * US, 1e-15) && long.cw_min() == 31);
}

#[test]
fn ht_airtime_and_ack_rates_by_hand() {
    // MCS7 (N_DBPS 260), 108-byte MPDU: 886 / 260 = 3.41 → 4 symbols = 16 µs; + 36 µs HT-mixed preamble + 6 µs
    // signal extension = 58 µs. MCS0 (26): 886/26 = 34.08 → 35 symbols = 140 µs → 182 µs.
    let n = Phy::n(true);
    assert!(close(frame_airtime_s(&n, RATES_11N[7], 108), 58.0 * US, 1e-12));
    assert!(close(frame_airtime_s(&n, RATES_11N[0], 108), 182.0 * US, 1e-12));
    // ACK rates from the non-HT reference rates and basic {6, 12, 24}: MCS0 → 6, MCS1, 2 → 12, MCS3..7 → 24.
    let want = [6.0, 12.0, 12.0, 24.0, 24.0, 24.0, 24.0, 24.0];
    for (r, w) in RATES_11N.iter().zip(want) {
        let ack = ack_rate(&n, *r);
        assert_eq!((ack.mbps, ack.format), (w, Format::ErpOfdm), "MCS{:?}", r.mcs);
    }
    // 11g: 6 → 6, 9 → 6, 12, 18 → 12, 24..54 → 24.
    let g = Phy::g(true);
    let want = [6.0, 6.0, 12.0, 12.0, 24.0, 24.0, 24.0, 24.0];
    for (r, w) in RATES_11G.iter().zip(want) {
        assert_eq!(ack_rate(&g, *r).mbps, w);
    }
}

#[test]
fn rate_adaptation_thresholds() {
    // Reference noise: kT0·B at 290 K over 20 MHz, in dBm.
    let kt_b_dbm = 10.0 * (1.380_649e-23 * 290.0 * 20e6 * 1e3_f64).log10();
    assert!(close(kt_b_dbm, NOISE_REFERENCE_DBM, 0.01), "{kt_b_dbm}");
    let g = Phy::g(true);
    // 54 Mbit/s needs −75 dBm (ESP32 Table 21): SNR 25.97 dB; 48 needs −77: 23.97 dB.
    assert_eq!(select_rate(&g, 26.0).unwrap().mbps, 54.0);
    assert_eq!(select_rate(&g, 25.9).unwrap().mbps, 48.0);
    // 6 Mbit/s needs −93 dBm: 7.97 dB; below that, nothing.
    assert_eq!(select_rate(&g, 8.0).unwrap().mbps, 6.0);
    assert!(select_rate(&g, 7.9).is_none());
    assert!(select_rate(&g, f64::NAN).is_none());
    // 11b reaches further: 1 Mbit/s at −97 dBm = 3.97 dB.
    assert_eq!(select_rate(&Phy::b(false), 4.0).unwrap().mbps, 1.0);
    assert_eq!(select_rate_for_rx_dbm(&Phy::n(true), -72.0).unwrap().mcs, Some(7));
    assert_eq!(select_rate_for_rx_dbm(&Phy::n(true), -72.5).unwrap().mcs, Some(6));
    // Monotone, and the ESP32 beats the standard's minimum sensitivity wherever the standard gives one.
    for phy in [Phy::b(false), g, Phy::n(true)] {
        let rates = phy.rates();
        for pair in rates.windows(2) {
            assert!(pair[0].esp32_sensitivity_dbm < pair[1].esp32_sensitivity_dbm);
        }
        for r in rates {
            if let Some(min) = r.ieee_min_sensitivity_dbm {
                assert!(r.esp32_sensitivity_dbm < min, "{} Mbit/s", r.mbps);
            }
        }
    }
}

#[test]
fn esp32_energy_of_the_185_us_exchange() {
    // Sender (gateway), 3.3 V: tx 46 µs · 190 mA = 8.74 µC → 28.842 µJ;
    // rx 34 µs · 112 mA + listen 105.5 µs · 112 mA = 139.5 µs · 112 mA = 15.624 µC → 51.559 µJ.
    let g = Phy::g(true);
    let r54 = g.rate(54.0).unwrap();
    let ex = dcf_exchange(&g, r54, 108, 7.5);
    let p = WifiProfile::esp32();
    let (tx, rx) = exchange_energy_j(&p, &ex, &g, r54);
    assert!(close(tx, 3.3 * 0.190 * 46e-6, 1e-15) && close(tx, 28.842e-6, 1e-12), "{tx}");
    assert!(close(rx, 3.3 * 0.112 * 139.5e-6, 1e-15) && close(rx, 51.5592e-6, 1e-12), "{rx}");
    // Access point: tx the ACK 34 µs at the 11g current; rx the 46 µs DATA + listen 105.5 µs at 112 mA.
    let (ap_tx, ap_rx) = receiver_energy_j(&p, &ex, &g, r54);
    assert!(close(ap_tx, 3.3 * 0.190 * 34e-6, 1e-15));
    assert!(close(ap_rx, 3.3 * 0.112 * (46.0 + 105.5) * 1e-6, 1e-15));
    // An HT frame's ACK is ERP-OFDM: the AP pays the 11g current for it.
    let n = Phy::n(true);
    let ex = dcf_exchange(&n, RATES_11N[7], 108, 7.5);
    let (ap_tx, _) = receiver_energy_j(&p, &ex, &n, RATES_11N[7]);
    assert!(close(ap_tx, 3.3 * 0.190 * ex.rx_s, 1e-15));
    let (tx, _) = exchange_energy_j(&p, &ex, &n, RATES_11N[7]);
    assert!(close(tx, 3.3 * 0.183 * 58e-6, 1e-15));
}

#[test]
fn bianchi_closed_forms_and_robustness() {
    // n = 1: p = 0, τ = 2/(W + 1).
    let (tau, p) = bianchi(1, 32, 3);
    assert_eq!(p, 0.0);
    assert!(close(tau, 2.0 / 33.0, 1e-15));
    // m = 0 (no doubling): τ = 2/(W + 1) whatever p.
    let (tau, p) = bianchi(10, 32, 0);
    assert!(close(tau, 2.0 / 33.0, 1e-15));
    assert!(close(p, 1.0 - (1.0 - 2.0 / 33.0_f64).powi(9), 1e-12));
    // The returned pair satisfies both equations, and p grows with n, for n = 2..1000.
    let mut last = 0.0;
    for n in (2..=1000).step_by(7) {
        for (w, m) in [(32, 3), (16, 6), (32, 5), (2, 10)] {
            let (tau, p) = bianchi(n, w, m);
            assert!(tau > 0.0 && tau < 1.0 && (0.0..1.0).contains(&p), "n={n} W={w} m={m}");
            let tau_eq7 = 2.0 * (1.0 - 2.0 * p)
                / ((1.0 - 2.0 * p) * (w as f64 + 1.0) + p * w as f64 * (1.0 - (2.0 * p).powi(m as i32)));
            if (p - 0.5).abs() > 1e-6 {
                assert!(close(tau, tau_eq7, 1e-9 * tau), "n={n} W={w} m={m}: {tau} vs {tau_eq7}");
            }
            assert!(close(p, 1.0 - (1.0 - tau).powi(n as i32 - 1), 1e-12), "n={n} W={w} m={m}");
        }
        let (_, p) = bianchi(n, 32, 3);
        assert!(p > last);
        last = p;
    }
}

#[test]
fn bianchi_table_i_throughput_shape() {
    // Bianchi §V–VI with his Table I and W = 32, m = 3: basic access loses throughput as n grows, RTS/CTS hardly
    // does, and RTS/CTS beats basic access from some n on for this 1023-byte payload. Values in the report.
    let t = BianchiTiming::table_i();
    let s = |n, a| saturation_throughput(n, 32, 3, &t, a);
    for n in [5, 10, 20, 50] {
        println!("n={n}: basic {:.4} rts/cts {:.4}", s(n, Access::Basic), s(n, Access::RtsCts));
    }
    assert!(s(5, Access::Basic) > s(10, Access::Basic) && s(10, Access::Basic) > s(50, Access::Basic));
    assert!((s(5, Access::RtsCts) - s(50, Access::RtsCts)).abs() < 0.02);
    assert!(s(50, Access::RtsCts) > s(50, Access::Basic));
    // T_s and T_c by hand (µs): basic T_s = 400 + 8184 + 28 + 1 + 240 + 128 + 1 = 8982, T_c = 400 + 8184 + 128 + 1
    // = 8713; RTS/CTS T_s = 288 + 28 + 1 + 240 + 28 + 1 + 8982 = 9568, T_c = 288 + 128 + 1 = 417.
    assert!(close(t.t_success_s(Access::Basic), 8982.0 * US, 1e-12));
    assert!(close(t.t_collision_s(Access::Basic), 8713.0 * US, 1e-12));
    assert!(close(t.t_success_s(Access::RtsCts), 9568.0 * US, 1e-12));
    assert!(close(t.t_collision_s(Access::RtsCts), 417.0 * US, 1e-12));
    // One station alone: P_tr = τ, P_s = 1, S = E[P] / ((1/τ − 1)σ + T_s) with τ = 2/33, i.e. the mean backoff
    // (W − 1)/2 = 15.5 idle slots per frame: 8184 / (15.5·50 + 8982) = 8184 / 9757 = 0.83878.
    assert!(close(s(1, Access::Basic), 8184.0 / (15.5 * 50.0 + 8982.0), 1e-12));
}

#[test]
fn contention_single_station_and_retry_limit() {
    // n = 1: p = 0, backoff CWmin/2 = 7.5 slots (W = 16), one attempt, no drops.
    let c = contention(1, 16, 6, 7);
    assert_eq!(c.collision_prob, 0.0);
    assert!(close(c.mean_backoff_slots_per_success, 7.5, 1e-12));
    assert_eq!((c.mean_attempts_per_success, c.drop_prob), (1.0, 0.0));
    // Hand check at n = 10, W = 16, m = 6, R = 7, with the solver's p:
    // backoff = Σ_{j<7} p^j (16·2^min(j,6) − 1)/2 / (1 − p^7), attempts = 1/(1 − p), drop = p^7.
    let c = contention(10, 16, 6, 7);
    let p = c.collision_prob;
    let mut sum = 0.0;
    for j in 0..7 {
        sum += p.powi(j) * (16.0 * 2f64.powi(j.min(6)) - 1.0) / 2.0;
    }
    assert!(close(c.mean_backoff_slots_per_success, sum / (1.0 - p.powi(7)), 1e-9));
    assert!(close(c.mean_attempts_per_success, 1.0 / (1.0 - p), 1e-12));
    assert!(close(c.drop_prob, p.powi(7), 1e-15));
    println!(
        "n=10 11g: p={p:.4} backoff={:.2} attempts={:.3} drop={:.2e}",
        sum / (1.0 - p.powi(7)),
        1.0 / (1.0 - p),
        p.powi(7)
    );
    // Without contention, expected_exchange is dcf_exchange with backoff CWmin/2: 185.5 µs.
    let g = Phy::g(true);
    let r54 = g.rate(54.0).unwrap();
    let alone = expected_exchange(&g, r54, 108, &contention(1, 16, 6, 7));
    assert!(close(alone.total_s, dcf_exchange(&g, r54, 108, 7.5).total_s, 1e-15));
    // With 10 saturated neighbours every term grows.
    let crowd = expected_exchange(&g, r54, 108, &c);
    assert!(crowd.tx_s > alone.tx_s && crowd.listen_s > alone.listen_s && crowd.rx_s == alone.rx_s);
}
