//! Energy (radio profiles, processors, idle drain, batteries) and the crypto scheme with its placement and mode.

use proptest::prelude::*;

use super::*;

#[derive(Debug, Clone)]
pub(in crate::properties) struct Energy {
    /// Radio profile of each link class (index into [`RADIOS`]).
    pub(in crate::properties) radios: [u8; 4],
    /// The custom radio: `two_ray` or `power`, tx, rx, amplifier figures.
    pub(in crate::properties) custom_two_ray: bool,
    pub(in crate::properties) custom: (f64, f64, f64, f64),
    pub(in crate::properties) nj_per_cycle: (f64, f64, f64),
    pub(in crate::properties) idle_w: (f64, f64, f64),
    /// Batteries, J (None: the default, large).
    pub(in crate::properties) wearable_j: Option<f64>,
    pub(in crate::properties) gateway_j: Option<f64>,
}

pub(in crate::properties) fn energy() -> impl Strategy<Value = Energy> {
    (
        [0u8..9, 0u8..9, 0u8..9, 0u8..9],
        any::<bool>(),
        (0.0f64..100.0, 0.0f64..100.0, 0.0f64..5.0, 0.1f64..4.0),
        (0.0f64..1.0, 0.0f64..1.0, 0.0f64..3.0),
        (maybe_zero(0.3, 0.0, 1e-3), maybe_zero(0.3, 0.0, 0.05), maybe_zero(0.5, 0.0, 10.0)),
        prop::option::weighted(0.7, log_uniform(1e-4, 1.0)),
        prop::option::weighted(0.6, log_uniform(1e-3, 5.0)),
    )
        .prop_map(|(radios, custom_two_ray, custom, nj_per_cycle, idle_w, wearable_j, gateway_j)| Energy {
            radios,
            custom_two_ray,
            custom,
            nj_per_cycle,
            idle_w,
            wearable_j,
            gateway_j,
        })
}

#[derive(Debug, Clone)]
pub(in crate::properties) struct Crypto {
    pub(in crate::properties) scheme: u8,
    pub(in crate::properties) place: u8,
    pub(in crate::properties) rekey_s: f64,
    pub(in crate::properties) batch_s: f64,
    pub(in crate::properties) batch_header_bytes: u32,
    pub(in crate::properties) aead_bytes: (u32, u32),
    pub(in crate::properties) aead_cycles: (f64, f64),
    /// The custom scheme: kind (0 kem, 1 symmetric, 2 none), cycles, ciphertext bytes.
    pub(in crate::properties) custom_kind: u8,
    pub(in crate::properties) custom_cycles: (f64, f64, f64),
    pub(in crate::properties) custom_ciphertext: u32,
}

pub(in crate::properties) fn crypto() -> impl Strategy<Value = Crypto> {
    (
        0u8..11,
        0u8..5,
        log_uniform(0.05, 10.0),
        log_uniform(0.02, 1.5),
        0u32..8,
        (0u32..16, 0u32..20),
        (0.0f64..50.0, 0.0f64..3000.0),
        0u8..3,
        (0.0f64..5e6, 0.0f64..2e6, 0.0f64..2e6),
        0u32..1500,
    )
        .prop_map(
            |(
                scheme,
                place,
                rekey_s,
                batch_s,
                batch_header_bytes,
                aead_bytes,
                aead_cycles,
                custom_kind,
                custom_cycles,
                custom_ciphertext,
            )| Crypto {
                scheme,
                place,
                rekey_s,
                batch_s,
                batch_header_bytes,
                aead_bytes,
                aead_cycles,
                custom_kind,
                custom_cycles,
                custom_ciphertext,
            },
        )
}
