//! Tests of the estimate as a whole (a full mesh refused with its keys; extreme configurations estimated quickly,
//! finitely and without a panic), and the scenario helper the other modules' tests share.

use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::chain::{BatchSpec, LinkClass, Mesh};
use crate::kernel::SimTime;

/// The configuration of scenario `text` with the `--set` overrides `sets`.
pub(super) fn config(text: &str, sets: &[&str]) -> ModelConfig {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    crate::scenario::load_str(text, Path::new("t.toml"), &sets).expect("valid scenario").config
}

/// The smallest scenario: every key at its default.
pub(super) const BASE: &str = "name = \"t\"\n";

#[test]
fn full_mesh_has_c_choose_2_edges_and_routes_are_core_squared() {
    let cfg = config(BASE, &["cloudlets.count=1000000", "cloudlets.mesh=full", "cloudlets.wan_gateways=[0]"]);
    let e = Estimate::of(&cfg);
    assert_eq!(e.mesh_edges, 1_000_000 * 999_999 / 2);
    assert_eq!(e.routes, 1_000_001 * 1_000_001);
    assert_eq!(e.links, 100 + 100 + 2 * (1_000_000 * 999_999 / 2) + 2);
    assert_eq!(e.nodes, 100 + 100 + 1_000_000 + 1);
    // 5e11 edges: hundreds of GB, far beyond any machine's budget, and the message names the keys.
    assert!(e.memory_bytes > 10_000_000_000_000, "{}", e.memory_bytes);
    let err = check(&e, &Budget { max_events: DEFAULT_MAX_EVENTS, memory_bytes: 16 << 30 }).unwrap_err();
    assert!(err.keys.contains(&"cloudlets.mesh".to_string()), "{err:?}");
    assert!(err.message.contains("cloudlets.count = 1000000 with cloudlets.mesh = \"full\""), "{}", err.message);
    assert!(err.message.contains("fewer cloudlets or another mesh"), "{}", err.message);
}

fn extreme_f64() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(1e-300), Just(1.0), Just(1e9), Just(1e300), Just(f64::MAX), 0.0..1e12f64]
}

fn extreme_u32() -> impl Strategy<Value = u32> {
    prop_oneof![Just(1u32), Just(2), Just(u32::MAX - 1), Just(u32::MAX), 1..100_000u32]
}

fn extreme_time() -> impl Strategy<Value = SimTime> {
    prop_oneof![
        Just(SimTime::from_nanos(1)),
        Just(SimTime::MAX),
        Just(SimTime::from_secs(1)),
        (1..u64::MAX).prop_map(SimTime::from_nanos)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// Whatever the (even beyond validated) counts, rates and times: no panic, no NaN, no negative or infinite
    /// estimate. (It is a closed form with no loop over any count, so it cannot run away; speed belongs in benches,
    /// not in a timed test on a shared machine.)
    #[test]
    fn extreme_configs_are_estimated_sanely(
        counts in proptest::collection::vec(extreme_u32(), 6),
        rates in proptest::collection::vec(extreme_f64(), 6),
        times in proptest::collection::vec(extreme_time(), 6),
        mesh in 0..5u8,
        flags in proptest::collection::vec(any::<bool>(), 6),
        loss in 0.0..1.0f64,
    ) {
        let mut cfg = config(BASE, &[]);
        cfg.wearables = counts[0];
        cfg.wearables_per_patient = counts[1].min(counts[0]).max(1);
        cfg.cloudlets.count = counts[2];
        cfg.cloudlets.mesh = match mesh {
            0 => Mesh::Full,
            1 => Mesh::Ring,
            2 => Mesh::Grid { columns: counts[3] },
            3 => Mesh::RandomGeometric { radius_m: rates[5] },
            _ => Mesh::Explicit { edges: vec![(0, 1)] },
        };
        cfg.duration = times[0];
        cfg.drain = times[1];
        cfg.sensors[0].period = times[2];
        cfg.sensors[0].jitter = SimTime::ZERO;
        cfg.cloudlets.batch = flags[0].then(|| BatchSpec { interval: times[3], max_samples: counts[4], header_bytes: 0 });
        cfg.links[LinkClass::Ban].loss_prob = loss;
        cfg.links[LinkClass::Ban].max_retries = 255;
        for a in cfg.attacks.values_mut() {
            a.rate_per_s = rates[0];
            a.campaign_size = counts[4];
            a.sources = counts[5];
            a.flood_packets = counts[3];
            a.campaign_gap = times[4];
        }
        cfg.ids.count = counts[3];
        cfg.ids.signature_sharing = flags[1];
        cfg.ids.block = times[5];
        cfg.benign.doctor_access_per_s = rates[1];
        cfg.trust.enabled = flags[2];
        cfg.trust.request_rate_per_s = rates[2];
        cfg.trust.interval = times[3];
        cfg.records.enabled = flags[3];
        cfg.records.audit_interval = Some(times[4]);
        cfg.care.enabled = flags[4];
        cfg.care.appointment_rate_per_s = rates[3];
        cfg.care.doctors_per_cloudlet = counts[5];
        cfg.crypto.mode = if flags[5] { CryptoMode::Batch } else { CryptoMode::Session };
        cfg.crypto.batch = times[5];
        let e = Estimate::of(&cfg);
        prop_assert!(e.events.is_finite() && e.events >= 0.0, "{}", e.events);
        prop_assert!(e.setup_steps.is_finite() && e.setup_steps >= 0.0, "{}", e.setup_steps);
        for s in &e.sources {
            prop_assert!(s.events.is_finite() && s.events > 0.0, "{s:?}");
        }
        for m in &e.memory {
            prop_assert!(m.bytes.is_finite() && m.bytes > 0.0, "{m:?}");
        }
        let _ = check(&e, &Budget { max_events: DEFAULT_MAX_EVENTS, memory_bytes: 1 << 30 });
        let _ = e.render();
    }
}
