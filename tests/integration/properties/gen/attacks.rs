//! Attacks (each of the six kinds with its entry and target rules) and the IDS.

use proptest::prelude::*;

use super::*;

#[derive(Debug, Clone)]
pub(in crate::properties) struct Attack {
    pub(in crate::properties) rate_per_s: f64,
    pub(in crate::properties) campaign_size: u32,
    pub(in crate::properties) campaign_gap_s: f64,
    /// 0 random, 1 weighted, 2 explicit.
    pub(in crate::properties) entry: u8,
    pub(in crate::properties) weights: Vec<f64>,
    pub(in crate::properties) entry_cloudlet: u8,
    /// 0 remote cloud, 1 a given cloudlet, 2 a random other cloudlet (a given one when there is only one).
    pub(in crate::properties) target: u8,
    pub(in crate::properties) target_cloudlet: u8,
    pub(in crate::properties) flood_packets: u32,
    pub(in crate::properties) flood_packet_bytes: u32,
    pub(in crate::properties) flood_rate_pps: f64,
    pub(in crate::properties) sources: u32,
    /// What the kind leads to (docs/model.md §8.2), written for the kind that uses it: probes' `follow_up_prob`,
    /// `recon_evasion`, `follow_up_delay_s`, `follow_up_kind` (0..3); insiders' `mimics_benign` (with random entry
    /// and the remote cloud as target) and `detection_lift`; distributed attacks' `spread = "distinct"` (random entry).
    pub(in crate::properties) consequence: (f64, f64, f64, u8, bool),
}

pub(in crate::properties) fn attack() -> impl Strategy<Value = Attack> {
    (
        (log_uniform(0.05, 6.0), 1u32..5, log_uniform(0.01, 1.0)),
        (0u8..3, prop::collection::vec(0.0f64..3.0, 6), any::<u8>()),
        (0u8..3, any::<u8>()),
        (1u32..40, 1u32..1500, log_uniform(10.0, 5000.0), 1u32..6),
        (maybe_zero(0.5, 0.0, 1.0), maybe_zero(0.5, 0.0, 1.0), log_uniform(0.01, 60.0), 0u8..3, any::<bool>()),
    )
        .prop_map(
            |(
                (rate_per_s, campaign_size, campaign_gap_s),
                (entry, weights, entry_cloudlet),
                (target, target_cloudlet),
                (flood_packets, flood_packet_bytes, flood_rate_pps, sources),
                consequence,
            )| Attack {
                rate_per_s,
                campaign_size,
                campaign_gap_s,
                entry,
                weights,
                entry_cloudlet,
                target,
                target_cloudlet,
                flood_packets,
                flood_packet_bytes,
                flood_rate_pps,
                sources,
                consequence,
            },
        )
}

#[derive(Debug, Clone)]
pub(in crate::properties) struct Ids {
    /// Modulo cloudlets + 1.
    pub(in crate::properties) count: u8,
    /// 0 betweenness, 1 degree, 2 random, 3 explicit (cloudlets offset, offset + 1, ...).
    pub(in crate::properties) placement: u8,
    pub(in crate::properties) offset: u8,
    pub(in crate::properties) mesh_scope: bool,
    /// Bernoulli: detection probability per kind and false alarms; score: means, sd, correlation, threshold.
    pub(in crate::properties) score: bool,
    pub(in crate::properties) detection: Vec<f64>,
    pub(in crate::properties) false_alarm: f64,
    pub(in crate::properties) means: Vec<f64>,
    pub(in crate::properties) sd: f64,
    pub(in crate::properties) correlation: f64,
    pub(in crate::properties) threshold: f64,
    /// 0 any, 1 k of n, 2 majority.
    pub(in crate::properties) fusion: u8,
    pub(in crate::properties) k: u8,
    pub(in crate::properties) processing_s: f64,
    pub(in crate::properties) capacity: f64,
    pub(in crate::properties) block_s: f64,
    pub(in crate::properties) signature_sharing: bool,
    pub(in crate::properties) signature_prob: f64,
    pub(in crate::properties) inspect_uploads: bool,
    pub(in crate::properties) doctor_access_per_s: f64,
}

pub(in crate::properties) fn ids() -> impl Strategy<Value = Ids> {
    (
        (any::<u8>(), 0u8..4, any::<u8>(), any::<bool>()),
        (
            any::<bool>(),
            prop::collection::vec(0.0f64..=1.0, attack_names().len()),
            0.0f64..0.3,
            prop::collection::vec(-1.0f64..4.0, attack_names().len()),
            0.2f64..2.0,
            maybe_zero(0.5, 0.0, 0.95),
            -1.0f64..4.0,
        ),
        (0u8..3, any::<u8>(), maybe_zero(0.3, 0.0, 0.01), maybe_zero(0.6, 1.0, 200.0)),
        (maybe_zero(0.4, 0.0, 2.0), any::<bool>(), 0.0f64..=1.0, any::<bool>(), maybe_zero(0.5, 0.0, 5.0)),
    )
        .prop_map(
            |(
                (count, placement, offset, mesh_scope),
                (score, detection, false_alarm, means, sd, correlation, threshold),
                (fusion, k, processing_s, capacity),
                (block_s, signature_sharing, signature_prob, inspect_uploads, doctor_access_per_s),
            )| Ids {
                count,
                placement,
                offset,
                mesh_scope,
                score,
                detection,
                false_alarm,
                means,
                sd,
                correlation,
                threshold,
                fusion,
                k,
                processing_s,
                capacity,
                block_s,
                signature_sharing,
                signature_prob,
                inspect_uploads,
                doctor_access_per_s,
            },
        )
}
