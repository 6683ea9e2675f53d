//! A small, domain-free discrete-event kernel.
//!
//! - [`time`]: integer simulated time ([`SimTime`], nanoseconds).
//! - [`queue`]: the pending events, ordered by (time, insertion sequence).
//! - [`simulation`]: the event loop, generic over a [`Model`] and its closed event enum.
//! - [`rng`]: independent random streams per (seed, replication, entity).
//!
//! The kernel knows nothing of wearables, cloudlets or intrusion detection.
//!
//! ```
//! use cloudletsim::kernel::{Model, Scheduler, SimTime, Simulation};
//!
//! // A counter that ticks every second, three times.
//! struct Ticker { ticks: u32 }
//! enum Event { Tick }
//!
//! impl Model for Ticker {
//!     type Event = Event;
//!     fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) {
//!         match event {
//!             Event::Tick => {
//!                 self.ticks += 1;
//!                 if self.ticks < 3 {
//!                     sched.schedule_in(SimTime::from_secs(1), Event::Tick);
//!                 }
//!             }
//!         }
//!     }
//! }
//!
//! let mut sim = Simulation::new(Ticker { ticks: 0 });
//! sim.schedule_at(SimTime::ZERO, Event::Tick);
//! sim.run();
//! assert_eq!(sim.model().ticks, 3);
//! assert_eq!(sim.now(), SimTime::from_secs(2));
//! ```

pub mod prefetch;
pub mod queue;
pub mod rng;
pub mod simulation;
pub mod time;

pub use prefetch::prefetch;
pub use queue::EventQueue;
pub use rng::{EntityRng, StreamFactory};
pub use simulation::{Model, Scheduler, Simulation, StopReason};
pub use time::{SimTime, TimeError};
