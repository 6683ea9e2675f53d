//! Frame losses that depend on the frame's length and on the radio channel: bit error rates of the PHYs the
//! chain's radio links use ([`ber`]), path loss ([`path_loss`]), time-varying log-normal shadowing
//! ([`shadowing`]), and the scenario table `[links.<class>.channel]` with its defaults and validation ([`raw`]).
//!
//! Pure functions and plain data: a link keeps one shadowing sample (`f32`, dB) that it advances with
//! [`shadow_step`] between frames, and asks [`LossModel::frame_error_prob`] for each frame attempt:
//!
//! ```text
//! P_rx [dBm] = P_tx − PL(d) − X(t)        X: shadowing sample, extra loss in dB
//! N    [dBm] = −174 + 10·log10(B) + NF    thermal noise kT at 290 K over the noise bandwidth B
//! SNR  [dB]  = P_rx − N  →  BER = f_modulation(SNR)  →  PER = 1 − (1 − BER)^bits
//! ```
//!
//! Sources and choices: docs/model.md ("Link losses and the radio channel").

pub mod ber;
pub mod path_loss;
pub mod raw;
pub mod shadowing;

pub use ber::Modulation;
pub use path_loss::PathLoss;
pub use raw::{RawChannel, RawLossModel, RawPathLoss};
pub use shadowing::{shadow_initial, shadow_step};

/// Thermal noise power density kT at T = 290 K, in dBm/Hz: 10·log10(1.380649e-23 J/K · 290 K / 1 mW) = −173.98,
/// rounded to the conventional −174 (IEEE and ITU link budgets use −174 dBm/Hz).
pub const THERMAL_NOISE_DBM_PER_HZ: f64 = -174.0;

/// Noise floor in dBm over `bandwidth_hz` for a receiver with noise figure `noise_figure_db`:
/// −174 + 10·log10(B) + NF.
pub fn noise_floor_dbm(bandwidth_hz: f64, noise_figure_db: f64) -> f64 {
    THERMAL_NOISE_DBM_PER_HZ + 10.0 * bandwidth_hz.log10() + noise_figure_db
}

/// Probability that a frame of `bits` independent bits has at least one error: 1 − (1 − BER)^bits, computed as
/// −expm1(bits·ln1p(−BER)) so that tiny BERs keep their precision; clamped to [0, 1]. BER ≤ 0 (or NaN) gives 0,
/// BER ≥ 1 gives 1 (for bits > 0).
pub fn per_from_ber(ber: f64, bits: u64) -> f64 {
    if bits == 0 || ber.is_nan() || ber <= 0.0 {
        return 0.0;
    }
    if ber >= 1.0 {
        return 1.0;
    }
    (-(bits as f64 * (-ber).ln_1p()).exp_m1()).clamp(0.0, 1.0)
}

/// A radio channel, validated (SI units except powers and ratios, which stay in dBm and dB as budgets are
/// written). Built by [`ChannelSpec::new`], which precomputes the noise floor and the link budget.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelSpec {
    /// PHY modulation and coding.
    pub modulation: Modulation,
    /// PHY bit rate, in bit/s (the modulation's).
    pub bit_rate_bps: f64,
    /// Receiver noise bandwidth, in Hz (the modulation's reference bandwidth, over which its BER takes the SNR).
    pub noise_bandwidth_hz: f64,
    /// Transmit power, in dBm.
    pub tx_power_dbm: f64,
    /// Receiver (effective) noise figure, in dB.
    pub noise_figure_db: f64,
    /// Mean path loss model.
    pub path_loss: PathLoss,
    /// Standard deviation of the shadowing process, in dB.
    pub shadowing_sigma_db: f64,
    /// Correlation time τ of the shadowing process, in seconds (0 = independent per update).
    pub shadowing_correlation_s: f64,
    /// Precomputed: noise floor over `noise_bandwidth_hz`, in dBm.
    noise_floor_dbm: f64,
    /// Precomputed: `tx_power_dbm − noise_floor_dbm`, the SNR in dB at zero path loss.
    budget_db: f64,
    /// Precomputed: the SNR in dB from which the modulation's BER is exactly 0 ([`Modulation::error_free_snr_db`]).
    error_free_snr_db: f64,
}

impl ChannelSpec {
    /// A channel with the modulation's bit rate and noise bandwidth; the noise floor and budget are precomputed.
    pub fn new(
        modulation: Modulation,
        tx_power_dbm: f64,
        noise_figure_db: f64,
        path_loss: PathLoss,
        shadowing_sigma_db: f64,
        shadowing_correlation_s: f64,
    ) -> Self {
        let noise_bandwidth_hz = modulation.noise_bandwidth_hz();
        let noise_floor_dbm = noise_floor_dbm(noise_bandwidth_hz, noise_figure_db);
        ChannelSpec {
            modulation,
            bit_rate_bps: modulation.bit_rate_bps(),
            noise_bandwidth_hz,
            tx_power_dbm,
            noise_figure_db,
            path_loss,
            shadowing_sigma_db,
            shadowing_correlation_s,
            noise_floor_dbm,
            budget_db: tx_power_dbm - noise_floor_dbm,
            error_free_snr_db: modulation.error_free_snr_db(),
        }
    }

    /// Noise floor in dBm over the noise bandwidth.
    pub fn noise_floor_dbm(&self) -> f64 {
        self.noise_floor_dbm
    }

    /// Eb/N0 per unit SNR: B/R_b (Eb/N0 = SNR·B/R_b).
    pub fn ebn0_per_snr(&self) -> f64 {
        self.noise_bandwidth_hz / self.bit_rate_bps
    }

    /// Mean path loss at `distance_m` metres, in dB (a link whose distance does not change may compute it once).
    pub fn mean_path_loss_db(&self, distance_m: f64) -> f64 {
        self.path_loss.mean_db(distance_m)
    }

    /// SNR in dB with mean path loss `path_loss_db` and shadowing sample `shadow_db` (extra loss).
    pub fn snr_db_at_path_loss(&self, path_loss_db: f64, shadow_db: f32) -> f64 {
        self.budget_db - path_loss_db - f64::from(shadow_db)
    }

    /// Frame error probability for `frame_bits` bits at mean path loss `path_loss_db` and shadowing `shadow_db`.
    /// At an SNR where the BER is exactly 0 it is 0 without computing the BER (the common case on short links).
    #[inline]
    pub fn frame_error_prob_at_path_loss(&self, frame_bits: u64, path_loss_db: f64, shadow_db: f32) -> f64 {
        let snr_db = self.snr_db_at_path_loss(path_loss_db, shadow_db);
        if snr_db >= self.error_free_snr_db {
            return 0.0; // per_from_ber(0.0, _)
        }
        per_from_ber(self.modulation.ber_db(snr_db), frame_bits)
    }

    /// Frame error probability for `frame_bits` bits at `distance_m` metres with shadowing `shadow_db`.
    pub fn frame_error_prob(&self, frame_bits: u64, distance_m: f64, shadow_db: f32) -> f64 {
        self.frame_error_prob_at_path_loss(frame_bits, self.mean_path_loss_db(distance_m), shadow_db)
    }
}

/// How a link loses frames (validated).
#[derive(Debug, Clone, PartialEq)]
pub enum LossModel {
    /// Every attempt is lost with this probability, whatever its length (the model before channel models).
    Fixed {
        /// Loss probability per attempt, in [0, 1).
        loss_prob: f64,
    },
    /// Independent bit errors at this rate: PER = 1 − (1 − BER)^bits.
    Ber {
        /// Bit error rate, in [0, ½].
        ber: f64,
    },
    /// Path loss, shadowing, noise and the modulation's BER curve.
    Channel(ChannelSpec),
}

impl LossModel {
    /// Probability that an attempt to send a frame of `frame_bits` bits is lost, at `distance_m` metres with the
    /// link's current shadowing sample `shadow_db` (both ignored by `Fixed` and `Ber`).
    pub fn frame_error_prob(&self, frame_bits: u64, distance_m: f64, shadow_db: f32) -> f64 {
        match self {
            LossModel::Fixed { loss_prob } => *loss_prob,
            LossModel::Ber { ber } => per_from_ber(*ber, frame_bits),
            LossModel::Channel(spec) => spec.frame_error_prob(frame_bits, distance_m, shadow_db),
        }
    }

    /// The shadowing process a link must keep, as (σ in dB, τ in s): `Some` only for a channel with σ > 0.
    pub fn shadowing(&self) -> Option<(f64, f64)> {
        match self {
            LossModel::Channel(s) if s.shadowing_sigma_db > 0.0 => {
                Some((s.shadowing_sigma_db, s.shadowing_correlation_s))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
