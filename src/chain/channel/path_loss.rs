//! Mean path loss between the two ends of a link, in dB, as a function of distance.
//!
//! * IEEE 802.15.6 CM3 (on-body, body surface to body surface), Yazdandoost & Sayrafian-Pour, "Channel Model for
//!   Body Area Network (BAN)", IEEE P802.15-08-0780 (TG6 channel-model document): PL(d) = a·log10(d) + b + N,
//!   d in **millimetres**, N ~ N(0, σ_N). The random term N is not here: it is the shadowing process of
//!   [`super::shadowing`], with σ = σ_N.
//! * Log-distance: PL(d) = PL(d0) + 10·n·log10(d/d0), d0 = 1 m.
//!
//! Both are clamped below their reference distance (1 mm for CM3, whose b is the fit's value at 1 mm; 1 m for
//! log-distance), where the fits say nothing and the logarithm would run to −∞.

/// Speed of light, m/s (exact, SI).
pub const SPEED_OF_LIGHT_M_PER_S: f64 = 299_792_458.0;

/// Free-space path loss at 1 m for a 2.4 GHz carrier, dB: 20·log10(4π/λ), λ = c/2.4 GHz = 0.1249 m, so
/// 20·log10(100.60) = 40.05 dB (Friis; checked by `free_space_at_one_metre_is_40_05_db`).
pub const FREE_SPACE_PL_1M_2_4GHZ_DB: f64 = 40.05;

/// Shortest distance CM3 is evaluated at, in mm (its intercept b is the fit's path loss at 1 mm).
const CM3_MIN_DISTANCE_MM: f64 = 1.0;

/// Reference distance d0 of the log-distance model, in metres.
pub const LOG_DISTANCE_D0_M: f64 = 1.0;

/// A path-loss model (mean loss; shadowing is added separately).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PathLoss {
    /// IEEE 802.15.6 CM3: PL = a·log10(d / 1 mm) + b.
    Cm3 {
        /// Slope a, in dB per decade of distance.
        a_db_per_decade: f64,
        /// Intercept b, in dB (the fit's loss at 1 mm).
        b_db: f64,
    },
    /// Log-distance: PL = PL(1 m) + 10·n·log10(d / 1 m).
    LogDistance {
        /// Path loss at d0 = 1 m, in dB.
        pl0_db: f64,
        /// Path-loss exponent n (dimensionless).
        exponent: f64,
    },
}

impl PathLoss {
    /// Mean path loss in dB at `distance_m` metres (clamped below the model's reference distance; a NaN distance
    /// is treated as the reference distance).
    pub fn mean_db(&self, distance_m: f64) -> f64 {
        match *self {
            PathLoss::Cm3 { a_db_per_decade, b_db } => {
                let d_mm = (distance_m * 1000.0).max(CM3_MIN_DISTANCE_MM);
                a_db_per_decade * d_mm.log10() + b_db
            }
            PathLoss::LogDistance { pl0_db, exponent } => {
                let ratio = (distance_m / LOG_DISTANCE_D0_M).max(1.0);
                pl0_db + 10.0 * exponent * ratio.log10()
            }
        }
    }
}

/// Free-space path loss in dB at `distance_m` metres and carrier `frequency_hz`: 20·log10(4π·d/λ).
pub fn free_space_db(distance_m: f64, frequency_hz: f64) -> f64 {
    let wavelength_m = SPEED_OF_LIGHT_M_PER_S / frequency_hz;
    20.0 * (4.0 * std::f64::consts::PI * distance_m / wavelength_m).log10()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cm3_hospital_room_by_hand() {
        let cm3 = PathLoss::Cm3 { a_db_per_decade: 6.6, b_db: 36.1 };
        // 100 mm: 6.6·log10(100) + 36.1 = 6.6·2 + 36.1 = 13.2 + 36.1 = 49.3 dB.
        assert!((cm3.mean_db(0.1) - 49.3).abs() < 1e-12);
        // 1000 mm: 6.6·3 + 36.1 = 19.8 + 36.1 = 55.9 dB.
        assert!((cm3.mean_db(1.0) - 55.9).abs() < 1e-12);
        // The other 2.4 GHz set (a = 29.3, b = −16.8): 100 mm → 58.6 − 16.8 = 41.8; 1000 mm → 87.9 − 16.8 = 71.1.
        let other = PathLoss::Cm3 { a_db_per_decade: 29.3, b_db: -16.8 };
        assert!((other.mean_db(0.1) - 41.8).abs() < 1e-12);
        assert!((other.mean_db(1.0) - 71.1).abs() < 1e-12);
        // Below 1 mm, and at 0, the loss stays at b.
        assert_eq!(cm3.mean_db(0.0), 36.1);
        assert_eq!(cm3.mean_db(1e-4), 36.1);
    }

    #[test]
    fn log_distance_by_hand() {
        let model = PathLoss::LogDistance { pl0_db: FREE_SPACE_PL_1M_2_4GHZ_DB, exponent: 3.0 };
        // 10 m: 40.05 + 10·3·1 = 70.05 dB; 20 m: 40.05 + 30·log10(20) = 40.05 + 39.031 = 79.081 dB.
        assert!((model.mean_db(10.0) - 70.05).abs() < 1e-12);
        assert!((model.mean_db(20.0) - 79.081).abs() < 1e-3);
        // At or below d0 the loss is PL(d0).
        assert_eq!(model.mean_db(1.0), 40.05);
        assert_eq!(model.mean_db(0.0), 40.05);
    }

    #[test]
    fn free_space_at_one_metre_is_40_05_db() {
        // λ = 299792458 / 2.4e9 = 0.124914 m; 4π/λ = 100.60; 20·log10(100.60) = 40.052 dB.
        let fspl = free_space_db(1.0, 2.4e9);
        assert!((fspl - 40.052).abs() < 1e-3, "{fspl}");
        assert!((fspl - FREE_SPACE_PL_1M_2_4GHZ_DB).abs() < 0.005);
        // Free space is the exponent-2 case: 20 dB per decade.
        assert!((free_space_db(10.0, 2.4e9) - fspl - 20.0).abs() < 1e-9);
    }
}
