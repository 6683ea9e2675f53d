//! Stream independence: every wearable draws its phase and jitter from its own stream, so adding a wearable leaves
//! every other wearable's sample times, and every patient's position, exactly as they were.

use cloudletsim::chain::NodeId;
use cloudletsim::kernel::SimTime;
use cloudletsim::run::RunResult;

use crate::common::{config, run};

fn scenario(wearables: u32, attach: &str) -> String {
    format!(
        r#"
name = "streams"
seed = 21

[simulation]
duration_s = 20.0

[wearables]
count = {wearables}
per_patient = 1
sensors = ["heart_rate", "spo2", "temperature", "ecg"]

[patients]
attach = "{attach}"

[cloudlets]
count = 5
mesh = "ring"
wan_gateways = [0]

[links.ban]
loss_prob = 0.2
buffer_packets = 1

[links.access]
bandwidth_bps = 20000.0
loss_prob = 0.1
buffer_packets = 1
"#
    )
}

/// Wearable `w`'s samples as (sensor, time), sorted.
fn samples_of(r: &RunResult, w: u32) -> Vec<(u16, SimTime)> {
    let mut v: Vec<(u16, SimTime)> = r
        .model
        .sample_trace()
        .iter()
        .filter(|&&(wearable, _, _)| wearable == NodeId(w))
        .map(|&(_, sensor, t)| (sensor, t))
        .collect();
    v.sort();
    v
}

#[test]
fn adding_a_wearable_leaves_every_other_wearables_samples_unchanged() {
    const N: u32 = 12;
    for attach in ["round_robin", "nearest"] {
        let small = run(&config(&scenario(N, attach)), true);
        let large = run(&config(&scenario(N + 1, attach)), true);
        let m = |r: &RunResult| r.model.metrics().generated;
        assert_eq!(small.model.sample_trace().len() as u64, m(&small), "trace is complete");
        assert_eq!(large.model.sample_trace().len() as u64, m(&large), "trace is complete");

        let newcomer = samples_of(&large, N);
        assert!(!newcomer.is_empty(), "{attach}: the added wearable samples");
        for w in 0..N {
            let before = samples_of(&small, w);
            assert!(before.len() > 20, "{attach}: wearable {w} took {} samples", before.len());
            assert_eq!(
                before,
                samples_of(&large, w),
                "{attach}: wearable {w}'s sample times changed when wearable {N} was added"
            );
            assert_eq!(
                small.topology.node(NodeId(w)),
                large.topology.node(NodeId(w)),
                "{attach}: wearable {w}'s position changed"
            );
            let p = small.topology.patient_of(w);
            assert_eq!(
                small.topology.cloudlet_of(p),
                large.topology.cloudlet_of(p),
                "{attach}: patient {p}'s cloudlet changed"
            );
        }
        // The streams are really per wearable: no two wearables share a sampling pattern.
        for w in 1..=N {
            assert_ne!(
                samples_of(&large, w - 1).iter().map(|s| s.1).collect::<Vec<_>>(),
                samples_of(&large, w).iter().map(|s| s.1).collect::<Vec<_>>(),
                "wearables {} and {w} sample at the same times",
                w - 1
            );
        }
    }
}

#[test]
fn another_seed_moves_the_samples() {
    // The converse check: the sample times do depend on the seed, so the test above compares something random.
    let a = run(&config(&scenario(3, "round_robin")), true);
    let b = run(&config(&scenario(3, "round_robin").replace("seed = 21", "seed = 22")), true);
    for w in 0..3 {
        assert_ne!(samples_of(&a, w), samples_of(&b, w), "wearable {w}");
    }
}
