//! Contention among saturated stations: G. Bianchi, "Performance Analysis of the IEEE 802.11 Distributed
//! Coordination Function", IEEE JSAC 18(3):535–547, March 2000.
//!
//! Each of `n` stations always has a frame to send (saturation); a frame collides with probability `p`, the same
//! for every attempt whatever the station's backoff stage (the model's key approximation). Backoff stage `i` draws
//! its counter uniformly from `0..W_i`, `W_i = 2^min(i, m)·W`, with `W = CWmin + 1` and `2^m·W = CWmax + 1`. The
//! Markov chain of one station gives the probability `τ` that it transmits in a slot (Bianchi eq. 7):
//!
//! ```text
//! τ = 2(1 − 2p) / ((1 − 2p)(W + 1) + pW(1 − (2p)^m))  =  2 / (W + 1 + pW·Σ_{k<m} (2p)^k)
//! p = 1 − (1 − τ)^(n−1)                                                          (eq. 9)
//! ```
//!
//! (the right-hand form has no 0/0 at p = ½). The fixed point is unique (Bianchi §III); it is found by bisection
//! on `p`, since `p − (1 − (1 − τ(p))^(n−1))` increases from ≤ 0 at p = 0 to > 0 at p = 1.

/// Bianchi's access mechanisms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// DATA → SIFS → ACK.
    Basic,
    /// RTS → SIFS → CTS → SIFS → DATA → SIFS → ACK.
    RtsCts,
}

/// Durations entering Bianchi's T_s and T_c (eqs. 14 and 17), all in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BianchiTiming {
    /// Empty slot σ.
    pub slot_s: f64,
    /// SIFS.
    pub sifs_s: f64,
    /// DIFS.
    pub difs_s: f64,
    /// Propagation delay δ.
    pub delay_s: f64,
    /// Header H = PHY header + MAC header.
    pub header_s: f64,
    /// Payload E[P] (also E[P*], the longest payload in a collision: all frames have one length here).
    pub payload_s: f64,
    /// ACK, including its PHY header.
    pub ack_s: f64,
    /// RTS, including its PHY header.
    pub rts_s: f64,
    /// CTS, including its PHY header.
    pub cts_s: f64,
}

impl BianchiTiming {
    /// Bianchi's Table I (FHSS PHY at 1 Mbit/s, so one bit lasts 1 µs): slot 50 µs, SIFS 28 µs, DIFS 128 µs,
    /// propagation delay 1 µs, MAC header 272 bits + PHY header 128 bits, payload 8184 bits, ACK 112 bits + PHY
    /// header, RTS 160 bits + PHY header, CTS 112 bits + PHY header.
    pub fn table_i() -> BianchiTiming {
        let bit_s = 1e-6;
        let phy_hdr = 128.0 * bit_s;
        BianchiTiming {
            slot_s: 50e-6,
            sifs_s: 28e-6,
            difs_s: 128e-6,
            delay_s: 1e-6,
            header_s: phy_hdr + 272.0 * bit_s,
            payload_s: 8184.0 * bit_s,
            ack_s: 112.0 * bit_s + phy_hdr,
            rts_s: 160.0 * bit_s + phy_hdr,
            cts_s: 112.0 * bit_s + phy_hdr,
        }
    }

    /// T_s, the channel's busy time for a successful transmission (eq. 14 basic, eq. 17 RTS/CTS).
    pub fn t_success_s(&self, access: Access) -> f64 {
        let (h, p, d) = (self.header_s, self.payload_s, self.delay_s);
        match access {
            Access::Basic => h + p + self.sifs_s + d + self.ack_s + self.difs_s + d,
            Access::RtsCts => {
                self.rts_s
                    + self.sifs_s
                    + d
                    + self.cts_s
                    + self.sifs_s
                    + d
                    + h
                    + p
                    + self.sifs_s
                    + d
                    + self.ack_s
                    + self.difs_s
                    + d
            }
        }
    }

    /// T_c, the channel's busy time for a collision (eq. 14 basic: H + E[P*] + DIFS + δ; eq. 17: RTS + DIFS + δ).
    pub fn t_collision_s(&self, access: Access) -> f64 {
        match access {
            Access::Basic => self.header_s + self.payload_s + self.difs_s + self.delay_s,
            Access::RtsCts => self.rts_s + self.difs_s + self.delay_s,
        }
    }
}

/// τ(p) of Bianchi's eq. 7 in the form without a singularity at p = ½.
fn tau_of_p(p: f64, w: f64, m: u32) -> f64 {
    let mut sum = 0.0;
    let mut term = 1.0;
    for _ in 0..m {
        sum += term;
        term *= 2.0 * p;
    }
    2.0 / (w + 1.0 + p * w * sum)
}

/// The fixed point (τ, p) of Bianchi's eqs. 7 and 9 for `n` saturated stations, minimum window `w` = CWmin + 1
/// and `m` doubling stages. n = 0 or 1 gives p = 0, τ = 2/(W + 1). Bisection to 1e-15 in p (at most 60 halvings).
pub fn bianchi(n: u32, w: u32, m: u32) -> (f64, f64) {
    let wf = f64::from(w.max(1));
    if n <= 1 {
        return (tau_of_p(0.0, wf, m), 0.0);
    }
    let others = f64::from(n - 1);
    // g(p) = 1 − (1 − τ(p))^(n−1), via exp/ln_1p for accuracy when τ is small.
    let g = |p: f64| -(others * (-tau_of_p(p, wf, m)).ln_1p()).exp_m1();
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    while hi - lo > 1e-15 {
        let mid = 0.5 * (lo + hi);
        if mid - g(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let p = 0.5 * (lo + hi);
    (tau_of_p(p, wf, m), p)
}

/// Normalised saturation throughput S (Bianchi eq. 13): the fraction of time the channel carries payload,
/// S = P_s·P_tr·E[P] / ((1 − P_tr)·σ + P_tr·P_s·T_s + P_tr·(1 − P_s)·T_c), with P_tr = 1 − (1 − τ)^n and
/// P_s = nτ(1 − τ)^(n−1) / P_tr.
pub fn saturation_throughput(n: u32, w: u32, m: u32, timing: &BianchiTiming, access: Access) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let (tau, _) = bianchi(n, w, m);
    let nf = f64::from(n);
    let p_tr = 1.0 - (1.0 - tau).powi(n as i32);
    let p_s = nf * tau * (1.0 - tau).powi(n as i32 - 1) / p_tr;
    let ts = timing.t_success_s(access);
    let tc = timing.t_collision_s(access);
    p_s * p_tr * timing.payload_s / ((1.0 - p_tr) * timing.slot_s + p_tr * p_s * ts + p_tr * (1.0 - p_s) * tc)
}

/// What contention costs one station per successfully delivered frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contention {
    /// Probability p that an attempt collides.
    pub collision_prob: f64,
    /// Mean backoff slots counted down per delivered frame, over all its attempts (and over the attempts of
    /// frames dropped at the retry limit, shared among the delivered ones).
    pub mean_backoff_slots_per_success: f64,
    /// Mean transmission attempts per delivered frame: 1/(1 − p).
    pub mean_attempts_per_success: f64,
    /// Probability that a frame is dropped after `retry_limit` failed attempts: p^retry_limit.
    pub drop_prob: f64,
}

/// The saturated (worst-case) contention among `n` stations attached to one access point, from Bianchi's fixed
/// point: every station always has a frame queued, so `p` is the highest collision probability `n` stations can
/// cause. Under the light load of periodic medical samples most slots are empty and the real `p` is far lower:
/// this overstates collisions, retries, backoff and energy, increasingly so as the offered load falls below
/// saturation. `n` = 1 (or 0) gives p = 0 and a mean backoff of CWmin/2 slots.
///
/// Attempt j (0-based) happens with probability p^j and draws a mean of (W_j − 1)/2 slots with
/// W_j = 2^min(j, m)·W; a frame is dropped after `retry_limit` attempts (dot11ShortRetryLimit, 7), so per delivered
/// frame: backoff = Σ_{j<R} p^j (W_j − 1)/2 / (1 − p^R), attempts = Σ_{j<R} p^j / (1 − p^R) = 1/(1 − p), and
/// drop = p^R.
pub fn contention(n: u32, w: u32, m: u32, retry_limit: u32) -> Contention {
    let (_, p) = bianchi(n, w, m);
    let r = retry_limit.max(1);
    let mut reach = 1.0; // p^j
    let mut backoff = 0.0;
    let mut window = f64::from(w.max(1));
    for j in 0..r {
        backoff += reach * (window - 1.0) / 2.0;
        reach *= p;
        if j < m {
            window *= 2.0;
        }
    }
    let delivered = 1.0 - reach; // 1 − p^R
    Contention {
        collision_prob: p,
        mean_backoff_slots_per_success: backoff / delivered,
        mean_attempts_per_success: 1.0 / (1.0 - p),
        drop_prob: reach,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Slotted Monte-Carlo of `n` saturated stations with binary exponential backoff and no retry limit (Bianchi's
    /// setting), written independently of the fixed point: per virtual slot, every station whose counter is 0
    /// transmits; one transmitter is a success, two or more a collision; transmitters redraw their counter from
    /// stage 0 (success) or the next stage (collision, capped at m); the others count down. Returns S, the
    /// collision probability seen by transmitters, and the standard error of S from 20 batch means.
    fn monte_carlo(
        n: usize,
        w: u32,
        m: u32,
        t: &BianchiTiming,
        access: Access,
        slots: u64,
        seed: u64,
    ) -> (f64, f64, f64) {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
        let mut stage = vec![0u32; n];
        let mut counter: Vec<u32> = (0..n).map(|_| rng.random_range(0..w)).collect();
        let (ts, tc) = (t.t_success_s(access), t.t_collision_s(access));
        let batches = 20;
        let per_batch = slots / batches;
        let mut batch_s = Vec::new();
        let (mut attempts, mut collided) = (0u64, 0u64);
        for _ in 0..batches {
            let (mut busy_payload, mut time) = (0.0, 0.0);
            for _ in 0..per_batch {
                let tx = counter.iter().filter(|&&c| c == 0).count();
                attempts += tx as u64;
                match tx {
                    0 => time += t.slot_s,
                    1 => {
                        time += ts;
                        busy_payload += t.payload_s;
                    }
                    _ => {
                        time += tc;
                        collided += tx as u64;
                    }
                }
                for i in 0..n {
                    if counter[i] == 0 {
                        stage[i] = if tx == 1 { 0 } else { (stage[i] + 1).min(m) };
                        counter[i] = rng.random_range(0..(w << stage[i]));
                    } else {
                        counter[i] -= 1;
                    }
                }
            }
            batch_s.push(busy_payload / time);
        }
        let mean = batch_s.iter().sum::<f64>() / batches as f64;
        let var = batch_s.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (batches as f64 - 1.0);
        (mean, collided as f64 / attempts as f64, (var / batches as f64).sqrt())
    }

    #[test]
    fn analytic_throughput_within_monte_carlo_interval() {
        // Tolerance: 5 standard errors of the Monte-Carlo mean (batch means, 20 batches of 10^5 slots) plus 2% of S
        // for the model's decoupling approximation (constant p whatever the stage). The 2% allowance is ours (Bianchi
        // compares analysis with simulation in his figures; we could not retrieve their numbers); the measured gaps
        // (printed with --nocapture) stay below 0.3% for S and 2% for p.
        let t = BianchiTiming::table_i();
        for access in [Access::Basic, Access::RtsCts] {
            for (n, seed) in [(5, 1), (10, 2), (20, 3), (50, 4)] {
                let analytic = saturation_throughput(n, 32, 3, &t, access);
                let (mc, mc_p, se) = monte_carlo(n as usize, 32, 3, &t, access, 2_000_000, seed);
                let (_, p) = bianchi(n, 32, 3);
                println!("{access:?} n={n}: analytic S={analytic:.4} p={p:.4}; MC S={mc:.4}±{se:.4} p={mc_p:.4}");
                assert!((analytic - mc).abs() <= 5.0 * se + 0.02 * mc, "{access:?} n={n}: {analytic} vs {mc}±{se}");
                // The collision probability: same 2% decoupling allowance plus 0.005 absolute for sampling.
                assert!((p - mc_p).abs() <= 0.02 * mc_p + 0.005, "{access:?} n={n}: p {p} vs {mc_p}");
            }
        }
    }
}
