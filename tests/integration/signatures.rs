//! Signatures for non-repudiation (docs/model.md §15): care steps lengthened by exactly the signing and verifying
//! times, energy = cycles × J/cycle, signatures made = verified, tampering caught by every later verification (the
//! same records the store's own checks find), signed uploads' cost, the option off changing nothing, bad input.

use std::path::Path;

use cloudletsim::output::Summary;
use cloudletsim::run::RunResult;
use cloudletsim::scenario;

use crate::common::{config, run};

const SMALL: &str = r#"
name = "sig-small"
seed = 3
[simulation]
duration_s = 600.0
drain_s = 400.0
[wearables]
count = 60
sensors = ["temperature"]
[cloudlets]
count = 3
mesh = "ring"
[crypto]
scheme = "none"
[records]
enabled = true
audit_interval_s = 0.0
[care]
enabled = true
doctors_per_cloudlet = 50
appointment_rate_per_s = 0.002
latency = "fixed"
unverified_doctor_prob = 0.0
request_s = 0.05
assign_s = 0.01
key_request_s = 0.05
kdc_check_s = 0.02
record_fetch_s = 0.1
consult_s = 120.0
prescription_s = 0.05
ack_s = 10.0
"#;

const ON: &str = "[signatures]\nenabled = true\n";

fn with(extra: &str) -> RunResult {
    run(&config(&format!("{SMALL}\n{extra}")), false)
}

fn summary(r: &RunResult) -> serde_json::Value {
    serde_json::to_value(Summary::from_run(r)).expect("summaries serialise")
}

/// Ed25519 defaults: doctor verifies 320 673 and signs twice 96 222 server cycles at 2 GHz; the gateway verifies
/// 29 482 320 Cortex-M4 cycles at 64 MHz. With fixed steps every appointment takes the step sum plus those times,
/// and each energy is the hand product cycles × J/cycle.
#[test]
fn fixed_care_steps_grow_by_exactly_the_signature_times_and_energy_is_cycles_times_joules() {
    let r = with(ON);
    let c = &r.model.care().metrics;
    assert!(c.completed > 40, "{} completed", c.completed);
    let steps = 0.05 + 0.01 + 0.05 + 0.02 + 0.1 + 120.0 + 0.05 + 10.0;
    let added = 320_673.0 / 2e9 + 2.0 * 96_222.0 / 2e9 + 29_482_320.0 / 64e6;
    let t = c.turnaround.summary();
    assert!((t.min - (steps + added)).abs() < 2e-9 && (t.max - (steps + added)).abs() < 2e-9, "{t:?}");
    let s = summary(&r);
    let sig = &s["signatures"];
    let made = &sig["made"];
    let ver = &sig["verified"];
    // Every appointment finishes before the end (drain 400 s): prescriptions made = verified, none failed.
    assert_eq!(made["prescriptions"], ver["prescriptions"]);
    assert_eq!(made["prescriptions"].as_u64().unwrap(), r.model.care().metrics.prescriptions);
    assert_eq!(made["record_updates"], made["prescriptions"]);
    assert_eq!(made["records_at_creation"], 60);
    assert_eq!(ver["records_on_read"].as_u64().unwrap(), r.model.records().metrics.doctor_reads);
    assert_eq!(sig["failures"]["prescriptions"], 0);
    assert_eq!(sig["tampering_caught"], 0, "nothing is tampered");
    let n = made["prescriptions"].as_f64().unwrap();
    let reads = ver["records_on_read"].as_f64().unwrap();
    let e = &sig["energy_j"];
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.max(1.0);
    assert!(close(e["gateway"].as_f64().unwrap(), n * 29_482_320.0 * 0.15e-9), "{e}");
    assert!(close(e["doctor"].as_f64().unwrap(), 2.0 * n * 96_222.0 * 1e-9 + reads * 320_673.0 * 1e-9), "{e}");
    assert!(close(e["cloud"].as_f64().unwrap(), 60.0 * 96_222.0 * 1e-9), "{e}");
    // Each added time is rounded to the nanosecond.
    assert!((sig["latency_added_s"]["per_appointment"].as_f64().unwrap() - added).abs() < 2e-9);
}

/// Tampering attacks land on records (no IDS stops them); every tampered record that a doctor reads or an audit
/// checks afterwards fails verification: the catches equal the record store's own finds, read by read and audit by
/// audit, and each has its time from the tampering.
#[test]
fn every_tampered_record_read_afterwards_is_caught() {
    let extra = "[attacks.data_tampering]\nrate_per_s = 0.05\n[ids]\ncount = 1\n\
                 [ids.bernoulli.detection_prob]\ndata_tampering = 0.0\n";
    let small = SMALL.replace("audit_interval_s = 0.0", "audit_interval_s = 97.0");
    let r = run(&config(&format!("{small}\n{ON}{extra}")), false);
    let rec = &r.model.records().metrics;
    let m = &r.model.signatures().metrics;
    assert!(rec.tamperings > 15, "{} tamperings", rec.tamperings);
    assert!(rec.found_on_access > 0 && rec.found_by_audit > 0, "{} / {}", rec.found_on_access, rec.found_by_audit);
    assert_eq!(m.failures_on_read, rec.found_on_access);
    assert_eq!(m.failures_at_audit, rec.found_by_audit);
    assert_eq!(m.detection_delay.count(), m.failures_on_read + m.failures_at_audit);
    assert_eq!(m.detection_delay.summary().max, rec.detection_delay.summary().max);
    assert_eq!(m.records_verified_at_audit, 60 * rec.audits);
}

/// Signatures and provable audits together (§15 with §17): an intruder who recomputes the unkeyed digest is never
/// found by the record store (no keyed audit), but cannot sign, so every modified record fails its signature at the
/// next audit. Nothing restores it, so it fails at every later audit too: each failure counts, the modification is
/// caught once, and its delay is that first audit's.
#[test]
fn signatures_catch_what_a_recomputed_digest_hides() {
    let extra = "[attacks.data_tampering]\nrate_per_s = 0.05\n[ids]\ncount = 1\n\
                 [ids.bernoulli.detection_prob]\ndata_tampering = 0.0\n\
                 [records.audit]\nintruder_recomputes_digest = true\n";
    let small = SMALL.replace("audit_interval_s = 0.0", "audit_interval_s = 97.0");
    let r = run(&config(&format!("{small}\n{ON}{extra}")), false);
    let rec = &r.model.records().metrics;
    let m = &r.model.signatures().metrics;
    assert!(rec.tamperings > 15, "{} tamperings", rec.tamperings);
    assert_eq!((rec.found_on_access, rec.found_by_audit), (0, 0), "the recomputed digest always matches");
    let tampered = r.model.records().undetected_tampered();
    assert!(tampered > 10, "{tampered} records left modified");
    // Modifications stop at 600 s and audits run every 97 s until 970 s: every modified record is caught, once.
    assert_eq!(m.tampering_caught, tampered);
    assert_eq!(m.detection_delay.count(), m.tampering_caught);
    assert!(m.failures_at_audit > m.tampering_caught, "a record left modified fails again at later audits");
    assert!(m.detection_delay.summary().max <= 97.0 + 1e-9, "caught at the first audit after the modification");
    assert_eq!(summary(&r)["signatures"]["tampering_caught"], m.tampering_caught);
}

/// Patients sign uploads at the wearable: energy = uploads × 12 996 480 cycles × 0.15 nJ; each signing holds the
/// sample at least 12 996 480 / 64 MHz; every upload is verified at its cloudlet (lossless links, drained); the
/// 64-byte signature crosses the BAN and access hops.
#[test]
fn signed_uploads_pay_cycles_bytes_and_time() {
    let base = "name = \"up\"\nseed = 2\n[simulation]\nduration_s = 60.0\ndrain_s = 5.0\n[wearables]\ncount = 10\n\
                sensors = [\"temperature\"]\n[cloudlets]\ncount = 2\nmesh = \"ring\"\n[links.ban]\nmac = \"ideal\"\n";
    let off = run(&config(base), false);
    let on = run(&config(&format!("{base}{ON}uploads = true\n")), false);
    let u = on.model.signatures().uploads.as_ref().expect("upload signing on").metrics.clone();
    assert_eq!(u.made, off.model.metrics().generated);
    assert_eq!((u.made, u.failures), (u.verified, 0));
    assert_eq!(on.model.metrics().delivered, off.model.metrics().delivered);
    assert!((u.wearable_j - u.made as f64 * 12_996_480.0 * 0.15e-9).abs() < 1e-12);
    assert!(u.sign_delay.summary().min >= 12_996_480.0 / 64e6 - 1e-9);
    let (a, b) = (summary(&off), summary(&on));
    let lat = |s: &serde_json::Value| s["latency_s"]["mean"].as_f64().unwrap();
    assert!(lat(&b) - lat(&a) >= 12_996_480.0 / 64e6 - 1e-6, "{} vs {}", lat(&b), lat(&a));
    // 64 more payload bytes on the BAN hop and on the access hop of every sample (no losses: one attempt each).
    let wire = |s: &serde_json::Value| s["links"]["wire_bytes"].as_f64().unwrap();
    assert!(wire(&b) - wire(&a) >= 2.0 * 64.0 * u.made as f64, "{} vs {}", wire(&b), wire(&a));
}

/// Off (the table absent, or present with `enabled = false`), nothing changes and the resolved scenario has no
/// `[signatures]` table.
#[test]
fn off_changes_nothing() {
    let plain = config(SMALL);
    let off = config(&format!("{SMALL}\n[signatures]\nenabled = false\nscheme = \"ecdsa-p256\"\nuploads = true\n"));
    let (a, b) = (summary(&run(&plain, false)), summary(&run(&off, false)));
    assert!(a.get("signatures").is_none());
    assert_eq!(a, b);
    let s = scenario::load_str(SMALL, Path::new("t.toml"), &[]).unwrap();
    assert!(!s.resolved_toml().unwrap().contains("[signatures"));
}

#[test]
fn bad_signature_input_is_refused_with_the_key_and_what_is_allowed() {
    let err = |extra: &str| {
        let sets =
            ["crypto.scheme=ntru-hps2048509".to_string(), "crypto.at=gateway".into(), "crypto.mode=batch".into()];
        let sets = if extra.contains("uploads") { &sets[..] } else { &[] };
        scenario::load_str(&format!("{SMALL}\n{extra}"), Path::new("t.toml"), sets).unwrap_err().to_string()
    };
    let e = err("[signatures]\nscheme = \"rsa\"\n");
    assert!(e.contains("signatures.scheme") && e.contains("ecdsa-p256, ed25519"), "{e}");
    let e = err("[signatures]\nscheme = \"mine\"\n[signatures.profiles.mine]\nsign_cycles = 1.0\n");
    assert!(e.contains("signatures.profiles.mine.verify_cycles") && e.contains("missing"), "{e}");
    let e = err("[signatures]\n[signatures.profiles.ed25519]\nsignature_bytes = 0\n");
    assert!(e.contains("signatures.profiles.ed25519.signature_bytes"), "{e}");
    let e = err("[signatures]\nenabled = true\nuploads = true\n");
    assert!(e.contains("signatures.uploads") && e.contains("batch"), "{e}");
}
