//! The pending-event set: events ordered by (time, insertion sequence).
//!
//! Ties in time are broken by the order of scheduling, so two events at the same instant run first-in first-out and
//! every run is deterministic.
//!
//! A discrete-event simulation never schedules into the past, so the times popped are monotone. That allows a
//! radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, "Faster algorithms for the shortest path problem", 1990) with
//! 64-way digits, which is also a hierarchical timing wheel (Varghese and Lauck, 1987):
//!
//! - The events due soonest wait in the *run*, sorted by time.
//! - Every later event, at time `t`, is *filed* relative to a reference time `base`: under the highest 6-bit digit
//!   in which `t` differs from `base` (its level, 0 to 10) and the value of that digit in `t` (its bucket). Every
//!   event of a lower (level, bucket) is earlier than every event of a higher one, and every filed event is later
//!   than the whole run.
//! - When the run is empty, the lowest non-empty bucket refills it and `base` becomes the bucket's earliest time. A
//!   small bucket (at most 64 events) is sorted into the run; a larger one sends its earliest events to the run and
//!   files the others again relative to the new `base`, each on a strictly lower level.
//!
//! A push costs O(1) (a filing, or a short sorted insertion into the run) and a pop amortised O(1): an event is
//! filed at most eleven times, typically two or three.
//!
//! FIFO ties need no sequence number in the key. All events of one time always share a bucket, in the order they
//! were scheduled: a push appends to the bucket of its time, a bucket is only ever emptied into lower buckets that
//! are empty, keeping its order, and the sort into the run is stable.
//!
//! Memory: an entry is the time (8 bytes) and the event. Buckets are chains of fixed-size chunks (32 entries) drawn
//! from one shared pool, to which emptied chunks return, so the queue holds little more than its peak number of
//! pending events, and a bucket never grows by copying.

use super::time::SimTime;

/// Bits per digit.
const DIGIT_BITS: u32 = 6;
/// Buckets per level (one `u64` of occupancy bits).
const BUCKETS: usize = 1 << DIGIT_BITS;
/// Levels needed to cover a `u64` time.
const LEVELS: usize = u64::BITS.div_ceil(DIGIT_BITS) as usize;
/// Entries per chunk. A bucket of at most two chunks is sorted into the run rather than filed again.
const CHUNK: usize = 32;
/// "No chunk".
const NIL: u32 = u32::MAX;

/// A fixed-capacity piece of a bucket, linked to the next one of the same bucket (or of the free pool).
struct Chunk<E> {
    /// Events with their times in ns, in the order filed; capacity [`CHUNK`].
    entries: Vec<(u64, E)>,
    /// The next chunk of the same chain, or [`NIL`].
    next: u32,
}

/// A chain of chunks: the first (filled first) and the last (being filled); both [`NIL`] when empty.
#[derive(Clone, Copy)]
struct Bucket {
    head: u32,
    tail: u32,
}

/// An empty bucket.
const EMPTY: Bucket = Bucket { head: NIL, tail: NIL };

/// A time-ordered queue of events of type `E` with FIFO tie-breaking.
pub struct EventQueue<E> {
    /// The events due soonest with their times in ns, sorted latest first (the next event is the last element); of
    /// equal times, the first scheduled is nearest the end.
    run: Vec<(u64, E)>,
    /// Every filed event is later than this time, in ns.
    run_max: u64,
    /// The reference time of the filing, in ns; no filed event is earlier.
    base: u64,
    /// `buckets[level * BUCKETS + digit]`: filed events whose highest digit differing from `base` is digit `level`,
    /// of value `digit`.
    buckets: Box<[Bucket]>,
    /// Every chunk, in use or free.
    chunks: Vec<Chunk<E>>,
    /// First free chunk.
    free: u32,
    /// Bit `digit` of `occupied[level]` is set when that bucket is non-empty.
    occupied: [u64; LEVELS],
    /// Bit `level` is set when that level has a non-empty bucket.
    levels: u32,
    /// Pending events.
    len: usize,
    /// Events ever scheduled.
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
            run: Vec::new(),
            run_max: 0,
            base: 0,
            buckets: vec![EMPTY; LEVELS * BUCKETS].into_boxed_slice(),
            chunks: Vec::new(),
            free: NIL,
            occupied: [0; LEVELS],
            levels: 0,
            len: 0,
            scheduled: 0,
        }
    }

    /// Schedules `event` at `time`, after every pending event of the same time.
    ///
    /// `time` should not be earlier than the last popped event's time (the kernel's
    /// [`Scheduler`](super::Scheduler) ensures this); any other time, even one earlier than a time returned by
    /// [`EventQueue::peek_time`], is ordered correctly.
    // Always inlined into the model's handlers (it is a few instructions before `file`), as it was before the
    // handlers moved into their own functions and the optimiser stopped choosing to.
    #[inline(always)]
    pub fn push(&mut self, time: SimTime, event: E) {
        let t = time.as_nanos();
        self.scheduled += 1;
        self.len += 1;
        if t > self.run_max {
            self.file(t, event);
        } else {
            self.insert_into_run(t, event);
        }
    }

    /// Inserts an event due no later than the end of the run, behind the run's events of the same or earlier time.
    fn insert_into_run(&mut self, t: u64, event: E) {
        let at = self.run.partition_point(|&(u, _)| u > t);
        self.run.insert(at, (t, event));
    }

    /// Files an event at `t > base` in its bucket.
    #[inline(never)]
    fn file(&mut self, t: u64, event: E) {
        debug_assert!(t > self.base);
        let level = (u64::BITS - 1 - (t ^ self.base).leading_zeros()) / DIGIT_BITS;
        let digit = (t >> (level * DIGIT_BITS)) as usize % BUCKETS;
        let level = level as usize;
        let b = level * BUCKETS + digit;
        let mut tail = self.buckets[b].tail;
        if tail == NIL || self.chunks[tail as usize].entries.len() == CHUNK {
            let chunk = self.take_chunk();
            match tail {
                NIL => self.buckets[b].head = chunk,
                _ => self.chunks[tail as usize].next = chunk,
            }
            self.buckets[b].tail = chunk;
            tail = chunk;
        }
        self.chunks[tail as usize].entries.push((t, event));
        self.occupied[level] |= 1 << digit;
        self.levels |= 1 << level;
    }

    /// An empty chunk from the pool, or a new one.
    fn take_chunk(&mut self) -> u32 {
        if self.free == NIL {
            self.chunks.push(Chunk { entries: Vec::with_capacity(CHUNK), next: NIL });
            return u32::try_from(self.chunks.len() - 1).expect("fewer than 2^32 chunks");
        }
        let chunk = self.free;
        self.free = std::mem::replace(&mut self.chunks[chunk as usize].next, NIL);
        chunk
    }

    /// Makes sure the run holds the earliest pending event, if any; returns whether one is pending.
    #[inline]
    fn ready(&mut self) -> bool {
        !self.run.is_empty() || self.refill()
    }

    /// Refills the empty run from the lowest non-empty bucket.
    fn refill(&mut self) -> bool {
        if self.levels == 0 {
            return false;
        }
        let level = self.levels.trailing_zeros() as usize;
        let digit = self.occupied[level].trailing_zeros() as usize;
        self.occupied[level] &= self.occupied[level] - 1;
        if self.occupied[level] == 0 {
            self.levels &= !(1 << level);
        }
        let bucket = std::mem::replace(&mut self.buckets[level * BUCKETS + digit], EMPTY);
        let (mut min, mut max) = (u64::MAX, 0);
        let mut at = bucket.head;
        while at != NIL {
            let chunk = &self.chunks[at as usize];
            for &(t, _) in &chunk.entries {
                (min, max) = (min.min(t), max.max(t));
            }
            at = chunk.next;
        }
        self.base = min;
        let second = self.chunks[bucket.head as usize].next;
        let single = second == NIL;
        let sort = single || second == bucket.tail || min == max;
        let mut at = bucket.head;
        while at != NIL {
            let chunk = &mut self.chunks[at as usize];
            let next = chunk.next;
            if single {
                // The chunk's storage becomes the run, and the empty run's (if it has the right size) the chunk's.
                std::mem::swap(&mut chunk.entries, &mut self.run);
                if chunk.entries.capacity() != CHUNK {
                    chunk.entries = Vec::with_capacity(CHUNK);
                }
            } else if sort {
                self.run.append(&mut chunk.entries);
            } else {
                // Filing may take chunks from the pool, which this one joins only once emptied.
                let mut entries = std::mem::take(&mut chunk.entries);
                for (t, event) in entries.drain(..) {
                    if t == min {
                        self.run.push((t, event));
                    } else {
                        self.file(t, event);
                    }
                }
                self.chunks[at as usize].entries = entries;
            }
            self.chunks[at as usize].next = self.free;
            self.free = at;
            at = next;
        }
        // Reversed, equal times stand last-scheduled first, which a stable sort latest-first keeps.
        self.run.reverse();
        if sort {
            self.run.sort_by_key(|&(t, _)| std::cmp::Reverse(t));
            self.run_max = max;
        } else {
            self.run_max = min;
        }
        true
    }

    /// Removes and returns the earliest event, first-scheduled first among equal times.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        if !self.ready() {
            return None;
        }
        let (t, event) = self.run.pop()?;
        self.len -= 1;
        Some((SimTime::from_nanos(t), event))
    }

    /// The time of the earliest pending event.
    #[inline]
    pub fn peek_time(&mut self) -> Option<SimTime> {
        if !self.ready() {
            return None;
        }
        self.run.last().map(|&(t, _)| SimTime::from_nanos(t))
    }

    /// The earliest pending event if it is already sorted out of the buckets (no work is done to find it): a
    /// cheap look ahead, for hints.
    #[inline]
    pub fn peek_ready(&self) -> Option<&E> {
        self.run.last().map(|(_, e)| e)
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
        let filed = self.chunks.iter().flat_map(|c| &c.entries);
        self.run.iter().chain(filed).map(|(_, e)| e)
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

    #[test]
    fn large_buckets_keep_ties_in_order_and_reuse_their_chunks() {
        let mut q = EventQueue::new();
        // Far more events than a chunk or a sorted bucket holds: 1,000 at one time, 1,000 over a few times.
        for i in 0..1_000u32 {
            q.push(SimTime::from_secs(7), (7_000_000_000u64, i));
            let t = 5_000_000_000 + u64::from(i % 3);
            q.push(SimTime::from_nanos(t), (t, i));
        }
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        let chunks = q.chunks.len();
        let mut expected: Vec<_> = order.iter().map(|&(_, e)| e).collect();
        expected.sort(); // by (time, index); indices were scheduled in increasing order
        assert_eq!(order.iter().map(|&(_, e)| e).collect::<Vec<_>>(), expected);
        assert!(order.iter().all(|&(t, (ns, _))| t.as_nanos() == ns));
        for i in 0..2_000u32 {
            q.push(SimTime::from_secs(9), (0, i));
        }
        assert_eq!(q.chunks.len(), chunks, "emptied chunks are reused");
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
