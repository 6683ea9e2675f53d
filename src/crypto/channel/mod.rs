//! The second stage protected: TLS 1.3 (RFC 8446) or DTLS 1.3 (RFC 9147) between the cloudlet where a sample
//! enters the mesh and the remote cloud (`[channel]`, off by default).
//!
//! The channel is end to end: the entry cloudlet seals every packet it sends toward the cloud (a sample, or a
//! cloudlet batch) as one record, relaying cloudlets forward records they cannot read, and the cloud opens them.
//! Each entry cloudlet holds one session with the cloud: a full handshake before its first record, a PSK
//! resumption every `resume_s`; records wait for a handshake under way. Costs: handshake flights on the path's
//! links (bytes, radio energy, time), public-key work on the cloudlet's cores and at the cloud, and per record a
//! header, an inner content type and an AEAD tag on every link, with AEAD work at both ends. With `count_exposure`
//! the run also counts what an intruder on each link class could read.
//!
//! [`raw`] holds the keys, their sources and validation; [`handshake`] the closed forms (flight bytes, cycles,
//! record overhead); [`state`] the sessions and counters of a run; [`compare`] the `crypto_channel.csv` table of
//! `crypto-compare`. The chain applies it in `src/chain/secure.rs`. Model and sources: `docs/model.md` §16.

pub mod compare;
pub mod handshake;
pub mod raw;
pub mod state;

pub use handshake::{Flights, HandshakeCycles, HandshakeKind};
pub use raw::{ChannelSpec, Protection, RawChannel};
pub use state::{ChannelState, ChannelSummary};
