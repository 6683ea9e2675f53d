//! The `[records.audit]` table: provable audits of the outsourced records (issue 15, part 4), its checks and its
//! validated form. Off by default: `integrity = "digest"` with an intruder who does not recompute the digest is the
//! record store of section 12.7, unchanged. The model is in [`super::audit`] and docs/model.md, section 17.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::scenario::checker::Checker;

/// What the record store's integrity rests on.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Integrity {
    /// The unkeyed SHA-256 digest stored beside each record (section 12.7): the store recomputes it at each audit.
    Digest,
    /// Keyed HMAC-SHA256 tags, one per block of `block_bytes`, under a key held by the third-party auditor (not
    /// beside the record): MAC-based spot checking (Ateniese et al., ACM TISSEC 14(1), 2011, "MAC-PDP").
    Hmac,
}

/// Which blocks an HMAC audit checks.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AuditMode {
    /// Every block of every record: all bytes and tags are fetched.
    Full,
    /// `challenges` blocks per record, drawn uniformly without replacement (Ateniese et al., CCS 2007).
    SpotCheck,
}

/// `[records.audit]`: how audits check the stored records and what they cost.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawAudit {
    /// `digest` (the unkeyed SHA-256 digest beside the record, as section 12.7) or `hmac` (per-block HMAC-SHA256
    /// tags under the auditor's key).
    pub integrity: Integrity,
    /// Whether an intruder who modifies a record also recomputes the unkeyed digest stored beside it (anyone can:
    /// SHA-256 has no key). Then digest checks, at audits and at doctors' reads, never find the modification.
    pub intruder_recomputes_digest: bool,
    /// With `integrity = "hmac"`: `full` (every block) or `spot_check` (`challenges` blocks per record).
    pub mode: AuditMode,
    /// With `integrity = "hmac"`: block size in bytes (>= 1); a record of b stored bytes has ⌈b / block_bytes⌉
    /// blocks.
    pub block_bytes: u64,
    /// With `mode = "spot_check"`: blocks challenged per record and audit (>= 1; a record with fewer blocks has all
    /// of them checked).
    pub challenges: u64,
    /// With `integrity = "hmac"`: blocks one modification changes (>= 1; at most the record's blocks), one byte
    /// each.
    pub tampered_blocks: u64,
    /// SHA-256 (and HMAC-SHA256 per compressed 64-byte block) cycles per byte on the auditor's and the store's x86
    /// CPU (> 0). Default 10.84: Gueron and Krasnov 2012, 3rd-generation Intel Core.
    pub sha256_cycles_per_byte: f64,
    /// Fixed bytes of one challenge: record identifier and nonce (>= 0); each challenged block index adds 4 bytes.
    pub challenge_header_bytes: u64,
    /// Energy per x86 cycle at the auditor and the store, in nJ (>= 0); default 1, as
    /// `energy.processor.cloudlet_nj_per_cycle` (ours, illustrative).
    pub nj_per_cycle: f64,
    /// Energy per byte moved between the store and the auditor, in nJ (>= 0); default 0 (our assumption: the
    /// transfer's energy is not charged unless given).
    pub nj_per_byte: f64,
}

impl Default for RawAudit {
    fn default() -> Self {
        RawAudit {
            integrity: Integrity::Digest,
            intruder_recomputes_digest: false,
            mode: AuditMode::SpotCheck,
            block_bytes: 16,
            challenges: 4,
            tampered_blocks: 1,
            sha256_cycles_per_byte: SHA256_CYCLES_PER_BYTE,
            challenge_header_bytes: 24,
            nj_per_cycle: 1.0,
            nj_per_byte: 0.0,
        }
    }
}

impl RawAudit {
    /// Whether the table is as by default (it is then left out of `scenario.resolved.toml`).
    pub fn is_default(&self) -> bool {
        *self == RawAudit::default()
    }
}

/// SHA-256 on x86, cycles per byte of long messages: Gueron and Krasnov, "Parallelizing message schedules to
/// accelerate the computations of hash functions", IACR ePrint 2012/067, 10.84 cycles/byte on a 3rd-generation
/// Intel Core (Ivy Bridge) (12.11 on the 2nd generation).
pub const SHA256_CYCLES_PER_BYTE: f64 = 10.84;

/// Validated `[records.audit]`: present when the table asks for more than section 12.7's digest audits.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditSpec {
    /// Digest or HMAC tags.
    pub integrity: Integrity,
    /// The intruder recomputes the unkeyed digest.
    pub intruder_recomputes_digest: bool,
    /// Full or spot check (HMAC).
    pub mode: AuditMode,
    /// Block size, bytes.
    pub block_bytes: u32,
    /// Blocks challenged per record (spot check).
    pub challenges: u32,
    /// Blocks one modification changes (HMAC).
    pub tampered_blocks: u32,
    /// SHA-256 cycles per byte, x86.
    pub sha256_cycles_per_byte: f64,
    /// Fixed challenge bytes.
    pub challenge_header_bytes: u32,
    /// nJ per cycle.
    pub nj_per_cycle: f64,
    /// nJ per byte moved.
    pub nj_per_byte: f64,
}

/// `None` when the table is as by default (today's digest audits, byte-identical outputs).
pub(crate) fn audit(c: &mut Checker, raw: &RawAudit) -> Option<AuditSpec> {
    let at_least_one = |c: &mut Checker, key: &str, v: u64| -> u32 {
        if v == 0 || v > u32::MAX as u64 {
            c.fail(&format!("records.audit.{key}"), format!("must be an integer from 1 to {} (got {v})", u32::MAX));
            return 1;
        }
        v as u32
    };
    let block_bytes = at_least_one(c, "block_bytes", raw.block_bytes);
    let challenges = at_least_one(c, "challenges", raw.challenges);
    let tampered_blocks = at_least_one(c, "tampered_blocks", raw.tampered_blocks);
    let challenge_header_bytes = c.small("records.audit.challenge_header_bytes", raw.challenge_header_bytes);
    let spec = AuditSpec {
        integrity: raw.integrity,
        intruder_recomputes_digest: raw.intruder_recomputes_digest,
        mode: raw.mode,
        block_bytes,
        challenges,
        tampered_blocks,
        sha256_cycles_per_byte: c.positive("records.audit.sha256_cycles_per_byte", raw.sha256_cycles_per_byte),
        challenge_header_bytes,
        nj_per_cycle: c.non_negative("records.audit.nj_per_cycle", raw.nj_per_cycle),
        nj_per_byte: c.non_negative("records.audit.nj_per_byte", raw.nj_per_byte),
    };
    let on = raw.integrity == Integrity::Hmac || raw.intruder_recomputes_digest;
    on.then_some(spec)
}
