//! Wearables: each carries the scenario's sensors and samples them periodically.
//!
//! A wearable starts at a random phase φ, uniform over [0, longest period). Sensor `s` with period `T_s` has nominal
//! instants `φ mod T_s + k·T_s`; each sample is taken a uniform random delay in `[0, jitter_s]` after its nominal
//! instant. Because `jitter_s < T_s`, the nominal instant of a sample taken at `t` is recovered as
//! `φ_s + floor((t − φ_s)/T_s)·T_s`, so jitter never accumulates. The model keeps each sensor's next due time (and one
//! pending sample event per wearable, at the earliest); this struct keeps only the stream and the phase.

use rand::Rng;

use crate::chain::SensorSpec;
use crate::kernel::{EntityRng, SimTime};

/// One wearable's state: its random stream and its phase.
#[derive(Debug, Clone)]
pub struct Wearable {
    /// Phase and jitter draws.
    pub rng: EntityRng,
    /// Phase in nanoseconds, in [0, longest period).
    pub phase_ns: u64,
}

impl Wearable {
    /// A wearable with its phase drawn from `rng`.
    pub fn new(mut rng: EntityRng, longest_period: SimTime) -> Self {
        let phase_ns = rng.random_range(0..longest_period.as_nanos().max(1));
        Wearable { rng, phase_ns }
    }

    /// Draws the uniform delay after a nominal instant.
    fn jitter(&mut self, sensor: &SensorSpec) -> u64 {
        match sensor.jitter.as_nanos() {
            0 => 0,
            j => self.rng.random_range(0..=j),
        }
    }

    /// Time of the first sample of `sensor`.
    pub fn first_sample(&mut self, sensor: &SensorSpec) -> SimTime {
        let nominal = self.phase_ns % sensor.period.as_nanos();
        SimTime::from_nanos(nominal + self.jitter(sensor))
    }

    /// Time of the sample after the one taken at `now`.
    pub fn next_sample(&mut self, sensor: &SensorSpec, now: SimTime) -> SimTime {
        let period = sensor.period.as_nanos();
        let phase = self.phase_ns % period;
        let k = (now.as_nanos() - phase) / period;
        SimTime::from_nanos(phase + (k + 1) * period + self.jitter(sensor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::StreamFactory;

    #[test]
    fn nominal_grid_is_kept_despite_jitter() {
        let s = SensorSpec {
            name: "x".into(),
            period: SimTime::from_millis(100),
            sample_bytes: 1,
            jitter: SimTime::from_millis(99),
        };
        let mut w = Wearable::new(StreamFactory::new(3, 0).stream(0, 0), SimTime::from_secs(1));
        let phase = w.phase_ns % 100_000_000;
        let mut t = w.first_sample(&s);
        for k in 0..1000u64 {
            let nominal = phase + k * 100_000_000;
            assert!(t.as_nanos() >= nominal && t.as_nanos() <= nominal + 99_000_000, "sample {k} at {t}");
            t = w.next_sample(&s, t);
        }
    }
}
