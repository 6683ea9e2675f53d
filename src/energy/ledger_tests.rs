//! Tests of the energy ledger's battery models (a child module of `ledger`).

use super::*;
use crate::energy::raw::{PulseDerating, RawEnergy};
use crate::scenario::checker::Checker;

/// Two wearables (0, 1), one gateway (2), one cloudlet (3), the cloud (4), with the default energy figures
/// and the battery model `model`.
fn ledger(model: BatteryModel, derating: PulseDerating) -> EnergyLedger {
    let mut raw = RawEnergy::default();
    raw.battery.model = model;
    raw.battery.pulse_derating = derating;
    let spec = crate::energy::validate::energy(&mut Checker::new(), &raw);
    EnergyLedger::new(&spec, 5, NodeId(2), NodeId(3), NodeId(4))
}

#[test]
fn kibam_idle_only_death_is_time_to_empty() {
    // A wearable that is never charged dies when its available well empties at the idle current,
    // 9 µW / 3 V = 3 µA, from full: time_to_empty of a 2430 J / 3 V = 810 C cell.
    let l = ledger(BatteryModel::Kibam, PulseDerating::None);
    let (battery, volts) = l.kibam_battery(NodeKind::Wearable).unwrap();
    assert_eq!((battery.capacity_c, volts), (810.0, 3.0));
    let t = battery.time_to_empty(battery.full(), 3e-6).unwrap();
    let expect = SimTime::from_secs_f64(t);
    assert_eq!(l.death_time(NodeId(0), SimTime::MAX), Some(expect));
    // Ideal: 2430 J / 9 µW = 2.7e8 s; KiBaM strands ≈ 0.56 C of 810 C, so it dies about 0.07% earlier.
    let ideal = ledger(BatteryModel::Ideal, PulseDerating::None);
    let ideal_t = ideal.death_time(NodeId(0), SimTime::MAX).unwrap().as_secs_f64();
    assert_eq!(ideal_t, 2.7e8);
    assert!((t / ideal_t - (1.0 - 0.5625 / 810.0)).abs() < 1e-6, "{t} vs {ideal_t}");
    // The same for a gateway: 10 mW / 3.85 V, 41 580 J / 3.85 V = 10 800 C.
    let (g, v) = l.kibam_battery(NodeKind::BanGateway).unwrap();
    let tg = g.time_to_empty(g.full(), 0.01 / v).unwrap();
    assert_eq!(l.death_time(NodeId(2), SimTime::MAX), Some(SimTime::from_secs_f64(tg)));
    assert_eq!(l.kibam_battery(NodeKind::Cloudlet), None);
    let far = SimTime::from_secs(10_000_000_000);
    assert!(l.alive(NodeId(3), far) && l.alive(NodeId(4), far));
}

#[test]
fn kibam_charges_come_from_the_available_well() {
    let mut l = ledger(BatteryModel::Kibam, PulseDerating::None);
    let (m, v) = l.kibam_battery(NodeKind::Wearable).unwrap();
    // A 30 J charge at 100 s: the wells advance 100 s at 3 µA, then 10 C leave the available well.
    let now = SimTime::from_secs(100);
    assert!(l.charge(NodeId(0), Account::RadioTx, 30.0, now));
    let (s, at) = l.kibam_state(NodeId(0)).unwrap();
    let expect = m.draw_instant(m.advance(m.full(), 3e-6, 100.0), 30.0 / v).unwrap();
    assert_eq!((s, at), (expect, now));
    assert_eq!(l.node(NodeId(0)).radio_tx_j, 30.0);
    // Its death is re-projected from there.
    let t = 100.0 + m.time_to_empty(s, 3e-6).unwrap();
    assert_eq!(l.death_time(NodeId(0), SimTime::MAX), Some(SimTime::from_secs_f64(t)));
    // A charge larger than the available well (506.25 − 10 − 0.0003 C, i.e. about 1488.7 J) kills it at once,
    // although the bound well still holds 303.75 C: the charge is not made.
    let later = SimTime::from_secs(200);
    assert!(!l.charge(NodeId(0), Account::Crypto, 1_500.0, later));
    assert_eq!(l.death_time(NodeId(0), SimTime::MAX), Some(later));
    assert!(!l.alive(NodeId(0), later));
    assert_eq!(l.node(NodeId(0)).crypto_j, 0.0);
    // The ideal battery pays the same 1500 J: 30 + 1500 J + idle < 2430 J.
    let mut ideal = ledger(BatteryModel::Ideal, PulseDerating::None);
    assert!(ideal.charge(NodeId(0), Account::RadioTx, 30.0, now));
    assert!(ideal.charge(NodeId(0), Account::Crypto, 1_500.0, later));
    // Cloudlets have no battery under either model.
    assert!(l.charge(NodeId(3), Account::Crypto, 1e9, later));
}

#[test]
fn ideal_model_unchanged() {
    // The ideal path: death when events + idle reach the capacity; a wearable account stays 24 bytes.
    assert_eq!(SPENT_BYTES, [24, 32]);
    let mut l = ledger(BatteryModel::Ideal, PulseDerating::None);
    assert!(l.kibam.is_none() && l.kibam_state(NodeId(0)).is_none());
    // 2430 J − 1430 J spent at t = 0 leaves 1000 J: 1000 / 9e-6 = 1.111…e8 s of idle.
    assert!(l.charge(NodeId(1), Account::RadioTx, 1_430.0, SimTime::ZERO));
    let t = l.death_time(NodeId(1), SimTime::MAX).unwrap();
    assert_eq!(t, SimTime::from_secs_f64(1_000.0 / 9e-6));
    assert!(!l.charge(NodeId(1), Account::RadioTx, 1_000.0, SimTime::from_secs(1)));
}

#[test]
fn cr2032_derating_scales_the_wearable_capacity() {
    // cr2032_poor at the default 6.4 mA peak: no derating (below 15 mA).
    let l = ledger(BatteryModel::Ideal, PulseDerating::Cr2032Poor);
    assert_eq!(l.kind(NodeId(0)).capacity_j, 2_430.0);
    // At a 30 mA peak, 0.91 × 2430 = 2211.3 J for wearables; gateways keep 41 580 J.
    let mut raw = RawEnergy::default();
    raw.battery.pulse_derating = PulseDerating::Cr2032;
    raw.battery.peak_current_ma = Some(30.0);
    raw.battery.model = BatteryModel::Kibam;
    let spec = crate::energy::validate::energy(&mut Checker::new(), &raw);
    let l = EnergyLedger::new(&spec, 5, NodeId(2), NodeId(3), NodeId(4));
    assert!((l.kind(NodeId(0)).capacity_j - 2_211.3).abs() < 1e-9);
    assert_eq!(l.kind(NodeId(2)).capacity_j, 41_580.0);
    assert!((l.kibam_battery(NodeKind::Wearable).unwrap().0.capacity_c - 737.1).abs() < 1e-9);
}

#[test]
fn battery_keys_are_validated() {
    let text = "name = \"a\"\n[energy.battery]\nmodel = \"kibam\"\nkibam_c = 1.5\nkibam_k_per_s = 0\n\
                wearable_supply_v = -3\npeak_current_ma = 0\n";
    let e = crate::scenario::load_str(text, std::path::Path::new("s.toml"), &[]).err().unwrap().to_string();
    assert!(e.contains("4 problems"), "{e}");
    assert!(e.contains("s.toml:4: key `energy.battery.kibam_c`: must be in (0, 1] (got 1.5)"), "{e}");
    for key in ["kibam_k_per_s", "wearable_supply_v", "peak_current_ma"] {
        assert!(e.contains(&format!("key `energy.battery.{key}`: must be a finite number > 0")), "{e}");
    }
    let e = crate::scenario::load_str(
        "name = \"a\"\n[energy.battery]\nmodel = \"peukert\"\n",
        std::path::Path::new("s.toml"),
        &[],
    )
    .err()
    .unwrap()
    .to_string();
    assert!(e.contains("energy.battery.model") && e.contains("unknown variant"), "{e}");
}

#[test]
fn the_peak_current_defaults_to_the_ble_profile_s_largest() {
    let peak = |extra: &str| {
        let text = format!("name = \"a\"\n[energy.battery]\npulse_derating = \"cr2032\"\n{extra}");
        let s = crate::scenario::load_str(&text, std::path::Path::new("s.toml"), &[]).unwrap();
        let b = s.config.energy.battery;
        (b.peak_current_ma, b.wearable_capacity_fraction())
    };
    let profile = |name: &str| format!("[links.ban.ble]\nprofile = \"{name}\"\n");
    // BLE112: its transmit current, 36.445 mA (Kindt et al.), above 30 mA, so the 30 mA derating of 0.91 applies.
    let (ma, f) = peak(&profile("ble112"));
    assert!((ma - 36.445).abs() < 1e-9 && (f - 0.91).abs() < 1e-12, "{ma} {f}");
    // nRF52840 with DC/DC (the default profile): its transmit current, 6.40 mA: no derating. With the LDO: 10.80 mA.
    assert!((peak("").0 - 6.40).abs() < 1e-9);
    assert!((peak(&profile("nrf52840_ldo")).0 - 10.80).abs() < 1e-9);
    // Given explicitly, or under the ideal MAC (6.4 mA, the nRF52840's transmit current).
    assert_eq!(peak("peak_current_ma = 20.0\n").0, 20.0);
    assert_eq!(peak("[links.ban]\nmac = \"ideal\"\n").0, 6.4);
}
