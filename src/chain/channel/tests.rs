//! Tests of the channel module's composition: noise, PER, the loss models and what the defaults imply.

use super::raw::{validate_loss, RawChannel, RawLossModel};
use super::*;
use crate::scenario::checker::Checker;

/// The validated default channel of a class.
fn default_spec(class: &str) -> ChannelSpec {
    let mut c = Checker::new();
    match validate_loss(&mut c, class, RawLossModel::Channel, 0.0, 0.0, &RawChannel::default()) {
        LossModel::Channel(spec) => spec,
        other => panic!("{other:?}"),
    }
}

/// Mean PER over the stationary shadowing N(0, σ²): ∫ PER(PL + x) φ(x/σ)/σ dx, by Simpson's rule on
/// [−12σ, 12σ] with 4,000 intervals (the tails beyond carry less than 1e-32 of the mass).
fn mean_per(spec: &ChannelSpec, bits: u64, path_loss_db: f64) -> f64 {
    let sigma = spec.shadowing_sigma_db;
    let n = 4000;
    let (lo, hi) = (-12.0 * sigma, 12.0 * sigma);
    let h = (hi - lo) / n as f64;
    let f = |x: f64| {
        let density = (-0.5 * (x / sigma).powi(2)).exp() / (sigma * (2.0 * std::f64::consts::PI).sqrt());
        spec.frame_error_prob_at_path_loss(bits, path_loss_db, x as f32) * density
    };
    let mut sum = f(lo) + f(hi);
    for i in 1..n {
        sum += f(lo + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    sum * h / 3.0
}

#[test]
fn noise_floor_by_hand() {
    // 1 MHz, NF 6 dB: −174 + 10·log10(1e6) + 6 = −174 + 60 + 6 = −108 dBm.
    assert!((noise_floor_dbm(1.0e6, 6.0) + 108.0).abs() < 1e-12);
    // 20 MHz, NF 7 dB: −174 + 73.010 + 7 = −93.990 dBm.
    assert!((noise_floor_dbm(20.0e6, 7.0) + 93.990).abs() < 1e-3);
}

#[test]
fn per_matches_the_product_and_stays_precise() {
    // BER 0.01, 5 bits: 1 − 0.99^5 = 1 − 0.9509900499 = 0.0490099501.
    assert!((per_from_ber(0.01, 5) - 0.0490099501).abs() < 1e-12);
    for (ber, bits) in [(0.1f64, 1u64), (0.3, 7), (1e-3, 100)] {
        let direct = 1.0 - (1.0 - ber).powi(bits as i32);
        assert!((per_from_ber(ber, bits) - direct).abs() < 1e-14, "{ber} {bits}");
    }
    // BER 1e-12, 1e4 bits: 1 − (1 − 1e-12)^1e4 = 1e-8 − C(1e4, 2)·1e-24 + … = 1e-8·(1 − 5e-9). The naive
    // 1 − (1 − ber)^bits loses about four digits here (1 − 1e-12 is stored with a relative error of 1e-4 in
    // its distance from 1).
    let per = per_from_ber(1e-12, 10_000);
    assert!((per / (1e-8 * (1.0 - 5e-9)) - 1.0).abs() < 1e-12, "{per:e}");
    // Limits.
    assert_eq!(per_from_ber(0.0, 1000), 0.0);
    assert_eq!(per_from_ber(0.3, 0), 0.0);
    assert_eq!(per_from_ber(1.0, 3), 1.0);
    assert!((per_from_ber(0.5, 10) - (1.0 - 0.5f64.powi(10))).abs() < 1e-15);
    assert_eq!(per_from_ber(0.5, 100_000), 1.0);
}

#[test]
fn loss_models_compose_as_documented() {
    // Fixed: the same probability whatever the length; Ber: the product formula.
    let fixed = LossModel::Fixed { loss_prob: 0.01 };
    assert_eq!(fixed.frame_error_prob(8, 1.0, 0.0), 0.01);
    assert_eq!(fixed.frame_error_prob(80_000, 100.0, 20.0), 0.01);
    let ber = LossModel::Ber { ber: 1e-4 };
    assert_eq!(ber.frame_error_prob(296, 1.0, 0.0), per_from_ber(1e-4, 296));
    assert!(fixed.shadowing().is_none() && ber.shadowing().is_none());
    // Channel, BAN default at 1 m with a 39 dB shadowing fade, by hand:
    // noise = −174 + 60 + 8.06 = −105.94 dBm; P_rx = 0 − 55.9 − 39 = −94.9 dBm; SNR = 11.04 dB = 12.706;
    // BER = ½·exp(−12.706/2) = 8.7e-4; PER(296 bits) = 1 − (1 − BER)^296.
    let spec = default_spec("ban");
    assert!((spec.noise_floor_dbm() + 105.94).abs() < 1e-9);
    assert_eq!(spec.ebn0_per_snr(), 1.0);
    let snr_db: f64 = 0.0 - 55.9 - 39.0 + 105.94;
    let by_hand = per_from_ber(0.5 * (-0.5 * 10f64.powf(snr_db / 10.0)).exp(), 296);
    let model = LossModel::Channel(spec.clone());
    let got = model.frame_error_prob(296, 1.0, 39.0);
    assert!((got / by_hand - 1.0).abs() < 1e-6, "{got} vs {by_hand}");
    assert!((0.2..0.3).contains(&got), "{got}");
    // Longer frames, more loss; more shadowing, more loss.
    assert!(model.frame_error_prob(2120, 1.0, 39.0) > got);
    assert!(model.frame_error_prob(296, 1.0, 41.0) > got);
    assert_eq!(model.shadowing(), Some((3.8, 1.0)));
}

#[test]
fn what_the_defaults_imply() {
    // BAN: BLE 1M PDUs on air (Core spec): 27-byte payload 296 bits, 251-byte payload 2120 bits, at 1 m on the
    // body, averaged over the stationary shadowing.
    let ban = default_spec("ban");
    let pl = ban.mean_path_loss_db(1.0);
    let snr = ban.snr_db_at_path_loss(pl, 0.0);
    let (short, long) = (mean_per(&ban, 296, pl), mean_per(&ban, 2120, pl));
    eprintln!("BAN default, 1 m: PL {pl:.2} dB, mean SNR {snr:.2} dB, mean PER 27 B {short:.3e}, 251 B {long:.3e}");
    // 39 dB of margin above the sensitivity is 10σ: the losses are negligible.
    assert!((snr - 50.04).abs() < 0.01);
    assert!(short < 1e-15 && long < 1e-15 && long >= short);
    // The other CM3 2.4 GHz set (a = 29.3, b = −16.8, σ = 6.89 dB) for comparison: 71.1 dB at 1 m.
    let other = ChannelSpec::new(
        Modulation::Ble1M,
        0.0,
        ban.noise_figure_db,
        PathLoss::Cm3 { a_db_per_decade: 29.3, b_db: -16.8 },
        6.89,
        1.0,
    );
    let pl2 = other.mean_path_loss_db(1.0);
    let (s2, l2) = (mean_per(&other, 296, pl2), mean_per(&other, 2120, pl2));
    eprintln!("CM3 (29.3, -16.8, 6.89), 1 m: PL {pl2:.2} dB, mean PER 27 B {s2:.3e}, 251 B {l2:.3e}");
    assert!(s2 > 1e-5 && s2 < 1e-2 && l2 > s2);
    // BAN default at −20 dBm transmit power (nRF52840's lowest but one setting): margin 19 dB = 5σ.
    let quiet = ChannelSpec::new(Modulation::Ble1M, -20.0, ban.noise_figure_db, ban.path_loss, 3.8, 1.0);
    let (s3, l3) = (mean_per(&quiet, 296, pl), mean_per(&quiet, 2120, pl));
    eprintln!("BAN at -20 dBm, 1 m: mean PER 27 B {s3:.3e}, 251 B {l3:.3e}");
    assert!(s3 < 1e-3 && l3 > s3);
    // Access: 802.11g 54 Mbit/s, 1472 + 64 bytes per frame, at 10, 20, 30 and 40 m.
    let access = default_spec("access");
    for d in [10.0, 20.0, 30.0, 40.0] {
        let pl = access.mean_path_loss_db(d);
        let per = mean_per(&access, 1536 * 8, pl);
        eprintln!(
            "access default, {d} m: PL {pl:.2} dB, mean SNR {:.2} dB, mean PER {per:.3e}",
            access.snr_db_at_path_loss(pl, 0.0)
        );
    }
    let near = mean_per(&access, 1536 * 8, access.mean_path_loss_db(10.0));
    let far = mean_per(&access, 1536 * 8, access.mean_path_loss_db(40.0));
    assert!(near < 1e-3 && far > 0.5, "{near} {far}");
}

/// Above its error-free SNR every curve is exactly 0 (checked every 0.001 dB over 100 dB, then coarser up to
/// the overflow of the linear SNR), and the threshold is finite and not far above the point where it first is.
#[test]
fn every_curve_is_zero_above_its_error_free_snr() {
    for m in Modulation::ALL {
        let from = m.error_free_snr_db();
        assert!(from.is_finite() && from < 60.0, "{m:?}: {from}");
        assert!(m.ber_db(from - ber::ERROR_FREE_MARGIN_DB - 0.25) > 0.0, "{m:?}: {from}");
        for i in 0..100_000 {
            let snr_db = from + 0.001 * f64::from(i);
            assert_eq!(m.ber_db(snr_db), 0.0, "{m:?} at {snr_db} dB");
        }
        for i in 0..3000 {
            let snr_db = from + 0.1 * f64::from(i);
            assert_eq!(m.ber_db(snr_db), 0.0, "{m:?} at {snr_db} dB");
        }
        assert_eq!(m.ber_db(f64::INFINITY), 0.0, "{m:?}");
    }
}
