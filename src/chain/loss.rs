//! Loss draws per attempt (or per BLE PDU) under the three loss models of [`super::channel`]: a fixed probability,
//! independent bit errors, or the channel (path loss, shadowing that varies in time, noise). A packet of several
//! frames is lost when any of its frames is: P = 1 − Π (1 − PER(frame bits)).

use crate::chain::channel::{per_from_ber, shadow_initial, shadow_step, LossModel};
use crate::chain::config::FrameSplit;
use crate::chain::LinkSpec;
use crate::kernel::EntityRng;

/// One link's channel state (links not under BLE whose class uses `loss_model = "channel"`): 16 bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct LinkChannel {
    /// Mean path loss over the link's distance, dB.
    pub path_loss_db: f32,
    /// Shadowing now, dB.
    pub shadow_db: f32,
    /// When the shadowing was last drawn, ns.
    pub last_ns: u64,
}

impl LinkChannel {
    /// A link of `distance_m` under `loss`, its first shadowing drawn from `rng`.
    pub fn new(loss: &LossModel, distance_m: f64, rng: &mut EntityRng) -> Self {
        let (path_loss_db, shadow_db) = match loss {
            LossModel::Channel(spec) => (
                spec.mean_path_loss_db(distance_m) as f32,
                loss.shadowing().map_or(0.0, |(sigma, _)| shadow_initial(sigma, rng)),
            ),
            _ => (0.0, 0.0),
        };
        LinkChannel { path_loss_db, shadow_db, last_ns: 0 }
    }

    /// Advances the shadowing to `now_ns` (drawing from `rng`) and returns it.
    pub fn shadow_at(&mut self, loss: &LossModel, now_ns: u64, rng: &mut EntityRng) -> f32 {
        if let Some((sigma, tau)) = loss.shadowing() {
            let dt = now_ns.saturating_sub(self.last_ns) as f64 * 1e-9;
            self.shadow_db = shadow_step(self.shadow_db, dt, sigma, tau, rng);
            self.last_ns = now_ns;
        }
        self.shadow_db
    }
}

/// Probability that a frame of `bits` bits is lost over a mean path loss of `path_loss_db` with shadowing
/// `shadow_db`.
#[inline]
pub fn frame_loss(loss: &LossModel, bits: u64, path_loss_db: f64, shadow_db: f32) -> f64 {
    match loss {
        LossModel::Fixed { loss_prob } => *loss_prob,
        LossModel::Ber { ber } => per_from_ber(*ber, bits),
        LossModel::Channel(spec) => spec.frame_error_prob_at_path_loss(bits, path_loss_db, shadow_db),
    }
}

/// Probability that an attempt to send a packet of `payload_bytes` over a link of `spec` is lost: any of its
/// frames (each `header_bytes` plus at most `mtu_bytes` of payload).
pub fn attempt_loss(spec: &LinkSpec, payload_bytes: u32, path_loss_db: f64, shadow_db: f32) -> f64 {
    attempt_loss_with(&spec.loss, spec, payload_bytes, path_loss_db, shadow_db)
}

/// [`attempt_loss`] under loss model `loss` (the access hop's channel at the link's own rate).
pub fn attempt_loss_with(
    loss: &LossModel,
    spec: &LinkSpec,
    payload_bytes: u32,
    path_loss_db: f64,
    shadow_db: f32,
) -> f64 {
    let frames = FrameSplit::new(spec.mtu_bytes, payload_bytes);
    let bits = |b: u32| 8 * (b as u64 + spec.header_bytes as u64);
    let mut ok = 1.0;
    if frames.full > 0 {
        let ok_full = 1.0 - frame_loss(loss, bits(frames.size), path_loss_db, shadow_db);
        ok = ok_full.powi(frames.full.min(i32::MAX as u32) as i32);
    }
    if let Some(last) = frames.last {
        ok *= 1.0 - frame_loss(loss, bits(last), path_loss_db, shadow_db);
    }
    1.0 - ok
}
