//! The `crypto` section of `summary.json`: which protection ran, and the real round trips checked.

use serde::Serialize;

use super::config::CryptoMode;

/// `summary.json` → `crypto`.
#[derive(Debug, Clone, Serialize)]
pub struct CryptoInfo {
    /// Scheme name.
    pub scheme: String,
    /// `per_packet`, `session` or `batch`.
    pub mode: String,
    /// `wearable` or `gateway`.
    pub at: String,
    /// Whether real cryptography ran (`--real-crypto`).
    pub real: bool,
    /// Real mode: packets really decrypted and compared at cloudlets.
    pub real_checked: u64,
    /// Real mode: round trips that failed or did not match (must be 0).
    pub real_errors: u64,
    /// The processors the sealing and opening occupied: jobs, busy time, utilisation, waits.
    pub processor: super::processor::ProcessorSummary,
}

/// The scenario-file name of a crypto mode.
pub fn crypto_mode_name(m: CryptoMode) -> &'static str {
    match m {
        CryptoMode::PerPacket => "per_packet",
        CryptoMode::Session => "session",
        CryptoMode::Batch => "batch",
    }
}
