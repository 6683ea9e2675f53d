//! Integer simulated time.
//!
//! Simulated time is a `u64` count of nanoseconds behind the [`SimTime`] newtype, as in ns-3's `Time` and
//! OMNeT++'s `SimTime`: two events scheduled for "the same" instant compare equal exactly, with no epsilon.
//! 2^64 ns is about 584 years, far beyond any scenario. The same type serves for instants and for durations.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// Nanoseconds per second.
const NANOS_PER_SEC: u64 = 1_000_000_000;

/// `x.round()` (halves away from zero) for `x >= 0` (or −0, or +∞; not NaN), without the call to the software `round` that
/// the baseline x86-64 target makes (no SSE4.1): the conversions to and from `u64` truncate in hardware. Below 2^52
/// the integer part `t` and the fraction `x − t` are exact (the fraction by Sterbenz's lemma for t ≥ 1), so the
/// comparison with ½ decides as `round` does; from 2^52 on every `f64` is already an integer.
#[inline]
fn round_non_negative(x: f64) -> f64 {
    const INTEGERS_FROM: f64 = (1u64 << 52) as f64;
    if x >= INTEGERS_FROM {
        return x;
    }
    let t = (x as u64) as f64;
    if x - t >= 0.5 {
        t + 1.0
    } else {
        t
    }
}

/// A point in simulated time, or a duration, in whole nanoseconds.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(u64);

/// Why a floating-point number of seconds cannot become a [`SimTime`].
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum TimeError {
    /// The value is negative.
    #[error("{0} s is negative; simulated time starts at 0")]
    Negative(f64),
    /// The value is NaN or infinite.
    #[error("{0} s is not a finite number")]
    NotFinite(f64),
    /// The value does not fit in 64 bits of nanoseconds (about 584 years).
    #[error("{0} s exceeds the largest simulated time (about 584 years)")]
    TooLarge(f64),
}

impl SimTime {
    /// Time zero, the start of every simulation.
    pub const ZERO: SimTime = SimTime(0);
    /// The largest representable time; used as "never".
    pub const MAX: SimTime = SimTime(u64::MAX);

    /// From whole nanoseconds.
    pub const fn from_nanos(ns: u64) -> Self {
        SimTime(ns)
    }
    /// From whole microseconds.
    pub const fn from_micros(us: u64) -> Self {
        SimTime(us * 1_000)
    }
    /// From whole milliseconds.
    pub const fn from_millis(ms: u64) -> Self {
        SimTime(ms * 1_000_000)
    }
    /// From whole seconds.
    pub const fn from_secs(s: u64) -> Self {
        SimTime(s * NANOS_PER_SEC)
    }

    /// From seconds as a float, rounded to the nearest nanosecond; rejects negative, non-finite and huge values.
    pub fn try_from_secs_f64(secs: f64) -> Result<Self, TimeError> {
        if !secs.is_finite() {
            return Err(TimeError::NotFinite(secs));
        }
        if secs < 0.0 {
            return Err(TimeError::Negative(secs));
        }
        let ns = round_non_negative(secs * NANOS_PER_SEC as f64);
        if ns >= u64::MAX as f64 {
            return Err(TimeError::TooLarge(secs));
        }
        Ok(SimTime(ns as u64))
    }

    /// From seconds as a float, rounded to the nearest nanosecond.
    ///
    /// # Panics
    /// On negative, non-finite or huge input; use [`SimTime::try_from_secs_f64`] for values a user supplies.
    pub fn from_secs_f64(secs: f64) -> Self {
        match Self::try_from_secs_f64(secs) {
            Ok(t) => t,
            Err(e) => panic!("invalid simulated time: {e}"),
        }
    }

    /// Whole nanoseconds.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }
    /// Seconds as a float.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / NANOS_PER_SEC as f64
    }
    /// `self - earlier`, or zero if `earlier` is later.
    pub const fn saturating_sub(self, earlier: SimTime) -> SimTime {
        SimTime(self.0.saturating_sub(earlier.0))
    }
    /// `self + d`, or [`SimTime::MAX`] on overflow.
    pub const fn saturating_add(self, d: SimTime) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
    /// `self * n`, saturating at [`SimTime::MAX`].
    pub const fn saturating_mul(self, n: u64) -> SimTime {
        SimTime(self.0.saturating_mul(n))
    }
}

impl Add for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimTime) -> SimTime {
        SimTime(self.0.checked_add(rhs.0).expect("simulated time overflow"))
    }
}

impl AddAssign for SimTime {
    fn add_assign(&mut self, rhs: SimTime) {
        *self = *self + rhs;
    }
}

impl Sub for SimTime {
    type Output = SimTime;
    fn sub(self, rhs: SimTime) -> SimTime {
        SimTime(self.0.checked_sub(rhs.0).expect("simulated time underflow"))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:09} s", self.0 / NANOS_PER_SEC, self.0 % NANOS_PER_SEC)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_round_trip_to_the_nanosecond() {
        let t = SimTime::from_secs_f64(1.5e-3);
        assert_eq!(t.as_nanos(), 1_500_000);
        assert_eq!(t.as_secs_f64(), 1.5e-3);
        assert_eq!(SimTime::from_secs_f64(0.1).as_nanos(), 100_000_000);
    }

    #[test]
    fn unit_constructors_agree() {
        assert_eq!(SimTime::from_secs(2), SimTime::from_millis(2_000));
        assert_eq!(SimTime::from_millis(3), SimTime::from_micros(3_000));
        assert_eq!(SimTime::from_micros(4), SimTime::from_nanos(4_000));
    }

    #[test]
    fn bad_floats_are_rejected() {
        assert!(matches!(SimTime::try_from_secs_f64(-1.0), Err(TimeError::Negative(_))));
        assert!(matches!(SimTime::try_from_secs_f64(f64::NAN), Err(TimeError::NotFinite(_))));
        assert!(matches!(SimTime::try_from_secs_f64(1e12), Err(TimeError::TooLarge(_))));
    }

    /// The rounding agrees with `f64::round` at halves, next to them, near 2^52 and on a spread of values.
    #[test]
    fn rounding_matches_f64_round() {
        let two52 = (1u64 << 52) as f64;
        let mut xs = vec![0.0, -0.0, 0.5, 1.5, 2.5, 0.49999999999999994, 1e9 + 0.5, two52 - 0.5, two52, two52 + 1.0];
        xs.extend([f64::INFINITY, 4.5e15, 1.8e19, 2.0e19]);
        for x in xs.clone() {
            // The neighbouring floats (`next_up`/`next_down` need a newer Rust than the crate's minimum).
            let bits = x.abs().to_bits();
            xs.extend(
                [f64::from_bits(bits + 1), f64::from_bits(bits.saturating_sub(1))].into_iter().filter(|y| *y >= 0.0),
            );
        }
        xs.extend((0..100_000).map(|i| (i as f64 * 0.61803398875).powi(3) * 1e-3));
        for x in xs {
            assert_eq!(round_non_negative(x).to_bits(), x.round().abs().to_bits(), "{x:e}");
        }
    }

    #[test]
    fn display_is_exact() {
        assert_eq!(SimTime::from_nanos(1_000_000_001).to_string(), "1.000000001 s");
    }
}
