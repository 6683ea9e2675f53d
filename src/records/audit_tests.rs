//! Unit tests of [`super`]: the closed forms, the HMAC round trip and the spot check's detection frequency.

use super::*;
use crate::records::audit_keys::{audit, RawAudit};
use crate::scenario::checker::Checker;

fn spec(mode: AuditMode, block_bytes: u64, challenges: u64, tampered_blocks: u64) -> AuditSpec {
    let raw =
        RawAudit { integrity: Integrity::Hmac, mode, block_bytes, challenges, tampered_blocks, ..Default::default() };
    let mut c = Checker::new();
    let s = audit(&mut c, &raw).expect("hmac turns audits on");
    assert!(c.into_problems().is_empty());
    s
}

#[test]
fn detection_probability_closed_forms() {
    // By hand: n = 10, t = 2, c = 3: 1 − C(8,3)/C(10,3) = 1 − 56/120.
    assert!((detection_prob(10, 2, 3) - (1.0 - 56.0 / 120.0)).abs() < 1e-12);
    assert_eq!(detection_prob(10, 0, 5), 0.0);
    assert_eq!(detection_prob(10, 8, 3), 1.0, "c > n − t: a modified block is always drawn");
    assert_eq!(detection_prob(10, 1, 10), 1.0);
    // Ateniese et al.'s sizing: 1% of 10 000 blocks modified, 460 challenges detect with ≥ 99%, 300 with ≥ 95%.
    // Exact values by Python's math.comb: 0.991202 and 0.953175.
    assert!((detection_prob(10_000, 100, 460) - 0.991_201_66).abs() < 1e-7);
    assert!((detection_prob(10_000, 100, 300) - 0.953_174_81).abs() < 1e-7);
    // Drawing without replacement finds a little more than the approximation with replacement (0.990178).
    let (exact, approx) = (detection_prob(10_000, 100, 460), detection_prob_approx(10_000, 100, 460));
    assert!(exact > approx && exact - approx < 1.1e-3, "{exact} vs {approx}");
    // A full scan (p = 1) finds it at the next audit: T/2 on average.
    assert_eq!(mean_time_to_detect_s(60.0, 1.0), 30.0);
    assert_eq!(mean_time_to_detect_s(60.0, 0.25), 210.0);
}

#[test]
fn hmac_costs_count_compressions() {
    assert_eq!(sha256_blocks(0), 1);
    assert_eq!(sha256_blocks(55), 1);
    assert_eq!(sha256_blocks(56), 2);
    // A 24-byte message (8 bytes of index, a 16-byte block): one inner block and one outer block.
    assert_eq!(hmac_cycles(24, 10.0), 2.0 * 64.0 * 10.0);
}

#[test]
fn hmac_round_trip_catches_a_flipped_byte_and_a_moved_block() {
    let key = [7u8; 32];
    let tag = block_tag(&key, 3, 1, b"sixteen bytes..!");
    assert!(verify_block(&key, 3, 1, b"sixteen bytes..!", &tag));
    assert!(!verify_block(&key, 3, 1, b"sixteen bytes..?", &tag), "a flipped byte");
    assert!(!verify_block(&key, 3, 2, b"sixteen bytes..!", &tag), "the same block at another index");
    assert!(!verify_block(&key, 4, 1, b"sixteen bytes..!", &tag), "the same block of another record");
    assert!(!verify_block(&[8u8; 32], 3, 1, b"sixteen bytes..!", &tag), "another key");
    // RFC 4231 test case 2 through the same crates: HMAC-SHA256(key = "Jefe", "what do ya want for nothing?").
    let mut mac = <HmacSha256 as Mac>::new_from_slice(b"Jefe").unwrap();
    mac.update(b"what do ya want for nothing?");
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

/// A record of `n` 16-byte blocks, stored and tagged, then modified in `t` blocks by the auditor's own draws.
fn tampered(a: &mut Auditor, n: usize) -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..n * 16).map(|i| i as u8).collect();
    a.store(0, [&bytes, &[], &[]]);
    let flips = a.tamper_flips(0, [bytes.len(), 0, 0]).expect("hmac tampering");
    for (part, at, mask) in flips {
        assert_eq!(part, 0);
        bytes[at as usize] ^= mask;
    }
    bytes
}

#[test]
fn spot_checks_detect_at_the_hypergeometric_rate() {
    let streams = StreamFactory::new(42, 0);
    let (n, t, c) = (20, 3, 5);
    let mut a = Auditor::new(spec(AuditMode::SpotCheck, 16, c, t), 1, &streams);
    let bytes = tampered(&mut a, n);
    let trials = 20_000;
    let hits = (0..trials).filter(|_| a.check(0, [&bytes, &[], &[]], true)).count();
    let p = detection_prob(n as u32, t as u32, c as u32);
    let se = (p * (1.0 - p) / trials as f64).sqrt();
    let freq = hits as f64 / trials as f64;
    eprintln!("spot check: detected in {freq:.4} of {trials} audits vs {p:.4} ± {:.4}", 4.0 * se);
    assert!((freq - p).abs() < 4.0 * se, "frequency {freq} vs 1 − C(17,5)/C(20,5) = {p} ± {}", 4.0 * se);
    let m = &a.metrics;
    assert_eq!(m.blocks_checked, c * trials);
    assert_eq!(m.bytes, trials * (24 + 4 * c + c * (16 + 32)));
}

#[test]
fn full_scans_always_detect_and_the_untouched_record_passes() {
    let streams = StreamFactory::new(1, 0);
    let mut a = Auditor::new(spec(AuditMode::Full, 16, 1, 1), 2, &streams);
    let bytes = tampered(&mut a, 9);
    assert!(a.check(0, [&bytes, &[], &[]], true), "a full scan reads the modified block");
    let clean: Vec<u8> = (0..100u8).collect();
    a.store(1, [&clean[..40], &clean[40..70], &clean[70..]]);
    assert!(!a.check(1, [&clean[..40], &clean[40..70], &clean[70..]], true));
    // 100 bytes: 7 blocks (the last of 4 bytes), a 24-byte header and no indices.
    assert_eq!(a.metrics.bytes, (24 + 9 * 48) + (24 + 100 + 7 * 32));
}

#[test]
fn a_digest_check_sees_only_the_digest() {
    let raw = RawAudit { intruder_recomputes_digest: true, ..Default::default() };
    let mut c = Checker::new();
    let s = audit(&mut c, &raw).expect("a recomputing intruder turns the section on");
    assert!(audit(&mut Checker::new(), &RawAudit::default()).is_none(), "off by default");
    let mut a = Auditor::new(s, 1, &StreamFactory::new(1, 0));
    assert_eq!(a.tamper_flips(0, [10, 10, 10]), None, "section 12.7's flip");
    assert!(!a.check(0, [b"abc", b"", b""], true));
    assert!(a.check(0, [b"abc", b"", b""], false));
    assert_eq!(a.metrics.store_cycles, 2.0 * 64.0 * crate::records::audit_keys::SHA256_CYCLES_PER_BYTE);
}
