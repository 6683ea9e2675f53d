//! Tests of the BLE connection-event model against hand computations from Kindt et al.'s BLE112 parameters
//! (bleemod `ble_model_params_connected.h`), written out phase by phase, and against the Core Specification.

use super::profiles::{problems, to_si};
use super::*;

fn profile(name: &str) -> BleProfile {
    let raw = &builtin_ble_profiles()[name];
    assert!(problems(name, raw).is_empty(), "{name}: {:?}", problems(name, raw));
    to_si(name, raw)
}

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs().max(1e-30)
}

// BLE112 constants in ms and mA, so that ms × mA = µC (Kindt / bleemod).
const I_RX: f64 = 26.505;
const I_TX: f64 = 36.445;
/// Fixed phases, µC: head 0.578·5.924 = 3.424072; pre 0.305·7.691 = 2.345755; comm. preamble 0.073·12.238 =
/// 0.893374; transient 0.066·11.636 = 0.767976; post 0.860·7.980 = 6.8628; tail 0.080·4.129 = 0.33032.
const FIXED_UC: f64 = 3.424072 + 2.345755 + 0.893374 + 0.767976 + 6.8628 + 0.33032; // = 14.624297
const FIXED_MS: f64 = 0.578 + 0.305 + 0.073 + 0.066 + 0.860 + 0.080; // = 1.962
const RXTX_UC: f64 = 0.080 * 14.128; // = 1.13024
const TXRX_UC: f64 = 0.057 * 15.125; // = 0.862125
const QTO_UC: f64 = -1.2;

/// Kindt's peripheral event, µC, phase by phase: first pre-RX (0.388 ms + widening) at I_RX, the other n−1 pre-RX of
/// 0.123 ms at I_RX, 8 µs per received byte at I_RX, n pre-TX of 0.053 ms and 8 µs per sent byte at I_TX, n RX→TX,
/// n−1 TX→RX (the last is not made), n corrections.
fn hand_peripheral_uc(n: u32, rx: u32, tx: u32, widening_ms: f64) -> f64 {
    let n = f64::from(n);
    FIXED_UC
        + (0.388 + widening_ms) * I_RX
        + (n - 1.0) * 0.123 * I_RX
        + 0.008 * f64::from(rx) * I_RX
        + n * 0.053 * I_TX
        + 0.008 * f64::from(tx) * I_TX
        + n * RXTX_UC
        + (n - 1.0) * TXRX_UC
        + n * QTO_UC
}

/// Duration of the same, ms.
fn hand_peripheral_ms(n: u32, rx: u32, tx: u32, widening_ms: f64) -> f64 {
    let n = f64::from(n);
    FIXED_MS
        + 0.388
        + widening_ms
        + (n - 1.0) * 0.123
        + 0.008 * f64::from(rx + tx)
        + n * (0.053 + 0.080)
        + (n - 1.0) * 0.057
}

/// Kindt's central event, µC: n pre-RX of 0.123 ms, n−1 RX→TX (the last is not made), n TX→RX, no widening.
fn hand_central_uc(n: u32, rx: u32, tx: u32) -> f64 {
    let n = f64::from(n);
    FIXED_UC
        + n * 0.123 * I_RX
        + 0.008 * f64::from(rx) * I_RX
        + n * 0.053 * I_TX
        + 0.008 * f64::from(tx) * I_TX
        + (n - 1.0) * RXTX_UC
        + n * TXRX_UC
        + n * QTO_UC
}

#[test]
fn ble112_fixed_phases_are_14_62_uc() {
    let p = profile("ble112");
    // 14.624297 µC (MODEL-NOTES: "about 14.6 µC"); 1.962 ms.
    assert!(close(FIXED_UC, 14.624297, 1e-12));
    assert!(close(p.fixed_charge_c(), 14.624297e-6, 1e-9), "{}", p.fixed_charge_c());
    assert!(close(p.fixed_duration_s(), 1.962e-3, 1e-9));
}

#[test]
fn ble112_event_charge_matches_hand_computation() {
    let p = profile("ble112");
    let per = BleEventCost::new(&p, BleRole::Peripheral);
    let cen = BleEventCost::new(&p, BleRole::Central);
    let ww_s = window_widening_s(50.0, 50.0, 1.0); // Kindt: 2·50 ppm · T_c = 100 µs at T_c = 1 s
    let ww_ms = ww_s * 1e3;
    // (pairs, bytes received by the peripheral, bytes sent by it, the number the hand computation gives in µC).
    // Empty: 14.624297 + (0.388 + 0.1)·26.505 + 0.08·26.505 + (0.053 + 0.08)·36.445 + 1.13024 − 1.2 = 34.456562.
    // 27-byte notification (37 air bytes) acked by an empty PDU: + 27·0.008·36.445 = 42.328682.
    // 251-byte (261 air bytes; beyond BLE 4.0, the model extrapolated): 107.638122.
    // Four 27-byte notifications in one event (40 bytes in, 148 out): 99.005237.
    let cases = [
        (1, 10, 10, 34.456562, 24.514122),
        (1, 10, 37, 42.328682, 30.239202),
        (1, 10, 261, 107.638122, 77.736162),
        (4, 40, 148, 99.005237, 80.474637),
    ];
    for (n, rx, tx, want_per_uc, want_cen_uc) in cases {
        let hand = hand_peripheral_uc(n, rx, tx, ww_ms);
        assert!(close(hand, want_per_uc, 1e-8), "hand {hand} vs {want_per_uc}");
        let whole = per.whole_event_c(n, rx, tx, ww_s);
        assert!(close(whole, hand * 1e-6, 1e-9), "peripheral n={n} tx={tx}: {whole} vs {hand} µC");
        // charge_c is above sleep: whole − 0.9 µA × duration.
        let d_ms = hand_peripheral_ms(n, rx, tx, ww_ms);
        assert!(close(per.duration_s(n, rx, tx, ww_s), d_ms * 1e-3, 1e-9));
        assert!(close(per.charge_c(n, rx, tx, ww_s), hand * 1e-6 - 0.9e-6 * d_ms * 1e-3, 1e-9));
        // The central sends what the peripheral receives and receives what it sends; it ignores the widening.
        let hand_c = hand_central_uc(n, tx, rx);
        assert!(close(hand_c, want_cen_uc, 1e-8), "hand central {hand_c} vs {want_cen_uc}");
        assert!(close(cen.whole_event_c(n, tx, rx, ww_s), hand_c * 1e-6, 1e-9));
        assert_eq!(cen.charge_c(n, tx, rx, ww_s), cen.charge_c(n, tx, rx, 0.0));
    }
    assert_eq!(per.empty_event_c(ww_s), per.charge_c(1, 10, 10, ww_s));
}

#[test]
fn ble112_average_current_at_four_intervals() {
    let p = profile("ble112");
    // Kindt: I = (Q_event + (T_c − D_event)·I_sleep)/T_c, widening 100 ppm · T_c, one empty pair; and a 27-byte
    // notification each event. Q and D from the hand computation: at 7.5 ms Q = 31.825941 µC, D = 2.64375 ms.
    let cases = [
        (0.0075, 4244.0415, 5293.6316),
        (0.1, 321.58724, 400.30650),
        (1.0, 35.354093, 43.226019),
        (4.0, 11.501331, 13.469312),
    ]; // µA
    for (tc, want_empty_ua, want_27_ua) in cases {
        let ww_s = window_widening_s(50.0, 50.0, tc);
        for (tx, want_ua) in [(10, want_empty_ua), (37, want_27_ua)] {
            let q = hand_peripheral_uc(1, 10, tx, ww_s * 1e3) * 1e-6;
            let d = hand_peripheral_ms(1, 10, tx, ww_s * 1e3) * 1e-3;
            let hand_a = (q + (tc - d) * 0.9e-6) / tc;
            assert!(close(hand_a, want_ua * 1e-6, 1e-7), "T_c {tc}: hand {hand_a} vs {want_ua} µA");
            let got = avg_current_a(&p, BleRole::Peripheral, tc, 1, 10, tx, ww_s);
            assert!(close(got, hand_a, 1e-9), "T_c {tc}: {got} vs {hand_a}");
        }
    }
}

#[test]
fn charge_is_linear_in_bytes_pairs_and_widening() {
    for name in ["ble112", "nrf52840", "nrf52840_ldo"] {
        let p = profile(name);
        for role in [BleRole::Peripheral, BleRole::Central] {
            let c = BleEventCost::new(&p, role);
            let q = |n, rx, tx, w| c.charge_c(n, rx, tx, w);
            // One more received byte costs (I_RX − I_sleep)·8 µs; one more sent byte (I_TX − I_sleep)·8 µs.
            assert!(close(q(1, 11, 10, 0.0) - q(1, 10, 10, 0.0), (p.rx_a - p.sleep_a) * 8e-6, 1e-6));
            assert!(close(q(1, 10, 11, 0.0) - q(1, 10, 10, 0.0), (p.tx_a - p.sleep_a) * 8e-6, 1e-6));
            // One more pair adds the same charge whatever the count.
            let step = q(2, 20, 20, 0.0) - q(1, 10, 10, 0.0);
            assert!(close(q(7, 70, 70, 0.0) - q(6, 60, 60, 0.0), step, 1e-9));
            // Widening: (I_RX − I_sleep) per second for the peripheral, nothing for the central.
            let dw = q(1, 10, 10, 1e-4) - q(1, 10, 10, 0.0);
            match role {
                BleRole::Peripheral => assert!(close(dw, (p.rx_a - p.sleep_a) * 1e-4, 1e-6)),
                BleRole::Central => assert_eq!(dw, 0.0),
            }
        }
    }
}

#[test]
fn window_widening_follows_the_core_spec() {
    // (50 + 50) ppm over 1 s = 100 µs (Kindt's assumption); grows with both SCAs and the time since the anchor.
    assert!(close(window_widening_s(50.0, 50.0, 1.0), 100e-6, 1e-12));
    assert!(close(window_widening_s(20.0, 30.0, 4.0), 200e-6, 1e-12));
    assert!(window_widening_s(50.0, 60.0, 1.0) > window_widening_s(50.0, 50.0, 1.0));
    assert!(window_widening_s(50.0, 50.0, 2.0) > window_widening_s(50.0, 50.0, 1.0));
    assert_eq!(window_widening_s(50.0, 50.0, 0.0), 0.0);
}

#[test]
fn air_bytes_and_exchange_time_match_the_core_spec() {
    assert_eq!(pdu_air_bytes(0, false), 10); // empty PDU: 80 µs
    assert_eq!(pdu_air_bytes(27, false), 37); // 296 µs
    assert_eq!(pdu_air_bytes(27, true), 41); // 328 µs, the spec's default connMaxTxTime
    assert_eq!(pdu_air_bytes(251, true), 265); // 2120 µs, the longest LE 1M packet
    assert!(close(f64::from(pdu_air_bytes(251, true)) * AIR_S_PER_BYTE, 2120e-6, 1e-12));
    // One empty pair: 80 + 150 + 80 = 310 µs; three pairs of 37/10 bytes: 3·(296 + 80) + 5·150 = 1878 µs.
    assert!(close(exchange_time_s(10, 10, 1), 310e-6, 1e-12));
    assert!(close(exchange_time_s(30, 111, 3), 1878e-6, 1e-12));
    assert_eq!(exchange_time_s(0, 0, 0), 0.0);
}

#[test]
fn nrf52840_pair_overheads_fill_two_ifs_and_average_current_is_plausible() {
    let p = profile("nrf52840");
    let pair_s = p.pre_rx_s + p.pre_tx_s + p.rx_to_tx.duration_s + p.tx_to_rx.duration_s;
    assert!(close(pair_s, 2.0 * T_IFS_S, 1e-9));
    // 20 ppm at each end (a 32.768 kHz crystal, nRF52840 PS §5.4 LFXO; ours): 40 µs after 1 s.
    let ww = window_widening_s(20.0, 20.0, 1.0);
    let i = avg_current_a(&p, BleRole::Peripheral, 1.0, 1, 10, 10, ww);
    // Hand: fixed 0.36·0.25 + 0.1·3.2 + 0.14·6.26 + 0.2·3.2 = 1.9264 µC; first pre-RX (0.016 + 0.04)·6.26 =
    // 0.35056; RX 0.08·6.26 = 0.5008; RX→TX + pre-TX + TX (0.14 + 0.01 + 0.08)·6.4 = 1.472 → 4.24976 µC, plus
    // 3.16 µA sleep over (1 s − 1.166 ms; event 0.8 + 0.056 + 0.08 + 0.15 + 0.08 ms) ≈ 3.1563 µC: 7.4061 µA. No Nordic figure for the nRF52840 at 1 s could be
    // cited (the Online Power Profiler's numbers were not retrievable), so the range only brackets sleep (3.16 µA)
    // and a few-µC event: 4 to 15 µA.
    let hand_a = 4.24976e-6 + 3.16e-6 * (1.0 - 1.166e-3);
    assert!(close(i, hand_a, 1e-6), "{i} vs {hand_a}");
    assert!((4e-6..15e-6).contains(&i), "{i}");
    // The LDO profile draws more, the BLE112 more still.
    let ldo = avg_current_a(&profile("nrf52840_ldo"), BleRole::Peripheral, 1.0, 1, 10, 10, ww);
    let ble112 = avg_current_a(&profile("ble112"), BleRole::Peripheral, 1.0, 1, 10, 10, 100e-6);
    assert!(i < ldo && ldo < ble112, "{i} {ldo} {ble112}");
}

#[test]
fn validation_names_each_bad_field() {
    let mut raw = builtin_ble_profiles()["ble112"].clone();
    raw.head_ms = -1.0;
    raw.tx_ma = f64::NAN;
    raw.supply_v = 0.0;
    let keys: Vec<String> = problems("x", &raw).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        keys,
        ["energy.ble_profiles.x.head_ms", "energy.ble_profiles.x.tx_ma", "energy.ble_profiles.x.supply_v"]
    );
    // A correction as large as the fixed charge (14.62 µC) is refused; −1.2 µC is fine.
    let mut raw = builtin_ble_profiles()["ble112"].clone();
    raw.sequence_correction_uc = -15.0;
    assert_eq!(problems("x", &raw)[0].0, "energy.ble_profiles.x.sequence_correction_uc");
    raw.sequence_correction_uc = -1.2;
    assert!(problems("x", &raw).is_empty());
}

#[test]
fn raw_profile_round_trips_through_toml_and_rejects_unknown_keys() {
    let raw = builtin_ble_profiles()["nrf52840"].clone();
    let text = toml::to_string(&raw).expect("serialise");
    let back: RawBleProfile = toml::from_str(&text).expect("parse");
    assert_eq!(back, raw);
    assert!(toml::from_str::<RawBleProfile>(&format!("{text}\nbogus_ms = 1.0\n")).is_err());
}

#[test]
fn ble_profile_converts_to_si_units() {
    let mut c = crate::scenario::checker::Checker::new();
    let p = ble_profile(&mut c, "ble112", &builtin_ble_profiles()["ble112"]);
    assert_eq!(p, profile("ble112"));
    // 0.578 ms, 5.924 mA, −1.2 µC, 0.9 µA in SI.
    assert!(close(p.head.duration_s, 0.578e-3, 1e-12) && close(p.head.current_a, 5.924e-3, 1e-12));
    assert!(close(p.sequence_correction_c, -1.2e-6, 1e-12) && close(p.sleep_a, 0.9e-6, 1e-12));
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison with published measurements (docs/model.md, "BLE connection events", "Comparison with published
// measurements"). Only figures read in the source text are used. The result sections of Kindt et al. (2014
// preprint), Siekkinen et al. (WCNC 2012 workshops), Mikhaylov et al. (JSAN 2013) and the nRF52840 "practical
// extremes" whitepaper could not be read here (the stored copies give only their first page: title, abstract,
// contents), so none of their numbers is quoted or tested; in particular no published BLE112/CC2540 figure is tested.
// ---------------------------------------------------------------------------------------------------------------

/// Nordic Semiconductor, DevAcademy course "Designing Low-Power Bluetooth LE Products", topic on remote monitoring
/// (academy.nordicsemi.com/?p=46680), recalling its Lesson 4 measurement: a peripheral's average current fell from
/// "approximately 74 µA" at a 30 ms connection interval to "5-6 µA" at 1000 ms. The course's hardware is the nRF54L
/// series (its contents: "Powering nRF54L devices", "GPIO interrupt types on the nRF54L Series"); the exact DK,
/// supply, TX power and payload of that exercise are not stated in the text read (unverified). So this is a
/// different, newer Nordic chip than our `nrf52840` profile, measured on a DK with a PPK-class meter.
const ACADEMY_30MS_UA: f64 = 74.0;
const ACADEMY_1S_UA_RANGE: (f64, f64) = (5.0, 6.0);

#[test]
fn nordic_academy_figures_bracket_our_nrf52840_sleep_floor_but_show_twice_the_event_charge() {
    // Two points, two unknowns: I(T) = Q_e/T + I_floor (the model's own form, widening neglected: its unknown SCA
    // moves Q_e by < 0.3 µC). From 74 µA at 30 ms and m µA at 1 s: Q_e = (74 − m)/(1/0.03 − 1) µC,
    // I_floor = m − Q_e. m = 5: Q_e = 69/32.333 = 2.1340 µC, I_floor = 2.866 µA; m = 6: Q_e = 68/32.333 =
    // 2.1031 µC, I_floor = 3.897 µA.
    let infer = |m_ua: f64| {
        let q_uc = (ACADEMY_30MS_UA - m_ua) / (1.0 / 0.03 - 1.0);
        (q_uc, m_ua - q_uc)
    };
    let (q_lo_m, floor_lo) = infer(ACADEMY_1S_UA_RANGE.0);
    let (q_hi_m, floor_hi) = infer(ACADEMY_1S_UA_RANGE.1);
    assert!(close(q_lo_m, 2.134021, 1e-6) && close(floor_lo, 2.865979, 1e-6), "{q_lo_m} {floor_lo}");
    assert!(close(q_hi_m, 2.103093, 1e-6) && close(floor_hi, 3.896907, 1e-6), "{q_hi_m} {floor_hi}");

    let p = profile("nrf52840");
    // 1. The floor: our System ON sleep (PS ION_RAMON_RTC, 3.16 µA) lies inside the inferred 2.87..3.90 µA.
    assert!((floor_lo..floor_hi).contains(&(p.sleep_a * 1e6)), "{}", p.sleep_a);

    // 2. Our averages, peripheral, one empty pair, 20 + 20 ppm (hand computation as in the nRF52840 test above):
    // Q_event without widening = 1.9264 + 0.016·6.26 + 0.08·6.26 + 0.23·6.4 = 3.99936 µC in 1.126 ms.
    // 30 ms: widening 1.2 µs → Q = 3.99936 + 0.0012·6.26 = 4.006872 µC, D = 1.1272 ms;
    //        I = (4.006872 + (30 − 1.1272)·3.16e-3)/30 = 136.6037 µA (measured ≈ 74: ours ×1.85).
    // 1 s:   widening 40 µs → Q = 4.24976 µC, D = 1.166 ms; I = 7.4061 µA (measured 5-6: ours ×1.23..1.48).
    let at = |t_s: f64| avg_current_a(&p, BleRole::Peripheral, t_s, 1, 10, 10, window_widening_s(20.0, 20.0, t_s));
    let (i30, i1000) = (at(0.03), at(1.0));
    assert!(close(i30, 136.60367e-6, 1e-6), "{i30}");
    assert!(close(i1000, 7.406075e-6, 1e-6), "{i1000}");
    // At 1 s the event is ~60 % of the total and the different chip stays inside a ±50 % band (+23..+48 %), the
    // band we allow for a different chip/board/firmware with unknown payload and TX power.
    for m in [ACADEMY_1S_UA_RANGE.0, ACADEMY_1S_UA_RANGE.1] {
        let r = i1000 * 1e6 / m;
        assert!((0.5..1.5).contains(&r), "1 s: ours/measured {r}");
    }
    // At 30 ms the event dominates and ours is 1.85× the measurement: OUTSIDE that band. This assertion pins the
    // documented discrepancy (docs: the derived nRF52840 ramp-up and CPU phases are the suspects); whoever
    // recalibrates those constants must update the docs and this bound.
    let r30 = i30 * 1e6 / ACADEMY_30MS_UA;
    assert!((1.8..1.9).contains(&r30), "30 ms: ours/measured {r30}");
    // Our event charge above sleep, 4.006872 − 3.16 µA·1.1272 ms = 4.003310 µC, is 1.88..1.90× the inferred one
    // (2.10..2.13 µC).
    let ours_q_uc = BleEventCost::new(&p, BleRole::Peripheral).empty_event_c(window_widening_s(20.0, 20.0, 0.03)) * 1e6;
    assert!(close(ours_q_uc, 4.006872 - 3.16e-3 * 1.1272, 1e-6), "{ours_q_uc}");
    for q in [q_lo_m, q_hi_m] {
        assert!((1.85..1.95).contains(&(ours_q_uc / q)), "ours/inferred event charge {}", ours_q_uc / q);
    }
}

#[test]
fn nrf52840_event_charge_breakdown_locates_the_derived_constants_behind_the_gap() {
    // Where our 3.99936 µC (peripheral, empty pair, no widening) comes from, by source of the constant:
    // - PS-measured radio currents on air: RX 0.08 ms·6.26 + TX 0.08 ms·6.40 = 1.0128 µC (25 %);
    // - derived 140 µs ramp-ups charged at the full RX/TX current: communication preamble 0.14·6.26 = 0.8764 and
    //   RX→TX 0.14·6.40 = 0.896 → 1.7724 µC (44 %; the PS gives no ramp-up current);
    // - CPU at the PS current for illustrative durations: (0.10 + 0.20) ms·3.2 mA = 0.96 µC (24 %);
    // - the rest (HFXO head 0.09, guards 0.016·6.26 + 0.01·6.4 = 0.16416) = 0.25416 µC.
    // Only the first group is pinned by the PS; the 1.9× gap in the test above (2.1 µC inferred for a newer nRF54L
    // part) is of the size of the derived groups, so they are what a future nRF52840 calibration must fix.
    let p = profile("nrf52840");
    let on_air = 0.08e-3 * p.rx_a + 0.08e-3 * p.tx_a;
    let ramps = p.comm_preamble.charge_c() + p.rx_to_tx.charge_c();
    let cpu = p.pre_processing.charge_c() + p.post_processing.charge_c();
    let rest = p.head.charge_c() + p.pre_rx_first_peripheral_s * p.rx_a + p.pre_tx_s * p.tx_a;
    assert!(close(on_air, 1.0128e-6, 1e-9) && close(ramps, 1.7724e-6, 1e-9), "{on_air} {ramps}");
    assert!(close(cpu, 0.96e-6, 1e-9) && close(rest, 0.25416e-6, 1e-9), "{cpu} {rest}");
    let whole = BleEventCost::new(&p, BleRole::Peripheral).whole_event_c(1, 10, 10, 0.0);
    assert!(close(on_air + ramps + cpu + rest, whole, 1e-9), "{} vs {whole}", on_air + ramps + cpu + rest);
    assert!(close(whole, 3.99936e-6, 1e-9));
}
