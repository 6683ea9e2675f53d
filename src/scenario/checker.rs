//! The [`Checker`] every mechanism's `validate.rs` uses: range checks that record a [`Problem`] naming the key and
//! what is allowed, so that all problems of a scenario are reported at once. Kept apart from
//! [`super::validate`], which calls the mechanisms' checks, so that no file imports one that imports it back.

use crate::kernel::SimTime;

/// One thing wrong with a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted key path, e.g. `links.ban.loss_prob`.
    pub key: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// Largest count of wearables, patients or cloudlets (indices are `u32`; entity ids need < 2^48).
const MAX_ENTITIES: u64 = u32::MAX as u64 - 1;

/// Longest time any key may give, and longest time a packet may take to serialise, in seconds (about 31.7 years).
/// The model adds such times to the clock (end of run + a period, a transmission, a latency or a batch interval);
/// with every term at most this, no sum comes near the 64-bit nanosecond clock's limit of about 584 years.
pub(crate) const MAX_TIME_S: f64 = 1e9;

/// Shortest positive time a key may give, in seconds: the clock counts whole nanoseconds, so a shorter period or
/// gap would round to one nanosecond or to zero.
const MIN_TIME_S: f64 = 1e-9;

/// Highest rate of events a key may ask for, per second: one per nanosecond, the clock's resolution.
const MAX_RATE_PER_S: f64 = 1e9;

pub(crate) struct Checker {
    pub(super) problems: Vec<Problem>,
}

/// A number as a message shows it: in scientific notation when it is huge or tiny (`1e300`, not 301 digits).
pub(crate) fn shown(x: f64) -> String {
    if x.is_finite() && x != 0.0 && !(1e-4..1e12).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

impl Checker {
    /// A checker with no problem found yet.
    pub(crate) fn new() -> Self {
        Checker { problems: Vec::new() }
    }

    /// The problems found (for unit tests of checks outside `scenario`).
    #[cfg(test)]
    pub(crate) fn into_problems(self) -> Vec<Problem> {
        self.problems
    }

    pub(crate) fn fail(&mut self, key: &str, message: impl Into<String>) {
        self.problems.push(Problem { key: key.to_string(), message: message.into() });
    }

    pub(crate) fn time(&mut self, key: &str, secs: f64, positive: bool) -> SimTime {
        if secs.is_finite() && secs > MAX_TIME_S {
            self.fail(key, format!("must be at most {MAX_TIME_S:e} s, about 31 years (got {})", shown(secs)));
            return SimTime::ZERO;
        }
        if positive && secs > 0.0 && secs < MIN_TIME_S {
            self.fail(
                key,
                format!(
                    "must be at least {MIN_TIME_S:e} s, the clock's resolution of one nanosecond (got {})",
                    shown(secs)
                ),
            );
            return SimTime::ZERO;
        }
        match SimTime::try_from_secs_f64(secs) {
            Ok(t) if positive && t == SimTime::ZERO => {
                self.fail(key, format!("must be > 0 s (got {}); allowed: a positive number of seconds", shown(secs)));
                SimTime::ZERO
            }
            Ok(t) => t,
            Err(e) => {
                let allowed = if positive { "a positive number of seconds" } else { "a number of seconds >= 0" };
                self.fail(key, format!("{e}; allowed: {allowed}"));
                SimTime::ZERO
            }
        }
    }

    /// A probability: in [0, 1].
    pub(crate) fn probability(&mut self, key: &str, p: f64) -> f64 {
        if !(0.0..=1.0).contains(&p) {
            self.fail(key, format!("must be a probability in [0, 1] (got {})", shown(p)));
        }
        p
    }

    pub(crate) fn positive(&mut self, key: &str, v: f64) -> f64 {
        if !(v.is_finite() && v > 0.0) {
            self.fail(key, format!("must be a finite number > 0 (got {})", shown(v)));
        }
        v
    }

    pub(crate) fn non_negative(&mut self, key: &str, v: f64) -> f64 {
        if !(v.is_finite() && v >= 0.0) {
            self.fail(key, format!("must be a finite number >= 0 (got {})", shown(v)));
        }
        v
    }

    /// A rate per second: finite, at least 0 (above 0 if `positive`), and at most [`MAX_RATE_PER_S`].
    pub(crate) fn rate(&mut self, key: &str, v: f64, positive: bool) -> f64 {
        let (ok, allowed) = if positive { (v > 0.0, "> 0") } else { (v >= 0.0, ">= 0") };
        if !(v.is_finite() && ok) {
            self.fail(key, format!("must be a finite number {allowed} per second (got {})", shown(v)));
        } else if v > MAX_RATE_PER_S {
            self.fail(
                key,
                format!(
                    "must be at most {MAX_RATE_PER_S:e} per second (got {}): the clock counts whole nanoseconds, so \
                     a faster rate cannot be simulated",
                    shown(v)
                ),
            );
        }
        v
    }

    pub(crate) fn count(&mut self, key: &str, v: u64, min: u64) -> u32 {
        if v < min || v > MAX_ENTITIES {
            self.fail(key, format!("must be an integer from {min} to {MAX_ENTITIES} (got {v})"));
            return min as u32;
        }
        v as u32
    }

    pub(crate) fn small(&mut self, key: &str, v: u64) -> u32 {
        u32::try_from(v).unwrap_or_else(|_| {
            self.fail(key, format!("must be at most {} (got {v})", u32::MAX));
            0
        })
    }

    /// The cloudlet indices listed under `key`, in order: each must be below `cloudlets` and appear once; the
    /// others are reported and left out.
    pub(crate) fn cloudlet_indices(&mut self, key: &str, list: &[u64], cloudlets: u32) -> Vec<u32> {
        let mut indices = Vec::with_capacity(list.len());
        for &i in list {
            if i >= u64::from(cloudlets) {
                self.fail(key, format!("{i} is not a cloudlet index (allowed: 0 to {})", cloudlets - 1));
            } else if indices.contains(&(i as u32)) {
                self.fail(key, format!("lists {i} twice"));
            } else {
                indices.push(i as u32);
            }
        }
        indices
    }
}
