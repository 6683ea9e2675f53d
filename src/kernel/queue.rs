//! The pending-event set: events ordered by (time, insertion sequence).
//!
//! Ties in time are broken by the order of scheduling, so two events at the same instant run first-in first-out and
//! every run is deterministic. Because a discrete-event simulation never schedules into the past, the keys popped
//! are monotone, which lets us use a radix heap (`radix-heap` crate): pushes are O(1) and pops amortised
//! O(log of the key range), with far better cache behaviour than a binary heap when many events are pending.

use std::cmp::Reverse;

use radix_heap::RadixHeapMap;

use super::time::SimTime;

/// A time-ordered queue of events of type `E` with FIFO tie-breaking.
pub struct EventQueue<E> {
    /// Key: `(time_ns << 64) | sequence`, reversed so the radix (max-)heap pops the smallest first.
    heap: RadixHeapMap<Reverse<u128>, E>,
    /// The earliest event, already taken out of the heap by [`EventQueue::peek_time`] (a radix heap cannot peek).
    front: Option<(u128, E)>,
    next_seq: u64,
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
            heap: RadixHeapMap::new(),
            front: None,
            next_seq: 0,
        }
    }

    /// Schedules `event` at `time`, which must not be earlier than the last popped event's time (the kernel's
    /// [`Scheduler`](super::Scheduler) checks this).
    pub fn push(&mut self, time: SimTime, event: E) {
        let key = ((time.as_nanos() as u128) << 64) | self.next_seq as u128;
        self.next_seq += 1;
        if matches!(&self.front, Some((front_key, _)) if key < *front_key) {
            self.rebuild_below(key);
        }
        self.heap.push(Reverse(key), event);
    }

    /// A push below a peeked front (only possible between runs, from outside the model): the radix heap's lower
    /// bound has moved past `key`, so rebuild it without a bound. Rare, O(n).
    #[cold]
    fn rebuild_below(&mut self, key: u128) {
        let old = std::mem::take(&mut self.heap);
        let mut heap: RadixHeapMap<Reverse<u128>, E> = RadixHeapMap::new_at(Reverse(key));
        heap.extend(old);
        if let Some((k, e)) = self.front.take() {
            heap.push(Reverse(k), e);
        }
        self.heap = heap;
    }

    /// Removes and returns the earliest event, first-scheduled first among equal times.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let (key, e) = match self.front.take() {
            Some(front) => front,
            None => self.heap.pop().map(|(Reverse(key), e)| (key, e))?,
        };
        Some((SimTime::from_nanos((key >> 64) as u64), e))
    }

    /// The time of the earliest pending event.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        if self.front.is_none() {
            self.front = self.heap.pop().map(|(Reverse(key), e)| (key, e));
        }
        self.front
            .as_ref()
            .map(|(key, _)| SimTime::from_nanos((key >> 64) as u64))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len() + usize::from(self.front.is_some())
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of events ever scheduled.
    pub fn scheduled(&self) -> u64 {
        self.next_seq
    }

    /// Iterates over pending events in no particular order (for end-of-run accounting).
    pub fn pending(&self) -> impl Iterator<Item = &E> {
        self.front.iter().map(|(_, e)| e).chain(self.heap.values())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
