//! Wearables and their sensors, cloudlets and the mesh between them, and the four link classes.

use proptest::prelude::*;

use super::*;

#[derive(Debug, Clone)]
pub(in crate::properties) struct CustomSensor {
    pub(in crate::properties) period_s: f64,
    pub(in crate::properties) sample_bytes: u32,
    pub(in crate::properties) jitter_frac: f64,
}

#[derive(Debug, Clone)]
pub(in crate::properties) struct Net {
    pub(in crate::properties) wearables: u32,
    pub(in crate::properties) per_patient: u32,
    /// Bit i: carry built-in sensor i.
    pub(in crate::properties) sensor_mask: u8,
    /// A new sensor, carried too.
    pub(in crate::properties) custom_sensor: Option<CustomSensor>,
    /// 0 nearest, 1 round robin, 2 explicit.
    pub(in crate::properties) attach: u8,
    /// Explicit attach: cloudlet of each patient, modulo the count (cycled).
    pub(in crate::properties) attach_list: Vec<u8>,
    pub(in crate::properties) cloudlets: u32,
    pub(in crate::properties) mesh: u8,
    pub(in crate::properties) grid_columns: u8,
    /// Random geometric: radius as a fraction of the area's diagonal.
    pub(in crate::properties) radius_frac: f64,
    /// Explicit mesh: parent of cloudlet i (i >= 1) is `parents[i] % i` (a spanning tree), plus extra edges.
    pub(in crate::properties) parents: Vec<u8>,
    pub(in crate::properties) extra_edges: Vec<(u8, u8)>,
    /// Explicit positions as fractions of the area.
    pub(in crate::properties) positions: Option<Vec<(f64, f64)>>,
    pub(in crate::properties) wan_mask: u8,
    pub(in crate::properties) batch_interval_s: f64,
    pub(in crate::properties) batch_max_samples: u32,
    pub(in crate::properties) batch_header_bytes: u32,
}

pub(in crate::properties) fn net() -> impl Strategy<Value = Net> {
    let population = (
        1u32..=30,
        1u32..=4,
        1u8..32,
        prop::option::weighted(
            0.4,
            (log_uniform(0.02, 2.0), 1u32..2000, maybe_zero(0.3, 0.0, 0.9))
                .prop_map(|(period_s, sample_bytes, jitter_frac)| CustomSensor { period_s, sample_bytes, jitter_frac }),
        ),
        0u8..3,
        prop::collection::vec(any::<u8>(), 30),
    );
    let mesh = (
        1u32..=6,
        0u8..5,
        any::<u8>(),
        0.2f64..1.5,
        prop::collection::vec(any::<u8>(), 6),
        prop::collection::vec((0u8..6, 0u8..6), 0..5),
        prop::option::weighted(0.3, prop::collection::vec((0.0f64..1.0, 0.0f64..1.0), 6)),
        1u8..64,
    );
    let batch = (maybe_zero(0.5, 0.01, 1.0), prop_oneof![Just(0u32), 1u32..20], 0u32..40);
    (population, mesh, batch).prop_map(
        |(
            (wearables, per_patient, sensor_mask, custom_sensor, attach, attach_list),
            (cloudlets, mesh, grid_columns, radius_frac, parents, extra_edges, positions, wan_mask),
            (batch_interval_s, batch_max_samples, batch_header_bytes),
        )| Net {
            wearables,
            per_patient,
            sensor_mask,
            custom_sensor,
            attach,
            attach_list,
            cloudlets,
            mesh,
            grid_columns,
            radius_frac,
            parents,
            extra_edges,
            positions,
            wan_mask,
            batch_interval_s,
            batch_max_samples,
            batch_header_bytes,
        },
    )
}

#[derive(Debug, Clone)]
pub(in crate::properties) struct Link {
    pub(in crate::properties) latency_s: f64,
    pub(in crate::properties) bandwidth_bps: f64,
    pub(in crate::properties) loss_prob: f64,
    pub(in crate::properties) buffer_packets: u32,
    pub(in crate::properties) max_retries: u32,
    pub(in crate::properties) header_bytes: u32,
    pub(in crate::properties) mtu_bytes: u32,
    pub(in crate::properties) distance_m: f64,
}

pub(in crate::properties) fn link() -> impl Strategy<Value = Link> {
    (
        maybe_zero(0.2, 0.0, 0.02),
        log_uniform(2e4, 1e9),
        maybe_zero(0.4, 0.0, 0.5),
        1u32..64,
        0u32..5,
        0u32..64,
        prop_oneof![Just(0u32), 16u32..1500],
        maybe_zero(0.3, 0.1, 100.0),
    )
        .prop_map(
            |(
                latency_s,
                bandwidth_bps,
                loss_prob,
                buffer_packets,
                max_retries,
                header_bytes,
                mtu_bytes,
                distance_m,
            )| {
                Link {
                    latency_s,
                    bandwidth_bps,
                    loss_prob,
                    buffer_packets,
                    max_retries,
                    header_bytes,
                    mtu_bytes,
                    distance_m,
                }
            },
        )
}
