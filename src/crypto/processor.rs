//! The processors that do the cryptographic work: a wearable's or gateway's microcontroller seals samples, a
//! cloudlet's cores open them.
//!
//! A job of `c` cycles occupies one processor for `c ÷ clock` (rounded to the nanosecond). Under
//! `energy.processor.timing = "queued"` each processor serves its jobs first come, first served: a job that finds it
//! busy starts when it frees, and its result (a sealed sample, an opened one) is ready when it ends. A cloudlet has
//! `cloudlet_cores` identical processors; a job takes the one that frees first (lowest index on ties), an M/G/c
//! queue's discipline. Under `"instant"` every job is ready at once, as in earlier versions; the busy time is still
//! counted, so the utilisation it would cause is reported either way.
//!
//! State: the free time of each cloudlet core, and the busy time of each gateway and cloudlet for the busiest node's
//! utilisation. A sender (wearable or gateway) has one processor, which seals every packet it puts on its uplink,
//! first come, first served: it is free when the last packet it sealed was ready. That packet is the tail of the
//! uplink's queue as long as it has not left (its transfer starts no sooner than it is ready), so the chain finds the
//! free time there, and a wearable costs no memory here.

use serde::Serialize;

use crate::energy::config::ProcessorSpec;
use crate::energy::raw::ProcessorTiming;
use crate::kernel::SimTime;

/// A kind of processor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cpu {
    /// A wearable's microcontroller.
    Wearable = 0,
    /// A BAN gateway's microcontroller.
    Gateway = 1,
    /// A cloudlet's server cores.
    Cloudlet = 2,
}

/// Totals of one kind of processor.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    jobs: u64,
    busy_ns: u64,
    wait_ns: u64,
    max_wait_ns: u64,
}

/// Every processor that does cryptographic work, and its totals.
#[derive(Debug, Clone)]
pub struct Processors {
    queued: bool,
    hz: [f64; 3],
    /// Processors per node, by kind (1, 1, cloudlet cores).
    cores: [usize; 3],
    /// When each cloudlet core is next free: cloudlet-major, `cloudlet_cores` per cloudlet (empty under `instant`).
    /// A sender's single processor keeps no such state here: the chain knows when it is free (see [`Self::run_after`]).
    cloudlet_free_at: Vec<SimTime>,
    /// Busy time of each gateway and cloudlet (all its cores), ns; not kept for wearables.
    node_busy_ns: [Vec<u64>; 3],
    tally: [Tally; 3],
    units: [usize; 3],
}

impl Processors {
    /// Processors for `units[k]` nodes of each kind (0 for a kind that does no cryptographic work).
    pub fn new(spec: &ProcessorSpec, units: [usize; 3]) -> Self {
        let cores = [1, 1, spec.cloudlet_cores as usize];
        let queued = spec.timing == ProcessorTiming::Queued;
        Processors {
            queued,
            hz: [spec.wearable_hz, spec.gateway_hz, spec.cloudlet_hz],
            cores,
            cloudlet_free_at: if queued { vec![SimTime::ZERO; units[2] * cores[2]] } else { Vec::new() },
            node_busy_ns: std::array::from_fn(|k| if k == 0 { Vec::new() } else { vec![0; units[k]] }),
            tally: [Tally::default(); 3],
            units,
        }
    }

    /// The time `cycles` take on a processor of kind `cpu`.
    pub fn duration(&self, cpu: Cpu, cycles: f64) -> SimTime {
        // Clocks are at least 1 kHz (validated), so a job of up to 1.8e13 cycles fits the clock's range.
        SimTime::from_nanos((cycles / self.hz[cpu as usize] * 1e9).round().min(u64::MAX as f64 / 2.0) as u64)
    }

    /// How long a job handed to cloudlet `index` at `now` would wait for its first free core (zero under `instant`
    /// timing, or for a cloudlet that has run nothing).
    pub fn cloudlet_backlog(&self, index: usize, now: SimTime) -> SimTime {
        let c = self.cores[Cpu::Cloudlet as usize];
        let slots = self.cloudlet_free_at.get(index * c..(index + 1) * c).unwrap_or_default();
        slots.iter().copied().min().map_or(SimTime::ZERO, |f| f.saturating_sub(now))
    }

    /// Runs a job of `cycles` on cloudlet `index`, handed over at `now`, on the core that frees first (lowest index
    /// on ties); returns when it is done.
    pub fn run(&mut self, index: usize, cycles: f64, now: SimTime) -> SimTime {
        let d = self.count(Cpu::Cloudlet, index, cycles);
        if !self.queued {
            return now;
        }
        let c = self.cores[Cpu::Cloudlet as usize];
        let slots = &mut self.cloudlet_free_at[index * c..(index + 1) * c];
        let mut best = 0;
        for (i, f) in slots.iter().enumerate().skip(1) {
            if *f < slots[best] {
                best = i;
            }
        }
        let done = Self::serve(&mut self.tally[Cpu::Cloudlet as usize], d, now, slots[best]);
        slots[best] = done;
        done
    }

    /// Runs a job of `cycles` that is not cryptographic work (an IDS inspection, `ids.collaboration.mode =
    /// "packets"`) on cloudlet `index`, handed over at `now`, on the core that frees first: it waits for and delays
    /// the openings, but is left out of the totals ([`Self::summary`] reports cryptographic work only). The cores of
    /// a cloudlet that opens nothing (no encryption) are made on first use. Returns when it is done (`now` under
    /// `instant` timing) and its duration.
    pub fn run_uncounted(&mut self, index: usize, cycles: f64, now: SimTime) -> (SimTime, SimTime) {
        let d = self.duration(Cpu::Cloudlet, cycles);
        if !self.queued {
            return (now, d);
        }
        let c = self.cores[Cpu::Cloudlet as usize];
        if self.cloudlet_free_at.len() < (index + 1) * c {
            self.cloudlet_free_at.resize((index + 1) * c, SimTime::ZERO);
        }
        let slots = &mut self.cloudlet_free_at[index * c..(index + 1) * c];
        let mut best = 0;
        for (i, f) in slots.iter().enumerate().skip(1) {
            if *f < slots[best] {
                best = i;
            }
        }
        let done = now.max(slots[best]).saturating_add(d);
        slots[best] = done;
        (done, d)
    }

    /// Runs a job of `cycles` on sender `index` of kind `cpu` (a wearable or a gateway: one processor), handed over
    /// at `now`, the processor being free from `free` (the chain keeps that time: it is when the sender's last
    /// sealed packet, still in its uplink's queue, was ready; `now` if the queue is empty); returns when it is done.
    pub fn run_after(&mut self, cpu: Cpu, index: usize, cycles: f64, now: SimTime, free: SimTime) -> SimTime {
        let d = self.count(cpu, index, cycles);
        if !self.queued {
            return now;
        }
        Self::serve(&mut self.tally[cpu as usize], d, now, free)
    }

    /// Counts a job of `cycles` on node `index` of kind `cpu`; returns its duration.
    fn count(&mut self, cpu: Cpu, index: usize, cycles: f64) -> SimTime {
        let k = cpu as usize;
        let d = self.duration(cpu, cycles);
        self.tally[k].jobs += 1;
        self.tally[k].busy_ns += d.as_nanos();
        if let Some(busy) = self.node_busy_ns[k].get_mut(index) {
            *busy += d.as_nanos();
        }
        d
    }

    /// First come, first served: a job of duration `d` handed over at `now` to a processor free from `free` starts
    /// at the later of the two; returns when it ends, counting its wait in `t`.
    fn serve(t: &mut Tally, d: SimTime, now: SimTime, free: SimTime) -> SimTime {
        let start = now.max(free);
        let wait = (start - now).as_nanos();
        t.wait_ns += wait;
        t.max_wait_ns = t.max_wait_ns.max(wait);
        start.saturating_add(d)
    }

    /// The totals over a run that lasted `sim` (utilisation against `sim`).
    pub fn summary(&self, sim: SimTime) -> ProcessorSummary {
        let sim_s = sim.as_secs_f64();
        let kind = |k: usize| {
            let t = self.tally[k];
            let capacity_s = sim_s * (self.units[k] * self.cores[k]) as f64;
            let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
            let busiest = self.node_busy_ns[k].iter().max().copied();
            CpuSummary {
                clock_hz: self.hz[k],
                nodes: self.units[k] as u64,
                cores_per_node: self.cores[k] as u64,
                jobs: t.jobs,
                busy_s: t.busy_ns as f64 * 1e-9,
                utilisation: ratio(t.busy_ns as f64 * 1e-9, capacity_s),
                busiest_node_utilisation: busiest.map(|b| ratio(b as f64 * 1e-9, sim_s * self.cores[k] as f64)),
                mean_wait_s: ratio(t.wait_ns as f64 * 1e-9, t.jobs as f64),
                max_wait_s: t.max_wait_ns as f64 * 1e-9,
            }
        };
        ProcessorSummary {
            timing: if self.queued { "queued" } else { "instant" },
            wearable: kind(0),
            gateway: kind(1),
            cloudlet: kind(2),
        }
    }
}

/// `summary.json` → `crypto.processor`.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessorSummary {
    /// `queued` or `instant` (`energy.processor.timing`).
    pub timing: &'static str,
    /// Wearables' microcontrollers (sealing, when `crypto.at = "wearable"`).
    pub wearable: CpuSummary,
    /// Gateways' microcontrollers (sealing, when `crypto.at = "gateway"`).
    pub gateway: CpuSummary,
    /// Cloudlets' server cores (opening).
    pub cloudlet: CpuSummary,
}

/// One kind of processor over the run.
#[derive(Debug, Clone, Serialize)]
pub struct CpuSummary {
    /// Clock, Hz.
    pub clock_hz: f64,
    /// Nodes of this kind that did cryptographic work (0: none did).
    pub nodes: u64,
    /// Processors per node.
    pub cores_per_node: u64,
    /// Jobs run (sealings or openings).
    pub jobs: u64,
    /// Processor time they took, s.
    pub busy_s: f64,
    /// Busy time over the capacity (nodes × cores × simulated time), in [0, 1] unless overloaded at the end.
    pub utilisation: f64,
    /// The busiest node's busy time over its capacity (not kept for wearables).
    pub busiest_node_utilisation: Option<f64>,
    /// Mean time a job waited for a free processor, s (0 under `instant`).
    pub mean_wait_s: f64,
    /// Longest such wait, s.
    pub max_wait_s: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(cores: u32, timing: ProcessorTiming) -> ProcessorSpec {
        ProcessorSpec { timing, wearable_hz: 64e6, gateway_hz: 64e6, cloudlet_hz: 2e9, cloudlet_cores: cores }
    }

    #[test]
    fn a_job_takes_cycles_over_the_clock() {
        let p = Processors::new(&spec(1, ProcessorTiming::Queued), [1, 0, 0]);
        // NTRU-HPS-2048-509 encapsulation on a 64 MHz Cortex-M4: 565,341 / 64e6 s = 8.833453 ms.
        assert_eq!(p.duration(Cpu::Wearable, 565_341.0), SimTime::from_nanos(8_833_453));
    }

    #[test]
    fn a_busy_processor_queues_work_first_come_first_served() {
        let mut p = Processors::new(&spec(1, ProcessorTiming::Queued), [2, 0, 0]);
        let ms = SimTime::from_millis;
        // 64,000 cycles at 64 MHz = 1 ms. Three jobs on wearable 0 at t = 0, 0 and 2.5 ms (the caller keeps its free
        // time, as the chain does); one on wearable 1, whose processor is free.
        let mut free = ms(0);
        let mut job = |p: &mut Processors, now: SimTime| {
            free = p.run_after(Cpu::Wearable, 0, 64_000.0, now, free);
            free
        };
        assert_eq!(job(&mut p, ms(0)), ms(1));
        assert_eq!(job(&mut p, ms(0)), ms(2)); // waited 1 ms
        assert_eq!(p.run_after(Cpu::Wearable, 1, 64_000.0, ms(0), ms(0)), ms(1));
        assert_eq!(job(&mut p, SimTime::from_micros(2_500)), SimTime::from_micros(3_500));
        let s = p.summary(ms(10));
        assert_eq!(s.wearable.jobs, 4);
        assert!((s.wearable.busy_s - 4e-3).abs() < 1e-15);
        // 4 ms busy over 2 processors × 10 ms.
        assert!((s.wearable.utilisation - 0.2).abs() < 1e-12);
        assert!((s.wearable.mean_wait_s - 0.25e-3).abs() < 1e-15);
        assert!((s.wearable.max_wait_s - 1e-3).abs() < 1e-15);
    }

    #[test]
    fn a_cloudlet_serves_jobs_on_the_core_that_frees_first() {
        let mut p = Processors::new(&spec(2, ProcessorTiming::Queued), [0, 0, 1]);
        let us = SimTime::from_micros;
        // 2,000 cycles at 2 GHz = 1 µs; 6,000 = 3 µs. Two cores: jobs at 0 take cores 0 and 1, the third waits for
        // the core that frees first (core 1, free at 1 µs), the fourth for core 0 (free at 3 µs).
        assert_eq!(p.run(0, 6_000.0, us(0)), us(3));
        assert_eq!(p.run(0, 2_000.0, us(0)), us(1));
        assert_eq!(p.run(0, 2_000.0, us(0)), us(2));
        assert_eq!(p.run(0, 2_000.0, us(0)), us(3));
        let s = p.summary(us(10));
        // Busy 6 µs over 2 cores × 10 µs; waits 0, 0, 1, 2 µs.
        assert!((s.cloudlet.utilisation - 0.3).abs() < 1e-12);
        assert_eq!(s.cloudlet.busiest_node_utilisation, Some(s.cloudlet.utilisation));
        assert!((s.cloudlet.mean_wait_s - 0.75e-6).abs() < 1e-18);
    }

    #[test]
    fn instant_timing_adds_no_delay_but_counts_the_work() {
        let mut p = Processors::new(&spec(1, ProcessorTiming::Instant), [1, 0, 0]);
        let t = SimTime::from_millis(5);
        assert_eq!(p.run_after(Cpu::Wearable, 0, 64_000.0, t, t), t);
        assert_eq!(p.run_after(Cpu::Wearable, 0, 64_000.0, t, SimTime::from_millis(6)), t);
        let s = p.summary(SimTime::from_millis(10));
        assert!((s.wearable.utilisation - 0.2).abs() < 1e-12);
        assert_eq!(s.wearable.max_wait_s, 0.0);
        assert_eq!(s.timing, "instant");
    }

    /// The M/D/1 queue's mean wait (Pollaczek-Khinchine with deterministic service: ρ·D / (2(1 − ρ))) checked by
    /// Poisson arrivals at one processor: ρ = 0.5, D = 1 ms gives 0.5 ms.
    #[test]
    fn poisson_jobs_wait_as_in_the_md1_queue() {
        use rand::SeedableRng;
        use rand_distr::{Distribution, Exp};
        let mut p = Processors::new(&spec(1, ProcessorTiming::Queued), [1, 0, 0]);
        let mut rng = rand_pcg::Pcg32::seed_from_u64(7);
        let gaps = Exp::new(500.0).unwrap(); // 500 jobs/s × 1 ms = ρ 0.5
        let (mut t, n, mut free) = (0.0f64, 400_000, SimTime::ZERO);
        for _ in 0..n {
            t += gaps.sample(&mut rng);
            free = p.run_after(Cpu::Wearable, 0, 64_000.0, SimTime::from_nanos((t * 1e9) as u64), free);
        }
        let s = p.summary(SimTime::from_nanos((t * 1e9) as u64));
        // Waits are positively correlated, so the standard error is not σ/√n: simulating this queue (Lindley's
        // recursion) with 20 other seeds gave a relative standard deviation of the mean wait of 0.5 %; 2.5 % is 5 SE.
        assert!((s.wearable.mean_wait_s / 0.5e-3 - 1.0).abs() < 0.025, "mean wait {}", s.wearable.mean_wait_s);
        assert!((s.wearable.utilisation - 0.5).abs() < 0.01, "utilisation {}", s.wearable.utilisation);
    }
}
