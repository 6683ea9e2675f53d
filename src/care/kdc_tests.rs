//! Unit tests of [`super`]: Erlang C by hand, the queue against M/M/1 and M/M/2, availability, waiting for repair.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::*;
use crate::kernel::StreamFactory;

fn spec(servers: u32, service_s: f64, failures: Option<(f64, f64)>) -> KdcSpec {
    KdcSpec {
        servers,
        service_kind: ServiceTime::Exponential,
        service_mean: SimTime::from_secs_f64(service_s),
        queue_capacity: None,
        request_bytes: 128,
        reply_extra_bytes: 60,
        link_rate_bps: 10e6,
        failures,
    }
}

#[test]
fn erlang_c_by_hand() {
    // M/M/2, λ = μ = 1: a = 1, ρ = 1/2; C = (a²/2 · 2) / (1 + a + a²/2 · 2) = 1/3; Wq = C / (2μ − λ) = 1/3.
    assert!((erlang_c(1.0, 1.0, 2) - 1.0 / 3.0).abs() < 1e-12);
    assert!((mmc_mean_wait_s(1.0, 1.0, 2) - 1.0 / 3.0).abs() < 1e-12);
    // M/M/1: C = ρ, Wq = ρ / (μ − λ).
    assert!((erlang_c(10.0, 20.0, 1) - 0.5).abs() < 1e-12);
    assert!((mmc_mean_wait_s(10.0, 20.0, 1) - 0.05).abs() < 1e-12);
    assert!((availability(900.0, 100.0) - 0.9).abs() < 1e-12);
}

#[test]
fn sizes_and_transmission_times() {
    let streams = StreamFactory::new(1, 0);
    let k = KdcState::new(spec(1, 0.001, None), 699, streams.stream(1, 0), streams.stream(1, 1));
    // 128 bytes at 10 Mbit/s: 102.4 µs; the reply 699 + 60 bytes: 607.2 µs.
    assert_eq!(k.request_tx(), SimTime::from_secs_f64(102.4e-6));
    assert_eq!(k.reply_tx(), SimTime::from_secs_f64(607.2e-6));
    let raw = RawKdc::default();
    assert_eq!(raw.request_bytes, 128);
    assert_eq!(raw.reply_extra_bytes, 60);
    assert!(kdc(&mut Checker::new(), &raw).is_none(), "off by default");
}

/// Mean wait of `customers` Poisson(λ) key requests at a KDC of `servers` with exponential service of rate μ,
/// driven as the care workflow drives it (arrive, served, wake).
fn simulated_wait(seed: u64, lambda: f64, mu: f64, servers: u32, customers: u32) -> f64 {
    let streams = StreamFactory::new(seed, 0);
    let mut k = KdcState::new(spec(servers, 1.0 / mu, None), 699, streams.stream(1, 0), streams.stream(1, 1));
    let mut arrivals = streams.stream(2, 0);
    let mut events: BinaryHeap<Reverse<(SimTime, u32)>> = BinaryHeap::new();
    let mut t = SimTime::ZERO;
    let mut out = Vec::new();
    for a in 0..customers {
        t = t.saturating_add(exp_draw(&mut arrivals, 1.0 / lambda));
        while let Some(&Reverse((done, _))) = events.peek().filter(|e| e.0 .0 <= t) {
            events.pop();
            k.served(done, &mut out);
            for o in out.drain(..) {
                if let KdcOut::Serve(b, s) = o {
                    events.push(Reverse((done + s, b)));
                }
            }
        }
        assert!(k.arrive(a, t, &mut out));
        for o in out.drain(..) {
            if let KdcOut::Serve(b, s) = o {
                events.push(Reverse((t + s, b)));
            }
        }
    }
    while let Some(Reverse((done, _))) = events.pop() {
        k.served(done, &mut out);
        for o in out.drain(..) {
            if let KdcOut::Serve(b, s) = o {
                events.push(Reverse((done + s, b)));
            }
        }
    }
    assert_eq!(k.metrics.served, customers as u64);
    k.metrics.wait.summary().mean
}

/// Replications' mean and the half-width of its 99% Student-t interval (t₀.₉₉₅ with 9 degrees of freedom: 3.25).
fn replicated(f: impl Fn(u64) -> f64) -> (f64, f64) {
    let xs: Vec<f64> = (0..10).map(f).collect();
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (xs.len() - 1) as f64;
    (mean, 3.25 * (var / xs.len() as f64).sqrt())
}

#[test]
fn the_queue_waits_as_m_m_1_and_m_m_2() {
    for (servers, lambda, mu) in [(1, 10.0, 20.0), (2, 30.0, 20.0)] {
        let expected = mmc_mean_wait_s(lambda, mu, servers);
        let (mean, half) = replicated(|seed| simulated_wait(seed, lambda, mu, servers, 4_000));
        eprintln!("M/M/{servers}: wait {mean:.5} s vs {expected:.5} ± {half:.5}");
        assert!(
            (mean - expected).abs() < half,
            "M/M/{servers}, λ {lambda}, μ {mu}: wait {mean} vs Erlang C {expected} ± {half}"
        );
    }
}

#[test]
fn down_fraction_matches_availability() {
    let (mtbf, mttr) = (900.0, 100.0);
    let mut o = Outages::new(StreamFactory::new(3, 0).stream(1, 1), mtbf, mttr);
    let end = SimTime::from_secs_f64(5e6);
    let down = o.down_s(end) / 5e6;
    // About N = 5000 cycles; by the delta method the down fraction's variance is
    // (A² Var(D) + (1 − A)² Var(U)) / (N (E U + E D)²), with exponential periods (Var = mean²).
    let a = availability(mtbf, mttr);
    let n = 5e6 / (mtbf + mttr);
    eprintln!("down fraction {down:.5} vs {:.5}", 1.0 - a);
    let se = ((a * a * mttr * mttr + (1.0 - a) * (1.0 - a) * mtbf * mtbf) / (n * (mtbf + mttr).powi(2))).sqrt();
    assert!((down - (1.0 - a)).abs() < 4.0 * se, "down {down} vs {} ± {}", 1.0 - a, 4.0 * se);
    assert!(o.failures(end) > 4_000);
}

#[test]
fn a_request_finding_the_kdc_down_waits_for_the_repair() {
    let streams = StreamFactory::new(9, 0);
    let mut k = KdcState::new(spec(1, 0.001, Some((100.0, 10.0))), 699, streams.stream(1, 0), streams.stream(1, 1));
    let (start, repair) = {
        let o = k.outages.as_mut().unwrap();
        o.down_at(SimTime::from_secs_f64(1e4));
        o.periods[0]
    };
    let mut out = Vec::new();
    let during = SimTime::from_nanos((start.as_nanos() + repair.as_nanos()) / 2);
    assert!(k.arrive(7, during, &mut out));
    assert_eq!(out, vec![KdcOut::Wake(7, repair - during)]);
    out.clear();
    assert!(k.arrive(8, during, &mut out));
    assert!(out.is_empty(), "one wake-up is pending");
    k.wake(repair, &mut out);
    assert!(matches!(out[..], [KdcOut::Serve(7, _)]), "{out:?}");
    assert_eq!(k.metrics.met_failure, 2);
    assert_eq!(k.metrics.wait.summary().max, (repair - during).as_secs_f64());
}

#[test]
fn a_full_queue_refuses() {
    let streams = StreamFactory::new(1, 0);
    let mut s = spec(1, 1.0, None);
    s.queue_capacity = Some(1);
    let mut k = KdcState::new(s, 699, streams.stream(1, 0), streams.stream(1, 1));
    let mut out = Vec::new();
    assert!(k.arrive(0, SimTime::ZERO, &mut out), "served at once");
    assert!(k.arrive(1, SimTime::ZERO, &mut out), "waits");
    assert!(!k.arrive(2, SimTime::ZERO, &mut out), "refused");
    assert_eq!((k.metrics.requests, k.metrics.refused, k.metrics.queue_max), (3, 1, 1));
}
