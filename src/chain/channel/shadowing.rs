//! Time-varying log-normal shadowing, one `f32` of state (dB) per link: a stationary Gauss–Markov (AR(1))
//! process X(t + Δ) = ρ·X(t) + σ·√(1 − ρ²)·Z, ρ = exp(−Δ/τ), Z ~ N(0, 1), whose marginal is N(0, σ²) at every
//! time and whose autocorrelation is exp(−|Δ|/τ) (the sampled Ornstein–Uhlenbeck process).
//!
//! The idea of a temporally correlated on-body shadowing comes from Castalia's BAN channel (Boulis et al.,
//! Castalia User Manual; NICTA measurements): its `TemporalModel.txt` gives signal variations of −31…+11 dB with
//! correlation times of 10, 250 and 1000 ms and a coherence time of 5 s. Castalia draws the next value from
//! measured conditional distributions (skewed, heavy lower tail) given the last value and the elapsed time; this
//! model keeps only a Gaussian marginal and an exponential correlation, which needs one number of state and one
//! normal draw per update. The lower tail is therefore lighter than Castalia's (no −31 dB fades at σ = 3.8 dB).
//!
//! Sign convention: the sample is an **extra loss**: received power = P_tx − PL(d) − X.

use rand::Rng;
use rand_distr::StandardNormal;

/// A stationary draw, N(0, σ²) in dB: the state of a link when the run starts.
pub fn shadow_initial(sigma_db: f64, rng: &mut impl Rng) -> f32 {
    let z: f64 = rng.sample(StandardNormal);
    (sigma_db * z) as f32
}

/// The shadowing `dt_s` seconds after a sample `prev_db`, with stationary deviation `sigma_db` and correlation
/// time `tau_s`. `dt_s <= 0` (or NaN) returns `prev_db` unchanged and draws nothing; `tau_s = 0` or `dt_s ≫ tau_s`
/// gives an independent draw. √(1 − ρ²) is computed as √(−expm1(−2Δ/τ)) so that short steps keep their
/// precision.
pub fn shadow_step(prev_db: f32, dt_s: f64, sigma_db: f64, tau_s: f64, rng: &mut impl Rng) -> f32 {
    if dt_s.is_nan() || dt_s <= 0.0 {
        return prev_db;
    }
    let (rho, innovation) = if tau_s > 0.0 {
        let x = dt_s / tau_s;
        ((-x).exp(), (-(-2.0 * x).exp_m1()).sqrt())
    } else {
        (0.0, 1.0)
    };
    let z: f64 = rng.sample(StandardNormal);
    (rho * f64::from(prev_db) + sigma_db * innovation * z) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    /// Mean, variance and lag-1 autocorrelation of a series.
    fn moments(xs: &[f64]) -> (f64, f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let cov1 = xs.windows(2).map(|w| (w[0] - mean) * (w[1] - mean)).sum::<f64>() / (n - 1.0);
        (mean, var, cov1 / var)
    }

    fn series(n: usize, dt_s: f64, sigma_db: f64, tau_s: f64, seed: u64) -> Vec<f64> {
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let mut x = shadow_initial(sigma_db, &mut rng);
        (0..n)
            .map(|_| {
                x = shadow_step(x, dt_s, sigma_db, tau_s, &mut rng);
                f64::from(x)
            })
            .collect()
    }

    /// Tolerances for N samples of a stationary Gaussian AR(1) with lag-one correlation ρ (large-N results):
    /// Var(mean) = σ²/N·(1+ρ)/(1−ρ); Var(s²) = 2σ⁴/N·(1+ρ²)/(1−ρ²); Var(r₁) = (1−ρ²)/N (Bartlett). The tests
    /// allow 5 standard errors (a false failure has probability below 1e-6 per check).
    fn check(n: usize, dt_s: f64, sigma_db: f64, tau_s: f64, seed: u64) -> (f64, f64, f64) {
        let rho = (-dt_s / tau_s).exp();
        let (mean, var, r1) = moments(&series(n, dt_s, sigma_db, tau_s, seed));
        let n = n as f64;
        let se_mean = sigma_db * ((1.0 + rho) / (1.0 - rho) / n).sqrt();
        let se_var = sigma_db * sigma_db * (2.0 * (1.0 + rho * rho) / (1.0 - rho * rho) / n).sqrt();
        let se_r1 = ((1.0 - rho * rho) / n).sqrt();
        assert!(mean.abs() < 5.0 * se_mean, "mean {mean} vs 0 ± {}", 5.0 * se_mean);
        assert!(
            (var - sigma_db * sigma_db).abs() < 5.0 * se_var,
            "variance {var} vs {} ± {}",
            sigma_db.powi(2),
            5.0 * se_var
        );
        assert!((r1 - rho).abs() < 5.0 * se_r1, "lag-1 correlation {r1} vs {rho} ± {}", 5.0 * se_r1);
        (mean, var, r1)
    }

    #[test]
    fn ar1_is_stationary_with_exponential_correlation() {
        // Δ = τ: ρ = e^-1 = 0.3679; N = 200,000: SE(mean) = 4·√(2.164/2e5) = 0.0132 dB, SE(s²) = 16·√(2·1.313/2e5)
        // = 0.058 dB², SE(r₁) = √(0.8647/2e5) = 0.0021.
        let (mean, var, r1) = check(200_000, 1.0, 4.0, 1.0, 11);
        eprintln!("Δ = τ: mean {mean:.4} dB, variance {var:.3} dB² (σ² = 16), r1 {r1:.4} (e^-1 = 0.3679)");
        // Δ = τ/4 (BAN default τ = 1 s, 0.25 s between frames): ρ = e^-0.25 = 0.7788.
        let (mean, var, r1) = check(200_000, 0.25, 3.8, 1.0, 12);
        eprintln!("Δ = τ/4: mean {mean:.4} dB, variance {var:.3} dB² (σ² = 14.44), r1 {r1:.4} (0.7788)");
    }

    #[test]
    fn long_steps_are_independent_draws() {
        // Δ = 1000 τ: ρ = e^-1000 = 0; the lag-1 correlation is 0 within 5/√N = 0.0112 (N = 200,000).
        let (mean, var, r1) = moments(&series(200_000, 1000.0, 6.0, 1.0, 13));
        assert!(r1.abs() < 5.0 / (200_000f64).sqrt(), "{r1}");
        assert!(mean.abs() < 5.0 * 6.0 / (200_000f64).sqrt(), "{mean}");
        assert!((var - 36.0).abs() < 5.0 * 36.0 * (2.0 / 200_000f64).sqrt(), "{var}");
        // τ = 0 also means independent draws.
        let mut rng = Pcg64Mcg::seed_from_u64(14);
        let a = shadow_step(20.0, 0.001, 1.0, 0.0, &mut rng);
        assert!(a.abs() < 6.0, "the old value 20 dB is forgotten: {a}");
    }

    #[test]
    fn zero_step_leaves_the_state_and_the_stream_unchanged() {
        let mut rng = Pcg64Mcg::seed_from_u64(15);
        let mut twin = rng.clone();
        assert_eq!(shadow_step(-3.25, 0.0, 3.8, 1.0, &mut rng), -3.25);
        assert_eq!(shadow_step(-3.25, -1.0, 3.8, 1.0, &mut rng), -3.25);
        assert_eq!(shadow_step(-3.25, f64::NAN, 3.8, 1.0, &mut rng), -3.25);
        // No draw was consumed: both streams give the same next number.
        assert_eq!(rng.random::<u64>(), twin.random::<u64>());
        // σ = 0 shrinks the state towards 0 deterministically: ρ·x.
        let x = shadow_step(2.0, 1.0, 0.0, 1.0, &mut rng);
        assert!((f64::from(x) - 2.0 * (-1.0f64).exp()).abs() < 1e-6);
    }

    #[test]
    fn initial_draw_has_the_stationary_spread() {
        // 100,000 independent N(0, 3.8²) draws: SE(mean) = 3.8/√1e5 = 0.012, SE(s²) = 14.44·√(2/1e5) = 0.0646.
        let mut rng = Pcg64Mcg::seed_from_u64(16);
        let xs: Vec<f64> = (0..100_000).map(|_| f64::from(shadow_initial(3.8, &mut rng))).collect();
        let (mean, var, _) = moments(&xs);
        assert!(mean.abs() < 5.0 * 0.012, "{mean}");
        assert!((var - 14.44).abs() < 5.0 * 0.0646, "{var}");
    }
}
