//! Mean, standard deviation and Student-t confidence interval of a metric over a point's replications.
//!
//! Replications are independent runs, so the interval is the textbook one for a mean with unknown variance:
//! `mean ± t(1 - α/2, n - 1) · s / √n`, with `s` the sample standard deviation (divisor `n - 1`) and the t
//! quantile from `statrs`. It is exact for normal data and close for averages of many events, as most metrics
//! are; with n = 1 there is no interval.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// Confidence level of the intervals in `summary.csv`.
pub const LEVEL: f64 = 0.95;

/// Summary statistics of one metric at one point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanCi {
    /// Observations.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (divisor n - 1); `None` for n < 2.
    pub std: Option<f64>,
    /// Two-sided confidence interval of the mean, (low, high); `None` for n < 2.
    pub ci: Option<(f64, f64)>,
}

/// Degrees of freedom above which the normal quantile stands in for Student's t: `statrs`'s t inversion loses
/// accuracy beyond about 10⁴ (its 97.5% quantile at 10⁶ is off by 1.2 × 10⁻⁴), while the normal quantile differs
/// from t's by less than 2.5 × 10⁻⁴ there and less the larger df.
pub const NORMAL_ABOVE_DF: f64 = 10_000.0;

/// The `p` quantile of Student's t distribution with `df` degrees of freedom (`statrs`).
///
/// # Panics
/// If `df` is not positive or `p` is outside (0, 1).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    assert!(df > 0.0 && p > 0.0 && p < 1.0, "t quantile needs df > 0 and 0 < p < 1");
    if df > NORMAL_ABOVE_DF {
        return Normal::new(0.0, 1.0).expect("standard normal").inverse_cdf(p);
    }
    StudentsT::new(0.0, 1.0, df).expect("valid t parameters").inverse_cdf(p)
}

/// Mean, standard deviation and `level` confidence interval of `xs` (summed in the order given, so the result is
/// a pure function of the sequence). `None` when `xs` is empty.
pub fn mean_ci(xs: &[f64], level: f64) -> Option<MeanCi> {
    let n = xs.len();
    if n == 0 {
        return None;
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Some(MeanCi { n, mean, std: None, ci: None });
    }
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
    let std = var.sqrt();
    let half = t_quantile(0.5 + level / 2.0, (n - 1) as f64) * std / (n as f64).sqrt();
    Some(MeanCi { n, mean, std: Some(std), ci: Some((mean - half, mean + half)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        // Two-sided 95% critical values from standard tables.
        let table = [(1.0, 12.706_205), (4.0, 2.776_445), (9.0, 2.262_157), (29.0, 2.045_230), (1e4, 1.960_201)];
        for (df, t) in table {
            assert!((t_quantile(0.975, df) - t).abs() < 1e-5, "df {df}: {}", t_quantile(0.975, df));
        }
        // Beyond 10^4 degrees of freedom, within 2.5e-4 of the limit 1.959964 and never below it.
        for df in [1e4 + 1.0, 1e5, 1e6] {
            let q = t_quantile(0.975, df);
            assert!((1.959_963..1.960_2).contains(&q), "df {df}: {q}");
        }
        assert!((t_quantile(0.025, 4.0) + 2.776_445).abs() < 1e-5, "symmetric");
    }

    #[test]
    fn hand_computed_interval() {
        let s = mean_ci(&[1.0, 2.0, 3.0, 4.0, 5.0], LEVEL).unwrap();
        assert_eq!(s.n, 5);
        assert_eq!(s.mean, 3.0);
        let std = 2.5f64.sqrt();
        assert!((s.std.unwrap() - std).abs() < 1e-12);
        let half = 2.776_445 * std / 5f64.sqrt();
        let (lo, hi) = s.ci.unwrap();
        assert!((lo - (3.0 - half)).abs() < 1e-5 && (hi - (3.0 + half)).abs() < 1e-5, "{lo} {hi}");
    }

    #[test]
    fn one_observation_has_no_interval_and_none_has_no_summary() {
        assert_eq!(mean_ci(&[2.5], LEVEL), Some(MeanCi { n: 1, mean: 2.5, std: None, ci: None }));
        assert_eq!(mean_ci(&[], LEVEL), None);
        let same = mean_ci(&[4.0, 4.0, 4.0], LEVEL).unwrap();
        assert_eq!(same.ci, Some((4.0, 4.0)));
    }
}
