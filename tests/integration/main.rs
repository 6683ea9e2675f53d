//! Integration tests: whole scenarios run through the library and through the `cloudletsim` binary, checking the
//! model's invariants (issue 2).
//!
//! One test binary, with one module per concern, keeps link times down (as in nexosim's `tests/integration/`):
//!
//! - [`conservation`]: generated = delivered + dropped + in flight, on lossy, congested networks.
//! - [`determinism`]: same scenario and seed, byte-identical results files; another seed, other results.
//! - [`streams`]: adding a wearable leaves every other wearable's sample times unchanged.
//! - [`delivery`]: without loss everything arrives, no sooner than the hops allow; hand-computed exact latencies.
//! - [`bad_input`]: every kind of bad input gets one clear located message, a non-zero exit and no results folder.
//! - [`fuzz`]: the scenario parser and the topology builder never panic on random input.
//! - [`sweep`]: sweeps are byte-identical across `--jobs`, shards and interruptions; bad sweep files get located
//!   errors; `check` and `plot` work on sweep and run folders; the Student-t interval covers 95%.

mod bad_input;
mod common;
mod conservation;
mod delivery;
mod determinism;
mod energy;
mod estimate;
mod fuzz;
mod hostile;
mod ids;
mod output_safety;
mod properties;
mod streams;
mod sweep;
mod trust;
