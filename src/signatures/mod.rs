//! Signatures for non-repudiation (the papers' stated future work): doctors sign prescriptions and record updates,
//! patients optionally sign their uploads; receivers verify. Profiles `ecdsa-p256` and `ed25519` with Cortex-M4 and
//! server cycle counts from published benchmarks, and real implementations (`p256`, `ed25519-dalek`).
//!
//! Its scenario table `[signatures]` ([`raw`], [`validate`], [`config`]), real signing ([`real`]), the state and
//! the hooks the model calls around care steps and audits ([`state`]), upload signing lent to the delivery chain
//! ([`upload`]; its handlers are in `src/chain/sign.rs`), the `signatures` section of `summary.json` ([`output`])
//! and the `crypto_signatures.csv` table of `crypto-compare` ([`compare`]). Model and sources: `docs/model.md` §15.

pub mod compare;
pub mod config;
pub mod output;
pub mod raw;
pub mod real;
pub mod state;
pub mod upload;
pub mod validate;

pub use config::{CareSigning, SignatureProfile, SignaturesSpec};
pub use state::SignaturesState;
pub use upload::UploadSigning;
