//! The event loop: a [`Model`] reacts to its own events through a [`Scheduler`].
//!
//! The model defines one closed `enum` of events and handles them in one `match`; the compiler checks that every
//! case is handled and no event is boxed. The kernel knows nothing of the model's domain.

use std::ops::ControlFlow;

use super::queue::EventQueue;
use super::time::SimTime;

/// A simulation model: owns its state and reacts to one event at a time.
pub trait Model {
    /// The model's closed set of events.
    type Event;

    /// Handles `event`, which fires at `sched.now()`; may schedule further events.
    fn handle(&mut self, event: Self::Event, sched: &mut Scheduler<Self::Event>);

    /// A hint, called with the event most likely to be handled next just before the current one is handled: a
    /// model may [`prefetch`](super::prefetch) the state that event will touch. Must not change any state; the
    /// default does nothing.
    #[inline]
    fn prefetch(&self, next: &Self::Event) {
        let _ = next;
    }
}

/// The clock and the pending events, as seen by a model while it handles an event.
pub struct Scheduler<E> {
    now: SimTime,
    queue: EventQueue<E>,
}

impl<E> Scheduler<E> {
    /// The current simulated time.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` to fire `delay` after now. A part of a model may schedule its own event type, which the
    /// model's event enum is built from (`impl From<PartEvent> for ModelEvent`), so that the part never names the
    /// whole enum.
    #[inline]
    pub fn schedule_in(&mut self, delay: SimTime, event: impl Into<E>) {
        self.queue.push(self.now + delay, event.into());
    }

    /// Schedules `event` at absolute time `at`, which must not be in the past.
    ///
    /// # Panics
    /// If `at` is earlier than now: that would be a model bug, never a consequence of user input.
    #[inline]
    pub fn schedule_at(&mut self, at: SimTime, event: impl Into<E>) {
        assert!(at >= self.now, "event scheduled in the past: {at} < now {}", self.now);
        self.queue.push(at, event.into());
    }

    /// Number of pending events.
    pub fn pending_len(&self) -> usize {
        self.queue.len()
    }

    /// Iterates over pending events, in no particular order.
    pub fn pending(&self) -> impl Iterator<Item = &E> {
        self.queue.pending()
    }
}

/// Why [`Simulation::run_until`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The next event lies beyond the horizon; the clock was advanced to the horizon.
    Horizon,
    /// No event is pending.
    Empty,
    /// The progress callback asked to stop (an interrupt); events remain unprocessed.
    Stopped,
}

/// A model together with its clock and pending events.
pub struct Simulation<M: Model> {
    model: M,
    sched: Scheduler<M::Event>,
    processed: u64,
}

impl<M: Model> Simulation<M> {
    /// A simulation at time zero with no pending events.
    pub fn new(model: M) -> Self {
        Simulation { model, sched: Scheduler { now: SimTime::ZERO, queue: EventQueue::new() }, processed: 0 }
    }

    /// Schedules an event from outside the model (typically the initial events).
    pub fn schedule_at(&mut self, at: SimTime, event: M::Event) {
        self.sched.schedule_at(at, event);
    }

    /// Processes the earliest pending event; returns its time, or `None` if nothing is pending.
    pub fn step(&mut self) -> Option<SimTime> {
        let (t, event) = self.sched.queue.pop()?;
        self.sched.now = t;
        self.processed += 1;
        if let Some(next) = self.sched.queue.peek_ready() {
            self.model.prefetch(next);
        }
        self.model.handle(event, &mut self.sched);
        Some(t)
    }

    /// Processes every event at or before `horizon`, then sets the clock to `horizon` if events remain.
    pub fn run_until(&mut self, horizon: SimTime) -> StopReason {
        self.run_until_with(horizon, u64::MAX, |_| ControlFlow::Continue(()))
    }

    /// Like [`Simulation::run_until`], calling `progress(now)` every `every` events (for progress bars); a
    /// `ControlFlow::Break` from it stops the run there ([`StopReason::Stopped`]).
    pub fn run_until_with(
        &mut self,
        horizon: SimTime,
        every: u64,
        mut progress: impl FnMut(SimTime) -> ControlFlow<()>,
    ) -> StopReason {
        let mut countdown = every;
        while let Some(t) = self.sched.queue.peek_time() {
            if t > horizon {
                self.sched.now = horizon;
                return StopReason::Horizon;
            }
            self.step();
            countdown -= 1;
            if countdown == 0 {
                countdown = every;
                if progress(self.sched.now).is_break() {
                    return StopReason::Stopped;
                }
            }
        }
        StopReason::Empty
    }

    /// Processes events until none is pending.
    pub fn run(&mut self) {
        while self.step().is_some() {}
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.sched.now
    }

    /// Events processed so far.
    pub fn events_processed(&self) -> u64 {
        self.processed
    }

    /// The scheduler (pending events, clock).
    pub fn scheduler(&self) -> &Scheduler<M::Event> {
        &self.sched
    }

    /// The model.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The model, mutably.
    pub fn model_mut(&mut self) -> &mut M {
        &mut self.model
    }

    /// Consumes the simulation and returns the model.
    pub fn into_model(self) -> M {
        self.model
    }

    /// The model and the scheduler together (for end-of-run accounting of pending events).
    pub fn parts(&self) -> (&M, &Scheduler<M::Event>) {
        (&self.model, &self.sched)
    }

    /// The model and the scheduler together, mutably: lets the model schedule its initial events straight from its
    /// own state, with no intermediate list.
    pub fn parts_mut(&mut self) -> (&mut M, &mut Scheduler<M::Event>) {
        (&mut self.model, &mut self.sched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ping-pong model: each event schedules the next one a fixed delay later, up to a count.
    struct Echo {
        log: Vec<(u64, u32)>,
    }

    impl Model for Echo {
        type Event = u32;
        fn handle(&mut self, n: u32, sched: &mut Scheduler<u32>) {
            self.log.push((sched.now().as_nanos(), n));
            if n < 4 {
                sched.schedule_in(SimTime::from_nanos(10), n + 1);
            }
        }
    }

    #[test]
    fn runs_to_exhaustion_and_counts_events() {
        let mut sim = Simulation::new(Echo { log: vec![] });
        sim.schedule_at(SimTime::from_nanos(5), 0);
        sim.run();
        assert_eq!(sim.events_processed(), 5);
        assert_eq!(sim.model().log, [(5, 0), (15, 1), (25, 2), (35, 3), (45, 4)]);
    }

    #[test]
    fn horizon_stops_before_later_events_and_sets_the_clock() {
        let mut sim = Simulation::new(Echo { log: vec![] });
        sim.schedule_at(SimTime::ZERO, 0);
        assert_eq!(sim.run_until(SimTime::from_nanos(20)), StopReason::Horizon);
        assert_eq!(sim.now(), SimTime::from_nanos(20));
        assert_eq!(sim.events_processed(), 3); // t = 0, 10, 20 (inclusive horizon)
        assert_eq!(sim.run_until(SimTime::from_nanos(1000)), StopReason::Empty);
        assert_eq!(sim.events_processed(), 5);
    }

    #[test]
    fn the_model_can_schedule_its_initial_events_itself() {
        let mut sim = Simulation::new(Echo { log: vec![] });
        let (model, sched) = sim.parts_mut();
        for n in [3, 2] {
            model.log.push((0, n));
            sched.schedule_at(SimTime::from_nanos(u64::from(n)), n);
        }
        sim.run();
        assert_eq!(sim.model().log, [(0, 3), (0, 2), (2, 2), (3, 3), (12, 3), (13, 4), (22, 4)]);
    }

    #[test]
    fn step_by_step() {
        let mut sim = Simulation::new(Echo { log: vec![] });
        sim.schedule_at(SimTime::from_nanos(7), 3);
        assert_eq!(sim.step(), Some(SimTime::from_nanos(7)));
        assert_eq!(sim.step(), Some(SimTime::from_nanos(17)));
        assert_eq!(sim.step(), None);
    }

    /// Records each event it handles with the hint it was given just before.
    struct Hinted {
        hint: std::cell::Cell<Option<u32>>,
        handled: Vec<(u32, Option<u32>)>,
    }

    impl Model for Hinted {
        type Event = u32;
        fn handle(&mut self, n: u32, _: &mut Scheduler<u32>) {
            self.handled.push((n, self.hint.take()));
        }
        fn prefetch(&self, next: &u32) {
            self.hint.set(Some(*next));
        }
    }

    #[test]
    fn the_model_is_told_the_next_event_before_handling_the_current_one() {
        let mut sim = Simulation::new(Hinted { hint: Default::default(), handled: vec![] });
        for n in 0..50u32 {
            sim.schedule_at(SimTime::from_nanos(u64::from(n * 7 % 11)), n);
        }
        sim.run();
        let handled = &sim.model().handled;
        assert_eq!(handled.len(), 50);
        // A hint, when given (the next event is already sorted out), names the event handled next.
        for pair in handled.windows(2) {
            let ((_, hint), (next, _)) = (pair[0], pair[1]);
            assert!(hint.is_none() || hint == Some(next), "hinted {hint:?}, then handled {next}");
        }
        // Here the next event is ready unless it is the first of its time (11 distinct times).
        assert!(handled.iter().filter(|(_, h)| h.is_some()).count() >= 50 - 11, "hints are given for most events");
        assert_eq!(handled.last().map(|&(_, h)| h), Some(None), "no hint comes with the last event");
    }
}
