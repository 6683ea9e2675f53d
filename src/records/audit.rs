//! Provable audits of the outsourced records (issue 15, part 4; docs/model.md, section 17).
//!
//! Section 12.7's unkeyed SHA-256 digest sits beside the record it protects, so an intruder who modifies the record
//! can recompute it (`records.audit.intruder_recomputes_digest`). With `integrity = "hmac"` every record (its stored
//! bytes EI ‖ QI ‖ MI) is split into blocks of `block_bytes`, and block i of record r carries the tag
//! HMAC-SHA256(K, r ‖ i ‖ block), 32 bytes, kept at the store; the key K is held by the third-party auditor, never
//! by the store, so a modified block no longer matches its tag (MAC-based PDP: Ateniese et al., ACM TISSEC 14(1),
//! 2011, section 3, the "MAC-PDP" baseline; the sampling analysis is Ateniese et al., CCS 2007, section 4.2). An
//! audit sends each record a challenge (header, and 4 bytes per block index) and gets back the blocks and their
//! tags, which the auditor verifies with K: every block (`full`) or c blocks drawn without replacement
//! (`spot_check`), which catch a record with t of its n blocks modified with probability
//! 1 − C(n − t, c) / C(n, c) ([`detection_prob`]). Costs: bytes moved, the auditor's HMAC cycles (SHA-256 cycles
//! per byte × 64 per compressed block, key pads precomputed), the store's SHA-256 cycles for digest audits (the
//! MAC-based store only reads), and their energy.

use hmac::{Hmac, Mac};
use rand::seq::index::sample;
use rand::Rng;
use serde::Serialize;
use sha2::Sha256;

use super::audit_keys::{AuditMode, AuditSpec, Integrity};
use crate::kernel::{EntityRng, SimTime, StreamFactory};
use crate::stats::{LatencyStats, LatencySummary};
use crate::streams;

type HmacSha256 = Hmac<Sha256>;

/// Bytes of an HMAC-SHA256 tag.
pub const TAG_BYTES: u64 = 32;
/// Bytes of one challenged block index.
pub const INDEX_BYTES: u64 = 4;
/// Bytes of section 12.7's digest input besides the parts: three 8-byte length prefixes.
const DIGEST_PREFIX_BYTES: u64 = 24;

/// The probability that c blocks drawn without replacement from n include at least one of t modified ones:
/// 1 − C(n − t, c) / C(n, c) = 1 − Π_{i<c} (n − t − i) / (n − i) (Ateniese et al., CCS 2007, section 4.2). c and t
/// are capped at n.
pub fn detection_prob(n: u32, t: u32, c: u32) -> f64 {
    let (t, c) = (t.min(n), c.min(n));
    let mut miss = 1.0;
    for i in 0..c {
        if n - i <= t {
            return 1.0;
        }
        miss *= (n - t - i) as f64 / (n - i) as f64;
    }
    1.0 - miss
}

/// The with-replacement approximation 1 − (1 − t/n)^c.
pub fn detection_prob_approx(n: u32, t: u32, c: u32) -> f64 {
    1.0 - (1.0 - t.min(n) as f64 / n as f64).powi(c as i32)
}

/// Mean time from a modification to the audit that finds it, audits every `interval_s`, each finding it with
/// probability p: the first audit comes after U(0, T), then a geometric number of audits, T · (1/p − 1/2).
pub fn mean_time_to_detect_s(interval_s: f64, p: f64) -> f64 {
    interval_s * (1.0 / p - 0.5)
}

/// SHA-256 compression-function calls for a message of `bytes` (64-byte blocks, 9 bytes of padding at least).
pub fn sha256_blocks(bytes: u64) -> u64 {
    (bytes + 9).div_ceil(64)
}

/// HMAC-SHA256 cycles for a message of `bytes`, with the key's inner and outer pads precomputed: the inner hash
/// over the message and the outer hash's one block.
pub fn hmac_cycles(bytes: u64, cycles_per_byte: f64) -> f64 {
    (sha256_blocks(bytes) + 1) as f64 * 64.0 * cycles_per_byte
}

/// The tag of block `index` of record `record` under `key`: HMAC-SHA256(key, record ‖ index ‖ block).
pub fn block_tag(key: &[u8; 32], record: u32, index: u32, block: &[u8]) -> [u8; 32] {
    block_mac(key, record, index, block).finalize().into_bytes().into()
}

/// Whether `tag` is block `index` of record `record`'s tag under `key` (constant-time comparison).
pub fn verify_block(key: &[u8; 32], record: u32, index: u32, block: &[u8], tag: &[u8]) -> bool {
    block_mac(key, record, index, block).verify_slice(tag).is_ok()
}

fn block_mac(key: &[u8; 32], record: u32, index: u32, block: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length: a 32-byte key cannot be refused.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key"));
    mac.update(&record.to_le_bytes());
    mac.update(&index.to_le_bytes());
    mac.update(block);
    mac
}

/// Counters of the audits (all of the run).
#[derive(Debug, Clone, Default)]
pub struct AuditMetrics {
    /// Audits run.
    pub audits: u64,
    /// Record checks (one per record and audit).
    pub records_checked: u64,
    /// Blocks verified against their tags (HMAC).
    pub blocks_checked: u64,
    /// Bytes moved between store and auditor: challenges, blocks, tags.
    pub bytes: u64,
    /// x86 cycles at the auditor.
    pub auditor_cycles: f64,
    /// x86 cycles at the store.
    pub store_cycles: f64,
    /// Modified records found by audits.
    pub detections: u64,
    /// First modification → the audit that found it.
    pub detection_delay: LatencyStats,
}

/// The auditor: its key, the tags at the store, its challenges and counters.
pub struct Auditor {
    spec: AuditSpec,
    key: [u8; 32],
    tags: Vec<Vec<[u8; 32]>>,
    tamper_rngs: Vec<EntityRng>,
    challenge_rng: EntityRng,
    buf: Vec<u8>,
    /// Counters.
    pub metrics: AuditMetrics,
}

impl Auditor {
    /// The auditor of `patients` records; its key is the first draw of its stream.
    pub fn new(spec: AuditSpec, patients: u32, streams: &StreamFactory) -> Self {
        let mut challenge_rng = streams.stream(streams::RECORD_AUDIT, streams::AUDITOR_STREAM_ID);
        let mut key = [0u8; 32];
        challenge_rng.fill(&mut key);
        let tamper_rngs = (0..patients).map(|p| streams.stream(streams::RECORD_AUDIT, p as u64)).collect();
        Auditor {
            spec,
            key,
            tags: Vec::new(),
            tamper_rngs,
            challenge_rng,
            buf: Vec::new(),
            metrics: Default::default(),
        }
    }

    /// The configuration.
    pub fn spec(&self) -> &AuditSpec {
        &self.spec
    }

    /// Whether a modifying intruder rewrites the unkeyed digest.
    pub fn recomputes_digest(&self) -> bool {
        self.spec.intruder_recomputes_digest
    }

    fn keyed(&self) -> bool {
        self.spec.integrity == Integrity::Hmac
    }

    /// Blocks of a record of `bytes` stored bytes.
    pub fn blocks(&self, bytes: usize) -> u32 {
        (bytes as u64).div_ceil(self.spec.block_bytes as u64).max(1) as u32
    }

    fn concat(&mut self, parts: [&[u8]; 3]) {
        self.buf.clear();
        for part in parts {
            self.buf.extend_from_slice(part);
        }
    }

    /// Tags record `p` (stored in order) as the owner hands it to the store.
    pub fn store(&mut self, p: u32, parts: [&[u8]; 3]) {
        if !self.keyed() {
            return;
        }
        self.concat(parts);
        let bs = self.spec.block_bytes as usize;
        let tags = self.buf.chunks(bs).enumerate().map(|(i, b)| block_tag(&self.key, p, i as u32, b)).collect();
        self.tags.push(tags);
    }

    /// With HMAC tags, the bytes one modification of record `p` flips, as (part, byte, XOR mask): one byte in each
    /// of `tampered_blocks` distinct blocks; `None` with the digest (section 12.7's single flip applies).
    pub fn tamper_flips(&mut self, p: u32, lens: [usize; 3]) -> Option<Vec<(u8, u32, u8)>> {
        if !self.keyed() {
            return None;
        }
        let total = lens.iter().sum::<usize>();
        let n = self.blocks(total);
        let bs = self.spec.block_bytes as usize;
        let rng = &mut self.tamper_rngs[p as usize];
        let chosen = sample(rng, n as usize, self.spec.tampered_blocks.min(n) as usize);
        let mut flips = Vec::with_capacity(chosen.len());
        for block in chosen.iter() {
            let (lo, hi) = (block * bs, ((block + 1) * bs).min(total));
            let mut at = rng.random_range(lo..hi.max(lo + 1));
            let mask: u8 = rng.random_range(1..=255);
            let mut part = 0u8;
            for len in lens {
                if at < len || part == 2 {
                    break;
                }
                at -= len;
                part += 1;
            }
            flips.push((part, at as u32, mask));
        }
        Some(flips)
    }

    /// Audits record `p` as stored (`parts`); `digest_ok` says whether it matches its unkeyed digest. Returns
    /// whether the audit finds it modified, and charges the audit's costs.
    pub fn check(&mut self, p: u32, parts: [&[u8]; 3], digest_ok: bool) -> bool {
        self.metrics.records_checked += 1;
        let bytes = parts.iter().map(|b| b.len() as u64).sum::<u64>();
        if !self.keyed() {
            self.metrics.store_cycles +=
                (sha256_blocks(bytes + DIGEST_PREFIX_BYTES) * 64) as f64 * self.spec.sha256_cycles_per_byte;
            return !digest_ok;
        }
        self.concat(parts);
        let bs = self.spec.block_bytes as usize;
        let n = self.blocks(self.buf.len());
        let chosen: Vec<usize> = match self.spec.mode {
            AuditMode::Full => (0..n as usize).collect(),
            AuditMode::SpotCheck if self.spec.challenges >= n => (0..n as usize).collect(),
            AuditMode::SpotCheck => {
                sample(&mut self.challenge_rng, n as usize, self.spec.challenges as usize).into_vec()
            }
        };
        let m = &mut self.metrics;
        let indices = if self.spec.mode == AuditMode::Full { 0 } else { chosen.len() as u64 };
        m.bytes += self.spec.challenge_header_bytes as u64 + INDEX_BYTES * indices;
        let mut found = false;
        for &i in &chosen {
            let block = &self.buf[i * bs..((i + 1) * bs).min(self.buf.len())];
            m.blocks_checked += 1;
            m.bytes += block.len() as u64 + TAG_BYTES;
            m.auditor_cycles += hmac_cycles(8 + block.len() as u64, self.spec.sha256_cycles_per_byte);
            let tag = self.tags.get(p as usize).and_then(|t| t.get(i));
            found |= !tag.is_some_and(|tag| verify_block(&self.key, p, i as u32, block, tag));
        }
        found
    }

    /// A modification found by an audit, `delay` after it happened.
    pub fn detected(&mut self, delay: SimTime) {
        self.metrics.detections += 1;
        self.metrics.detection_delay.record(delay);
    }

    /// The `records.audit` section of `summary.json`.
    pub fn summary(&self) -> AuditSummary {
        let (s, m) = (&self.spec, &self.metrics);
        let energy_j = ((m.auditor_cycles + m.store_cycles) * s.nj_per_cycle + m.bytes as f64 * s.nj_per_byte) * 1e-9;
        AuditSummary {
            integrity: if self.keyed() { "hmac" } else { "digest" },
            mode: match (self.keyed(), s.mode) {
                (false, _) => "digest",
                (true, AuditMode::Full) => "full",
                (true, AuditMode::SpotCheck) => "spot_check",
            },
            intruder_recomputes_digest: s.intruder_recomputes_digest,
            audits: m.audits,
            records_checked: m.records_checked,
            blocks_checked: m.blocks_checked,
            bytes: m.bytes,
            auditor_cycles: m.auditor_cycles,
            store_cycles: m.store_cycles,
            energy_j,
            detections: m.detections,
            detection_delay_s: m.detection_delay.summary(),
        }
    }
}

/// `summary.json` → `records` → `audit` (present when `[records.audit]` asks for HMAC tags or a recomputing
/// intruder). Covers the whole run.
#[derive(Debug, Clone, Serialize)]
pub struct AuditSummary {
    /// `digest` or `hmac`.
    pub integrity: &'static str,
    /// `digest`, `full` or `spot_check`.
    pub mode: &'static str,
    /// Whether the intruder recomputes the unkeyed digest.
    pub intruder_recomputes_digest: bool,
    /// Audits run.
    pub audits: u64,
    /// Record checks (records × audits).
    pub records_checked: u64,
    /// Blocks verified against their HMAC tags.
    pub blocks_checked: u64,
    /// Bytes moved between store and auditor (challenges, blocks, tags).
    pub bytes: u64,
    /// x86 cycles at the auditor (HMAC verification).
    pub auditor_cycles: f64,
    /// x86 cycles at the store (digest recomputation).
    pub store_cycles: f64,
    /// Energy of those cycles and bytes, in joules.
    pub energy_j: f64,
    /// Modified records found by audits.
    pub detections: u64,
    /// Modification → the audit that found it, in seconds.
    pub detection_delay_s: LatencySummary,
}

#[cfg(test)]
#[path = "audit_tests.rs"]
mod tests;
