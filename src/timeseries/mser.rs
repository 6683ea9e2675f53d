//! MSER-5: where to truncate the start of a simulation output series to remove the initial transient.
//!
//! The Marginal Standard Error Rule (White, "An effective truncation heuristic for bias reduction in simulation
//! output", Simulation 69(6), 1997; White, Cobb and Spratt, "A comparison of five steady-state truncation
//! heuristics for simulation", Proc. Winter Simulation Conference 2000), applied to batch means of 5
//! observations (MSER-5):
//!
//! 1. Average the series `x_1..x_n` in consecutive batches of 5: `z_1..z_m`, `m = floor(n / 5)` (an incomplete
//!    last batch is left out).
//! 2. For each `d` (batches deleted), `MSER(d) = Σ_{j>d} (z_j − z̄_d)² / (m − d)²`, where `z̄_d` is the mean of
//!    `z_{d+1}..z_m`: the squared standard error of the truncated mean, which falls while deleting removes bias
//!    and rises once it only removes data.
//! 3. The truncation point is `d* = argmin MSER(d)` over `0 <= d <= m/2` (the smallest `d` among equals); the
//!    warm-up is the first `5 d*` observations. A minimum at `m/2`, the end of the search, means the series has
//!    not settled within the run: the run should be longer, not the warm-up taken from it.

use serde::Serialize;

/// Observations per batch.
pub const BATCH: usize = 5;
/// The fewest batches MSER-5 is applied to (fewer: the series is too short to say anything).
pub const MIN_BATCHES: usize = 4;

/// MSER-5's answer for one series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Truncation {
    /// Batches of 5 in the series (`m`).
    pub batches: usize,
    /// Batches to delete (`d*`).
    pub batches_deleted: usize,
    /// Observations to delete: `5 d*`.
    pub observations_deleted: usize,
    /// `MSER(d*)`: the squared standard error of the mean of what is kept, in the series' unit squared.
    pub mser: f64,
    /// Whether `d*` is the last candidate (`m / 2`): no steady state within the series.
    pub at_limit: bool,
}

/// MSER-5 on `series` (every value finite), or `None` if it holds fewer than [`MIN_BATCHES`] batches of 5.
pub fn mser5(series: &[f64]) -> Option<Truncation> {
    let z: Vec<f64> = series.chunks_exact(BATCH).map(|b| b.iter().sum::<f64>() / BATCH as f64).collect();
    let m = z.len();
    if m < MIN_BATCHES {
        return None;
    }
    let last = m / 2;
    // Sums over the kept batches z_{d+1}..z_m, taken from the end so each d costs O(1); the squared deviations use
    // the centred form Σz² − (Σz)²/k, about a shift (the overall mean) to keep it from cancelling.
    let shift = z.iter().sum::<f64>() / m as f64;
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    let mut scores = vec![0.0; m];
    for d in (0..m).rev() {
        let y = z[d] - shift;
        sum += y;
        sum_sq += y * y;
        let k = (m - d) as f64;
        scores[d] = (sum_sq - sum * sum / k).max(0.0) / (k * k);
    }
    let mut best = 0;
    for d in 1..=last {
        if scores[d] < scores[best] {
            best = d;
        }
    }
    Some(Truncation {
        batches: m,
        batches_deleted: best,
        observations_deleted: best * BATCH,
        mser: scores[best],
        at_limit: best == last,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, Normal};

    /// A series worked by hand: 20 observations, batches z = (10, 2, 2, 2), m = 4, candidates d = 0..2.
    /// d = 0: mean 4, deviations 6, −2, −2, −2: Σ = 48, / 4² = 3. d = 1: all 2: 0. d = 2: 0 (a tie; the smaller d
    /// wins). So d* = 1: 5 observations deleted, MSER 0.
    #[test]
    fn matches_a_hand_computation() {
        let mut x = vec![10.0; 5];
        x.extend([1.0, 3.0, 2.0, 2.0, 2.0]); // batch mean 2
        x.extend([2.0; 10]);
        let t = mser5(&x).unwrap();
        assert_eq!((t.batches, t.batches_deleted, t.observations_deleted, t.mser, t.at_limit), (4, 1, 5, 0.0, false));
        // Two more observations (an incomplete batch) change nothing.
        let mut y = x.clone();
        y.extend([100.0, 100.0]);
        assert_eq!(mser5(&y), Some(t));
    }

    /// A second hand computation with a non-zero minimum: z = (4, 0, 2, 0, 2, 0), m = 6, d ≤ 3, with
    /// SS(d) = Σz² − (Σz)²/k over the k = m − d kept batches.
    /// d = 0: Σz = 8, Σz² = 24, SS = 24 − 64/6 = 40/3, MSER = 40/3/36 = 10/27 ≈ 0.370.
    /// d = 1: Σz = 4, Σz² = 8, SS = 8 − 16/5 = 24/5, MSER = 24/125 = 0.192.
    /// d = 2: Σz = 4, Σz² = 8, SS = 8 − 16/4 = 4, MSER = 4/16 = 0.25.
    /// d = 3: Σz = 2, Σz² = 4, SS = 4 − 4/3 = 8/3, MSER = 8/27 ≈ 0.296. Minimum at d = 1.
    #[test]
    fn matches_a_second_hand_computation() {
        let x: Vec<f64> = [4.0, 0.0, 2.0, 0.0, 2.0, 0.0].iter().flat_map(|&z| [z; 5]).collect();
        let t = mser5(&x).unwrap();
        assert_eq!((t.batches, t.batches_deleted, t.at_limit), (6, 1, false));
        assert!((t.mser - 24.0 / 125.0).abs() < 1e-12, "{}", t.mser);
    }

    #[test]
    fn too_short_series_give_no_answer() {
        assert_eq!(mser5(&[1.0; 19]), None);
        assert!(mser5(&[1.0; 20]).is_some());
    }

    /// A steady series (no transient) is not truncated: a constant has MSER 0 for every d, and the smallest d wins.
    #[test]
    fn a_constant_series_keeps_everything() {
        let t = mser5(&[3.5; 100]).unwrap();
        assert_eq!((t.batches_deleted, t.at_limit), (0, false));
    }

    /// A series that never settles (a linear trend) reaches the end of the search.
    #[test]
    fn a_trend_is_flagged_as_unsettled() {
        let x: Vec<f64> = (0..200).map(f64::from).collect();
        let t = mser5(&x).unwrap();
        assert!(t.at_limit, "{t:?}");
    }

    /// A known transient: x_i = a·exp(−i/τ) + σ·ε_i, ε_i standard normal (seeded). Deleting batch j pays off while
    /// its bias a·e^(−5j/τ) (roughly) exceeds the standard deviation of a batch mean, σ/√5 (removing a batch cuts
    /// the sum of squares by its squared bias and costs one batch of variance, σ²/5); so the truncation lands near
    /// t* = τ·ln(a√5/σ). Band: where the bias is between 3 and 1/3 of σ/√5, t ∈ [τ·ln(a√5/(3σ)), τ·ln(3a√5/σ)],
    /// widened by one batch (5 observations) each side for the batching. With a = 10, σ = 1, τ = 50: [95, 215]
    /// around t* = 155. Checked on 50 seeds.
    #[test]
    fn finds_a_known_transient_within_the_derived_band() {
        let (a, sigma, tau, n) = (10.0f64, 1.0f64, 50.0f64, 2000usize);
        let lo = tau * (a * 5f64.sqrt() / (3.0 * sigma)).ln() - 5.0;
        let hi = tau * (3.0 * a * 5f64.sqrt() / sigma).ln() + 5.0;
        let centre = tau * (a * 5f64.sqrt() / sigma).ln();
        let noise = Normal::new(0.0, sigma).unwrap();
        let mut found = Vec::new();
        for seed in 0..50u64 {
            let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
            let x: Vec<f64> = (0..n).map(|i| a * (-(i as f64) / tau).exp() + noise.sample(&mut rng)).collect();
            let t = mser5(&x).unwrap();
            let cut = t.observations_deleted as f64;
            assert!(!t.at_limit && (lo..=hi).contains(&cut), "seed {seed}: cut at {cut}, band [{lo:.0}, {hi:.0}]");
            found.push(cut);
        }
        let mean = found.iter().sum::<f64>() / found.len() as f64;
        assert!((mean - centre).abs() < tau * 3f64.ln(), "mean cut {mean} far from t* = {centre:.0}");
    }
}
