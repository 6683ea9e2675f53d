//! Patients' signatures on their uploads: the costs the delivery chain charges and the counters it keeps.
//!
//! A patient signs every upload where it is sealed (`crypto.at`: the wearable or the BAN gateway), after sealing
//! (encrypt-then-sign: the signature covers the bytes sent, so the cloudlet can check the sender before it spends
//! anything on decryption). Signing is a job on the sender's one processor, first come first served after the
//! sealing (docs/model.md §7.15); its energy is booked through the energy ledger. The signature's bytes ride on the
//! packet over the BAN hop (signed at the wearable) and the access hop. The cloudlet verifies on one of its cores
//! (server cycles, queued with the openings like an IDS inspection) and strips the signature; the upload goes on
//! once both the verification and the opening are done (they are independent and may run on two cores). The
//! handlers are in `src/chain/sign.rs`.

use crate::crypto::CryptoAt;
use crate::energy::raw::ProcessorTiming;
use crate::kernel::SimTime;
use crate::scenario::ModelConfig;
use crate::stats::LatencyStats;

use super::config::SignaturesSpec;

/// Counters of signed uploads (the whole run).
#[derive(Debug, Clone, Default)]
pub struct UploadMetrics {
    /// Uploads signed by their senders.
    pub made: u64,
    /// Upload signatures verified at cloudlets.
    pub verified: u64,
    /// Verifications that failed (no forger is modelled: 0 unless uploads were altered on the way).
    pub failures: u64,
    /// Energy of signing at wearables, J.
    pub wearable_j: f64,
    /// Energy of signing at gateways, J.
    pub gateway_j: f64,
    /// Energy of verifying at cloudlets, J.
    pub cloudlet_j: f64,
    /// Time signing added at the sender: ready after signing − ready before (waiting for the processor included).
    pub sign_delay: LatencyStats,
    /// Time the verification added at the cloudlet beyond the opening (0 when the opening took longer).
    pub verify_delay: LatencyStats,
}

/// Upload signing: the profile's figures for the sender and the cloudlet, and the counters.
#[derive(Debug, Clone)]
pub struct UploadSigning {
    /// Cortex-M4 cycles of one signature at the sender.
    pub sign_cycles: f64,
    /// Server cycles of one verification at the cloudlet.
    pub verify_cycles: f64,
    /// Bytes a signature adds to the packet.
    pub signature_bytes: u32,
    /// Where uploads are signed (`crypto.at`).
    pub at: CryptoAt,
    sender_hz: f64,
    queued: bool,
    /// Counters.
    pub metrics: UploadMetrics,
}

impl UploadSigning {
    /// Upload signing of `cfg`, or `None` when patients do not sign uploads.
    pub fn new(cfg: &ModelConfig) -> Option<Self> {
        let spec: &SignaturesSpec = &cfg.signatures;
        if !spec.signs_uploads() {
            return None;
        }
        let cpu = &cfg.energy.processor;
        Some(UploadSigning {
            sign_cycles: spec.profile.sign_cycles,
            verify_cycles: spec.profile.server_verify_cycles,
            signature_bytes: spec.profile.signature_bytes,
            at: cfg.crypto.at,
            sender_hz: if cfg.crypto.at == CryptoAt::Wearable { cpu.wearable_hz } else { cpu.gateway_hz },
            queued: cpu.timing == ProcessorTiming::Queued,
            metrics: UploadMetrics::default(),
        })
    }

    /// One signature at the sender, handed over at `now`, the upload being ready (sealed) at `ready` and the
    /// processor free from `free`; `joules` were booked. Returns when the signed upload is ready.
    pub fn sign(&mut self, now: SimTime, ready: SimTime, free: SimTime, joules: f64) -> SimTime {
        let m = &mut self.metrics;
        m.made += 1;
        match self.at {
            CryptoAt::Wearable => m.wearable_j += joules,
            CryptoAt::Gateway => m.gateway_j += joules,
        }
        let ready = ready.max(now);
        if !self.queued {
            m.sign_delay.record(SimTime::ZERO);
            return ready;
        }
        let done = ready.max(free).saturating_add(SignaturesSpec::duration(self.sign_cycles, self.sender_hz));
        m.sign_delay.record(done - ready);
        done
    }

    /// One verification at a cloudlet that ended at `done`, the opening (if any) ending at `opened`; `joules` were
    /// booked. Returns when the upload may go on.
    pub fn verified(&mut self, ok: bool, done: SimTime, opened: SimTime, joules: f64) -> SimTime {
        let m = &mut self.metrics;
        m.verified += 1;
        m.failures += u64::from(!ok);
        m.cloudlet_j += joules;
        m.verify_delay.record(done.saturating_sub(opened));
        done.max(opened)
    }
}
