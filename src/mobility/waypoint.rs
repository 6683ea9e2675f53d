//! The random waypoint model (Johnson & Maltz 1996, as analysed by Yoon, Liu & Noble, "Random waypoint considered
//! harmful", INFOCOM 2003): a patient walks in a straight line to a destination drawn uniformly in the area, at a
//! speed drawn uniformly in [v_min, v_max], pauses there, and draws the next leg. Positions are exact at any instant
//! (the walker keeps its current leg); each leg costs three draws from the patient's own stream.

use rand::Rng;

use crate::kernel::EntityRng;

/// One patient's walk.
#[derive(Debug, Clone)]
pub struct Walker {
    rng: EntityRng,
    /// Where and when the current leg starts.
    from: (f64, f64),
    start_s: f64,
    /// Its destination, arrival time and the end of the pause there.
    to: (f64, f64),
    arrive_s: f64,
    leave_s: f64,
}

/// The area and speeds a walker draws from.
#[derive(Debug, Clone, Copy)]
pub struct WaypointArea {
    /// Area width, m.
    pub width_m: f64,
    /// Area height, m.
    pub height_m: f64,
    /// Slowest speed, m/s.
    pub speed_min_mps: f64,
    /// Fastest speed, m/s.
    pub speed_max_mps: f64,
    /// Pause at each waypoint, s.
    pub pause_s: f64,
}

impl Walker {
    /// A walker standing at `at` at time 0, about to draw its first leg.
    pub fn new(rng: EntityRng, at: (f64, f64)) -> Self {
        Walker { rng, from: at, start_s: 0.0, to: at, arrive_s: 0.0, leave_s: 0.0 }
    }

    /// Draws the leg that starts at `self.leave_s` from `self.to`; returns its length (m) and speed (m/s).
    fn next_leg(&mut self, a: &WaypointArea) -> (f64, f64) {
        let dest = (self.rng.random::<f64>() * a.width_m, self.rng.random::<f64>() * a.height_m);
        let v = a.speed_min_mps + self.rng.random::<f64>() * (a.speed_max_mps - a.speed_min_mps);
        let d = (dest.0 - self.to.0).hypot(dest.1 - self.to.1);
        self.from = self.to;
        self.start_s = self.leave_s;
        self.to = dest;
        self.arrive_s = self.start_s + d / v;
        self.leave_s = self.arrive_s + a.pause_s;
        (d, v)
    }

    /// The position at `t_s` (not earlier than the last call's).
    pub fn position(&mut self, t_s: f64, a: &WaypointArea) -> (f64, f64) {
        while t_s >= self.leave_s {
            self.next_leg(a);
        }
        if t_s >= self.arrive_s || self.arrive_s <= self.start_s {
            return self.to;
        }
        let f = ((t_s - self.start_s) / (self.arrive_s - self.start_s)).max(0.0);
        (self.from.0 + f * (self.to.0 - self.from.0), self.from.1 + f * (self.to.1 - self.from.1))
    }
}

/// The time-average speed of random waypoint without pause, m/s: 1 / E[1/V] = (v_max − v_min) / ln(v_max / v_min)
/// (Yoon, Liu & Noble 2003, §4), whatever the area (a leg's time is its length times 1/V, independent).
pub fn time_average_speed_mps(v_min: f64, v_max: f64) -> f64 {
    if v_max == v_min {
        v_min
    } else {
        (v_max - v_min) / (v_max / v_min).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::StreamFactory;

    /// Over many legs, distance walked / time walked matches the closed form within four standard errors of the
    /// ratio estimator (delta method, from the legs' own spread).
    #[test]
    fn time_average_speed_matches_yoon_liu_noble() {
        let a = WaypointArea { width_m: 500.0, height_m: 300.0, speed_min_mps: 0.5, speed_max_mps: 5.0, pause_s: 0.0 };
        let mut w = Walker::new(StreamFactory::new(7, 0).stream(crate::streams::MOBILITY, 0), (0.0, 0.0));
        let legs: Vec<(f64, f64)> = (0..20_000).map(|_| w.next_leg(&a)).map(|(d, v)| (d, d / v)).collect();
        let n = legs.len() as f64;
        let (sd, st) = legs.iter().fold((0.0, 0.0), |(a, b), (d, t)| (a + d, b + t));
        let r = sd / st;
        let mean_t = st / n;
        let var = legs.iter().map(|(d, t)| (d - r * t).powi(2)).sum::<f64>() / (n - 1.0);
        let se = (var / n).sqrt() / mean_t;
        let expect = time_average_speed_mps(0.5, 5.0);
        assert!((r - expect).abs() < 4.0 * se, "measured {r:.4} m/s, closed form {expect:.4} ± {se:.4}");
        assert!(se < 0.02 * expect, "the test can tell a 2 % error: se {se}");
    }

    /// A walker's position is continuous along a leg and rests at the waypoint during the pause.
    #[test]
    fn positions_follow_the_leg_then_pause() {
        let a = WaypointArea { width_m: 100.0, height_m: 100.0, speed_min_mps: 1.0, speed_max_mps: 1.0, pause_s: 5.0 };
        let mut w = Walker::new(StreamFactory::new(1, 0).stream(crate::streams::MOBILITY, 3), (50.0, 50.0));
        let p0 = w.position(0.0, &a);
        assert_eq!(p0, (50.0, 50.0));
        let (to, arrive) = (w.to, w.arrive_s);
        let half = w.position(arrive / 2.0, &a);
        assert!(((half.0 - (50.0 + to.0) / 2.0).abs() < 1e-9) && ((half.1 - (50.0 + to.1) / 2.0).abs() < 1e-9));
        assert_eq!(w.position(arrive + 2.5, &a), to, "pausing at the waypoint");
    }
}
