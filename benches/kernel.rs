//! Kernel benchmark: the classic hold model with 100,000 pending events.
//!
//! Each event, when handled, schedules itself again at `now + X`, with X drawn from an exponential distribution
//! (mean 1 ms) by a fixed-seed PCG-32 generator, so the number of pending events stays constant. Three versions run
//! the same loop with the same draws:
//!
//! - `simulation`: the real kernel, a [`Model`] driven by [`Simulation::step`];
//! - `event_queue`: the kernel's [`EventQueue`] alone (pop, then push);
//! - `binary_heap`: a bare `std::collections::BinaryHeap` min-heap with the same ordering, the practical limit of a
//!   textbook event list: entries of a `u128` key `time << 64 | sequence` and a payload of the model's event size.
//!
//! Criterion reports each in events per second. Because the machine is shared and noisy, `cargo bench` then also
//! times the three versions in interleaved rounds and prints their ratios, measured within one run.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::mem::size_of;
use std::time::Instant;

use criterion::{Criterion, Throughput};
use rand::SeedableRng;
use rand_distr::{Distribution, Exp};
use rand_pcg::Pcg32;

use cloudletsim::kernel::{EventQueue, Model, Scheduler, SimTime, Simulation};

/// Events pending at any time.
const PENDING: u32 = 100_000;
/// Mean of the exponential time increment, in nanoseconds.
const MEAN_INCREMENT_NS: f64 = 1.0e6;
/// Events processed per criterion iteration.
const EVENTS_PER_ITER: u64 = 100_000;
/// Seed of the increment stream.
const SEED: u64 = 0x5eed;
/// Interleaved rounds for the ratio report, and events per round and version.
const RATIO_ROUNDS: usize = 9;
const RATIO_EVENTS: u64 = 2_000_000;

/// 32-bit words in the payload: as many as the cloudlet-mesh model's event takes.
const PAYLOAD_WORDS: usize = size_of::<cloudletsim::model::Event>().div_ceil(4);

/// The hold model's event: an opaque payload as large as a real model's event.
#[derive(Clone, Copy, Debug)]
struct HoldEvent([u32; PAYLOAD_WORDS]);

impl HoldEvent {
    fn new(id: u32) -> Self {
        let mut words = [0; PAYLOAD_WORDS];
        words[0] = id;
        HoldEvent(words)
    }
}

/// The exponential increments, the same sequence in every version.
struct Increments {
    rng: Pcg32,
    exp: Exp<f64>,
}

impl Increments {
    fn new() -> Self {
        Increments { rng: Pcg32::seed_from_u64(SEED), exp: Exp::new(1.0 / MEAN_INCREMENT_NS).expect("positive rate") }
    }

    #[inline]
    fn next_ns(&mut self) -> u64 {
        self.exp.sample(&mut self.rng) as u64
    }
}

/// The three versions of the hold loop.
trait Hold {
    /// Processes `n` events.
    fn advance(&mut self, n: u64);
}

/// The hold model on the real kernel.
struct HoldModel {
    increments: Increments,
}

impl Model for HoldModel {
    type Event = HoldEvent;

    #[inline]
    fn handle(&mut self, event: HoldEvent, sched: &mut Scheduler<HoldEvent>) {
        debug_assert!(event.0[0] < PENDING, "events keep their identity");
        let dt = SimTime::from_nanos(self.increments.next_ns());
        sched.schedule_in(dt, event);
    }
}

impl Hold for Simulation<HoldModel> {
    fn advance(&mut self, n: u64) {
        for _ in 0..n {
            black_box(self.step());
        }
    }
}

fn kernel_hold() -> Simulation<HoldModel> {
    let mut increments = Increments::new();
    let starts: Vec<u64> = (0..PENDING).map(|_| increments.next_ns()).collect();
    let mut sim = Simulation::new(HoldModel { increments });
    for (id, &t) in (0..).zip(&starts) {
        sim.schedule_at(SimTime::from_nanos(t), HoldEvent::new(id));
    }
    sim
}

/// The hold loop on the kernel's event queue alone.
struct QueueHold {
    queue: EventQueue<HoldEvent>,
    increments: Increments,
}

impl Hold for QueueHold {
    fn advance(&mut self, n: u64) {
        for _ in 0..n {
            let (now, event) = self.queue.pop().expect("hold keeps events pending");
            let dt = SimTime::from_nanos(self.increments.next_ns());
            self.queue.push(now + dt, black_box(event));
        }
    }
}

fn queue_hold() -> QueueHold {
    let mut increments = Increments::new();
    let mut queue = EventQueue::new();
    for id in 0..PENDING {
        queue.push(SimTime::from_nanos(increments.next_ns()), HoldEvent::new(id));
    }
    QueueHold { queue, increments }
}

/// A `BinaryHeap` entry the size of the kernel's queue entries, ordered by key only (smallest first).
struct HeapEntry {
    key: u128,
    event: HoldEvent,
}

impl PartialEq for HeapEntry {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for HeapEntry {}

impl PartialOrd for HeapEntry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for HeapEntry {
    fn cmp(&self, other: &Self) -> Ordering {
        Reverse(self.key).cmp(&Reverse(other.key))
    }
}

/// The hold loop on a bare binary heap, with the same (time, sequence) keys as the kernel.
struct HeapHold {
    heap: BinaryHeap<HeapEntry>,
    next_seq: u64,
    increments: Increments,
}

impl HeapHold {
    #[inline]
    fn push(&mut self, time_ns: u64, event: HoldEvent) {
        let key = ((time_ns as u128) << 64) | self.next_seq as u128;
        self.next_seq += 1;
        self.heap.push(HeapEntry { key, event });
    }
}

impl Hold for HeapHold {
    fn advance(&mut self, n: u64) {
        for _ in 0..n {
            let HeapEntry { key, event } = self.heap.pop().expect("hold keeps events pending");
            let now = (key >> 64) as u64;
            let t = now + self.increments.next_ns();
            self.push(t, black_box(event));
        }
    }
}

fn heap_hold() -> HeapHold {
    let mut increments = Increments::new();
    let starts: Vec<u64> = (0..PENDING).map(|_| increments.next_ns()).collect();
    let mut hold = HeapHold { heap: BinaryHeap::with_capacity(PENDING as usize), next_seq: 0, increments };
    for (id, &t) in (0..).zip(&starts) {
        hold.push(t, HoldEvent::new(id));
    }
    hold
}

/// Builds a version and runs it long enough for the pending times to reach their steady spread.
fn warmed<H: Hold>(build: fn() -> H) -> H {
    let mut hold = build();
    hold.advance(4 * u64::from(PENDING));
    hold
}

fn hold_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("hold_100k_pending");
    group.throughput(Throughput::Elements(EVENTS_PER_ITER));
    let mut sim = warmed(kernel_hold);
    group.bench_function("simulation", |b| b.iter(|| sim.advance(EVENTS_PER_ITER)));
    let mut queue = warmed(queue_hold);
    group.bench_function("event_queue", |b| b.iter(|| queue.advance(EVENTS_PER_ITER)));
    let mut heap = warmed(heap_hold);
    group.bench_function("binary_heap", |b| b.iter(|| heap.advance(EVENTS_PER_ITER)));
    group.finish();
}

/// Events per second of `hold` over `RATIO_EVENTS` events.
fn rate(hold: &mut dyn Hold) -> f64 {
    let start = Instant::now();
    hold.advance(RATIO_EVENTS);
    RATIO_EVENTS as f64 / start.elapsed().as_secs_f64()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Times the three versions in interleaved rounds and prints medians and ratios.
fn report_ratios() {
    let mut versions: [(&str, Box<dyn Hold>); 3] = [
        ("simulation", Box::new(warmed(kernel_hold))),
        ("event_queue", Box::new(warmed(queue_hold))),
        ("binary_heap", Box::new(warmed(heap_hold))),
    ];
    let mut rates = [const { Vec::new() }; 3];
    let mut ratios = [const { Vec::new() }; 2];
    for _ in 0..RATIO_ROUNDS {
        let r: Vec<f64> = versions.iter_mut().map(|(_, h)| rate(h.as_mut())).collect();
        for (all, x) in rates.iter_mut().zip(&r) {
            all.push(*x);
        }
        ratios[0].push(r[0] / r[2]);
        ratios[1].push(r[1] / r[2]);
    }
    println!(
        "\nhold model, {PENDING} pending events, {}-byte event; entries: binary heap {} bytes (u128 key \
         time << 64 | sequence, and the event), kernel queue {} bytes (u64 time and the event: FIFO ties need no \
         sequence number); median of {RATIO_ROUNDS} interleaved rounds of {RATIO_EVENTS} events:",
        size_of::<HoldEvent>(),
        size_of::<HeapEntry>(),
        size_of::<(u64, HoldEvent)>(),
    );
    for ((name, _), r) in versions.iter().zip(rates) {
        println!("  {name:<12} {:>7.2} M events/s", median(r) / 1e6);
    }
    println!(
        "  ratio simulation/binary_heap {:.2}, event_queue/binary_heap {:.2}",
        median(ratios[0].clone()),
        median(ratios[1].clone())
    );
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    hold_benches(&mut criterion);
    criterion.final_summary();
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and then each benchmark runs once as a test.
    if std::env::args().any(|a| a == "--bench") {
        report_ratios();
    }
}
