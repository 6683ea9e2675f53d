//! Domain-free statistics: latency distributions with exact mean and bounded memory.

use hdrhistogram::Histogram;
use serde::Serialize;

use crate::kernel::SimTime;

/// Significant decimal digits kept by the latency histograms (relative error <= 0.05%).
const SIGNIFICANT_DIGITS: u8 = 3;

/// A distribution of durations: exact count, mean, minimum and maximum, and quantiles from an HDR histogram
/// (`hdrhistogram` crate) with three significant digits, so memory does not grow with the number of observations.
#[derive(Debug, Clone)]
pub struct LatencyStats {
    hist: Histogram<u64>,
    sum_ns: u128,
    min_ns: u64,
    max_ns: u64,
}

impl Default for LatencyStats {
    fn default() -> Self {
        LatencyStats {
            hist: Histogram::new(SIGNIFICANT_DIGITS).expect("3 significant digits is a valid precision"),
            sum_ns: 0,
            min_ns: u64::MAX,
            max_ns: 0,
        }
    }
}

/// The summary of a [`LatencyStats`], in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencySummary {
    /// Observations.
    pub count: u64,
    /// Exact mean, in seconds (0 when empty).
    pub mean: f64,
    /// Exact minimum, in seconds (0 when empty).
    pub min: f64,
    /// Median, in seconds (to three significant digits).
    pub p50: f64,
    /// 95th percentile, in seconds (to three significant digits).
    pub p95: f64,
    /// 99th percentile, in seconds (to three significant digits).
    pub p99: f64,
    /// Exact maximum, in seconds.
    pub max: f64,
}

impl LatencyStats {
    /// Records one duration.
    #[inline]
    pub fn record(&mut self, d: SimTime) {
        let ns = d.as_nanos();
        if self.hist.record(ns).is_err() {
            // Only values beyond the auto-resizing histogram's reach (> 2^63 ns) fail; clamp those.
            self.hist.saturating_record(ns);
        }
        self.sum_ns += ns as u128;
        self.min_ns = self.min_ns.min(ns);
        self.max_ns = self.max_ns.max(ns);
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.hist.len()
    }

    /// Forgets every observation (keeps the histogram's memory).
    pub fn reset(&mut self) {
        self.hist.reset();
        self.sum_ns = 0;
        self.min_ns = u64::MAX;
        self.max_ns = 0;
    }

    /// Adds every observation of `other`.
    pub fn merge(&mut self, other: &LatencyStats) {
        self.hist.add(&other.hist).expect("auto-resizing histograms always merge");
        self.sum_ns += other.sum_ns;
        self.min_ns = self.min_ns.min(other.min_ns);
        self.max_ns = self.max_ns.max(other.max_ns);
    }

    /// The duration below which a fraction `q` of observations lie (to three significant digits), in seconds.
    pub fn quantile_s(&self, q: f64) -> f64 {
        if self.count() == 0 {
            return 0.0;
        }
        // The histogram reports the top of the bucket; the exact maximum bounds it.
        self.hist.value_at_quantile(q).min(self.max_ns) as f64 * 1e-9
    }

    /// Summary in seconds.
    pub fn summary(&self) -> LatencySummary {
        let n = self.count();
        if n == 0 {
            return LatencySummary { count: 0, mean: 0.0, min: 0.0, p50: 0.0, p95: 0.0, p99: 0.0, max: 0.0 };
        }
        LatencySummary {
            count: n,
            mean: (self.sum_ns as f64 / n as f64) * 1e-9,
            min: self.min_ns as f64 * 1e-9,
            p50: self.quantile_s(0.50),
            p95: self.quantile_s(0.95),
            p99: self.quantile_s(0.99),
            max: self.max_ns as f64 * 1e-9,
        }
    }

    /// Points of the empirical CDF, one per histogram bucket that holds observations: (seconds, fraction <=).
    pub fn cdf(&self) -> Vec<(f64, f64)> {
        let n = self.count() as f64;
        let mut acc = 0u64;
        self.hist
            .iter_recorded()
            .map(|v| {
                acc += v.count_at_value();
                (v.value_iterated_to() as f64 * 1e-9, acc as f64 / n)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_mean_min_max_and_close_quantiles() {
        let mut s = LatencyStats::default();
        for ms in 1..=100u64 {
            s.record(SimTime::from_millis(ms));
        }
        let sum = s.summary();
        assert_eq!(sum.count, 100);
        assert!((sum.mean - 0.0505).abs() < 1e-12);
        assert_eq!(sum.min, 0.001);
        assert_eq!(sum.max, 0.1);
        assert!((sum.p50 - 0.050).abs() <= 0.050 * 1e-3, "{}", sum.p50);
        assert!((sum.p95 - 0.095).abs() <= 0.095 * 1e-3, "{}", sum.p95);
        assert!((sum.p99 - 0.099).abs() <= 0.099 * 1e-3, "{}", sum.p99);
    }

    #[test]
    fn empty_is_all_zero() {
        assert_eq!(LatencyStats::default().summary().count, 0);
        assert_eq!(LatencyStats::default().summary().mean, 0.0);
    }
}
