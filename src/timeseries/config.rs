//! The `[output]` table: what a run writes beyond its usual files. Today one key, `interval_s`, which turns on
//! `timeseries.csv` (off by default, so a scenario without it writes exactly what it wrote before).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kernel::SimTime;
use crate::scenario::checker::Checker;

/// The most intervals a run may be cut into: `(duration_s + drain_s) / interval_s`, rounded up. Each is one row
/// of `timeseries.csv` (about 200 bytes of memory and of text), so the cap bounds both at about 20 MB.
pub const MAX_INTERVALS: u64 = 100_000;

/// `[output]`: extra outputs of a run (all off by default).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawOutput {
    /// Length of one row of `timeseries.csv`, in seconds (> 0; at most 100,000 rows over duration_s + drain_s).
    /// Absent (the default): no time series is kept and the run writes exactly what it writes without this table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval_s: Option<f64>,
}

impl RawOutput {
    /// Whether the table asks for nothing (it is then left out of `scenario.resolved.toml`).
    pub fn is_off(&self) -> bool {
        self.interval_s.is_none()
    }
}

/// The validated `[output]` table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutputSpec {
    /// Length of one interval of `timeseries.csv` (`None`: no time series).
    pub interval: Option<SimTime>,
}

impl OutputSpec {
    /// The number of intervals of a run that ends at `end`: `ceil(end / interval)` (the last one may be partial),
    /// at least one; 0 without a time series.
    pub fn intervals(&self, end: SimTime) -> u64 {
        self.interval.map_or(0, |i| end.as_nanos().div_ceil(i.as_nanos()).max(1))
    }
}

/// Checks `[output]`; `end` is the run's end (duration plus drain), which bounds the number of intervals.
pub(crate) fn output(c: &mut Checker, raw: &RawOutput, end: SimTime) -> OutputSpec {
    let Some(secs) = raw.interval_s else { return OutputSpec::default() };
    // A refused value comes back as zero (the checker has recorded why).
    let interval = c.time("output.interval_s", secs, true);
    if interval == SimTime::ZERO {
        return OutputSpec::default();
    }
    let spec = OutputSpec { interval: Some(interval) };
    let n = spec.intervals(end);
    if n > MAX_INTERVALS {
        c.fail(
            "output.interval_s",
            format!(
                "{secs} s cuts the run (duration_s + drain_s = {} s) into {n} intervals, more than the {MAX_INTERVALS} \
                 allowed; use interval_s >= {} s",
                end.as_secs_f64(),
                end.as_secs_f64() / MAX_INTERVALS as f64
            ),
        );
        return OutputSpec::default();
    }
    spec
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(secs: f64, end_s: f64) -> Result<OutputSpec, String> {
        let mut c = Checker::new();
        let spec = output(&mut c, &RawOutput { interval_s: Some(secs) }, SimTime::from_secs_f64(end_s));
        match c.into_problems().first() {
            None => Ok(spec),
            Some(p) => Err(format!("{}: {}", p.key, p.message)),
        }
    }

    #[test]
    fn counts_intervals_with_a_partial_last_one() {
        let spec = check(10.0, 95.0).unwrap();
        assert_eq!(spec.interval, Some(SimTime::from_secs_f64(10.0)));
        assert_eq!(spec.intervals(SimTime::from_secs_f64(95.0)), 10);
        assert_eq!(spec.intervals(SimTime::from_secs_f64(100.0)), 10);
        assert_eq!(spec.intervals(SimTime::from_nanos(100_000_000_001)), 11);
        assert_eq!(OutputSpec::default().intervals(SimTime::from_secs_f64(5.0)), 0);
    }

    #[test]
    fn refuses_zero_negative_nan_and_too_many_intervals() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let e = check(bad, 60.0).unwrap_err();
            assert!(e.starts_with("output.interval_s: "), "{e}");
        }
        let e = check(1e-3, 1000.0).unwrap_err();
        assert!(e.contains("1000000 intervals") && e.contains("100000 allowed") && e.contains(">= 0.01 s"), "{e}");
        assert!(check(0.01, 1000.0).is_ok(), "exactly the cap is allowed");
    }
}
