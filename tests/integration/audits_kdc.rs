//! Provable audits and the finite KDC (issue 15, parts 4 and 7): a recomputing intruder defeats the unkeyed digest
//! but not the keyed tags; spot checks find modifications after T · (1/p − 1/2) on average; the KDC's latency adds
//! up in the care workflow; its queue waits as M/M/1; both sections are absent by default.

use cloudletsim::output::Summary;
use cloudletsim::records::audit::{detection_prob, mean_time_to_detect_s};
use cloudletsim::run::RunResult;

use crate::common::{config, run};

/// 60 patients on 3 cloudlets, a temperature reading a minute.
const SMALL: &str = r#"
name = "audits-small"
seed = 4
[simulation]
duration_s = 600.0
drain_s = 120.0
[wearables]
count = 60
sensors = ["temperature"]
[cloudlets]
count = 3
mesh = "ring"
[crypto]
scheme = "none"
[ids]
count = 0
"#;

const TAMPERING: &str =
    "[attacks.data_tampering]\nrate_per_s = 0.2\n[records]\nenabled = true\naudit_interval_s = 60.0\n";

fn with(extra: &str) -> RunResult {
    run(&config(&format!("{SMALL}\n{extra}")), false)
}

fn summary(r: &RunResult) -> serde_json::Value {
    serde_json::to_value(Summary::from_run(r)).expect("summaries serialise")
}

#[test]
fn a_recomputing_intruder_defeats_the_digest_but_not_the_keyed_tags() {
    let plain = with(TAMPERING);
    assert!(summary(&plain)["records"].get("audit").is_none(), "no audit section by default");
    assert!(plain.model.records().metrics.found_by_audit > 50);

    let digest = with(&format!("{TAMPERING}[records.audit]\nintruder_recomputes_digest = true\n"));
    let m = &digest.model.records().metrics;
    assert!(m.tamperings > 80, "{} modifications", m.tamperings);
    assert_eq!((m.found_by_audit, m.found_on_access), (0, 0), "the recomputed digest always matches");
    assert!(digest.model.records().undetected_tampered() > 40);
    assert_eq!(summary(&digest)["records"]["audit"]["detections"], 0);

    let keyed = with(&format!(
        "{TAMPERING}[records.audit]\nintruder_recomputes_digest = true\nintegrity = \"hmac\"\nmode = \"full\"\n"
    ));
    let recs = keyed.model.records();
    let a = recs.auditor().expect("on");
    assert!(recs.metrics.tamperings > 80);
    assert_eq!(recs.undetected_tampered(), 0, "the audit after the last modification finds it (drain 120 s)");
    assert_eq!(a.metrics.detections, recs.metrics.found_by_audit);
    let d = a.metrics.detection_delay.summary();
    assert!(d.max <= 60.0, "a full scan finds it at the next audit: max {}", d.max);
    let s = summary(&keyed);
    assert_eq!(s["records"]["audit"]["integrity"], "hmac");
    assert!(s["records"]["audit"]["bytes"].as_u64().unwrap() > 0);
}

#[test]
fn spot_checks_find_modifications_as_the_geometric_form_says() {
    let text = format!(
        "{}\n[attacks.data_tampering]\nrate_per_s = 0.1\n[records]\nenabled = true\naudit_interval_s = 60.0\n\
         [records.audit]\nintegrity = \"hmac\"\nmode = \"spot_check\"\nchallenges = 4\ntampered_blocks = 1\n",
        SMALL
            .replace("count = 60", "count = 2000")
            .replace("duration_s = 600.0", "duration_s = 3000.0")
            .replace("drain_s = 120.0", "drain_s = 2000.0")
    );
    let r = run(&config(&text), false);
    let recs = r.model.records();
    let a = recs.auditor().expect("on");
    let d = a.metrics.detection_delay.summary();
    assert!(a.metrics.detections > 250, "{} found", a.metrics.detections);
    assert_eq!(recs.undetected_tampered(), 0, "2000 s of audits after the last modification");
    // Targets are uniform over the records, so the expected delay is the mean over records of T (1/p − 1/2), with
    // p = 1 − C(n − 1, 4)/C(n, 4) = 4/n for a record of n blocks; the variance of one delay is
    // T² (1/12 + (1 − p)/p²) (uniform wait for the first audit, then a geometric number of audits).
    let ps: Vec<f64> = (0..recs.len() as u32).map(|p| detection_prob(recs.audit_blocks(p), 1, 4)).collect();
    let expected = ps.iter().map(|&p| mean_time_to_detect_s(60.0, p)).sum::<f64>() / ps.len() as f64;
    let var = ps.iter().map(|&p| 3600.0 * (1.0 / 12.0 + (1.0 - p) / (p * p))).sum::<f64>() / ps.len() as f64;
    let se = (var / a.metrics.detections as f64).sqrt();
    eprintln!("spot checks: {} found, mean delay {:.1} s vs {expected:.1} ± {:.1} (4 SE)", d.count, d.mean, 4.0 * se);
    assert!((d.mean - expected).abs() < 4.0 * se, "mean delay {} vs {expected} ± {}", d.mean, 4.0 * se);
}

/// Appointments with fixed steps and many doctors, the finite KDC with a fixed service time.
const CARE: &str = r#"
[care]
enabled = true
doctors_per_cloudlet = 50
appointment_rate_per_s = 0.002
latency = "fixed"
unverified_doctor_prob = 0.0
consult_s = 10.0
ack_s = 1.0
[care.kdc]
enabled = true
service = "fixed"
service_s = 0.002
"#;

#[test]
fn the_kdc_adds_transmission_and_service_to_the_key_latency() {
    let off = with(&CARE.replace("enabled = true\nservice", "enabled = false\nservice"));
    assert!(summary(&off)["care"].get("kdc").is_none(), "no kdc section when it is off");
    let r = with(CARE);
    let s = summary(&r);
    let kdc = &s["care"]["kdc"];
    assert_eq!(kdc["wait_s"]["max"], 0.0, "requests this rare never queue");
    let (req, reply) = (kdc["request_bytes"].as_f64().unwrap(), kdc["reply_bytes"].as_f64().unwrap());
    assert_eq!((req, reply), (128.0, 60.0), "no KEM ciphertext with crypto.scheme = \"none\"");
    // key_request_s + request at 10 Mbit/s + service + reply at 10 Mbit/s + kdc_check_s.
    let expected = 0.05 + req * 8.0 / 1e7 + 0.002 + reply * 8.0 / 1e7 + 0.02;
    let k = r.model.care().metrics.key_latency.summary();
    assert!(k.count > 40);
    assert!((k.min - expected).abs() < 1e-8 && (k.max - expected).abs() < 1e-8, "{k:?} vs {expected}");
    assert_eq!(kdc["requests"], kdc["served"]);
}

#[test]
fn the_kdc_queue_waits_as_m_m_1() {
    // 60 patients × 0.1 appointments/s: Poisson key requests at λ = 6/s (exponential steps keep them Poisson, and
    // 50 doctors per cloudlet never run out); exponential service of mean 0.05 s (μ = 20/s): Wq = ρ/(μ − λ) = 0.3/14.
    let text = CARE
        .replace("appointment_rate_per_s = 0.002", "appointment_rate_per_s = 0.1")
        .replace("latency = \"fixed\"", "latency = \"exponential\"")
        .replace("consult_s = 10.0", "consult_s = 1.0")
        .replace("service = \"fixed\"\nservice_s = 0.002", "service = \"exponential\"\nservice_s = 0.05");
    let waits: Vec<f64> = (0..5)
        .map(|rep| {
            let base = SMALL.replace("drain_s = 120.0", &format!("drain_s = 120.0\nreplication = {rep}"));
            let r = run(&config(&format!("{base}\n{text}")), false);
            r.model.care().kdc().expect("on").metrics.wait.summary().mean
        })
        .collect();
    let mean = waits.iter().sum::<f64>() / 5.0;
    let sd = (waits.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / 4.0).sqrt();
    // Student t, 4 degrees of freedom, 99%: 4.604.
    let half = 4.604 * sd / 5f64.sqrt();
    let expected = 0.3 / 14.0;
    eprintln!("KDC M/M/1: wait {mean:.5} s vs {expected:.5} ± {half:.5} ({waits:?})");
    assert!((mean - expected).abs() < half, "wait {mean} vs M/M/1 {expected} ± {half} ({waits:?})");
}
