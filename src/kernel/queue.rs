//! The pending-event set: events ordered by (time, insertion sequence).
//!
//! Ties in time are broken by the order of scheduling, so two events at the same instant run first-in first-out and
//! every run is deterministic.
//!
//! A discrete-event simulation never schedules into the past, so the times popped are monotone. That allows a
//! radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, "Faster algorithms for the shortest path problem", 1990) in its
//! multi-level, radix-256 form, which is also a hierarchical timing wheel (Varghese and Lauck, 1987). Relative to
//! `last`, the time of the latest event popped, an event at time `t > last` is filed under the highest byte in which
//! `t` differs from `last` (its level, 0 to 7) and the value of that byte in `t` (its bucket). Every event of a lower
//! (level, bucket) is earlier than every event of a higher one. To pop, the lowest non-empty bucket is emptied, `last`
//! becomes its earliest time, and its events are filed again relative to the new `last`: each lands on a strictly
//! lower level, so an event moves at most eight times and typically two or three. Pushes are O(1), pops amortised
//! O(1), and entries carry only the time (8 bytes) besides the event.
//!
//! FIFO ties need no sequence number in the key. All events of one time always share a bucket, in the order they
//! were scheduled: a push appends to the bucket of its time, and a bucket is only ever emptied into lower buckets
//! that are empty, keeping its order. Events at exactly `last` wait in a first-in first-out `now` queue.

use std::collections::VecDeque;

use super::time::SimTime;

/// Bits per level: buckets are indexed by one byte of the time.
const RADIX_BITS: u32 = 8;
/// Buckets per level.
const BUCKETS: usize = 1 << RADIX_BITS;
/// Levels needed to cover a `u64` time.
const LEVELS: usize = (u64::BITS / RADIX_BITS) as usize;
/// 64-bit occupancy words per level.
const WORDS: usize = BUCKETS / 64;

/// A time-ordered queue of events of type `E` with FIFO tie-breaking.
pub struct EventQueue<E> {
    /// Time of the latest event popped (or made ready by [`EventQueue::peek_time`]), in ns: no pending event is
    /// earlier, except after a push below it (see [`EventQueue::push`]).
    last: u64,
    /// Events at exactly `last`, first scheduled first.
    now: VecDeque<E>,
    /// `buckets[level * BUCKETS + byte]`: events (with their times) that first differ from `last` in byte `level`,
    /// where their byte is `byte`. Emptied buckets keep their capacity, so that steady state does not allocate.
    buckets: Box<[Vec<(u64, E)>]>,
    /// Bit `byte` of `occupied[level]` is set when that bucket is non-empty.
    occupied: [[u64; WORDS]; LEVELS],
    /// Bit `level` is set when that level has a non-empty bucket.
    levels: u32,
    len: usize,
    scheduled: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        EventQueue {
            last: 0,
            now: VecDeque::new(),
            buckets: (0..LEVELS * BUCKETS).map(|_| Vec::new()).collect(),
            occupied: [[0; WORDS]; LEVELS],
            levels: 0,
            len: 0,
            scheduled: 0,
        }
    }

    /// Schedules `event` at `time`.
    ///
    /// `time` should not be earlier than the last popped event's time; the kernel's [`Scheduler`](super::Scheduler)
    /// ensures this during a run. A push earlier than a time already made ready by [`EventQueue::peek_time`] (only
    /// possible from outside the model, between runs) is still ordered correctly, at an O(n) cost.
    #[inline]
    pub fn push(&mut self, time: SimTime, event: E) {
        let t = time.as_nanos();
        self.scheduled += 1;
        self.len += 1;
        if t == self.last {
            self.now.push_back(event);
            return;
        }
        if t < self.last {
            self.rebuild_below(t);
            self.now.push_back(event);
            return;
        }
        self.file(t, event);
    }

    /// Files an event at `t > last` in its bucket.
    #[inline]
    fn file(&mut self, t: u64, event: E) {
        debug_assert!(t > self.last);
        let level = (u64::BITS - 1 - (t ^ self.last).leading_zeros()) / RADIX_BITS;
        let byte = (t >> (level * RADIX_BITS)) as usize & (BUCKETS - 1);
        let level = level as usize;
        self.buckets[level * BUCKETS + byte].push((t, event));
        self.occupied[level][byte / 64] |= 1 << (byte % 64);
        self.levels |= 1 << level;
    }

    /// Makes the earliest pending events ready in `now`, if `now` is empty; returns whether any event is pending.
    #[inline]
    fn ready(&mut self) -> bool {
        !self.now.is_empty() || self.refill()
    }

    /// Empties the lowest non-empty bucket: `last` becomes its earliest time, its events at that time go to `now`
    /// (in order) and the others to lower levels.
    fn refill(&mut self) -> bool {
        if self.levels == 0 {
            return false;
        }
        let level = self.levels.trailing_zeros() as usize;
        let words = &mut self.occupied[level];
        let word = words.iter().position(|&w| w != 0).expect("an occupied level has an occupied bucket");
        let byte = word * 64 + words[word].trailing_zeros() as usize;
        words[word] &= words[word] - 1;
        if words.iter().all(|&w| w == 0) {
            self.levels &= !(1 << level);
        }
        let mut events = std::mem::take(&mut self.buckets[level * BUCKETS + byte]);
        self.last = events.iter().map(|&(t, _)| t).min().expect("an occupied bucket has events");
        for (t, event) in events.drain(..) {
            if t == self.last {
                self.now.push_back(event);
            } else {
                self.file(t, event);
            }
        }
        self.buckets[level * BUCKETS + byte] = events;
        true
    }

    /// A push at `t` below `last`: files every pending event again relative to `t`. Events of equal time stay
    /// together and in order, because they all come out of one bucket (or `now`). Rare, O(n).
    #[cold]
    fn rebuild_below(&mut self, t: u64) {
        let old_last = std::mem::replace(&mut self.last, t);
        let now = std::mem::take(&mut self.now);
        let mut buckets = std::mem::replace(&mut self.buckets, (0..LEVELS * BUCKETS).map(|_| Vec::new()).collect());
        self.occupied = [[0; WORDS]; LEVELS];
        self.levels = 0;
        for event in now {
            self.file(old_last, event);
        }
        for bucket in buckets.iter_mut() {
            for (time, event) in bucket.drain(..) {
                self.file(time, event);
            }
        }
    }

    /// Removes and returns the earliest event, first-scheduled first among equal times.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        if !self.ready() {
            return None;
        }
        let event = self.now.pop_front()?;
        self.len -= 1;
        Some((SimTime::from_nanos(self.last), event))
    }

    /// The time of the earliest pending event.
    #[inline]
    pub fn peek_time(&mut self) -> Option<SimTime> {
        self.ready().then_some(SimTime::from_nanos(self.last))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of events ever scheduled.
    pub fn scheduled(&self) -> u64 {
        self.scheduled
    }

    /// Iterates over pending events in no particular order (for end-of-run accounting).
    pub fn pending(&self) -> impl Iterator<Item = &E> {
        self.now.iter().chain(self.buckets.iter().flatten().map(|(_, e)| e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn pops_in_time_order_with_fifo_ties() {
        let mut q = EventQueue::new();
        q.push(SimTime::from_nanos(5), "c");
        q.push(SimTime::from_nanos(1), "a");
        q.push(SimTime::from_nanos(5), "d");
        q.push(SimTime::from_nanos(3), "b");
        q.push(SimTime::from_nanos(5), "e");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        assert_eq!(order, ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn interleaved_pushes_at_the_current_time_stay_fifo() {
        let mut q = EventQueue::new();
        q.push(SimTime::from_nanos(10), 0);
        let (t, _) = q.pop().unwrap();
        for i in 1..=3 {
            q.push(t, i);
        }
        q.push(SimTime::from_nanos(11), 9);
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        assert_eq!(order, [1, 2, 3, 9]);
    }

    #[test]
    fn peek_then_push_earlier_still_orders_correctly() {
        let mut q = EventQueue::new();
        q.push(SimTime::from_nanos(30), "late");
        q.push(SimTime::from_nanos(40), "later");
        assert_eq!(q.peek_time(), Some(SimTime::from_nanos(30)));
        q.push(SimTime::from_nanos(25), "early");
        q.push(SimTime::from_nanos(30), "tie");
        assert_eq!(q.len(), 4);
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        assert_eq!(order, ["early", "late", "tie", "later"]);
    }

    #[test]
    fn counts_pending_and_scheduled() {
        let mut q = EventQueue::new();
        assert!(q.is_empty());
        for t in [7, 300, 70_000, 7] {
            q.push(SimTime::from_nanos(t), t);
        }
        q.pop();
        assert_eq!((q.len(), q.scheduled()), (3, 4));
        let mut pending: Vec<_> = q.pending().copied().collect();
        pending.sort();
        assert_eq!(pending, [7, 300, 70_000]);
    }

    /// Against a reference ordering by (time, sequence): hold-like pushes at the current time or later with many
    /// ties and times spread over every level, pops, and occasional peeks followed by pushes below the peeked time.
    #[test]
    fn matches_a_sorted_reference_under_random_use() {
        let mut rng = rand_pcg::Pcg32::seed_from_u64(11);
        let mut q = EventQueue::new();
        let mut reference = std::collections::BTreeMap::new();
        let (mut now, mut seq) = (0u64, 0u64);
        for _ in 0..200_000 {
            let op = rng.random_range(0..10);
            if op < 5 {
                let delay = match rng.random_range(0..4) {
                    0 => 0,
                    1 => rng.random_range(0..4),
                    2 => rng.random_range(0..100_000),
                    _ => rng.random::<u64>() >> rng.random_range(20..64),
                };
                let t = now + delay;
                q.push(SimTime::from_nanos(t), seq);
                reference.insert((t, seq), seq);
                seq += 1;
            } else if op < 9 {
                let expected = reference.pop_first().map(|((t, _), e)| (t, e));
                let got = q.pop().map(|(t, e)| (t.as_nanos(), e));
                assert_eq!(got, expected);
                if let Some((t, _)) = got {
                    now = t;
                }
            } else if let Some(peeked) = q.peek_time() {
                assert_eq!(Some(peeked.as_nanos()), reference.first_key_value().map(|(&(t, _), _)| t));
                let t = rng.random_range(now..=peeked.as_nanos());
                q.push(SimTime::from_nanos(t), seq);
                reference.insert((t, seq), seq);
                seq += 1;
            }
            assert_eq!(q.len(), reference.len());
        }
        let rest: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        assert_eq!(rest, reference.into_values().collect::<Vec<_>>());
    }
}
